"""The exceptions fsspec's callers expect (FileNotFoundError, ...), as s3wire's own errors."""

from __future__ import annotations

from typing import Any

from ..errors import S3Error, S3wireError
from ..response import Response


class FileNotFoundS3Error(S3wireError, FileNotFoundError):
    """No object, prefix or bucket by that path (a 404 answer, or an empty listing)."""


class FileExistsS3Error(S3wireError, FileExistsError):
    """The path exists where it must not (a conditional write's 412, a bucket already made)."""


class PermissionS3Error(S3wireError, PermissionError):
    """The server refused the request (403)."""


def translated(error: S3Error, path: str) -> S3wireError:
    """A transfer helper's S3Error as the error fsspec expects for its status (see checked)."""
    kinds = {404: FileNotFoundS3Error, 403: PermissionS3Error, 412: FileExistsS3Error}
    kind = kinds.get(error.status)
    return error if kind is None else kind(path)


def checked(answer: Response[Any, Any], path: str) -> Response[Any, Any]:
    """The answer when it is a success; else the error fsspec expects for its status (404:
    FileNotFoundS3Error, 403: PermissionS3Error, 412: FileExistsS3Error), or S3Error."""
    if answer.ok:
        return answer
    if answer.status == 404:
        raise FileNotFoundS3Error(path)
    if answer.status == 403:
        raise PermissionS3Error(path)
    if answer.status == 412:
        raise FileExistsS3Error(path)
    answer.raise_for_status()
    return answer
