"""s3wire as an fsspec filesystem: `fsspec.filesystem("s3wire", ...)`, or "s3wire://bucket/key"
URLs in pandas, pyarrow and Dask (docs/fsspec.md). Needs the extra: `pip install "s3wire[fsspec]"`.

fsspec finds the protocol through the package's fsspec.specs entry point; importing this package
registers it too (for a source tree that is not installed). Importing s3wire does not import
this package (nor fsspec).
"""

from __future__ import annotations

import fsspec

from .errors import FileExistsS3Error, FileNotFoundS3Error, PermissionS3Error
from .file import S3WireFile
from .filesystem import S3WireFileSystem

if "s3wire" not in fsspec.available_protocols():
    fsspec.register_implementation("s3wire", S3WireFileSystem)

__all__ = [
    "FileExistsS3Error",
    "FileNotFoundS3Error",
    "PermissionS3Error",
    "S3WireFile",
    "S3WireFileSystem",
]
