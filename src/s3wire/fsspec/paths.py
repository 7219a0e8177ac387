"""Paths: "bucket/key/parts", as fsspec passes them once the protocol is stripped."""

from __future__ import annotations

PROTOCOLS = ("s3wire", "s3", "s3a")


def strip_protocol(path: str) -> str:
    """The path without its protocol ("s3wire://", "s3://", "s3a://") or trailing slash."""
    for protocol in PROTOCOLS:
        prefix = protocol + "://"
        if path.startswith(prefix):
            path = path[len(prefix) :]
            break
    return path.lstrip("/").rstrip("/")


def split(path: str) -> tuple[str, str]:
    """(bucket, key) of a stripped path; the key is "" for a bucket."""
    bucket, _, key = path.partition("/")
    return bucket, key


def parents(path: str, top: str) -> list[str]:
    """The directories between `top` (excluded) and the path (excluded), outermost first:
    parents("b/x/y/z", "b") == ["b/x", "b/x/y"]."""
    found: list[str] = []
    parent = path.rpartition("/")[0]
    while parent and len(parent) > len(top):
        found.append(parent)
        parent = parent.rpartition("/")[0]
    return found[::-1]


VERSION_MARK = "?versionId="  # s3fs's way to name one version of a key in a path


def split_version(path: str) -> tuple[str, str | None]:
    """(path, version id) of "bucket/key?versionId=ID"; the id is None without the mark."""
    plain, mark, version_id = path.partition(VERSION_MARK)
    return (plain, version_id or None) if mark else (path, None)


def with_version(path: str, version_id: str | None) -> str:
    """The path naming one version of its key (the path itself for None)."""
    return path if version_id is None else f"{path}{VERSION_MARK}{version_id}"
