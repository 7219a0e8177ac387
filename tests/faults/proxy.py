"""A fault-injecting HTTP proxy for the fault bench: between s3wire and an S3 server, on 127.0.0.1.

s3wire talks to the proxy's port as if it were the server (it signs for the proxy's host:port);
the proxy forwards each request's bytes unchanged, Host header included, over its own connection
to the server (radosgw checks the signature over the Host header as sent, not against its own
port). Answers come back unchanged, unless a rule matches the request: then its fault is
injected instead, and counted.

Faults: `reset` (RST before forwarding: the server never sees the request), `reset_after`
(forwarded, then RST: the server acted, its answer is lost), `delay` (the answer held back
longer than the client's read timeout), `error` (an S3 error answer, by default 503 SlowDown,
made up by the proxy), `truncate` (half the body, then FIN), `drop` (half the body, then RST),
`corrupt` (one body byte flipped, the length kept).

It also serves as a forwarding proxy (HTTP_PROXY): each request line's target, absolute form
included, is recorded in `seen` as it arrived, and a CONNECT is answered 200 and tunnelled to
the upstream as bytes.
"""

from __future__ import annotations

import contextlib
import random
import re
import socket
import socketserver
import ssl
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import BinaryIO

FAULTS = ("reset", "reset_after", "delay", "error", "truncate", "drop", "corrupt")
_BODYLESS_STATUSES = (204, 304)


@dataclass(frozen=True)
class Fault:
    """What happens to a matching exchange; see the module docstring for the kinds."""

    kind: str
    status: int = 503
    code: str = "SlowDown"
    body: bytes | None = None  # an error's body instead of the S3 error XML
    retry_after: str | None = None
    seconds: float = 2.0  # how long `delay` holds the answer

    def __post_init__(self) -> None:
        if self.kind not in FAULTS:
            raise ValueError(f"unknown fault {self.kind!r}; known: {', '.join(FAULTS)}")

    def error_answer(self, method: str) -> bytes:
        """The made-up answer of an `error` fault (without its body for HEAD, as HTTP has it)."""
        body = self.body
        content_type = "text/html"
        if body is None:
            body = (
                f'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>{self.code}</Code>'
                f"<Message>injected by the fault proxy</Message>"
                f"<RequestId>fault-proxy</RequestId></Error>"
            ).encode()
            content_type = "application/xml"
        headers = [
            f"HTTP/1.1 {self.status} {self.code}",
            f"Content-Type: {content_type}",
            f"Content-Length: {len(body)}",
        ]
        if self.retry_after is not None:
            headers.append(f"Retry-After: {self.retry_after}")
        head = ("\r\n".join(headers) + "\r\n\r\n").encode()
        return head if method == "HEAD" else head + body


@dataclass
class Rule:
    """Inject `fault` into requests whose method and target (path?query) match, `times` times
    (None: every time, a permanent fault)."""

    fault: Fault
    method: str | None = None
    target: str = ""  # a regular expression searched in the request target
    times: int | None = 1
    fired: int = 0

    def matches(self, method: str, target: str) -> bool:
        """Whether this rule applies to a request, with firings left."""
        if self.times is not None and self.fired >= self.times:
            return False
        return (self.method in (None, method)) and re.search(self.target, target) is not None


@dataclass
class Exchange:
    """One request as read from the client: its bytes, method and target."""

    raw: bytes
    method: str
    target: str


