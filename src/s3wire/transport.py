"""HTTP straight through urllib3's connection pools, sending URLs exactly as they were signed.

urllib3 is imported, and the pools made, on the first request: building a client costs nothing.
Proxies come from the environment (HTTP_PROXY, HTTPS_PROXY, NO_PROXY, ...) as with requests;
they are looked up once per scheme and host.
"""

from __future__ import annotations

import os
import re
import threading
import warnings
from collections.abc import Callable, Mapping
from typing import IO, TYPE_CHECKING, Protocol

from .errors import InsecureTransportWarning, ParamError, TransportError

if TYPE_CHECKING:
    from urllib3 import BaseHTTPResponse, HTTPConnectionPool, PoolManager

Body = bytes | IO[bytes] | None
Headers = Mapping[str, str]
_QUERY = re.compile(r"\?[^\s'\")]*")
_DEFAULT_PORTS = {"http": 80, "https": 443}
# Methods sent with "Content-Length: 0" when they have no body (as requests did).
_NO_LENGTH = frozenset({"GET", "HEAD"})
# A streamed answer is read this much at a time: as fast as bigger reads, in a quarter of the
# memory per thread (bench/transfers.py).
_CHUNK = 256 * 1024


class Sink(Protocol):
    """Where a successful answer's body goes instead of memory (see BodySink)."""

    def begin(self, status: int, headers: Headers) -> None: ...
    def write(self, chunk: bytes) -> None: ...


class Transport:
    """Sends requests and reads whole answers; network failures become TransportError.

    `connect_timeout` bounds making a connection, `read_timeout` each wait for the server's next
    bytes (not the whole answer). `verify` is True (the system's CA bundle), a CA bundle path,
    or False (no certificate checks: warned about once, with InsecureTransportWarning).
    """

    def __init__(self, *, connect_timeout: float, read_timeout: float, verify: bool | str) -> None:
        if isinstance(verify, str) and not os.path.exists(verify):
            raise ParamError(f"verify names no CA bundle file or directory: {verify!r}")
        if verify is False:
            warnings.warn(
                "s3wire: TLS certificate verification is off (verify=False); anyone on the "
                "network path can read and change this client's traffic",
                InsecureTransportWarning,
                stacklevel=4,
            )
        self._timeouts = (connect_timeout, read_timeout)
        self._verify = verify
        self._managers: dict[str | None, PoolManager] = {}
        # (scheme, netloc) -> (the pool, whether it is a plain-HTTP proxy's: full URLs then)
        self._routes: dict[tuple[str, str], tuple[HTTPConnectionPool, bool]] = {}
        self._lock = threading.Lock()  # threads share a client: one route per host

    def send(
        self,
        method: str,
        url: str,
        headers: dict[str, str],
        body: Body,
        sink: Sink | None = None,
    ) -> tuple[int, Headers, bytes]:
        """Send one request; answer (status, case-insensitive headers, raw body bytes).

        With a `sink`, the body of a 2xx answer goes to it as it arrives (the bytes answered
        are then empty); other answers are read into memory as usual.
        A body shorter or longer than its Content-Length is a TransportError, like a reset or
        a timeout; TransportError.retryable is False only when trying again cannot help.
        """
        from . import _http  # the first request pays for urllib3

        try:
            pool, full_url, target = self._route(url)
            # The length is the transport's to set, whatever the caller wrote (as with requests).
            headers = {k: v for k, v in headers.items() if k.lower() != "content-length"}
            length = _length(body)
            if length is not None:
                headers["Content-Length"] = str(length)
            elif method not in _NO_LENGTH:
                headers["Content-Length"] = "0"
            answer = pool.urlopen(
                method,
                url if full_url else target,
                body=body,
                headers=headers,
                retries=_http.NO_RETRIES,
                redirect=False,
                assert_same_host=False,
                preload_content=False,
                decode_content=False,
            )
        except _http.ERRORS as exc:
            raise TransportError(
                f"{method} request failed: {_describe(_http.kind(exc), exc, url)}",
                retryable=_http.retryable(exc),
            ) from None
        except OSError as exc:  # reading the CA bundle, for instance
            message = f"{method} request failed: {_describe(_http.kind(exc), exc, url)}"
            raise TransportError(message, retryable=False) from None
        answer_headers = answer.headers
        try:
            if sink is not None and 200 <= answer.status < 300 and method != "HEAD":
                sink.begin(answer.status, answer_headers)
                content, received = b"", _stream(answer, sink, method, url)
            else:
                content = (
                    b""
                    if method == "HEAD"
                    else _read(lambda: answer.read(decode_content=False), method, url)
                )
                received = len(content)
        except BaseException:
            answer.close()  # the connection is not reused with bytes left unread on it
            raise
        finally:
            answer.release_conn()
        expected = answer_headers.get("Content-Length", "")
        if (
            method != "HEAD"
            and expected.isascii()
            and expected.isdigit()
            and int(expected) != received
        ):
            raise TransportError(
                f"{method} answer was cut short: {received} of {expected} bytes arrived"
            )
        return answer.status, answer_headers, content

    def _route(self, url: str) -> tuple[HTTPConnectionPool, bool, str]:
        """The pool for a URL, whether it takes the full URL, and the URL's path and query."""
        scheme, _, rest = url.partition("://")
        slash = rest.find("/")
        netloc, target = (rest, "/") if slash < 0 else (rest[:slash], rest[slash:])
        route = self._routes.get((scheme, netloc))
        if route is None:
            with self._lock:
                route = self._routes.get((scheme, netloc)) or self._new_route(scheme, netloc)
                self._routes[scheme, netloc] = route
        pool, full_url = route
        return pool, full_url, target

    def _new_route(self, scheme: str, netloc: str) -> tuple[HTTPConnectionPool, bool]:
        from . import _http

        host, port = _http.split_netloc(scheme, netloc)
        proxy = _http.proxy_for(scheme, netloc)
        manager = self._managers.get(proxy)
        if manager is None:
            manager = self._managers[proxy] = _http.manager(proxy, self._verify, self._timeouts)
        pool = manager.connection_from_host(host, port or _DEFAULT_PORTS.get(scheme), scheme)
        return pool, proxy is not None and scheme == "http"

    def close(self) -> None:
        """Close pooled connections."""
        with self._lock:
            for manager in self._managers.values():
                manager.clear()
            self._managers.clear()
            self._routes.clear()


