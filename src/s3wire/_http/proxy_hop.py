"""The proxy from the environment a request goes through, as AsyncSocketTransport speaks to it:
where it is, the Proxy-Authorization from the credentials in its URL, and whether it forwards
the request (a plain-HTTP target, named in absolute form) or tunnels it (CONNECT, for HTTPS);
http:// and https:// proxies (the latter reached over TLS, checked as `verify` says)."""

from __future__ import annotations

import base64
import sys
from urllib.parse import unquote, urlsplit

from ..errors import TransportError
from . import http1
from .failing import no_query
from .proxies import proxy_for
from .socket_common import Route


class Hop:
    """A proxy: host, port, whether it is reached over TLS, Proxy-Authorization (None without
    credentials), and whether it tunnels (the target is HTTPS) rather than forwards."""

    __slots__ = ("authorization", "host", "port", "tls", "tunnel")

    def __init__(
        self, host: str, port: int, tls: bool, authorization: str | None, tunnel: bool
    ) -> None:
        self.host, self.port, self.tls = host, port, tls
        self.authorization, self.tunnel = authorization, tunnel

    def __repr__(self) -> str:  # no credentials
        return f"Hop({self.host!r}, {self.port}, tls={self.tls}, tunnel={self.tunnel})"


def hop_of(route: Route, scheme: str, netloc: str, method: str, url: str) -> Hop | None:
    """The proxy a route's requests go through (None when none applies); a TransportError (not
    retryable) for a proxy URL that cannot be used, which names no credentials."""
    proxy = proxy_for(scheme, netloc)
    if proxy is None:
        return None
    split = urlsplit(proxy)
    try:
        port = split.port
    except ValueError:
        port = -1
    host = split.hostname
    if split.scheme not in ("http", "https") or not host or port == -1:
        shown = f"{split.scheme}://{host or ''}" + ("" if port is None else f":{port}")
        raise TransportError(
            f"{method} request failed: the proxy {shown} from the environment cannot be used "
            "(an http:// or https:// URL with a host and a port number is; set NO_PROXY for "
            f"the host to go without) (url: {no_query(url)})",
            retryable=False,
        )
    authorization = None
    if split.username is not None:
        pair = f"{unquote(split.username)}:{unquote(split.password or '')}"
        authorization = "Basic " + base64.b64encode(pair.encode()).decode("ascii")
    tls = split.scheme == "https"
    if tls and route.tls and sys.version_info < (3, 11):
        raise TransportError(
            f"{method} request failed: an HTTPS request through the https:// proxy {host}:"
            f"{port or 443} is TLS in TLS, which asyncio does from Python 3.11 on "
            f"(url: {no_query(url)})",
            retryable=False,
        )
    return Hop(host, port or (443 if tls else 80), tls, authorization, route.tls)


def connect_head(route: Route, hop: Hop) -> bytes:
    """The CONNECT request that opens a tunnel to the route's host and port."""
    host = f"[{route.host}]" if ":" in route.host else route.host
    authority = f"{host}:{route.port}"
    fields = {"Host": authority}
    if hop.authorization is not None:
        fields["Proxy-Authorization"] = hop.authorization
    return http1.request_head("CONNECT", authority, fields)
