"""cat: an object's bytes to stdout, as they arrive."""

from __future__ import annotations

import argparse
import sys

from .. import s3uri
from ..command import Context, Handwritten
from ..errors import EXIT_OK


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The s3:// path, and --version-id."""
    parser.add_argument("path", metavar="s3://BUCKET/KEY", help="The object.")
    parser.add_argument("--version-id", metavar="ID", help="A version of the object.")


def run(context: Context) -> int:
    """Stream the object to stdout (checked against its MD5 ETag or checksums as it goes: a
    mismatch is an error once the bytes are out)."""
    where = s3uri.parse(context.args.path, key=True)
    out = sys.stdout.buffer
    context.client().get_object(
        bucket=where.bucket, key=where.key, version_id=context.args.version_id, into=out
    ).raise_for_status()
    out.flush()
    return EXIT_OK


COMMAND = Handwritten(
    name="cat",
    help="Print an object's bytes on stdout, streamed (aws s3 cp s3://b/k -).",
    add_arguments=add_arguments,
    run=run,
    group="shortcuts",
    example="s3wire cat s3://my-bucket/logs/today.log | grep ERROR",
    prints="none",
)
