"""mb: make a bucket."""

from __future__ import annotations

import argparse

from .. import s3uri
from ..command import Context, Handwritten
from ..errors import EXIT_OK
from ..output import print_rows


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The bucket, as s3://bucket."""
    parser.add_argument("bucket", metavar="s3://BUCKET", help="The bucket to create.")


def run(context: Context) -> int:
    """Create the bucket (in the connection's region); print `make_bucket: NAME`."""
    bucket = s3uri.parse(context.args.bucket, key=False).bucket
    context.client().create_bucket(bucket=bucket).raise_for_status()
    row = {"operation": "make_bucket", "bucket": bucket}
    print_rows([row], context.output, lambda row: f"make_bucket: {row['bucket']}")
    return EXIT_OK


COMMAND = Handwritten(
    name="mb",
    help="Make a bucket, in the connection's region.",
    add_arguments=add_arguments,
    run=run,
    group="shortcuts",
    example="s3wire mb s3://my-bucket",
    prints="items",
)
