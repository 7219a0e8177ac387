"""The transfer helpers behind Client.upload_file, download_file, copy_file, upload_dir and
download_dir: whole files (files), server-side copies (copying), folders (dirsync), and what they
share (objectargs, filewindow, workers, progress, savefile).

Names are imported when first used (PEP 562), so that the CLI, which needs only savefile at
start, loads none of the transfer machinery; building a client imports nothing from here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._lazy import exports

if TYPE_CHECKING:
    from .copying import copy_file
    from .dirsync import SyncResult, download_dir, upload_dir
    from .files import (
        DOWNLOAD_RANGE,
        MAX_PART,
        MAX_PARTS,
        MIB,
        MIN_PART,
        Checksum,
        MultipartUpload,
        Part,
        Source,
        byte_ranges,
        check_concurrency,
        download_file,
        part_size_for,
        save_object,
        upload_file,
    )
    from .objectargs import ObjectArgs

_HOMES = {
    "Checksum": "files",
    "DOWNLOAD_RANGE": "files",
    "MAX_PART": "files",
    "MAX_PARTS": "files",
    "MIB": "files",
    "MIN_PART": "files",
    "MultipartUpload": "files",
    "ObjectArgs": "objectargs",
    "Part": "files",
    "Source": "files",
    "SyncResult": "dirsync",
    "byte_ranges": "files",
    "check_concurrency": "files",
    "copy_file": "copying",
    "download_dir": "dirsync",
    "download_file": "files",
    "part_size_for": "files",
    "save_object": "files",
    "upload_dir": "dirsync",
    "upload_file": "files",
}
__all__ = [
    "DOWNLOAD_RANGE",
    "MAX_PART",
    "MAX_PARTS",
    "MIB",
    "MIN_PART",
    "Checksum",
    "MultipartUpload",
    "ObjectArgs",
    "Part",
    "Source",
    "SyncResult",
    "byte_ranges",
    "check_concurrency",
    "copy_file",
    "download_dir",
    "download_file",
    "part_size_for",
    "save_object",
    "upload_dir",
    "upload_file",
]


__getattr__, __dir__ = exports(__name__, _HOMES, globals())
