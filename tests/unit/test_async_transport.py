"""AsyncSocketTransport against scripted asyncio servers on the loopback (started in each test's
own loop): keep-alive, framing, HEAD, sinks, timeouts, answers cut short or too big, a kept
connection the server closed, TLS with a CA bundle and SNI, IPv6, bodies from files, the pool's
bound, random answers; and one presigned PUT and GET through it to the shared S3 server."""

from __future__ import annotations

import asyncio
import base64
import io
import itertools
import json
import os
import ssl
import subprocess
import sys
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from unittest.mock import ANY

import pytest
import servers
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import s3wire
from s3wire._http.async_transport import AsyncSocketTransport

SRC = Path(__file__).resolve().parents[2] / "src"


@dataclass
class Seen:
    """A request as the server read it, and the number of the connection it came on."""

    method: str
    target: str
    head: bytes
    body: bytes
    connection: int


Respond = Callable[[Seen, asyncio.StreamWriter], Awaitable[bool]]


def answer(body: bytes = b"", status: int = 200, **headers: str) -> bytes:
    """An answer framed by its Content-Length (underscores in header names become dashes)."""
    fields = {"Content-Length": str(len(body))}
    fields.update({name.replace("_", "-"): value for name, value in headers.items()})
    lines = "".join(f"{name}: {value}\r\n" for name, value in fields.items())
    return f"HTTP/1.1 {status} OK\r\n{lines}\r\n".encode() + body


async def echo(seen: Seen, writer: asyncio.StreamWriter) -> bool:
    """Answer `METHOD TARGET BODY-LENGTH` (in the body and in x-echo), keeping the connection."""
    said = f"{seen.method} {seen.target} {len(seen.body)}"
    writer.write(answer(said.encode(), x_echo=said))
    return True


def reply(raw: bytes, keep: bool = False) -> Respond:
    """A server that sends these bytes to each request, then closes unless `keep`."""

    async def respond(seen: Seen, writer: asyncio.StreamWriter) -> bool:
        writer.write(raw)
        return keep

    return respond


class Server:
    """A scripted HTTP/1.1 server on 127.0.0.1 (or `host`) in the running loop: each request's
    head and Content-Length body are read, then `respond` writes what it likes and says whether
    the connection carries on."""

    def __init__(
        self, respond: Respond = echo, tls: ssl.SSLContext | None = None, host: str = "127.0.0.1"
    ) -> None:
        self.respond, self.tls, self.host = respond, tls, host
        self.seen: list[Seen] = []
        self.connections = 0
        self.open = 0
        self.most_open = 0
        self._tasks: set[asyncio.Task[None]] = set()
        self._writers: set[asyncio.StreamWriter] = set()

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{'https' if self.tls else 'http'}://{host}:{self.port}"

    async def __aenter__(self) -> Server:
        self.server = await asyncio.start_server(self._serve, self.host, 0, ssl=self.tls)
        self.port = self.server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.server.close()
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        for writer in self._writers:  # left with bytes to send that no one reads
            writer.transport.abort()
        await self.server.wait_closed()
        await asyncio.sleep(0)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        self.open += 1
        self.most_open = max(self.most_open, self.open)
        number = self.connections
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        self._writers.add(writer)
        try:
            while True:
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except (asyncio.IncompleteReadError, ConnectionError, ssl.SSLError):
                    return
                line, *fields = head.decode("latin-1").split("\r\n")
                length = 0
                for field in fields:
                    name, _, value = field.partition(":")
                    if name.lower() == "content-length":
                        length = int(value)
                body = await reader.readexactly(length)
                method, target, _ = line.split(" ")
                seen = Seen(method, target, head, body, number)
                self.seen.append(seen)
                if not await self.respond(seen, writer):
                    await writer.drain()
                    return
                await writer.drain()
        except (ConnectionError, asyncio.CancelledError):  # cancelled: the server is stopping
            return
        finally:
            self.open -= 1
            self._tasks.discard(task)
            writer.close()
            if writer.transport.get_write_buffer_size() == 0:
                self._writers.discard(writer)


def transport(**options: Any) -> AsyncSocketTransport:
    settings: dict[str, Any] = {"connect_timeout": 5, "read_timeout": 5, "verify": True}
    settings.update(options)
    return AsyncSocketTransport(**settings)


async def get(
    sender: AsyncSocketTransport, url: str, method: str = "GET", body: Any = None, **more: Any
) -> tuple[int, Any, bytes]:
    return await sender.send(method, url, {"X-Test": "1"}, body, **more)


def run(coroutine: Awaitable[Any]) -> Any:
    async def main() -> Any:
        return await coroutine

    return asyncio.run(main())


# keep-alive, framing, HEAD, sinks


def test_requests_to_one_host_share_a_kept_connection_and_answers_are_read_whole() -> None:
    async def main() -> None:
        async with Server() as server:
            sender = transport()
            for n in range(3):
                status, headers, body = await get(sender, f"{server.url}/b/k{n}?x=1")
                assert (status, body) == (200, f"GET /b/k{n}?x=1 0".encode())
                assert headers["X-ECHO"] == headers["x-echo"] == body.decode()
            await sender.close()
        assert server.connections == 1
        first = server.seen[0].head
        assert first.startswith(b"GET /b/k0?x=1 HTTP/1.1\r\nHost: 127.0.0.1:")
        assert b"\r\nX-Test: 1\r\n" in first and b"Content-Length" not in first

    run(main())


