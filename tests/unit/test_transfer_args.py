"""ObjectArgs: transfer options checked once and sent on every request of a transfer that needs
them (s3wire.testing's MockTransport records each request)."""

from __future__ import annotations

import base64
import hashlib
import io
import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import s3wire
from s3wire.errors import ParamError
from s3wire.testing import Answer, MockTransport, Request
from s3wire.transfer import ObjectArgs

MIB = 1024 * 1024
KEY = b"0123456789abcdef0123456789abcdef"  # a 32-byte SSE-C key
KEY_B64 = base64.b64encode(KEY).decode()
KEY_MD5 = base64.b64encode(hashlib.md5(KEY).digest()).decode()
SSE_C = "x-amz-server-side-encryption-customer-"
COPY_SSE_C = "x-amz-copy-source-server-side-encryption-customer-"


def client_over(transport: MockTransport) -> s3wire.Client:
    return s3wire.Client(
        url="http://127.0.0.1:7480",
        access_key="AKIDEXAMPLE",
        secret_key="secret",
        region="us-east-1",
        part_size=5 * MIB,
        transport=transport,
    )


def s3_like(size: int = 11 * MIB) -> Any:
    """A handler answering as S3 does a multipart upload and a HEAD and ranged GETs of an
    object of `size` bytes (a multipart ETag, so no MD5 check)."""

    def handler(request: Request) -> Answer:
        query = request.url.split("?", 1)[1] if "?" in request.url else ""
        if request.method == "POST" and "uploads" in query:
            body = b"<InitiateMultipartUploadResult><UploadId>u1</UploadId>"
            return Answer(200, {}, body + b"</InitiateMultipartUploadResult>")
        if request.method == "POST":
            return Answer(
                200,
                {},
                b'<CompleteMultipartUploadResult><ETag>"e-3"</ETag></CompleteMultipartUploadResult>',
            )
        if request.method == "PUT":
            return Answer(200, {"ETag": '"p"'})
        if request.method == "HEAD":
            return Answer(200, {"Content-Length": str(size), "ETag": '"e-3"'})
        match = re.fullmatch(r"bytes=(\d+)-(\d+)", request.headers.get("range", ""))
        first, last = (int(match[1]), int(match[2])) if match else (0, size - 1)
        length = last - first + 1
        headers = {"Content-Length": str(length), "ETag": '"e-3"'}
        if match:
            headers["Content-Range"] = f"bytes {first}-{last}/{size}"
        return Answer(206 if match else 200, headers, b"x" * length)

    return handler


def has_sse_c(request: Request, prefix: str = SSE_C) -> bool:
    return (
        request.headers.get(prefix + "algorithm") == "AES256"
        and request.headers.get(prefix + "key") == KEY_B64
        and request.headers.get(prefix + "key-md5") == KEY_MD5
    )


def test_every_request_of_a_multipart_upload_carries_what_it_needs(tmp_path: Path) -> None:
    source = tmp_path / "page.html"
    source.write_bytes(os.urandom(11 * MIB))
    transport = MockTransport(s3_like())
    extra = ObjectArgs(
        sse_customer_key=KEY,
        storage_class="STANDARD_IA",
        tagging={"team": "a b", "k&": "v="},
        cache_control="max-age=60",
        request_payer="requester",
        expected_bucket_owner="111122223333",
    )
    with client_over(transport) as client:
        client.upload_file("b", "k", source, metadata={"colour": "blue"}, extra=extra)
    create, *parts, complete = transport.requests
    assert len(parts) == 3 and all(r.method == "PUT" for r in parts)
    for request in transport.requests:
        assert has_sse_c(request), request.method
        assert request.headers.get("x-amz-request-payer") == "requester"
        assert request.headers.get("x-amz-expected-bucket-owner") == "111122223333"
    assert create.headers["content-type"] == "text/html"
    assert create.headers["x-amz-meta-colour"] == "blue"
    assert create.headers["x-amz-storage-class"] == "STANDARD_IA"
    assert create.headers["cache-control"] == "max-age=60"
    assert dict(parse_qsl(create.headers["x-amz-tagging"])) == {"team": "a b", "k&": "v="}
    for request in (*parts, complete):  # object attributes go on the create only
        assert "x-amz-storage-class" not in request.headers
        assert "x-amz-tagging" not in request.headers


