"""upload_file and download_file against the real server: multipart with 5 MiB parts, failures."""

from __future__ import annotations

import errno
import hashlib
import io
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import s3wire

MIB = 1024 * 1024


@pytest.fixture
def small_parts(data: s3wire.ConnectionData) -> Iterator[s3wire.Client]:
    """A client whose part_size is S3's minimum, so a few MiB already go in parts."""
    with s3wire.Client(dict(data, part_size=5 * MIB)) as client:
        yield client


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def uploads_in_progress(client: s3wire.Client, bucket: str) -> list[Any]:
    listing = client.list_multipart_uploads(bucket=bucket).raise_for_status()
    return list(listing.response["ListMultipartUploadsResult"]["Upload"])


def test_a_file_goes_up_and_comes_down_in_parts(
    small_parts: s3wire.Client, bucket: str, tmp_path: Path
) -> None:
    source = tmp_path / "source.bin"
    source.write_bytes(os.urandom(12 * MIB + 321))
    done = small_parts.upload_file(
        bucket, "big/file.bin", source, content_type="application/x-test", metadata={"k": "v"}
    )
    assert done.status == 200
    assert done.response["CompleteMultipartUploadResult"]["Key"] == "big/file.bin"
    head = small_parts.head_object(bucket=bucket, key="big/file.bin").raise_for_status()
    assert head.fields["content_length"] == 12 * MIB + 321
    assert head.fields["etag"].endswith('-3"')  # three parts
    assert head.fields["content_type"] == "application/x-test"
    assert head.fields["metadata"] == {"k": "v"}
    assert uploads_in_progress(small_parts, bucket) == []

    dest = tmp_path / "dest.bin"
    dest.write_bytes(b"old content")
    answer = small_parts.download_file(bucket, "big/file.bin", dest)
    assert answer.fields["etag"] == head.fields["etag"]
    assert sha256(dest) == sha256(source)
    assert sorted(os.listdir(tmp_path)) == ["dest.bin", "source.bin"]


@pytest.mark.parametrize("size", [0, 1000, 6 * MIB])
def test_a_file_object_source(
    small_parts: s3wire.Client, bucket: str, tmp_path: Path, size: int
) -> None:
    content = os.urandom(size)
    small_parts.upload_file(bucket, "from-stream", io.BytesIO(content))
    small_parts.download_file(bucket, "from-stream", tmp_path / "out")
    assert (tmp_path / "out").read_bytes() == content


def test_a_failed_upload_leaves_no_parts(small_parts: s3wire.Client, bucket: str) -> None:
    class Failing(io.BytesIO):
        def read(self, size: int | None = -1) -> bytes:
            if self.tell() >= 5 * MIB:
                raise OSError(errno.EIO, "the disk went away")
            return super().read(size)

    with pytest.raises(s3wire.LocalFileError, match="upload_file: cannot read") as raised:
        small_parts.upload_file(bucket, "never", Failing(os.urandom(11 * MIB)))
    assert raised.value.errno == errno.EIO
    assert uploads_in_progress(small_parts, bucket) == []
    assert small_parts.head_object(bucket=bucket, key="never").status == 404


def test_a_full_disk_keeps_the_old_file_and_the_connection_usable(
    small_parts: s3wire.Client, bucket: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    content = os.urandom(12 * MIB)
    small_parts.put_object(bucket=bucket, key="to-a-full-disk", body=content).raise_for_status()
    dest = tmp_path / "dest.bin"
    dest.write_bytes(b"old content")

    def full(*_: object) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "pwrite", full)
    with pytest.raises(s3wire.LocalFileError) as raised:
        small_parts.download_file(bucket, "to-a-full-disk", dest)
    monkeypatch.undo()
    assert raised.value.errno == errno.ENOSPC and raised.value.filename == str(dest)
    assert dest.read_bytes() == b"old content"
    assert os.listdir(tmp_path) == ["dest.bin"]
    small_parts.download_file(bucket, "to-a-full-disk", dest)  # the same pooled connections
    assert dest.read_bytes() == content


def test_downloading_a_missing_key_keeps_the_old_file(
    client: s3wire.Client, bucket: str, tmp_path: Path
) -> None:
    dest = tmp_path / "keep.txt"
    dest.write_bytes(b"good data")
    with pytest.raises(s3wire.S3Error) as raised:
        client.download_file(bucket, "missing", dest)
    assert raised.value.status == 404
    assert dest.read_bytes() == b"good data"
    assert os.listdir(tmp_path) == ["keep.txt"]


def test_an_object_replaced_mid_download_is_refused(
    small_parts: s3wire.Client, bucket: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a multipart object (no MD5 ETag: it comes in ranges, the second of which finds it replaced)
    small_parts.upload_file(bucket, "moving", io.BytesIO(os.urandom(11 * MIB)))
    real_get = small_parts.get_object

    def get_then_replace(**kwargs: Any) -> Any:
        answer = real_get(**kwargs)
        small_parts.put_object(bucket=bucket, key="moving", body=b"replaced").raise_for_status()
        return answer

    monkeypatch.setattr(small_parts, "get_object", get_then_replace)
    dest = tmp_path / "out"
    dest.write_bytes(b"before")
    with pytest.raises(s3wire.PreconditionFailedError) as raised:
        small_parts.download_file(bucket, "moving", dest, concurrency=1)
    assert raised.value.status == 412
    assert dest.read_bytes() == b"before"
    assert os.listdir(tmp_path) == ["out"]


@pytest.mark.parametrize("size", [0, 1000])
def test_a_pipe_source(small_parts: s3wire.Client, bucket: str, tmp_path: Path, size: int) -> None:
    """A stream that cannot seek (unknown size) goes up as a multipart upload."""
    content = os.urandom(size)
    read_end, write_end = os.pipe()
    os.write(write_end, content)
    os.close(write_end)
    with open(read_end, "rb") as pipe:
        small_parts.upload_file(bucket, "from-pipe", pipe)
    small_parts.download_file(bucket, "from-pipe", tmp_path / "out")
    assert (tmp_path / "out").read_bytes() == content
