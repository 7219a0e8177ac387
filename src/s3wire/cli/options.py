"""Option values: argparse converters for each catalog type, and adding generated options."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .spec import Option, ValueType


def parse_int(text: str) -> int:
    """An integer, in decimal."""
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an integer, got {text!r}") from None


def parse_bool(text: str) -> bool:
    """true or false (in any case)."""
    lowered = text.lower()
    if lowered not in ("true", "false"):
        raise argparse.ArgumentTypeError(f"expected true or false, got {text!r}")
    return lowered == "true"


def parse_timestamp(text: str) -> dt.datetime:
    """An ISO 8601 time as an aware datetime; without an offset it is taken as UTC."""
    iso = text.strip()
    if iso[-1:] in ("Z", "z"):
        iso = iso[:-1] + "+00:00"  # fromisoformat reads "Z" only from Python 3.11 on
    try:
        value = dt.datetime.fromisoformat(iso)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected an ISO 8601 time such as 2024-05-01T12:00:00Z, got {text!r}"
        ) from None
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.timezone.utc)


def parse_map(text: str) -> dict[str, str]:
    """A JSON object of strings, given inline or as @FILE."""
    value = _json(text)
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise argparse.ArgumentTypeError('expected a JSON object of strings, like {"a": "1"}')
    return value


def parse_list(text: str) -> list[dict[str, Any]]:
    """A JSON array of objects, given inline or as @FILE."""
    value = _json(text)
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise argparse.ArgumentTypeError('expected a JSON array of objects, like [{"a": 1}]')
    return value


def parse_json(text: str) -> Any:
    """A JSON value (an object, or an array of them) given inline or as @FILE."""
    value = _json(text)
    if not isinstance(value, dict | list):
        raise argparse.ArgumentTypeError("expected a JSON object or array, or @FILE")
    return value


def parse_copy_source(text: str) -> str | dict[str, str]:
    """The object to copy from: "bucket/key", or a JSON object {bucket, key, version_id}."""
    return parse_map(text) if text.lstrip().startswith("{") else text


def _json(text: str) -> Any:
    """JSON text, or the contents of the file named after an @."""
    if text.startswith("@"):
        try:
            text = Path(text[1:]).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise argparse.ArgumentTypeError(f"cannot read {text[1:]}: {_reason(exc)}") from None
    try:
        return json.loads(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not valid JSON: {exc}") from None


def _reason(exc: Exception) -> str:
    """An OSError's reason without the file name (the caller names it), or the message."""
    return exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)


def parse_header(text: str) -> tuple[str, str]:
    """A 'Name: value' header."""
    name, colon, value = text.partition(":")
    if not colon or not name.strip():
        raise argparse.ArgumentTypeError(f"expected 'Name: value', got {text!r}")
    return name.strip(), value.strip()


def add_header_option(parser: argparse.ArgumentParser, help: str) -> None:
    """--header 'NAME: VALUE', repeatable, into args.header (a list of (name, value))."""
    parser.add_argument(
        "--header",
        action="append",
        type=parse_header,
        default=[],
        metavar="'NAME: VALUE'",
        help=help,
    )


@dataclass(frozen=True)
class _Kind:
    """How options of one catalog kind are shown, read and exemplified.

    `example` is a value for the example line, a format string: {param} is the parameter's
    name in capitals, {flag} the option's name without dashes. `opens_file`: the value names a
    file (or - for stdin) whose bytes are sent.
    """

    metavar: str
    convert: Callable[[str], Any]
    example: str
    hint: str = ""
    opens_file: bool = False


# By the parser name a catalog kind carries (codegen.kinds: Kind.cli).
KINDS: dict[ValueType, _Kind] = {
    "str": _Kind("TEXT", str, "{param}"),
    "int": _Kind("INT", parse_int, "1"),
    "bool": _Kind("{true,false}", parse_bool, "true"),
    "timestamp": _Kind(
        "TIME",
        parse_timestamp,
        "2024-05-01T12:00:00Z",
        "ISO 8601, e.g. 2024-05-01T12:00:00Z; UTC if no offset",
    ),
    "map": _Kind(
        "JSON|@FILE",
        parse_map,
        '{{"name": "value"}}',
        'a JSON object of strings, e.g. {"a": "1"}, or @FILE',
    ),
    "list": _Kind("JSON|@FILE", parse_list, "@{flag}.json", "a JSON array of objects, or @FILE"),
    "bytes": _Kind(
        "FILE|-", str, "./file.bin", "a file to stream, or - for stdin", opens_file=True
    ),
    "shape": _Kind(
        "JSON|@FILE",
        parse_json,
        "@{flag}.json",
        "JSON keyed by the XML element names, as the matching Get answers it, or @FILE",
    ),
    "copy_source": _Kind(
        "BUCKET/KEY|JSON",
        parse_copy_source,
        "source-bucket/path/to/key",
        '"bucket/key", or a JSON object like {"bucket": "b", "key": "k"}',
    ),
}


def example_value(option: Option) -> str:
    """A value the option could take, for its command's example line."""
    return KINDS[option.type].example.format(param=option.param.upper(), flag=option.flag[2:])


def opens_file(option: Option) -> bool:
    """Whether the option names a file (or - for stdin) whose bytes are sent."""
    return KINDS[option.type].opens_file


def dest(option: Option) -> str:
    """Where argparse stores an option's value (apart from the CLI's own options)."""
    return f"param:{option.param}"


def help_text(text: str) -> str:
    """Text for argparse help, which %-formats it."""
    return text.replace("%", "%%")


def paragraph(text: str) -> str:
    """A command's description for argparse help, wrapped to the terminal (the help formatter
    keeps it as it is, to keep the example's line whole)."""
    width = min(shutil.get_terminal_size((100, 24)).columns, 100) - 2
    return textwrap.fill(help_text(text), width)


def command_parser(
    add_parser: Callable[..., argparse.ArgumentParser], name: str, help: str, example: str
) -> argparse.ArgumentParser:
    """A command's subparser (add_parser: the subparsers' method): its help wrapped, its
    example as the epilog, no abbreviated options."""
    return add_parser(
        name,
        description=paragraph(help),
        epilog=f"example:\n  {help_text(example)}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        allow_abbrev=False,
    )


def add_option(group: argparse._ActionsContainer, option: Option) -> None:
    """Add one generated option: its type shows in the metavar (or the choices)."""
    kind = KINDS[option.type]
    hint = f" [{kind.hint}]" if kind.hint else ""
    group.add_argument(
        option.flag,
        dest=dest(option),
        metavar=None if option.choices else kind.metavar,
        type=kind.convert,
        choices=option.choices or None,
        required=option.required,
        help=help_text(option.help + hint),
    )
