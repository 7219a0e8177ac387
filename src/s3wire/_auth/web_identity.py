"""Web identity (EKS IRSA and other OIDC federations): STS AssumeRoleWithWebIdentity with the
token read from a file at each fetch.

From AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN (+ AWS_ROLE_SESSION_NAME), or a profile's
web_identity_token_file + role_arn (+ role_session_name).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from pathlib import Path

from ..credentials_api import Credentials
from ..errors import CredentialsError, ParamError

SOURCE = "web identity"


def session_name(given: str | None) -> str:
    """The role session name: the one configured, else one made from the time."""
    return given or f"s3wire-session-{int(time.time())}"


def from_environment(environ: Mapping[str, str]) -> tuple[str, str, str | None] | None:
    """(token file, role ARN, session name) from the AWS_* variables, or None."""
    token_file = environ.get("AWS_WEB_IDENTITY_TOKEN_FILE")
    role_arn = environ.get("AWS_ROLE_ARN")
    if not token_file and not role_arn:
        return None
    if not (token_file and role_arn):
        raise ParamError("AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN go together: set both")
    return token_file, role_arn, environ.get("AWS_ROLE_SESSION_NAME") or None


class WebIdentity:
    """Assumes the role with the file's token (a callable for RefreshingProvider)."""

    def __init__(
        self, token_file: str, role_arn: str, name: str | None, *, endpoint: str, region: str
    ) -> None:
        self.token_file = Path(token_file).expanduser()
        self.role_arn = role_arn
        self.name = name
        self.endpoint = endpoint
        self.region = region

    def __call__(self) -> Credentials:
        try:
            token = self.token_file.read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError) as exc:
            why = getattr(exc, "strerror", None) or type(exc).__name__
            raise CredentialsError(
                SOURCE, f"cannot read the token file {self.token_file}: {why}"
            ) from None
        params = {
            "RoleArn": self.role_arn,
            "RoleSessionName": session_name(self.name),
            "WebIdentityToken": token,
        }
        from . import sts  # (with hashing and dates) when a token is exchanged

        return sts.call(
            SOURCE,
            "AssumeRoleWithWebIdentity",
            params,
            endpoint=self.endpoint,
            region=self.region,
            signer_credentials=None,
        )
