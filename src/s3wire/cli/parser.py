"""The argument parser: the catalog's commands and the handwritten ones, listed by group."""

from __future__ import annotations

import argparse
import re
import shutil
import textwrap
from collections.abc import Callable, Iterable, Sequence
from typing import NoReturn

from .._generated.cli_commands import COMMANDS
from ..client import Client
from . import plugins
from .catalog_commands import add_command
from .command import Handwritten
from .commands import HANDWRITTEN
from .connection import add_connection_options
from .errors import UsageError
from .groups import GROUPS
from .options import command_parser
from .output import FORMATS, OUTPUT_HELP, QUERY_HELP, add_output_options
from .spec import Command
from .suggest import did_you_mean

DESCRIPTION = """\
A command line for S3: one command per S3 operation of s3wire's catalog, plus shortcuts like
`aws s3` (ls, cp, rm, mb, rb) and helpers. Each S3 command prints the answer as JSON,
{"status", "response", "headers"} (--output yaml or table, --query PATH for one value).
`s3wire COMMAND --help` lists a command's options, with an example. The global options below
go before the command or among its own options, as in the AWS CLI: `s3wire --profile p ls
s3://b` is `s3wire ls s3://b --profile p`; each may be given once.
"""

EPILOG = """\
connection:
  --data FILE reads connection data written by `get-data-structure --out FILE` (mode 0600).
  Without it: S3WIRE_URL, S3WIRE_ACCESS_KEY, S3WIRE_SECRET_KEY and S3WIRE_REGION first, then
  the AWS way: AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID,
  AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_REGION or AWS_DEFAULT_REGION, then the profile
  (--profile NAME, AWS_PROFILE, else default) in ~/.aws/credentials and ~/.aws/config.
  --endpoint-url URL and --region REGION override the server and region of any of these.
  A value that starts with - goes after =, as in --query=-1.

shell completion:
  eval "$(s3wire completion bash)"    or, in zsh:    source <(s3wire completion zsh)

exit status:
  0  success: a 2xx answer (or 304 Not Modified)
  1  S3 answered with an error (4xx, 5xx, a redirect); its JSON is printed (a message on
     stderr for the shortcuts), and on stderr a hint of what usually causes it
  2  bad usage: options, connection data, files that cannot be read or written
  3  no usable answer: a network failure, or an answer s3wire refuses to parse
"""


class Parser(argparse.ArgumentParser):
    """An ArgumentParser that raises UsageError instead of printing usage and exiting."""

    def error(self, message: str) -> NoReturn:
        """Raise UsageError: main prints it on one line and exits 2."""
        raise UsageError(message, self.prog)

    def _check_value(self, action: argparse.Action, value: object) -> None:
        """UsageError for a value not among the choices, with the closest ones: for an unknown
        command never the list of all of them (argparse's own check would print it)."""
        if action.choices is None or value in action.choices:
            return
        choices = [str(choice) for choice in action.choices]
        close = did_you_mean(str(value), choices)
        if isinstance(action, argparse._SubParsersAction):
            text = close or "no command is close to it"
            message = f"unknown command '{value}'; {text} (`{self.prog} --help` lists them)"
        else:
            name = "/".join(action.option_strings) or action.dest
            listed = f"(choose from {', '.join(choices)})"
            detail = f"; {close} {listed}" if close else f" {listed}"
            message = f"argument {name}: invalid choice: '{value}'{detail}"
        raise UsageError(message, self.prog)


# The options every command that connects (--data ... --region) or prints (--output,
# --query) takes, before its name as well as among its own options.
GLOBAL_FLAGS = ("--data", "--profile", "--endpoint-url", "--region", "--output", "--query")
_BEFORE = "before:"  # the prefix of where a global option given before the command is stored
_OPTION = re.compile(r"(--.|-[^\d.-]).*", re.S)  # an option, as argparse tells them from -1


def parse(arguments: Sequence[str]) -> argparse.Namespace:
    """The parsed command line, global options given before the command moved to where the
    command's own options put them; UsageError for one given twice or not taken."""
    arguments, names = plugins.take(arguments, GLOBAL_FLAGS)
    _check_once(arguments)
    taken = {command.name for command in COMMANDS} | {command.name for command in HANDWRITTEN}
    added = [plugins.load(name, taken) for name in names]
    try:  # the named command's parser alone: building all 130 is most of a start-up
        parser = build_parser(added, _named(arguments))
        _check_before_command(parser, arguments)
        args, unknown = parser.parse_known_args(arguments)
    except _NotBuilt:  # argparse took another word for the command than _named did
        parser = build_parser(added)
        args, unknown = parser.parse_known_args(arguments)
    if unknown:
        _unrecognized(_subparser(parser, args.command), unknown)
    for flag in GLOBAL_FLAGS:
        name = _name(flag)
        value = getattr(args, _BEFORE + name)
        delattr(args, _BEFORE + name)
        if value is None:
            continue
        if not hasattr(args, name):
            raise UsageError(f"{args.command} does not take {flag}", "s3wire")
        setattr(args, name, value)
    return args


def _check_once(arguments: Sequence[str]) -> None:
    """UsageError if a global option appears twice (before `--`, after which all is values)."""
    words = list(arguments)
    if "--" in words:
        words = words[: words.index("--")]
    for flag in GLOBAL_FLAGS:
        count = sum(word == flag or word.startswith(flag + "=") for word in words)
        if count > 1:
            raise UsageError(f"{flag} given {count} times: give it once", "s3wire")


