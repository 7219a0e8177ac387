"""request: send any signed request and print the answer."""

from __future__ import annotations

import argparse

from ..command import Context, Handwritten
from ..options import add_header_option
from ..output import print_response


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """--method, --path, and optionally --body, --header and --allow-other-host."""
    required = parser.add_argument_group("required options")
    required.add_argument(
        "--method", required=True, metavar="METHOD", help="The HTTP method: GET, PUT, ..."
    )
    required.add_argument(
        "--path",
        required=True,
        metavar="PATH_OR_URL",
        help='A path such as "/bucket/key?tagging", or a full URL of the connection\'s host '
        "(sent over the scheme it names; http on an https connection is refused); raw or "
        "percent-encoded.",
    )
    parser.add_argument(
        "--body", metavar="FILE|-", help="A file to send (streamed), or - for stdin."
    )
    add_header_option(parser, "A request header to send and sign; repeat for more.")
    parser.add_argument(
        "--allow-other-host",
        action="store_true",
        help="Send to a URL's host even when it is not the connection's (nor a bucket's under "
        "it): the request carries your signature there.",
    )


def run(context: Context) -> int:
    """Send the request with Client.request; print the answer."""
    args = context.args
    body = None if args.body is None else context.open_payload(args.body, "--body")
    response = context.client().request(
        args.method,
        args.path,
        body,
        dict(args.header),
        allow_other_host=args.allow_other_host,
    )
    return print_response(response, context.output)


COMMAND = Handwritten(
    name="request",
    help="Send any signed request (a path or URL of the connection's server); print the answer.",
    add_arguments=add_arguments,
    run=run,
    group="setup",
    example="s3wire request --method GET --path '/my-bucket?tagging'",
)
