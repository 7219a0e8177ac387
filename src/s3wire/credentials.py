"""The standard AWS configuration chain: explicit values, environment variables, then a profile.

Each setting comes from the first source that has it:

- credentials: explicit `access_key`/`secret_key` (with `session_token`); AWS_ACCESS_KEY_ID,
  AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN (skipped when a profile is named explicitly, as
  the AWS CLI's --profile does); the profile's keys in the credentials file, its
  `credential_process`, its keys in the config file;
- region: explicit; AWS_REGION, AWS_DEFAULT_REGION; the profile's `region`;
- url: explicit; AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL; the profile's `services` section
  (`s3 = endpoint_url = ...`); the profile's `endpoint_url`; else AWS's endpoint for the region;
- addressing_style: explicit; the profile's `s3 = addressing_style = ...`; else "auto";
- verify: explicit; AWS_CA_BUNDLE; the profile's `ca_bundle`.

The profile is `profile=`, else AWS_PROFILE, else "default"; the files are AWS_CONFIG_FILE
(~/.aws/config) and AWS_SHARED_CREDENTIALS_FILE (~/.aws/credentials).
"""

from __future__ import annotations

import configparser
import datetime as dt
import json
import logging
import os
import shlex
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .config import ConnectionData, get_data_structure
from .errors import ParamError

logger = logging.getLogger(__name__)

PROCESS_TIMEOUT = 60.0  # seconds a credential_process may take
ENDPOINT_VARIABLES = ("AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL")
REGION_VARIABLES = ("AWS_REGION", "AWS_DEFAULT_REGION")
KEY_VARIABLES = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")
# The settings a chain can lack, as its message shows them, and the variables that give them.
SOURCES = {
    "url": ("endpoint", "AWS_ENDPOINT_URL_S3 (or AWS_ENDPOINT_URL) for a server other than AWS"),
    "credentials": ("credentials", "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"),
    "region": ("region", "AWS_REGION (or AWS_DEFAULT_REGION)"),
}


class MissingSettingsError(ParamError):
    """The chain found no value for some settings: `missing` names them ("url", "credentials",
    "region"); `profile` says which profile was read, in which files."""

    def __init__(self, missing: tuple[str, ...], profile: str) -> None:
        self.missing = missing
        self.profile = profile
        labels = ", ".join(SOURCES[name][0] for name in missing)
        ways = "; ".join(SOURCES[name][1] for name in missing)
        super().__init__(f"no {labels} found: pass them, or set {ways}, or put them in {profile}")


@dataclass
class Profile:
    """One profile's settings, from the config file and the credentials file."""

    name: str
    # Not in the repr: they may hold keys.
    config: dict[str, str] = field(default_factory=dict, repr=False)
    credentials: dict[str, str] = field(default_factory=dict, repr=False)
    services: dict[str, str] = field(default_factory=dict)  # its `services` section's s3 part
    where: str = ""  # "profile 'NAME' of FILES", for messages

    def get(self, name: str) -> str | None:
        """A setting: the credentials file first, then the config file (as the AWS CLI reads)."""
        return self.credentials.get(name) or self.config.get(name) or None

    def nested(self, section: str, name: str) -> str | None:
        """A nested setting, such as `s3 =` then `  addressing_style = path`."""
        return _nested(self.config.get(section, "")).get(name) or None


def connection_data(
    profile: str | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    **explicit: Any,
) -> ConnectionData:
    """Connection data from explicit values, the environment and an AWS profile, checked.

    `explicit` takes get_data_structure's names (url, access_key, secret_key, region,
    session_token, addressing_style, part_size, ...); None values count as not given. Raises
    MissingSettingsError (a ParamError) naming what no source had, ParamError for a profile
    that does not exist or a credential_process that fails.
    """
    env = os.environ if environ is None else environ
    given = {name: value for name, value in explicit.items() if value is not None}
    chosen = load_profile(profile, env)
    access_key, secret_key, token = _credentials(given, chosen, env, explicit=profile is not None)
    region = given.pop("region", None) or _first(env, REGION_VARIABLES) or chosen.get("region")
    url = given.pop("url", None) or _endpoint(chosen, env)
    if not access_key or not secret_key or not region:
        lacking = {
            "url": not url and not region,
            "credentials": not (access_key and secret_key),
            "region": not region,
        }
        raise MissingSettingsError(tuple(k for k, v in lacking.items() if v), chosen.where)
    options = dict(given)
    if token:
        options["session_token"] = token
    style = chosen.nested("s3", "addressing_style")
    if style and "addressing_style" not in options:
        options["addressing_style"] = style
    bundle = env.get("AWS_CA_BUNDLE") or chosen.get("ca_bundle")
    if bundle and "verify" not in options:
        options["verify"] = bundle
    return get_data_structure(
        url or aws_endpoint(region), access_key, secret_key, region, **options
    )


def aws_endpoint(region: str) -> str:
    """AWS's S3 endpoint for a region (the global one for us-east-1)."""
    if region == "us-east-1":
        return "https://s3.amazonaws.com"
    suffix = ".amazonaws.com.cn" if region.startswith("cn-") else ".amazonaws.com"
    return f"https://s3.{region}{suffix}"


def load_profile(name: str | None, environ: Mapping[str, str]) -> Profile:
    """The named profile (else AWS_PROFILE, else "default") from the shared files.

    A profile named explicitly or by AWS_PROFILE must exist; "default" may be absent.
    """
    chosen = name or environ.get("AWS_PROFILE") or "default"
    config_path = _file(environ, "AWS_CONFIG_FILE", "config")
    credentials_path = _file(environ, "AWS_SHARED_CREDENTIALS_FILE", "credentials")
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
        profile.services = _nested(_section(config, f"services {services}").get("s3", ""))
    return profile


