"""Container credentials (ECS tasks, EKS Pod Identity): a GET on a local endpoint.

AWS_CONTAINER_CREDENTIALS_RELATIVE_URI is a path on http://169.254.170.2;
AWS_CONTAINER_CREDENTIALS_FULL_URI a whole URL, which over http must name a loopback address or
one of the ECS/EKS addresses (any host over https), as botocore allows. The Authorization
header is the content of AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE (read at each fetch), else
AWS_CONTAINER_AUTHORIZATION_TOKEN. Each fetch waits 2 s per try, 3 tries.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit

from ..credentials_api import Credentials
from ..errors import CredentialsError, ParamError
from . import http
from .keys import credentials_from

SOURCE = "container credentials"
ECS_HOST = "http://169.254.170.2"
ALLOWED_HOSTS = frozenset({"169.254.170.2", "localhost", "169.254.170.23", "fd00:ec2::23"})
TIMEOUT = 2.0
ATTEMPTS = 3


def configured(environ: Mapping[str, str]) -> bool:
    """Whether the environment names a container endpoint."""
    return bool(
        environ.get("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")
        or environ.get("AWS_CONTAINER_CREDENTIALS_FULL_URI")
    )


class ContainerCredentials:
    """Fetches the task's or pod's credentials (a callable for RefreshingProvider)."""

    def __init__(self, environ: Mapping[str, str]) -> None:
        relative = environ.get("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")
        if relative:
            self.url = ECS_HOST + ("" if relative.startswith("/") else "/") + relative
        else:
            self.url = environ.get("AWS_CONTAINER_CREDENTIALS_FULL_URI", "")
            _check_full_uri(self.url)
        token_file = environ.get("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE")
        self.token_file = Path(token_file) if token_file else None
        self.token = environ.get("AWS_CONTAINER_AUTHORIZATION_TOKEN") or None

    def __call__(self) -> Credentials:
        headers = {"Accept": "application/json"}
        token = self._authorization()
        if token is not None:
            headers["Authorization"] = token
        where = http.host_of(self.url)
        body = http.fetch(SOURCE, self.url, headers, attempts=ATTEMPTS, timeout=TIMEOUT, what=where)
        return credentials_from(http.json_object(SOURCE, body), SOURCE)

    def _authorization(self) -> str | None:
        token = self.token
        if self.token_file is not None:
            try:
                token = self.token_file.read_text(encoding="utf-8").strip()
            except (OSError, UnicodeDecodeError) as exc:
                why = getattr(exc, "strerror", None) or type(exc).__name__
                raise CredentialsError(
                    SOURCE,
                    f"cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE {self.token_file}: {why}",
                ) from None
        if token is not None and ("\r" in token or "\n" in token):
            raise CredentialsError(SOURCE, "the authorization token holds a line break")
        return token


def _check_full_uri(url: str) -> None:
    """An http URL must name a loopback address or an allowed host (botocore's rule)."""
    try:
        split = urlsplit(url)
        host = split.hostname or ""
    except ValueError:
        raise ParamError("AWS_CONTAINER_CREDENTIALS_FULL_URI is not a URL") from None
    if split.scheme == "https" and host:
        return
    if split.scheme != "http" or not host:
        raise ParamError("AWS_CONTAINER_CREDENTIALS_FULL_URI must be an http(s):// URL")
    if host in ALLOWED_HOSTS or _loopback(host):
        return
    raise ParamError(
        f"AWS_CONTAINER_CREDENTIALS_FULL_URI names host {host!r}: over http only a loopback "
        f"address or one of {', '.join(sorted(ALLOWED_HOSTS))} is allowed (or use https)"
    )


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
