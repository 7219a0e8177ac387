"""Removing scratch buckets after a test."""

from __future__ import annotations

import s3wire


def empty_and_delete(client: s3wire.Client, name: str) -> None:
    """Delete every object in a bucket, then the bucket."""
    while True:
        listing = client.list_objects_v2(bucket=name).raise_for_status()
        contents = listing.response["ListBucketResult"]["Contents"]
        for item in contents:
            client.delete_object(bucket=name, key=item["Key"]).raise_for_status()
        if not contents:
            break
    client.delete_bucket(bucket=name).raise_for_status()
