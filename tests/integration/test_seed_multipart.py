"""The seed library's manual multipart scenarios, each checked by the bytes it stores."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator

import pytest
import servers

import s3wire
from s3wire._generated.records import CompletedPart

MIB = 1024 * 1024


def md5_hex(data: bytes) -> str:
    return hashlib.md5(data).hexdigest()


def multipart_etag(parts: list[bytes]) -> str:
    """S3's ETag of a multipart object: the MD5 of the parts' MD5s, then "-" and their count."""
    joined = b"".join(hashlib.md5(part).digest() for part in parts)
    return f'"{hashlib.md5(joined).hexdigest()}-{len(parts)}"'


def upload_ids(client: s3wire.Client, bucket: str, **options: str) -> list[tuple[str, str]]:
    """(key, upload ID) of every upload ListMultipartUploads lists on its first page."""
    answer = client.list_multipart_uploads(bucket=bucket, **options).raise_for_status()
    return [
        (u["Key"], u["UploadId"]) for u in answer.response["ListMultipartUploadsResult"]["Upload"]
    ]


def start(client: s3wire.Client, bucket: str, key: str) -> str:
    created = client.create_multipart_upload(bucket=bucket, key=key)
    assert created.status == 200, created.response
    result = created.response["InitiateMultipartUploadResult"]
    assert (result["Bucket"], result["Key"]) == (bucket, key)
    upload_id = result["UploadId"]
    assert isinstance(upload_id, str) and upload_id
    return upload_id


@pytest.fixture
def mp_bucket(client: s3wire.Client, bucket: str) -> Iterator[str]:
    """The scratch bucket; uploads a test leaves unfinished are aborted afterwards."""
    yield bucket
    for key, upload_id in upload_ids(client, bucket):
        client.abort_multipart_upload(bucket=bucket, key=key, upload_id=upload_id)


def test_manual_multipart_upload(
    client: s3wire.Client, mp_bucket: str, s3_server: servers.S3Server
) -> None:
    bucket, key = mp_bucket, "big/ünï +part.bin"
    parts = [os.urandom(5 * MIB), os.urandom(MIB + 12345)]
    created = client.create_multipart_upload(
        bucket=bucket, key=key, content_type="application/x-parts", metadata={"colour": "blue"}
    )
    assert created.status == 200, created.response
    upload_id = created.response["InitiateMultipartUploadResult"]["UploadId"]
    assert created.response["InitiateMultipartUploadResult"]["Key"] == key

    completed: list[CompletedPart] = []
    for number, data in enumerate(parts, start=1):
        sent = client.upload_part(
            bucket=bucket, key=key, upload_id=upload_id, part_number=number, body=data
        )
        assert sent.status == 200, sent.response
        assert sent.fields["etag"] == f'"{md5_hex(data)}"'
        completed.append({"part_number": number, "etag": sent.fields["etag"]})

    listed = client.list_parts(bucket=bucket, key=key, upload_id=upload_id).raise_for_status()
    result = listed.response["ListPartsResult"]
    assert result["UploadId"] == upload_id
    assert result["Key"] == key
    assert result["IsTruncated"] is False
    assert [p["PartNumber"] for p in result["Part"]] == [1, 2]  # ints, in a list
    assert [p["Size"] for p in result["Part"]] == [len(p) for p in parts]
    assert [p["ETag"] for p in result["Part"]] == [c["etag"] for c in completed]
    assert all(p["LastModified"][4] == "-" for p in result["Part"])

    # a page of one part, then the next from NextPartNumberMarker (an int)
    first = client.list_parts(bucket=bucket, key=key, upload_id=upload_id, max_parts=1)
    page = first.response["ListPartsResult"]
    assert page["IsTruncated"] is True
    assert [p["PartNumber"] for p in page["Part"]] == [1]
    assert page["NextPartNumberMarker"] == 1
    rest = client.list_parts(
        bucket=bucket, key=key, upload_id=upload_id, part_number_marker=page["NextPartNumberMarker"]
    ).response["ListPartsResult"]
    assert [p["PartNumber"] for p in rest["Part"]] == [2]

    uploads = client.list_multipart_uploads(bucket=bucket).response["ListMultipartUploadsResult"]
    assert [(u["Key"], u["UploadId"]) for u in uploads["Upload"]] == [(key, upload_id)]
    assert uploads["Upload"][0]["Initiated"][4] == "-"
    assert uploads["IsTruncated"] is False

    done = client.complete_multipart_upload(
        bucket=bucket, key=key, upload_id=upload_id, parts=completed
    )
    assert done.status == 200, done.response
    result = done.response["CompleteMultipartUploadResult"]
    assert (result["Bucket"], result["Key"]) == (bucket, key)
    if s3_server.kind == "radosgw":
        assert result["ETag"] == ""  # radosgw 16 leaves the ETag of this answer empty
    else:
        assert result["ETag"] == multipart_etag(parts)

    got = client.get_object(bucket=bucket, key=key)
    assert got.status == 200
    assert hashlib.sha256(got.body).hexdigest() == hashlib.sha256(b"".join(parts)).hexdigest()
    assert got.fields["etag"] == multipart_etag(parts)
    assert got.fields["content_length"] == sum(len(p) for p in parts)
    assert got.fields["content_type"] == "application/x-parts"
    assert got.fields["metadata"] == {"colour": "blue"}
    assert upload_ids(client, bucket) == []  # completed: no longer in progress


def test_abort_multipart_upload(
    client: s3wire.Client, mp_bucket: str, s3_server: servers.S3Server
) -> None:
    bucket, key = mp_bucket, "abandoned + ü"
    upload_id = start(client, bucket, key)
    client.upload_part(
        bucket=bucket, key=key, upload_id=upload_id, part_number=1, body=b"some bytes"
    ).raise_for_status()
    assert upload_ids(client, bucket) == [(key, upload_id)]

    aborted = client.abort_multipart_upload(bucket=bucket, key=key, upload_id=upload_id)
    assert aborted.status == 204, aborted.response
    assert upload_ids(client, bucket) == []

    parts = client.list_parts(bucket=bucket, key=key, upload_id=upload_id)
    assert parts.status == 404
    # S3 answers NoSuchUpload; radosgw 16 answers NoSuchKey to ListParts (and only there)
    expected = "NoSuchKey" if s3_server.kind == "radosgw" else "NoSuchUpload"
    assert parts.response["Error"]["Code"] == expected
    late = client.upload_part(bucket=bucket, key=key, upload_id=upload_id, part_number=2, body=b"x")
    assert late.status == 404
    assert late.response["Error"]["Code"] == "NoSuchUpload"
    again = client.abort_multipart_upload(bucket=bucket, key=key, upload_id=upload_id)
    assert again.status == 404
    assert again.response["Error"]["Code"] == "NoSuchUpload"
    assert client.head_object(bucket=bucket, key=key).status == 404  # nothing was stored


def test_upload_part_copy(client: s3wire.Client, mp_bucket: str) -> None:
    bucket = mp_bucket
    source_key = "source dir/ünï+src.bin"
    source = os.urandom(10 * MIB + 100)  # two parts: every part but the last is >= 5 MiB
    client.put_object(bucket=bucket, key=source_key, body=source).raise_for_status()
    tail = os.urandom(1000)
    key = "assembled"
    upload_id = start(client, bucket, key)

    first = client.upload_part_copy(
        bucket=bucket,
        key=key,
        upload_id=upload_id,
        part_number=1,
        copy_source=f"{bucket}/{source_key}",
        copy_source_range=f"bytes=0-{5 * MIB - 1}",
    )
    assert first.status == 200, first.response
    first_result = first.response["CopyPartResult"]
    # radosgw 16 writes this ETag without quotes (and LastModified to the second)
    assert first_result["ETag"].strip('"') == md5_hex(source[: 5 * MIB])
    assert first_result["LastModified"][4] == "-"

    second = client.upload_part_copy(
        bucket=bucket,
        key=key,
        upload_id=upload_id,
        part_number=2,
        copy_source={"bucket": bucket, "key": source_key},
        copy_source_range=f"bytes={5 * MIB}-{len(source) - 1}",
    )
    assert second.status == 200, second.response
    assert second.response["CopyPartResult"]["ETag"].strip('"') == md5_hex(source[5 * MIB :])
    third = client.upload_part(
        bucket=bucket, key=key, upload_id=upload_id, part_number=3, body=tail
    ).raise_for_status()

    listed = client.list_parts(bucket=bucket, key=key, upload_id=upload_id).raise_for_status()
    assert [p["Size"] for p in listed.response["ListPartsResult"]["Part"]] == [
        5 * MIB,
        len(source) - 5 * MIB,
        len(tail),
    ]

    parts: list[CompletedPart] = [
        {"part_number": 1, "etag": first_result["ETag"]},
        {"part_number": 2, "etag": second.response["CopyPartResult"]["ETag"]},
        {"part_number": 3, "etag": third.fields["etag"]},
    ]
    client.complete_multipart_upload(
        bucket=bucket, key=key, upload_id=upload_id, parts=parts
    ).raise_for_status()
    got = client.get_object(bucket=bucket, key=key)
    assert hashlib.sha256(got.body).hexdigest() == hashlib.sha256(source + tail).hexdigest()


def test_list_multipart_uploads_by_page_and_prefix(
    client: s3wire.Client, mp_bucket: str, s3_server: servers.S3Server
) -> None:
    bucket = mp_bucket
    keys = ["logs/a", "logs/a", "logs/b c", "top ü"]
    started = [(key, start(client, bucket, key)) for key in keys]

    everything = upload_ids(client, bucket)
    assert sorted(everything) == sorted(started)

    seen: list[tuple[str, str]] = []
    key_marker = upload_id_marker = None
    pages = 0
    while True:
        page = client.list_multipart_uploads(
            bucket=bucket, max_uploads=1, key_marker=key_marker, upload_id_marker=upload_id_marker
        ).response["ListMultipartUploadsResult"]
        pages += 1
        assert page["MaxUploads"] == 1
        seen.extend((u["Key"], u["UploadId"]) for u in page["Upload"])
        if not page["IsTruncated"]:
            break
        key_marker, upload_id_marker = page["NextKeyMarker"], page["NextUploadIdMarker"]
    assert seen == everything
    assert pages == len(keys)

    assert sorted(upload_ids(client, bucket, prefix="logs/")) == sorted(started[:3])
    rolled = client.list_multipart_uploads(bucket=bucket, delimiter="/").response[
        "ListMultipartUploadsResult"
    ]
    assert [u["Key"] for u in rolled["Upload"]] == ["top ü"]
    if s3_server.kind == "radosgw":
        # radosgw 16 leaves out the uploads under a delimiter without rolling them up
        assert rolled["CommonPrefixes"] == []
    else:
        assert [p["Prefix"] for p in rolled["CommonPrefixes"]] == ["logs/"]

    for key, upload_id in started:
        client.abort_multipart_upload(
            bucket=bucket, key=key, upload_id=upload_id
        ).raise_for_status()
    assert upload_ids(client, bucket) == []
