"""The argument parser: the catalog's commands and the handwritten ones, sorted by name."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import NoReturn

from .._generated.cli_commands import COMMANDS
from .catalog_commands import add_command
from .command import Handwritten
from .commands import HANDWRITTEN
from .connection import add_data_option
from .errors import UsageError
from .options import help_text
from .spec import Command

DESCRIPTION = """\
A command line for S3: one command per S3 operation of s3wire's catalog, plus handwritten ones.
Each prints the answer as JSON: {"status", "response", "headers"}. `s3wire COMMAND --help`
lists a command's options.
"""

EPILOG = """\
connection:
  get-data-structure --out FILE writes the connection data (mode 0600) that other commands read
  with --data FILE. Without --data: S3WIRE_URL, S3WIRE_ACCESS_KEY, S3WIRE_SECRET_KEY and
  S3WIRE_REGION, else AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION
  (or AWS_DEFAULT_REGION), and AWS_SESSION_TOKEN.

exit status:
  0  success: a 2xx answer (or 304 Not Modified)
  1  S3 answered with an error (4xx, 5xx, a redirect); its JSON is printed
  2  bad usage: options, connection data, files that cannot be read or written
  3  no usable answer: a network failure, or an answer s3wire refuses to parse
"""


class Parser(argparse.ArgumentParser):
    """An ArgumentParser that raises UsageError instead of printing usage and exiting."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(message, self.prog)


def build_parser() -> argparse.ArgumentParser:
    """The s3wire parser; each command's `run` is in the parsed namespace."""
    parser = Parser(
        prog="s3wire",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        allow_abbrev=False,
    )
    subparsers = parser.add_subparsers(
        title="commands", dest="command", metavar="COMMAND", required=True
    )
    entries: list[Command | Handwritten] = [*COMMANDS, *HANDWRITTEN]
    for entry in sorted(entries, key=lambda entry: entry.name):
        if isinstance(entry, Handwritten):
            _add_handwritten(subparsers.add_parser, entry)
        else:
            add_command(subparsers.add_parser, entry)
    return parser


def _add_handwritten(
    add_parser: Callable[..., argparse.ArgumentParser], command: Handwritten
) -> None:
    text = help_text(command.help)
    parser = add_parser(command.name, help=text, description=text, allow_abbrev=False)
    command.add_arguments(parser)
    if command.connects:
        add_data_option(parser)
    parser.set_defaults(run=command.run)
