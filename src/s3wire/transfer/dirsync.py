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
from ..response import Response
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
class Remote:
    """A listed object: what tells whether a file is it."""

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
    extra, prefix = checked_args(extra), folder_prefix(prefix)
    files = local_files(local_dir, prefix)
    remote = _listing(client, bucket, prefix)
    meter = Progress(sum(stat.st_size for _, _, stat in files), progress)
    result = SyncResult()

    def sync(job: LocalFile) -> None:
        path, key, stat = job
        with local_file("upload_dir: cannot read", path):
            same = local_verdict(path, stat, remote.get(key))
            if same is None:
                head = client.head_object(bucket=bucket, key=key, **extra.each_request())
                same = head_verdict(head, stat)
            if same:
                result.skipped.append(key)
            else:
                upload_file(client, bucket, key, path, **upload_options(stat, extra, part_size))
                result.transferred.append(key)
        meter.add(stat.st_size)

    run_parallel(concurrency, iter(files), sync)
    return result


LocalFile = tuple[str, str, os.stat_result]  # path, key, stat
Job = tuple[str, list[str], "Remote"]  # key, path segments below the folder, the object


def local_files(local_dir: str | os.PathLike[str], prefix: str) -> list[LocalFile]:
    """(path, key, stat) of every regular file under local_dir (ParamError when it is no
    folder; LocalFileError when a folder or file cannot be read)."""
    root = os.fspath(local_dir)
    if not os.path.isdir(root):
        raise ParamError(f"local_dir is not a folder: {root!r}")
    with local_file("upload_dir: cannot read", None):  # None: the folder or file that failed
        return [(path, prefix + rel, os.stat(path)) for path, rel in _local_files(root)]


def upload_options(
    stat: os.stat_result, extra: ObjectArgs, part_size: int | None
) -> dict[str, Any]:
    """upload_file's options for one file of a folder: its mtime in its metadata, one part
    at a time (the folder's files go in parallel)."""
    metadata = {MTIME: str(stat.st_mtime_ns)}
    return {"metadata": metadata, "extra": extra, "concurrency": 1, "part_size": part_size}


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
    root, prefix = os.path.abspath(os.fspath(local_dir)), folder_prefix(prefix)
    jobs = download_jobs(root, prefix, _listing(client, bucket, prefix))
    meter = Progress(sum(item.size for _, _, item in jobs), progress)
    result = SyncResult()
    top = open_top(root)  # the boundary: nothing is written outside it

    def sync(job: Job) -> None:
        key, segments, item = job
        shown = os.path.join(root, *segments)
        with local_file("download_dir: cannot write", shown):
            folder, same = open_target(top, segments, shown, item)
            try:
                if same:
                    result.skipped.append(key)
                else:
                    options = save_options(extra, part_size, item)
                    save_object(client, bucket, key, folder, segments[-1], **options)
                    result.transferred.append(key)
            finally:
                os.close(folder)
        meter.add(item.size)

    try:
        run_parallel(concurrency, iter(jobs), sync)
    finally:
        os.close(top)
    return result


def download_jobs(root: str, prefix: str, remote: Mapping[str, Remote]) -> list[Job]:
    """(key, path segments, object) of each object to download, folder markers left out;
    ParamError for a key that would land outside root."""
    return [
        (key, key_segments(root, key[len(prefix) :], key), item)
        for key, item in sorted(remote.items())
        if not key.endswith("/")
    ]


def open_top(root: str) -> int:
    """The folder downloads go into, created if missing, opened (LocalFileError)."""
    with local_file("download_dir: cannot write", root):
        os.makedirs(root, exist_ok=True)
        return savefile.open_folder(root)


def open_target(top: int, segments: list[str], shown: str, item: Remote) -> tuple[int, bool]:
    """The folder of a download (made and opened below top without following links) and
    whether the file there already is the object's."""
    folder = savefile.open_below(top, segments[:-1], shown)
    try:
        return folder, _same_download(folder, segments[-1], item)
    except BaseException:
        os.close(folder)
        raise


def save_options(extra: ObjectArgs | None, part_size: int | None, item: Remote) -> dict[str, Any]:
    """save_object's options for one object of a folder: one range at a time, the object's
    Last-Modified as the file's mtime."""
    return {"extra": extra, "concurrency": 1, "part_size": part_size, "mtime": item.modified}


def folder_prefix(prefix: str) -> str:
    """A prefix as a folder: "" stays "", "photos" becomes "photos/"."""
    return prefix if not prefix or prefix.endswith("/") else prefix + "/"


def _listing(client: GeneratedOperations, bucket: str, prefix: str) -> dict[str, Remote]:
    """Every object under prefix: key -> size, ETag, Last-Modified."""
    return {item["Key"]: remote_of(item) for item in paginate.objects(client, bucket, prefix)}


def remote_of(item: Mapping[str, Any]) -> Remote:
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
    return Remote(size, str(item.get("ETag", "")), seconds)


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


def local_verdict(path: str, stat: os.stat_result, remote: Remote | None) -> bool | None:
    """Whether a file is its object, as far as the listing tells (its size, its MD5 ETag);
    None when only the object's HeadObject can tell (head_verdict)."""
    if remote is None or remote.size != stat.st_size:
        return False
    looks_like_md5 = md5_etag({"ETag": remote.etag})
    if looks_like_md5 is not None and _file_md5(path) == looks_like_md5:
        return True
    # A multipart ETag; or one that is no MD5 though it looks like one (a listing does not say
    # that SSE-KMS or SSE-C encrypted the object: the HEAD does); or a changed file.
    return None


def head_verdict(head: Response[Any, Any], stat: os.stat_result) -> bool:
    """Whether a file is the object whose HeadObject answered: the mtime it was uploaded with."""
    if not head.ok or md5_etag(head.headers) is not None:
        return False  # a true MD5, and not the file's
    metadata: dict[str, Any] = head.fields.get("metadata") or {}
    return bool(metadata.get(MTIME) == str(stat.st_mtime_ns))


def _same_download(folder: int, name: str, remote: Remote) -> bool:
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
