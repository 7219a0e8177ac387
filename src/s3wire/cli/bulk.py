"""Whole-bucket work for the shortcuts: every object under a prefix, deletes in batches."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from itertools import islice
from typing import Any

from .._generated.operations import ObjectIdentifier
from ..client import Client

BATCH = 1000  # DeleteObjects takes up to 1,000 keys


def objects(
    client: Client, bucket: str, prefix: str = "", delimiter: str | None = None
) -> Iterator[dict[str, Any]]:
    """Every object (and, with a delimiter, common prefix, as {"Prefix": ...}) of every page.

    An error answer raises S3Error.
    """
    params: dict[str, Any] = {"bucket": bucket, "prefix": prefix or None, "delimiter": delimiter}
    for page in client.paginate("list_objects_v2", **params):
        result = page.raise_for_status().response["ListBucketResult"]
        yield from result.get("CommonPrefixes", [])
        yield from result.get("Contents", [])


def versions(client: Client, bucket: str) -> Iterator[ObjectIdentifier]:
    """Every object version and delete marker of a bucket."""
    for page in client.paginate("list_object_versions", bucket=bucket):
        result = page.raise_for_status().response["ListVersionsResult"]
        for item in [*result.get("Version", []), *result.get("DeleteMarker", [])]:
            yield {"key": item["Key"], "version_id": item.get("VersionId")}


def delete(
    client: Client, bucket: str, identifiers: Iterable[ObjectIdentifier]
) -> Iterator[tuple[ObjectIdentifier, Mapping[str, Any] | None]]:
    """Delete objects in batches of 1,000: (identifier, None) for each deleted, or
    (identifier, its Error) for each S3 refused. An error answer to a batch raises S3Error."""
    pending = iter(identifiers)
    while batch := list(islice(pending, BATCH)):
        answer = client.delete_objects(bucket=bucket, objects=batch, quiet=True)
        errors = answer.raise_for_status().response["DeleteResult"].get("Error", [])
        failed: dict[tuple[str, str | None], Mapping[str, Any]] = {}
        for error in errors:  # by key and version, and by key alone (the version may be left out)
            failed[error.get("Key", ""), error.get("VersionId")] = error
            failed.setdefault((error.get("Key", ""), None), error)
        for item in batch:
            key = item["key"]
            yield item, failed.get((key, item.get("version_id"))) or failed.get((key, None))


def uploads(client: Client, bucket: str) -> Iterator[tuple[str, str]]:
    """(key, upload id) of every multipart upload in progress."""
    for page in client.paginate("list_multipart_uploads", bucket=bucket):
        result = page.raise_for_status().response["ListMultipartUploadsResult"]
        for upload in result.get("Upload", []):
            yield upload["Key"], upload["UploadId"]
