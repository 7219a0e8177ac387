"""The two sides of a multi-file command, each walked in S3's key order (by UTF-8 bytes, as
ListObjectsV2 answers), and the two walked together, so neither listing is held in memory."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Literal

from .. import paginate
from ..client import Client
from ..errors import ResponseError
from ..transfer import savefile
from ..transfer.dirsync import remote_of

Links = Literal["follow", "skip", "list"]


@dataclass(frozen=True)
class Entry:
    """A file or object: its "/"-separated path below the side's root, size, mtime (seconds
    since the epoch; an object's Last-Modified), an object's ETag. size -1: a link, never
    equal to anything."""

    relative: str
    size: int
    mtime: float
    etag: str = ""


def order(relative: str) -> bytes:
    """The sort key of a relative path: its UTF-8 bytes, as S3 orders keys."""
    return relative.encode("utf-8", "surrogateescape")


def objects(client: Client, bucket: str, prefix: str) -> Iterator[Entry]:
    """Every object under prefix (a folder: "" or ending in /), keys ending in / left out."""
    for item in paginate.objects(client, bucket, prefix):
        key = item["Key"]
        if not key.endswith("/"):
            got = remote_of(item)
            yield Entry(key[len(prefix) :], got.size, got.modified, got.etag)


def files(root: str, links: Links, warn: Callable[[str], None]) -> Iterator[Entry]:
    """Every regular file under root (nothing when root does not exist). Symbolic links are
    followed ("follow") unless they lead outside root or back into a folder being walked (then
    skipped with a warning), left out ("skip"), or listed as size -1 unfollowed ("list"). A
    folder that cannot be read, or a name that is not UTF-8, is warned of and left out; so is
    a download's temporary file (`.NAME.<hex>.part`, left by a killed s3wire), silently in a
    destination ("list")."""
    if not os.path.isdir(root):
        return
    top = os.path.realpath(root)
    yield from _walk(root, "", top, (top,), links, warn)


def _walk(
    folder: str,
    relative: str,
    top: str,
    ancestors: tuple[str, ...],
    links: Links,
    warn: Callable[[str], None],
) -> Iterator[Entry]:
    try:
        with os.scandir(folder) as listing:
            found = [kind for entry in listing if (kind := _kind(entry, top, links, warn))]
    except OSError as exc:
        warn(f"skipping folder {folder}: {exc.strerror or exc}")
        return
    found.sort(key=lambda item: order(item[0]))
    for name, path, real, info in found:
        below = relative + name.rstrip("/")
        if _not_utf8(below):
            warn(f"skipping {path}: its name is not UTF-8")
        elif info is None:  # a folder
            if real in ancestors:
                warn(f"skipping {path}: a link back into {real}")
            else:
                yield from _walk(path, below + "/", top, (*ancestors, real), links, warn)
        else:
            yield Entry(below, info.st_size if links != "list" or real else -1, info.st_mtime)


def _kind(
    entry: os.DirEntry[str], top: str, links: Links, warn: Callable[[str], None]
) -> tuple[str, str, str, os.stat_result | None] | None:
    """(sort name: "name/" for a folder, path, real path of a folder or followed link ("" for a
    listed link), stat of a file or None for a folder), or None to leave the entry out."""
    path = entry.path
    try:
        if entry.is_symlink():
            if links == "skip":
                return None
            if links == "list":
                return entry.name, path, "", entry.stat(follow_symlinks=False)
            real = os.path.realpath(path)
            if os.path.commonpath([top, real]) != top:
                warn(f"skipping {path}: a link to {real}, outside {top}")
                return None
            info = os.stat(path)
        else:
            info, real = entry.stat(follow_symlinks=False), path
    except OSError as exc:
        warn(f"skipping {path}: {exc.strerror or exc}")
        return None
    if stat.S_ISDIR(info.st_mode):
        return entry.name + "/", path, os.path.realpath(path), None
    if stat.S_ISREG(info.st_mode) and savefile.is_temporary(entry.name):
        if links != "list":  # a source's: said; a destination's is no file of its own
            warn(f"skipping {path}: the temporary file of an interrupted download")
        return None
    if stat.S_ISREG(info.st_mode):
        return entry.name, path, real, info
    return None  # a pipe, socket or device


def _not_utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def together(
    source: Iterator[Entry], destination: Iterator[Entry]
) -> Iterator[tuple[str, Entry | None, Entry | None]]:
    """(relative path, its source entry or None, its destination entry or None) for every path
    of either side, in order; ResponseError when a side is not in order."""
    src, dst = _ordered(source), _ordered(destination)
    a, b = next(src, None), next(dst, None)
    while a is not None or b is not None:
        if b is None or (a is not None and order(a.relative) < order(b.relative)):
            assert a is not None
            yield a.relative, a, None
            a = next(src, None)
        elif a is None or order(b.relative) < order(a.relative):
            yield b.relative, None, b
            b = next(dst, None)
        else:
            yield a.relative, a, b
            a, b = next(src, None), next(dst, None)


def _ordered(entries: Iterator[Entry]) -> Iterator[Entry]:
    previous: bytes | None = None
    for entry in entries:
        key = order(entry.relative)
        if previous is not None and key <= previous:
            raise ResponseError(f"the listing is out of order at {entry.relative!r}")
        previous = key
        yield entry
