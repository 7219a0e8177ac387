"""The options the transfer commands share: --concurrency and --quiet."""

from __future__ import annotations

import argparse

from ..limits import DEFAULT_CONCURRENCY


def add_transfer_options(parser: argparse.ArgumentParser) -> None:
    """--concurrency (parallel requests) and --quiet (no progress bar)."""
    parser.add_argument(
        "--concurrency",
        type=int,
        default=DEFAULT_CONCURRENCY,
        metavar="N",
        help=f"Parts or ranges sent at once [default: {DEFAULT_CONCURRENCY}].",
    )
    parser.add_argument(
        "--quiet",
        action="store_true",
        help="No progress bar (there is none anyway when stderr is not a terminal).",
    )
