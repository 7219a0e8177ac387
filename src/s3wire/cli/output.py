"""What commands print and write: the JSON answer, exit codes, files saved safely."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from ..response import Response
from .errors import EXIT_ERROR_ANSWER, EXIT_OK, UsageError


def print_json(value: Any) -> None:
    """Print JSON on stdout: indented, non-ASCII characters as themselves."""
    print(json.dumps(value, indent=2, ensure_ascii=False), file=sys.stdout)


def print_response(response: Response[Any, Any]) -> int:
    """Print {status, response, headers}; answer the exit code the status calls for."""
    print_json(response.to_dict())
    success = response.ok or response.status == 304  # 304: a conditional read, not an error
    return EXIT_OK if success else EXIT_ERROR_ANSWER


def write_atomically(path: str, data: bytes) -> None:
    """Write a file whole or not at all: a temporary file in the same folder, then renamed."""
    target = Path(path)
    try:
        fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes it 0600; a new file is 0666 - umask
        os.replace(temporary, target)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise UsageError(f"cannot write {path}: {exc.strerror}") from None


def write_private(path: str, text: str) -> None:
    """Write a text file only its owner can read (mode 0600, also when it already exists)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            os.fchmod(file.fileno(), 0o600)
            file.write(text)
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror}") from None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
