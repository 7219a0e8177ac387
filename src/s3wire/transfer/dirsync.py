"""upload_dir and download_dir: a folder to a prefix and back, in parallel across files,
skipping the files that did not change."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import IO, Any

from .. import paginate
from .._generated.operations import GeneratedOperations
from ..errors import ParamError, ResponseError
from ..integrity import digest_of, md5_etag, stream_chunks
from ..limits import DEFAULT_CONCURRENCY
from ..localfile import local_file
from . import savefile
from .files import check_concurrency, checked_args, save_object, upload_file
from .objectargs import ObjectArgs
from .progress import Progress, ProgressCallback
from .workers import run_parallel

MTIME = "s3wire-mtime"  # user metadata: the uploaded file's st_mtime_ns
_FORBIDDEN = ("\\", "\0")


@dataclass
class SyncResult:
    """The keys transferred and the keys skipped as unchanged, in no particular order."""

    transferred: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Listed:
    """An object as a listing gives it (see listed)."""

    size: int
    etag: str
    modified: float  # Last-Modified, in seconds since the epoch


def upload_dir(
    client: GeneratedOperations,
    local_dir: str | os.PathLike[str],
    bucket: str,
    prefix: str = "",
    *,
    extra: ObjectArgs | None = None,
    concurrency: int = DEFAULT_CONCURRENCY,
    part_size: int | None = None,
    progress: ProgressCallback | None = None,
) -> SyncResult:
    """Upload every regular file under local_dir to prefix + its relative path ("/"-separated),
    `concurrency` files at a time. A file whose object has the same size and the same MD5 (its
    ETag) or, when the ETag is no MD5 (multipart, SSE-KMS, SSE-C), the same mtime (stored in its
    metadata) is skipped.
    Error answers raise S3Error, a file or folder that cannot be read LocalFileError; the files
    already uploaded stay. Content types are guessed from the file names; `extra` (ObjectArgs)
    goes on every upload as upload_file sends it."""
    check_concurrency(concurrency)
    extra = checked_args(extra)
    root, prefix = os.fspath(local_dir), as_folder(prefix)
    if not os.path.isdir(root):
        raise ParamError(f"local_dir is not a folder: {root!r}")
    remote = _listing(client, bucket, prefix)
    with local_file("upload_dir: cannot read", None):  # None: the folder or file that failed
        files = [(path, prefix + rel, os.stat(path)) for path, rel in _local_files(root)]
    meter = Progress(sum(stat.st_size for _, _, stat in files), progress)
    result = SyncResult()

    def sync(job: tuple[str, str, os.stat_result]) -> None:
        path, key, stat = job
        with local_file("upload_dir: cannot read", path):
            if _same_upload(client, bucket, key, path, stat, remote.get(key), extra):
                result.skipped.append(key)
            else:
                metadata = {MTIME: str(stat.st_mtime_ns)}
                upload_file(
                    client,
                    bucket,
                    key,
                    path,
                    metadata=metadata,
                    extra=extra,
                    concurrency=1,
                    part_size=part_size,
                )
                result.transferred.append(key)
        meter.add(stat.st_size)

    run_parallel(concurrency, iter(files), sync)
    return result


def download_dir(
    client: GeneratedOperations,
    bucket: str,
    prefix: str,
    local_dir: str | os.PathLike[str],
    *,
    extra: ObjectArgs | None = None,
    concurrency: int = DEFAULT_CONCURRENCY,
    part_size: int | None = None,
    progress: ProgressCallback | None = None,
) -> SyncResult:
    """Download every object under prefix to local_dir + the rest of its key, `concurrency`
    files at a time; keys ending in "/" (folder markers) are left out. Before anything is
    written, a key that would land outside local_dir ("..", ".", empty segments, a leading
    "/", backslashes, NUL) raises ParamError. Nothing is written outside local_dir as it
    resolves at the start: every folder below it is opened without following symbolic links
    (a link, or a file, where a folder should be raises ParamError), and a link where a file
    goes is replaced by the file, never followed. A regular file of the same size and either
    the object's MD5 (its ETag) or its Last-Modified time as mtime is skipped; a downloaded
    file gets the object's Last-Modified as mtime, and its mode as download_file gives it.
    A file or folder that cannot be written (or read, to compare) raises LocalFileError.
    `extra` (ObjectArgs: SSE-C key, request-payer, expected owner) goes on every download."""
    check_concurrency(concurrency)
    root, prefix = os.path.abspath(os.fspath(local_dir)), as_folder(prefix)
    remote = _listing(client, bucket, prefix)
    jobs = [
        (key, key_segments(root, key[len(prefix) :], key), item)
        for key, item in sorted(remote.items())
        if not key.endswith("/")
    ]
    meter = Progress(sum(item.size for _, _, item in jobs), progress)
    result = SyncResult()
    with local_file("download_dir: cannot write", root):
        os.makedirs(root, exist_ok=True)
        top = savefile.open_folder(root)  # the boundary: nothing is written outside it

    def sync(job: tuple[str, list[str], Listed]) -> None:
        key, segments, item = job
        shown = os.path.join(root, *segments)
        with local_file("download_dir: cannot write", shown):
            folder = savefile.open_below(top, segments[:-1], shown)
            try:
                if _same_download(folder, segments[-1], item):
                    result.skipped.append(key)
                else:
                    save_object(
                        client,
                        bucket,
                        key,
                        folder,
                        segments[-1],
                        extra=extra,
                        concurrency=1,
                        part_size=part_size,
                        mtime=item.modified,
                    )
                    result.transferred.append(key)
            finally:
                os.close(folder)
        meter.add(item.size)

    try:
        run_parallel(concurrency, iter(jobs), sync)
    finally:
        os.close(top)
    return result


def as_folder(prefix: str) -> str:
    """A prefix as a folder: "" stays "", "photos" becomes "photos/"."""
    return prefix if not prefix or prefix.endswith("/") else prefix + "/"


def _listing(client: GeneratedOperations, bucket: str, prefix: str) -> dict[str, Listed]:
    """Every object under prefix: key -> size, ETag, Last-Modified."""
    return {item["Key"]: listed(item) for item in paginate.objects(client, bucket, prefix)}


def listed(item: Mapping[str, Any]) -> Listed:
    """A listed object's size, ETag and Last-Modified; ResponseError if one is missing."""
    size, modified = item.get("Size"), item.get("LastModified")
    if isinstance(size, bool) or not isinstance(size, int) or not isinstance(modified, str):
        raise ResponseError(f"the listing of {item['Key']!r} lacks its Size or LastModified")
    try:
        seconds = _timestamp(modified)
    except ValueError:
        raise ResponseError(
            f"the listing of {item['Key']!r} has a bad time: {modified!r}"
        ) from None
    return Listed(size, str(item.get("ETag", "")), seconds)


