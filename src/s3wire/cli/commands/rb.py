"""rb: remove a bucket; --force empties it first."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from typing import Any

from .. import bulk, s3uri
from ..command import Context, Handwritten
from ..output import print_rows
from .rm import deletions, result_of


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The bucket, and --force."""
    parser.add_argument("bucket", metavar="s3://BUCKET", help="The bucket to remove.")
    parser.add_argument(
        "--force",
        action="store_true",
        help="First delete every object, object version and delete marker, and abort the "
        "multipart uploads in progress.",
    )


def run(context: Context) -> int:
    """Empty the bucket if asked, then delete it; one line per deletion."""
    args = context.args
    bucket = s3uri.parse(args.bucket, key=False).bucket
    failures: list[str] = []
    print_rows(_remove(context, bucket, args.force, failures), context.output, _line)
    return result_of(failures)


def _remove(
    context: Context, bucket: str, force: bool, failures: list[str]
) -> Iterator[dict[str, Any]]:
    client = context.client()
    if force:
        yield from deletions(client, bucket, bulk.versions(client, bucket), failures)
        for key, upload_id in bulk.uploads(client, bucket):
            client.abort_multipart_upload(bucket=bucket, key=key, upload_id=upload_id)
    if not failures:
        client.delete_bucket(bucket=bucket).raise_for_status()
        yield {"operation": "remove_bucket", "bucket": bucket}


def _line(row: dict[str, Any]) -> str:
    if row["operation"] == "remove_bucket":
        return f"remove_bucket: {row['bucket']}"
    version = f" (version {row['version_id']})" if row.get("version_id") else ""
    return f"delete: {row['path']}{version}"


COMMAND = Handwritten(
    name="rb",
    help="Remove a bucket, which must be empty unless --force empties it first.",
    add_arguments=add_arguments,
    run=run,
    group="shortcuts",
    example="s3wire rb s3://my-bucket --force",
    prints="items",
)
