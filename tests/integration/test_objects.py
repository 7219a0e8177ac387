"""Object operations against the real server, with data checked byte for byte."""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import io
from pathlib import Path

import pytest

import s3wire

AWKWARD_KEYS = [
    "plain.txt",
    "with space.txt",
    "plus+sign",
    "percent%41literal",
    "tilde~name",
    "dir/sub dir/ünïcödé 日本.txt",
    "dot/./segment",
    "dots/../segment",
    "double//slash",
    "trailing/",
    "semi;colon,comma",
    "question?mark",
    "hash#tag",
    "amp&equals=sign",
    "quote'double\"",
    "brackets[]{}()<>",
    "star*at@dollar$",
    "  leading spaces",
]


@pytest.mark.parametrize("key", AWKWARD_KEYS)
def test_awkward_keys_round_trip(client: s3wire.Client, bucket: str, key: str) -> None:
    body = f"content of {key}".encode()
    put = client.put_object(bucket=bucket, key=key, body=body)
    assert put.status == 200, put.response
    assert put.fields["etag"] == f'"{hashlib.md5(body).hexdigest()}"'

    listed = client.list_objects_v2(bucket=bucket, prefix=key).raise_for_status()
    assert [item["Key"] for item in listed.response["ListBucketResult"]["Contents"]] == [key]

    got = client.get_object(bucket=bucket, key=key)
    assert got.status == 200
    assert got.body == body

    head = client.head_object(bucket=bucket, key=key)
    assert head.status == 200
    assert head.fields["content_length"] == len(body)

    assert client.delete_object(bucket=bucket, key=key).status == 204
    assert client.head_object(bucket=bucket, key=key).status == 404


def test_put_get_head_delete(client: s3wire.Client, bucket: str) -> None:
    body = bytes(range(256)) * 64
    put = client.put_object(
        bucket=bucket,
        key="data/blob.bin",
        body=body,
        content_type="application/x-test",
        metadata={"colour": "blue", "count": "3"},
        cache_control="no-cache",
    )
    assert put.status == 200
    assert put.response == {}

    got = client.get_object(bucket=bucket, key="data/blob.bin")
    assert got.status == 200
    assert got.body == body
    assert got.response == {}
    assert got.fields["content_length"] == len(body)
    assert got.fields["content_type"] == "application/x-test"
    assert got.fields["metadata"] == {"colour": "blue", "count": "3"}
    assert got.fields["cache_control"] == "no-cache"
    assert got.fields["etag"] == put.fields["etag"]

    head = client.head_object(bucket=bucket, key="data/blob.bin")
    assert head.status == 200
    assert head.body == b""
    assert head.fields["content_length"] == len(body)
    assert head.fields["metadata"] == {"colour": "blue", "count": "3"}
    assert head.headers["content-type"] == "application/x-test"  # case-insensitive

    deleted = client.delete_object(bucket=bucket, key="data/blob.bin")
    assert deleted.status == 204
    missing = client.get_object(bucket=bucket, key="data/blob.bin")
    assert missing.status == 404
    assert missing.response["Error"]["Code"] == "NoSuchKey"
    assert missing.body != body


def test_range_and_conditional_reads(client: s3wire.Client, bucket: str) -> None:
    body = b"0123456789"
    etag = client.put_object(bucket=bucket, key="r", body=body).fields["etag"]

    part = client.get_object(bucket=bucket, key="r", range="bytes=2-5")
    assert part.status == 206
    assert part.body == b"2345"
    assert part.fields["content_range"] == "bytes 2-5/10"

    assert client.get_object(bucket=bucket, key="r", if_none_match=etag).status == 304
    assert client.get_object(bucket=bucket, key="r", if_match='"nope"').status == 412
    later = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=1)
    assert client.head_object(bucket=bucket, key="r", if_unmodified_since=later).status == 200


def test_streamed_body_from_a_file_object(client: s3wire.Client, bucket: str) -> None:
    body = b"streamed " * 100_000
    put = client.put_object(bucket=bucket, key="stream", body=io.BytesIO(body))
    assert put.status == 200, put.response
    assert client.get_object(bucket=bucket, key="stream").body == body


def test_encoded_object_comes_back_as_stored(client: s3wire.Client, bucket: str) -> None:
    packed = gzip.compress(b"hello " * 1000)
    client.put_object(
        bucket=bucket, key="z.gz", body=packed, content_encoding="gzip"
    ).raise_for_status()
    got = client.get_object(bucket=bucket, key="z.gz")
    assert got.fields["content_encoding"] == "gzip"
    assert got.body == packed


def test_empty_object(client: s3wire.Client, bucket: str) -> None:
    client.put_object(bucket=bucket, key="empty").raise_for_status()
    got = client.get_object(bucket=bucket, key="empty")
    assert got.status == 200
    assert got.body == b""
    assert got.fields["content_length"] == 0


def test_delete_of_a_missing_key_succeeds(client: s3wire.Client, bucket: str) -> None:
    assert client.delete_object(bucket=bucket, key="never-there").status == 204


def test_generic_signed_request(client: s3wire.Client, bucket: str) -> None:
    client.put_object(bucket=bucket, key="a b+c", body=b"1").raise_for_status()
    raw = client.request("GET", f"/{bucket}/a b+c")
    assert raw.status == 200
    assert raw.body == b"1"
    listed = client.request("GET", f"/{bucket}?list-type=2&prefix=a b")
    assert listed.status == 200
    assert listed.response["ListBucketResult"]["Contents"]["Key"] == "a b+c"


def test_empty_file_object_body(client: s3wire.Client, bucket: str, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.write_bytes(b"")
    with empty.open("rb") as stream:
        assert client.put_object(bucket=bucket, key="e", body=stream).status == 200
    assert client.get_object(bucket=bucket, key="e").body == b""
