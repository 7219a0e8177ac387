"""Connection data for a command: the --data JSON file (or stdin), else the environment.

Without --data, the S3WIRE_* variables come first, then the standard AWS chain
(s3wire.credentials: AWS_* variables, then the profile named by --profile or AWS_PROFILE).
--endpoint-url and --region, when given, override the server and region of either source.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Mapping
from typing import IO, TYPE_CHECKING, Any

from .. import credentials
from ..config import ConnectionData
from ..credentials import MissingSettingsError
from .errors import UsageError

if TYPE_CHECKING:
    from ..credentials_api import CredentialProvider

# s3wire's own variables, each taken before the standard chain's sources of that setting.
S3WIRE_VARIABLES = {
    "url": "S3WIRE_URL",
    "access_key": "S3WIRE_ACCESS_KEY",
    "secret_key": "S3WIRE_SECRET_KEY",
    "region": "S3WIRE_REGION",
}
# What to set, per setting the chain found nowhere (see credentials.MissingSettingsError).
HINTS = {
    "url": "S3WIRE_URL (or AWS_ENDPOINT_URL) for a server other than AWS",
    "credentials": "S3WIRE_ACCESS_KEY (or AWS_ACCESS_KEY_ID) and S3WIRE_SECRET_KEY "
    "(or AWS_SECRET_ACCESS_KEY)",
    "region": "S3WIRE_REGION (or AWS_REGION, AWS_DEFAULT_REGION)",
}
DATA_HELP = (
    "The connection data JSON (as written by get-data-structure --out), or - for stdin. "
    "Without it: S3WIRE_URL, S3WIRE_ACCESS_KEY, S3WIRE_SECRET_KEY and S3WIRE_REGION, else "
    "the AWS way: AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID, "
    "AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_REGION or AWS_DEFAULT_REGION, then the "
    "profile in ~/.aws/credentials and ~/.aws/config."
)
PROFILE_HELP = (
    "The AWS profile to read from ~/.aws/credentials and ~/.aws/config (keys, "
    "credential_process, region, endpoint_url, s3 addressing_style) instead of AWS_PROFILE; "
    "it also takes precedence over AWS_ACCESS_KEY_ID."
)
ENDPOINT_HELP = (
    "The server, as http(s)://host[:port], instead of the one the connection data, "
    "S3WIRE_URL, AWS_ENDPOINT_URL or the profile names."
)
REGION_HELP = "The region to sign for, instead of the one the connection data or environment names."


def add_connection_options(
    parser: argparse._ActionsContainer, dest: Callable[[str], str] = str
) -> None:
    """Add --data, --profile, --endpoint-url and --region to a command that sends requests
    (`dest` names where each is stored, from its plain name)."""
    group = parser.add_argument_group("connection")
    group.add_argument("--data", dest=dest("data"), metavar="FILE|-", help=DATA_HELP)
    group.add_argument("--profile", dest=dest("profile"), metavar="NAME", help=PROFILE_HELP)
    group.add_argument(
        "--endpoint-url", dest=dest("endpoint_url"), metavar="URL", help=ENDPOINT_HELP
    )
    group.add_argument("--region", dest=dest("region"), metavar="REGION", help=REGION_HELP)


def resolve(
    args: argparse.Namespace,
    environ: Mapping[str, str],
    open_input: Callable[[str, str], IO[bytes]],
) -> tuple[Mapping[str, Any], CredentialProvider | None]:
    """The connection data the options name, and the credential provider to sign with (None:
    the data's keys): --data's file (opened with `open_input`), else the environment and
    --profile, whose temporary credentials are refreshed during a long command;
    --endpoint-url and --region over either; a transfer command's --no-fsync over all."""
    data, keys = _named_data(args, environ, open_input)
    if getattr(args, "fsync", True) is False:  # only the commands that download have it
        data = {**data, "fsync_downloads": False}
    return data, keys


def _named_data(
    args: argparse.Namespace,
    environ: Mapping[str, str],
    open_input: Callable[[str, str], IO[bytes]],
) -> tuple[Mapping[str, Any], CredentialProvider | None]:
    overrides = {"url": args.endpoint_url, "region": args.region}
    if args.data is None:
        return from_environment(environ, args.profile, **overrides)
    if args.profile is not None:
        raise UsageError("--data and --profile cannot be used together")
    data = read_data(open_input(args.data, "--data"), args.data)
    given = {name: value for name, value in overrides.items() if value is not None}
    return {**data, **given}, None


def read_data(file: IO[bytes], name: str) -> dict[str, Any]:
    """Connection data from a JSON file (its object is checked when the client is built)."""
    problem = None
    try:
        data = json.load(file)
    except (OSError, ValueError) as exc:
        # The error keeps the file's text (exc.doc, exc.object), secrets and all: the UsageError
        # is raised outside this block so that it does not carry the error as its context.
        problem = f"--data {name}: not readable JSON: {exc}"
    if problem is not None:
        raise UsageError(problem)
    if not isinstance(data, dict):
        raise UsageError(f"--data {name}: expected a JSON object of connection settings")
    return data


def from_environment(
    environ: Mapping[str, str], profile: str | None = None, **overrides: str | None
) -> tuple[ConnectionData, CredentialProvider]:
    """Connection data and credential provider from `overrides` (url, region: the command
    line's), S3WIRE_* variables, then the AWS chain; UsageError naming what is missing."""
    given = {setting: environ.get(name) or None for setting, name in S3WIRE_VARIABLES.items()}
    given.update({setting: value for setting, value in overrides.items() if value is not None})
    if bool(given["access_key"]) != bool(given["secret_key"]):
        raise UsageError("S3WIRE_ACCESS_KEY and S3WIRE_SECRET_KEY go together: set both")
    try:
        return credentials.resolve(profile, environ=environ, **given)
    except MissingSettingsError as exc:
        needed = "; ".join(HINTS[name] for name in exc.missing)
        raise UsageError(
            f"no connection data: give --data FILE, or set {needed}; or put them in "
            f"{exc.profile} (--profile NAME or AWS_PROFILE to choose another)"
        ) from None
