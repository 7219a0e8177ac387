"""Connection data for a command: the --data JSON file (or stdin), else the environment."""

from __future__ import annotations

import argparse
import json
from collections.abc import Mapping
from typing import IO, Any

from .errors import UsageError

# Each setting comes from the first of its variables that is set (and not empty).
ENVIRONMENT: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("url", ("S3WIRE_URL", "AWS_ENDPOINT_URL")),
    ("access_key", ("S3WIRE_ACCESS_KEY", "AWS_ACCESS_KEY_ID")),
    ("secret_key", ("S3WIRE_SECRET_KEY", "AWS_SECRET_ACCESS_KEY")),
    ("region", ("S3WIRE_REGION", "AWS_REGION", "AWS_DEFAULT_REGION")),
    ("session_token", ("AWS_SESSION_TOKEN",)),
)
OPTIONAL = frozenset({"session_token"})


def add_data_option(parser: argparse.ArgumentParser) -> None:
    """Add --data, the connection data file, to a command that sends requests."""
    parser.add_argument_group("connection").add_argument(
        "--data",
        metavar="FILE|-",
        help="The connection data JSON (as written by get-data-structure --out), or - for "
        "stdin. Without it: the S3WIRE_URL, S3WIRE_ACCESS_KEY, S3WIRE_SECRET_KEY and "
        "S3WIRE_REGION environment variables, else AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID, "
        "AWS_SECRET_ACCESS_KEY, AWS_REGION (or AWS_DEFAULT_REGION) and AWS_SESSION_TOKEN.",
    )


def read_data(file: IO[bytes], name: str) -> dict[str, Any]:
    """Connection data from a JSON file (its object is checked when the client is built)."""
    try:
        data = json.load(file)
    except (OSError, ValueError) as exc:
        raise UsageError(f"--data {name}: not readable JSON: {exc}") from None
    if not isinstance(data, dict):
        raise UsageError(f"--data {name}: expected a JSON object of connection settings")
    return data


def from_environment(environ: Mapping[str, str]) -> dict[str, Any]:
    """Connection data from the environment; UsageError naming the variables that are missing."""
    data: dict[str, Any] = {}
    missing: list[str] = []
    for setting, names in ENVIRONMENT:
        value = next((environ[name] for name in names if environ.get(name)), None)
        if value is not None:
            data[setting] = value
        elif setting not in OPTIONAL:
            missing.append(f"{names[0]} (or {', '.join(names[1:])})")
    if missing:
        raise UsageError(f"no connection data: give --data FILE, or set {'; '.join(missing)}")
    return data
