"""Client: the connection plus every catalog operation and the handwritten helpers."""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any

from . import paginate
from ._base import Payload
from ._core import check_transport, settings_for
from ._generated.operations import GeneratedOperations
from .limits import DEFAULT_CONCURRENCY, MAX_COPY
from .response import Response

if TYPE_CHECKING:  # the transfer helpers are imported when a transfer is asked for
    from .credentials_api import CredentialProvider
    from .transfer.dirsync import SyncResult
    from .transfer.files import Checksum, Source
    from .transfer.objectargs import ObjectArgs
    from .transfer.progress import ProgressCallback
    from .transport_api import Transport


class Client(GeneratedOperations):
    """An S3 client: `Client(data)` with data from get_data_structure, or `Client(url=..., ...)`.

    Every S3 operation is a method named in snake_case taking keyword arguments
    (`client.put_object(bucket="b", key="k", body=b"...")`); each answers a Response.
    Use it as a context manager, or call close(), to release pooled connections.

    Requests go through `transport=` when given (any s3wire.transport_api.Transport, such as
    s3wire.testing.MockTransport; the client closes it), else through s3wire's SocketTransport
    made from the connection data's timeouts, verify and max_answer_bytes.

    Requests are signed with the connection data's keys, or with those of `credentials=` (a
    provider, s3wire.credentials_api; the data need not hold keys then), asked at every try.
    """

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        /,
        *,
        transport: Transport | None = None,
        credentials: CredentialProvider | None = None,
        **options: Any,
    ) -> None:
        settings = settings_for(data, options, credentials)
        super().__init__(settings, check_transport(transport), credentials)

    @classmethod
    def from_env(
        cls, profile: str | None = None, *, transport: Transport | None = None, **options: Any
    ) -> Client:
        """A client configured the AWS way: `options` (url, access_key, region, ...) first,
        then AWS_* environment variables, then the AWS profile (`profile`, else AWS_PROFILE,
        else "default") in ~/.aws/credentials and ~/.aws/config. See s3wire.credentials.
        Requests go through `transport`, as with Client(data, transport=...). Temporary
        credentials (a role, SSO, a container's or instance's) are refreshed before they
        expire (docs/credentials.md).

        Raises ParamError (MissingSettingsError) naming any setting no source had.
        """
        from . import credentials  # the credential chain, only when asked for

        data, provider = credentials.resolve(profile, **options)
        return cls(data, transport=transport, credentials=provider)

    def request(
        self,
        method: str,
        path_or_url: str,
        body: Payload | None = None,
        headers: Mapping[str, str] | None = None,
        *,
        allow_other_host: bool = False,
    ) -> Response[dict[str, Any], dict[str, Any]]:
        """Send any signed request: a path like "/bucket/key?tagging", or a full URL.

        `method` is an HTTP token (uppercased). The path and query may be given raw or
        percent-encoded (they are decoded, then encoded the SigV4 way, so a literal "%" in a key
        must be written "%25" and a "#" "%23"; control characters must be percent-encoded). A
        URL is sent over the scheme it names, to its host, which must be the connection's (or a
        bucket's virtual host under it, "bucket.host") unless `allow_other_host`; an http URL on
        an https connection is refused: it would carry the signature in plain text. The answer's
        XML body, if any, is parsed without a catalog shape; a 2xx answer is a success whatever
        its body holds (no catalog entry flags it error_in_200).
        """
        return self._exchange(
            self._raw_request(method, path_or_url, body, headers, allow_other_host)
        )

    def paginate(self, operation_name: str, **params: Any) -> Iterator[Response[Any, Any]]:
        """Every page of a listing: `client.paginate("list_objects_v2", bucket="b")`.

        Calls the operation with params, then again with the tokens each answer gives, until
        the last page or an error answer (yielded, not raised). ParamError when the operation
        is unknown or does not paginate; paginate.RepeatedTokenError when the server answers a
        token it answered before.
        """
        return paginate.pages(self, operation_name, params)

    def presigned_url(
        self,
        method: str,
        bucket: str,
        key: str,
        expires: int = 3600,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, str] | None = None,
    ) -> str:
        """A presigned URL for one request (GET, PUT, HEAD, DELETE or POST) on bucket/key.

        Valid `expires` seconds (1 to 604800); `params` are extra query parameters, `headers`
        those the requester must send with these values. The URL is a secret while valid.
        """
        return self._presign(method, bucket, key, expires, headers, params)

    def upload_file(
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
        """Store a file (path or binary file object): one PutObject below the part size, else
        a multipart upload of `concurrency` parallel parts, aborted on any failure. Error
        answers raise S3Error, a source that cannot be read LocalFileError. The content type
        is guessed from the name unless given ("": none); `extra` (ObjectArgs) sets
        storage class, ACL, tags, encryption (SSE-C on every part), requester-pays. See
        s3wire.transfer.upload_file."""
        from .transfer import files

        return files.upload_file(
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

    def download_file(
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
        """Save an object to dest (replaced only when complete and checked): parallel ranged
        GETs above the part size. Error answers raise S3Error, a destination that cannot be
        written LocalFileError; answers the HeadObject Response. `extra` (ObjectArgs) gives
        the SSE-C key, requester-pays, expected owner for every request. See
        s3wire.transfer.download_file."""
        from .transfer import files

        return files.download_file(
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

    def copy_file(
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
        """Copy an object server-side of any size: CopyObject up to 5 GiB, parallel
        UploadPartCopy ranges above; `extra` (ObjectArgs) gives the source's and the copy's
        SSE-C keys, storage class, ACL, tags, encryption. See s3wire.transfer.copy_file."""
        from .transfer import copying

        return copying.copy_file(
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

    def upload_dir(
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
        """Upload a folder's files under prefix, in parallel, skipping unchanged ones.
        See s3wire.transfer.upload_dir."""
        from .transfer import dirsync

        return dirsync.upload_dir(
            self,
            local_dir,
            bucket,
            prefix,
            extra=extra,
            concurrency=concurrency,
            part_size=part_size,
            progress=progress,
        )

    def download_dir(
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
        """Download the objects under prefix into a folder, in parallel, skipping unchanged
        files and refusing keys that would escape it. See s3wire.transfer.download_dir."""
        from .transfer import dirsync

        return dirsync.download_dir(
            self,
            bucket,
            prefix,
            local_dir,
            extra=extra,
            concurrency=concurrency,
            part_size=part_size,
            progress=progress,
        )

    def __enter__(self) -> Client:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
