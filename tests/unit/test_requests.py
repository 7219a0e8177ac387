"""The exact requests the generated operations build, checked without a server.

A recording transport stands in for the network; the signature of each request is checked
against botocore's signer (an independent SigV4 implementation) on the same bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from recording import Recorder, botocore_authorization, client_with

import s3wire


def test_list_objects_v2_request() -> None:
    recorder = Recorder()
    client = client_with(recorder)
    client.list_objects_v2(bucket="bkt", prefix="a b/~+", max_keys=10, fetch_owner=True)
    ((method, url, headers, body),) = recorder.sent
    assert method == "GET"
    assert url == (
        "http://127.0.0.1:7480/bkt?fetch-owner=true&list-type=2&max-keys=10&prefix=a%20b%2F~%2B"
    )
    assert body is None
    assert headers["Host"] == "127.0.0.1:7480"
    assert headers["x-amz-content-sha256"] == hashlib.sha256(b"").hexdigest()
    assert headers["Authorization"] == botocore_authorization(
        method, url, headers, b"", "us-east-1"
    )


def test_put_object_request_virtual_hosted() -> None:
    recorder = Recorder(ETag='"abc"')
    client = client_with(recorder, "https://s3.eu-west-1.amazonaws.com", region="eu-west-1")
    answer = client.put_object(
        bucket="bkt",
        key="dir/./a b+%.txt",
        body=b"payload",
        content_type="text/plain",
        metadata={"Colour": "blue"},
        storage_class="STANDARD_IA",
    )
    assert answer.fields == {"etag": '"abc"'}
    ((method, url, headers, body),) = recorder.sent
    assert method == "PUT"
    assert url == "https://bkt.s3.eu-west-1.amazonaws.com/dir/./a%20b%2B%25.txt"
    assert body == b"payload"
    assert headers["Host"] == "bkt.s3.eu-west-1.amazonaws.com"
    assert headers["Content-Type"] == "text/plain"
    assert headers["x-amz-meta-Colour"] == "blue"
    assert headers["x-amz-storage-class"] == "STANDARD_IA"
    assert headers["x-amz-content-sha256"] == hashlib.sha256(b"payload").hexdigest()
    signed = headers["Authorization"].split("SignedHeaders=")[1].split(",")[0].split(";")
    assert {"content-type", "host", "x-amz-meta-colour", "x-amz-storage-class"} <= set(signed)
    assert headers["Authorization"] == botocore_authorization(
        method, url, headers, b"payload", "eu-west-1"
    )


def test_streamed_body_is_sent_unsigned() -> None:
    recorder = Recorder()
    stream = open(__file__, "rb")  # noqa: SIM115 (closed below)
    with stream:
        client_with(recorder).put_object(bucket="b", key="k", body=stream)
    ((_, _, headers, body),) = recorder.sent
    assert body == Path(__file__).read_bytes()  # streamed from the file, as it was read
    assert headers["x-amz-content-sha256"] == "UNSIGNED-PAYLOAD"


@pytest.mark.parametrize(
    ("region", "given", "expected"),
    [
        ("us-east-1", None, None),
        ("eu-west-1", None, "eu-west-1"),
        ("eu-west-1", "ap-south-1", "ap-south-1"),
        ("eu-west-1", "us-east-1", None),
    ],
)
def test_create_bucket_location_constraint(
    region: str, given: str | None, expected: str | None
) -> None:
    recorder = Recorder()
    client_with(recorder, region=region).create_bucket(bucket="bkt", location_constraint=given)
    ((method, url, headers, body),) = recorder.sent
    assert (method, urlsplit(url).path) == ("PUT", "/bkt")
    if expected is None:
        assert body is None
        assert "Content-Type" not in headers
    else:
        assert isinstance(body, bytes)
        assert f"<LocationConstraint>{expected}</LocationConstraint>".encode() in body
        assert headers["Content-Type"] == "application/xml"
        assert headers["x-amz-content-sha256"] == hashlib.sha256(body).hexdigest()


def test_head_object_query_and_timestamp_header() -> None:
    recorder = Recorder(
        200, **{"Content-Length": "12", "x-amz-meta-a": "1", "x-amz-delete-marker": "false"}
    )
    when = dt.datetime(2024, 5, 6, 7, 8, 9, tzinfo=dt.timezone.utc)
    answer = client_with(recorder).head_object(
        bucket="b", key="k", version_id="v/1", part_number=2, if_modified_since=when
    )
    ((method, url, headers, _),) = recorder.sent
    assert method == "HEAD"
    assert url == "http://127.0.0.1:7480/b/k?partNumber=2&versionId=v%2F1"
    assert headers["If-Modified-Since"] == "Mon, 06 May 2024 07:08:09 GMT"
    assert answer.fields == {"content_length": 12, "metadata": {"a": "1"}, "delete_marker": False}


def test_error_answer_is_returned_then_raised_on_request() -> None:
    error = b"<Error><Code>NoSuchBucket</Code><Message>No such bucket</Message></Error>"
    recorder = Recorder(404, error, **{"x-amz-request-id": "req-1"})
    answer = client_with(recorder).list_objects_v2(bucket="b")
    assert answer.status == 404
    assert answer.response == {"Error": {"Code": "NoSuchBucket", "Message": "No such bucket"}}
    with pytest.raises(s3wire.S3Error) as raised:
        answer.raise_for_status()
    assert (raised.value.code, raised.value.request_id) == ("NoSuchBucket", "req-1")
    assert str(raised.value) == "404 NoSuchBucket: No such bucket [request id req-1]"


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda c: c.list_objects_v2(bucket="b", max_keys="10"), "max_keys must be an int"),
        (lambda c: c.list_objects_v2(bucket="b", fetch_owner="yes"), "fetch_owner must be a bool"),
        (
            lambda c: c.list_objects_v2(bucket="b", encoding_type="xml"),
            "encoding_type must be one of",
        ),
        (lambda c: c.put_object(bucket="b", key="k", metadata=["x"]), "metadata must be a mapping"),
        (lambda c: c.put_object(bucket="b", key="k", body="text"), "body must be bytes"),
        (lambda c: c.put_object(bucket="b", key="", body=b""), "key must be a non-empty str"),
        (lambda c: c.put_object(bucket="b", key="k" * 1025), "at most 1024 bytes"),
        (lambda c: c.head_bucket(bucket=""), "bucket must be a non-empty str"),
        (
            lambda c: c.get_object(bucket="b", key="k", if_modified_since=dt.datetime(2024, 1, 1)),
            "timezone-aware",
        ),
        (lambda c: c.list_buckets(nonsense=1), "unexpected keyword"),
    ],
)
def test_bad_input_is_refused_before_sending(call: Any, message: str) -> None:
    recorder = Recorder()
    with pytest.raises((s3wire.ParamError, TypeError), match=message):
        call(client_with(recorder))
    assert recorder.sent == []


def test_generic_request_encodes_path_and_query() -> None:
    recorder = Recorder(200, b"<Tagging><TagSet/></Tagging>")
    answer = client_with(recorder).request("GET", "/b/a b%2Bc?tagging")
    ((method, url, headers, _),) = recorder.sent
    assert (method, url) == ("GET", "http://127.0.0.1:7480/b/a%20b%2Bc?tagging=")
    assert answer.response == {"Tagging": {"TagSet": ""}}
    assert headers["Authorization"] == botocore_authorization(
        method, url, headers, b"", "us-east-1"
    )
    with pytest.raises(s3wire.ParamError, match="start with '/'"):
        client_with(recorder).request("GET", "b/k")


def test_empty_or_unseekable_streams_are_sent_with_a_length() -> None:
    recorder = Recorder()
    client = client_with(recorder)
    client.put_object(bucket="b", key="empty", body=io.BytesIO(b""))
    reader, writer = os.pipe()
    os.write(writer, b"piped bytes")
    os.close(writer)
    with os.fdopen(reader, "rb") as pipe:
        client.put_object(bucket="b", key="piped", body=pipe)
    (_, _, empty_headers, empty), (_, _, piped_headers, piped) = recorder.sent
    assert empty == b""
    assert empty_headers["x-amz-content-sha256"] == hashlib.sha256(b"").hexdigest()
    assert piped == b"piped bytes"
    assert piped_headers["x-amz-content-sha256"] == hashlib.sha256(b"piped bytes").hexdigest()
