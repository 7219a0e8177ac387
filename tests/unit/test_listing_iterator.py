"""The one listing iterator (s3wire.paginate.objects, versions, uploads): asked with
encoding-type=url, keys decoded, markers passed back in the right form, and a page without a
listing's structure a ResponseError."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote_plus

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_paginate import Pages, v2_page
from test_requests import client_with

import s3wire
from s3wire import paginate

KEYS = st.text(
    st.characters(codec="utf-8", exclude_characters="\x00", exclude_categories=("Cs",)),
    min_size=1,
    max_size=20,
)


def encoded_page(keys: list[str], token: str | None = None) -> tuple[int, str]:
    contents = "".join(
        f"<Contents><Key>{quote_plus(key)}</Key><Size>1</Size></Contents>" for key in keys
    )
    more = f"<NextContinuationToken>{token}</NextContinuationToken>" if token else ""
    truncated = "true" if token else "false"
    xml = f"<ListBucketResult><EncodingType>url</EncodingType><IsTruncated>{truncated}"
    return 200, f"{xml}</IsTruncated>{more}{contents}</ListBucketResult>"


@given(st.lists(KEYS, min_size=1, max_size=5))
def test_any_key_is_listed_as_itself(keys: list[str]) -> None:
    transport = Pages(encoded_page(keys[:2], "opaque%2Ftoken+"), encoded_page(keys[2:]))
    with client_with(transport) as client:
        listed = [item["Key"] for item in paginate.objects(client, "b", "p/")]
    assert listed == keys
    queries = transport.queries()
    assert all(query["encoding-type"] == ["url"] for query in queries)
    assert queries[1]["continuation-token"] == ["opaque%2Ftoken+"]  # opaque: passed back as is


def test_common_prefixes_come_decoded_before_the_objects() -> None:
    xml = (
        "<ListBucketResult><Prefix>a%20b%2F</Prefix><Delimiter>%2F</Delimiter>"
        "<IsTruncated>false</IsTruncated><Contents><Key>a+b%2Fk%07</Key></Contents>"
        "<CommonPrefixes><Prefix>a+b%2F%01%2F</Prefix></CommonPrefixes></ListBucketResult>"
    )
    with client_with(Pages((200, xml))) as client:
        items = list(paginate.objects(client, "b", "a b/", "/"))
    assert [item.get("Prefix") or item["Key"] for item in items] == ["a b/\x01/", "a b/k\x07"]


VERSIONS_PAGE = (
    "<ListVersionsResult><IsTruncated>true</IsTruncated><NextKeyMarker>{marker}</NextKeyMarker>"
    "<NextVersionIdMarker>v1</NextVersionIdMarker><Version><Key>k%2541+x</Key>"
    "<VersionId>v1</VersionId></Version></ListVersionsResult>"
)
LAST_VERSIONS = "<ListVersionsResult><IsTruncated>false</IsTruncated></ListVersionsResult>"


@pytest.mark.parametrize("marker", ["k%2541+x", "k%41 x"])  # encoded (AWS) or raw (radosgw)
def test_a_version_marker_is_passed_back_as_the_key(marker: str) -> None:
    transport = Pages((200, VERSIONS_PAGE.format(marker=marker)), (200, LAST_VERSIONS))
    with client_with(transport) as client:
        listed = list(paginate.versions(client, "b"))
    assert [(name, item["Key"], item["VersionId"]) for name, item in listed] == [
        ("Version", "k%41 x", "v1")
    ]
    assert transport.queries()[1]["key-marker"] == ["k%41 x"]


MALFORMED = [
    "<ListAllMyBucketsResult/>",
    "<ListBucketResult><Contents><Size>1</Size></Contents></ListBucketResult>",
    "<ListBucketResult><Contents><Key>%FF</Key></Contents></ListBucketResult>",
    "<ListBucketResult><Contents><Key>k</Key><Size>1</Size></Contents></ListBucketResult>",
]


@pytest.mark.parametrize("xml", MALFORMED)
def test_a_page_without_a_listings_structure_is_a_response_error(xml: str) -> None:
    with client_with(Pages((200, xml))) as client, pytest.raises(s3wire.ResponseError):
        client.download_dir("b", "", "unused-folder")


def test_a_repeated_token_stops_upload_dir_and_download_dir(tmp_path: Path) -> None:
    for sync in (
        lambda client: client.upload_dir(tmp_path, "b"),
        lambda client: client.download_dir("b", "", tmp_path),
    ):
        pages = [v2_page("", "same")] * 3
        with client_with(Pages(*pages)) as client, pytest.raises(s3wire.RepeatedTokenError):
            sync(client)
