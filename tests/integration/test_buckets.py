"""Bucket operations against the real server: create, head, list, delete, and error answers."""

from __future__ import annotations

import json
import uuid

import pytest

import s3wire


def test_bucket_lifecycle(client: s3wire.Client) -> None:
    name = f"s3wire-{uuid.uuid4().hex[:12]}"
    created = client.create_bucket(bucket=name)
    assert created.status == 200, created.response

    head = client.head_bucket(bucket=name)
    assert head.status == 200
    assert head.response == {}

    listing = client.list_buckets()
    assert listing.status == 200
    buckets = listing.response["ListAllMyBucketsResult"]["Buckets"]["Bucket"]
    assert isinstance(buckets, list)
    mine = [b for b in buckets if b["Name"] == name]
    assert len(mine) == 1
    assert mine[0]["CreationDate"][:4].isdigit()  # an ISO 8601 string
    assert listing.response["ListAllMyBucketsResult"]["Owner"]["ID"]

    deleted = client.delete_bucket(bucket=name)
    assert deleted.status == 204
    gone = client.head_bucket(bucket=name)
    assert gone.status == 404
    with pytest.raises(s3wire.S3Error) as raised:
        gone.raise_for_status()
    assert raised.value.status == 404


def test_list_buckets_with_one_bucket_is_a_list(client: s3wire.Client, bucket: str) -> None:
    listing = client.list_buckets(prefix=bucket)
    assert listing.status == 200
    buckets = listing.response["ListAllMyBucketsResult"]["Buckets"]["Bucket"]
    assert [b["Name"] for b in buckets] == [bucket]


def test_creating_an_existing_bucket_is_answered(client: s3wire.Client, bucket: str) -> None:
    again = client.create_bucket(bucket=bucket)
    # radosgw answers 200 to the owner (as us-east-1 does); AWS elsewhere answers 409.
    assert again.status in (200, 409)
    if again.status == 409:
        assert again.response["Error"]["Code"] == "BucketAlreadyOwnedByYou"


def test_deleting_a_non_empty_bucket_is_refused(client: s3wire.Client, bucket: str) -> None:
    client.put_object(bucket=bucket, key="k", body=b"x").raise_for_status()
    answer = client.delete_bucket(bucket=bucket)
    assert answer.status == 409
    assert answer.response["Error"]["Code"] == "BucketNotEmpty"
    with pytest.raises(s3wire.S3Error) as raised:
        answer.raise_for_status()
    assert raised.value.code == "BucketNotEmpty"


def test_missing_bucket_is_answered_404(client: s3wire.Client) -> None:
    name = f"s3wire-missing-{uuid.uuid4().hex[:8]}"
    answer = client.list_objects_v2(bucket=name)
    assert answer.status == 404
    assert answer.ok is False
    assert answer.response["Error"]["Code"] == "NoSuchBucket"
    with pytest.raises(s3wire.S3Error) as raised:
        answer.raise_for_status()
    assert raised.value.code == "NoSuchBucket"
    assert "NoSuchBucket" in str(raised.value)


def test_wrong_secret_is_answered_403(data: s3wire.ConnectionData) -> None:
    wrong = dict(data, secret_key="not-the-secret-key")
    with s3wire.Client(wrong) as client:
        answer = client.list_buckets()
    assert answer.status == 403
    assert answer.response["Error"]["Code"] == "SignatureDoesNotMatch"
    assert "not-the-secret-key" not in json.dumps(answer.to_dict())
    assert "not-the-secret-key" not in repr(client)


def test_wrong_access_key_is_answered_403(data: s3wire.ConnectionData) -> None:
    with s3wire.Client(dict(data, access_key="AKIANOSUCHKEY0000000")) as client:
        answer = client.list_buckets()
    assert answer.status == 403
    assert answer.response["Error"]["Code"] == "InvalidAccessKeyId"


def test_answer_is_json_serialisable(client: s3wire.Client, bucket: str) -> None:
    answer = client.list_objects_v2(bucket=bucket).to_dict()
    assert set(answer) == {"status", "response", "headers"}
    assert json.loads(json.dumps(answer)) == answer
