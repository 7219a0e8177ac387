"""Whole-file transfers: upload_file (one PUT, or multipart) and download_file (ranged GETs).

Both hold about one part (the connection's part_size) in memory and leave nothing behind when
they fail: an upload aborts its multipart upload, a download deletes its temporary file.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
import warnings
from collections.abc import Iterator, Mapping
from typing import IO, Any

from ._generated.operations import CompletedPart, GeneratedOperations
from ._wire import md5_base64
from .errors import ChecksumError, ParamError, ResponseError, S3Error, S3wireError
from .integrity import md5_etag
from .response import Response

Source = str | os.PathLike[str] | IO[bytes]
MAX_PARTS = 10_000


def upload_file(
    client: GeneratedOperations,
    bucket: str,
    key: str,
    source: Source,
    *,
    content_type: str | None = None,
    metadata: Mapping[str, str] | None = None,
) -> Response[Any, Any]:
    """Store a file (a path or a binary file object, read from its current position).

    Smaller than part_size: one streamed PutObject. Otherwise a multipart upload of part_size
    parts, each sent with its Content-MD5 (and retried by the client's retry policy); on any
    failure the upload is aborted. Error answers raise S3Error. Answers the final PutObject or
    CompleteMultipartUpload Response.
    """
    with _opened(source) as stream:
        part_size = client._settings.part_size
        size = _remaining(stream)
        if size is not None and size < part_size:
            # requests sends an empty stream chunked, without Content-Length, which S3 refuses.
            body = stream if size else b""
            return client.put_object(
                bucket=bucket, key=key, body=body, content_type=content_type, metadata=metadata
            ).raise_for_status()
        if size is not None and -(-size // part_size) > MAX_PARTS:
            raise ParamError(f"{size} bytes need over {MAX_PARTS} parts of part_size {part_size}")
        created = client.create_multipart_upload(
            bucket=bucket, key=key, content_type=content_type, metadata=metadata
        ).raise_for_status()
        upload_id = created.response["InitiateMultipartUploadResult"]["UploadId"]
        try:
            return _upload_parts(client, bucket, key, upload_id, stream)
        except BaseException:
            _abort(client, bucket, key, upload_id)
            raise


def download_file(
    client: GeneratedOperations,
    bucket: str,
    key: str,
    dest: str | os.PathLike[str],
    *,
    version_id: str | None = None,
) -> Response[Any, Any]:
    """Save an object to dest, which is replaced only once the whole object has arrived.

    HeadObject first; then one GetObject, or ranged GETs of part_size bytes, each conditional on
    the ETag (an object replaced meanwhile fails with 412). The data goes to a private (0600)
    temporary file beside dest, checked against Content-Length and, when the ETag is the
    object's MD5, against it (ChecksumError), synced and renamed over dest.
    Error answers raise S3Error. Answers the HeadObject Response.
    """
    head = client.head_object(bucket=bucket, key=key, version_id=version_id).raise_for_status()
    size = head.fields.get("content_length")
    if not isinstance(size, int):
        raise ResponseError("HeadObject answered no Content-Length")
    target = os.path.abspath(os.fspath(dest))
    directory, name = os.path.split(target)
    fd, temporary = tempfile.mkstemp(dir=directory, prefix=f".{name}.", suffix=".part")
    try:
        with open(fd, "wb") as out:
            etag = head.fields.get("etag")
            digest = hashlib.md5()
            for byte_range in _pieces(size, client._settings.part_size):
                piece = _get(client, bucket, key, version_id, etag, byte_range)
                digest.update(piece)
                out.write(piece)
            if out.tell() != size:
                raise ResponseError(f"got {out.tell()} bytes of {size}")
            if md5_etag(head.headers) not in (None, digest.hexdigest()):
                raise ChecksumError("the downloaded bytes do not match the object's ETag (MD5)")
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    return head


@contextlib.contextmanager
def _opened(source: Source) -> Iterator[IO[bytes]]:
    """A path opened for reading (closed afterwards), or the caller's file object as is."""
    if isinstance(source, str | os.PathLike):
        with open(source, "rb") as stream:
            yield stream
    elif hasattr(source, "read"):
        yield source
    else:
        kind = type(source).__name__
        raise ParamError(f"source must be a path or a binary file object, not {kind}")


def _remaining(stream: IO[bytes]) -> int | None:
    """Bytes from the current position to the end, or None for a stream that cannot seek."""
    if not stream.seekable():
        return None
    here = stream.tell()
    end = stream.seek(0, os.SEEK_END)
    stream.seek(here)
    return end - here


def _upload_parts(
    client: GeneratedOperations, bucket: str, key: str, upload_id: str, stream: IO[bytes]
) -> Response[Any, Any]:
    part_size = client._settings.part_size
    parts: list[CompletedPart] = []
    while True:
        chunk = _read(stream, part_size)
        if parts and not chunk:
            break
        if len(parts) == MAX_PARTS:
            raise ParamError(f"the source needs over {MAX_PARTS} parts of part_size {part_size}")
        number = len(parts) + 1
        etag = _upload_part(client, bucket, key, upload_id, number, chunk)
        parts.append({"part_number": number, "etag": etag})
        if len(chunk) < part_size:
            break
    done = client.complete_multipart_upload(
        bucket=bucket, key=key, upload_id=upload_id, parts=parts
    ).raise_for_status()
    _raise_for_error_body(done)
    return done


def _read(stream: IO[bytes], size: int) -> bytes:
    """Up to size bytes: fewer only at the end of the stream."""
    chunks: list[bytes] = []
    remaining = size
    while remaining:
        chunk = stream.read(remaining)
        if not chunk:
            break
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def _upload_part(
    client: GeneratedOperations, bucket: str, key: str, upload_id: str, number: int, chunk: bytes
) -> str:
    """Send one part (tried again on transient failures by the client); answer its ETag."""
    answer = client.upload_part(
        bucket=bucket,
        key=key,
        upload_id=upload_id,
        part_number=number,
        body=chunk,
        content_md5=md5_base64(chunk),
    )
    return _etag(answer.raise_for_status())


def _etag(answer: Response[Any, Any]) -> str:
    etag = answer.fields.get("etag")
    if not isinstance(etag, str):
        raise ResponseError("UploadPart answered no ETag")
    return etag


def _raise_for_error_body(answer: Response[Any, Any]) -> None:
    """CompleteMultipartUpload can fail after answering 200: the error is then in the body."""
    error = answer.response.get("Error")
    if error is not None:
        raise S3Error(
            status=answer.status,
            code=str(error.get("Code") or "InternalError"),
            message=str(error.get("Message") or ""),
            request_id=error.get("RequestId") or answer.headers.get("x-amz-request-id"),
            resource=error.get("Resource") or None,
        )


def _abort(client: GeneratedOperations, bucket: str, key: str, upload_id: str) -> None:
    """Abort a multipart upload (its parts are deleted); warn if that fails too."""
    try:
        answer = client.abort_multipart_upload(bucket=bucket, key=key, upload_id=upload_id)
    except S3wireError as exc:
        problem = str(exc)
    else:
        if answer.ok or answer.status == 404:
            return
        problem = f"status {answer.status}"
    warnings.warn(
        f"could not abort multipart upload {upload_id} of {bucket}/{key} ({problem}); "
        "its parts stay stored until it is aborted",
        RuntimeWarning,
        stacklevel=4,
    )


def _pieces(size: int, part_size: int) -> Iterator[str | None]:
    """The Range of each GetObject: None (the whole object) when it fits in one part."""
    if size <= part_size:
        yield None
        return
    for first in range(0, size, part_size):
        yield f"bytes={first}-{min(first + part_size, size) - 1}"


def _get(
    client: GeneratedOperations,
    bucket: str,
    key: str,
    version_id: str | None,
    etag: str | None,
    byte_range: str | None,
) -> bytes:
    """One GetObject (of a byte range, or whole), only while the object's ETag is still etag."""
    return (
        client.get_object(
            bucket=bucket, key=key, version_id=version_id, range=byte_range, if_match=etag
        )
        .raise_for_status()
        .body
    )
