"""presigned-url: print a link that lets anyone holding it make one request until it expires."""

from __future__ import annotations

import argparse

from ..command import Context, Handwritten
from ..errors import EXIT_OK
from ..options import add_header_option


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """--method, --bucket, --key, --expires, and optional headers and query parameters."""
    required = parser.add_argument_group("required options")
    required.add_argument("--method", required=True, help="GET (download), PUT (upload), HEAD, ...")
    required.add_argument("--bucket", required=True, help="The bucket's name.")
    required.add_argument("--key", required=True, help="The object's key.")
    parser.add_argument(
        "--expires",
        type=int,
        default=3600,
        metavar="SECONDS",
        help="How long the link works: 1 to 604800 seconds (7 days); default 3600.",
    )
    add_header_option(parser, "A header the link's user must send (it is signed); repeat for more.")
    parser.add_argument(
        "--param",
        action="append",
        type=_parse_param,
        default=[],
        metavar="NAME=VALUE",
        help="An extra query parameter, such as versionId=...; repeat for more.",
    )


def _parse_param(text: str) -> tuple[str, str]:
    name, equals, value = text.partition("=")
    if not equals or not name:
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {text!r}")
    return name, value


def run(context: Context) -> int:
    """Print the link on its own line."""
    args = context.args
    url = context.client().presigned_url(
        args.method,
        args.bucket,
        args.key,
        expires=args.expires,
        headers=dict(args.header) or None,
        params=dict(args.param) or None,
    )
    print(url)
    return EXIT_OK


COMMAND = Handwritten(
    name="presigned-url",
    help="Print a presigned URL (a download or upload link) for one object.",
    add_arguments=add_arguments,
    run=run,
    group="links",
    example="s3wire presigned-url --method GET --bucket my-bucket --key path/to/key --expires 600",
    prints="none",
)
