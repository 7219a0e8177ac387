"""A transport for tests: run code that uses a Client with no server, and check what it sent.

    transport = MockTransport(Answer(200, {"ETag": '"e"'}))
    client = s3wire.Client(data, transport=transport)
    client.put_object(bucket="b", key="k", body=b"data")
    assert transport.last.method == "PUT" and transport.last.body == b"data"

MockTransport records every request (method, URL, headers and body bytes) and answers each with
the next of its steps, the last one repeated for every request after it: an Answer, an exception
to raise (s3wire.TransportError stands for a network failure, and is retried like one), or a
handler function called with the Request. AsyncMockTransport is the same for AsyncClient.
See docs/testing.md.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple
from urllib.parse import parse_qsl, urlsplit

from ._http.logredact import redact
from .errors import ParamError
from .transport_api import AsyncSink, Body, Headers, Sink

__all__ = [
    "Answer",
    "AsyncMockTransport",
    "Handler",
    "HeldSink",
    "MockTransport",
    "Request",
    "Step",
]


@dataclass(frozen=True)
class Answer:
    """A canned answer: status, headers (looked up whatever their case) and body."""

    status: int = 200
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""

    def deliver(self, method: str, sink: Sink | None) -> tuple[int, Headers, bytes]:
        """This answer as a transport gives it for a `method` request with `sink`: a 2xx body
        (not to HEAD) goes into the sink and b"" is answered; a HEAD answer has no body.
        A transport of your own for tests can answer with it too."""
        headers = _Caseless(self.headers)
        if method == "HEAD":
            return self.status, headers, b""
        if sink is not None and 200 <= self.status < 300:
            sink.begin(self.status, headers)
            if self.body:
                sink.write(self.body)
            return self.status, headers, b""
        return self.status, headers, self.body


class Request(NamedTuple):
    """One request as the client gave it to the transport: signed headers (looked up whatever
    their case; the real transport adds Content-Length) and the body's bytes (None for no body;
    a streamed body is read, as the network would)."""

    method: str
    url: str
    headers: Headers
    body: bytes | None

    @property
    def path(self) -> str:
        """The URL's path, percent-encoded as it was signed and sent."""
        return urlsplit(self.url).path

    @property
    def query(self) -> dict[str, str]:
        """The URL's query parameters, decoded ("" for a name without a value)."""
        return dict(parse_qsl(urlsplit(self.url).query, keep_blank_values=True))

    def __repr__(self) -> str:
        """Without the signature or session token (in the headers or a presigned URL)."""
        body = "None" if self.body is None else f"<{len(self.body)} bytes>"
        return redact(
            f"Request(method={self.method!r}, url={self.url!r}, headers={self.headers!r}, "
            f"body={body})"
        )


Handler = Callable[[Request], Answer]
Step = Answer | BaseException | Handler


class MockTransport:
    """A Transport (s3wire.transport_api) that records requests and answers them by script.

    Each request gets the next step, the last step repeating (no steps: Answer() for all): an
    Answer; an exception, raised; or a handler, called with the Request, whose Answer is
    given and whose exceptions propagate as they are. With a sink, a 2xx body (not to HEAD)
    is streamed into it and b"" answered, as the real transport does; a HEAD answer has no body.
    Threads may share it. `requests` lists what was sent, `closed` whether close() was called.
    """

    def __init__(self, *steps: Step) -> None:
        for step in steps:
            if not isinstance(step, Answer | BaseException) and not callable(step):
                raise ParamError(
                    "a MockTransport step is an Answer, an exception or a handler function, "
                    f"not {type(step).__name__}"
                )
        self._steps = steps or (Answer(),)
        self._lock = threading.Lock()
        self.requests: list[Request] = []
        self.closed = False

    @property
    def last(self) -> Request:
        """The latest request (IndexError when none was sent)."""
        return self.requests[-1]

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
        """Record the request, then answer it with the next step."""
        request = Request(method, url, _Caseless(headers), _bytes_of(body))
        with self._lock:
            step = self._steps[min(len(self.requests), len(self._steps) - 1)]
            self.requests.append(request)
        return _answer(step, request).deliver(method, sink)

    def close(self) -> None:
        self.closed = True


class AsyncMockTransport:
    """MockTransport's asyncio twin, an AsyncTransport for s3wire.AsyncClient: the same steps
    (handlers are plain functions), the same records and answers."""

    def __init__(self, *steps: Step) -> None:
        self._mock = MockTransport(*steps)

    @property
    def requests(self) -> list[Request]:
        """What was sent, in order."""
        return self._mock.requests

    @property
    def last(self) -> Request:
        """The latest request (IndexError when none was sent)."""
        return self._mock.last

    @property
    def closed(self) -> bool:
        """Whether close() was awaited."""
        return self._mock.closed

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
        """Record the request, then answer it with the next step (a 2xx body awaited into
        the sink, as the real transport does)."""
        held = HeldSink()
        answered = self._mock.send(method, url, headers, body, held if sink else None)
        if sink is not None:
            await held.pour(answered, sink)
        return answered

    async def close(self) -> None:
        self._mock.close()


class HeldSink:
    """A sync Sink that holds what it is given, to be poured into an AsyncSink afterwards:
    how an async test transport of your own answers through a sync one (AsyncMockTransport
    answers through MockTransport so)."""

    def __init__(self) -> None:
        self.began = False
        self.chunks: list[bytes] = []

    def begin(self, status: int, headers: Headers) -> None:
        self.began = True

    def write(self, chunk: bytes | memoryview) -> None:
        self.chunks.append(bytes(chunk))  # a view is the transport's buffer: kept, it is copied

    async def pour(self, answered: tuple[int, Headers, bytes], sink: AsyncSink) -> None:
        """Give `sink` what this one was given for the answer `answered` (status, headers)."""
        if self.began:
            sink.begin(answered[0], answered[1])
            for chunk in self.chunks:
                await sink.write(chunk)


class _Caseless(Mapping[str, str]):
    """Headers whose names are looked up whatever their case, kept as they were given."""

    def __init__(self, headers: Mapping[str, str]) -> None:
        self._items = {name.lower(): (name, value) for name, value in headers.items()}

    def __getitem__(self, name: str) -> str:
        return self._items[name.lower()][1]

    def __iter__(self) -> Iterator[str]:
        return (name for name, _ in self._items.values())

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        return redact(repr(dict(self.items())))


def _answer(step: Step, request: Request) -> Answer:
    """What a step answers to a request (an exception step is raised)."""
    if isinstance(step, Answer):
        return step
    if isinstance(step, BaseException):
        raise step
    answer = step(request)
    if not isinstance(answer, Answer):
        raise ParamError(
            f"a MockTransport handler must return an Answer, not {type(answer).__name__}"
        )
    return answer


def _bytes_of(body: Body) -> bytes | None:
    """A request body's bytes: a stream is read from where it stands."""
    if body is None or isinstance(body, bytes):
        return body
    return body.read()
