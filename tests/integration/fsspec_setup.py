"""What the fsspec test modules share: the test server's storage_options and scratch buckets."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from typing import Any

import servers
from cleanup import delete_every_version, empty_and_delete

import s3wire
from s3wire.fsspec import S3WireFileSystem


def options_of(server: servers.S3Server) -> dict[str, Any]:
    """The server's storage_options, under s3fs's names."""
    return {
        "endpoint_url": server.url,
        "key": server.access_key,
        "secret": server.secret_key,
        "region": server.region,
        "addressing_style": "path",
    }


def data_of(options: dict[str, Any]) -> s3wire.ConnectionData:
    """The connection data of storage_options (for a plain s3wire.Client)."""
    return s3wire.get_data_structure(
        options["endpoint_url"],
        options["key"],
        options["secret"],
        options["region"],
        addressing_style="path",
    )


@contextlib.contextmanager
def scratch_bucket(fs: S3WireFileSystem, prefix: str = "s3wire-fs") -> Iterator[str]:
    """A fresh bucket, emptied (every version too) and deleted afterwards."""
    name = f"{prefix}-{uuid.uuid4().hex[:12]}"
    fs.mkdir(name)
    try:
        yield name
    finally:
        with s3wire.Client(data_of(fs.storage_options)) as client:
            delete_every_version(client, name)
            empty_and_delete(client, name)
        fs.invalidate_cache()
