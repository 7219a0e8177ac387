"""AsyncClient: the connection plus every catalog operation as `async def`, on asyncio.

Generated from the same catalog as Client (s3wire._generated.async_operations, rendered from
the same template); the request building, signing, XML parsing and retry decisions are
Client's own (s3wire._core). Importing s3wire does not import this module or asyncio.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any

from . import paginate
from ._async_base import Payload
from ._core import check_transport, settings_for
from ._generated.async_operations import AsyncGeneratedOperations
from .limits import DEFAULT_CONCURRENCY, MAX_COPY
from .response import Response

if TYPE_CHECKING:  # the transfer helpers are imported when a transfer is asked for
    from .credentials_api import CredentialProvider
    from .transfer.dirsync import SyncResult
    from .transfer.files import Checksum, Source
    from .transfer.objectargs import ObjectArgs
    from .transfer.progress import ProgressCallback
    from .transport_api import AsyncTransport


class AsyncClient(AsyncGeneratedOperations):
    """An S3 client for asyncio: `AsyncClient(data)` or `AsyncClient(url=..., ...)`, as Client.

    Every S3 operation is an `async def` method with Client's keyword arguments and answers
    (`await client.put_object(bucket="b", key="k", body=b"...")`). Use it as an async context
    manager, or `await client.close()`, to release pooled connections.

    Requests go through `transport=` when given (any s3wire.transport_api.AsyncTransport, such
    as s3wire.testing.AsyncMockTransport; the client closes it), else through s3wire's
    AsyncSocketTransport made from the connection data's timeouts, verify and
    max_answer_bytes. Keys come from the data or from `credentials=` (a provider; one that
    must fetch is asked on a worker thread, never blocking the event loop).
    """

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        /,
        *,
        transport: AsyncTransport | None = None,
        credentials: CredentialProvider | None = None,
        **options: Any,
    ) -> None:
        settings = settings_for(data, options, credentials)
        super().__init__(settings, check_transport(transport), credentials)

    @classmethod
    def from_env(
        cls,
        profile: str | None = None,
        *,
        transport: AsyncTransport | None = None,
        **options: Any,
    ) -> AsyncClient:
        """A client configured the AWS way, as Client.from_env (options, then AWS_*
        environment variables, then the AWS profile); temporary credentials are refreshed off
        the event loop. Raises ParamError (MissingSettingsError) naming any missing setting."""
        from . import credentials  # the credential chain, only when asked for

        data, provider = credentials.resolve(profile, **options)
        return cls(data, transport=transport, credentials=provider)

    async def request(
        self,
        method: str,
        path_or_url: str,
        body: Payload | None = None,
        headers: Mapping[str, str] | None = None,
        *,
        allow_other_host: bool = False,
    ) -> Response[dict[str, Any], dict[str, Any]]:
        """Send any signed request, as Client.request (the same rules for paths and URLs)."""
        return await self._exchange(
            self._raw_request(method, path_or_url, body, headers, allow_other_host)
        )

    def paginate(self, operation_name: str, **params: Any) -> AsyncIterator[Response[Any, Any]]:
        """Every page of a listing, as an async iterator:
        `async for page in client.paginate("list_objects_v2", bucket="b")`.

        As Client.paginate: the pages until the last one or an error answer (yielded, not
        raised); ParamError at once when the operation is unknown or does not paginate.
        """
        operation = paginate.paginated(operation_name)
        return _pages(getattr(self, operation_name), operation, params)

    def presigned_url(
        self,
        method: str,
        bucket: str,
        key: str,
        expires: int = 3600,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, str] | None = None,
    ) -> str:
        """A presigned URL, as Client.presigned_url (no I/O, so not a coroutine)."""
        return self._presign(method, bucket, key, expires, headers, params)

    async def upload_file(
        self,
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
        """Store a file, as Client.upload_file: one PutObject below the part size, else a
        multipart upload of `concurrency` parts as tasks, aborted on any failure or
        cancellation; the file is read off the event loop. See
        s3wire.transfer.async_files.upload_file."""
        from .transfer import async_files

        return await async_files.upload_file(
            self,
            bucket,
            key,
            source,
            content_type=content_type,
            metadata=metadata,
            extra=extra,
            concurrency=concurrency,
            part_size=part_size,
            checksum=checksum,
            progress=progress,
        )

    async def download_file(
        self,
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
        """Save an object to dest, as Client.download_file (replaced only when complete and
        checked): ranged GETs as `concurrency` tasks, the file written off the event loop.
        See s3wire.transfer.async_files.download_file."""
        from .transfer import async_files

        return await async_files.download_file(
            self,
            bucket,
            key,
            dest,
            version_id=version_id,
            extra=extra,
            concurrency=concurrency,
            part_size=part_size,
            progress=progress,
        )

    async def copy_file(
        self,
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
        """Copy an object server-side, as Client.copy_file: CopyObject up to 5 GiB, else
        UploadPartCopy ranges as `concurrency` tasks. See
        s3wire.transfer.async_copying.copy_file."""
        from .transfer import async_copying

        return await async_copying.copy_file(
            self,
            src_bucket,
            src_key,
            dst_bucket,
            dst_key,
            version_id=version_id,
            extra=extra,
            concurrency=concurrency,
            part_size=part_size,
            threshold=threshold,
            progress=progress,
        )

    async def upload_dir(
        self,
        local_dir: str | os.PathLike[str],
        bucket: str,
        prefix: str = "",
        *,
        extra: ObjectArgs | None = None,
        concurrency: int = DEFAULT_CONCURRENCY,
        part_size: int | None = None,
        progress: ProgressCallback | None = None,
    ) -> SyncResult:
        """Upload a folder's files under prefix, `concurrency` at a time as tasks, skipping
        unchanged ones, as Client.upload_dir. See s3wire.transfer.async_dirsync.upload_dir."""
        from .transfer import async_dirsync

        return await async_dirsync.upload_dir(
            self,
            local_dir,
            bucket,
            prefix,
            extra=extra,
            concurrency=concurrency,
            part_size=part_size,
            progress=progress,
        )

    async def download_dir(
        self,
        bucket: str,
        prefix: str,
        local_dir: str | os.PathLike[str],
        *,
        extra: ObjectArgs | None = None,
        concurrency: int = DEFAULT_CONCURRENCY,
        part_size: int | None = None,
        progress: ProgressCallback | None = None,
    ) -> SyncResult:
        """Download the objects under prefix into a folder, `concurrency` at a time as tasks,
        skipping unchanged files and refusing keys that would escape it, as
        Client.download_dir. See s3wire.transfer.async_dirsync.download_dir."""
        from .transfer import async_dirsync

        return await async_dirsync.download_dir(
            self,
            bucket,
            prefix,
            local_dir,
            extra=extra,
            concurrency=concurrency,
            part_size=part_size,
            progress=progress,
        )

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()


async def _pages(
    call: Any, operation: paginate.PaginatedOperation, params: Mapping[str, Any]
) -> AsyncIterator[Response[Any, Any]]:
    """The pages, each awaited as the iteration asks for it (paginate.Paging decides)."""
    paging = paginate.Paging(operation.paginate, params, operation.name)
    while True:
        page: Response[Any, Any] = await call(**paging.params)
        yield page
        if not paging.advance(page):
            return
