"""Parallel transfers against the real server: a 100+ MiB round trip, clean failure, server-side
copies in parts, folder sync. Path style only: the addressing is covered by test_transfers.py."""

from __future__ import annotations

import hashlib
import io
import os
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import s3wire

MIB = 1024 * 1024


@pytest.fixture
def addressing() -> str:
    return "path"


@pytest.fixture
def small_parts(data: s3wire.ConnectionData) -> Iterator[s3wire.Client]:
    with s3wire.Client(dict(data, part_size=5 * MIB)) as client:
        yield client


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for chunk in iter(lambda: file.read(MIB), b""):
            digest.update(chunk)
    return digest.hexdigest()


def uploads_in_progress(client: s3wire.Client, bucket: str) -> list[Any]:
    listing = client.list_multipart_uploads(bucket=bucket).raise_for_status()
    return list(listing.response["ListMultipartUploadsResult"]["Upload"])


def test_a_100_mib_file_round_trips_in_parallel_parts(
    small_parts: s3wire.Client, bucket: str, tmp_path: Path
) -> None:
    source = tmp_path / "source.bin"
    with open(source, "wb") as file:
        for _ in range(105):
            file.write(os.urandom(MIB))
        file.write(b"tail")
    seen: list[tuple[int, int]] = []
    small_parts.upload_file(
        bucket, "big", source, concurrency=8, progress=lambda *a: seen.append(a)
    )
    head = small_parts.head_object(bucket=bucket, key="big").raise_for_status()
    assert head.fields["etag"].endswith('-22"')
    assert seen[-1] == (105 * MIB + 4, 105 * MIB + 4)
    assert uploads_in_progress(small_parts, bucket) == []
    small_parts.download_file(bucket, "big", tmp_path / "dest.bin", concurrency=8)
    assert sha256(tmp_path / "dest.bin") == sha256(source)
    assert sorted(os.listdir(tmp_path)) == ["dest.bin", "source.bin"]


def test_a_download_streams_its_ranges_in_bounded_memory(
    small_parts: s3wire.Client, bucket: str, tmp_path: Path
) -> None:
    """Each range goes from the socket into the file a chunk (256 KiB) at a time: peak memory
    is a few chunks per thread, however big the ranges and the object are."""
    data = os.urandom(MIB) * 48
    small_parts.put_object(bucket=bucket, key="big", body=data).raise_for_status()
    concurrency = 4
    tracemalloc.start()
    try:
        small_parts.download_file(
            bucket, "big", tmp_path / "dest.bin", concurrency=concurrency, part_size=16 * MIB
        )
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (tmp_path / "dest.bin").read_bytes() == data
    assert peak < concurrency * MIB + 2 * MIB, peak / MIB


def test_crc32_parts_are_accepted(small_parts: s3wire.Client, bucket: str) -> None:
    content = os.urandom(11 * MIB)
    small_parts.upload_file(bucket, "crc", io.BytesIO(content), checksum="crc32")
    assert small_parts.get_object(bucket=bucket, key="crc").body == content


def test_radosgw_checks_a_parts_md5_but_not_its_crc32(
    small_parts: s3wire.Client, bucket: str
) -> None:
    """Why upload_file sends Content-MD5 unless told otherwise: radosgw 16 refuses a part whose
    MD5 is wrong, and stores one whose x-amz-checksum-crc32 is wrong (docs/transfers.md)."""
    wrong_md5, wrong_crc32 = "1B2M2Y8AsgTpgAmY7PhCfg==", "AAAAAA=="  # those of b"" and nothing
    created = small_parts.create_multipart_upload(
        bucket=bucket, key="k", checksum_algorithm="CRC32"
    )
    upload_id = created.raise_for_status().response["InitiateMultipartUploadResult"]["UploadId"]
    try:
        part = {"bucket": bucket, "key": "k", "upload_id": upload_id, "part_number": 1}
        refused = small_parts.upload_part(**part, body=io.BytesIO(b"data"), content_md5=wrong_md5)
        assert (refused.status, refused.response["Error"]["Code"]) == (400, "BadDigest")
        taken = small_parts.upload_part(
            **part, body=io.BytesIO(b"data"), checksum_crc32=wrong_crc32
        )
        assert taken.status == 200
    finally:
        small_parts.abort_multipart_upload(bucket=bucket, key="k", upload_id=upload_id)