def _credentials(
    given: dict[str, Any], profile: Profile, environ: Mapping[str, str], *, explicit: bool
) -> tuple[str | None, str | None, str | None]:
    """(access key, secret key, session token) from the first source that has them."""
    keys = given.pop("access_key", None), given.pop("secret_key", None)
    token = given.pop("session_token", None)
    if any(keys):
        _check_pair(keys, "access_key and secret_key")
        return keys[0], keys[1], token
    if token:
        raise ParamError("session_token goes with access_key and secret_key: pass all three")
    from_env = tuple(environ.get(name) or None for name in KEY_VARIABLES)
    if any(from_env) and not explicit:
        _check_pair(from_env, " and ".join(KEY_VARIABLES))
        logger.debug("credentials from the environment")
        return from_env[0], from_env[1], environ.get("AWS_SESSION_TOKEN") or None
    if profile.credentials.get("aws_access_key_id"):
        return _static(profile, profile.credentials)
    process = profile.get("credential_process")
    if process:
        logger.debug("credentials from the credential_process of %s", profile.where)
        return run_credential_process(process, environ)
    if profile.config.get("aws_access_key_id"):
        return _static(profile, profile.config)
    return None, None, None


def _static(profile: Profile, section: Mapping[str, str]) -> tuple[str, str, str | None]:
    keys = section.get("aws_access_key_id"), section.get("aws_secret_access_key")
    _check_pair(keys, f"aws_access_key_id and aws_secret_access_key of {profile.where}")
    logger.debug("credentials from %s", profile.where)
    return str(keys[0]), str(keys[1]), section.get("aws_session_token") or None


def _check_pair(pair: tuple[str | None, ...], names: str) -> None:
    if not all(pair):
        raise ParamError(f"{names} go together: only one of them is set")


def run_credential_process(command: str, environ: Mapping[str, str]) -> tuple[str, str, str | None]:
    """Run a credential_process and read its JSON: Version 1, AccessKeyId, SecretAccessKey,
    optional SessionToken and Expiration (refused when past). Messages name the program and
    its exit status; its output and its arguments (either may hold a secret) are never shown."""
    name = f"credential_process {_program(command)!r}"
    done, problem = _run(command, environ)
    if done is None:
        raise ParamError(f"{name} could not run: {problem}")
    if done.returncode != 0:
        raise ParamError(
            f"{name} exited with status {done.returncode} (its output is not shown: run it "
            "yourself to see why)"
        )
    answer = _json_object(done.stdout)
    if answer is None or answer.get("Version") != 1:
        raise ParamError(f"{name} must print a JSON object with Version 1")
    keys = answer.get("AccessKeyId"), answer.get("SecretAccessKey")
    if not all(isinstance(key, str) and key for key in keys):
        raise ParamError(f"{name} printed no AccessKeyId and SecretAccessKey")
    _check_expiration(answer.get("Expiration"), name)
    token = answer.get("SessionToken")
    return str(keys[0]), str(keys[1]), token if isinstance(token, str) and token else None


def _program(command: str) -> str:
    """The program a command line runs (its first word), for messages."""
    words = command.split(maxsplit=1)
    return words[0] if words else ""


def _run(
    command: str, environ: Mapping[str, str]
) -> tuple[subprocess.CompletedProcess[bytes] | None, str]:
    """(the finished process, "") or (None, why it could not run). Nothing is raised from
    here: an exception would carry the command line, or the output read so far."""
    try:
        done = subprocess.run(
            shlex.split(command),
            capture_output=True,
            env=dict(environ),
            timeout=PROCESS_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return None, f"it ran more than {PROCESS_TIMEOUT:g} s"
    except OSError as exc:
        return None, exc.strerror or type(exc).__name__
    except ValueError:
        return None, "its command line does not split (an unclosed quote?) or holds a NUL byte"
    return done, ""


def _json_object(output: bytes) -> dict[str, Any] | None:
    """The JSON object a process printed, or None (the decoder's errors quote the text)."""
    try:
        answer = json.loads(output)
    except (ValueError, RecursionError):
        return None
    return answer if isinstance(answer, dict) else None


def _check_expiration(value: Any, name: str) -> None:
    if value is None:
        return
    try:
        expires = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise ParamError(f"{name}: bad Expiration {value!r}") from None
    if expires.tzinfo is None:
        expires = expires.replace(tzinfo=dt.timezone.utc)
    if expires <= dt.datetime.now(dt.timezone.utc):
        raise ParamError(f"{name} printed credentials expired at {value}")


def _endpoint(profile: Profile, environ: Mapping[str, str]) -> str | None:
    """The configured endpoint URL, unless AWS_IGNORE_CONFIGURED_ENDPOINT_URLS is true."""
    if environ.get("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "").lower() == "true":
        return None
    if profile.get("ignore_configured_endpoint_urls") == "true":
        return None
    return (
        _first(environ, ENDPOINT_VARIABLES)
        or profile.services.get("endpoint_url")
        or profile.get("endpoint_url")
    )


def _first(environ: Mapping[str, str], names: tuple[str, ...]) -> str | None:
    return next((environ[name] for name in names if environ.get(name)), None)


def _file(environ: Mapping[str, str], variable: str, name: str) -> Path:
    """A shared file: the variable's path, else ~/.aws/NAME (HOME from environ)."""
    if environ.get(variable):
        return Path(environ[variable]).expanduser()
    home = environ.get("HOME")
    return (Path(home) if home else Path.home()) / ".aws" / name


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


def _nested(text: str) -> dict[str, str]:
    """The `name = value` lines of a nested setting's value."""
    pairs = (line.partition("=") for line in text.splitlines())
    return {name.strip(): value.strip() for name, equals, value in pairs if equals}