def test_a_small_upload_sends_it_all_on_its_put_and_the_content_type_may_be_set_or_left_out(
    tmp_path: Path,
) -> None:
    source = tmp_path / "data.json"
    source.write_bytes(b"{}")
    transport = MockTransport(Answer(200, {"ETag": '"e"'}))
    with client_over(transport) as client:
        client.upload_file("b", "k", source, extra=ObjectArgs(sse_customer_key=KEY, acl="private"))
        assert transport.last.headers["content-type"] == "application/json"
        assert has_sse_c(transport.last) and transport.last.headers["x-amz-acl"] == "private"
        client.upload_file("b", "k", source, content_type="text/x-mine")
        assert transport.last.headers["content-type"] == "text/x-mine"
        client.upload_file("b", "k", source, content_type="")
        assert "content-type" not in transport.last.headers


def test_a_download_sends_the_sse_c_key_on_its_head_and_every_ranged_get(tmp_path: Path) -> None:
    transport = MockTransport(s3_like())
    extra = ObjectArgs(sse_customer_key=KEY.decode(), request_payer="requester")
    with client_over(transport) as client:
        client.download_file("b", "k", tmp_path / "out", part_size=5 * MIB, extra=extra)
    head, *gets = transport.requests
    assert head.method == "HEAD" and len(gets) == 3
    assert all(r.headers.get("range") for r in gets)
    for request in transport.requests:
        assert has_sse_c(request) and request.headers["x-amz-request-payer"] == "requester"
    assert (tmp_path / "out").stat().st_size == 11 * MIB


def test_a_copy_sends_the_source_key_as_copy_source_and_the_copys_own() -> None:
    transport = MockTransport(
        lambda r: (
            Answer(200, {"Content-Length": "5", "ETag": '"e"'})
            if r.method == "HEAD"
            else Answer(200, {}, b'<CopyObjectResult><ETag>"e"</ETag></CopyObjectResult>')
        )
    )
    other = b"k" * 32
    extra = ObjectArgs(copy_source_sse_customer_key=KEY, sse_customer_key=other)
    with client_over(transport) as client:
        client.copy_file("b", "src", "b", "dst", extra=extra)
    head, copy = transport.requests
    assert has_sse_c(head)  # the source is read with its own key
    assert has_sse_c(copy, COPY_SSE_C)
    assert copy.headers[SSE_C + "key"] == base64.b64encode(other).decode()


def test_the_sse_c_key_is_in_no_repr_and_no_error() -> None:
    secret = "s3cr3t-s3cr3t-s3cr3t-s3cr3t-s3cr"
    assert secret not in repr(ObjectArgs(sse_customer_key=secret))
    with pytest.raises(ParamError) as caught:
        ObjectArgs(sse_customer_key=secret + "x")
    assert secret not in str(caught.value) and "sse_customer_key" in str(caught.value)


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"storage_class": "COLD"}, "storage_class"),
        ({"acl": "everyone"}, "acl"),
        ({"request_payer": "me"}, "request_payer"),
        ({"server_side_encryption": "rot13"}, "server_side_encryption"),
        ({"cache_control": 5}, "cache_control"),
        ({"bucket_key_enabled": "yes"}, "bucket_key_enabled"),
        ({"tagging": {"k": 1}}, "tagging"),
        ({"sse_customer_key": KEY, "server_side_encryption": "AES256"}, "sse_customer_key"),
    ],
)
def test_a_bad_option_is_refused_naming_it(options: dict[str, Any], field: str) -> None:
    with pytest.raises(ParamError, match=field):
        ObjectArgs(**options)


text = st.text(max_size=20)


@settings(max_examples=60, deadline=None)
@given(
    metadata=st.dictionaries(text, text, max_size=3),
    tagging=st.dictionaries(text, text, max_size=3),
)
def test_any_metadata_and_tags_are_sent_as_given_or_refused_naming_the_key(
    metadata: dict[str, str], tagging: dict[str, str]
) -> None:
    transport = MockTransport(Answer(200, {"ETag": '"e"'}))
    try:
        extra = ObjectArgs(tagging=tagging)
        with client_over(transport) as client:
            client.upload_file("b", "k", io.BytesIO(b"abc"), metadata=metadata, extra=extra)
    except ParamError as exc:
        keys = [*metadata, *tagging]
        assert any(repr(key) in str(exc) for key in keys), str(exc)
        return
    sent = transport.last.headers
    got = {  # header names are sent as given; S3 stores them lowercased
        name[len("x-amz-meta-") :].lower(): sent[name]
        for name in sent
        if name.lower().startswith("x-amz-meta-")
    }
    assert got == {name.lower(): value for name, value in metadata.items()}
    assert dict(parse_qsl(sent.get("x-amz-tagging", ""), keep_blank_values=True)) == tagging
