"""An AsyncTransport (s3wire.transport_api) on asyncio and s3wire's own HTTP/1.1 (http1), the
sync SocketTransport's twin: the same heads, parser, routes, failures and retry of a stale kept
connection, over an asyncio.Protocol per connection.

A Protocol rather than asyncio streams, measured (a kept-alive presigned GET of 1 KiB from
radosgw, each loop written for the comparison over http1, three runs): 0.12-0.19 ms CPU over a
Protocol feeding the parser from data_received with a timer per wait, 0.18-0.22 ms over streams
with asyncio.wait_for per read (what a read timeout takes on Python 3.10: a task per wait);
streams with no timeout at all, 0.13-0.16 ms. This transport keeps one timer per connection
across its waits, which saves a tenth more. In bench/transports.py (--ops 2000, one request
awaited at a time, on a loaded 2-core machine) it costs 0.175 / 0.161 / 0.137 ms CPU per PUT /
GET / HEAD of 1 KiB, against aiohttp's 0.380 / 0.274 / 0.312 and the sync SocketTransport's
0.137 / 0.121 / 0.101. Importing this module imports asyncio; `import s3wire` does not.

A proxy from the environment (HTTP_PROXY, HTTPS_PROXY, ALL_PROXY, NO_PROXY, as the sync
transports choose it) is spoken to directly (proxy_hop): a plain-HTTP request is forwarded (its
target in absolute form, the URL exactly as given), an HTTPS one tunnelled with CONNECT (TLS to
the host through it); credentials in the proxy's URL go out as Proxy-Authorization. An
https:// proxy is reached over TLS (checked as `verify` says), a tunnel through it being TLS in
TLS (asyncio's start_tls over a TLS transport).
"""

from __future__ import annotations

import asyncio
import os
from typing import TYPE_CHECKING

