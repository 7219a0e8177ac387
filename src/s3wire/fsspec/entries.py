"""fsspec's info dicts ({"name", "size", "type", ...}) from listings and HEAD answers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from email.utils import parsedate_to_datetime
from typing import Any


def directory(name: str) -> dict[str, Any]:
    """A directory: a bucket, or a prefix some keys share."""
    return {"name": name, "size": 0, "type": "directory", "StorageClass": "DIRECTORY"}


def listed(bucket: str, item: Mapping[str, Any]) -> dict[str, Any]:
    """A file from a ListObjectsV2 Contents item."""
    return {
        "name": f"{bucket}/{item['Key']}",
        "size": int(item.get("Size", 0)),
        "type": "file",
        "ETag": item.get("ETag", ""),
        "LastModified": timestamp(item.get("LastModified")),
        "StorageClass": item.get("StorageClass", "STANDARD"),
    }


def version(bucket: str, item: Mapping[str, Any]) -> dict[str, Any]:
    """A file from a ListObjectVersions Version item: one version of its key."""
    return {
        **listed(bucket, item),
        "VersionId": item.get("VersionId"),
        "IsLatest": item.get("IsLatest"),
    }


def headed(path: str, fields: Mapping[str, Any]) -> dict[str, Any]:
    """A file from a HeadObject answer's fields."""
    return {
        "name": path,
        "size": int(fields.get("content_length", 0)),
        "type": "file",
        "ETag": fields.get("etag", ""),
        "LastModified": timestamp(fields.get("last_modified")),
        "StorageClass": fields.get("storage_class", "STANDARD"),
        "ContentType": fields.get("content_type"),
        "VersionId": fields.get("version_id"),
    }


def timestamp(value: object) -> dt.datetime | None:
    """A listing's ISO 8601 time or a header's HTTP date, as an aware datetime."""
    if isinstance(value, dt.datetime):
        return value
    if not isinstance(value, str) or not value:
        return None
    try:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        try:
            return parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
