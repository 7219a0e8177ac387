"""radosgw's error answers raise the S3Error subclass of their code through raise_for_status()."""

from __future__ import annotations

import uuid

import pytest

import s3wire


def test_a_missing_key_raises_no_such_key(client: s3wire.Client, bucket: str) -> None:
    with pytest.raises(s3wire.NoSuchKeyError) as raised:
        client.get_object(bucket=bucket, key="missing").raise_for_status()
    assert (raised.value.status, raised.value.code) == (404, "NoSuchKey")
    assert isinstance(raised.value, s3wire.S3Error)
    assert not isinstance(raised.value, s3wire.NoSuchBucketError)


def test_a_missing_bucket_raises_no_such_bucket(client: s3wire.Client) -> None:
    missing = f"s3wire-missing-{uuid.uuid4().hex[:12]}"
    with pytest.raises(s3wire.NoSuchBucketError) as raised:
        client.get_object(bucket=missing, key="k").raise_for_status()
    assert (raised.value.status, raised.value.code) == (404, "NoSuchBucket")
    assert not isinstance(raised.value, s3wire.NoSuchKeyError)


def test_a_condition_that_fails_raises_precondition_failed(
    client: s3wire.Client, bucket: str
) -> None:
    client.put_object(bucket=bucket, key="k", body=b"data").raise_for_status()
    with pytest.raises(s3wire.PreconditionFailedError) as raised:
        client.get_object(bucket=bucket, key="k", if_match='"0123456789abcdef"').raise_for_status()
    assert (raised.value.status, raised.value.code) == (412, "PreconditionFailed")


def test_an_unknown_upload_raises_no_such_upload(client: s3wire.Client, bucket: str) -> None:
    answer = client.abort_multipart_upload(bucket=bucket, key="k", upload_id="2~no-such-upload")
    with pytest.raises(s3wire.NoSuchUploadError) as raised:
        answer.raise_for_status()
    assert (raised.value.status, raised.value.code) == (404, "NoSuchUpload")


def test_a_code_without_a_class_is_a_plain_s3_error(client: s3wire.Client, bucket: str) -> None:
    client.put_object(bucket=bucket, key="k", body=b"data").raise_for_status()
    with pytest.raises(s3wire.S3Error) as raised:
        client.delete_bucket(bucket=bucket).raise_for_status()
    assert type(raised.value) is s3wire.S3Error
    assert (raised.value.status, raised.value.code) == (409, "BucketNotEmpty")
