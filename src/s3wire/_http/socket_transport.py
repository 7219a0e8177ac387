"""A Transport on plain sockets and s3wire's own HTTP/1.1 (http1): keep-alive connections per
scheme, host and port, TLS through ssl, bodies read with recv_into and sent with sendall or
os.sendfile (a file on disk, or a window of one: a multipart upload's part). The client's
default; each request line is logged at DEBUG (s3wire.http), signatures and tokens replaced
by ***.

A request that a proxy from the environment (HTTP_PROXY, HTTPS_PROXY, ...) applies to goes
through a Urllib3Transport made with the same settings: forwarding and CONNECT stay urllib3's.
"""

from __future__ import annotations

import contextlib
import os
import select
import socket
import stat
import sys
import threading
import time
import warnings
from typing import TYPE_CHECKING

from ..config import DEFAULT_MAX_ANSWER_BYTES
from ..errors import (
    InsecureTransportWarning,
    S3wireError,
    TransportError,
    TransportTimeoutError,
)
from . import http1
from .bodies import BodyFailed, Exactly, exactly
from .failing import (
    Deadline,
    check_verify,
    connect_failure,
    network_failure,
    no_query,
    too_big,
    wrong_length,
)
from .socket_common import (
    Route,
    Stale,
    body_again,
    body_start,
    head_of,
    log_resend,
    route_of,
    split_url,
    tls_context,
)

if TYPE_CHECKING:
    import ssl

    from ..transport_api import Body, Headers, Sink
    from .transport import Urllib3Transport

_HEAD_BUFFER = 64 * 1024  # each connection's receive buffer (heads, small bodies)
_STREAM_BLOCK = 256 * 1024  # a streamed answer is read, a streamed body sent, this much at once
_SMALL_BODY = 64 * 1024  # a bytes body up to this size goes out in the head's send
_RECENT = 1.0  # seconds: an idle connection younger than this is reused without a check


class SocketTransport:
    """A Transport (s3wire.transport_api) on sockets; the same settings as Urllib3Transport.

    `connect_timeout` bounds making a connection (and its TLS handshake), `read_timeout` each
    wait for the server's next bytes. `verify` is True (the system's CA bundle), a CA bundle
    file or folder, or False (no certificate checks: warned about once). An answer read into
    memory may hold at most `max_answer_bytes`. `total_timeout` is the setting the deadlines
    given to `send` come from. At most `max_idle` idle connections are kept per scheme, host
    and port. Connections belong to the process that made them: after a fork the child makes
    its own.
    """

    def __init__(
        self,
        *,
        connect_timeout: float,
        read_timeout: float,
        verify: bool | str,
        max_answer_bytes: int = DEFAULT_MAX_ANSWER_BYTES,
        total_timeout: float | None = None,
        max_idle: int = 10,
    ) -> None:
        check_verify(verify, stacklevel=2)
        self._max_idle = max_idle
        self._connect_timeout, self._read_timeout = connect_timeout, read_timeout
        self._verify = verify
        self._max_answer = max_answer_bytes
        self._total = total_timeout
        self._tls: ssl.SSLContext | None = None
        self._own()

    def _own(self) -> None:
        """Start with no connections, in this process."""
        self._pid = os.getpid()
        self._idle: dict[tuple[str, str, int], list[_Connection]] = {}
        self._routes: dict[tuple[str, str], Route] = {}
        self._proxied: Urllib3Transport | None = None
        self._lock = threading.Lock()

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
        """Send one request; answer (status, case-insensitive headers, body bytes), as
        s3wire.transport_api.Transport says."""
        if self._pid != os.getpid():  # a forked child: the connections are the parent's
            self._own()
        scheme, netloc, target = split_url(url)
        route = self._routes.get((scheme, netloc))
        if route is None:
            route = self._routes[scheme, netloc] = route_of(scheme, netloc, method, url)
        if route.proxied:
            return self._through_proxy().send(method, url, headers, body, sink, deadline=deadline)
        due = None if deadline is None else Deadline(deadline, self._total, method)
        exchange = _Exchange(self, route, method, url, due)
        try:
            payload = None if body is None else exactly(body)
            head = head_of(method, target, netloc, headers, payload)
            answer = exchange.run(head, payload, sink)
        except BodyFailed as exc:
            message = f"{method} request failed: the request body {exc} (url: {no_query(url)})"
            failure = TransportError(message, retryable=False)
            raise failure from None
        if "logging" in sys.modules:  # else no handler can be configured: nothing to log
            _log_request(method, url, answer[0])
        return answer

    def _through_proxy(self) -> Urllib3Transport:
        """The urllib3 transport that requests through a proxy take."""
        if self._proxied is None:
            from .transport import Urllib3Transport

            verify = self._verify
            with warnings.catch_warnings():  # warned about once, by this transport
                warnings.simplefilter("ignore", InsecureTransportWarning)
                self._proxied = Urllib3Transport(
                    connect_timeout=self._connect_timeout,
                    read_timeout=self._read_timeout,
                    verify=verify,
                    max_answer_bytes=self._max_answer,
                    total_timeout=self._total,
                )
        return self._proxied

    def _context(self) -> ssl.SSLContext:
        """The TLS context: certificates checked as `verify` says (made on first use)."""
        if self._tls is None:
            self._tls = tls_context(self._verify)
        return self._tls

    def checkout(self, route: Route) -> _Connection | None:
        """An idle connection of the route that the server has not closed, if one is kept."""
        with self._lock:
            idle = self._idle.get(route.key)
            while idle:
                connection = idle.pop()
                if connection.usable():
                    return connection
                connection.close()
        return None

    def connect(self, route: Route, due: Deadline | None) -> _Connection:
        """A new connection of the route (TLS handshake done)."""
        wait = self._connect_timeout if due is None else min(self._connect_timeout, due.left())
        sock = socket.create_connection((route.host, route.port), timeout=wait)
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            if route.tls:
                sock = self._context().wrap_socket(sock, server_hostname=route.host)
        except BaseException:
            sock.close()
            raise
        return _Connection(sock, route.tls)

    def checkin(self, route: Route, connection: _Connection) -> None:
        """Keep a connection whose answer was read whole, for the route's next request."""
        with self._lock:
            if self._pid == os.getpid():
                idle = self._idle.setdefault(route.key, [])
                if len(idle) < self._max_idle:
                    connection.idle_since = time.monotonic()
                    idle.append(connection)
                    return
        connection.close()

    def close(self) -> None:
        """Close the idle connections (in a forked child, forget the parent's instead)."""
        if self._pid != os.getpid():
            self._own()
            return
        with self._lock:
            for idle in self._idle.values():
                for connection in idle:
                    connection.close()
            self._idle.clear()
            proxied, self._proxied = self._proxied, None
        if proxied is not None:
            proxied.close()


