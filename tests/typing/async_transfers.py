"""AsyncClient's transfers as a caller writes them, checked by `mypy --strict`, never run."""

from __future__ import annotations

from pathlib import Path

import s3wire
from s3wire.transfer import ObjectArgs, SyncResult


async def transfers(client: s3wire.AsyncClient, folder: Path) -> None:
    """Each helper awaited with Client's arguments; the answers typed as Client's."""

    def show(done: int, total: int) -> None:
        print(done, total)

    up = await client.upload_file(
        "b", "k", folder / "f", metadata={"a": "1"}, checksum="crc32", progress=show
    )
    with open(folder / "f", "rb") as stream:
        await client.upload_file("b", "k", stream, concurrency=4, part_size=8 * 1024 * 1024)
    head = await client.download_file("b", "k", folder / "g", extra=ObjectArgs())
    size: int = head.fields["content_length"]
    copied = await client.copy_file("b", "k", "b2", "k2", threshold=5 * 1024 * 1024)
    synced: SyncResult = await client.upload_dir(folder, "b", "prefix/")
    back: SyncResult = await client.download_dir("b", "prefix/", folder / "back")
    print(up.status, size, copied.status, synced.transferred, back.skipped)
