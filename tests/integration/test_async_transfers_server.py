"""AsyncClient's transfers against the real server: a file in 5 MiB parts up and down, copies
in one request and in parts, failed and cancelled uploads aborted, a folder both ways."""

from __future__ import annotations

import asyncio
import errno
import io
import os
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from test_transfers import sha256, uploads_in_progress

import s3wire

MIB = 1024 * 1024


def test_a_file_goes_up_and_comes_down_in_parts(
    data: s3wire.ConnectionData, client: s3wire.Client, bucket: str, tmp_path: Path
) -> None:
    source = tmp_path / "source.bin"
    source.write_bytes(os.urandom(12 * MIB + 321))
    dest = tmp_path / "dest.bin"
    dest.write_bytes(b"old content")
    seen: list[tuple[int, int]] = []

    async def main() -> tuple[s3wire.Response[Any, Any], s3wire.Response[Any, Any]]:
        async with s3wire.AsyncClient(dict(data, part_size=5 * MIB)) as aio:
            done = await aio.upload_file(
                bucket, "big/file.bin", source, metadata={"k": "v"}, concurrency=3
            )
            got = await aio.download_file(
                bucket, "big/file.bin", dest, part_size=5 * MIB, progress=lambda *s: seen.append(s)
            )
            return done, got

    done, got = asyncio.run(main())
    assert done.response["CompleteMultipartUploadResult"]["Key"] == "big/file.bin"
    head = client.head_object(bucket=bucket, key="big/file.bin").raise_for_status()
    assert head.fields["etag"].endswith('-3"')  # three parts
    assert head.fields["metadata"] == {"k": "v"}
    assert got.fields["etag"] == head.fields["etag"]
    assert sha256(dest) == sha256(source)
    assert sorted(os.listdir(tmp_path)) == ["dest.bin", "source.bin"]
    assert seen[-1] == (12 * MIB + 321, 12 * MIB + 321)
    assert uploads_in_progress(client, bucket) == []


def test_copy_file_copies_in_parts_above_the_threshold(
    data: s3wire.ConnectionData, client: s3wire.Client, bucket: str
) -> None:
    body = os.urandom(11 * MIB)
    client.put_object(bucket=bucket, key="src", body=body, content_type="text/x-test")

    async def main() -> None:
        async with s3wire.AsyncClient(data) as aio:
            await aio.copy_file(bucket, "src", bucket, "small-copy")
            await aio.copy_file(
                bucket, "src", bucket, "parts-copy", threshold=5 * MIB, part_size=5 * MIB
            )

    asyncio.run(main())
    for key in ("small-copy", "parts-copy"):
        answer = client.get_object(bucket=bucket, key=key).raise_for_status()
        assert answer.body == body
        assert answer.fields["content_type"] == "text/x-test"
    parts = client.head_object(bucket=bucket, key="parts-copy").raise_for_status()
    assert parts.fields["etag"].endswith('-3"')


class Slow(io.BytesIO):
    """A stream (not a regular file: read part by part) that fails, or stalls, past 5 MiB."""

    def __init__(self, data: bytes, fail: bool) -> None:
        super().__init__(data)
        self.fail, self.reached = fail, threading.Event()

    def read(self, size: int | None = -1) -> bytes:
        if self.tell() >= 5 * MIB:
            self.reached.set()
            if self.fail:
                raise OSError(errno.EIO, "the disk went away")
            time.sleep(0.3)
        return super().read(size)


@pytest.mark.parametrize("fail", [True, False], ids=["failed", "cancelled"])
def test_a_failed_or_cancelled_upload_leaves_no_parts(
    data: s3wire.ConnectionData, client: s3wire.Client, bucket: str, fail: bool
) -> None:
    stream = Slow(os.urandom(11 * MIB), fail)

    async def main() -> None:
        async with s3wire.AsyncClient(dict(data, part_size=5 * MIB)) as aio:
            upload = asyncio.create_task(aio.upload_file(bucket, "never", stream, concurrency=1))
            if not fail:
                await asyncio.to_thread(stream.reached.wait, 30)
                upload.cancel()
            await upload

    with pytest.raises(s3wire.LocalFileError if fail else asyncio.CancelledError):
        asyncio.run(main())
    assert stream.reached.is_set()
    assert uploads_in_progress(client, bucket) == []
    assert client.head_object(bucket=bucket, key="never").status == 404


def test_a_folder_goes_up_and_comes_down(
    data: s3wire.ConnectionData, client: s3wire.Client, bucket: str, tmp_path: Path
) -> None:
    local = tmp_path / "up"
    (local / "deep" / "er").mkdir(parents=True)
    files = {"a.txt": b"a", "deep/b.bin": os.urandom(6 * MIB), "deep/er/c d.txt": b"c"}
    for name, content in files.items():
        (local / name).write_bytes(content)

    async def main() -> list[s3wire.transfer.SyncResult]:
        async with s3wire.AsyncClient(dict(data, part_size=5 * MIB)) as aio:
            return [
                await aio.upload_dir(local, bucket, "tree", concurrency=2),
                await aio.upload_dir(local, bucket, "tree"),
                await aio.download_dir(bucket, "tree", tmp_path / "down"),
                await aio.download_dir(bucket, "tree", tmp_path / "down"),
            ]

    up, up_again, down, down_again = asyncio.run(main())
    keys = sorted(f"tree/{name}" for name in files)
    assert (sorted(up.transferred), sorted(up_again.skipped)) == (keys, keys)
    assert (sorted(down.transferred), sorted(down_again.skipped)) == (keys, keys)
    assert {name: (tmp_path / "down" / name).read_bytes() for name in files} == files
    head = client.head_object(bucket=bucket, key="tree/deep/b.bin").raise_for_status()
    assert head.fields["etag"].endswith('-2"')  # in parts
