"""urllib3 behind the transport: pool managers, proxies from the environment, failure kinds.

Imported by the transport on its first request only, so that building a client stays light.
"""

from __future__ import annotations

import os
import ssl
from typing import Any, NamedTuple

import urllib3
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import (
    ConnectTimeoutError,
    HTTPError,
    LocationValueError,
    NewConnectionError,
    ProxyError,
    ReadTimeoutError,
    SSLError,
)
from urllib3.util import parse_url

from ..errors import ConnectError, IncompleteAnswerError, TransportError, TransportTimeoutError
from ..errors import ConnectTimeoutError as ConnectTimeout  # urllib3 has a ConnectTimeoutError
from . import logredact
from .proxies import proxy_for  # noqa: F401  (the transport finds it here)

logredact.install()  # on urllib3's loggers, which exist now (logredact may be older)

ERRORS = (HTTPError,)  # what urlopen and reading an answer raise
POOL_SIZE = 10  # connections kept per host, as requests kept
# A streamed body (a file, a part) is sent this much at a time: 16 times fewer reads and sends
# than urllib3's 16 KiB, about 6% less client CPU for a big upload (bench/transfers.py).
SEND_BLOCK = 256 * 1024
# urllib3 never retries nor follows redirects itself: the client's RetryPolicy decides.
NO_RETRIES = urllib3.Retry.from_int(False, redirect=False)
DEFAULT_TIMEOUT = urllib3.Timeout.DEFAULT_TIMEOUT  # the pool's own


def timeout(connect: float, read: float) -> urllib3.Timeout:
    """urllib3's timeouts for one request."""
    return urllib3.Timeout(connect=connect, read=read)


def split_netloc(scheme: str, netloc: str) -> tuple[str, int | None]:
    """The host (brackets stripped from IPv6) and port of a URL's netloc; LocationValueError
    when it is malformed."""
    if scheme not in ("http", "https"):
        raise LocationValueError(f"unsupported URL scheme {scheme!r}")
    parsed = parse_url(f"{scheme}://{netloc}")
    if not parsed.host:
        raise LocationValueError(f"no host in {netloc!r}")
    return parsed.host.strip("[]"), parsed.port


def manager(
    proxy: str | None, verify: bool | str, timeouts: tuple[float, float]
) -> urllib3.PoolManager:
    """A pool manager (through `proxy` if given) checking certificates as `verify` says."""
    options = {**_pool_options(timeouts), **_tls_options(verify)}
    if proxy is not None:
        return urllib3.ProxyManager(proxy, **options)
    return urllib3.PoolManager(**options)


def forwarding_pool(
    proxy: str, origin: str, verify: bool | str, timeouts: tuple[float, float]
) -> HTTPConnectionPool:
    """A pool of connections to a forwarding proxy for the plain-HTTP `origin`
    (http://host[:port]); each request names its target in absolute form, `origin` followed by
    the path and query exactly as given (urllib3 would remove dot segments from a full URL)."""
    parsed = parse_url(proxy)
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise LocationValueError(f"unsupported proxy {parsed.scheme}://{parsed.host}")
    options: dict[str, Any] = {**_pool_options(timeouts), "origin": origin}
    if parsed.scheme == "https":
        return _TlsForwardPool(parsed.host, parsed.port or 443, **options, **_tls_options(verify))
    return _ForwardPool(parsed.host, parsed.port or 80, **options)


def _pool_options(timeouts: tuple[float, float]) -> dict[str, Any]:
    return {
        "maxsize": POOL_SIZE,
        "timeout": urllib3.Timeout(connect=timeouts[0], read=timeouts[1]),
        "blocksize": SEND_BLOCK,
    }


def _tls_options(verify: bool | str) -> dict[str, Any]:
    """Certificate checks as `verify` says."""
    options: dict[str, Any] = {"cert_reqs": ssl.CERT_NONE if verify is False else ssl.CERT_REQUIRED}
    if isinstance(verify, str):
        options["ca_cert_dir" if os.path.isdir(verify) else "ca_certs"] = verify
    return options


class _Forwarding(HTTPConnection):
    """A connection to a forwarding proxy: the request target goes out as `origin` + the
    path-form target, untouched."""

    def __init__(self, *args: object, origin: str, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.origin = origin

    def putrequest(
        self, method: str, url: str, skip_host: bool = False, skip_accept_encoding: bool = False
    ) -> None:
        super().putrequest(
            method,
            self.origin + url,
            skip_host=skip_host,
            skip_accept_encoding=skip_accept_encoding,
        )


class _TlsForwarding(_Forwarding, HTTPSConnection):
    """The same, to a proxy reached over TLS."""


class _ForwardPool(HTTPConnectionPool):
    ConnectionCls = _Forwarding


class _TlsForwardPool(HTTPSConnectionPool):
    ConnectionCls = _TlsForwarding


def retryable(exc: BaseException) -> bool:
    """Whether a failure may go away: not a malformed URL, not a certificate that fails to
    verify."""
    if isinstance(exc, LocationValueError):
        return False
    if isinstance(exc, SSLError | ssl.SSLError):
        return "certificate" not in str(exc).lower()
    return True


class Kind(NamedTuple):
    """What a failure is: its name as requests named it (ConnectionError, ReadTimeout, ...), and
    the TransportError raised for it while sending or waiting for the answer, and while reading
    the answer's body."""

    name: str
    sending: type[TransportError]
    reading: type[TransportError]


def kind(exc: BaseException) -> Kind:
    """A failure's kind (see Kind)."""
    for cls, found in _KINDS:
        if isinstance(exc, cls):
            return found
    return Kind(type(exc).__name__, TransportError, IncompleteAnswerError)


# Checked in order: NewConnectionError is a ConnectTimeoutError for urllib3's own reasons. A
# timeout is a timeout wherever it happens; any other failure once the body began cuts it short.
_KINDS: tuple[tuple[type[BaseException], Kind], ...] = (
    (LocationValueError, Kind("InvalidURL", TransportError, IncompleteAnswerError)),
    (SSLError, Kind("SSLError", ConnectError, IncompleteAnswerError)),
    (ProxyError, Kind("ProxyError", ConnectError, IncompleteAnswerError)),
    (NewConnectionError, Kind("ConnectionError", ConnectError, IncompleteAnswerError)),
    (ConnectTimeoutError, Kind("ConnectTimeout", ConnectTimeout, TransportTimeoutError)),
    (ReadTimeoutError, Kind("ReadTimeout", TransportTimeoutError, TransportTimeoutError)),
    (HTTPError, Kind("ConnectionError", TransportError, IncompleteAnswerError)),
)


def root_os_error(exc: BaseException) -> OSError | None:
    """The first OSError (a socket's, TLS's) among a failure and the exceptions it links to:
    its cause, its context, the exceptions in its args (urllib3 wraps them so)."""
    queue, seen = [exc], set()
    while queue:
        linked = queue.pop(0)
        if id(linked) in seen:
            continue
        seen.add(id(linked))
        if isinstance(linked, OSError):
            return linked
        queue += [e for e in (linked.__cause__, linked.__context__) if e is not None]
        queue += [arg for arg in linked.args if isinstance(arg, BaseException)]
    return None
