"""Saving a downloaded file: written into a private temporary file in the destination's folder,
synced (unless the caller chose speed over durability), then renamed over the destination,
never through a symbolic link.

Folders are held open (descriptors) and every name is resolved relative to one, so a link that
appears meanwhile cannot redirect the temporary file or the rename. The saved file gets the
mode `open()` would give a new file (0666 minus the umask), or, when it replaces a regular
file, that file's permission bits; the temporary file is 0600 while it is written.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
from collections.abc import Iterator, Sequence

from ..errors import ParamError

_FOLDER = os.O_RDONLY | os.O_DIRECTORY | getattr(os, "O_CLOEXEC", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_TEMPORARY = os.O_RDWR | os.O_CREAT | os.O_EXCL | _NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
_PERMISSIONS = 0o777  # read, write and execute for owner, group and others
_NAME_KEPT = 32  # characters of the file name kept in the temporary file's name
_TRIES = 100
# What _create_temporary names: ".", the name's first characters, ".", 12 hex digits, ".part".
_TEMPORARY_NAME = rf"(?s)\..{{1,{_NAME_KEPT}}}\.[0-9a-f]{{12}}\.part"


def is_temporary(name: str) -> bool:
    """Whether a file name is one of a download's temporary file (`.NAME.<12 hex>.part`): left
    behind only by a process killed before it could remove it."""
    return re.fullmatch(_TEMPORARY_NAME, name) is not None


def open_folder(path: str) -> int:
    """A descriptor of the folder at path (links in the path followed: the caller named it)."""
    return os.open(path, _FOLDER)


def open_below(root: int, segments: Sequence[str], shown: str) -> int:
    """A descriptor of the folder root/segments..., each created if missing and opened without
    following a symbolic link: ParamError (naming `shown`) when one is a link or no folder."""
    fd = os.dup(root)
    try:
        for segment in segments:
            with contextlib.suppress(FileExistsError):
                os.mkdir(segment, dir_fd=fd)
            child = _child_folder(fd, segment, shown)
            os.close(fd)
            fd = child
    except BaseException:
        os.close(fd)
        raise
    return fd


def _child_folder(parent: int, name: str, shown: str) -> int:
    try:
        return os.open(name, _FOLDER | _NOFOLLOW, dir_fd=parent)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.ENOTDIR):  # a link (O_NOFOLLOW), or a file
            raise ParamError(
                f"refusing to write {shown!r}: {name!r} in its path is a symbolic link or not "
                "a folder"
            ) from None
        raise


def regular_stat(folder: int, name: str) -> os.stat_result | None:
    """The stat of name in folder if it is a regular file (a link is not followed), else None."""
    try:
        found = os.stat(name, dir_fd=folder, follow_symlinks=False)
    except FileNotFoundError:
        return None
    return found if stat.S_ISREG(found.st_mode) else None


def open_regular(folder: int, name: str) -> int:
    """name in folder opened for reading, refusing to follow a link (OSError)."""
    return os.open(name, os.O_RDONLY | _NOFOLLOW | getattr(os, "O_CLOEXEC", 0), dir_fd=folder)


class Saving:
    """A temporary file (`fd`, open for reading and writing) in an open folder; `commit()`
    makes it the file `name` there."""

    def __init__(self, folder: int, name: str) -> None:
        self.folder, self.name = folder, name
        self.temporary, self.fd = _create_temporary(folder, name)
        self.committed = False

    def commit(self, mtime: float | None = None, *, durable: bool = True) -> None:
        """Give the file its mode (and mtime), sync it to disk (unless not `durable`), rename
        it over `name` (a link there is replaced, not followed)."""
        os.fchmod(self.fd, mode_for(self.folder, self.name))
        if mtime is not None:
            os.utime(self.fd, (mtime, mtime))
        if durable:
            os.fsync(self.fd)
        self._close()
        os.replace(self.temporary, self.name, src_dir_fd=self.folder, dst_dir_fd=self.folder)
        self.committed = True

    def discard(self) -> None:
        """Close and delete the temporary file."""
        self._close()
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.temporary, dir_fd=self.folder)

    def _close(self) -> None:
        if self.fd != -1:
            fd, self.fd = self.fd, -1
            os.close(fd)


@contextlib.contextmanager
def saving(folder: int, name: str) -> Iterator[Saving]:
    """A Saving whose temporary file is deleted on leaving unless it was committed."""
    saved = Saving(folder, name)
    try:
        yield saved
    finally:
        if not saved.committed:
            saved.discard()


def mode_for(folder: int, name: str) -> int:
    """The mode a saved file gets: the permission bits of the regular file it replaces, else
    0666 minus the umask (what open() gives a new file)."""
    replaced = regular_stat(folder, name)
    if replaced is not None:
        return replaced.st_mode & _PERMISSIONS
    return 0o666 & ~umask()


def umask() -> int:
    """The process's umask: read from /proc where Linux shows it (changing it, even for a
    moment, would race other threads creating files), else set to 077 and put back."""
    with (
        contextlib.suppress(OSError, ValueError),
        open("/proc/self/status", encoding="ascii", errors="replace") as status,
    ):
        for line in status:
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    mask = os.umask(0o077)
    os.umask(mask)
    return mask


def _create_temporary(folder: int, name: str) -> tuple[str, int]:
    """A new private (0600) file beside name, created exclusively (never through a link)."""
    for _ in range(_TRIES):
        temporary = f".{name[:_NAME_KEPT]}.{os.urandom(6).hex()}.part"
        try:
            return temporary, os.open(temporary, _TEMPORARY, 0o600, dir_fd=folder)
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, f"no free temporary file name beside {name!r}")
