"""s3wire as an fsspec filesystem: `fsspec.filesystem("s3wire", ...)`, or "s3wire://bucket/key"
URLs in pandas, pyarrow and Dask (docs/fsspec.md). Needs the extra: `pip install "s3wire[fsspec]"`.

Importing s3wire does not import this package (nor fsspec).
"""

from __future__ import annotations

from .errors import FileExistsS3Error, FileNotFoundS3Error, PermissionS3Error
from .file import S3WireFile
from .filesystem import S3WireFileSystem

__all__ = [
    "FileExistsS3Error",
    "FileNotFoundS3Error",
    "PermissionS3Error",
    "S3WireFile",
    "S3WireFileSystem",
]