def _stream(answer: BaseHTTPResponse, sink: Sink, method: str, url: str) -> int:
    """Hand the answer's body to `sink` chunk by chunk; answer how many bytes arrived. The
    sink's own failures (a full disk) are raised as they are, not as network failures."""
    received = 0
    while chunk := _read(lambda: answer.read(_CHUNK, decode_content=False), method, url):
        sink.write(chunk)
        received += len(chunk)
    return received


def _read(read: Callable[[], bytes], method: str, url: str) -> bytes:
    """read() of the answer's raw bytes (no content decoding: an object stored with
    Content-Encoding: gzip comes as stored), its network failures as TransportError."""
    from . import _http

    try:
        return read()
    except (*_http.ERRORS, OSError) as exc:
        raise TransportError(
            f"{method} answer was cut short: {_describe(_http.kind(exc), exc, url)}"
        ) from None


def _length(body: Body) -> int | None:
    """The bytes a body holds from where it stands (S3 refuses chunked uploads)."""
    if body is None:
        return None
    if isinstance(body, bytes):
        return len(body)
    start = body.tell()
    end = body.seek(0, os.SEEK_END)
    body.seek(start, os.SEEK_SET)
    return end - start


def _describe(kind: str, exc: BaseException, url: str) -> str:
    """The failure's kind and message, and the URL, without any query string (presigned URLs
    hold signatures)."""
    text = f"{kind}: {exc} (url: {url})"
    return _QUERY.sub("?...", text)
