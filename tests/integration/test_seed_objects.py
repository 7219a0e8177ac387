"""The seed library's object scenarios (tags, copies, batch deletes, versions, ListObjects v1)."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import servers
from capabilities import target
from cleanup import delete_every_version, empty_and_delete

import s3wire

COPY_SOURCE_KEYS = [
    "with space.txt",
    "plus+sign",
    "dir/ünïcödé 日本.txt",
    "percent%41literal",
    "amp&equals=sign?question#hash",
]


def quoted_md5(data: bytes) -> str:
    return f'"{hashlib.md5(data).hexdigest()}"'


def tag_dict(answer: s3wire.Response[Any, Any]) -> dict[str, str]:
    """The tag set of a GetObjectTagging answer as key -> value."""
    assert answer.status == 200, answer.response
    tags = answer.response["Tagging"]["TagSet"]["Tag"]
    assert isinstance(tags, list)
    return {tag["Key"]: tag["Value"] for tag in tags}


@pytest.fixture
def versioned_bucket(client: s3wire.Client, bucket: str) -> Iterator[str]:
    """The scratch bucket with versioning enabled; every version is deleted afterwards."""
    client.put_bucket_versioning(bucket=bucket, status="Enabled").raise_for_status()
    yield bucket
    delete_every_version(client, bucket)


# --- object tagging ------------------------------------------------------------------------


def test_object_tagging_put_get_delete(client: s3wire.Client, bucket: str) -> None:
    key = "tagged/ünï file+1.txt"
    client.put_object(bucket=bucket, key=key, body=b"data").raise_for_status()
    assert tag_dict(client.get_object_tagging(bucket=bucket, key=key)) == {}

    tags = {"project": "s3wire", "owner": "Zoë", "with space": "a=b&c"}
    put = client.put_object_tagging(bucket=bucket, key=key, tags=tags)
    assert put.status == 200, put.response
    assert tag_dict(client.get_object_tagging(bucket=bucket, key=key)) == tags
    assert client.head_object(bucket=bucket, key=key).fields["tag_count"] == 3

    deleted = client.delete_object_tagging(bucket=bucket, key=key)
    assert deleted.status == 204
    assert tag_dict(client.get_object_tagging(bucket=bucket, key=key)) == {}
    assert client.get_object(bucket=bucket, key=key).body == b"data"  # the data is untouched


def test_object_tagging_of_one_version(
    client: s3wire.Client, versioned_bucket: str, s3_server: servers.S3Server
) -> None:
    bucket = versioned_bucket
    first = client.put_object(bucket=bucket, key="k", body=b"v1").raise_for_status()
    second = client.put_object(bucket=bucket, key="k", body=b"v2").raise_for_status()
    v1, v2 = first.fields["version_id"], second.fields["version_id"]

    put = client.put_object_tagging(bucket=bucket, key="k", version_id=v1, tags={"old": "yes"})
    assert put.status == 200, put.response
    got = client.get_object_tagging(bucket=bucket, key="k", version_id=v1)
    assert tag_dict(got) == {"old": "yes"}
    if s3_server.kind == "radosgw":
        assert "version_id" not in got.fields  # radosgw 16 does not echo x-amz-version-id here
    else:
        assert got.fields["version_id"] == v1
    # the current version (v2) is not tagged
    assert tag_dict(client.get_object_tagging(bucket=bucket, key="k")) == {}
    assert tag_dict(client.get_object_tagging(bucket=bucket, key="k", version_id=v2)) == {}

    client.put_object_tagging(bucket=bucket, key="k", tags={"new": "yes"}).raise_for_status()
    assert tag_dict(client.get_object_tagging(bucket=bucket, key="k", version_id=v2)) == {
        "new": "yes"
    }

    deleted = client.delete_object_tagging(bucket=bucket, key="k", version_id=v1)
    assert deleted.status == 204
    assert tag_dict(client.get_object_tagging(bucket=bucket, key="k", version_id=v1)) == {}
    assert tag_dict(client.get_object_tagging(bucket=bucket, key="k")) == {"new": "yes"}


# --- copy ----------------------------------------------------------------------------------


@pytest.mark.parametrize("source_key", COPY_SOURCE_KEYS)
def test_copy_object_with_an_awkward_source_key(
    client: s3wire.Client, bucket: str, source_key: str
) -> None:
    body = f"bytes of {source_key}".encode() * 100
    client.put_object(
        bucket=bucket, key=source_key, body=body, content_type="text/x-src", metadata={"a": "1"}
    ).raise_for_status()

    copied = client.copy_object(
        bucket=bucket, key="copy of/" + source_key, copy_source=f"{bucket}/{source_key}"
    )
    assert copied.status == 200, copied.response
    result = copied.response["CopyObjectResult"]
    # radosgw 16 writes this ETag without the quotes S3 puts around it
    assert result["ETag"].strip('"') == hashlib.md5(body).hexdigest()
    assert result["LastModified"][4] == "-"

    got = client.get_object(bucket=bucket, key="copy of/" + source_key)
    assert got.body == body
    assert got.fields["content_type"] == "text/x-src"  # metadata_directive COPY by default
    assert got.fields["metadata"] == {"a": "1"}

    # the same source named as a dict, into another bucket
    other = f"s3wire-{uuid.uuid4().hex[:12]}"
    client.create_bucket(bucket=other).raise_for_status()
    try:
        across = client.copy_object(
            bucket=other, key=source_key, copy_source={"bucket": bucket, "key": source_key}
        )
        assert across.status == 200, across.response
        assert client.get_object(bucket=other, key=source_key).body == body
    finally:
        empty_and_delete(client, other)


def test_copy_object_replacing_metadata(client: s3wire.Client, bucket: str) -> None:
    client.put_object(
        bucket=bucket, key="src", body=b"same bytes", metadata={"old": "1"}, content_type="a/b"
    ).raise_for_status()
    client.copy_object(
        bucket=bucket,
        key="dst",
        copy_source=f"{bucket}/src",
        metadata_directive="REPLACE",
        metadata={"new": "2"},
        content_type="text/x-new",
        cache_control="max-age=60",
    ).raise_for_status()
    head = client.head_object(bucket=bucket, key="dst").raise_for_status()
    assert head.fields["metadata"] == {"new": "2"}
    assert head.fields["content_type"] == "text/x-new"
    assert head.fields["cache_control"] == "max-age=60"
    assert client.get_object(bucket=bucket, key="dst").body == b"same bytes"

    # copying an object onto itself is allowed only when something changes: REPLACE does
    onto_itself = client.copy_object(
        bucket=bucket, key="src", copy_source=f"{bucket}/src", metadata_directive="REPLACE"
    )
    assert onto_itself.status == 200, onto_itself.response
    assert "metadata" not in client.head_object(bucket=bucket, key="src").fields


def test_copy_object_of_an_older_version(
    client: s3wire.Client, versioned_bucket: str, s3_server: servers.S3Server
) -> None:
    bucket = versioned_bucket
    key = "versioned source ü+.bin"
    first = client.put_object(bucket=bucket, key=key, body=b"first").raise_for_status()
    client.put_object(bucket=bucket, key=key, body=b"second").raise_for_status()
    v1 = first.fields["version_id"]

    copied = client.copy_object(
        bucket=bucket, key="restored", copy_source={"bucket": bucket, "key": key, "version_id": v1}
    )
    assert copied.status == 200, copied.response
    assert client.get_object(bucket=bucket, key="restored").body == b"first"
    assert client.get_object(bucket=bucket, key=key).body == b"second"
    if s3_server.kind == "radosgw":
        # radosgw 16 sends neither x-amz-version-id nor x-amz-copy-source-version-id here
        assert "copy_source_version_id" not in copied.fields
    else:
        assert copied.fields["copy_source_version_id"] == v1
        assert copied.fields["version_id"]

    missing = client.copy_object(bucket=bucket, key="x", copy_source=f"{bucket}/no such key")
    assert missing.status == 404
    assert missing.response["Error"]["Code"] == "NoSuchKey"


@pytest.fixture
def copy_condition_client(
    request: pytest.FixtureRequest, s3_server: servers.S3Server
) -> Iterator[s3wire.Client]:
    """A client of a server that checks x-amz-copy-source-if-none-match (path style)."""
    server = target(
        s3_server,
        lambda: request.getfixturevalue("moto_server"),
        "CopyObject(copy_source_if_none_match)",
    )
    data = s3wire.get_data_structure(
        server.url, server.access_key, server.secret_key, server.region, addressing_style="path"
    )
    with s3wire.Client(data) as client:
        yield client


def test_copy_source_condition_reaches_the_server(copy_condition_client: s3wire.Client) -> None:
    client = copy_condition_client
    bucket = f"s3wire-cond-{uuid.uuid4().hex[:8]}"
    client.create_bucket(bucket=bucket).raise_for_status()
    try:
        etag = client.put_object(bucket=bucket, key="s", body=b"x").fields["etag"]
        held = client.copy_object(
            bucket=bucket, key="d", copy_source=f"{bucket}/s", copy_source_if_none_match=etag
        )
        assert held.status == 412
        assert held.response["Error"]["Code"] == "PreconditionFailed"
        assert client.head_object(bucket=bucket, key="d").status == 404
        done = client.copy_object(
            bucket=bucket, key="d", copy_source=f"{bucket}/s", copy_source_if_none_match='"other"'
        )
        assert done.status == 200
    finally:
        empty_and_delete(client, bucket)


# --- DeleteObjects -------------------------------------------------------------------------


def test_delete_objects_batch(client: s3wire.Client, bucket: str) -> None:
    keys = ["a", "with space", "plus+sign", "ünï/日本", "amp&lt;", "keep-1", "keep-2"]
    for key in keys:
        client.put_object(bucket=bucket, key=key, body=key.encode()).raise_for_status()
    doomed = keys[:5]

    answer = client.delete_objects(bucket=bucket, objects=[{"key": k} for k in doomed], quiet=False)
    assert answer.status == 200, answer.response
    result = answer.response["DeleteResult"]
    assert sorted(d["Key"] for d in result["Deleted"]) == sorted(doomed)
    assert result["Error"] == []
    listed = client.list_objects_v2(bucket=bucket).response["ListBucketResult"]["Contents"]
    assert [item["Key"] for item in listed] == ["keep-1", "keep-2"]

    # quiet: only failures are reported; a missing key is not a failure
    quiet = client.delete_objects(
        bucket=bucket, objects=[{"key": "keep-1"}, {"key": "never there"}], quiet=True
    )
    assert quiet.status == 200, quiet.response
    assert quiet.response["DeleteResult"] == {"Deleted": [], "Error": []}
    listed = client.list_objects_v2(bucket=bucket).response["ListBucketResult"]["Contents"]
    assert [item["Key"] for item in listed] == ["keep-2"]


def test_delete_objects_by_version(client: s3wire.Client, versioned_bucket: str) -> None:
    bucket = versioned_bucket
    v1 = client.put_object(bucket=bucket, key="k", body=b"1").raise_for_status()
    v2 = client.put_object(bucket=bucket, key="k", body=b"2").raise_for_status()
    other = client.put_object(bucket=bucket, key="other", body=b"o").raise_for_status()

    answer = client.delete_objects(
        bucket=bucket,
        objects=[{"key": "k", "version_id": v1.fields["version_id"]}, {"key": "other"}],
        quiet=False,
    )
    assert answer.status == 200, answer.response
    deleted = {d["Key"]: d for d in answer.response["DeleteResult"]["Deleted"]}
    assert deleted["k"]["VersionId"] == v1.fields["version_id"]  # that version is gone for good
    assert "DeleteMarker" not in deleted["k"]
    assert deleted["other"]["DeleteMarker"] is True  # no version named: a delete marker is added
    assert isinstance(deleted["other"]["DeleteMarkerVersionId"], str)

    versions = client.list_object_versions(bucket=bucket).response["ListVersionsResult"]
    assert [(v["Key"], v["VersionId"]) for v in versions["Version"]] == [
        ("k", v2.fields["version_id"]),
        ("other", other.fields["version_id"]),
    ]
    assert [(m["Key"], m["VersionId"]) for m in versions["DeleteMarker"]] == [
        ("other", deleted["other"]["DeleteMarkerVersionId"])
    ]
    assert client.get_object(bucket=bucket, key="k").body == b"2"
    assert client.get_object(bucket=bucket, key="other").status == 404


def test_delete_objects_refuses_an_item_without_a_key(client: s3wire.Client) -> None:
    with pytest.raises(s3wire.ParamError, match="key"):
        client.delete_objects(bucket="never-sent", objects=[{"version_id": "v"}])  # type: ignore[typeddict-item]


# --- ListObjectVersions --------------------------------------------------------------------


def test_list_object_versions(client: s3wire.Client, versioned_bucket: str) -> None:
    bucket = versioned_bucket
    key = "doc ü+.txt"
    first = client.put_object(bucket=bucket, key=key, body=b"one").raise_for_status()
    second = client.put_object(bucket=bucket, key=key, body=b"second").raise_for_status()

    result = client.list_object_versions(bucket=bucket).response["ListVersionsResult"]
    assert result["IsTruncated"] is False
    assert result["DeleteMarker"] == []
    assert isinstance(result["MaxKeys"], int)
    versions = result["Version"]
    assert [(v["Key"], v["VersionId"], v["IsLatest"]) for v in versions] == [
        (key, second.fields["version_id"], True),  # newest first
        (key, first.fields["version_id"], False),
    ]
    assert [v["Size"] for v in versions] == [6, 3]
    assert [v["ETag"] for v in versions] == [quoted_md5(b"second"), quoted_md5(b"one")]
    assert all(v["LastModified"][4] == "-" for v in versions)

    marker = client.delete_object(bucket=bucket, key=key).raise_for_status()
    assert marker.fields["delete_marker"] is True
    result = client.list_object_versions(bucket=bucket, prefix="doc").response["ListVersionsResult"]
    assert [(m["Key"], m["VersionId"], m["IsLatest"]) for m in result["DeleteMarker"]] == [
        (key, marker.fields["version_id"], True)
    ]
    assert [v["IsLatest"] for v in result["Version"]] == [False, False]

    # one entry a page, following both markers, gives the same three entries
    seen: list[str] = []
    key_marker = version_marker = None
    pages = 0
    while True:
        page = client.list_object_versions(
            bucket=bucket, max_keys=1, key_marker=key_marker, version_id_marker=version_marker
        ).response["ListVersionsResult"]
        pages += 1
        seen.extend(e["VersionId"] for e in page["Version"] + page["DeleteMarker"])
        if not page["IsTruncated"]:
            break
        key_marker, version_marker = page["NextKeyMarker"], page["NextVersionIdMarker"]
    assert pages == 3
    assert sorted(seen) == sorted(
        [first.fields["version_id"], second.fields["version_id"], marker.fields["version_id"]]
    )


# --- ListObjects (version 1) ---------------------------------------------------------------


def test_list_objects_v1(client: s3wire.Client, bucket: str) -> None:
    keys = ["a/1", "a/2", "b c/1", "top", "ü+x"]
    for key in keys:
        client.put_object(bucket=bucket, key=key, body=key.encode()).raise_for_status()

    result = client.list_objects(bucket=bucket).response["ListBucketResult"]
    assert [item["Key"] for item in result["Contents"]] == keys
    assert [item["Size"] for item in result["Contents"]] == [len(k.encode()) for k in keys]
    assert result["IsTruncated"] is False
    assert result["MaxKeys"] == 1000
    assert result["Marker"] == ""
    assert result["Name"] == bucket

    # pages of two: the next marker is NextMarker when given, else the page's last key
    seen: list[str] = []
    marker = None
    pages = 0
    while True:
        page = client.list_objects(bucket=bucket, max_keys=2, marker=marker).response[
            "ListBucketResult"
        ]
        pages += 1
        seen.extend(item["Key"] for item in page["Contents"])
        if not page["IsTruncated"]:
            break
        marker = page.get("NextMarker") or page["Contents"][-1]["Key"]
    assert seen == keys
    assert pages == 3

    rolled = client.list_objects(bucket=bucket, delimiter="/").response["ListBucketResult"]
    assert [p["Prefix"] for p in rolled["CommonPrefixes"]] == ["a/", "b c/"]
    assert [item["Key"] for item in rolled["Contents"]] == ["top", "ü+x"]
    after = client.list_objects(bucket=bucket, marker="b c/1", prefix="").response[
        "ListBucketResult"
    ]
    assert [item["Key"] for item in after["Contents"]] == ["top", "ü+x"]
    assert after["Marker"] == "b c/1"
