"""Removing scratch buckets after a test."""

from __future__ import annotations

import s3wire
from s3wire import paginate


def empty_and_delete(client: s3wire.Client, name: str) -> None:
    """Delete every object in a bucket (any key: the listing is URL-encoded), then the bucket."""
    while True:
        contents = list(paginate.objects(client, name))
        for item in contents:
            client.delete_object(bucket=name, key=item["Key"]).raise_for_status()
        if not contents:
            break
    client.delete_bucket(bucket=name).raise_for_status()


def delete_every_version(client: s3wire.Client, name: str) -> None:
    """Delete every version and delete marker of a versioned bucket's keys (then
    empty_and_delete can delete it)."""
    for page in client.paginate("list_object_versions", bucket=name):
        result = page.raise_for_status().response["ListVersionsResult"]
        for item in [*result["Version"], *result["DeleteMarker"]]:
            client.delete_object(bucket=name, key=item["Key"], version_id=item["VersionId"])