@dataclass
class FaultProxy:
    """The proxy: `with FaultProxy(("127.0.0.1", 7480)) as proxy:` serves at `proxy.url`."""

    upstream: tuple[str, int]
    rules: list[Rule] = field(default_factory=list)
    injected: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, method, target)
    seen: list[tuple[str, str]] = field(default_factory=list)  # (method, target) as received
    # Random faults for requests no rule matches: (random source, probability, faults to pick
    # from). `corrupt` is injected only into object reads (GET without a query), whose damage
    # s3wire can detect; a listing carries no checksum.
    chaos: tuple[random.Random, float, list[Fault]] | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _server: socketserver.ThreadingTCPServer | None = None

    @property
    def url(self) -> str:
        """http://127.0.0.1:PORT, the address s3wire is given."""
        assert self._server is not None, "the proxy is not started"
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def add(
        self, fault: Fault, method: str | None = None, target: str = "", times: int | None = 1
    ) -> Rule:
        """Add a rule (see Rule); rules are tried in the order they were added."""
        rule = Rule(fault, method, target, times)
        with self._lock:
            self.rules.append(rule)
        return rule

    def __enter__(self) -> FaultProxy:
        self._server = serve_on_loopback(self._serve)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._server is not None:
            stop_serving(self._server)

    def _take(self, exchange: Exchange) -> Fault | None:
        with self._lock:
            for rule in self.rules:
                if rule.matches(exchange.method, exchange.target):
                    rule.fired += 1
                    self.injected.append((rule.fault.kind, exchange.method, exchange.target))
                    return rule.fault
            fault = self._chaos(exchange)
            if fault is not None:
                self.injected.append((fault.kind, exchange.method, exchange.target))
            return fault

    def _chaos(self, exchange: Exchange) -> Fault | None:
        if self.chaos is None:
            return None
        chance, probability, faults = self.chaos
        if chance.random() >= probability:
            return None
        fault = chance.choice(faults)
        object_read = exchange.method == "GET" and "?" not in exchange.target
        return None if fault.kind == "corrupt" and not object_read else fault

    def _serve(self, client: socket.socket) -> None:
        """Relay one client connection's requests, one at a time, injecting faults."""
        reader = client.makefile("rb")
        upstream: _Upstream | None = None
        try:
            while True:
                exchange = read_request(reader)
                if exchange is None:
                    return
                with self._lock:
                    self.seen.append((exchange.method, exchange.target))
                if exchange.method == "CONNECT":
                    _tunnel(client, self.upstream)
                    return
                fault = self._take(exchange)
                if fault is not None and fault.kind == "reset":
                    _reset(client)
                    return
                if fault is not None and fault.kind == "error":
                    client.sendall(fault.error_answer(exchange.method))
                    continue
                upstream, (head, body, keep) = self._forward(upstream, exchange)
                if not keep:
                    upstream.close()
                    upstream = None
                if not _answer(client, head, body, fault):
                    return
        except OSError:
            return  # the client went away (a timeout, a reset): nothing to answer
        finally:
            if upstream is not None:
                upstream.close()
            reader.close()
            client.close()

    def _forward(
        self, upstream: _Upstream | None, exchange: Exchange
    ) -> tuple[_Upstream, tuple[bytes, bytes, bool]]:
        """Forward over the kept connection, or a new one if the server closed it meanwhile."""
        if upstream is not None:
            try:
                return upstream, upstream.exchange(exchange)
            except OSError:
                upstream.close()
        fresh = _Upstream(self.upstream)
        return fresh, fresh.exchange(exchange)


class _Upstream:
    """A connection to the real server."""

    def __init__(self, address: tuple[str, int]) -> None:
        self.socket = socket.create_connection(address)
        self.reader = self.socket.makefile("rb")

    def exchange(self, exchange: Exchange) -> tuple[bytes, bytes, bool]:
        """Send a request's bytes; answer (status line and headers, raw body, keep-alive)."""
        self.socket.sendall(exchange.raw)
        head = _read_head(self.reader)
        if not head:
            raise ConnectionError("the server closed the connection")
        status = int(head.split(b" ", 2)[1])
        headers = _headers(head)
        close = headers.get("connection", "").lower() == "close"
        if exchange.method == "HEAD" or status in _BODYLESS_STATUSES or status < 200:
            return head, b"", not close
        if "content-length" not in headers and "chunked" not in headers.get(
            "transfer-encoding", ""
        ):
            return head, self.reader.read(), False  # the body ends when the connection does
        return head, _read_body(self.reader, headers), not close

    def close(self) -> None:
        self.reader.close()
        self.socket.close()


