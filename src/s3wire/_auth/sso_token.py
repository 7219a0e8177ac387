"""The SSO login's access token, from the AWS CLI's cache file, renewed when it is near its end.

`aws sso login` for an `sso_session` caches, beside the token, the OIDC client it registered
(clientId, clientSecret, registrationExpiresAt) and a refreshToken. Within REFRESH_WINDOW of
the token's end, CreateToken (POST https://oidc.REGION.amazonaws.com/token, grant type
refresh_token) gives a new token, written back to the cache the way the AWS CLI writes it, so
both keep working. A failed renewal keeps the old token while it lasts; past its end the caller
is told to log in again. Legacy profiles (sso_start_url alone) cache no refresh token.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from .._log import CREDENTIALS, warning
from ..errors import CredentialsError
from . import http
from .expiry import parse_timestamp

SOURCE = "SSO"
REFRESH_WINDOW = 15 * 60  # seconds before the token's end that a renewal is tried
TIMEOUT = 10.0
_CLIENT = ("clientId", "clientSecret", "refreshToken")


class LoginToken:
    """The token of one cached login; `oidc` is the OIDC endpoint (None: never renewed)."""

    def __init__(self, cache_file: Path, oidc: str | None) -> None:
        self.cache_file = cache_file
        self.oidc = oidc

    def get(self) -> str:
        """A token that has not expired: the cached one, or a renewed one near its end."""
        cached = self._read()
        token = _sendable(cached.get("accessToken"), self.cache_file)
        ends = parse_timestamp(cached.get("expiresAt"), SOURCE, "expiresAt")
        if ends - time.time() > REFRESH_WINDOW or not self._renewable(cached):
            if ends <= time.time():
                raise CredentialsError(SOURCE, "the SSO login has expired: run aws sso login")
            return token
        try:
            return self._renew(cached)
        except CredentialsError:
            if ends <= time.time():
                raise CredentialsError(
                    SOURCE, "the SSO login has expired and could not be renewed: run aws sso login"
                ) from None
            return token  # still good for a while: the next call tries again

    def _read(self) -> dict[str, Any]:
        try:
            text = self.cache_file.read_bytes()
        except FileNotFoundError:
            raise CredentialsError(
                SOURCE, f"no login in {self.cache_file}: run aws sso login"
            ) from None
        except OSError as exc:
            why = exc.strerror or type(exc).__name__
            raise CredentialsError(SOURCE, f"cannot read {self.cache_file}: {why}") from None
        return http.json_object(SOURCE, text)

    def _renewable(self, cached: dict[str, Any]) -> bool:
        """Whether the cache holds a registered client, still registered, and a refresh token."""
        if self.oidc is None or not all(isinstance(cached.get(k), str) for k in _CLIENT):
            return False
        try:
            registered = parse_timestamp(cached.get("registrationExpiresAt"), SOURCE)
        except CredentialsError:
            return False
        return registered > time.time()

    def _renew(self, cached: dict[str, Any]) -> str:
        """CreateToken with the refresh token; the new token, written back to the cache."""
        request = {"grantType": "refresh_token", **{k: cached[k] for k in _CLIENT}}
        status, body = http.exchange(
            SOURCE,
            "POST",
            f"{self.oidc}/token",
            {"Content-Type": "application/json"},
            json.dumps(request).encode(),
            timeout=TIMEOUT,
        )
        if status != 200:
            raise CredentialsError(SOURCE, f"CreateToken answered {status}")
        answer = http.json_object(SOURCE, body)
        token = _sendable(answer.get("accessToken"), self.cache_file)
        lasts = answer.get("expiresIn")
        if isinstance(lasts, bool) or not isinstance(lasts, int) or lasts <= 0:
            raise CredentialsError(SOURCE, "CreateToken answered no expiresIn")
        renewed = dict(cached, accessToken=token, expiresAt=_iso(time.time() + lasts))
        if isinstance(answer.get("refreshToken"), str):
            renewed["refreshToken"] = answer["refreshToken"]
        try:
            _write_private(self.cache_file, json.dumps(renewed, indent=4).encode())
        except OSError as exc:  # the token is good all the same; the next process renews again
            why = exc.strerror or type(exc).__name__
            warning(
                "SSO: cannot write the renewed login to %s: %s",
                self.cache_file,
                why,
                logger=CREDENTIALS,
            )
        return token


def _sendable(token: object, where: Path) -> str:
    """An access token that can go in a header; CredentialsError (never quoting it) if not."""
    if not isinstance(token, str) or not token:
        raise CredentialsError(SOURCE, f"{where} holds no accessToken")
    if not (token.isascii() and token.isprintable()):
        raise CredentialsError(SOURCE, f"the accessToken of {where} cannot be sent")
    return token


def _iso(epoch: float) -> str:
    """An epoch time as the AWS CLI writes expiresAt: 2026-12-02T21:00:00Z."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


def _write_private(path: Path, data: bytes) -> None:
    """Replace the file whole (a reader never sees half of it), readable by its owner only."""
    handle, temporary = tempfile.mkstemp(prefix=".s3wire-", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as file:  # mkstemp makes it 0600
            file.write(data)
        os.replace(temporary, path)
    except OSError:
        Path(temporary).unlink(missing_ok=True)
        raise
