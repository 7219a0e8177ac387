"""What a transport is: the Transport protocol a Client sends its signed requests through (and
AsyncTransport, its asyncio twin, for an async client).

The default is s3wire.transport.Urllib3Transport; `Client(data, transport=...)` takes any
object with these two methods (s3wire.testing.MockTransport, for tests). Nothing here is
imported by building a client.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import IO, Protocol

Body = bytes | IO[bytes] | None
"""A request body: bytes, a binary file object streamed from where it stands, or none."""
Headers = Mapping[str, str]
"""An answer's headers; lookups must ignore the case of the name."""


class Sink(Protocol):
    """Where a successful answer's body goes instead of memory (see s3wire.sink.BodySink)."""

    def begin(self, status: int, headers: Headers) -> None: ...
    def write(self, chunk: bytes | memoryview) -> None:
        """Take the next bytes; a memoryview is the transport's buffer, valid only during
        the call (BodySink copies it unless its target writes it before returning)."""


class AsyncSink(Protocol):
    """Sink's asyncio twin: the body's chunks are awaited into it (`await write(chunk)`), so
    that a slow reader of the answer slows the transport down (see s3wire.sink.AsyncBodySink)."""

    def begin(self, status: int, headers: Headers) -> None: ...
    async def write(self, chunk: bytes) -> None: ...


class Transport(Protocol):
    """Sends one signed request and answers (status, headers, body bytes).

    `send` must send `url` exactly as given (it is what the signature covers) with `headers`
    as given, plus a Content-Length for the body. With a `sink`, the body of a 2xx answer to
    any method but HEAD goes to it (`sink.begin(status, headers)`, then `sink.write(chunk)`
    as the bytes arrive) and the bytes answered are b"". `deadline` (time.monotonic()), when
    given, bounds the whole exchange. A network failure is raised as s3wire.TransportError
    (`retryable` False when trying again cannot help): the client tries again on it.
    `close` releases what the transport holds; the client calls it when it is closed.
    """

    def send(
        self,
        method: str,
        url: str,
        headers: dict[str, str],
        body: Body,
        sink: Sink | None = None,
        *,
        deadline: float | None = None,
    ) -> tuple[int, Headers, bytes]: ...

    def close(self) -> None: ...


class AsyncTransport(Protocol):
    """Transport's asyncio twin: `await send(...)` sends one signed request and answers
    (status, headers, body bytes), as Transport.send says (the url sent exactly as given, the
    headers as given plus the body's Content-Length; an AsyncSink gets the body of a 2xx
    answer to any method but HEAD as it arrives, each chunk awaited before the next is read;
    `deadline`, time.monotonic(), bounds the whole exchange; a network failure is raised as
    s3wire.TransportError, `retryable` False when trying again cannot help). `await close()`
    releases what the transport holds. s3wire._http.async_transport.AsyncSocketTransport is
    one.
    """

    async def send(
        self,
        method: str,
        url: str,
        headers: dict[str, str],
        body: Body,
        sink: AsyncSink | None = None,
        *,
        deadline: float | None = None,
    ) -> tuple[int, Headers, bytes]: ...

    async def close(self) -> None: ...
