"""Stand-ins on 127.0.0.1 for the credential services of AWS deployments: EC2 instance metadata,
a container credentials endpoint, the SSO portal and its OIDC token service (STS comes from
moto's server).

Each is an `HttpStub` whose handler sees every request (`seen`: method, path with query,
headers, body) and answers (status, body); `url` is http://127.0.0.1:PORT.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, NamedTuple


class Seen(NamedTuple):
    method: str
    path: str
    headers: dict[str, str]  # names lowercased
    body: bytes


Handler = Callable[[Seen], tuple[int, bytes]]


def iso_in(seconds: float) -> str:
    """An ISO 8601 UTC time `seconds` from now, as AWS services write it."""
    moment = dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=seconds)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def keys_json(access: str, secret: str, token: str, expires_in: float = 3600) -> bytes:
    """The JSON the instance metadata and container endpoints answer."""
    return json.dumps(
        {
            "Code": "Success",
            "AccessKeyId": access,
            "SecretAccessKey": secret,
            "Token": token,
            "Expiration": iso_in(expires_in),
        }
    ).encode()


@dataclass
class HttpStub:
    handler: Handler
    seen: list[Seen] = field(default_factory=list)
    _server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> HttpStub:
        stub = self

        class Handle(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _any(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                request = Seen(
                    self.command,
                    self.path,
                    {k.lower(): v for k, v in self.headers.items()},
                    body,
                )
                stub.seen.append(request)
                status, answer = stub.handler(request)
                self.send_response(status)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            do_GET = do_PUT = do_POST = _any

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handle)
        self._server.daemon_threads = True
        threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()


@dataclass
class Imds:
    """EC2 instance metadata: IMDSv2 (a token by PUT) unless `token_status` says otherwise
    (404 or 403: an IMDSv1-only service); credentials for `role`, fresh keys at each fetch."""

    role: str = "web-role"
    token_status: int = 200
    expires_in: float = 3600
    fetches: int = 0
    tokens: list[str] = field(default_factory=list)

    def __call__(self, request: Seen) -> tuple[int, bytes]:
        if request.method == "PUT" and request.path == "/latest/api/token":
            if self.token_status != 200:
                return self.token_status, b""
            if request.headers.get("x-aws-ec2-metadata-token-ttl-seconds") != "21600":
                return 400, b""
            self.tokens.append(f"imds-token-{len(self.tokens)}")
            return 200, self.tokens[-1].encode()
        if (
            self.token_status == 200
            and request.headers.get("x-aws-ec2-metadata-token") not in self.tokens
        ):
            return 401, b""
        base = "/latest/meta-data/iam/security-credentials/"
        if request.path == base:
            return 200, self.role.encode()
        if request.path == base + self.role:
            self.fetches += 1
            return 200, keys_json(
                f"ASIAIMDS{self.fetches}",
                f"imds-secret-{self.fetches}",
                "imds-session",
                self.expires_in,
            )
        return 404, b""


@dataclass
class Container:
    """A container credentials endpoint: `path` answers keys to requests carrying `token`."""

    path: str = "/v2/credentials/task"
    token: str | None = None

    def __call__(self, request: Seen) -> tuple[int, bytes]:
        if request.path != self.path:
            return 404, b""
        if self.token is not None and request.headers.get("authorization") != self.token:
            return 403, b""
        return 200, keys_json("ASIACONTAINER", "container-secret", "container-session")


@dataclass
class SsoPortal:
    """The SSO portal's GetRoleCredentials for one login token, account and role."""

    token: str
    account: str = "123456789012"
    role: str = "Reader"

    def __call__(self, request: Seen) -> tuple[int, bytes]:
        expected = f"/federation/credentials?account_id={self.account}&role_name={self.role}"
        if request.method != "GET" or request.path != expected:
            return 404, b""
        if request.headers.get("x-amz-sso_bearer_token") != self.token:
            return 401, b'{"message": "Session token not found or invalid"}'
        expiration = int((dt.datetime.now(dt.timezone.utc).timestamp() + 3600) * 1000)
        role = {
            "accessKeyId": "ASIASSO",
            "secretAccessKey": "sso-secret",
            "sessionToken": "sso-session",
            "expiration": expiration,
        }
        return 200, json.dumps({"roleCredentials": role}).encode()


@dataclass
class SsoOidc:
    """SSO OIDC's CreateToken: a refresh token of one registered client buys `renewed`, valid
    for an hour (and a new refresh token); anything else is refused with 400."""

    client_id: str
    client_secret: str
    refresh_token: str
    renewed: str
    status: int = 200

    def __call__(self, request: Seen) -> tuple[int, bytes]:
        if request.method != "POST" or request.path != "/token":
            return 404, b""
        asked = json.loads(request.body)
        expected = {
            "grantType": "refresh_token",
            "clientId": self.client_id,
            "clientSecret": self.client_secret,
            "refreshToken": self.refresh_token,
        }
        if self.status != 200 or asked != expected:
            return self.status if self.status != 200 else 400, b'{"error": "invalid_grant"}'
        answer = {
            "accessToken": self.renewed,
            "expiresIn": 3600,
            "tokenType": "Bearer",
            "refreshToken": self.refresh_token + "-next",
        }
        return 200, json.dumps(answer).encode()
