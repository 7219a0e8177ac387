"""The filesystem's multipart writes on the transfer helpers' machinery (plan_upload,
AsyncMultipartUpload): the same per-part checksums as upload_file, and an abort on failure."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import IO, TYPE_CHECKING

from ..errors import S3Error
from ..transfer.async_files import AsyncMultipartUpload
from ..transfer.async_workers import off_loop, run_tasks
from ..transfer.files import Part, part_jobs, plan_upload, upload_id_of
from .errors import translated

if TYPE_CHECKING:
    from .._generated.records import CompletedPart
    from ..async_client import AsyncClient


class Upload:
    """One multipart upload of the filesystem: parts sent (each with its checksum, as
    upload_file sends them), then completed or aborted. Errors come as fsspec expects them
    (FileExistsS3Error for an exclusive write whose key exists, ...)."""

    def __init__(self, upload: AsyncMultipartUpload, path: str) -> None:
        self._upload = upload
        self._path = path
        self._parts: list[CompletedPart] = []

    @classmethod
    async def start(cls, client: AsyncClient, bucket: str, key: str) -> Upload:
        """CreateMultipartUpload for the key: its checksum declared, its content type guessed
        from the key's name (as upload_file does)."""
        plan = plan_upload(client, key, None, None, None, 1, None)
        path = f"{bucket}/{key}"
        try:
            created = await client.create_multipart_upload(**plan.create_args(bucket, key))
            upload_id = upload_id_of(created)
        except S3Error as error:
            raise translated(error, path) from None
        return cls(AsyncMultipartUpload(client, bucket, key, upload_id, *plan.part_checks()), path)

    async def send(self, part: Part, number: int | None = None) -> None:
        """Upload a part: the next one unless `number` is given."""
        number = len(self._parts) + 1 if number is None else number
        try:
            self._parts.append(await self._upload.send(number, part))
        except S3Error as error:
            raise translated(error, self._path) from None

    async def send_file(
        self,
        stream: IO[bytes],
        size: int,
        part_size: int,
        concurrency: int,
        sent: Callable[[int], object],
    ) -> None:
        """The rest of a file as parts of part_size, `concurrency` at a time, each read when a
        slot is free; sent(bytes) after each part."""
        jobs, workers = await off_loop(part_jobs, stream, size, part_size, concurrency)

        async def take() -> tuple[int, Part] | None:
            return await off_loop(next, jobs, None)

        async def send(job: tuple[int, Part]) -> None:
            await self.send(job[1], job[0])
            sent(len(job[1]))

        await run_tasks(workers, take, send)

    async def complete(self, exclusive: bool = False) -> None:
        """CompleteMultipartUpload (with `exclusive`, If-None-Match: FileExistsS3Error when the
        key exists); the upload is aborted when completing fails."""
        await self.aborting(self._complete(exclusive))

    async def _complete(self, exclusive: bool) -> None:
        try:
            await self._upload.complete(self._parts, "*" if exclusive else None)
        except S3Error as error:
            raise translated(error, self._path) from None

    async def aborting(self, work: Awaitable[object]) -> None:
        """Await work; when it fails (or is cancelled), abort the upload and raise."""
        try:
            await work
        except BaseException:
            await self.abort()
            raise

    async def abort(self) -> None:
        """AbortMultipartUpload: the parts sent are dropped (a failed abort warns)."""
        await self._upload.abort()
