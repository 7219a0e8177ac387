"""HTTP straight through urllib3's connection pools, sending URLs exactly as they were signed.

urllib3 is imported, and the pools made, on the first request: building a client costs nothing.
Proxies come from the environment (HTTP_PROXY, HTTPS_PROXY, NO_PROXY, ...) as with requests;
they are looked up once per scheme and host.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from ..config import DEFAULT_MAX_ANSWER_BYTES
from ..errors import (
    ResponseError,
    TransportError,
)
from .bodies import BodyFailed as _BodyFailed
from .bodies import Exactly as _Exactly
from .bodies import exactly as _exactly
from .failing import Deadline as _Deadline
from .failing import check_verify, too_big, wrong_length
from .failing import clean as _clean
from .failing import describe as _describe
from .failing import no_query as _no_query
from .proxies import proxy_for

if TYPE_CHECKING:
    from urllib3 import BaseHTTPResponse, HTTPConnectionPool, PoolManager, Timeout

    from ..transport_api import Body, Headers, Sink

_DEFAULT_PORTS = {"http": 80, "https": 443}
# Methods sent with "Content-Length: 0" when they have no body (as requests did).
_NO_LENGTH = frozenset({"GET", "HEAD"})
# A streamed answer is read this much at a time: as fast as bigger reads, in a quarter of the
# memory per thread (bench/transfers.py).
_CHUNK = 256 * 1024


class Urllib3Transport:
    """The default Transport (s3wire.transport_api): urllib3's pools, network failures as
    TransportError.

    `connect_timeout` bounds making a connection, `read_timeout` each wait for the server's next
    bytes (not the whole answer). `verify` is True (the system's CA bundle), a CA bundle path,
    or False (no certificate checks: warned about once, with InsecureTransportWarning).
    An answer read into memory may hold at most `max_answer_bytes`. `total_timeout` is the
    setting the deadlines given to `send` come from: the message of a call out of time names it.

    The pools belong to the process that made them: after a fork the child makes its own and
    leaves the parent's sockets alone.
    """

    def __init__(
        self,
        *,
        connect_timeout: float,
        read_timeout: float,
        verify: bool | str,
        max_answer_bytes: int = DEFAULT_MAX_ANSWER_BYTES,
        total_timeout: float | None = None,
    ) -> None:
        check_verify(verify, stacklevel=4)
        self._timeouts = (connect_timeout, read_timeout)
        self._verify = verify
        self._max_answer = max_answer_bytes
        self._total = total_timeout
        self._own_pools()

    def _own_pools(self) -> None:
        """Start with no pools, in this process."""
        self._pid = os.getpid()
        self._managers: dict[str | None, PoolManager] = {}
        self._routes: dict[tuple[str, str], HTTPConnectionPool] = {}
        self._lock = threading.Lock()  # threads share a client: one route per host

    def send(
        self,
        method: str,
        url: str,
        headers: dict[str, str],
        body: Body,
        sink: Sink | None = None,
        *,
        deadline: float | None = None,
    ) -> tuple[int, Headers, bytes]:
        """Send one request; answer (status, case-insensitive headers, raw body bytes).

        With a `sink`, the body of a 2xx answer goes to it as it arrives (the bytes answered
        are then empty); other answers are read into memory as usual, up to max_answer_bytes
        (ResponseError past that). A streamed body sends exactly the length it has when the
        request starts. `deadline` (time.monotonic()) bounds the whole exchange.
        A body shorter or longer than its Content-Length is a TransportError, like a reset or
        a timeout; TransportError.retryable is False only when trying again cannot help.
        """
        from . import pools  # the first request pays for urllib3

        due = None if deadline is None else _Deadline(deadline, self._total, method)
        try:
            pool, target = self._route(url)
            # The length is the transport's to set, whatever the caller wrote (as with requests).
            headers = {k: v for k, v in headers.items() if k.lower() != "content-length"}
            payload: bytes | _Exactly | None = body if body is None else _exactly(body)
            if payload is not None:
                headers["Content-Length"] = str(len(payload))
            elif method not in _NO_LENGTH:
                headers["Content-Length"] = "0"
            answer = pool.urlopen(
                method,
                target,
                body=payload,
                headers=headers,
                retries=pools.NO_RETRIES,
                redirect=False,
                assert_same_host=False,
                preload_content=False,
                decode_content=False,
                timeout=pools.DEFAULT_TIMEOUT if due is None else _timeout(due, self._timeouts),
            )
        except _BodyFailed as exc:
            message = f"{method} request failed: the request body {exc} (url: {_no_query(url)})"
            failure = TransportError(message, retryable=False)
        except pools.ERRORS as exc:
            failure = _failure(f"{method} request failed", exc, url, due, retryable=None)
        except OSError as exc:  # reading the CA bundle, for instance
            failure = _failure(f"{method} request failed", exc, url, due, retryable=False)
        else:
            return self._receive(answer, method, url, sink, due)
        raise failure  # out of the handler: urllib3's exception (its URL) is not its context

    def _receive(
        self,
        answer: BaseHTTPResponse,
        method: str,
        url: str,
        sink: Sink | None,
        due: _Deadline | None,
    ) -> tuple[int, Headers, bytes]:
        """Read the answer's body: into the sink (a 2xx) or memory; check its length."""
        answer_headers = answer.headers
        reader = _Reader(answer, method, url, due, self._timeouts[1])
        try:
            if sink is not None and 200 <= answer.status < 300 and method != "HEAD":
                sink.begin(answer.status, answer_headers)
                content, received = b"", reader.stream(sink)
            else:
                content = b"" if method == "HEAD" else reader.whole(self._max_answer)
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
            raise wrong_length(method, received, int(expected))
        return answer.status, answer_headers, content

    def _route(self, url: str) -> tuple[HTTPConnectionPool, str]:
        """The pool for a URL, and the URL's path and query."""
        if self._pid != os.getpid():  # a forked child: the pools are the parent's
            self._own_pools()
        scheme, _, rest = url.partition("://")
        slash = rest.find("/")
        netloc, target = (rest, "/") if slash < 0 else (rest[:slash], rest[slash:])
        pool = self._routes.get((scheme, netloc))
        if pool is None:
            with self._lock:
                pool = self._routes.get((scheme, netloc)) or self._new_route(scheme, netloc)
                self._routes[scheme, netloc] = pool
        return pool, target

    def _new_route(self, scheme: str, netloc: str) -> HTTPConnectionPool:
        from . import pools

        host, port = pools.split_netloc(scheme, netloc)
        proxy = proxy_for(scheme, netloc)
        if proxy is not None and scheme == "http":
            return pools.forwarding_pool(proxy, f"http://{netloc}", self._verify, self._timeouts)
        manager = self._managers.get(proxy)
        if manager is None:
            manager = self._managers[proxy] = pools.manager(proxy, self._verify, self._timeouts)
        return manager.connection_from_host(host, port or _DEFAULT_PORTS.get(scheme), scheme)

    def close(self) -> None:
        """Close pooled connections (in a forked child, forget the parent's instead)."""
        if self._pid != os.getpid():
            self._own_pools()
            return
        with self._lock:
            for pool in self._routes.values():
                pool.close()
            for manager in self._managers.values():
                manager.clear()
            self._managers.clear()
            self._routes.clear()


class _Reader:
    """Reads one answer's body, its network failures as TransportError; with a deadline, no
    wait is longer than the time left and reading stops when it passes."""

    __slots__ = ("_answer", "_limit", "_method", "_read_timeout", "_url")

    def __init__(
        self,
        answer: BaseHTTPResponse,
        method: str,
        url: str,
        limit: _Deadline | None,
        read_timeout: float,
    ) -> None:
        self._answer, self._method, self._url = answer, method, url
        self._limit, self._read_timeout = limit, read_timeout

    def stream(self, sink: Sink) -> int:
        """Hand the body to `sink` chunk by chunk; answer how many bytes arrived. The sink's
        own failures (a full disk) are raised as they are, not as network failures."""
        received = 0
        while chunk := self._chunk():
            sink.write(chunk)
            received += len(chunk)
        return received

    def whole(self, most: int) -> bytes:
        """The whole body, at most `most` bytes (ResponseError as soon as it is more)."""
        length = self._answer.length_remaining
        if length is not None and length > most:
            raise self._too_big(most, f"its Content-Length is {length}")
        if length is not None and self._limit is None:  # one read, no copy
            return self._read(lambda: self._answer.read(decode_content=False))
        chunks, size = [], 0
        while chunk := self._chunk():
            size += len(chunk)
            if size > most:
                raise self._too_big(most, f"more than {most} bytes arrived")
            chunks.append(chunk)
        return b"".join(chunks)

    def _chunk(self) -> bytes:
        """The body's next bytes (b"" at its end)."""
        answer = self._answer
        if self._limit is None:
            return self._read(lambda: answer.read(_CHUNK, decode_content=False))
        left = self._limit.left()
        sock = getattr(answer.connection, "sock", None)
        if sock is not None:  # each wait is cut to the time left
            sock.settimeout(min(self._read_timeout, left))
        return self._read(lambda: answer.read1(_CHUNK, decode_content=False))

    def _read(self, read: Callable[[], bytes]) -> bytes:
        """read() of the answer's raw bytes (no content decoding: an object stored with
        Content-Encoding: gzip comes as stored), its network failures as TransportError."""
        from . import pools

        try:
            return read()
        except (*pools.ERRORS, OSError) as exc:
            doing = f"{self._method} answer was cut short"
            failure = _failure(doing, exc, self._url, self._limit, retryable=True, reading=True)
        raise failure  # out of the handler: urllib3's exception (its URL) is not its context

    def _too_big(self, most: int, why: str) -> ResponseError:
        return too_big(self._method, self._url, most, why)


def _failure(
    doing: str,
    exc: BaseException,
    url: str,
    due: _Deadline | None,
    *,
    retryable: bool | None,
    reading: bool = False,
) -> TransportError:
    """A network failure as the TransportError of its kind (its `reading` one once the body
    began), retryable as urllib3's failure says unless told; once the time is up, the
    deadline's error. Its cause is a clean copy of the OSError beneath (see _clean)."""
    from . import pools

    if due is not None and due.passed():
        return due.spent()
    kind = pools.kind(exc)
    error_class = kind.reading if reading else kind.sending
    error = error_class(
        f"{doing}: {_describe(kind.name, exc, url)}",
        retryable=pools.retryable(exc) if retryable is None else retryable,
    )
    root = pools.root_os_error(exc)
    error.__cause__ = None if root is None else _clean(root)
    return error


def _timeout(due: _Deadline, timeouts: tuple[float, float]) -> Timeout:
    """The connect and read timeouts, neither longer than the time left."""
    from . import pools

    left = due.left()
    return pools.timeout(min(timeouts[0], left), min(timeouts[1], left))