def _answer(client: socket.socket, head: bytes, body: bytes, fault: Fault | None) -> bool:
    """Send an answer to the client, as the fault has it; False when the connection is done."""
    kind = fault.kind if fault is not None else None
    if kind == "reset_after":
        _reset(client)
        return False
    if kind == "delay":
        assert fault is not None
        time.sleep(fault.seconds)
    if kind in ("truncate", "drop"):
        client.sendall(head + body[: len(body) // 2])
        if kind == "drop":
            _reset(client)
        return False
    if kind == "corrupt" and body:
        middle = len(body) // 2
        body = body[:middle] + bytes([body[middle] ^ 0xFF]) + body[middle + 1 :]
    client.sendall(head + body)
    return True


def _tunnel(client: socket.socket, address: tuple[str, int]) -> None:
    """Answer a CONNECT and relay bytes both ways between the client and `address` until
    either side closes."""
    upstream = socket.create_connection(address)
    client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")

    def relay(source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        finally:
            for side in (source, target):
                with contextlib.suppress(OSError):
                    side.shutdown(socket.SHUT_RDWR)

    back = threading.Thread(target=relay, args=(upstream, client), daemon=True)
    back.start()
    relay(client, upstream)
    back.join()
    upstream.close()


def _reset(client: socket.socket) -> None:
    """Close with a TCP RST rather than a FIN."""
    client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    client.close()


def read_request(reader: BinaryIO) -> Exchange | None:
    """The next request on a connection, read as it is framed; None at the end."""
    head = _read_head(reader)
    if not head:
        return None
    method, target, _ = head.split(b"\r\n", 1)[0].decode("latin-1").split(" ", 2)
    body = _read_body(reader, _headers(head))
    return Exchange(head + body, method, target)


def _read_head(reader: BinaryIO) -> bytes:
    """The start line and headers, through the blank line; b"" at the end of the stream."""
    lines = []
    while True:
        line = reader.readline()
        if not line:
            return b""
        lines.append(line)
        if line in (b"\r\n", b"\n"):
            return b"".join(lines)


def _headers(head: bytes) -> dict[str, str]:
    """Header names (lowercase) and values of a head."""
    headers = {}
    for line in head.decode("latin-1").split("\r\n")[1:]:
        name, _, value = line.partition(":")
        if name:
            headers[name.strip().lower()] = value.strip()
    return headers


def _read_body(reader: BinaryIO, headers: dict[str, str]) -> bytes:
    """A message body, as raw bytes: Content-Length of them, or chunks through the last."""
    if "chunked" in headers.get("transfer-encoding", "").lower():
        raw = []
        while True:
            size_line = reader.readline()
            raw.append(size_line)
            size = int(size_line.split(b";")[0].strip() or b"0", 16)
            if size == 0:
                break
            raw.append(reader.read(size + 2))
        while True:  # trailers, through the blank line
            line = reader.readline()
            raw.append(line)
            if line in (b"\r\n", b"\n", b""):
                return b"".join(raw)
    return reader.read(int(headers.get("content-length", "0")))


def serve_on_loopback(
    serve: Callable[[socket.socket], None], tls: ssl.SSLContext | None = None
) -> socketserver.ThreadingTCPServer:
    """A threaded TCP server on 127.0.0.1 (a free port) handing each connection to `serve`,
    over TLS with `tls`; running until stop_serving."""

    class Handler(socketserver.BaseRequestHandler):
        def handle(self) -> None:
            serve(self.request)

    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    if tls is not None:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True).start()
    return server


def stop_serving(server: socketserver.ThreadingTCPServer) -> None:
    """Stop a server of serve_on_loopback and close its socket."""
    server.shutdown()
    server.server_close()
