"""The catalog's commands: a subparser for each generated Command, and running one."""

from __future__ import annotations

import argparse
import functools
from collections.abc import Callable
from typing import Any

from ..client import Client
from ..response import Response
from .command import Context
from .connection import add_connection_options
from .examples import example
from .options import add_option, command_parser, dest, opens_file
from .output import add_output_options, atomic_file, print_response
from .spec import Command

OUT_HELP = (
    "Save the answer's data (the object's bytes) to FILE, streamed into a temporary file "
    "beside it and renamed over FILE only for a whole 2xx answer. Without --out the data is "
    "not shown: only the JSON answer is printed."
)


def add_command(
    add_parser: Callable[..., argparse.ArgumentParser],
    command: Command,
    client: type[Client] = Client,
) -> None:
    """Add the subparser of one generated command (add_parser: the subparsers' method), which
    calls a method of `client` (a plugin's commands: its client class)."""
    parser = command_parser(add_parser, command.name, command.help, example(command))
    required = parser.add_argument_group("required options")
    for option in command.options:
        add_option(required if option.required else parser, option)
    if command.data_out:
        parser.add_argument("--out", metavar="FILE", help=OUT_HELP)
    add_output_options(parser)
    add_connection_options(parser)
    parser.set_defaults(run=functools.partial(run_command, command, client))


def run_command(command: Command, client: type[Client], context: Context) -> int:
    """Call the command's method of a `client` with the options given; print the answer."""
    args = context.args
    values: dict[str, Any] = {}
    for option in command.options:
        value = getattr(args, dest(option))
        if value is None:
            continue
        if opens_file(option):
            value = context.open_payload(value, option.flag)
        values[option.param] = value
    method: Callable[..., Response[Any, Any]] = getattr(context.client(client), command.method)
    if not (command.data_out and args.out is not None):
        return print_response(method(**values), context.output)
    with atomic_file(args.out) as out:
        response = method(**values, into=out.file)
        if response.ok:
            out.keep()
    return print_response(response, context.output)
