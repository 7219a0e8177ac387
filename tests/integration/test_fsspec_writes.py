"""The filesystem's multipart writes (open() in write mode, put_file in create mode): each part
carries its checksum as upload_file's do, and an upload that fails or is left unclosed is
aborted (no upload stays behind on the server)."""

from __future__ import annotations

import base64
import gc
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import servers
from fsspec_setup import data_of, options_of, scratch_bucket

import s3wire
from s3wire.fsspec import S3WireFileSystem
from s3wire.integrity import base64_digest

MIB = 1024 * 1024


@pytest.fixture
def fs(s3_server: servers.S3Server) -> S3WireFileSystem:
    return S3WireFileSystem(**options_of(s3_server))


@pytest.fixture
def scratch(fs: S3WireFileSystem) -> Iterator[str]:
    with scratch_bucket(fs) as name:
        yield name


@pytest.fixture
def moto_fs(moto_server: servers.S3Server) -> S3WireFileSystem:
    """The filesystem of moto, which keeps the parts' checksums and honours If-None-Match on
    CompleteMultipartUpload (radosgw does neither)."""
    return S3WireFileSystem(**options_of(moto_server))


@pytest.fixture
def moto_scratch(moto_fs: S3WireFileSystem) -> Iterator[str]:
    with scratch_bucket(moto_fs, "s3wire-fsw") as name:
        yield name


def _uploads(fs: S3WireFileSystem, bucket: str) -> list[Any]:
    """The multipart uploads in progress in the bucket."""
    with s3wire.Client(data_of(fs.storage_options)) as client:
        listed = client.list_multipart_uploads(bucket=bucket).raise_for_status()
    return list(listed.response["ListMultipartUploadsResult"].get("Upload") or [])


def test_open_sends_each_part_with_its_checksum(
    moto_fs: S3WireFileSystem, moto_scratch: str
) -> None:
    """moto keeps the parts' CRC32s: HeadObject answers the CRC32 of them (the composite)."""
    content = os.urandom(11 * MIB)
    with moto_fs.open(f"{moto_scratch}/big", "wb", block_size=5 * MIB) as f:
        f.write(content)  # one write: still parts of block_size
    with s3wire.Client(data_of(moto_fs.storage_options)) as client:
        head = client.head_object(bucket=moto_scratch, key="big", checksum_mode="ENABLED")
    assert moto_fs.cat_file(f"{moto_scratch}/big") == content
    assert head.headers["ETag"].endswith('-3"')
    crcs = b"".join(
        base64.b64decode(base64_digest((content[at : at + 5 * MIB],), "crc32"))
        for at in range(0, len(content), 5 * MIB)
    )
    assert head.headers["x-amz-checksum-crc32"] == base64_digest((crcs,), "crc32")


def test_an_exclusive_write_beaten_to_its_key_is_aborted(
    moto_fs: S3WireFileSystem, moto_scratch: str
) -> None:
    path = f"{moto_scratch}/k"
    f = moto_fs.open(path, "xb", block_size=5 * MIB)
    f.write(b"x" * (6 * MIB))  # a part sent: the upload is under way
    moto_fs.pipe_file(path, b"the other writer's")
    with pytest.raises(FileExistsError):
        f.close()  # CompleteMultipartUpload refused (412): the upload is aborted
    assert f.closed and moto_fs.cat_file(path) == b"the other writer's"
    assert _uploads(moto_fs, moto_scratch) == []


def test_put_file_in_create_mode_refuses_an_existing_key_and_aborts(
    moto_server: servers.S3Server, moto_scratch: str, tmp_path: Path
) -> None:
    fs = S3WireFileSystem(**options_of(moto_server), part_size=5 * MIB)
    local = tmp_path / "big"
    local.write_bytes(os.urandom(11 * MIB))
    fs.put_file(str(local), f"{moto_scratch}/big", mode="create")  # 3 parts, sent at once
    assert fs.cat_file(f"{moto_scratch}/big") == local.read_bytes()
    assert fs.info(f"{moto_scratch}/big")["ETag"].endswith('-3"')
    with pytest.raises(FileExistsError):
        fs.put_file(str(local), f"{moto_scratch}/big", mode="create")
    assert _uploads(fs, moto_scratch) == []


def test_a_writer_dropped_unclosed_is_aborted(fs: S3WireFileSystem, scratch: str) -> None:
    f = fs.open(f"{scratch}/dropped", "wb", block_size=5 * MIB)
    f.write(b"x" * (6 * MIB))
    assert len(_uploads(fs, scratch)) == 1
    del f
    gc.collect()
    assert _uploads(fs, scratch) == []
    assert not fs.exists(f"{scratch}/dropped")


def test_a_part_that_fails_closes_the_writer(fs: S3WireFileSystem, scratch: str) -> None:
    f = fs.open(f"{scratch}/k", "wb", block_size=5 * MIB)
    f.write(b"x" * (6 * MIB))
    (upload,) = _uploads(fs, scratch)
    with s3wire.Client(data_of(fs.storage_options)) as client:  # gone under the writer
        client.abort_multipart_upload(bucket=scratch, key="k", upload_id=upload["UploadId"])
    with pytest.raises(s3wire.S3wireError):
        f.write(b"y" * (5 * MIB))  # the next part: NoSuchUpload
    assert f.closed
    assert not fs.exists(f"{scratch}/k") and _uploads(fs, scratch) == []