def _local_files(root: str) -> Iterator[tuple[str, str]]:
    """(path, "/"-separated path relative to root) of every regular file, symlinks left out;
    a folder that cannot be listed raises its OSError (not skipped, as os.walk would)."""
    for folder, folders, names in os.walk(root, onerror=_raise):
        folders.sort()
        for name in sorted(names):
            path = os.path.join(folder, name)
            if os.path.isfile(path) and not os.path.islink(path):
                yield path, os.path.relpath(path, root).replace(os.sep, "/")


def _raise(error: OSError) -> None:
    raise error


def key_segments(root: str, relative: str, key: str) -> list[str]:
    """The path segments of a key under root; ParamError for a key that could land anywhere
    else."""
    segments = relative.split("/")
    if (
        any(character in relative for character in _FORBIDDEN)
        or any(segment in ("", ".", "..") for segment in segments)
        or os.path.isabs(relative)
    ):
        raise ParamError(f"refusing key {key!r}: it would not stay inside {root!r}")
    return segments


def _same_upload(
    client: GeneratedOperations,
    bucket: str,
    key: str,
    path: str,
    stat: os.stat_result,
    remote: Listed | None,
    extra: ObjectArgs,
) -> bool:
    if remote is None or remote.size != stat.st_size:
        return False
    looks_like_md5 = md5_etag({"ETag": remote.etag})
    if looks_like_md5 is not None and _file_md5(path) == looks_like_md5:
        return True
    # A multipart ETag; or one that is no MD5 though it looks like one (a listing does not say
    # that SSE-KMS or SSE-C encrypted the object: the HEAD does); or a changed file.
    head = client.head_object(bucket=bucket, key=key, **extra.each_request())
    if not head.ok or md5_etag(head.headers) is not None:
        return False  # a true MD5, and not the file's
    metadata: dict[str, Any] = head.fields.get("metadata") or {}
    return bool(metadata.get(MTIME) == str(stat.st_mtime_ns))


def _same_download(folder: int, name: str, remote: Listed) -> bool:
    """Whether the regular file name in folder (a link does not count) is the object's."""
    stat = savefile.regular_stat(folder, name)
    if stat is None or stat.st_size != remote.size:
        return False
    if int(stat.st_mtime) == int(remote.modified):
        return True
    md5 = md5_etag({"ETag": remote.etag})
    if md5 is None:
        return False
    fd = savefile.open_regular(folder, name)
    with open(fd, "rb") as file:
        return _stream_md5(file) == md5


def _timestamp(last_modified: str) -> float:
    """Seconds since the epoch of an ISO 8601 time like 2024-05-01T12:00:00.000Z."""
    return dt.datetime.fromisoformat(last_modified.replace("Z", "+00:00")).timestamp()


def _file_md5(path: str) -> str:
    with open(path, "rb") as file:
        return _stream_md5(file)


def _stream_md5(file: IO[bytes]) -> str:
    return digest_of(stream_chunks(file)).hex()
