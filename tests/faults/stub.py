"""A stub HTTP/1.1 server on 127.0.0.1 for hostile-server tests: `with Stub(answer) as stub:`.

Connections are kept alive; each request is read as it is framed (its Content-Length of body,
with proxy.py's reader) and answered by `answer(exchange)`, which yields the answer's bytes
piece by piece: an answer may be endless, or dribble. The server stops sending when the client
goes away, and closes the connection after an answer saying `Connection: close`. With `tls`,
it serves https. `seen` holds each request read, `sent` counts the bytes sent in all.
"""

from __future__ import annotations

import socket
import socketserver
import ssl
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from proxy import Exchange, read_request, serve_on_loopback, stop_serving

Answer = Callable[[Exchange], Iterable[bytes]]


def answer(body: bytes, status: str = "200 OK", **headers: str) -> bytes:
    """A whole answer framed by its Content-Length (header names from keywords: x_a -> x-a)."""
    lines = [f"HTTP/1.1 {status}", f"Content-Length: {len(body)}"]
    lines += [f"{name.replace('_', '-')}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def echo(exchange: Exchange) -> Iterator[bytes]:
    """Answers each request with what it was, "METHOD target body-length": in the body of a GET
    (an object's data), in an x-echo header for other methods (whose answers are XML or empty)."""
    body = exchange.raw.partition(b"\r\n\r\n")[2]
    what = f"{exchange.method} {exchange.target} {len(body)}"
    yield answer(what.encode() if exchange.method == "GET" else b"", x_echo=what)


@dataclass
class Stub:
    """The server; `url` is http://127.0.0.1:PORT."""

    respond: Answer = echo
    tls: ssl.SSLContext | None = None  # serve https with it
    seen: list[Exchange] = field(default_factory=list)
    sent: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _server: socketserver.ThreadingTCPServer | None = None

    @property
    def url(self) -> str:
        assert self._server is not None, "the stub is not started"
        scheme = "http" if self.tls is None else "https"
        return f"{scheme}://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> Stub:
        self._server = serve_on_loopback(self._serve, self.tls)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._server is not None:
            stop_serving(self._server)

    def _serve(self, client: socket.socket) -> None:
        reader = client.makefile("rb")
        try:
            while (exchange := read_request(reader)) is not None:
                with self._lock:
                    self.seen.append(exchange)
                closing = False
                for piece in self.respond(exchange):
                    closing = closing or b"\r\nConnection: close\r\n" in piece[:4096]
                    client.sendall(piece)
                    with self._lock:
                        self.sent += len(piece)
                if closing:
                    return  # the answer ends when the connection does
        except OSError:
            return  # the client went away
        finally:
            reader.close()
            client.close()