def test_a_chunked_answer_split_anywhere_is_joined_its_interim_and_trailers_skipped() -> None:
    pieces = [b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-"]
    pieces += [b"Encoding: chunked\r\n\r\n5\r", b"\nhello\r\n"]
    pieces += [b"1", b"\r\n \r\n0\r\nX-Trailer: t\r\n", b"\r\n"]

    async def respond(seen: Seen, writer: asyncio.StreamWriter) -> bool:
        for piece in pieces:
            writer.write(piece)
            await writer.drain()
            await asyncio.sleep(0.001)
        return True

    async def main() -> None:
        async with Server(respond) as server:
            sender = transport()
            assert (await get(sender, f"{server.url}/a"))[2] == b"hello "
            assert (await get(sender, f"{server.url}/b"))[2] == b"hello "
            await sender.close()
        assert server.connections == 1

    run(main())


def test_a_head_answer_has_no_body_whatever_its_length_says_and_the_connection_is_kept() -> None:
    async def respond(seen: Seen, writer: asyncio.StreamWriter) -> bool:
        if seen.method == "HEAD":
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\nETag: e\r\n\r\n")
            return True
        return await echo(seen, writer)

    async def main() -> None:
        async with Server(respond) as server:
            sender = transport()
            status, headers, body = await get(sender, f"{server.url}/k", "HEAD")
            assert (status, headers["etag"], body) == (200, "e", b"")
            assert (await get(sender, f"{server.url}/k"))[2] == b"GET /k 0"
            await sender.close()
        assert server.connections == 1

    run(main())


class Collecting:
    """A sink that keeps what it is given, and says when its first bytes came."""

    def __init__(self) -> None:
        self.began: tuple[int, Any] | None = None
        self.chunks: list[bytes] = []
        self.first = asyncio.Event()

    def begin(self, status: int, headers: Any) -> None:
        self.began = (status, headers)

    async def write(self, chunk: bytes) -> None:
        self.chunks.append(chunk)
        self.first.set()


def test_a_sink_gets_a_2xx_body_as_it_arrives_and_other_answers_stay_in_memory() -> None:
    sink = Collecting()
    order: list[bool] = []

    async def respond(seen: Seen, writer: asyncio.StreamWriter) -> bool:
        if seen.target == "/missing":
            writer.write(answer(b"<Error/>", 404))
            return True
        writer.write(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nfirst\r\n")
        await writer.drain()
        order.append(await asyncio.wait_for(sink.first.wait(), 5) or sink.first.is_set())
        writer.write(b"6\r\nsecond\r\n0\r\n\r\n")
        return True

    async def main() -> None:
        async with Server(respond) as server:
            sender = transport()
            missing = Collecting()
            status, _, body = await get(sender, f"{server.url}/missing", sink=missing)
            assert (status, body) == (404, b"<Error/>")
            assert missing.began is None and not missing.chunks
            status, _, body = await get(sender, f"{server.url}/k", sink=sink)
            assert (status, body) == (200, b"")
            await sender.close()
        assert sink.began is not None and sink.began[0] == 200
        assert b"".join(sink.chunks) == b"firstsecond" and order == [True]

    run(main())


def test_a_content_length_body_reaches_the_sink_whole_and_uncapped() -> None:
    data = os.urandom(3 * 1024 * 1024)

    async def main() -> None:
        async with Server(reply(answer(data), keep=True)) as server:
            sender = transport(max_answer_bytes=1024)
            sink = Collecting()
            assert await get(sender, f"{server.url}/big", sink=sink) == (200, ANY, b"")
            assert b"".join(sink.chunks) == data
            assert (await get(sender, f"{server.url}/big", sink=Collecting()))[0] == 200
            await sender.close()
        assert server.connections == 1

    run(main())


def test_a_sink_slower_than_the_network_pauses_reading_so_the_answer_waits_on_the_server() -> None:
    size = 48 * 1024 * 1024
    left_on_server: list[int] = []
    go_on = asyncio.Event()

    class Stalling(Collecting):
        async def write(self, chunk: bytes) -> None:
            await super().write(chunk)
            await go_on.wait()

    sink = Stalling()

    async def respond(seen: Seen, writer: asyncio.StreamWriter) -> bool:
        writer.write(f"HTTP/1.1 200 OK\r\nContent-Length: {size}\r\n\r\n".encode())
        writer.write(bytes(size))
        await asyncio.wait_for(sink.first.wait(), 5)
        await asyncio.sleep(0.5)  # the client reads while it can
        left_on_server.append(writer.transport.get_write_buffer_size())
        go_on.set()
        await writer.drain()
        return True

    async def main() -> None:
        async with Server(respond) as server:
            sender = transport()
            assert (await get(sender, f"{server.url}/big", sink=sink))[0] == 200
            await sender.close()

    run(main())
    assert sum(map(len, sink.chunks)) == size
    # What the client did not take stayed on the server: the client held a few MiB (its
    # read-ahead and the kernel's buffers), not the 48 MiB sent.
    assert left_on_server[0] > size - 16 * 1024 * 1024


# timeouts


def test_a_silent_server_is_a_read_timeout_that_may_be_tried_again() -> None:
    async def silent(seen: Seen, writer: asyncio.StreamWriter) -> bool:
        await asyncio.sleep(10)
        return False

    async def main() -> None:
        async with Server(silent) as server:
            sender = transport(read_timeout=0.2)
            started = time.monotonic()
            with pytest.raises(s3wire.TransportTimeoutError, match="ReadTimeout") as raised:
                await get(sender, f"{server.url}/k")
            assert raised.value.retryable and time.monotonic() - started < 2
            assert "request failed" in str(raised.value)
            assert not isinstance(raised.value, s3wire.IncompleteAnswerError)

    run(main())


def test_a_dribbling_answer_is_stopped_by_the_deadline_not_by_read_timeout() -> None:
    async def dribble(seen: Seen, writer: asyncio.StreamWriter) -> bool:
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n")
        for _ in range(100):
            writer.write(b"x")
            await writer.drain()
            await asyncio.sleep(0.05)
        return False

    async def main() -> None:
        async with Server(dribble) as server:
            sender = transport(read_timeout=1, total_timeout=0.3)
            started = time.monotonic()
            with pytest.raises(s3wire.TransportTimeoutError, match="total_timeout") as raised:
                await get(sender, f"{server.url}/k", deadline=time.monotonic() + 0.3)
            assert not raised.value.retryable and time.monotonic() - started < 1

    run(main())


def test_read_timeout_bounds_each_wait_not_the_answer_and_a_kept_connection_the_next_call() -> None:
    async def respond(seen: Seen, writer: asyncio.StreamWriter) -> bool:
        if seen.target == "/slow":  # a byte every 0.1 s for 0.6 s, then silence
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n")
            for _ in range(6):
                await writer.drain()
                await asyncio.sleep(0.1)
                writer.write(b"x")
        elif seen.target == "/silent":
            await asyncio.sleep(10)
        else:
            await echo(seen, writer)
        return True

    async def main() -> None:
        async with Server(respond) as server:
            sender = transport(read_timeout=0.3)
            started = time.monotonic()
            with pytest.raises(s3wire.TransportTimeoutError, match="cut short") as raised:
                await get(sender, f"{server.url}/slow")
            assert 0.8 < time.monotonic() - started < 2 and raised.value.retryable
            patient = transport(read_timeout=5)
            assert (await get(patient, f"{server.url}/k"))[0] == 200  # a 5 s wait on it, done
            started = time.monotonic()
            with pytest.raises(s3wire.TransportTimeoutError, match="total_timeout"):
                await get(patient, f"{server.url}/silent", deadline=time.monotonic() + 0.3)
            assert time.monotonic() - started < 1
            await patient.close()

    run(main())


def test_a_server_that_never_finishes_the_tls_handshake_is_a_connect_timeout() -> None:
    accepted: list[asyncio.StreamWriter] = []

    async def main() -> None:
        server = await asyncio.start_server(lambda r, w: accepted.append(w), "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        sender = transport(connect_timeout=0.2)
        with pytest.raises(s3wire.ConnectTimeoutError, match="ConnectTimeout") as raised:
            await get(sender, f"https://127.0.0.1:{port}/k")
        assert raised.value.retryable and len(accepted) == 1
        accepted[0].close()
        server.close()
        await server.wait_closed()

    run(main())


def test_a_refused_connection_is_a_connect_error_that_may_be_tried_again() -> None:
    async def main() -> None:
        server = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        server.close()
        await server.wait_closed()
        with pytest.raises(s3wire.ConnectError) as raised:
            await get(transport(), f"http://127.0.0.1:{port}/k?X-Amz-Signature=secret")
        assert raised.value.retryable and "secret" not in str(raised.value)

    run(main())


# answers cut short, too big, malformed


@pytest.mark.parametrize(
    "raw",
    [
        answer(b"0123456789")[:-4],
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nabc",
        b"HTTP/1.1 200 OK\r\nContent-Le",
    ],
    ids=["content-length", "chunked", "head"],
)
def test_an_answer_cut_short_is_an_incomplete_answer(raw: bytes) -> None:
    async def main() -> None:
        async with Server(reply(raw)) as server:
            with pytest.raises(s3wire.IncompleteAnswerError, match="cut short") as raised:
                await get(transport(), f"{server.url}/k")
            assert raised.value.retryable

    run(main())


def test_a_head_over_the_limit_is_refused_as_malformed() -> None:
    raw = b"HTTP/1.1 200 OK\r\n" + b"X-Big: y\r\n" * 30000 + b"\r\n"

    async def main() -> None:
        async with Server(reply(raw)) as server:
            with pytest.raises(s3wire.TransportError, match="malformed") as raised:
                await get(transport(), f"{server.url}/k")
            assert not isinstance(raised.value, s3wire.IncompleteAnswerError)

    run(main())


def test_max_answer_bytes_caps_what_is_read_into_memory() -> None:
    endless = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + b"400\r\n" + b"x" * 1024
    endless += b"\r\n"

    async def flood(seen: Seen, writer: asyncio.StreamWriter) -> bool:
        writer.write(endless)
        for _ in range(1000):
            writer.write(b"400\r\n" + b"y" * 1024 + b"\r\n")
            await writer.drain()
        return False

    async def main() -> None:
        async with Server(reply(answer(b"z" * 5000))) as big, Server(flood) as endless_server:
            sender = transport(max_answer_bytes=4096)
            with pytest.raises(s3wire.ResponseError, match="Content-Length is 5000"):
                await get(sender, f"{big.url}/k")
            with pytest.raises(s3wire.ResponseError, match="more than 4096 bytes arrived"):
                await get(sender, f"{endless_server.url}/k")
            status, _, body = await get(transport(max_answer_bytes=5000), f"{big.url}/k")
            assert (status, len(body)) == (200, 5000)

    run(main())


def test_a_chunked_answer_whose_content_length_differs_is_refused() -> None:
    raw = b"HTTP/1.1 200 OK\r\nContent-Length: 9\r\nTransfer-Encoding: chunked\r\n\r\n"
    raw += b"3\r\nabc\r\n0\r\n\r\n"

    async def main() -> None:
        async with Server(reply(raw)) as server:
            with pytest.raises(s3wire.IncompleteAnswerError, match="3 of 9 bytes"):
                await get(transport(), f"{server.url}/k")

    run(main())


# the same failures as the sync SocketTransport

SCENARIOS = {
    "closed before answering": b"",
    "cut in the head": b"HTTP/1.1 200 OK\r\nContent-Le",
    "cut in the body": answer(b"0123456789")[:-4],
    "cut in a chunk": b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nabc",
    "malformed status line": b"HTTP/1.1 2000 OK\r\n\r\n",
    "malformed header": b"HTTP/1.1 200 OK\r\nNo colon here\r\n\r\n",
    "two lengths": b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
    "unknown coding": b"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n",
    "head too big": b"HTTP/1.1 200 OK\r\n" + b"X-Big: y\r\n" * 30000 + b"\r\n",
    "over the cap": answer(b"z" * 5000),
    "longer than its length": b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nTransfer-Encoding: "
    b"chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
    "switching protocols": b"HTTP/1.1 101 Switching Protocols\r\n\r\n",
}


def outcome(error: BaseException | None) -> tuple[str, bool | None, str]:
    """What a call ended in: the exception's class, whether it may be tried again, its text
    up to the URL (which names each transport's own server port)."""
    if error is None:
        return ("answered", None, "")
    return (type(error).__name__, getattr(error, "retryable", None), str(error).split("(url")[0])


@pytest.mark.parametrize("raw", list(SCENARIOS.values()), ids=list(SCENARIOS))
def test_a_hostile_answer_fails_as_it_does_over_the_sync_socket_transport(raw: bytes) -> None:
    from s3wire.transport import SocketTransport

    options: dict[str, Any] = {
        "connect_timeout": 5,
        "read_timeout": 5,
        "verify": True,
        "max_answer_bytes": 4096,
    }

    async def main() -> None:
        async with Server(reply(raw)) as server:
            outcomes = []
            sync = SocketTransport(**options)
            sends: list[Callable[[], Awaitable[Any]]] = [
                lambda: asyncio.to_thread(sync.send, "GET", f"{server.url}/k", {}, None),
                lambda: AsyncSocketTransport(**options).send("GET", f"{server.url}/k", {}, None),
            ]
            for send in sends:
                try:
                    await send()
                except s3wire.S3wireError as exc:
                    outcomes.append(outcome(exc))
                else:
                    outcomes.append(outcome(None))
            sync.close()
        assert outcomes[0][0] != "answered"
        assert outcomes[1] == outcomes[0]

    run(main())


def test_timeouts_and_refusals_fail_as_they_do_over_the_sync_socket_transport() -> None:
    from s3wire.transport import SocketTransport

    options: dict[str, Any] = {"connect_timeout": 0.2, "read_timeout": 0.2, "verify": True}

    async def silent(seen: Seen, writer: asyncio.StreamWriter) -> bool:
        await asyncio.sleep(10)
        return False

    async def both(url: str) -> list[tuple[str, bool | None, str]]:
        sync = SocketTransport(**options)
        outcomes = []
        sends: list[Callable[[], Awaitable[Any]]] = [
            lambda: asyncio.to_thread(sync.send, "GET", url, {}, None),
            lambda: AsyncSocketTransport(**options).send("GET", url, {}, None),
        ]
        for send in sends:
            with pytest.raises(s3wire.TransportError) as raised:
                await send()
            outcomes.append(outcome(raised.value))
        return outcomes

    async def main() -> None:
        async with Server(silent) as server:
            timed_out = await both(f"{server.url}/k")
        assert (
            timed_out[0]
            == timed_out[1]
            == (
                "TransportTimeoutError",
                True,
                "GET request failed: ReadTimeout: timed out ",
            )
        )
        refused = await both(f"{server.url}/k")  # the server is gone
        assert refused[0][:2] == refused[1][:2] == ("ConnectError", True)

    run(main())


# kept connections the server closed


def every_other_hangs_up() -> Respond:
    """Requests 1, 3, 5, ... answered (keeping the connection); 2, 4, ... read, then the
    connection closed without a byte of answer."""
    count = [0]

    async def respond(seen: Seen, writer: asyncio.StreamWriter) -> bool:
        count[0] += 1
        if count[0] % 2 == 0:
            return False
        return await echo(seen, writer)

    return respond


def test_a_kept_connection_the_server_closed_is_replaced_once_and_the_body_sent_again() -> None:
    async def main() -> None:
        async with Server(every_other_hangs_up()) as server:
            sender = transport()
            for n in range(3):
                body = io.BytesIO(b"0123456789" * 10)
                body.seek(5)  # sent from where it stands, both times
                _, headers, _ = await get(sender, f"{server.url}/k{n}", "PUT", body)
                assert headers["x-echo"] == f"PUT /k{n} 95"
            await sender.close()
        assert [seen.target for seen in server.seen] == ["/k0", "/k1", "/k1", "/k2", "/k2"]
        assert [seen.connection for seen in server.seen] == [1, 1, 2, 2, 3]
        assert all(seen.body == b"56789" + b"0123456789" * 9 for seen in server.seen)

    run(main())


def test_a_new_connection_closed_before_any_answer_is_not_sent_again() -> None:
    async def hang_up(seen: Seen, writer: asyncio.StreamWriter) -> bool:
        return False

    async def main() -> None:
        async with Server(hang_up) as server:
            with pytest.raises(s3wire.TransportError, match="closed the connection before") as e:
                await get(transport(), f"{server.url}/k")
        assert len(server.seen) == 1 and e.value.retryable
        assert not isinstance(e.value, s3wire.IncompleteAnswerError)

    run(main())


def test_a_connection_closed_said_to_close_or_answered_out_of_turn_is_not_reused() -> None:
    async def respond(seen: Seen, writer: asyncio.StreamWriter) -> bool:
        if seen.target == "/says-close":  # the header says so; the socket stays open
            writer.write(answer(b"bye", Connection="close"))
            return True
        await echo(seen, writer)
        if seen.target == "/stray":
            writer.write(b"HTTP/1.1 200 OK\r\n")  # bytes nobody asked for
            return True
        return seen.target != "/close"

    async def main() -> None:
        async with Server(respond) as server:
            sender = transport()
            for target in ("/close", "/stray", "/says-close", "/a", "/b"):
                assert (await get(sender, server.url + target))[0] == 200
                await asyncio.sleep(0.05)  # the close or the stray bytes arrive meanwhile
            await sender.close()
        assert [seen.connection for seen in server.seen] == [1, 2, 3, 4, 4]

    run(main())


def test_a_body_that_cannot_be_sent_again_fails_without_a_second_try() -> None:
    class OneWay(io.BytesIO):
        """A stream that cannot go back once read."""

        read_once = False

        def read(self, size: int | None = -1) -> bytes:
            self.read_once = True
            return super().read(size)

        def seek(self, *args: Any) -> int:
            if self.read_once:
                raise OSError("cannot seek")
            return super().seek(*args)

    async def main() -> None:
        async with Server(every_other_hangs_up()) as server:
            sender = transport()
            await get(sender, f"{server.url}/first")
            with pytest.raises(s3wire.TransportError, match="cannot be sent again"):
                await get(sender, f"{server.url}/k", "PUT", OneWay(b"data"))

    run(main())


# TLS, IPv6


@pytest.fixture(scope="module")
def localhost_certificate(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A self-signed certificate for localhost and 127.0.0.1: the key and certificate in a PEM,
    the certificate alone beside it (.crt)."""
    pem = tmp_path_factory.mktemp("tls") / "server.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"),
            *("-keyout", str(pem), "-out", str(pem.with_suffix(".crt"))),
        ],
        check=True,
        capture_output=True,
    )
    pem.write_bytes(pem.read_bytes() + pem.with_suffix(".crt").read_bytes())
    return pem


def test_tls_is_verified_against_a_ca_bundle_and_names_the_host(
    localhost_certificate: Path,
) -> None:
    names: list[str | None] = []
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(localhost_certificate)
    context.sni_callback = lambda _sock, name, _ctx: names.append(name)
    bundle = str(localhost_certificate.with_suffix(".crt"))

    async def main() -> None:
        async with Server(tls=context) as server:
            url = server.url.replace("127.0.0.1", "localhost")
            sender = transport(verify=bundle)
            for key in ("a", "b"):
                assert (await get(sender, f"{url}/{key}"))[2] == f"GET /{key} 0".encode()
            await sender.close()
            with pytest.raises(s3wire.ConnectError) as raised:
                await get(transport(), f"{url}/a")
            assert "certificate" in str(raised.value).lower() and not raised.value.retryable
            with pytest.warns(s3wire.InsecureTransportWarning):
                unchecked = transport(verify=False)
            assert (await get(unchecked, f"{server.url}/c"))[2] == b"GET /c 0"
            await unchecked.close()
            await asyncio.sleep(0.05)  # the closes reach the server
        assert names[:2] == ["localhost", "localhost"] and names[-1] is None  # no SNI for an IP
        assert len(server.seen) == 3 and server.connections == 2  # one handshake for two GETs

    run(main())


def test_an_ipv6_host_is_reached_by_its_bracketed_address() -> None:
    async def main() -> None:
        async with Server(host="::1") as server:
            assert (await get(transport(), f"{server.url}/k"))[2] == b"GET /k 0"
        assert f"\r\nHost: [::1]:{server.port}\r\n".encode() in server.seen[0].head

    run(main())


# request bodies


def test_a_file_body_is_sent_from_where_it_stands_in_blocks_read_off_the_loop(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = os.urandom(3 * 1024 * 1024 + 17)
    (tmp_path / "f").write_bytes(b"skipped" + data)
    threads: list[int] = []
    real = asyncio.to_thread

    async def spy(function: Callable[..., Any], *args: Any) -> Any:
        threads.append(args[0])
        return await real(function, *args)

    monkeypatch.setattr(asyncio, "to_thread", spy)

    async def main() -> None:
        async with Server() as server:
            sender = transport()
            with open(tmp_path / "f", "rb") as file:
                file.seek(7)
                _, headers, _ = await get(sender, f"{server.url}/k", "PUT", file)
                assert headers["x-echo"] == f"PUT /k {len(data)}" and file.tell() == 7 + len(data)
            big = os.urandom(2 * 1024 * 1024 + 5)
            _, headers, _ = await get(sender, f"{server.url}/b", "PUT", big)
            assert headers["x-echo"] == f"PUT /b {len(big)}"
            _, headers, _ = await get(sender, f"{server.url}/e", "PUT", b"")
            await sender.close()
        assert server.seen[0].body == data and server.seen[1].body == big
        assert b"\r\nContent-Length: 0\r\n" in server.seen[2].head
        assert threads == [1024 * 1024] * 5  # 4 blocks, then the read that finds the end

    run(main())


def test_a_file_that_grows_while_sent_sends_its_declared_length_and_stays_in_step() -> None:
    stray = b"GET /stray HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n"

    class Growing(io.BytesIO):
        """A file another writer appends a whole request to after its first read."""

        grown = False

        def read(self, size: int | None = -1) -> bytes:
            data = super().read(size)
            if not self.grown:
                self.grown = True
                position = self.tell()
                self.seek(0, io.SEEK_END)
                self.write(stray)
                self.seek(position)
            return data

    async def main() -> None:
        async with Server() as server:
            sender = transport()
            data = os.urandom(1024 * 1024 + 3)
            _, headers, _ = await get(sender, f"{server.url}/k", "PUT", Growing(data))
            assert headers["x-echo"] == f"PUT /k {len(data)}"
            assert (await get(sender, f"{server.url}/next"))[2] == b"GET /next 0"
            await sender.close()
        assert [seen.target for seen in server.seen] == ["/k", "/next"]
        assert server.seen[0].body == data and server.connections == 1

    run(main())


def test_a_file_that_fails_or_gets_shorter_is_a_transport_error_not_tried_again() -> None:
    class Failing(io.BytesIO):
        def read(self, size: int | None = -1) -> bytes:
            raise OSError("disk gone")

    class Shrinking(io.BytesIO):
        def read(self, size: int | None = -1) -> bytes:
            return b""

    async def main() -> None:
        async with Server() as server:
            sender = transport()
            big = b"x" * 100_000
            with pytest.raises(s3wire.TransportError, match="could not be read") as failed:
                await get(sender, f"{server.url}/k", "PUT", Failing(big))
            with pytest.raises(s3wire.TransportError, match="got shorter") as shrank:
                await get(sender, f"{server.url}/k", "PUT", Shrinking(big))
            assert not failed.value.retryable and not shrank.value.retryable
            assert (await get(sender, f"{server.url}/after"))[2] == b"GET /after 0"

    run(main())


def test_an_answer_given_before_the_body_was_read_is_returned_not_a_broken_pipe() -> None:
    async def main() -> None:
        done = asyncio.Event()

        async def refuse(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            await reader.readuntil(b"\r\n\r\n")  # the head only: the body is not read
            writer.write(answer(b"<Error>AccessDenied</Error>", 403, Connection="close"))
            writer.write_eof()  # its side closed; it reads no more until the client is done
            await done.wait()
            writer.transport.abort()

        server = await asyncio.start_server(refuse, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        data = os.urandom(32 * 1024 * 1024)
        big = io.BytesIO(data)
        status, _, body = await get(transport(), f"http://127.0.0.1:{port}/k", "PUT", big)
        assert (status, body) == (403, b"<Error>AccessDenied</Error>") and big.tell() < len(data)
        done.set()
        server.close()
        await server.wait_closed()
        await asyncio.sleep(0.01)

    run(main())


# the pool


def test_at_most_max_connections_are_open_per_host_and_a_cancelled_send_frees_its_own() -> None:
    async def slow(seen: Seen, writer: asyncio.StreamWriter) -> bool:
        if seen.target == "/hang":
            await asyncio.sleep(10)
        await asyncio.sleep(0.02)
        return await echo(seen, writer)

    async def main() -> None:
        async with Server(slow) as server:
            sender = transport(max_connections=2)
            bodies = await asyncio.gather(*(get(sender, f"{server.url}/{n}") for n in range(8)))
            assert [body for _, _, body in bodies] == [f"GET /{n} 0".encode() for n in range(8)]
            assert server.connections == 2 and server.most_open == 2
            hanging = asyncio.ensure_future(get(sender, f"{server.url}/hang"))
            await asyncio.sleep(0.1)
            hanging.cancel()
            with pytest.raises(asyncio.CancelledError):
                await hanging
            await asyncio.gather(*(get(sender, f"{server.url}/{n}") for n in range(4)))
            await sender.close()
        assert server.connections == 3

    run(main())


def test_a_full_pool_waits_no_longer_than_the_deadline() -> None:
    async def hang(seen: Seen, writer: asyncio.StreamWriter) -> bool:
        await asyncio.sleep(10)
        return False

    async def main() -> None:
        async with Server(hang) as server:
            sender = transport(max_connections=1, read_timeout=5)
            first = asyncio.ensure_future(get(sender, f"{server.url}/1"))
            await asyncio.sleep(0.05)
            with pytest.raises(s3wire.TransportTimeoutError, match="total_timeout") as raised:
                await get(sender, f"{server.url}/2", deadline=time.monotonic() + 0.2)
            assert not raised.value.retryable
            first.cancel()

    run(main())


def test_the_settings_are_checked() -> None:
    with pytest.raises(s3wire.ParamError, match="at least 1"):
        transport(max_connections=0)
    with pytest.raises(s3wire.ParamError, match="CA bundle"):
        transport(verify="/no/such/bundle")


def test_a_transport_used_from_a_second_event_loop_makes_its_own_connections() -> None:
    sender = transport()

    async def once() -> None:
        async with Server() as server:
            assert (await get(sender, f"{server.url}/k"))[0] == 200

    run(once())
    run(once())


class Proxy:
    """A forwarding and CONNECT proxy on 127.0.0.1 in front of one upstream port: it keeps each
    connection's first head as it came, answers a CONNECT with `connect_answer`, then relays
    the bytes both ways (so the upstream server reads forwarded requests as they were sent)."""

    def __init__(
        self,
        upstream: int,
        connect_answer: bytes = b"HTTP/1.1 200 OK\r\n\r\n",
        tls: ssl.SSLContext | None = None,
    ) -> None:
        self.upstream, self.connect_answer, self.tls = upstream, connect_answer, tls
        self.heads: list[bytes] = []
        self._tasks: set[asyncio.Task[Any]] = set()

    async def __aenter__(self) -> Proxy:
        self.server = await asyncio.start_server(self._serve, "127.0.0.1", 0, ssl=self.tls)
        port = self.server.sockets[0].getsockname()[1]
        self.url = f"{'https' if self.tls else 'http'}://127.0.0.1:{port}"
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.server.close()
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self.server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            self.heads.append(head)
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.upstream)
            if head.startswith(b"CONNECT "):
                writer.write(self.connect_answer)
            else:
                up_writer.write(head)
            await asyncio.gather(relay(reader, up_writer), relay(up_reader, writer))
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.CancelledError):
            return
        finally:
            writer.transport.abort()


async def relay(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    finally:
        writer.transport.abort()


@pytest.fixture
def proxy_env(monkeypatch: pytest.MonkeyPatch) -> Callable[[str], None]:
    """Set the environment's proxy for both schemes (NO_PROXY and the rest cleared)."""
    for name in ("no_proxy", "NO_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)

    def use(url: str) -> None:
        for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY"):
            monkeypatch.setenv(name, url)

    return use


def test_through_an_http_proxy_the_url_goes_out_exactly_as_given_with_the_proxy_credentials(
    proxy_env: Callable[[str], None],
) -> None:
    origin = "http://s3.example.test:8080"  # resolved by nobody but the proxy
    targets = ["/b/k?x=1&X-Amz-Signature=abc", "/b/%2E%2E/a%20b"]

    async def main() -> None:
        async with Server() as server, Proxy(server.port) as proxy:
            proxy_env(proxy.url.replace("://", "://us%3Aer:p%40ss@"))
            sender = transport()
            for target in targets:
                assert (await get(sender, origin + target))[2] == f"GET {origin}{target} 0".encode()
            await sender.close()
        assert len(proxy.heads) == 1  # one kept connection to the proxy
        token = base64.b64encode(b"us:er:p@ss").decode()
        assert all(
            f"\r\nProxy-Authorization: Basic {token}\r\n".encode() in seen.head
            for seen in server.seen
        )
        assert all(b"\r\nHost: s3.example.test:8080\r\n" in seen.head for seen in server.seen)

    run(main())


def test_https_goes_through_a_connect_tunnel_with_tls_to_the_host(
    localhost_certificate: Path, proxy_env: Callable[[str], None]
) -> None:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(localhost_certificate)

    async def main() -> None:
        async with Server(tls=context) as server, Proxy(server.port) as proxy:
            proxy_env(proxy.url.replace("://", "://user:secret@"))
            sender = transport(verify=str(localhost_certificate.with_suffix(".crt")))
            url = f"https://localhost:{server.port}"
            for key in ("a", "b"):
                assert (await get(sender, f"{url}/{key}?q"))[2] == f"GET /{key}?q 0".encode()
            await sender.close()
        token = base64.b64encode(b"user:secret").decode()
        assert proxy.heads == [
            f"CONNECT localhost:{server.port} HTTP/1.1\r\nHost: localhost:{server.port}\r\n"
            f"Proxy-Authorization: Basic {token}\r\n\r\n".encode()
        ]
        assert [seen.target for seen in server.seen] == ["/a?q", "/b?q"]
        assert all(b"Proxy-Authorization" not in seen.head for seen in server.seen)

    run(main())


def test_a_tunnel_the_proxy_refuses_is_a_connect_error_naming_no_credentials(
    proxy_env: Callable[[str], None],
) -> None:
    refusal = b"HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n"

    async def main() -> None:
        async with Server() as server, Proxy(server.port, refusal) as proxy:
            proxy_env(proxy.url.replace("://", "://user:secret@"))
            with pytest.raises(s3wire.ConnectError, match="407") as raised:
                await get(transport(), f"https://localhost:{server.port}/k")
        assert raised.value.retryable and "secret" not in str(raised.value)
        assert not server.seen

    run(main())


def server_tls(certificate: Path) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certificate)
    return context


def test_an_https_proxy_is_reached_over_tls_to_forward_and_to_tunnel_tls_in_tls(
    localhost_certificate: Path, proxy_env: Callable[[str], None]
) -> None:
    tls, bundle = server_tls(localhost_certificate), str(localhost_certificate.with_suffix(".crt"))

    async def main() -> None:
        async with Server() as plain, Proxy(plain.port, tls=tls) as forwarding:
            proxy_env(forwarding.url)
            sender = transport(verify=bundle)
            origin = "http://s3.example.test"
            assert (await get(sender, f"{origin}/k?v"))[2] == f"GET {origin}/k?v 0".encode()
            await sender.close()
            with pytest.raises(s3wire.ConnectError, match="certificate") as raised:
                await get(transport(), f"{origin}/k")  # the proxy's certificate is checked
            assert not raised.value.retryable
        async with Server(tls=tls) as secure, Proxy(secure.port, tls=tls) as tunnelling:
            proxy_env(tunnelling.url)
            sender = transport(verify=bundle)
            url = f"https://localhost:{secure.port}"
            assert (await get(sender, f"{url}/a"))[2] == b"GET /a 0"
            await sender.close()
        assert tunnelling.heads[0].startswith(f"CONNECT localhost:{secure.port} ".encode())
        assert [seen.target for seen in secure.seen] == ["/a"]

    run(main())


def test_before_python_3_11_https_through_an_https_proxy_is_refused_by_name(
    proxy_env: Callable[[str], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "version_info", (3, 10, 13))
    proxy_env("https://user:secret@127.0.0.1:9")
    with pytest.raises(s3wire.TransportError, match="TLS in TLS") as raised:
        run(get(transport(), "https://example.invalid/k"))
    assert not raised.value.retryable and "secret" not in str(raised.value)


def test_a_proxy_url_that_cannot_be_used_is_refused_by_name(
    proxy_env: Callable[[str], None],
) -> None:
    for proxy in ("socks5://user:secret@127.0.0.1:9", "http://user:secret@127.0.0.1:99999"):
        proxy_env(proxy)
        with pytest.raises(s3wire.TransportError, match="cannot be used") as raised:
            run(get(transport(), "http://example.invalid/k?X-Amz-Signature=sig"))
        assert not raised.value.retryable
        assert "secret" not in str(raised.value) and "sig" not in str(raised.value)


def test_a_url_that_is_not_one_is_refused_not_sent() -> None:
    for url in ("ftp://h/k", "http://h:99999/k", "http://user@h/k", "http://[::1/k"):
        with pytest.raises(s3wire.TransportError) as raised:
            run(get(transport(), url))
        assert not raised.value.retryable


# hostile answers

ANSWER_STARTS = st.sampled_from(
    [b"", b"HTTP/1.1 200 OK\r\n", b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"]
) | st.builds(
    lambda status, length, close: (
        b"HTTP/1.1 %d X\r\nContent-Length: %d\r\n%s\r\n"
        % (status, length, b"Connection: close\r\n" if close else b"")
    ),
    st.integers(100, 599),
    st.integers(0, 3000),
    st.booleans(),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(start=ANSWER_STARTS, rest=st.binary(max_size=2000), cuts=st.lists(st.integers(0, 2000)))
def test_any_answer_parses_or_is_a_transport_error_as_over_the_sync_socket_transport(
    start: bytes, rest: bytes, cuts: list[int]
) -> None:
    from s3wire.transport import SocketTransport

    raw = start + rest
    points = sorted({0, len(raw), *(cut for cut in cuts if cut < len(raw))})

    async def respond(seen: Seen, writer: asyncio.StreamWriter) -> bool:
        for begin, end in itertools.pairwise(points):
            writer.write(raw[begin:end])
            await writer.drain()
            await asyncio.sleep(0)
        return False

    async def main() -> None:
        options: dict[str, Any] = {"connect_timeout": 5, "read_timeout": 2, "verify": True}
        options["max_answer_bytes"] = 2**62
        async with Server(respond) as server:
            sender, sync = AsyncSocketTransport(**options), SocketTransport(**options)
            for method in ("GET", "HEAD"):
                results: list[object] = []
                url = f"{server.url}/k"
                for sending in (
                    sender.send(method, url, {}, None),
                    asyncio.to_thread(sync.send, method, url, {}, None),
                ):
                    try:
                        status, headers, body = await sending
                    except s3wire.TransportError as exc:
                        results.append(outcome(exc))
                        continue
                    assert 200 <= status < 600 and isinstance(body, bytes)
                    results.append((status, list(headers.items()), body))
                assert results[0] == results[1]
            await sender.close()
            sync.close()

    run(main())


# start-up cost


def test_importing_s3wire_and_its_transports_does_not_import_asyncio() -> None:
    probe = (
        "import json, sys\nimport s3wire, s3wire.transport, s3wire.transport_api\n"
        "print(json.dumps(sorted(sys.modules)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(SRC)},
    )
    assert "asyncio" not in json.loads(out.stdout)


# the shared S3 server


@pytest.fixture
def bucket(s3_server: servers.S3Server) -> Iterator[tuple[s3wire.Client, str]]:
    data = s3wire.get_data_structure(
        s3_server.url,
        s3_server.access_key,
        s3_server.secret_key,
        s3_server.region,
        addressing_style="path",
    )
    name = f"s3wire-async-{uuid.uuid4().hex[:10]}"
    with s3wire.Client(data) as client:
        client.create_bucket(bucket=name).raise_for_status()
        try:
            yield client, name
        finally:
            client.delete_object(bucket=name, key="k")
            client.delete_bucket(bucket=name)


@pytest.mark.integration
def test_presigned_put_get_and_head_go_through_to_the_s3_server(
    bucket: tuple[s3wire.Client, str],
) -> None:
    client, name = bucket
    data = os.urandom(200_000)
    urls = {op: client.presigned_url(op, name, "k", expires=600) for op in ("PUT", "GET", "HEAD")}

    async def main() -> None:
        sender = transport()
        put = await sender.send("PUT", urls["PUT"], {}, data)
        assert put[0] == 200
        status, headers, body = await sender.send("GET", urls["GET"], {}, None)
        assert (status, body) == (200, data)
        sink = Collecting()
        assert (await sender.send("GET", urls["GET"], {}, None, sink))[0] == 200
        assert b"".join(sink.chunks) == data
        status, headers, body = await sender.send("HEAD", urls["HEAD"], {}, None)
        assert (status, headers["content-length"], body) == (200, str(len(data)), b"")
        await sender.close()

    run(main())
    assert client.get_object(bucket=name, key="k").body == data
