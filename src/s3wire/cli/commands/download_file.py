"""download-file: save an object to a file, replaced only once every byte has arrived."""

from __future__ import annotations

import argparse

from ..command import Context, Handwritten
from ..output import print_response
from ..transfer_options import add_transfer_options, progress_bar


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """--bucket, --key, --dest, and an optional version."""
    required = parser.add_argument_group("required options")
    required.add_argument("--bucket", required=True, help="The bucket's name.")
    required.add_argument("--key", required=True, help="The object's key.")
    required.add_argument("--dest", required=True, metavar="FILE", help="Where to save it.")
    parser.add_argument("--version-id", help="The object version to read.")
    add_transfer_options(parser)


def run(context: Context) -> int:
    """Download; print the object's HeadObject answer."""
    args = context.args
    bar = progress_bar(args)
    response = context.client().download_file(
        args.bucket,
        args.key,
        args.dest,
        version_id=args.version_id,
        concurrency=args.concurrency,
        progress=bar,
    )
    bar.finish()
    return print_response(response, context.output)


COMMAND = Handwritten(
    name="download-file",
    help="Download an object to a file in parallel ranges, renamed into place when complete.",
    add_arguments=add_arguments,
    run=run,
    group="transfers",
    example="s3wire download-file --bucket my-bucket --key path/to/key --dest ./file.bin",
)