def _named(arguments: Sequence[str]) -> str | None:
    """The command the arguments name (the first word after the global options), or None
    when help is asked for or no command is named."""
    words = iter(arguments)
    for word in words:
        flag, equals, _ = word.partition("=")
        if not _OPTION.fullmatch(word):
            return word
        if flag not in GLOBAL_FLAGS:
            return None
        if not equals:
            next(words, None)  # its value
    return None


class _NotBuilt(Exception):
    """A command whose parser build_parser(only=...) left unbuilt was named."""


class _Unbuilt(Parser):
    """Stands for the parsers of the commands not named: parsing with it raises _NotBuilt."""

    def parse_known_args(self, *args: object, **kwargs: object) -> NoReturn:
        raise _NotBuilt


def _check_before_command(parser: argparse.ArgumentParser, arguments: Sequence[str]) -> None:
    """UsageError for an unknown option before the command (argparse would take the word after
    it for the command, and answer that no command is called so)."""
    words = iter(arguments)
    for word in words:
        flag, equals, _ = word.partition("=")
        if not _OPTION.fullmatch(word) or flag in ("-h", "--help"):
            return
        if flag not in GLOBAL_FLAGS:
            _unrecognized(parser, [word])
        if not equals:
            next(words, None)  # its value


def _unrecognized(parser: argparse.ArgumentParser, words: list[str]) -> NoReturn:
    """UsageError for the words no option of the command took: the first unknown option, with
    the closest of the command's options."""
    options = [word.partition("=")[0] for word in words if _OPTION.fullmatch(word)]
    if not options:
        raise UsageError(f"unrecognized arguments: {' '.join(words)}", parser.prog)
    flags = [flag for action in parser._actions for flag in action.option_strings]
    close = did_you_mean(options[0], [flag for flag in flags if flag.startswith("--")])
    text = close or f"{parser.prog} has no option close to it"
    others = f"also unknown: {', '.join(options[1:])}; " if options[1:] else ""
    raise UsageError(
        f"unknown option '{options[0]}'; {text} ({others}`{parser.prog} --help` lists them)",
        parser.prog,
    )


def _subparser(parser: argparse.ArgumentParser, command: str) -> argparse.ArgumentParser:
    """The parser of one command."""
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    found: argparse.ArgumentParser = commands.choices[command]
    return found


def _name(flag: str) -> str:
    """Where argparse stores an option: --endpoint-url is endpoint_url."""
    return flag[2:].replace("-", "_")


def _add_global_options(parser: argparse.ArgumentParser) -> None:
    """The global options, as the main parser takes them before a command."""
    add_connection_options(parser, dest=lambda name: _BEFORE + name)
    group = parser.add_argument_group("output")
    group.add_argument("--output", dest=_BEFORE + "output", choices=FORMATS, help=OUTPUT_HELP)
    group.add_argument("--query", dest=_BEFORE + "query", metavar="PATH", help=QUERY_HELP)


def build_parser(
    added: Sequence[plugins.Plugin] = (), only: str | None = None
) -> argparse.ArgumentParser:
    """The s3wire parser, with the commands of the plugins `added`; each command's `run` is in
    the parsed namespace (see `parse` for the global options given before the command). With
    `only`, the other commands are names alone (for the suggestions), their parsers unbuilt."""
    clients = {command.name: plugin.client for plugin in added for command in plugin.commands}
    entries: list[Command | Handwritten] = [
        *COMMANDS,
        *HANDWRITTEN,
        *(command for plugin in added for command in plugin.commands),
    ]
    parser = Parser(
        prog="s3wire",
        description=DESCRIPTION + command_list(entries),
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        allow_abbrev=False,
    )
    _add_global_options(parser)
    parser.add_argument(plugins.FLAG, metavar="PACKAGE", help=plugins.HELP)
    subparsers = parser.add_subparsers(
        title="commands",
        dest="command",
        metavar="COMMAND",
        required=True,
        help="one of the commands listed above",
    )
    unbuilt = _Unbuilt(add_help=False)
    for entry in sorted(entries, key=lambda entry: entry.name):
        if only is not None and entry.name != only:
            subparsers.choices[entry.name] = unbuilt  # argparse's map of name to parser
        elif isinstance(entry, Handwritten):
            _add_handwritten(subparsers.add_parser, entry)
        else:
            add_command(subparsers.add_parser, entry, clients.get(entry.name, Client))
    return parser


def command_list(entries: Iterable[Command | Handwritten]) -> str:
    """The commands under their group headings, each with the first sentence of its help."""
    grouped: dict[str, list[tuple[str, str]]] = {name: [] for name, _ in GROUPS}
    for entry in entries:
        grouped[entry.group].append((entry.name, entry.help))
    width = shutil.get_terminal_size((100, 24)).columns - 2
    lines: list[str] = []
    for name, heading in GROUPS:
        lines += ["", f"{heading}:"]
        for command, text in sorted(grouped[name]):
            lines += _command_line(command, text, width)
    return "\n".join(lines) + "\n"


def _command_line(name: str, text: str, width: int) -> list[str]:
    """`  name  help`, the help wrapped in a column, or below a name too long for it."""
    column = 30
    wrapped = textwrap.wrap(text, max(width - column, 30))
    if len(name) + 4 > column:
        return [f"  {name}", *(" " * column + line for line in wrapped)]
    first = f"  {name}".ljust(column) + (wrapped[0] if wrapped else "")
    return [first, *(" " * column + line for line in wrapped[1:])]


def _add_handwritten(
    add_parser: Callable[..., argparse.ArgumentParser], command: Handwritten
) -> None:
    parser = command_parser(add_parser, command.name, command.help, command.example)
    command.add_arguments(parser)
    if command.prints != "none":
        add_output_options(parser, shortcut=command.prints == "items")
    if command.connects:
        add_connection_options(parser)
    parser.set_defaults(run=command.run)
