"""What is special about an operation comes from its catalog entry: an error inside a 200 is an
error only for the operations flagged error_in_200 (CopyObject, CompleteMultipartUpload,
UploadPartCopy); any other operation's 2xx answer is a success, whatever its body holds. A new
bucket's name follows S3's strict rules for the operation flagged creates_bucket."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from recording import Recorder, client_with
from requests.structures import CaseInsensitiveDict
from test_retry_requests import OK, Script, error

import s3wire
from s3wire._generated import shapes
from s3wire._generated.records import OPERATIONS
from s3wire._request.answer import to_response
from s3wire.operation import Operation

FAILED_LATE = b"<Error><Code>InternalError</Code><Message>try again</Message></Error>"
PART = [{"part_number": 1, "etag": "e"}]
SOURCE = "src/k"
# The operations S3 documents as able to fail after answering 200.
FLAGGED = {"CopyObject", "CompleteMultipartUpload", "UploadPartCopy"}
# Every operation whose 2xx answer is read as a success or refused (an event stream is decoded).
READ = [op for op in OPERATIONS.values() if not op.response_event_stream]


def flagged_calls(client: s3wire.Client) -> dict[str, Any]:
    return {
        "CopyObject": lambda: client.copy_object(bucket="b", key="k", copy_source=SOURCE),
        "CompleteMultipartUpload": lambda: client.complete_multipart_upload(
            bucket="b", key="k", upload_id="u", parts=PART
        ),
        "UploadPartCopy": lambda: client.upload_part_copy(
            bucket="b", key="k", upload_id="u", part_number=1, copy_source=SOURCE
        ),
    }


def test_the_catalog_flags_the_operations_that_fail_inside_a_200() -> None:
    assert {op.name for op in OPERATIONS.values() if op.error_in_200} == FLAGGED
    assert [op.name for op in OPERATIONS.values() if op.creates_bucket] == ["CreateBucket"]


@pytest.mark.parametrize("name", sorted(FLAGGED))
def test_a_flagged_operations_200_with_an_error_is_an_error(name: str) -> None:
    answer = flagged_calls(client_with(Recorder(200, FAILED_LATE)))[name]()
    assert (answer.status, answer.ok, answer.error_in_body) == (200, False, True)
    with pytest.raises(s3wire.S3Error, match="InternalError") as info:
        answer.raise_for_status()
    assert (info.value.status, info.value.code, info.value.message) == (
        200,
        "InternalError",
        "try again",
    )


@pytest.mark.parametrize("name", sorted(FLAGGED))
def test_a_flagged_operations_200_without_an_error_is_a_success(name: str) -> None:
    answer = flagged_calls(client_with(Recorder(200, b"<CopyObjectResult/>")))[name]()
    assert (answer.ok, answer.error_in_body) == (True, False)


def test_an_unflagged_operations_200_with_an_error_body_is_not_misread() -> None:
    client = client_with(Recorder(200, FAILED_LATE))
    for answer in (
        client.put_object(bucket="b", key="k", body=b"x"),
        client.delete_bucket_tagging(bucket="b"),
        client.get_object(bucket="b", key="k"),  # an object whose bytes are an XML error
        client.request("GET", "/b/k"),  # a raw request has no catalog entry to flag it
    ):
        assert (answer.ok, answer.error_in_body) == (True, False)
        assert answer.raise_for_status() is answer
    assert client.get_object(bucket="b", key="k").body == FAILED_LATE


def test_an_unflagged_operations_200_with_a_transient_code_is_not_tried_again() -> None:
    script = Script(error(200, "InternalError"), OK)
    answer = client_with(script).put_object(bucket="b", key="k", body=b"x")
    assert (answer.ok, answer.attempts, len(script.sent)) == (True, 1, 1)


@given(
    operation=st.sampled_from(READ),
    status=st.sampled_from([200, 201, 204, 206]),
    code=st.text(st.characters(codec="ascii", categories=["L", "N"]), min_size=1),
)
def test_only_flagged_operations_read_an_error_inside_a_2xx(
    operation: Operation, status: int, code: str
) -> None:
    body = f"<Error><Code>{code}</Code></Error>".encode()
    answer = to_response(operation, status, CaseInsensitiveDict(), body, shapes.ERROR_XML)
    assert answer.ok is not operation.error_in_200
    assert answer.error_in_body is operation.error_in_200


@given(operation=st.sampled_from(READ), status=st.sampled_from([400, 403, 404, 409, 500, 503]))
def test_an_error_status_is_an_error_for_every_operation(operation: Operation, status: int) -> None:
    answer = to_response(operation, status, CaseInsensitiveDict(), FAILED_LATE, shapes.ERROR_XML)
    assert (answer.ok, answer.response["Error"]["Code"]) == (False, "InternalError")
