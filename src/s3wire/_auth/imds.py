"""EC2 instance metadata (IMDSv2): a session token by PUT, then the role's credentials.

The endpoint is AWS_EC2_METADATA_SERVICE_ENDPOINT (config: ec2_metadata_service_endpoint),
else 169.254.169.254 ([fd00:ec2::254] with AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE=IPv6).
A token answer of 403, 404 or 405 (or no answer in time) falls back to IMDSv1, unless
AWS_EC2_METADATA_V1_DISABLED (ec2_metadata_v1_disabled) is true. Each request waits
metadata_service_timeout (1 s) and is tried metadata_service_num_attempts (1) times, as botocore
does; the service is off with AWS_EC2_METADATA_DISABLED=true.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..credentials_api import Credentials
from ..errors import CredentialsError, ParamError
from . import http
from .files import Profile
from .keys import credentials_from

SOURCE = "instance metadata"
DEFAULT_ENDPOINTS = {"ipv4": "http://169.254.169.254", "ipv6": "http://[fd00:ec2::254]"}
TOKEN_PATH = "/latest/api/token"
ROLE_PATH = "/latest/meta-data/iam/security-credentials/"
TOKEN_TTL = "21600"
_FALL_BACK = (403, 404, 405)


def disabled(environ: Mapping[str, str]) -> bool:
    """Whether AWS_EC2_METADATA_DISABLED turns the service off."""
    return environ.get("AWS_EC2_METADATA_DISABLED", "").strip().lower() == "true"


class InstanceMetadata:
    """Fetches the instance role's credentials (a callable for RefreshingProvider)."""

    def __init__(self, environ: Mapping[str, str], profile: Profile) -> None:
        def setting(variable: str, key: str) -> str | None:
            return environ.get(variable) or profile.get(key)

        mode = (
            setting("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "ec2_metadata_service_endpoint_mode")
            or "IPv4"
        ).lower()
        if mode not in DEFAULT_ENDPOINTS:
            raise ParamError("ec2_metadata_service_endpoint_mode must be IPv4 or IPv6")
        endpoint = setting("AWS_EC2_METADATA_SERVICE_ENDPOINT", "ec2_metadata_service_endpoint")
        self.endpoint = (endpoint or DEFAULT_ENDPOINTS[mode]).rstrip("/")
        if not self.endpoint.startswith(("http://", "https://")):
            raise ParamError("the instance metadata endpoint must be an http(s):// URL")
        timeout = setting("AWS_METADATA_SERVICE_TIMEOUT", "metadata_service_timeout")
        self.timeout = _number(timeout, "metadata_service_timeout", 1.0)
        tries = setting("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "metadata_service_num_attempts")
        self.attempts = max(1, int(_number(tries, "metadata_service_num_attempts", 1)))
        v1_off = setting("AWS_EC2_METADATA_V1_DISABLED", "ec2_metadata_v1_disabled") or ""
        self.v1_disabled = v1_off.strip().lower() == "true"

    def __call__(self) -> Credentials:
        headers = {}
        token = self._token()
        if token is not None:
            headers["X-aws-ec2-metadata-token"] = token
        elif self.v1_disabled:
            raise CredentialsError(SOURCE, "no IMDSv2 token, and IMDSv1 is disabled")
        role = self._get(ROLE_PATH, headers).decode("utf-8", "replace").strip().splitlines()
        if not role or not role[0].strip():
            raise CredentialsError(SOURCE, "the instance has no IAM role")
        answer = http.json_object(SOURCE, self._get(ROLE_PATH + role[0].strip(), headers))
        if answer.get("Code", "Success") != "Success":
            raise CredentialsError(
                SOURCE, f"the role's credentials answer Code {str(answer.get('Code'))[:40]!r}"
            )
        return credentials_from(answer, SOURCE)

    def _token(self) -> str | None:
        """An IMDSv2 session token, or None to go on without one (IMDSv1)."""
        headers = {"X-aws-ec2-metadata-token-ttl-seconds": TOKEN_TTL}
        for _ in range(self.attempts):
            try:
                status, body = http.exchange(
                    SOURCE, "PUT", self.endpoint + TOKEN_PATH, headers, timeout=self.timeout
                )
            except CredentialsError:
                continue
            if status == 200 and body.strip():
                return body.decode("ascii", "replace").strip()
            if status in _FALL_BACK:
                return None
            if status == 400:
                raise CredentialsError(SOURCE, "the token request was refused as bad (400)")
        return None

    def _get(self, path: str, headers: dict[str, str]) -> bytes:
        """A metadata document, tried up to `attempts` times on 5xx or a network failure."""
        what = f"GET {path}"
        url = self.endpoint + path
        body = http.fetch(
            SOURCE, url, headers, attempts=self.attempts, timeout=self.timeout, what=what
        )
        if not body:
            raise CredentialsError(SOURCE, f"{what} answered 200 with nothing")
        return body


def _number(value: str | None, name: str, default: float) -> float:
    if value is None:
        return default
    try:
        number = float(value)
    except ValueError:
        raise ParamError(f"{name} must be a number; got {value[:20]!r}") from None
    if not number > 0:
        raise ParamError(f"{name} must be more than 0")
    return number