from ..async_body import AsyncBody
from ..config import DEFAULT_MAX_ANSWER_BYTES
from ..errors import ParamError, S3wireError, TransportError, TransportTimeoutError
from . import http1
from .bodies import BodyFailed, exactly
from .failing import (
    Deadline,
    check_verify,
    connect_failure,
    network_failure,
    no_query,
    too_big,
    wrong_length,
)
from .proxy_hop import Hop, connect_head, hop_of
from .socket_common import (
    Payload,
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

    from ..transport_api import AsyncSink, Body, Headers

_SMALL_BODY = 64 * 1024  # a bytes body up to this size goes out in the head's write
_SEND_BLOCK = 1024 * 1024  # a bigger body is written, a file body read (in a thread), this much
_READ_AHEAD = 1024 * 1024  # answer bytes held for a reader that has not taken them yet
_Key = tuple[str | int, ...]


class AsyncSocketTransport:
    """An AsyncTransport on asyncio; the settings of SocketTransport, and `max_connections`.

    `connect_timeout` bounds making a connection (and its TLS handshake), `read_timeout` each
    wait for the server's next bytes (or for room to send). `verify` is True (the system's CA
    bundle), a CA bundle file or folder, or False (no certificate checks: warned about once).
    An answer read into memory may hold at most `max_answer_bytes`. `total_timeout` is the
    setting the deadlines given to `send` come from. At most `max_connections` connections
    are open per (scheme, host, port), idle ones included: a request past that waits for one
    to be free (until its deadline). Connections belong to the event loop (and the process)
    that made them: a send on another loop starts afresh.
    """

    def __init__(
        self,
        *,
        connect_timeout: float,
        read_timeout: float,
        verify: bool | str,
        max_answer_bytes: int = DEFAULT_MAX_ANSWER_BYTES,
        total_timeout: float | None = None,
        max_connections: int = 10,
    ) -> None:
        check_verify(verify, stacklevel=2)
        if isinstance(max_connections, bool) or not isinstance(max_connections, int):
            raise ParamError(f"max_connections must be an int, not {max_connections!r}")
        if max_connections < 1:
            raise ParamError(f"max_connections must be at least 1, not {max_connections}")
        self._connect_timeout, self._read_timeout = connect_timeout, read_timeout
        self._verify = verify
        self._max_answer = max_answer_bytes
        self._total = total_timeout
        self._max_connections = max_connections
        self._tls: ssl.SSLContext | None = None
        self._paths: dict[tuple[str, str], _Path] = {}
        self._own(None)

    def _own(self, loop: asyncio.AbstractEventLoop | None) -> None:
        """Start with no connections, on this loop, in this process."""
        self._loop, self._pid = loop, os.getpid()
        self._idle: dict[_Key, list[_Wire]] = {}
        self._slots: dict[_Key, asyncio.Semaphore] = {}

    async def send(
        self,
        method: str,
        url: str,
        headers: dict[str, str],
        body: Body,
        sink: AsyncSink | None = None,
        *,
        deadline: float | None = None,
    ) -> tuple[int, Headers, bytes]:
        """Send one request; answer (status, case-insensitive headers, body bytes), as
        s3wire.transport_api.AsyncTransport says."""
        loop = asyncio.get_running_loop()
        if loop is not self._loop or self._pid != os.getpid():
            self._own(loop)  # the connections kept are another loop's, or the parent's
        scheme, netloc, target = split_url(url)
        path = self._paths.get((scheme, netloc))
        if path is None:
            route = route_of(scheme, netloc, method, url)
            hop = hop_of(route, scheme, netloc, method, url) if route.proxied else None
            path = self._paths[scheme, netloc] = _Path(route, hop)
        hop = path.hop
        if hop is not None and not hop.tunnel:  # forwarded: the target in absolute form
            target = url
            if hop.authorization is not None:
                headers = {**headers, "Proxy-Authorization": hop.authorization}
        due = None if deadline is None else Deadline(deadline, self._total, method)
        exchange = _Exchange(self, path, method, url, due)
        try:
            payload = body if body is None or isinstance(body, AsyncBody) else exactly(body)
            head = head_of(method, target, netloc, headers, payload)
            return await exchange.run(head, payload, sink)
        except BodyFailed as exc:
            message = f"{method} request failed: the request body {exc} (url: {no_query(url)})"
            failure = TransportError(message, retryable=False)
        raise failure

    async def slot(self, path: _Path, due: Deadline | None) -> asyncio.Semaphore:
        """Take one of the path's connection slots (waiting, until the deadline, for one)."""
        slots = self._slots.get(path.key)
        if slots is None:
            slots = self._slots[path.key] = asyncio.Semaphore(self._max_connections)
        if due is None or not slots.locked():
            await slots.acquire()
            return slots
        try:
            await asyncio.wait_for(slots.acquire(), due.left())
        except (TimeoutError, asyncio.TimeoutError):
            raise due.spent() from None
        return slots

    def checkout(self, path: _Path) -> _Wire | None:
        """An idle connection of the path that the server has not closed, if one is kept."""
        idle = self._idle.get(path.key)
        while idle:
            wire = idle.pop()
            if wire.usable():
                return wire
            wire.close()
        return None

    async def connect(self, path: _Path, due: Deadline | None) -> _Wire:
        """A new connection of the path (through its proxy's tunnel, TLS handshake done)."""
        wait = self._connect_timeout if due is None else min(self._connect_timeout, due.left())
        return await asyncio.wait_for(self._open(path), wait)

    async def _open(self, path: _Path) -> _Wire:
        loop = asyncio.get_running_loop()
        route, hop = path.route, path.hop
        if (route.tls or (hop is not None and hop.tls)) and self._tls is None:
            self._tls = tls_context(self._verify)
        if hop is not None:
            _, wire = await loop.create_connection(
                lambda: _Wire(loop),
                hop.host,
                hop.port,
                ssl=self._tls if hop.tls else None,
                server_hostname=hop.host if hop.tls else None,
            )
            if hop.tunnel:
                await self._tunnel(wire, route, hop)
            return wire
        _, wire = await loop.create_connection(
            lambda: _Wire(loop),
            route.host,
            route.port,
            ssl=self._tls if route.tls else None,
            server_hostname=route.host if route.tls else None,
        )
        return wire

    async def _tunnel(self, wire: _Wire, route: Route, hop: Hop) -> None:
        """Open a CONNECT tunnel through the proxy, then TLS to the host through it (failures as
        OSErrors, as a connection's; bounded by the connect timeout around)."""
        transport = wire.transport
        assert transport is not None and self._tls is not None
        parser = wire.parser = http1.AnswerParser("CONNECT")
        try:
            transport.write(connect_head(route, hop))
            while not isinstance(event := parser.next_event(), http1.Head):
                if wire.error is not None:
                    raise wire.error
                if wire.lost:
                    parser.close()
                else:
                    await wire.wait(self._connect_timeout)
            if not 200 <= event.status < 300:
                raise OSError(f"Tunnel connection failed: {event.status} {event.reason[:100]}")
            if parser.next_event() not in (http1.NEED_DATA, http1.END) or wire.lost:
                raise OSError("the proxy did not keep to its answer to CONNECT")
        except TransportError as exc:
            raise OSError(f"the proxy's answer to CONNECT: {exc}") from None
        finally:
            wire.parser = None
        loop = asyncio.get_running_loop()
        tls = await loop.start_tls(transport, wire, self._tls, server_hostname=route.host)
        if tls is None:
            raise OSError("TLS through the proxy's tunnel could not start")
        wire.transport = tls

    def checkin(self, path: _Path, wire: _Wire) -> None:
        """Keep a connection whose answer was read whole, for the path's next request."""
        if self._pid == os.getpid() and asyncio.get_running_loop() is self._loop:
            wire.parser = None
            self._idle.setdefault(path.key, []).append(wire)
            return
        wire.close()

    async def close(self) -> None:
        """Close the idle connections (those of another loop or process are forgotten)."""
        idle = self._idle
        same = self._pid == os.getpid() and asyncio.get_running_loop() is self._loop
        self._own(self._loop)
        if same:
            for wires in idle.values():
                for wire in wires:
                    wire.close()


class _Path:
    """How a URL's requests travel: its route, the proxy they go through (None: straight to
    the host), the key of their pool of connections."""

    __slots__ = ("hop", "key", "route")

    def __init__(self, route: Route, hop: Hop | None) -> None:
        self.route, self.hop = route, hop
        self.key: _Key = route.key if hop is None else (*route.key, hop.host, hop.port)


class _Wire(asyncio.Protocol):
    """One connection: what has happened on it, and the parser of the answer it carries, fed
    as bytes arrive; the rest of a Content-Length body is kept as it came (`chunks`), uncopied."""

    __slots__ = (
        "buffered",
        "chunks",
        "error",
        "expiry",
        "loop",
        "lost",
        "parser",
        "paused",
        "reading_paused",
        "received",
        "stray",
        "timer",
        "transport",
        "waiter",
    )

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.transport: asyncio.Transport | None = None
        self.parser: http1.AnswerParser | None = None  # None while idle
        self.chunks: list[bytes] = []  # body bytes the parser let through directly
        self.received = False  # a byte of the current answer arrived
        self.lost = False  # the server ended its side, or the connection is gone
        self.error: OSError | None = None  # what the connection was lost to, if it failed
        self.stray = False  # bytes came while idle: the connection is out of step
        self.paused = False  # the transport's send buffer is full
        self.buffered = 0  # bytes arrived since the exchange last took what had come
        self.reading_paused = False  # too much came that nobody took yet: reading waits
        self.waiter: asyncio.Future[None] | None = None
        self.expiry = 0.0  # when the current wait times out (loop.time())
        self.timer: asyncio.TimerHandle | None = None  # at or before the expiry, if armed

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        parser = self.parser
        if parser is None:
            self.stray = True
            return
        self.received = True
        self.buffered += len(data)
        if self.buffered > _READ_AHEAD and not self.reading_paused and self.transport:
            self.transport.pause_reading()  # a slow reader of the answer: let TCP wait
            self.reading_paused = True
        if data and parser.direct() >= len(data):
            parser.received_directly(len(data))
            self.chunks.append(data)
        else:
            parser.feed(data)
        self._wake()

    def eof_received(self) -> bool | None:
        self._end(None)
        return None  # the transport closes itself

    def connection_lost(self, exc: Exception | None) -> None:
        self._end(exc)

    def pause_writing(self) -> None:
        self.paused = True

    def resume_writing(self) -> None:
        self.paused = False
        self._wake()

    def taken(self) -> None:
        """The exchange took what had come: reading goes on if it was paused."""
        self.buffered = 0
        if self.reading_paused:
            self.reading_paused = False
            if self.transport is not None and not self.transport.is_closing():
                self.transport.resume_reading()

    def _end(self, exc: Exception | None) -> None:
        self.lost = True
        if isinstance(exc, OSError) and self.error is None:
            self.error = exc  # raised where the parser next needs bytes, as a recv would
        elif self.parser is not None:
            self.parser.close()
        self._wake()

    def _wake(self) -> None:
        waiter = self.waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    async def wait(self, seconds: float) -> None:
        """Wait at most `seconds` (TimeoutError past that) for something to happen: bytes, the
        end of the connection, room to send. One timer serves the waits that follow each other
        (a timer per wait costs a tenth of a small request): it is armed for the first, and
        when it fires before the current wait's expiry, armed again for that."""
        loop = self.loop
        waiter = self.waiter = loop.create_future()
        self.expiry = expiry = loop.time() + seconds
        timer = self.timer
        if timer is None or timer.when() > expiry:
            if timer is not None:
                timer.cancel()
            self.timer = loop.call_at(expiry, self._expire)
        try:
            await waiter
        finally:
            self.waiter = None

    def _expire(self) -> None:
        """The timer fired: the current wait times out, or the timer waits on for its expiry."""
        self.timer = None
        waiter = self.waiter
        if waiter is None or waiter.done():
            return  # no wait now: the next one arms the timer again
        if self.loop.time() < self.expiry:
            self.timer = self.loop.call_at(self.expiry, self._expire)
        else:
            waiter.set_exception(TimeoutError("timed out"))  # as a socket says it

    def usable(self) -> bool:
        """Whether an idle connection is still open and quiet (no close, no stray bytes seen:
        the loop reports them, no system call needed). Should the server close it just now,
        the exchange finds out before any byte of the answer and sends again."""
        transport = self.transport
        return not (self.lost or self.stray or transport is None or transport.is_closing())

    def close(self) -> None:
        """Close the connection; at once, dropping what is still to send, if anything is."""
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None
        transport = self.transport
        if transport is not None:
            if transport.get_write_buffer_size():
                transport.abort()
            else:
                transport.close()


class _Exchange:
    """One request's trip: a slot taken, connect or reuse, send, read the answer; failures as
    the TransportErrors of their kind, as SocketTransport's."""

    __slots__ = ("due", "method", "owner", "path", "url", "wire")

    def __init__(
        self,
        owner: AsyncSocketTransport,
        path: _Path,
        method: str,
        url: str,
        due: Deadline | None,
    ) -> None:
        self.owner, self.path, self.method, self.url, self.due = owner, path, method, url, due
        self.wire: _Wire | None = None

    @property
    def started(self) -> bool:
        """Whether a byte of the answer arrived."""
        return self.wire is not None and self.wire.received

    async def run(
        self, head: bytes, payload: Payload, sink: AsyncSink | None
    ) -> tuple[int, Headers, bytes]:
        """Send and read; once more on a new connection when a reused one turns out closed
        before any byte of the answer, the body can be sent again and the method is not POST
        (as SocketTransport.run)."""
        start = body_start(payload)
        slots = await self.owner.slot(self.path, self.due)
        try:
            wire = self.owner.checkout(self.path)
            if wire is not None:
                try:
                    return await self._over(wire, head, payload, sink, last=self.method == "POST")
                except Stale:
                    payload = body_again(payload, start)
                log_resend(self.method, self.url)
            return await self._over(await self._connect(), head, payload, sink, last=True)
        finally:
            slots.release()

    async def _connect(self) -> _Wire:
        try:
            return await self.owner.connect(self.path, self.due)
        except (OSError, asyncio.TimeoutError) as exc:
            error = exc if isinstance(exc, OSError) else TimeoutError("timed out")
            failure = connect_failure(self.method, self.url, self.due, error)
        raise failure

    async def _over(
        self,
        wire: _Wire,
        head: bytes,
        payload: Payload,
        sink: AsyncSink | None,
        *,
        last: bool = False,
    ) -> tuple[int, Headers, bytes]:
        """The exchange over one connection, closed unless the answer leaves it reusable;
        Stale when a kept connection broke before any answer and this is not the `last` try."""
        keep = False
        self.wire = wire
        parser = wire.parser = http1.AnswerParser(self.method)
        wire.received = False
        try:
            try:
                await self._send_request(wire, head, payload)
                answer_head = await self._event(wire, parser)
            except (ConnectionError, TransportError) as exc:
                timed_out = isinstance(exc, TransportTimeoutError)
                if not (last or self.started or timed_out):
                    raise Stale from None
                raise
            assert isinstance(answer_head, http1.Head)
            status, headers = answer_head.status, answer_head.headers
            if sink is not None and 200 <= status < 300 and self.method != "HEAD":
                sink.begin(status, headers)
                received, content = await self._stream(wire, parser, sink), b""
            else:
                content = await self._whole(wire, parser, answer_head)
                received = len(content)
            self._check_length(answer_head, received)
            keep = answer_head.keep_alive and parser.extra == 0 and not wire.lost
            return status, headers, content
        except (S3wireError, BodyFailed, Stale):
            raise
        except TimeoutError as exc:
            doing = "answer was cut short" if self.started else "request failed"
            failure = self._failure(doing, exc, kind="ReadTimeout")
        except OSError as exc:
            doing = "answer was cut short" if self.started else "request failed"
            failure = self._failure(doing, exc, kind="ConnectionError")
        finally:
            if keep:
                self.owner.checkin(self.path, wire)
            else:
                wire.close()
        raise failure  # out of the handler: the OSError is the cause, not the context

    def _wait_time(self) -> float:
        """The next wait: read_timeout, cut to the time left."""
        if self.due is not None:
            return min(self.owner._read_timeout, self.due.left())
        return self.owner._read_timeout

    async def _send_request(self, wire: _Wire, head: bytes, payload: Payload) -> None:
        transport = wire.transport
        if wire.lost or transport is None:
            raise wire.error or ConnectionResetError("the server closed the connection")
        if payload is None or (isinstance(payload, bytes) and len(payload) <= _SMALL_BODY):
            transport.write(head + payload if payload else head)
            return
        transport.write(head)
        if isinstance(payload, bytes):
            view = memoryview(payload)
            for at in range(0, len(view), _SEND_BLOCK):
                transport.write(view[at : at + _SEND_BLOCK])
                if not await self._drain(wire):
                    return
            return
        if isinstance(payload, AsyncBody):
            async for block in payload.blocks():
                transport.write(block)
                if not await self._drain(wire):
                    return
            return
        while block := await asyncio.to_thread(payload.read, _SEND_BLOCK):
            transport.write(block)
            if not await self._drain(wire):
                return

    async def _drain(self, wire: _Wire) -> bool:
        """Wait while the send buffer is full (each wait up to read_timeout); False when the
        server answered and ended its side before taking the whole body (its answer is read,
        the rest of the body not sent)."""
        while wire.paused and not wire.lost:
            await wire.wait(self._wait_time())
        if not wire.lost:
            return True
        if wire.received:
            return False
        raise wire.error or ConnectionResetError("the server closed the connection")

    async def _event(self, wire: _Wire, parser: http1.AnswerParser) -> http1.Head | bytes:
        """The parser's next event but NEED_DATA (bytes let through directly first), waiting
        for bytes as long as it needs them; END as b""."""
        wire.taken()
        while True:
            chunks = wire.chunks
            if chunks:
                data = chunks[0] if len(chunks) == 1 else b"".join(chunks)
                chunks.clear()
                return data
            event = parser.next_event()
            if event is http1.END:
                return b""
            if event is not http1.NEED_DATA:
                assert not isinstance(event, http1.Signal)
                return event
            if wire.error is not None:
                raise wire.error
            if wire.lost:
                parser.close()  # (again: it may have been lost before this parser was set)
            else:
                await wire.wait(self._wait_time())

    async def _whole(self, wire: _Wire, parser: http1.AnswerParser, head: http1.Head) -> bytes:
        """The body into memory, at most max_answer_bytes (ResponseError past that)."""
        most = self.owner._max_answer
        if head.length is not None and head.length > most:
            raise too_big(self.method, self.url, most, f"its Content-Length is {head.length}")
        pieces: list[bytes] = []
        size = 0
        while data := await self._event(wire, parser):
            assert isinstance(data, bytes)
            size += len(data)
            if size > most:
                raise too_big(self.method, self.url, most, f"more than {most} bytes arrived")
            pieces.append(data)
        return pieces[0] if len(pieces) == 1 else b"".join(pieces)

    async def _stream(self, wire: _Wire, parser: http1.AnswerParser, sink: AsyncSink) -> int:
        """The body into the sink as it arrives; how many bytes came."""
        received = 0
        while data := await self._event(wire, parser):
            assert isinstance(data, bytes)
            await sink.write(data)
            received += len(data)
        return received

    def _check_length(self, head: http1.Head, received: int) -> None:
        """A chunked answer's bytes against the Content-Length it also gave."""
        expected = head.length
        if head.chunked and expected is not None and expected != received:
            raise wrong_length(self.method, received, expected)

    def _failure(self, doing: str, exc: OSError, *, kind: str) -> TransportError:
        return network_failure(self.method, self.url, self.due, doing, exc, self.started, kind=kind)