def test_a_part_failing_mid_upload_leaves_nothing(
    small_parts: s3wire.Client, bucket: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_upload_part = small_parts.upload_part

    def failing(**kwargs: Any) -> Any:
        if kwargs["part_number"] == 4:
            raise s3wire.TransportError("the network went away")
        return real_upload_part(**kwargs)

    monkeypatch.setattr(small_parts, "upload_part", failing)
    with pytest.raises(s3wire.TransportError, match="went away"):
        small_parts.upload_file(bucket, "never", io.BytesIO(os.urandom(40 * MIB)), concurrency=4)
    assert uploads_in_progress(small_parts, bucket) == []
    assert small_parts.head_object(bucket=bucket, key="never").status == 404


def test_an_object_replaced_before_the_ranges_is_refused(
    small_parts: s3wire.Client, bucket: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    small_parts.put_object(bucket=bucket, key="moving", body=os.urandom(11 * MIB))
    real_head = small_parts.head_object

    def head_then_replace(**kwargs: Any) -> Any:
        answer = real_head(**kwargs)
        small_parts.put_object(bucket=bucket, key="moving", body=b"replaced").raise_for_status()
        return answer

    monkeypatch.setattr(small_parts, "head_object", head_then_replace)
    with pytest.raises(s3wire.S3Error) as raised:
        small_parts.download_file(bucket, "moving", tmp_path / "out")
    assert raised.value.status == 412
    assert os.listdir(tmp_path) == []


def test_a_copy_above_the_threshold_goes_in_part_copies(
    small_parts: s3wire.Client, bucket: str
) -> None:
    content = os.urandom(12 * MIB + 5)
    small_parts.put_object(
        bucket=bucket, key="src", body=content, content_type="x/y", metadata={"a": "1"}
    ).raise_for_status()
    small_parts.copy_file(bucket, "src", bucket, "dst", threshold=MIB)
    head = small_parts.head_object(bucket=bucket, key="dst").raise_for_status()
    assert head.fields["etag"].endswith('-3"')
    assert (head.fields["content_type"], head.fields["metadata"]) == ("x/y", {"a": "1"})
    assert small_parts.get_object(bucket=bucket, key="dst").body == content
    small_parts.copy_file(bucket, "src", bucket, "small-copy")  # one CopyObject
    assert small_parts.get_object(bucket=bucket, key="small-copy").body == content
    assert uploads_in_progress(small_parts, bucket) == []


def test_folders_sync_both_ways_skipping_what_did_not_change(
    small_parts: s3wire.Client, bucket: str, tmp_path: Path
) -> None:
    local = tmp_path / "up"
    (local / "a" / "b").mkdir(parents=True)
    files = {"one.txt": b"1", "a/two.bin": os.urandom(6 * MIB), "a/b/three": b""}
    for name, content in files.items():
        (local / name).write_bytes(content)
    first = small_parts.upload_dir(local, bucket, "backup")
    assert sorted(first.transferred) == sorted(f"backup/{n}" for n in files)
    again = small_parts.upload_dir(local, bucket, "backup/")
    assert (again.transferred, sorted(again.skipped)) == ([], sorted(first.transferred))
    time.sleep(0.01)
    (local / "one.txt").write_bytes(b"2")
    assert small_parts.upload_dir(local, bucket, "backup").transferred == ["backup/one.txt"]

    down = tmp_path / "down"
    result = small_parts.download_dir(bucket, "backup", down)
    assert sorted(result.transferred) == sorted(first.transferred)
    for name, content in files.items():
        assert (down / name).read_bytes() == (b"2" if name == "one.txt" else content)
    result = small_parts.download_dir(bucket, "backup", down)
    assert (result.transferred, len(result.skipped)) == ([], 3)


def test_download_dir_refuses_a_key_escaping_the_folder(
    client: s3wire.Client, bucket: str, tmp_path: Path
) -> None:
    client.put_object(bucket=bucket, key="p/ok", body=b"x").raise_for_status()
    client.put_object(bucket=bucket, key="p/../../evil", body=b"x").raise_for_status()
    with pytest.raises(s3wire.ParamError, match="refusing key"):
        client.download_dir(bucket, "p/", tmp_path / "into")
    assert os.listdir(tmp_path) == []
