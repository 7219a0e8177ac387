"""Transfer options against the real server: what upload_file sets is what HeadObject and
GetObjectTagging show, small and multipart; SSE-C objects go up in parts and come down in ranges."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

import s3wire
from s3wire.transfer import ObjectArgs

MIB = 1024 * 1024
KEY = os.urandom(32)


@pytest.fixture
def small_parts(data: s3wire.ConnectionData) -> Iterator[s3wire.Client]:
    with s3wire.Client(dict(data, part_size=5 * MIB)) as client:
        yield client


@pytest.mark.parametrize("size", [1000, 11 * MIB])
def test_what_an_upload_sets_is_what_the_object_shows(
    small_parts: s3wire.Client, bucket: str, tmp_path: Path, size: int
) -> None:
    source = tmp_path / "report.pdf"
    source.write_bytes(os.urandom(size))
    extra = ObjectArgs(
        storage_class="STANDARD",
        tagging={"team": "data & ops", "tier": "1"},
        cache_control="max-age=3600",
        content_disposition='attachment; filename="r.pdf"',
        content_language="en",
    )
    small_parts.upload_file(bucket, "r", source, metadata={"Owner": "ada"}, extra=extra)
    head = small_parts.head_object(bucket=bucket, key="r").raise_for_status()
    assert head.headers["Content-Type"] == "application/pdf"
    assert head.fields["metadata"] == {"owner": "ada"}
    assert head.headers["Cache-Control"] == "max-age=3600"
    assert head.headers["Content-Disposition"] == 'attachment; filename="r.pdf"'
    assert head.headers["Content-Language"] == "en"
    assert head.fields["content_length"] == size
    if size > 5 * MIB:
        # radosgw drops x-amz-tagging on CreateMultipartUpload (GetObjectTagging answers an
        # empty 200); that every multipart create sends it is test_transfer_args' business.
        return
    tags = small_parts.get_object_tagging(bucket=bucket, key="r").raise_for_status()
    tag_set = tags.response["Tagging"]["TagSet"]["Tag"]
    assert {t["Key"]: t["Value"] for t in tag_set} == {"team": "data & ops", "tier": "1"}


def test_an_sse_c_object_goes_up_in_parts_and_comes_down_in_ranges(
    small_parts: s3wire.Client, bucket: str, tmp_path: Path
) -> None:
    source, dest = tmp_path / "secret.bin", tmp_path / "back.bin"
    source.write_bytes(os.urandom(11 * MIB + 7))
    extra = ObjectArgs(sse_customer_key=KEY)
    small_parts.upload_file(bucket, "s", source, extra=extra)
    refused = small_parts.head_object(bucket=bucket, key="s")  # without the key: refused
    assert refused.status == 400
    small_parts.download_file(bucket, "s", dest, part_size=5 * MIB, extra=extra)
    assert dest.read_bytes() == source.read_bytes()
    # A copy of an SSE-C source: radosgw answers 501 NotImplemented to
    # x-amz-copy-source-server-side-encryption-customer-*; test_transfer_args checks the headers.


def test_a_folder_uploaded_with_sse_c_is_skipped_the_second_time(
    small_parts: s3wire.Client, bucket: str, tmp_path: Path
) -> None:
    """An SSE-C (or SSE-KMS) object's ETag is no MD5 of its bytes, though it looks like one: an
    unchanged file is told by the mtime stored with it, not uploaded again each time."""
    (tmp_path / "a.txt").write_bytes(b"alpha" * 100)
    (tmp_path / "b.bin").write_bytes(os.urandom(6 * MIB))  # multipart
    extra = ObjectArgs(sse_customer_key=KEY)
    first = small_parts.upload_dir(tmp_path, bucket, "enc", extra=extra)
    assert sorted(first.transferred) == ["enc/a.txt", "enc/b.bin"]
    again = small_parts.upload_dir(tmp_path, bucket, "enc", extra=extra)
    assert (again.transferred, sorted(again.skipped)) == ([], ["enc/a.txt", "enc/b.bin"])
    (tmp_path / "a.txt").write_bytes(b"ALPHA" * 100)  # same size, new bytes and mtime
    os.utime(tmp_path / "a.txt", ns=(1, 1))
    assert small_parts.upload_dir(tmp_path, bucket, "enc", extra=extra).transferred == ["enc/a.txt"]
