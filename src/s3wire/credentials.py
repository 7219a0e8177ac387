"""The standard AWS configuration chain: explicit values, environment variables, then a profile.

Each setting comes from the first source that has it:

- credentials: the chain of s3wire._auth.chain, in botocore's order: explicit
  `access_key`/`secret_key` (with `session_token`); AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY
  and AWS_SESSION_TOKEN (skipped when a profile is named explicitly, as the AWS CLI's
  --profile does); the profile's `role_arn` with `source_profile` or `credential_source`
  (STS AssumeRole); web identity; SSO; the profile's keys in the credentials file, its
  `credential_process`, its keys in the config file; container credentials; EC2 instance
  metadata (see docs/credentials.md). Temporary credentials are refreshed before they expire;
- region: explicit; AWS_REGION, AWS_DEFAULT_REGION; the profile's `region`;
- url: explicit; AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL; the profile's `services` section
  (`s3 = endpoint_url = ...`); the profile's `endpoint_url`; else AWS's endpoint for the region;
- addressing_style: explicit; the profile's `s3 = addressing_style = ...`; else "auto";
- verify: explicit; AWS_CA_BUNDLE; the profile's `ca_bundle`;
- request_checksum_calculation, response_checksum_validation: explicit;
  AWS_REQUEST_CHECKSUM_CALCULATION, AWS_RESPONSE_CHECKSUM_VALIDATION; the profile's key of
  that name (lowercased, as botocore reads them);
- use_arn_region: explicit; AWS_S3_USE_ARN_REGION; the profile's `s3 = use_arn_region = ...`
  or `s3_use_arn_region`.

The profile is `profile=`, else AWS_PROFILE, else "default"; the files are AWS_CONFIG_FILE
(~/.aws/config) and AWS_SHARED_CREDENTIALS_FILE (~/.aws/credentials).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from ._auth.chain import Chain
from ._auth.files import Profile, load_profile
from ._request import endpoints
from ._request.endpoints import Options
from .config import ConnectionData, Settings
from .credentials_api import CredentialProvider, StaticCredentials
from .errors import ParamError

__all__ = [
    "MissingSettingsError",
    "Profile",
    "aws_endpoint",
    "connection_data",
    "credential_provider",
    "load_profile",
    "resolve",
]


ENDPOINT_VARIABLES = ("AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL")
REGION_VARIABLES = ("AWS_REGION", "AWS_DEFAULT_REGION")
# The settings a chain can lack, as its message shows them, and the variables that give them.
SOURCES = {
    "url": ("endpoint", "AWS_ENDPOINT_URL_S3 (or AWS_ENDPOINT_URL) for a server other than AWS"),
    "credentials": (
        "credentials",
        "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or a role, SSO, container or instance "
        "credentials: see docs/credentials.md)",
    ),
    "region": ("region", "AWS_REGION (or AWS_DEFAULT_REGION)"),
}
_KEY_NAMES = ("access_key", "secret_key", "session_token")
# Settings read from AWS_<NAME> and the profile's key of that name, as botocore reads them.
CHECKSUM_SETTINGS = ("request_checksum_calculation", "response_checksum_validation")


class MissingSettingsError(ParamError):
    """The chain found no value for some settings: `missing` names them ("url", "credentials",
    "region"); `profile` says which profile was read, in which files."""

    def __init__(self, missing: tuple[str, ...], profile: str) -> None:
        self.missing = missing
        self.profile = profile
        labels = ", ".join(SOURCES[name][0] for name in missing)
        ways = "; ".join(SOURCES[name][1] for name in missing)
        super().__init__(f"no {labels} found: pass them, or set {ways}, or put them in {profile}")


def resolve(
    profile: str | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    **explicit: Any,
) -> tuple[ConnectionData, CredentialProvider]:
    """Connection data and the credential provider the chain gives, as Client.from_env uses
    them: `Client(data, credentials=provider)`.

    `explicit` takes get_data_structure's names; None values count as not given. The data
    holds the keys only when they are fixed ones (explicit, the environment's, a profile's);
    temporary credentials come from the provider, which refreshes them. Raises
    MissingSettingsError (a ParamError) naming what no source had, ParamError for a profile
    that does not exist or a source configured wrongly.
    """
    env = os.environ if environ is None else environ
    given = {name: value for name, value in explicit.items() if value is not None}
    keys = tuple(given.pop(name, None) for name in _KEY_NAMES)
    chosen = load_profile(profile, env)
    region = given.pop("region", None) or _first(env, REGION_VARIABLES) or chosen.get("region")
    url = given.pop("url", None) or _endpoint(chosen, env)
    chain = Chain(env, region, explicit_profile=profile is not None)
    provider = chain.find(chosen, (keys[0], keys[1], keys[2]))
    if provider is None or not region:
        lacking = {
            "url": not url and not region,
            "credentials": provider is None,
            "region": not region,
        }
        raise MissingSettingsError(tuple(k for k, v in lacking.items() if v), chosen.where)
    options = dict(given)
    if isinstance(provider, StaticCredentials):
        fixed = provider.get()
        options.update(access_key=fixed.access_key, secret_key=fixed.secret_key)
        if fixed.session_token:
            options["session_token"] = fixed.session_token
    style = chosen.nested("s3", "addressing_style")
    if style and "addressing_style" not in options:
        options["addressing_style"] = style
    bundle = env.get("AWS_CA_BUNDLE") or chosen.get("ca_bundle")
    if bundle and "verify" not in options:
        options["verify"] = bundle
    arn_region = env.get("AWS_S3_USE_ARN_REGION") or chosen.nested("s3", "use_arn_region")
    arn_region = arn_region or chosen.get("s3_use_arn_region")
    if arn_region and "use_arn_region" not in options:
        options["use_arn_region"] = _true(arn_region, "use_arn_region")
    for name in CHECKSUM_SETTINGS:
        value = env.get(f"AWS_{name.upper()}") or chosen.get(name)
        if value and name not in options:
            options[name] = value.lower()
    data = {"url": url or aws_endpoint(region, endpoint_options(chosen, env, region)), **options}
    data["region"] = region
    return Settings.from_data(data, keys_optional=True).to_data(), provider


def connection_data(
    profile: str | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    **explicit: Any,
) -> ConnectionData:
    """Connection data from explicit values, the environment and an AWS profile, checked,
    with the keys the chain gives now (temporary ones too: they are not refreshed in data;
    `Client.from_env` refreshes them).

    `explicit` takes get_data_structure's names (url, access_key, secret_key, region,
    session_token, addressing_style, part_size, ...); None values count as not given. Raises
    MissingSettingsError (a ParamError) naming what no source had, ParamError for a profile
    that does not exist, CredentialsError for a source that failed (a credential_process, STS).
    """
    data, provider = resolve(profile, environ=environ, **explicit)
    if isinstance(provider, StaticCredentials):
        return data
    now = provider.get()
    keys = {"access_key": now.access_key, "secret_key": now.secret_key}
    if now.session_token:
        keys["session_token"] = now.session_token
    return Settings.from_data({**data, **keys}).to_data()


def credential_provider(
    profile: str | None = None, *, environ: Mapping[str, str] | None = None, **explicit: Any
) -> CredentialProvider:
    """The credential provider of the chain alone (explicit access_key, secret_key,
    session_token, then the environment and the profile: see the module's docstring)."""
    keys = {name: explicit.get(name) for name in _KEY_NAMES}
    unknown = sorted(set(explicit) - set(_KEY_NAMES))
    if unknown:
        raise ParamError(
            f"credential_provider takes {', '.join(_KEY_NAMES)}; got {', '.join(unknown)}"
        )
    env = os.environ if environ is None else environ
    chosen = load_profile(profile, env)
    region = _first(env, REGION_VARIABLES) or chosen.get("region")
    chain = Chain(env, region, explicit_profile=profile is not None)
    provider = chain.find(chosen, (keys["access_key"], keys["secret_key"], keys["session_token"]))
    if provider is None:
        raise MissingSettingsError(("credentials",), chosen.where)
    return provider


_PROBE_BUCKET = "bucket"


def aws_endpoint(region: str, options: Options | None = None) -> str:
    """AWS's S3 endpoint for a region, in its partition's DNS domain (the global one for
    us-east-1 unless `options` say us_east_1_regional_endpoint = regional); `options` may ask
    for FIPS, dual-stack or accelerate endpoints. ParamError for what S3's rules refuse."""
    chosen = options or Options(region, use_global_endpoint=True)
    if not chosen.use_accelerate:
        return f"https://{endpoints.resolve(chosen, None).host}"
    # Accelerate endpoints exist for buckets only: the rules give bucket.s3-accelerate...,
    # and the connection's URL is what follows the bucket's label.
    host = endpoints.resolve(chosen, _PROBE_BUCKET).host
    return f"https://{host.removeprefix(_PROBE_BUCKET + '.')}"


def endpoint_options(profile: Profile, environ: Mapping[str, str], region: str) -> Options:
    """The endpoint settings the AWS way: AWS_USE_FIPS_ENDPOINT, AWS_USE_DUALSTACK_ENDPOINT and
    AWS_S3_US_EAST_1_REGIONAL_ENDPOINT, else the profile's use_fips_endpoint,
    use_dualstack_endpoint and its `s3 =` section's use_accelerate_endpoint,
    use_dualstack_endpoint and us_east_1_regional_endpoint."""

    def flag(variable: str | None, *values: str | None) -> bool:
        given = environ.get(variable) if variable else None
        chosen = next((value for value in (given, *values) if value), "false")
        return chosen.strip().lower() == "true"

    regional = (
        environ.get("AWS_S3_US_EAST_1_REGIONAL_ENDPOINT")
        or profile.nested("s3", "us_east_1_regional_endpoint")
        or "legacy"
    )
    if regional.strip().lower() not in ("legacy", "regional"):
        raise ParamError(
            f"us_east_1_regional_endpoint must be legacy or regional; got {regional[:32]!r}"
        )
    return Options(
        region,
        use_fips=flag("AWS_USE_FIPS_ENDPOINT", profile.get("use_fips_endpoint")),
        use_dualstack=flag(
            "AWS_USE_DUALSTACK_ENDPOINT",
            profile.nested("s3", "use_dualstack_endpoint"),
            profile.get("use_dualstack_endpoint"),
        ),
        use_accelerate=flag(None, profile.nested("s3", "use_accelerate_endpoint")),
        use_global_endpoint=regional.strip().lower() == "legacy",
    )


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


def _true(value: str, name: str) -> bool:
    """A configured true/false (any case); ParamError naming the setting for anything else."""
    if value.strip().lower() not in ("true", "false"):
        raise ParamError(f"{name} must be true or false; got {value[:32]!r}")
    return value.strip().lower() == "true"


def _first(environ: Mapping[str, str], names: tuple[str, ...]) -> str | None:
    return next((environ[name] for name in names if environ.get(name)), None)
