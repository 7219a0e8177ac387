"""The command table's record types: s3wire._generated.cli_commands is a tuple of these."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ValueType = Literal[
    "str", "int", "bool", "timestamp", "map", "list", "bytes", "copy_source", "shape"
]


@dataclass(frozen=True, slots=True)
class Option:
    """One option of a generated command: its flag, the method parameter it fills, its type."""

    flag: str
    param: str
    type: ValueType = "str"
    required: bool = False
    choices: tuple[str, ...] = ()
    help: str = ""


@dataclass(frozen=True, slots=True)
class Command:
    """One generated command: calls the Client method `method` with the options given.

    `group` is its heading in `s3wire --help` (one of groups.GROUPS), from the catalog.
    `data_out` marks an operation whose answer body is data (GetObject): the command takes
    `--out FILE` to save it.
    """

    name: str
    method: str
    help: str
    group: str
    options: tuple[Option, ...] = ()
    data_out: bool = False
