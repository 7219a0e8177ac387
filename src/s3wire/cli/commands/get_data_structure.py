"""get-data-structure: build and check connection data, print it or save it privately."""

from __future__ import annotations

import argparse
import json
from typing import Any

from ...config import ADDRESSING_STYLES, get_data_structure
from ..command import Context, Handwritten
from ..errors import EXIT_OK
from ..options import parse_int
from ..output import print_json, write_private


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """--url, --access-key, --secret-key, --region and the connection options."""
    required = parser.add_argument_group("required options")
    required.add_argument(
        "--url", required=True, metavar="URL", help="The server, as http(s)://host[:port]."
    )
    required.add_argument("--access-key", required=True, metavar="TEXT", help="The access key ID.")
    required.add_argument(
        "--secret-key", required=True, metavar="TEXT", help="The secret access key."
    )
    required.add_argument(
        "--region", required=True, metavar="TEXT", help="The region, for example us-east-1."
    )
    parser.add_argument(
        "--service",
        default="s3",
        metavar="TEXT",
        help="The service name to sign for [default: s3].",
    )
    parser.add_argument(
        "--addressing-style",
        choices=ADDRESSING_STYLES,
        help="Where the bucket name goes: auto (the default: the path, except for AWS hosts), "
        "path, or virtual (the host name).",
    )
    parser.add_argument(
        "--part-size", type=parse_int, metavar="INT", help="The multipart part size, in bytes."
    )
    parser.add_argument(
        "--session-token", metavar="TEXT", help="The session token of temporary credentials."
    )
    parser.add_argument(
        "--out",
        metavar="FILE",
        help="Write the JSON to FILE, readable by its owner only (mode 0600), instead of "
        "printing it.",
    )


def run(context: Context) -> int:
    """Build the connection data; print it, or write it to --out."""
    args = context.args
    options: dict[str, Any] = {
        name: getattr(args, name)
        for name in ("addressing_style", "part_size", "session_token")
        if getattr(args, name) is not None
    }
    data = get_data_structure(
        args.url, args.access_key, args.secret_key, args.region, args.service, **options
    )
    if args.out is None:
        print_json(data)
    else:
        write_private(args.out, json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    return EXIT_OK


COMMAND = Handwritten(
    name="get-data-structure",
    help="Build and check connection data: the JSON every other command takes with --data.",
    add_arguments=add_arguments,
    run=run,
    group="setup",
    example="s3wire get-data-structure --url http://127.0.0.1:7480 --access-key AKIA... "
    "--secret-key SECRET --region us-east-1 --out conn.json",
    connects=False,
    prints="none",
)
