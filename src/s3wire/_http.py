"""urllib3 behind the transport: pool managers, proxies from the environment, failure kinds.

Imported by the transport on its first request only, so that building a client stays light.
"""

from __future__ import annotations

import os
import ssl
import urllib.request

import urllib3
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

from . import _logredact  # noqa: F401  (importing it redacts secrets in urllib3's log records)

ERRORS = (HTTPError,)  # what urlopen and reading an answer raise
POOL_SIZE = 10  # connections kept per host, as requests kept
# A streamed body (a file, a part) is sent this much at a time: 16 times fewer reads and sends
# than urllib3's 16 KiB, about 6% less client CPU for a big upload (bench/transfers.py).
SEND_BLOCK = 256 * 1024
# urllib3 never retries nor follows redirects itself: the client's RetryPolicy decides.
NO_RETRIES = urllib3.Retry.from_int(False, redirect=False)


def split_netloc(scheme: str, netloc: str) -> tuple[str, int | None]:
    """The host (brackets stripped from IPv6) and port of a URL's netloc; LocationValueError
    when it is malformed."""
    if scheme not in ("http", "https"):
        raise LocationValueError(f"unsupported URL scheme {scheme!r}")
    parsed = parse_url(f"{scheme}://{netloc}")
    if not parsed.host:
        raise LocationValueError(f"no host in {netloc!r}")
    return parsed.host.strip("[]"), parsed.port


def proxy_for(scheme: str, netloc: str) -> str | None:
    """The proxy the environment names for this scheme and host, as requests chose it: none
    when NO_PROXY covers the host."""
    proxies = urllib.request.getproxies()
    proxy = proxies.get(scheme) or proxies.get("all")
    if not proxy or urllib.request.proxy_bypass(netloc):
        return None
    return proxy if "://" in proxy else f"http://{proxy}"


def manager(
    proxy: str | None, verify: bool | str, timeouts: tuple[float, float]
) -> urllib3.PoolManager:
    """A pool manager (through `proxy` if given) checking certificates as `verify` says."""
    options: dict[str, object] = {
        "maxsize": POOL_SIZE,
        "timeout": urllib3.Timeout(connect=timeouts[0], read=timeouts[1]),
        "cert_reqs": ssl.CERT_NONE if verify is False else ssl.CERT_REQUIRED,
        "blocksize": SEND_BLOCK,
    }
    if isinstance(verify, str):
        options["ca_cert_dir" if os.path.isdir(verify) else "ca_certs"] = verify
    if proxy is not None:
        return urllib3.ProxyManager(proxy, **options)  # type: ignore[arg-type]
    return urllib3.PoolManager(**options)  # type: ignore[arg-type]


def retryable(exc: BaseException) -> bool:
    """Whether a failure may go away: not a malformed URL, not a certificate that fails to
    verify."""
    if isinstance(exc, LocationValueError):
        return False
    if isinstance(exc, SSLError | ssl.SSLError):
        return "certificate" not in str(exc).lower()
    return True


def kind(exc: BaseException) -> str:
    """A failure's kind, named as requests named it (ConnectionError, ReadTimeout, ...)."""
    for cls, name in _KINDS:
        if isinstance(exc, cls):
            return name
    return type(exc).__name__


# Checked in order: NewConnectionError is a ConnectTimeoutError for urllib3's own reasons.
_KINDS: tuple[tuple[type[BaseException], str], ...] = (
    (LocationValueError, "InvalidURL"),
    (SSLError, "SSLError"),
    (ProxyError, "ProxyError"),
    (NewConnectionError, "ConnectionError"),
    (ConnectTimeoutError, "ConnectTimeout"),
    (ReadTimeoutError, "ReadTimeout"),
    (HTTPError, "ConnectionError"),
)
