"""What commands print and write: answers in the chosen format, exit codes, files saved safely."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from ..response import Response
from ..transfer import savefile
from . import hints, table, yaml_text
from .errors import EXIT_ERROR_ANSWER, EXIT_OK, UsageError
from .query import select

FORMATS = ("json", "yaml", "table")
OUTPUT_HELP = (
    "How to print the answer: json (the default), yaml, or table (a listing's items as "
    "columns; other answers as path/value rows)."
)
SHORTCUT_OUTPUT_HELP = "Print the items as json, yaml or table instead of lines of text."
SHORTCUT_QUERY_HELP = (
    "Print only the value at this dotted path into the items, such as 0.Key (a number picks "
    "an item, -1 the last)."
)
QUERY_HELP = (
    "Print only the value at this dotted path, such as response.ListBucketResult.Contents.0.Key "
    "(a number picks a list item, -1 the last); text as is, structures in the --output format. "
    "An error answer is printed whole."
)


@dataclass(frozen=True)
class Output:
    """How a command prints: `format` (None: the command's own), and the --query path."""

    format: str | None = None
    query: str | None = None


def add_output_options(parser: argparse.ArgumentParser, *, shortcut: bool = False) -> None:
    """Add --output and --query."""
    group = parser.add_argument_group("output")
    output_help, query_help = (
        (SHORTCUT_OUTPUT_HELP, SHORTCUT_QUERY_HELP) if shortcut else (OUTPUT_HELP, QUERY_HELP)
    )
    group.add_argument("--output", choices=FORMATS, help=output_help)
    group.add_argument("--query", metavar="PATH", help=query_help)


def print_json(value: Any) -> None:
    """Print JSON on stdout: indented, non-ASCII characters as themselves."""
    print(json.dumps(value, indent=2, ensure_ascii=False), file=sys.stdout)


def print_value(value: Any, output: Output) -> None:
    """Print a value in the chosen format (the --query already applied)."""
    if output.query is not None and not isinstance(value, dict | list):
        print(table.cell(value) if value is not None else "null")
    elif output.format == "yaml":
        sys.stdout.write(yaml_text.dump(value))
    elif output.format == "table":
        print(table.render(value))
    else:
        print_json(value)


def print_response(response: Response[Any, Any], output: Output) -> int:
    """Print {status, response, headers} as asked, and for an error answer what usually causes
    it on stderr (hints); answer the exit code the status calls for."""
    success = response.ok or response.status == 304  # 304: a conditional read, not an error
    answer = response.to_dict()
    if output.query is not None and success:
        print_value(select(answer, output.query), output)
    elif output.format == "table":
        rows = table.listing_rows(answer["response"]) if success else None
        print(table.render(answer if rows is None else rows))
    else:
        print_value(answer, Output(output.format))
    if success:
        return EXIT_OK
    hints.show(hints.for_response(response))
    return EXIT_ERROR_ANSWER


def print_rows(
    rows: Iterable[dict[str, Any]], output: Output, text: Callable[[dict[str, Any]], str]
) -> None:
    """Print a shortcut's items: a line of text each, as they come, unless a format or a query
    is asked for (then all of them at once)."""
    if output.format is None and output.query is None:
        for row in rows:
            print(text(row), flush=True)
        return
    items = list(rows)
    print_value(items if output.query is None else select(items, output.query), output)


@contextlib.contextmanager
def atomic_file(path: str) -> Iterator[AtomicFile]:
    """A file written whole or not at all: a private temporary file in the same folder,
    renamed over `path` on leaving only if `keep()` was called (and nothing raised); removed
    otherwise. The mode is download_file's (s3wire.transfer.savefile): a new file 0666 minus
    the umask, a replaced one keeps its permission bits."""
    directory, name = os.path.split(os.path.abspath(path))
    try:
        folder = savefile.open_folder(directory)
        try:
            with savefile.saving(folder, name) as saved:
                with open(saved.fd, "wb", closefd=False) as file:
                    written = AtomicFile(file)
                    yield written
                if written.kept:
                    saved.commit()
        finally:
            os.close(folder)
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror}") from None


class AtomicFile:
    """The open temporary file of atomic_file, and whether to keep it."""

    def __init__(self, file: IO[bytes]) -> None:
        self.file = file
        self.kept = False

    def keep(self) -> None:
        self.kept = True


def write_private(path: str, text: str) -> None:
    """Write a text file only its owner can read (mode 0600, also when it already exists)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            os.fchmod(file.fileno(), 0o600)
            file.write(text)
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror}") from None