def _log_request(method: str, url: str, status: int) -> None:
    """The request line and the answer's status at DEBUG on the s3wire.http logger, as urllib3
    logs its own, the signature and tokens of a presigned URL replaced by ***."""
    import logging

    logger = logging.getLogger("s3wire.http")
    if logger.isEnabledFor(logging.DEBUG):
        from .logredact import redact

        logger.debug('"%s %s" %d', method, redact(url), status)


class _Connection:
    """One socket, its receive buffer, its current timeout, when it was last put aside."""

    __slots__ = ("buffer", "idle_since", "sock", "timeout", "tls", "view")

    def __init__(self, sock: socket.socket, tls: bool) -> None:
        self.sock, self.tls = sock, tls
        self.buffer = bytearray(_HEAD_BUFFER)
        self.view = memoryview(self.buffer)
        self.timeout = sock.gettimeout()
        self.idle_since = 0.0

    def wait(self, seconds: float) -> None:
        """Make the socket's waits last at most `seconds` (a system call only on a change)."""
        if seconds != self.timeout:
            self.sock.settimeout(seconds)
            self.timeout = seconds

    def usable(self) -> bool:
        """Whether an idle connection is still open and quiet (nothing to read: no close, no
        stray bytes from the server). One put aside less than a second ago is taken as it is
        (a system call saved): should the server have closed it meanwhile, the exchange finds
        out before any byte of the answer and sends again on a new connection."""
        pending = getattr(self.sock, "pending", None)  # TLS: bytes decrypted, not yet read
        if pending is not None and pending():
            return False
        if time.monotonic() - self.idle_since < _RECENT:
            return True
        try:
            readable, _, _ = select.select([self.sock], [], [], 0)
        except (OSError, ValueError):
            return False
        return not readable

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.close()


