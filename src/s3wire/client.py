"""Client: the connection plus every catalog operation and the handwritten helpers."""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, unquote, urlsplit

from . import paginate, presign, validate
from ._base import Payload, _payload
from ._generated.operations import GeneratedOperations
from .config import ConnectionData, Settings
from .errors import ParamError
from .limits import DEFAULT_CONCURRENCY, MAX_COPY
from .response import Response
from .signing import canonical_query, encode_path

if TYPE_CHECKING:  # the transfer helpers are imported when a transfer is asked for
    from .dirsync import SyncResult
    from .progress import ProgressCallback
    from .transfer import Checksum, Source


class Client(GeneratedOperations):
    """An S3 client: `Client(data)` with data from get_data_structure, or `Client(url=..., ...)`.

    Every S3 operation is a method named in snake_case taking keyword arguments
    (`client.put_object(bucket="b", key="k", body=b"...")`); each answers a Response.
    Use it as a context manager, or call close(), to release pooled connections.
    """

    def __init__(self, data: Mapping[str, Any] | None = None, /, **options: Any) -> None:
        if data is not None and options:
            raise ParamError("pass either connection data or keyword options, not both")
        super().__init__(Settings.from_data(data if data is not None else options))

    @classmethod
    def from_env(cls, profile: str | None = None, **options: Any) -> Client:
        """A client configured the AWS way: `options` (url, access_key, region, ...) first,
        then AWS_* environment variables, then the AWS profile (`profile`, else AWS_PROFILE,
        else "default") in ~/.aws/credentials and ~/.aws/config. See s3wire.credentials.

        Raises ParamError (MissingSettingsError) naming any setting no source had.
        """
        from . import credentials  # the credential chain, only when asked for

        return cls(credentials.connection_data(profile, **options))

    @property
    def data(self) -> ConnectionData:
        """The connection data this client uses (its repr hides the secrets)."""
        return self._settings.to_data()

    def request(
        self,
        method: str,
        path_or_url: str,
        body: Payload | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Response[dict[str, Any], dict[str, Any]]:
        """Send any signed request: a path like "/bucket/key?tagging", or a full URL.

        The path and query may be given raw or percent-encoded (they are decoded, then encoded
        the SigV4 way, so a literal "%" in a key must be written "%25"). The answer's XML body,
        if any, is parsed without a catalog shape.
        """
        validate.text(method, "method")
        validate.text(path_or_url, "path_or_url")
        split = urlsplit(path_or_url)
        host = self._netloc
        if split.scheme or split.netloc:
            if split.scheme not in ("http", "https") or not split.netloc:
                raise ParamError(f"path_or_url must be a path or an http(s) URL: {path_or_url!r}")
            host = split.netloc
        elif not path_or_url.startswith("/"):
            raise ParamError(f"path_or_url must start with '/' or be a URL: {path_or_url!r}")
        pairs = parse_qsl(split.query, keep_blank_values=True)
        return self._exchange(
            method.upper(),
            None,
            host,
            encode_path(unquote(split.path) or "/"),
            canonical_query(pairs),
            dict(headers or {}),
            None if body is None else _payload(body),
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
        return presign.presigned_url(self, method, bucket, key, expires, headers, params)

    def upload_file(
        self,
        bucket: str,
        key: str,
        source: Source,
        *,
        content_type: str | None = None,
        metadata: Mapping[str, str] | None = None,
        concurrency: int = DEFAULT_CONCURRENCY,
        part_size: int | None = None,
        checksum: Checksum = "md5",
        progress: ProgressCallback | None = None,
    ) -> Response[Any, Any]:
        """Store a file (path or binary file object): one PutObject below the part size, else
        a multipart upload of `concurrency` parallel parts, aborted on any failure. Error
        answers raise S3Error. See s3wire.transfer.upload_file."""
        from . import transfer

        return transfer.upload_file(
            self,
            bucket,
            key,
            source,
            content_type=content_type,
            metadata=metadata,
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
        concurrency: int = DEFAULT_CONCURRENCY,
        part_size: int | None = None,
        progress: ProgressCallback | None = None,
    ) -> Response[Any, Any]:
        """Save an object to dest (replaced only when complete and checked): parallel ranged
        GETs above the part size. Error answers raise S3Error; answers the HeadObject Response.
        See s3wire.transfer.download_file."""
        from . import transfer

        return transfer.download_file(
            self,
            bucket,
            key,
            dest,
            version_id=version_id,
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
        concurrency: int = DEFAULT_CONCURRENCY,
        part_size: int | None = None,
        threshold: int = MAX_COPY,
        progress: ProgressCallback | None = None,
    ) -> Response[Any, Any]:
        """Copy an object server-side of any size: CopyObject up to 5 GiB, parallel
        UploadPartCopy ranges above. See s3wire.copying.copy_file."""
        from . import copying

        return copying.copy_file(
            self,
            src_bucket,
            src_key,
            dst_bucket,
            dst_key,
            version_id=version_id,
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
        concurrency: int = DEFAULT_CONCURRENCY,
        part_size: int | None = None,
        progress: ProgressCallback | None = None,
    ) -> SyncResult:
        """Upload a folder's files under prefix, in parallel, skipping unchanged ones.
        See s3wire.dirsync.upload_dir."""
        from . import dirsync

        return dirsync.upload_dir(
            self,
            local_dir,
            bucket,
            prefix,
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
        concurrency: int = DEFAULT_CONCURRENCY,
        part_size: int | None = None,
        progress: ProgressCallback | None = None,
    ) -> SyncResult:
        """Download the objects under prefix into a folder, in parallel, skipping unchanged
        files and refusing keys that would escape it. See s3wire.dirsync.download_dir."""
        from . import dirsync

        return dirsync.download_dir(
            self,
            bucket,
            prefix,
            local_dir,
            concurrency=concurrency,
            part_size=part_size,
            progress=progress,
        )

    def __repr__(self) -> str:
        settings = self._settings
        return f"Client(url={settings.url!r}, region={settings.region!r})"

    def __enter__(self) -> Client:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
