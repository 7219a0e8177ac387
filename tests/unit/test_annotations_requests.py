"""The exact requests of the object annotation operations (spec/object-annotations.yaml) and of
the members botocore 1.44 added to older operations, and how their answers parse, without a
server: neither radosgw nor moto has the ?annotation subresource. (The bucket's annotation table,
UpdateBucketMetadataAnnotationTableConfiguration, is with the other S3 Metadata operations in
test_bucket_access_replication_reports_requests.py.)"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import botocore.session
import pytest
from botocore.serialize import create_serializer
from recording import Pages, Recorder, botocore_authorization, client_with, md5, sent

import s3wire

NS = 'xmlns="http://s3.amazonaws.com/doc/2006-03-01/"'
XML = '<?xml version="1.0" encoding="UTF-8"?>\n'
OBJECT_URL = "http://127.0.0.1:7480/bkt/notes/a%20b.txt"


def test_put_object_annotation_request_and_answer() -> None:
    answer = (
        f"{XML}<PutObjectAnnotationResult {NS}><Key>notes/a b.txt</Key>"
        "<AnnotationName>review</AnnotationName></PutObjectAnnotationResult>"
    )
    recorder = Recorder(
        200,
        answer.encode(),
        ETag='"abc"',
        **{"x-amz-object-version-id": "v1", "x-amz-checksum-crc32": "AAAAAA=="},
    )
    payload = b'{"score": 5}'
    got = client_with(recorder).put_object_annotation(
        bucket="bkt",
        key="notes/a b.txt",
        annotation_name="review",
        annotation=payload,
        version_id="v1",
        object_if_match='"etag0"',
        content_md5=md5(payload),
        checksum_crc32="AAAAAA==",
        request_payer="requester",
        expected_bucket_owner="111122223333",
    )
    method, url, headers, body = sent(recorder)
    assert (method, url) == ("PUT", f"{OBJECT_URL}?annotation=&annotationName=review&versionId=v1")
    assert body == payload
    assert headers["x-amz-object-if-match"] == '"etag0"'
    assert headers["Content-MD5"] == md5(payload)
    assert headers["x-amz-checksum-crc32"] == "AAAAAA=="
    assert headers["x-amz-request-payer"] == "requester"
    assert headers["x-amz-expected-bucket-owner"] == "111122223333"
    assert headers["Authorization"] == botocore_authorization(
        method, url, headers, body, "us-east-1"
    )
    assert got.response == {
        "PutObjectAnnotationResult": {"Key": "notes/a b.txt", "AnnotationName": "review"}
    }
    assert got.fields == {
        "object_version_id": "v1",
        "etag": '"abc"',
        "checksum_crc32": "AAAAAA==",
    }


def test_put_object_annotation_needs_a_name() -> None:
    with pytest.raises(s3wire.ArgumentError, match="annotation_name"):
        client_with(Recorder()).put_object_annotation(  # type: ignore[call-arg]
            bucket="bkt", key="k", annotation=b"x"
        )


def test_get_object_annotation_request_and_answer() -> None:
    recorder = Recorder(
        200,
        b'{"score": 5}',
        ETag='"abc"',
        **{
            "Content-Length": "12",
            "Last-Modified": "Wed, 02 Dec 2026 14:00:00 GMT",
            "x-amz-object-version-id": "v1",
            "x-amz-replication-status": "COMPLETED",
        },
    )
    got = client_with(recorder).get_object_annotation(
        bucket="bkt", key="notes/a b.txt", annotation_name="review", checksum_mode="ENABLED"
    )
    method, url, headers, body = sent(recorder)
    assert (method, url) == ("GET", f"{OBJECT_URL}?annotation=&annotationName=review")
    assert body == b""
    assert headers["x-amz-checksum-mode"] == "ENABLED"
    assert got.body == b'{"score": 5}'
    assert got.fields == {
        "object_version_id": "v1",
        "last_modified": "Wed, 02 Dec 2026 14:00:00 GMT",
        "content_length": 12,
        "etag": '"abc"',
        "replication_status": "COMPLETED",
    }


def list_page(names: list[str], next_token: str | None) -> str:
    entries = "".join(
        f"<AnnotationEntry><AnnotationName>{name}</AnnotationName>"
        "<LastModified>2026-12-02T14:00:00.000Z</LastModified><ETag>&quot;e&quot;</ETag>"
        "<ChecksumAlgorithm>CRC32</ChecksumAlgorithm><Size>12</Size></AnnotationEntry>"
        for name in names
    )
    token = f"<NextContinuationToken>{next_token}</NextContinuationToken>" if next_token else ""
    return (
        f"{XML}<ListObjectAnnotationsResult {NS}><Annotations>{entries}</Annotations>"
        f"<Bucket>bkt</Bucket><Key>k</Key><MaxAnnotationResults>1</MaxAnnotationResults>"
        f"<AnnotationCount>{len(names)}</AnnotationCount>{token}</ListObjectAnnotationsResult>"
    )


def test_list_object_annotations_request_and_answer() -> None:
    recorder = Recorder(200, list_page(["review"], "t2").encode())
    got = client_with(recorder).list_object_annotations(
        bucket="bkt",
        key="notes/a b.txt",
        max_annotation_results=1,
        annotation_prefix="rev",
        continuation_token="t1",
    )
    method, url, _, body = sent(recorder)
    assert method == "GET"
    assert url == (
        f"{OBJECT_URL}?annotation=&annotation-prefix=rev&continuation-token=t1"
        "&max-annotation-results=1"
    )
    assert body == b""
    result = got.response["ListObjectAnnotationsResult"]
    assert result["Annotations"]["AnnotationEntry"] == [
        {
            "AnnotationName": "review",
            "LastModified": "2026-12-02T14:00:00.000Z",
            "ETag": '"e"',
            "ChecksumAlgorithm": ["CRC32"],
            "Size": 12,
        }
    ]
    assert (result["MaxAnnotationResults"], result["AnnotationCount"]) == (1, 1)
    assert result["NextContinuationToken"] == "t2"


def test_list_object_annotations_pages_follow_the_next_token() -> None:
    transport = Pages(list_page(["a"], "t2"), list_page(["b"], None))
    pages = list(client_with(transport).paginate("list_object_annotations", bucket="b", key="k"))
    names = [
        entry["AnnotationName"]
        for page in pages
        for entry in page.response["ListObjectAnnotationsResult"]["Annotations"]["AnnotationEntry"]
    ]
    assert names == ["a", "b"]
    urls = [url for _, url, _, _ in transport.sent]
    assert urls == [
        "http://127.0.0.1:7480/b/k?annotation=",
        "http://127.0.0.1:7480/b/k?annotation=&continuation-token=t2",
    ]


def test_delete_object_annotation_request_and_answer() -> None:
    recorder = Recorder(204, **{"x-amz-object-version-id": "v1"})
    got = client_with(recorder).delete_object_annotation(
        bucket="bkt", key="notes/a b.txt", annotation_name="review", object_if_match='"e"'
    )
    method, url, headers, body = sent(recorder)
    assert (method, url) == ("DELETE", f"{OBJECT_URL}?annotation=&annotationName=review")
    assert body == b""
    assert headers["x-amz-object-if-match"] == '"e"'
    assert (got.status, got.fields) == (204, {"object_version_id": "v1"})


def test_event_hold_and_annotation_directive_headers() -> None:
    recorder = Recorder()
    client = client_with(recorder)
    client.put_object(
        bucket="bkt",
        key="k",
        body=b"x",
        object_lock_event_hold="ON",
        object_lock_event_hold_duration_days=30,
    )
    client.copy_object(bucket="bkt", key="k2", copy_source="bkt/k", annotation_directive="EXCLUDE")
    (_, _, put_headers, _), (_, _, copy_headers, _) = recorder.sent
    assert put_headers["x-amz-object-lock-event-hold"] == "ON"
    assert put_headers["x-amz-object-lock-event-hold-duration-days"] == "30"
    assert "x-amz-object-lock-event-hold-duration-years" not in put_headers
    assert copy_headers["x-amz-object-annotation-directive"] == "EXCLUDE"


def test_event_hold_fields_of_head_object_are_typed() -> None:
    recorder = Recorder(
        200,
        **{
            "x-amz-object-lock-event-hold": "ON",
            "x-amz-object-lock-event-hold-duration-years": "2",
        },
    )
    got = client_with(recorder).head_object(bucket="bkt", key="k")
    assert got.fields["object_lock_event_hold"] == "ON"
    assert got.fields["object_lock_event_hold_duration_years"] == 2


@pytest.mark.parametrize("algorithm", ["SHA512", "MD5", "XXHASH64", "XXHASH3", "XXHASH128"])
def test_newer_checksum_algorithms_are_accepted(algorithm: str) -> None:
    recorder = Recorder(200, f"{XML}<InitiateMultipartUploadResult/>".encode())
    client_with(recorder).create_multipart_upload(
        bucket="bkt",
        key="k",
        checksum_algorithm=algorithm,  # type: ignore[arg-type]
    )
    assert sent(recorder)[2]["x-amz-checksum-algorithm"] == algorithm


def test_upload_part_surfaces_the_version_id() -> None:
    recorder = Recorder(200, ETag='"p1"', **{"x-amz-version-id": "v7"})
    got = client_with(recorder).upload_part(
        bucket="bkt", key="k", upload_id="u", part_number=1, body=b"x"
    )
    assert got.fields == {"version_id": "v7", "etag": '"p1"'}


# Each operation called through s3wire, and the same call as botocore's parameters.
SAME_CALLS: dict[str, tuple[Callable[[s3wire.Client], Any], dict[str, Any]]] = {
    "PutObjectAnnotation": (
        lambda c: c.put_object_annotation(
            bucket="bkt", key="k", annotation_name="n", annotation=b"data", object_if_match="e"
        ),
        {"AnnotationName": "n", "AnnotationPayload": b"data", "ObjectIfMatch": "e"},
    ),
    "GetObjectAnnotation": (
        lambda c: c.get_object_annotation(
            bucket="bkt", key="k", annotation_name="n", version_id="v", request_payer="requester"
        ),
        {"AnnotationName": "n", "VersionId": "v", "RequestPayer": "requester"},
    ),
    "ListObjectAnnotations": (
        lambda c: c.list_object_annotations(
            bucket="bkt", key="k", max_annotation_results=5, annotation_prefix="p"
        ),
        {"MaxAnnotationResults": 5, "AnnotationPrefix": "p"},
    ),
    "DeleteObjectAnnotation": (
        lambda c: c.delete_object_annotation(
            bucket="bkt", key="k", annotation_name="n", expected_bucket_owner="111122223333"
        ),
        {"AnnotationName": "n", "ExpectedBucketOwner": "111122223333"},
    ),
}


@pytest.mark.parametrize("operation", sorted(SAME_CALLS))
def test_request_matches_botocore_serializer(operation: str) -> None:
    call, params = SAME_CALLS[operation]
    model = botocore.session.get_session().get_service_model("s3").operation_model(operation)
    expected = create_serializer("rest-xml").serialize_to_request(
        {"Bucket": "bkt", "Key": "k", **params}, model
    )
    recorder = Recorder()
    call(client_with(recorder))
    method, url, headers, body = sent(recorder)
    assert method == expected["method"]
    path, _, fixed = expected["url_path"].partition("?")
    assert urlsplit(url).path == path
    query = {(key, str(value)) for key, value in expected["query_string"].items()}
    theirs = set(parse_qsl(fixed, keep_blank_values=True)) | query
    theirs -= {("x-id", operation)}  # botocore's tag for logs; S3 ignores it
    assert set(parse_qsl(urlsplit(url).query, keep_blank_values=True)) == theirs
    for name, value in expected["headers"].items():
        assert headers[name] == value
    assert body == (expected["body"] or b"")
