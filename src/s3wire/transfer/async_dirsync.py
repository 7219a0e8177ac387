"""upload_dir and download_dir on asyncio: dirsync's decisions awaited, `concurrency` files at
a time as tasks, every look at the local folder (walk, stat, MD5, open) on a worker thread."""

from __future__ import annotations

import os

from .. import paginate
from .._generated.async_operations import AsyncGeneratedOperations
from ..limits import DEFAULT_CONCURRENCY
from ..localfile import local_file
from .async_files import save_object, upload_file
from .async_workers import off_loop, run_tasks, take_from
from .dirsync import (
    Job,
    LocalFile,
    Remote,
    SyncResult,
    download_jobs,
    folder_prefix,
    head_verdict,
    local_files,
    local_verdict,
    open_target,
    open_top,
    remote_of,
    save_options,
    upload_options,
)
from .files import check_concurrency, checked_args
from .objectargs import ObjectArgs
from .progress import Progress, ProgressCallback


async def upload_dir(
    client: AsyncGeneratedOperations,
    local_dir: str | os.PathLike[str],
    bucket: str,
    prefix: str = "",
    *,
    extra: ObjectArgs | None = None,
    concurrency: int = DEFAULT_CONCURRENCY,
    part_size: int | None = None,
    progress: ProgressCallback | None = None,
) -> SyncResult:
    """s3wire.transfer.upload_dir on asyncio: every regular file under local_dir to prefix +
    its relative path, `concurrency` files at a time as tasks, unchanged ones skipped."""
    check_concurrency(concurrency)
    extra, prefix = checked_args(extra), folder_prefix(prefix)
    files = await off_loop(local_files, local_dir, prefix)
    remote = await _listing(client, bucket, prefix)
    meter = Progress(sum(stat.st_size for _, _, stat in files), progress)
    result = SyncResult()

    async def sync(job: LocalFile) -> None:
        path, key, stat = job
        with local_file("upload_dir: cannot read", path):
            same = await off_loop(local_verdict, path, stat, remote.get(key))
            if same is None:
                head = await client.head_object(bucket=bucket, key=key, **extra.each_request())
                same = head_verdict(head, stat)
            if same:
                result.skipped.append(key)
            else:
                options = upload_options(stat, extra, part_size)
                await upload_file(client, bucket, key, path, **options)
                result.transferred.append(key)
        meter.add(stat.st_size)

    await run_tasks(concurrency, take_from(iter(files)), sync)
    return result


async def download_dir(
    client: AsyncGeneratedOperations,
    bucket: str,
    prefix: str,
    local_dir: str | os.PathLike[str],
    *,
    extra: ObjectArgs | None = None,
    concurrency: int = DEFAULT_CONCURRENCY,
    part_size: int | None = None,
    progress: ProgressCallback | None = None,
) -> SyncResult:
    """s3wire.transfer.download_dir on asyncio: every object under prefix into local_dir,
    `concurrency` files at a time as tasks, with the same refusals of keys and links, the same
    skipping of unchanged files and each file's atomic replace."""
    check_concurrency(concurrency)
    root, prefix = os.path.abspath(os.fspath(local_dir)), folder_prefix(prefix)
    jobs = download_jobs(root, prefix, await _listing(client, bucket, prefix))
    meter = Progress(sum(item.size for _, _, item in jobs), progress)
    result = SyncResult()
    top = await off_loop(open_top, root)  # the boundary: nothing is written outside it

    async def sync(job: Job) -> None:
        key, segments, item = job
        shown = os.path.join(root, *segments)
        with local_file("download_dir: cannot write", shown):
            folder, same = await off_loop(open_target, top, segments, shown, item)
            try:
                if same:
                    result.skipped.append(key)
                else:
                    options = save_options(extra, part_size, item)
                    await save_object(client, bucket, key, folder, segments[-1], **options)
                    result.transferred.append(key)
            finally:
                await off_loop(os.close, folder)
        meter.add(item.size)

    try:
        await run_tasks(concurrency, take_from(iter(jobs)), sync)
    finally:
        await off_loop(os.close, top)
    return result


async def _listing(client: AsyncGeneratedOperations, bucket: str, prefix: str) -> dict[str, Remote]:
    """Every object under prefix: key -> size, ETag, Last-Modified (paginate.objects' walk:
    keys asked URL-encoded and decoded, a looping server refused)."""
    listing = paginate.OBJECTS
    operation = paginate.paginated(listing.method)
    params = {"bucket": bucket, "prefix": prefix or None, "encoding_type": "url"}
    paging = paginate.Paging(operation.paginate, params, operation.name)
    found: dict[str, Remote] = {}
    while True:
        page = await client.list_objects_v2(**paging.params)
        if page.ok:
            paginate.decode(listing, page.response, paging.params)
        for item in page.raise_for_status().response["ListBucketResult"].get("Contents", []):
            found[item["Key"]] = remote_of(item)
        if not paging.advance(page):
            return found