class _Exchange:
    """One request's trip: connect or reuse, send, read the answer; failures as the
    TransportErrors of their kind."""

    __slots__ = ("due", "method", "owner", "route", "started", "url")

    def __init__(
        self,
        owner: SocketTransport,
        route: Route,
        method: str,
        url: str,
        due: Deadline | None,
    ) -> None:
        self.owner, self.route, self.method, self.url, self.due = owner, route, method, url, due
        self.started = False  # whether a byte of the answer arrived

    def run(
        self, head: bytes, payload: bytes | Exactly | None, sink: Sink | None
    ) -> tuple[int, Headers, bytes]:
        """Send and read; once more on a new connection when a reused one turns out closed
        before any byte of the answer, the body can be sent again and the method is one S3
        takes twice to the same effect (not POST: a CompleteMultipartUpload the server acted on
        before the connection broke goes back to the client's retry decisions)."""
        start = body_start(payload)
        connection = self.owner.checkout(self.route)
        if connection is not None:
            try:
                return self._over(connection, head, payload, sink, last=self.method == "POST")
            except Stale:
                payload = body_again(payload, start)
            log_resend(self.method, self.url)
        return self._over(self._connect(), head, payload, sink, last=True)

    def _connect(self) -> _Connection:
        try:
            return self.owner.connect(self.route, self.due)
        except OSError as exc:
            failure = connect_failure(self.method, self.url, self.due, exc)
        raise failure

    def _over(
        self,
        connection: _Connection,
        head: bytes,
        payload: bytes | Exactly | None,
        sink: Sink | None,
        *,
        last: bool = False,
    ) -> tuple[int, Headers, bytes]:
        """The exchange over one connection, closed unless the answer leaves it reusable;
        Stale when a kept connection broke before any answer and this is not the `last` try."""
        keep = False
        try:
            try:
                self._send_request(connection, head, payload)
                parser = http1.AnswerParser(self.method)
                answer_head = self._read_head(connection, parser)
            except (ConnectionError, TransportError) as exc:
                timed_out = isinstance(exc, TransportTimeoutError)
                if not (last or self.started or timed_out):
                    raise Stale from None
                raise
            status, headers = answer_head.status, answer_head.headers
            if sink is not None and 200 <= status < 300 and self.method != "HEAD":
                sink.begin(status, headers)
                received, content = self._stream(connection, parser, sink), b""
            else:
                content = self._whole(connection, parser, answer_head)
                received = len(content)
            self._check_length(answer_head, received)
            keep = answer_head.keep_alive and parser.extra == 0
            return status, headers, content
        except (S3wireError, BodyFailed, Stale):
            raise
        except TimeoutError as exc:
            doing = "answer was cut short" if self.started else "request failed"
            failure = self._failure(doing, exc, self.started, kind="ReadTimeout")
        except OSError as exc:
            doing = "answer was cut short" if self.started else "request failed"
            failure = self._failure(doing, exc, self.started, kind="ConnectionError")
        finally:
            if keep:
                self.owner.checkin(self.route, connection)
            else:
                connection.close()
        raise failure  # out of the handler: the OSError is the cause, not the context

    def _wait(self, connection: _Connection) -> None:
        """Set the next wait: read_timeout, cut to the time left."""
        if self.due is not None:
            connection.wait(min(self.owner._read_timeout, self.due.left()))
        else:
            connection.wait(self.owner._read_timeout)

    def _send_request(
        self, connection: _Connection, head: bytes, payload: bytes | Exactly | None
    ) -> None:
        self._wait(connection)
        sock = connection.sock
        if payload is None or (isinstance(payload, bytes) and len(payload) <= _SMALL_BODY):
            sock.sendall(head if not payload else head + payload)
            return
        sock.sendall(head)
        if isinstance(payload, bytes):
            sock.sendall(memoryview(payload))
            return
        span = None if connection.tls else _file_span(payload)
        if span is not None:
            self._send_file(connection, payload, *span)
            return
        while block := payload.read(_STREAM_BLOCK):
            if self.due is not None:
                self._wait(connection)
            sock.sendall(block)

    def _send_file(self, connection: _Connection, payload: Exactly, fd: int, offset: int) -> None:
        """A body that is a file on disk, from `offset` of `fd`: os.sendfile, the kernel
        copying the bytes, exactly its declared bytes; each wait for room is read_timeout's."""
        file, length, sock = payload.file, len(payload), connection.sock
        start, sent = file.tell(), 0
        room = select.poll()
        room.register(sock, select.POLLOUT)
        while sent < length:
            try:
                count = os.sendfile(sock.fileno(), fd, offset + sent, length - sent)
            except BlockingIOError:
                self._wait(connection)
                wait = connection.timeout
                if not room.poll(None if wait is None else wait * 1000):
                    raise TimeoutError("timed out sending the body") from None
                continue
            if not count:  # the file ends sooner
                break
            sent += count
        file.seek(start + sent)
        if sent < length:
            raise payload.shorter(sent)

    def _recv(self, connection: _Connection, parser: http1.AnswerParser) -> None:
        """Wait for the next bytes and feed them to the parser (a close, when none come)."""
        self._wait(connection)
        count = connection.sock.recv_into(connection.buffer)
        if count:
            self.started = True
            parser.feed(connection.view[:count])
        else:
            parser.close()

    def _read_head(self, connection: _Connection, parser: http1.AnswerParser) -> http1.Head:
        while True:
            event = parser.next_event()
            if isinstance(event, http1.Head):
                return event
            self._recv(connection, parser)

    def _whole(
        self, connection: _Connection, parser: http1.AnswerParser, head: http1.Head
    ) -> bytes:
        """The body into memory, at most max_answer_bytes (ResponseError past that)."""
        most = self.owner._max_answer
        if head.length is not None and head.length > most:
            raise too_big(self.method, self.url, most, f"its Content-Length is {head.length}")
        pieces: list[bytes | bytearray] = []
        size = 0
        while True:
            direct = parser.direct()
            if direct:
                pieces.append(self._direct(connection, parser, direct))
                size += direct
                continue
            event = parser.next_event()
            if event is http1.END:
                break
            if event is http1.NEED_DATA:
                self._recv(connection, parser)
            elif isinstance(event, bytes):
                size += len(event)
                if size > most:
                    raise too_big(self.method, self.url, most, f"more than {most} bytes arrived")
                pieces.append(event)
        if len(pieces) == 1 and isinstance(pieces[0], bytes):
            return pieces[0]
        return b"".join(pieces)

    def _direct(self, connection: _Connection, parser: http1.AnswerParser, count: int) -> bytearray:
        """The rest of a Content-Length body, received straight into its own memory."""
        out = bytearray(count)
        view, got = memoryview(out), 0
        sock = connection.sock
        while got < count:
            self._wait(connection)
            arrived = sock.recv_into(view[got:])
            if not arrived:
                parser.close()
                parser.next_event()  # raises: the answer was cut short
            parser.received_directly(arrived)
            got += arrived
        return out

    def _stream(self, connection: _Connection, parser: http1.AnswerParser, sink: Sink) -> int:
        """The body into the sink as it arrives; how many bytes came."""
        block = bytearray(_STREAM_BLOCK)
        view, received, sock = memoryview(block), 0, connection.sock
        while True:
            direct = parser.direct()
            if direct:
                self._wait(connection)
                arrived = sock.recv_into(view, min(direct, _STREAM_BLOCK))
                if arrived:
                    parser.received_directly(arrived)
                    sink.write(view[:arrived])  # the sink copies it if it keeps it
                    received += arrived
                else:
                    parser.close()
                continue
            event = parser.next_event()
            if event is http1.END:
                return received
            if event is http1.NEED_DATA:
                self._recv(connection, parser)
            elif isinstance(event, bytes):
                sink.write(event)
                received += len(event)

    def _check_length(self, head: http1.Head, received: int) -> None:
        """A chunked answer's bytes against the Content-Length it also gave."""
        expected = head.length
        if head.chunked and expected is not None and expected != received:
            raise wrong_length(self.method, received, expected)

    def _failure(
        self,
        doing: str,
        exc: OSError,
        reading: bool,
        *,
        kind: str = "ConnectionError",
        retry: bool = True,
    ) -> TransportError:
        """A network failure as the TransportError of its kind (failing.network_failure)."""
        return network_failure(
            self.method, self.url, self.due, doing, exc, reading, kind=kind, retry=retry
        )


def _file_span(payload: Exactly) -> tuple[int, int] | None:
    """(descriptor, offset) of the file on disk a body is sent from, where it stands now, for
    os.sendfile: a regular file, or a window of one (transfer.filewindow.FileWindow.span);
    None for any other body."""
    file = payload.file
    span = getattr(file, "span", None)
    try:
        fd, offset = span() if callable(span) else (file.fileno(), file.tell())
        return (fd, offset) if stat.S_ISREG(os.fstat(fd).st_mode) else None
    except (AttributeError, OSError, ValueError):
        return None
