"""client.paginate over canned pages: which tokens it sends, and when it stops."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from requests.structures import CaseInsensitiveDict
from test_requests import Recorder, client_with

import s3wire
from s3wire import paginate
from s3wire.operation import Operation, Pagination
from s3wire.transport_api import Body, Sink


class Pages(Recorder):
    """A transport answering one canned (status, XML body) per request, in order."""

    def __init__(self, *answers: tuple[int, str]) -> None:
        super().__init__()
        self.answers = list(answers)

    def send(
        self, method: str, url: str, headers: dict[str, str], body: Body, sink: Sink | None = None
    ) -> tuple[int, CaseInsensitiveDict[str], bytes]:
        self.sent.append((method, url, dict(headers), body))
        status, xml = self.answers.pop(0)
        return status, CaseInsensitiveDict(), xml.encode()

    def queries(self) -> list[dict[str, list[str]]]:
        return [parse_qs(urlsplit(url).query, keep_blank_values=True) for _, url, _, _ in self.sent]


def v2_page(keys: str, token: str | None) -> tuple[int, str]:
    contents = "".join(f"<Contents><Key>{key}</Key></Contents>" for key in keys)
    more = f"<NextContinuationToken>{token}</NextContinuationToken>" if token else ""
    truncated = "true" if token else "false"
    xml = f"<ListBucketResult><IsTruncated>{truncated}</IsTruncated>{more}{contents}"
    return 200, xml + "</ListBucketResult>"


def keys_of(page: s3wire.Response) -> list[str]:  # type: ignore[type-arg]
    return [item["Key"] for item in page.response["ListBucketResult"]["Contents"]]


def test_list_objects_v2_follows_continuation_tokens() -> None:
    transport = Pages(v2_page("abc", "t/1"), v2_page("def", "t 2"), v2_page("g", None))
    client = client_with(transport)
    pages = list(client.paginate("list_objects_v2", bucket="b", max_keys=3, prefix="p"))
    assert [keys_of(page) for page in pages] == [list("abc"), list("def"), ["g"]]
    queries = transport.queries()
    assert [q.get("continuation-token") for q in queries] == [None, ["t/1"], ["t 2"]]
    assert all(q["max-keys"] == ["3"] and q["prefix"] == ["p"] for q in queries)


def test_list_objects_v1_uses_next_marker_else_the_last_key() -> None:
    transport = Pages(
        (200, "<ListBucketResult><IsTruncated>true</IsTruncated><NextMarker>m1</NextMarker>"
              "<Contents><Key>a</Key></Contents></ListBucketResult>"),
        (200, "<ListBucketResult><IsTruncated>true</IsTruncated>"
              "<Contents><Key>b</Key></Contents><Contents><Key>c</Key></Contents>"
              "</ListBucketResult>"),
        (200, "<ListBucketResult><IsTruncated>false</IsTruncated>"
              "<Contents><Key>d</Key></Contents></ListBucketResult>"),
    )  # fmt: skip
    pages = list(client_with(transport).paginate("list_objects", bucket="b"))
    assert [keys_of(page) for page in pages] == [["a"], ["b", "c"], ["d"]]
    assert [q.get("marker") for q in transport.queries()] == [None, ["m1"], ["c"]]


def test_a_hand_built_operation_pages_by_its_own_rules() -> None:
    """follow() works for any operation, here a v1-style listing the catalog may not hold."""
    listing = Operation(name="ListThings", method="GET", target="bucket")
    rules = Pagination(
        more="ListBucketResult.IsTruncated",
        tokens=(("marker", ("ListBucketResult.NextMarker", "ListBucketResult.Contents[-1].Key")),),
    )
    transport = Pages(
        (200, "<ListBucketResult><IsTruncated>true</IsTruncated>"
              "<Contents><Key>x</Key></Contents></ListBucketResult>"),
        (200, "<ListBucketResult><IsTruncated>false</IsTruncated></ListBucketResult>"),
    )  # fmt: skip
    client = client_with(transport)

    def call(bucket: str, marker: str | None = None) -> s3wire.Response[Any, Any]:
        return client._send(listing, bucket=bucket, query=[("marker", marker)] if marker else [])

    pages = list(paginate.follow(call, rules, {"bucket": "b"}, name="ListThings"))
    assert len(pages) == 2
    assert [q.get("marker") for q in transport.queries()] == [None, ["x"]]


def test_list_buckets_pages_while_a_token_comes_back() -> None:
    transport = Pages(
        (200, "<ListAllMyBucketsResult><ContinuationToken>c1</ContinuationToken>"
              "</ListAllMyBucketsResult>"),
        (200, "<ListAllMyBucketsResult><ContinuationToken></ContinuationToken>"
              "</ListAllMyBucketsResult>"),
    )  # fmt: skip
    pages = list(client_with(transport).paginate("list_buckets", max_buckets=1))
    assert len(pages) == 2
    assert [q.get("continuation-token") for q in transport.queries()] == [None, ["c1"]]


def test_a_declared_more_flag_that_is_absent_means_the_last_page() -> None:
    xml = "<ListBucketResult><NextContinuationToken>t</NextContinuationToken></ListBucketResult>"
    transport = Pages((200, xml))
    assert len(list(client_with(transport).paginate("list_objects_v2", bucket="b"))) == 1


def test_truncated_without_a_token_stops() -> None:
    transport = Pages((200, "<ListBucketResult><IsTruncated>true</IsTruncated></ListBucketResult>"))
    assert len(list(client_with(transport).paginate("list_objects_v2", bucket="b"))) == 1


def test_an_error_answer_is_yielded_then_paging_stops() -> None:
    error = "<Error><Code>InternalError</Code><Message>boom</Message></Error>"
    transport = Pages(v2_page("a", "t1"), (500, error), v2_page("b", None))
    client = client_with(transport, max_attempts=1)  # the 500 is final: no retry
    pages = list(client.paginate("list_objects_v2", bucket="b"))
    assert [page.status for page in pages] == [200, 500]
    assert pages[1].response["Error"]["Code"] == "InternalError"
    assert len(transport.sent) == 2


def test_stale_tokens_are_dropped_and_typed_tokens_kept() -> None:
    """ListMultipartUploads: an upload-id marker not given again is not sent again."""
    transport = Pages(
        (200, "<ListMultipartUploadsResult><IsTruncated>true</IsTruncated>"
              "<NextKeyMarker>k1</NextKeyMarker><NextUploadIdMarker>u1</NextUploadIdMarker>"
              "</ListMultipartUploadsResult>"),
        (200, "<ListMultipartUploadsResult><IsTruncated>true</IsTruncated>"
              "<NextKeyMarker>k2</NextKeyMarker></ListMultipartUploadsResult>"),
        (200, "<ListMultipartUploadsResult><IsTruncated>false</IsTruncated>"
              "</ListMultipartUploadsResult>"),
    )  # fmt: skip
    list(client_with(transport).paginate("list_multipart_uploads", bucket="b"))
    markers = [(q.get("key-marker"), q.get("upload-id-marker")) for q in transport.queries()]
    assert markers == [(None, None), (["k1"], ["u1"]), (["k2"], None)]


def test_an_int_token_is_passed_on_as_an_int() -> None:
    transport = Pages(
        (200, "<ListPartsResult><IsTruncated>true</IsTruncated>"
              "<NextPartNumberMarker>7</NextPartNumberMarker></ListPartsResult>"),
        (200, "<ListPartsResult><IsTruncated>false</IsTruncated></ListPartsResult>"),
    )  # fmt: skip
    pages = client_with(transport).paginate("list_parts", bucket="b", key="k", upload_id="u")
    assert len(list(pages)) == 2
    assert transport.queries()[1]["part-number-marker"] == ["7"]


def test_a_repeated_token_raises_instead_of_looping() -> None:
    transport = Pages(v2_page("a", "t1"), v2_page("b", "t2"), v2_page("c", "t1"))
    pages = client_with(transport).paginate("list_objects_v2", bucket="b")
    assert len([next(pages), next(pages), next(pages)]) == 3
    with pytest.raises(paginate.RepeatedTokenError, match="same continuation_token twice"):
        next(pages)
    assert len(transport.sent) == 3


def test_a_token_equal_to_the_one_given_raises() -> None:
    transport = Pages(v2_page("a", "start"))
    pages = client_with(transport).paginate(
        "list_objects_v2", bucket="b", continuation_token="start"
    )
    next(pages)
    with pytest.raises(paginate.RepeatedTokenError):
        next(pages)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("list_objects_v3", "unknown operation 'list_objects_v3'"),
        ("ListObjectsV2", "unknown operation 'ListObjectsV2'"),
        ("put_object", "put_object does not paginate"),
    ],
)
def test_unknown_or_unpaginated_operations_are_refused_at_once(name: str, message: str) -> None:
    transport = Pages()
    with pytest.raises(s3wire.ParamError, match=message):
        client_with(transport).paginate(name, bucket="b")
    assert transport.sent == []


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("R.Contents[-1].Key", "z"),
        ("R.Empty[-1].Key", None),
        ("R.Missing.Key", None),
        ("R.Token", "t"),
        ("R.Token.Deeper", None),
    ],
)
def test_lookup(path: str, expected: str | None) -> None:
    answer = {"R": {"Contents": [{"Key": "y"}, {"Key": "z"}], "Empty": [], "Token": "t"}}
    assert paginate.lookup(answer, path) == expected
