"""presign: `aws s3 presign`'s download link of an object (presigned-url for the others)."""

from __future__ import annotations

import argparse

from .. import s3uri
from ..command import Context, Handwritten
from ..errors import EXIT_OK


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The s3:// path, and --expires-in."""
    parser.add_argument("path", metavar="s3://BUCKET/KEY", help="The object.")
    parser.add_argument(
        "--expires-in",
        type=int,
        default=3600,
        metavar="SECONDS",
        help="How long the link works: 1 to 604800 seconds (7 days); default 3600.",
    )


def run(context: Context) -> int:
    """Print the GET link on its own line."""
    where = s3uri.parse(context.args.path, key=True)
    print(
        context.client().presigned_url(
            "GET", where.bucket, where.key, expires=context.args.expires_in
        )
    )
    return EXIT_OK


COMMAND = Handwritten(
    name="presign",
    help="Print a link that downloads one object until it expires, as aws s3 presign does "
    "(presigned-url for other methods, headers and parameters).",
    add_arguments=add_arguments,
    run=run,
    group="links",
    example="s3wire presign s3://my-bucket/report.pdf --expires-in 600",
    prints="none",
)
