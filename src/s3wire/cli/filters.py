"""--exclude and --include, as `aws s3` applies them: every filter in the order given, the last
one whose pattern matches a path deciding (a path no filter matches is included)."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from fnmatch import fnmatchcase
from typing import Any

Filter = tuple[bool, str]  # (included, pattern)


class _AddFilter(argparse.Action):
    """Appends (included, pattern) to args.filters, keeping --exclude and --include in order."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[Any] | None,
        option_string: str | None = None,
    ) -> None:
        filters: list[Filter] = list(getattr(namespace, "filters", None) or [])
        filters.append((option_string == "--include", str(values)))
        namespace.filters = filters


def add_filter_options(parser: argparse.ArgumentParser) -> None:
    """--exclude PATTERN and --include PATTERN, each repeatable, into args.filters."""
    parser.set_defaults(filters=[])
    for name, what in (("exclude", "Leave out"), ("include", "Take back")):
        parser.add_argument(
            f"--{name}",
            action=_AddFilter,
            metavar="PATTERN",
            help=f"{what} the paths matching PATTERN (relative to SRC; * and ? match any "
            "character, / too; [...] a set). Filters apply in order, the last match wins.",
        )


def included(relative: str, filters: Sequence[Filter]) -> bool:
    """Whether a "/"-separated path relative to the source passes the filters."""
    for include, pattern in reversed(filters):
        if fnmatchcase(relative, pattern):
            return include
    return True
