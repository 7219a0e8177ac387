"""copy_file on asyncio: copying.CopyPlan's requests awaited, the UploadPartCopy ranges of a
multipart copy as up to `concurrency` tasks."""

from __future__ import annotations

from typing import Any

from .._generated.async_operations import AsyncGeneratedOperations
from .._generated.records import CompletedPart
from ..limits import DEFAULT_CONCURRENCY, MAX_COPY
from ..response import Response
from .async_files import AsyncMultipartUpload
from .async_workers import run_tasks, take_from
from .copying import CopyPlan, Piece
from .files import upload_id_of
from .objectargs import ObjectArgs
from .progress import Progress, ProgressCallback


async def copy_file(
    client: AsyncGeneratedOperations,
    src_bucket: str,
    src_key: str,
    dst_bucket: str,
    dst_key: str,
    *,
    version_id: str | None = None,
    extra: ObjectArgs | None = None,
    concurrency: int = DEFAULT_CONCURRENCY,
    part_size: int | None = None,
    threshold: int = MAX_COPY,
    progress: ProgressCallback | None = None,
) -> Response[Any, Any]:
    """s3wire.transfer.copy_file on asyncio: one CopyObject up to `threshold`, else a
    multipart upload of UploadPartCopy ranges as `concurrency` tasks, pinned to the source's
    ETag, aborted on any failure (a cancellation too)."""
    plan = CopyPlan(src_bucket, src_key, dst_bucket, dst_key, version_id, extra, concurrency)
    head = (await client.head_object(**plan.head_args())).raise_for_status()
    plan.planned(head)
    meter = Progress(plan.size, progress)
    if plan.size <= threshold:
        copied = await client.copy_object(**plan.copy_args())
        copied.raise_for_status()
        meter.add(plan.size)
        return copied
    pieces = plan.pieces(part_size or client.part_size)
    created = await client.create_multipart_upload(**plan.create_args(head))
    upload = AsyncMultipartUpload(
        client, dst_bucket, dst_key, upload_id_of(created), ("md5",), plan.extra
    )
    parts: list[CompletedPart] = []

    async def copy_range(piece: Piece) -> None:
        number, (_, length, byte_range) = piece
        part_args = plan.part_args(upload.upload_id, number, byte_range)
        parts.append(plan.entry(number, await client.upload_part_copy(**part_args)))
        meter.add(length)

    try:
        await run_tasks(min(concurrency, len(pieces)), take_from(iter(pieces)), copy_range)
        return await upload.complete(parts)
    except BaseException:
        await upload.abort()
        raise
