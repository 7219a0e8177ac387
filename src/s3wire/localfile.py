"""Failures of the local files s3wire reads and writes for its caller, as LocalFileError."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator

from .errors import LocalFileError


@contextlib.contextmanager
def local_file(doing: str, path: object) -> Iterator[None]:
    """Raise any OSError from the block as a LocalFileError saying `doing` `path`, such as
    local_file("download_file: cannot write", dest)."""
    try:
        yield
    except OSError as exc:
        error = local_error(doing, path, exc)
        raise error from error.__cause__


def local_error(doing: str, path: object, exc: OSError) -> LocalFileError:
    """exc as a LocalFileError saying `doing` `path` (a path, or a file object), its original
    OSError as `__cause__`. A LocalFileError already is named again: the outermost name wins,
    as it knows what the caller asked for."""
    cause = exc.__cause__
    original = cause if isinstance(exc, LocalFileError) and isinstance(cause, OSError) else exc
    error = LocalFileError(doing, shown(path), original)
    error.__cause__ = original
    return error


def shown(target: object) -> str | None:
    """How a message names a file: a path as given, a file object by its name (when a path),
    else None."""
    if isinstance(target, str | os.PathLike):
        return os.fsdecode(os.fspath(target))
    name = getattr(target, "name", None)
    return name if isinstance(name, str) else None
