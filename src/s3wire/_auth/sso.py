"""IAM Identity Center (SSO): the role credentials of a login the AWS CLI made (`aws sso
login`), from the portal's GetRoleCredentials.

A profile names an `sso_session` (whose [sso-session NAME] section has sso_start_url and
sso_region) or, the legacy way, sso_start_url and sso_region itself; plus sso_account_id and
sso_role_name. The login's token is ~/.aws/sso/cache/SHA1.json, SHA1 being the hex SHA-1 of the
session's name (legacy: of the start URL), as the AWS CLI writes it. The portal is
https://portal.sso.REGION.amazonaws.com (AWS_ENDPOINT_URL_SSO overrides it). An sso_session's
login is renewed near its end (sso_token); a legacy one is not: run `aws sso login` again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlencode

from ..credentials_api import Credentials
from ..errors import CredentialsError, ParamError
from . import http
from .endpoints import dns_suffix, service_endpoint
from .files import Profile, aws_folder
from .keys import credentials_from
from .sso_token import LoginToken

SOURCE = "SSO"
TIMEOUT = 10.0
_ROLE_NAMES = ("accessKeyId", "secretAccessKey", "sessionToken", "expiration")


def configured(profile: Profile) -> bool:
    """Whether the profile uses SSO."""
    return bool(profile.get("sso_session") or profile.get("sso_start_url"))


class SingleSignOn:
    """Fetches the profile's role credentials with the cached login (a callable for
    RefreshingProvider)."""

    def __init__(self, profile: Profile, environ: Mapping[str, str]) -> None:
        session = profile.get("sso_session")
        if session:
            settings = profile.sso_session
            for name in ("sso_start_url", "sso_region"):
                own = profile.get(name)
                if own and settings.get(name) and own != settings[name]:
                    raise ParamError(
                        f"{profile.where}: its {name} differs from that of sso-session {session!r}"
                    )
            start_url, region = settings.get("sso_start_url"), settings.get("sso_region")
            key = session
        else:
            start_url, region = profile.get("sso_start_url"), profile.get("sso_region")
            key = start_url or ""
        needed = {
            "sso_start_url": start_url,
            "sso_region": region,
            "sso_account_id": profile.get("sso_account_id"),
            "sso_role_name": profile.get("sso_role_name"),
        }
        missing = [name for name, value in needed.items() if not value]
        if missing:
            raise ParamError(f"{profile.where} uses SSO but lacks {', '.join(missing)}")
        self.account_id = str(needed["sso_account_id"])
        self.role_name = str(needed["sso_role_name"])
        suffix = dns_suffix(str(region))
        self.portal = service_endpoint(
            "sso", profile, environ, f"https://portal.sso.{region}.{suffix}"
        )
        oidc = service_endpoint("sso_oidc", profile, environ, f"https://oidc.{region}.{suffix}")
        self.login = LoginToken(cache_path(key, environ), oidc if session else None)

    def __call__(self) -> Credentials:
        token = self.login.get()
        query = urlencode({"account_id": self.account_id, "role_name": self.role_name})
        status, body = http.exchange(
            SOURCE,
            "GET",
            f"{self.portal}/federation/credentials?{query}",
            {"x-amz-sso_bearer_token": token},
            timeout=TIMEOUT,
        )
        if status in (401, 403):
            raise CredentialsError(
                SOURCE, f"the portal refused the login token ({status}): run aws sso login"
            )
        if status != 200:
            raise CredentialsError(SOURCE, f"GetRoleCredentials answered {status}")
        role = http.json_object(SOURCE, body).get("roleCredentials")
        if not isinstance(role, dict):
            raise CredentialsError(SOURCE, "GetRoleCredentials answered no roleCredentials")
        expiration = role.get("expiration")
        if isinstance(expiration, bool) or not isinstance(expiration, int | float):
            raise CredentialsError(SOURCE, "GetRoleCredentials answered no expiration")
        return credentials_from(role, SOURCE, _ROLE_NAMES, expires_at=expiration / 1000)


def cache_path(key: str, environ: Mapping[str, str]) -> Path:
    """The login cache file for a session name or start URL."""
    digest = hashlib.sha1(key.encode("utf-8"), usedforsecurity=False).hexdigest()
    return aws_folder(environ) / "sso" / "cache" / f"{digest}.json"
