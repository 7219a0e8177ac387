"""storage_options: the filesystem's own, and those that make its AsyncClient."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..async_client import AsyncClient
from ..config import SETTING_NAMES
from ..errors import ParamError

# What fsspec's base classes take (the listings cache, the instance cache, the loop), the
# files' defaults, the size above which cp_file copies in parts, and version ids in paths.
FILESYSTEM_OPTIONS = frozenset(
    {
        "use_listings_cache",
        "listings_expiry_time",
        "max_paths",
        "skip_instance_cache",
        "asynchronous",
        "loop",
        "batch_size",
        "default_block_size",
        "default_cache_type",
        "copy_threshold",
        "version_aware",
    }
)
# s3fs's names for settings, beside s3wire's own.
ALIASES = {
    "endpoint_url": "url",
    "key": "access_key",
    "secret": "secret_key",
    "token": "session_token",
}
DEFAULT_REGION = "us-east-1"


def client_settings(options: Mapping[str, Any]) -> tuple[dict[str, Any], str | None]:
    """The connection settings (s3wire's names) and the profile the options name. Raises
    ParamError for an option that is neither a setting nor one of fsspec's."""
    settings: dict[str, Any] = {}
    profile: str | None = None
    for name, value in options.items():
        if name in FILESYSTEM_OPTIONS:
            continue
        if name == "profile":
            profile = value
            continue
        setting = ALIASES.get(name, name)
        if setting not in SETTING_NAMES:
            raise ParamError(f"S3WireFileSystem does not take the option {name!r}")
        if value is not None:
            settings[setting] = value
    return settings, profile


def make_client(options: Mapping[str, Any]) -> AsyncClient:
    """The AsyncClient the options describe: from the keys and endpoint given, else from the
    AWS chain (AsyncClient.from_env: environment, profile, instance roles, ...)."""
    settings, profile = client_settings(options)
    given = all(settings.get(name) for name in ("url", "access_key", "secret_key"))
    if given and profile is None:
        settings.setdefault("region", DEFAULT_REGION)
        return AsyncClient(**settings)
    return AsyncClient.from_env(profile, **settings)
