"""The shared AWS files (~/.aws/config and ~/.aws/credentials): one profile's settings.

Messages about a file name it and a line number, never its text (it holds keys).
"""

from __future__ import annotations

import configparser
from collections.abc import Mapping
from pathlib import Path

from ..errors import ParamError


class Profile:
    """One profile's settings, from the config file and the credentials file (a plain class:
    dataclasses imports inspect, ast and dis, which from_env need not load)."""

    __slots__ = (
        "config",
        "credentials",
        "name",
        "service_settings",
        "services",
        "sso_session",
        "where",
    )

    def __init__(
        self, name: str, config: dict[str, str], credentials: dict[str, str], where: str
    ) -> None:
        self.name = name
        self.config = config  # not in the repr, nor credentials: they may hold keys
        self.credentials = credentials
        self.where = where  # "profile 'NAME' of FILES", for messages
        self.services: dict[str, str] = {}  # its `services` section's s3 part
        # Every service of its `services` section (service -> its nested settings).
        self.service_settings: dict[str, dict[str, str]] = {}
        self.sso_session: dict[str, str] = {}  # its [sso-session NAME]

    def __repr__(self) -> str:
        return f"Profile(name={self.name!r}, services={self.services!r}, where={self.where!r})"

    def get(self, name: str) -> str | None:
        """A setting: the credentials file first, then the config file (as the AWS CLI reads)."""
        return self.credentials.get(name) or self.config.get(name) or None

    def nested(self, section: str, name: str) -> str | None:
        """A nested setting, such as `s3 =` then `  addressing_style = path`."""
        return nested(self.config.get(section, "")).get(name) or None


def load_profile(name: str | None, environ: Mapping[str, str]) -> Profile:
    """The named profile (else AWS_PROFILE, else "default") from the shared files.

    A profile named explicitly or by AWS_PROFILE must exist; "default" may be absent.
    """
    chosen = name or environ.get("AWS_PROFILE") or "default"
    config_path = shared_file(environ, "AWS_CONFIG_FILE", "config")
    credentials_path = shared_file(environ, "AWS_SHARED_CREDENTIALS_FILE", "credentials")
    config = _read(config_path)
    credentials = _read(credentials_path)
    names = ["default", "profile default"] if chosen == "default" else [f"profile {chosen}"]
    section = next((name for name in names if config.has_section(name)), None)
    if chosen != "default" and section is None and not credentials.has_section(chosen):
        raise ParamError(
            f"AWS profile {chosen!r} is in neither {credentials_path} nor {config_path}"
        )
    profile = Profile(
        chosen,
        config=_section(config, section) if section else {},
        credentials=_section(credentials, chosen),
        where=f"profile {chosen!r} of {credentials_path} or {config_path}",
    )
    services = profile.config.get("services")
    if services:
        listed = _section(config, f"services {services}")
        profile.service_settings = {name: nested(text) for name, text in listed.items()}
        profile.services = profile.service_settings.get("s3", {})
    session = profile.config.get("sso_session")
    if session:
        if not config.has_section(f"sso-session {session}"):
            raise ParamError(
                f"{profile.where} names sso_session {session!r}, but {config_path} has no "
                f"[sso-session {session}] section"
            )
        profile.sso_session = _section(config, f"sso-session {session}")
    return profile


def shared_file(environ: Mapping[str, str], variable: str, name: str) -> Path:
    """A shared file: the variable's path, else ~/.aws/NAME (HOME from environ)."""
    if environ.get(variable):
        return Path(environ[variable]).expanduser()
    return aws_folder(environ) / name


def aws_folder(environ: Mapping[str, str]) -> Path:
    """~/.aws, HOME taken from environ."""
    home = environ.get("HOME")
    return (Path(home) if home else Path.home()) / ".aws"


def nested(text: str) -> dict[str, str]:
    """The `name = value` lines of a nested setting's value."""
    pairs = (line.partition("=") for line in text.splitlines())
    return {name.strip(): value.strip() for name, equals, value in pairs if equals}


def _read(path: Path) -> configparser.RawConfigParser:
    parser = configparser.RawConfigParser(default_section="\0none")
    problem = None
    try:
        parser.read_string(path.read_text(encoding="utf-8"), source=str(path))
    except FileNotFoundError:
        pass
    except (OSError, UnicodeDecodeError, configparser.Error) as exc:
        problem = _file_problem(exc)
    if problem is not None:  # raised out here: as its context, exc would carry the file's text
        raise ParamError(f"cannot read {path}: {problem}")
    return parser


def _file_problem(exc: Exception) -> str:
    """What is wrong with a shared file, by line number: never its text (it holds keys)."""
    if isinstance(exc, configparser.MissingSectionHeaderError):
        return f"line {exc.lineno} comes before any [section] header"
    if isinstance(exc, configparser.ParsingError):
        lines = ", ".join(str(number) for number, _ in exc.errors)
        return f"not a 'name = value' setting: line {lines}"
    if isinstance(exc, configparser.DuplicateSectionError | configparser.DuplicateOptionError):
        return f"[{exc.section}] or a setting in it is given twice (line {exc.lineno})"
    if isinstance(exc, UnicodeDecodeError):
        return f"it is not UTF-8 text (byte {exc.start})"
    if isinstance(exc, OSError):
        return exc.strerror or type(exc).__name__
    return type(exc).__name__


def _section(parser: configparser.RawConfigParser, name: str) -> dict[str, str]:
    return dict(parser.items(name)) if parser.has_section(name) else {}
