"""raise_for_status() raises the S3Error subclass of the answer's code, from one table; any
other code is a plain S3Error. The classes are exported from s3wire."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from recording import Recorder, client_with

import s3wire
from s3wire import errors
from s3wire.errors import S3_ERROR_CLASSES

CLASSES = {
    "NoSuchKey": s3wire.NoSuchKeyError,
    "NoSuchBucket": s3wire.NoSuchBucketError,
    "NoSuchUpload": s3wire.NoSuchUploadError,
    "PreconditionFailed": s3wire.PreconditionFailedError,
    "AccessDenied": s3wire.AccessDeniedError,
}


def error_xml(code: str) -> bytes:
    return (
        f"<Error><Code>{code}</Code><Message>it went wrong</Message>"
        "<Resource>/b/k</Resource><RequestId>req-1</RequestId></Error>"
    ).encode()


def raised_by(status: int, content: bytes, method: str = "GET") -> s3wire.S3Error:
    """What raise_for_status() raises for an answer of `status` with `content`."""
    client = client_with(Recorder(status, content, Content_Type="application/xml"))
    call = client.head_object if method == "HEAD" else client.get_object
    with pytest.raises(s3wire.S3Error) as raised:
        call(bucket="b", key="k").raise_for_status()
    return raised.value


STATUSES = {
    "NoSuchKey": 404,
    "NoSuchBucket": 404,
    "NoSuchUpload": 404,
    "PreconditionFailed": 412,
    "AccessDenied": 403,
}


@pytest.mark.parametrize("code", CLASSES)
def test_each_code_with_a_class_raises_it_and_only_it(code: str) -> None:
    status = STATUSES[code]
    error = raised_by(status, error_xml(code))
    assert type(error) is CLASSES[code]
    assert isinstance(error, s3wire.S3Error) and isinstance(error, s3wire.S3wireError)
    assert [cls for cls in CLASSES.values() if isinstance(error, cls)] == [CLASSES[code]]
    assert (error.status, error.code, error.message) == (status, code, "it went wrong")
    assert (error.resource, error.request_id, error.attempts) == ("/b/k", "req-1", 1)
    assert str(error) == f"{status} {code}: it went wrong (resource /b/k) [request id req-1]"


@settings(max_examples=60, deadline=None)
@given(code=st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", min_size=1))
def test_any_other_code_is_a_plain_s3_error(code: str) -> None:
    error = raised_by(409, error_xml(code))
    assert error.code == code
    assert (type(error) is s3wire.S3Error) == (code not in CLASSES)


def test_a_head_answers_no_code_412_is_precondition_failed_404_a_plain_not_found() -> None:
    failed = raised_by(412, b"", method="HEAD")
    assert (type(failed), failed.code) == (s3wire.PreconditionFailedError, "PreconditionFailed")
    missing = raised_by(404, b"", method="HEAD")
    assert (type(missing), missing.code) == (s3wire.S3Error, "NotFound")


def test_an_error_inside_a_200_raises_the_class_of_its_code() -> None:
    body = (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b"<Error><Code>NoSuchUpload</Code><Message>gone</Message></Error>"
    )
    client = client_with(Recorder(200, body))
    answer = client.complete_multipart_upload(
        bucket="b", key="k", upload_id="u", parts=[{"part_number": 1, "etag": '"e"'}]
    )
    assert not answer.ok
    with pytest.raises(s3wire.NoSuchUploadError, match="200 NoSuchUpload: gone"):
        answer.raise_for_status()


def test_the_classes_are_exported() -> None:
    for code, cls in CLASSES.items():
        assert cls.__name__ in s3wire.__all__
        assert getattr(errors, cls.__name__) is cls
        assert S3_ERROR_CLASSES[code] is cls
