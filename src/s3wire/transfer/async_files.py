"""Whole-file transfers on asyncio: AsyncClient.upload_file and download_file.

The decisions are files.py's (UploadPlan, DownloadPlan, Multipart, the part jobs and ranges,
the checks of the ranges as they arrive, savefile's atomic replace); here they are awaited:
the parts and ranges go as up to `concurrency` tasks (async_workers.run_tasks), and every
read, write, fsync and rename of a local file, and every digest of a range, runs on a worker
thread, off the event loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import os
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from typing import IO, Any

from .._generated.async_operations import AsyncGeneratedOperations
from .._generated.records import CompletedPart
from ..errors import ResponseError, S3wireError
from ..limits import DEFAULT_CONCURRENCY
from ..localfile import local_file
from ..response import Response
from . import savefile
from .async_workers import off_loop, run_tasks, take_from, to_the_end
from .composite import PartsListing
from .files import (
    DOWNLOAD_RANGE,
    Checksum,
    DownloadPlan,
    Multipart,
    Part,
    Source,
    check_concurrency,
    checked_args,
    opened,
    part_jobs,
    part_size_for,
    plan_upload,
    put_digests,
    remaining,
    upload_id_of,
)
from .filewindow import DownloadWindow, RangeBuffer
from .objectargs import ObjectArgs
from .progress import Progress, ProgressCallback
from .rangecheck import Range, RangeCheck


async def upload_file(
    client: AsyncGeneratedOperations,
    bucket: str,
    key: str,
    source: Source,
    *,
    content_type: str | None = None,
    metadata: Mapping[str, str] | None = None,
    extra: ObjectArgs | None = None,
    concurrency: int = DEFAULT_CONCURRENCY,
    part_size: int | None = None,
    checksum: Checksum | None = None,
    progress: ProgressCallback | None = None,
) -> Response[Any, Any]:
    """s3wire.transfer.upload_file on asyncio: one PutObject below the part size, else a
    multipart upload whose parts go up as `concurrency` tasks, each read (on a worker thread)
    only when a slot is free; the same checksums, content type, metadata and options. On any
    failure, a cancellation too, the upload is aborted before the exception goes on."""
    plan = plan_upload(client, source, content_type, metadata, extra, concurrency, checksum)
    with local_file("upload_file: cannot read", source):
        async with _opened(source) as stream:
            size = await off_loop(remaining, stream)
            chosen = part_size_for(size, part_size or client.part_size)
            meter = Progress(size if size is not None else 0, progress)
            if size is not None and size < chosen:
                given = await off_loop(put_digests, stream, plan.digests)
                answer = await client.put_object(**plan.put_args(bucket, key, stream, given))
                answer.raise_for_status()
                meter.add(size)
                return answer
            created = await client.create_multipart_upload(**plan.create_args(bucket, key))
            upload = AsyncMultipartUpload(
                client, bucket, key, upload_id_of(created), *plan.part_checks()
            )
            try:
                parts: list[CompletedPart] = []

                async def send(job: tuple[int, Part]) -> None:
                    parts.append(await upload.send(*job))
                    meter.add(len(job[1]))

                jobs, workers = await off_loop(part_jobs, stream, size, chosen, concurrency)
                await run_tasks(workers, lambda: off_loop(_next, jobs), send)
                return await upload.complete(parts)
            except BaseException:
                await upload.abort()
                raise


async def download_file(
    client: AsyncGeneratedOperations,
    bucket: str,
    key: str,
    dest: str | os.PathLike[str],
    *,
    version_id: str | None = None,
    extra: ObjectArgs | None = None,
    concurrency: int = DEFAULT_CONCURRENCY,
    part_size: int | None = None,
    progress: ProgressCallback | None = None,
) -> Response[Any, Any]:
    """s3wire.transfer.download_file on asyncio: HeadObject, then one GetObject or ranged
    GETs as `concurrency` tasks, conditional on the ETag, into a private temporary file beside
    dest that replaces it only once every byte arrived and was checked (a partial or corrupt
    download leaves dest as it was). Each range is written in place as it arrives (on a worker
    thread), but for an object checked only by its MD5 ETag, whose ranges are held in memory
    (at most `concurrency`) until their turn to feed it. Answers the HeadObject Response."""
    check_concurrency(concurrency)
    directory, name = os.path.split(os.path.abspath(os.fspath(dest)))
    with local_file("download_file: cannot write", dest):
        folder = await off_loop(savefile.open_folder, directory)
        try:
            return await save_object(
                client,
                bucket,
                key,
                folder,
                name,
                version_id=version_id,
                extra=extra,
                concurrency=concurrency,
                part_size=part_size,
                progress=progress,
            )
        finally:
            await off_loop(os.close, folder)


async def save_object(
    client: AsyncGeneratedOperations,
    bucket: str,
    key: str,
    folder: int,
    name: str,
    *,
    version_id: str | None = None,
    extra: ObjectArgs | None = None,
    concurrency: int = DEFAULT_CONCURRENCY,
    part_size: int | None = None,
    progress: ProgressCallback | None = None,
    mtime: float | None = None,
) -> Response[Any, Any]:
    """download_file into the file `name` of an open folder (a descriptor), as
    files.save_object."""
    check_concurrency(concurrency)
    plan = DownloadPlan(
        bucket, key, version_id, checked_args(extra), durable=client.fsync_downloads
    )
    head = (await client.head_object(**plan.head_args(client))).raise_for_status()
    plan.planned(head, part_size or min(client.part_size, DOWNLOAD_RANGE), in_order=True)
    meter = Progress(plan.size, progress)
    turns = _Turns()
    if plan.lists_parts:
        plan.listed(await composite_check(client, plan, head.headers))
    saved = await off_loop(savefile.Saving, folder, name)
    try:
        fd = saved.fd
        await off_loop(os.ftruncate, fd, plan.size)

        async def fetch(piece: Range) -> None:
            _, length, byte_range = piece
            if plan.in_order is None:  # written in place as it arrives, off the loop
                window = plan.window(fd, piece)
                answer = await client.get_object(
                    **plan.get_args(byte_range), into=WindowOffLoop(window)
                )
                answer.raise_for_status()
                await off_loop(plan.arrived, fd, piece, window)
            else:  # held until its turn to feed the check, then written
                buffer = RangeBuffer(length)
                answer = await client.get_object(**plan.get_args(byte_range), into=buffer)
                answer.raise_for_status()
                check, data = plan.in_order, buffer.received()
                await turns.take(piece, lambda: off_loop(check.update, data))
                await off_loop(_store, plan, fd, piece, buffer.received())
            meter.add(length)

        await run_tasks(min(concurrency, len(plan.pieces)), take_from(iter(plan.pieces)), fetch)
        await off_loop(plan.verify)
        await off_loop(saved.commit, mtime, durable=plan.durable)
    finally:
        if not saved.committed:
            await off_loop(saved.discard)
    return head


async def composite_check(
    client: AsyncGeneratedOperations, plan: DownloadPlan, head: Mapping[str, str]
) -> RangeCheck | None:
    """composite.composite_check, its GetObjectAttributes awaited."""
    listing = PartsListing(plan.bucket, plan.key, head, plan.version_id, plan.reads)
    while (request := listing.request()) is not None:
        try:
            listing.take(await client.get_object_attributes(**request))
        except ResponseError:  # a server that answers the object instead (radosgw 16)
            listing.take(None)
    return listing.check()


class AsyncMultipartUpload(Multipart[AsyncGeneratedOperations]):
    """One multipart upload on asyncio: its parts, its completion, its abort."""

    async def send(self, number: int, part: Part) -> CompletedPart:
        """Send one part, its digests read on a worker thread; answer its entry."""
        given = await off_loop(self.part_digests, part)
        answer = await self.client.upload_part(**self.part_args(number, part, given))
        return self.entry(number, given, answer)

    async def complete(
        self, parts: list[CompletedPart], if_none_match: str | None = None
    ) -> Response[Any, Any]:
        """CompleteMultipartUpload with the parts in order (S3Error for an error answer);
        `if_none_match` as Multipart.complete_args."""
        args = self.complete_args(parts, if_none_match)
        return (await self.client.complete_multipart_upload(**args)).raise_for_status()

    async def abort(self) -> None:
        """Abort the upload, to its end even when the caller is being cancelled; warn if that
        fails too."""
        try:
            answer = await to_the_end(self.client.abort_multipart_upload(**self.abort_args()))
        except S3wireError as exc:
            self.aborted(exc)
        else:
            self.aborted(answer)


@contextlib.asynccontextmanager
async def _opened(source: Source) -> AsyncIterator[IO[bytes]]:
    """files.opened, its open and close on a worker thread."""
    manager = opened(source)
    stream = await off_loop(manager.__enter__)
    try:
        yield stream
    finally:
        await off_loop(manager.__exit__, None, None, None)


def _next(jobs: Iterator[tuple[int, Part]]) -> tuple[int, Part] | None:
    """The next part (read from the stream when it is not a regular file), or None."""
    return next(jobs, None)


class _Turns:
    """Ranges taken in order: each waits until every range before it was (for a check that
    cannot be made of pieces, an MD5: fed each range as its turn comes, from memory). The
    ranges are started in order, so the one a range waits for is done or on its way; at most
    `concurrency` ranges are held."""

    def __init__(self) -> None:
        self._at = 0
        self._changed = asyncio.Condition()

    async def take(self, piece: Range, work: Callable[[], Awaitable[object]]) -> None:
        """Await work() once the ranges before `piece` were taken."""
        first, length, _ = piece
        async with self._changed:
            await self._changed.wait_for(lambda: self._at == first)
            await work()
            self._at = first + length
            self._changed.notify_all()


class WindowOffLoop:
    """A DownloadWindow as an async writer for AsyncClient's `into=`: each chunk written (and
    its digests computed) on a worker thread; a failed try puts it back (seek, truncate) as
    the sync client does the window itself."""

    def __init__(self, window: DownloadWindow) -> None:
        self.window = window

    async def write(self, data: bytes) -> None:
        await off_loop(self.window.write, data)

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.window.tell()

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        return self.window.seek(offset, whence)

    def truncate(self, size: int | None = None) -> int:
        return self.window.truncate(size)


def _store(plan: DownloadPlan, fd: int, piece: Range, data: memoryview) -> None:
    """Write a range that arrived into its place in the file, its digests computed on the
    way from memory (a worker thread's job)."""
    window = plan.window(fd, piece)
    window.write(data)
    plan.arrived(fd, piece, window)
