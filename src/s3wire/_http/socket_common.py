"""What s3wire's own transports, SocketTransport and the asyncio AsyncSocketTransport, share
around http1: a URL split and routed (host, port, TLS, whether a proxy applies), the request's
head, the TLS context, and a body put back to be sent again when a kept connection turns out
closed (Stale)."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, TypeVar

from .._log import debug
from ..async_body import AsyncBody
from ..errors import TransportError
from . import http1
from .bodies import Exactly
from .failing import describe, no_query
from .proxies import proxy_for

if TYPE_CHECKING:
    import ssl

Payload = bytes | Exactly | AsyncBody | None
"""A request body as a transport sends it (an AsyncBody by the async transport only)."""
SentBody = TypeVar("SentBody", bytes | Exactly | None, Payload)
DEFAULT_PORTS = {"http": 80, "https": 443}
NO_LENGTH = frozenset({"GET", "HEAD"})  # sent without "Content-Length: 0" when bodiless


def split_url(url: str) -> tuple[str, str, str]:
    """A URL's scheme, netloc and target (the path and query, "/" when there is none)."""
    scheme, _, rest = url.partition("://")
    slash = rest.find("/")
    netloc, target = (rest, "/") if slash < 0 else (rest[:slash], rest[slash:])
    return scheme, netloc, target


class Route:
    """Where a URL's requests go: host, port, TLS or not, and whether a proxy applies."""

    __slots__ = ("host", "key", "port", "proxied", "tls")

    def __init__(self, scheme: str, host: str, port: int, proxied: bool) -> None:
        self.host, self.port, self.tls, self.proxied = host, port, scheme == "https", proxied
        self.key = (scheme, host, port)


def route_of(scheme: str, netloc: str, method: str, url: str) -> Route:
    """The route of a URL's scheme and netloc (a bracketed IPv6 host is unbracketed)."""
    host, port_text = netloc, ""
    if netloc.startswith("["):
        end = netloc.find("]")
        host, port_text = netloc[1:end], netloc[end + 1 :].removeprefix(":")
        bad = end < 0 or (netloc[end + 1 :] and not netloc[end + 1 :].startswith(":"))
    else:
        host, _, port_text = netloc.rpartition(":") if ":" in netloc else (netloc, "", "")
        bad = False
    bad = bad or scheme not in DEFAULT_PORTS or not host or "@" in netloc
    bad = bad or not (port_text == "" or (port_text.isascii() and port_text.isdigit()))
    if bad or (port_text and not 0 < int(port_text) < 65536):
        message = f"{method} request failed: {describe('InvalidURL', ValueError('bad URL'), url)}"
        raise TransportError(message, retryable=False)
    port = int(port_text) if port_text else DEFAULT_PORTS[scheme]
    return Route(scheme, host, port, proxy_for(scheme, netloc) is not None)


def head_of(
    method: str, target: str, netloc: str, headers: dict[str, str], payload: Payload
) -> bytes:
    """The request's head: the headers as given but for the Content-Length, which is the
    body's; a Host when none is given."""
    sent = {k: v for k, v in headers.items() if k.lower() != "content-length"}
    if not any(k.lower() == "host" for k in sent):
        sent = {"Host": netloc, **sent}
    if payload is not None:
        sent["Content-Length"] = str(len(payload))
    elif method not in NO_LENGTH:
        sent["Content-Length"] = "0"
    return http1.request_head(method, target, sent)


class Stale(Exception):
    """A reused connection gave no byte of the answer: the server had closed it."""


def tls_context(verify: bool | str) -> ssl.SSLContext:
    """A TLS context checking certificates as `verify` says: True (the system's CA bundle), a
    CA bundle file or folder, or False (none); ssl is imported here."""
    import ssl

    if isinstance(verify, str):
        folder = os.path.isdir(verify)
        return ssl.create_default_context(
            cafile=None if folder else verify, capath=verify if folder else None
        )
    context = ssl.create_default_context()
    if verify is False:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


def body_start(payload: Payload) -> int | None:
    """Where a streamed body starts, to send it again (None when it cannot tell)."""
    if not isinstance(payload, Exactly):
        return None
    try:
        return payload.file.tell()
    except (OSError, ValueError):
        return None


def body_again(payload: SentBody, start: int | None) -> SentBody:
    """The body to send once more: a stream put back where it started (a TransportError when
    it cannot be: the server closed the connection, and the body is gone)."""
    if not isinstance(payload, Exactly):
        return payload
    try:
        if start is None:
            raise OSError("the body cannot be sent again")
        payload.file.seek(start)
    except (OSError, ValueError) as exc:
        raise TransportError(
            f"the server closed a kept connection before answering, and the body cannot be sent "
            f"again: {type(exc).__name__}"
        ) from None
    return Exactly(payload.file, len(payload))


def log_resend(method: str, url: str) -> None:
    """At DEBUG on the s3wire logger, as the client's retries are: a request sent again on a
    new connection because the kept one was found closed."""
    debug(
        "retrying %s %s on a new connection: the kept one was closed before any answer",
        method,
        no_query(url),
    )
