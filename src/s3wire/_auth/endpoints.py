"""Where the STS and SSO requests of credential sources go, overridable as botocore reads it:
AWS_ENDPOINT_URL_<SERVICE>, the profile's `services` section, AWS_ENDPOINT_URL, the profile's
`endpoint_url` (all ignored with AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true), else AWS's own."""

from __future__ import annotations

from collections.abc import Mapping

from .files import Profile


def service_endpoint(
    service: str, profile: Profile, environ: Mapping[str, str], default: str
) -> str:
    """The endpoint URL for `service` ("sts", "sso", "sso_oidc"), without a trailing slash."""
    if not _ignored(profile, environ):
        for found in (
            environ.get(f"AWS_ENDPOINT_URL_{service.upper()}"),
            profile.service_settings.get(service, {}).get("endpoint_url"),
            environ.get("AWS_ENDPOINT_URL"),
            profile.get("endpoint_url"),
        ):
            if found:
                return found.rstrip("/")
    return default


def sts_default(region: str | None, profile: Profile, environ: Mapping[str, str]) -> str:
    """AWS's STS endpoint: regional, or the global one without a region or with
    sts_regional_endpoints = legacy."""
    style = environ.get("AWS_STS_REGIONAL_ENDPOINTS") or profile.get("sts_regional_endpoints")
    if not region or (style or "").lower() == "legacy":
        return "https://sts.amazonaws.com"
    return f"https://sts.{region}.{dns_suffix(region)}"


def dns_suffix(region: str) -> str:
    """amazonaws.com, or amazonaws.com.cn for China's regions."""
    return "amazonaws.com.cn" if region.startswith("cn-") else "amazonaws.com"


def _ignored(profile: Profile, environ: Mapping[str, str]) -> bool:
    if environ.get("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "").lower() == "true":
        return True
    return (profile.get("ignore_configured_endpoint_urls") or "").lower() == "true"
