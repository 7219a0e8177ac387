"""Whole-bucket work for the shortcuts: every version and upload of a bucket, deletes in
batches (the listings are s3wire.paginate's)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from itertools import islice
from typing import Any

from .. import paginate
from .._generated.records import ObjectIdentifier
from ..client import Client
from ..errors import ResponseError

BATCH = 1000  # DeleteObjects takes up to 1,000 keys
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")  # XML 1.0 drops, rewrites or warns of these


def versions(client: Client, bucket: str) -> Iterator[ObjectIdentifier]:
    """Every object version and delete marker of a bucket."""
    for _, item in paginate.versions(client, bucket):
        yield {"key": item["Key"], "version_id": item.get("VersionId")}


def delete(
    client: Client, bucket: str, identifiers: Iterable[ObjectIdentifier]
) -> Iterator[tuple[ObjectIdentifier, Mapping[str, Any] | None]]:
    """Delete objects, in batches of 1,000 (DeleteObjects): (identifier, None) for each
    deleted, or (identifier, its Error) for each S3 refused. A key with a control character,
    which XML cannot carry as is, is deleted alone (DeleteObject, the key in the URL). An error
    answer to a batch raises S3Error."""
    pending = iter(identifiers)
    while batch := list(islice(pending, BATCH)):
        alone = [item for item in batch if _CONTROL.search(item["key"])]
        together = [item for item in batch if not _CONTROL.search(item["key"])]
        for item in alone:
            yield item, _delete_one(client, bucket, item)
        if together:
            yield from _delete_batch(client, bucket, together)


def _delete_batch(
    client: Client, bucket: str, batch: list[ObjectIdentifier]
) -> Iterator[tuple[ObjectIdentifier, Mapping[str, Any] | None]]:
    answer = client.delete_objects(bucket=bucket, objects=batch, quiet=True).raise_for_status()
    result = answer.response.get("DeleteResult")
    if not isinstance(result, dict):
        raise ResponseError("the DeleteObjects answer holds no DeleteResult")
    failed: dict[tuple[str, str | None], Mapping[str, Any]] = {}
    for error in result.get("Error", []):  # by key and version, and by key alone
        failed[error.get("Key", ""), error.get("VersionId")] = error
        failed.setdefault((error.get("Key", ""), None), error)
    for item in batch:
        key = item["key"]
        yield item, failed.get((key, item.get("version_id"))) or failed.get((key, None))


def _delete_one(client: Client, bucket: str, item: ObjectIdentifier) -> Mapping[str, Any] | None:
    """DeleteObject: None when deleted, else the answer's Error."""
    answer = client.delete_object(bucket=bucket, key=item["key"], version_id=item.get("version_id"))
    if answer.ok:
        return None
    error: Mapping[str, Any] = answer.response.get("Error") or {"Code": f"HTTP{answer.status}"}
    return error


def uploads(client: Client, bucket: str) -> Iterator[tuple[str, str]]:
    """(key, upload id) of every multipart upload in progress."""
    for upload in paginate.uploads(client, bucket):
        upload_id = upload.get("UploadId")
        if not isinstance(upload_id, str):
            raise ResponseError(f"the upload of {upload['Key']!r} is listed without an UploadId")
        yield upload["Key"], upload_id
