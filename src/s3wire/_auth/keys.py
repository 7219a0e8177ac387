"""Credentials out of a source's answer, checked: keys that could not be signed with or sent
are refused with a message naming the source and the field, never the value."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .. import validate
from ..credentials_api import Credentials
from ..errors import CredentialsError, ParamError
from .expiry import parse_timestamp


def credentials_from(
    answer: Mapping[str, Any],
    source: str,
    names: tuple[str, str, str, str] = ("AccessKeyId", "SecretAccessKey", "Token", "Expiration"),
    expires_at: float | None = None,
) -> Credentials:
    """Credentials from a mapping whose fields are `names` (access key, secret key, session
    token, ISO 8601 expiration; the last two optional); `expires_at` instead of the
    expiration field when the source gives it in another form."""
    access, secret, token_name, expiration = names
    keys = answer.get(access), answer.get(secret)
    if not all(isinstance(key, str) and key for key in keys):
        raise CredentialsError(source, f"its answer has no {access} and {secret}")
    token = answer.get(token_name)
    if token is not None and not isinstance(token, str):
        raise CredentialsError(source, f"its {token_name} is not a string")
    if expires_at is None and answer.get(expiration) is not None:
        expires_at = parse_timestamp(answer[expiration], source, expiration)
    made = Credentials(str(keys[0]), str(keys[1]), token or None, expires_at)
    check(made, source)
    return made


def check(credentials: Credentials, source: str) -> None:
    """Refuse keys with characters a request cannot carry (CredentialsError, no value shown)."""
    try:
        validate.header_value(credentials.access_key, "the access key")
        validate.secret_text(credentials.secret_key, "the secret key")
        if credentials.session_token is not None:
            validate.header_value(credentials.session_token, "the session token")
    except ParamError as exc:
        raise CredentialsError(source, f"it answered unusable credentials: {exc}") from None
