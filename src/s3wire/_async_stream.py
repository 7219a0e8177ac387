"""Streamed answers of AsyncClient: `stream=True` answers as soon as the headers arrive, and
the body is read as it comes, `async for chunk in answer.stream()`.

The exchange (the same tries as any call) goes on in a task that awaits each chunk into a
Channel of a few MiB; a reader slower than the network makes the transport wait (and TCP
with it), so memory holds a few chunks whatever the size of the object. Once the headers of a
successful answer are handed over, the call is not tried again: a failure after that (the
connection lost, a checksum that does not match) is raised by the reading.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterator, Callable, Coroutine
from typing import Any

from .response import Response
from .sink import AsyncBodySink
from .transport_api import Headers

_HELD = 2 * 1024 * 1024  # bytes held for the reader before the writer waits


class Channel:
    """Chunks from the exchange to the reader; once `most` bytes are held, writing waits for
    the reader to take some."""

    __slots__ = ("_chunks", "_ended", "_held", "_most", "_reader", "_writer")

    def __init__(self, most: int = _HELD) -> None:
        self._chunks: deque[bytes] = deque()
        self._most = most
        self._held = 0
        self._ended = False
        self._reader: asyncio.Future[None] | None = None  # the reader waits for a chunk
        self._writer: asyncio.Future[None] | None = None  # the writer waits for room

    async def write(self, chunk: bytes) -> None:
        while self._held >= self._most:
            self._writer = asyncio.get_running_loop().create_future()
            await self._writer
        self._chunks.append(chunk)
        self._held += len(chunk)
        _wake(self._reader)

    def end(self) -> None:
        """Nothing more will be written."""
        self._ended = True
        _wake(self._reader)

    async def read(self) -> bytes | None:
        """The next chunk, or None once the channel ended and is empty."""
        while not self._chunks:
            if self._ended:
                return None
            self._reader = asyncio.get_running_loop().create_future()
            await self._reader
        chunk = self._chunks.popleft()
        self._held -= len(chunk)
        _wake(self._writer)
        return chunk


def _wake(waiter: asyncio.Future[None] | None) -> None:
    if waiter is not None and not waiter.done():
        waiter.set_result(None)


class StreamSink(AsyncBodySink):
    """The sink of a streamed answer: its body goes into a Channel, its status and headers to
    `head` when it begins; once begun it cannot be rewound (the caller has the answer)."""

    __slots__ = ("channel", "head")

    def __init__(self) -> None:
        self.channel = Channel()
        super().__init__(self.channel)
        self.head: asyncio.Future[tuple[int, Headers]] = asyncio.get_running_loop().create_future()

    def begin(self, status: int, headers: Headers) -> None:
        super().begin(status, headers)
        if not self.head.done():
            self.head.set_result((status, headers))

    def rewind(self) -> bool:
        return not self.head.done() and super().rewind()


class StreamedResponse(Response[Any, Any]):
    """A Response whose body is read as it arrives: `async for chunk in answer.stream()`,
    `await answer.read()`; `await answer.aclose()` (or `async with answer:`) drops the rest
    and the connection with it."""

    __slots__ = ("_channel", "_task")

    def __init__(
        self, opening: Response[Any, Any], channel: Channel, task: asyncio.Task[Any]
    ) -> None:
        super().__init__(
            status=opening.status,
            response=opening.response,
            headers=opening.headers,
            body=b"",
            fields=opening.fields,
            attempts=opening.attempts,
        )
        self._channel, self._task = channel, task

    async def stream(self) -> AsyncIterator[bytes]:
        """The body's chunks as they arrive; a failure meanwhile (TransportError, a
        ChecksumError at the end) is raised here."""
        try:
            while (chunk := await self._channel.read()) is not None:
                yield chunk
            await self._task  # the exchange's own end: its failure, if it failed
        finally:
            await self.aclose()

    async def aclose(self) -> None:
        """Stop reading: the rest of the body is not read and its connection is closed."""
        task = self._task
        if not task.done():
            task.cancel()
            await asyncio.wait((task,))
        if not task.cancelled():
            task.exception()  # seen: a failure nobody read is not reported again at exit

    def __del__(self) -> None:
        task = getattr(self, "_task", None)
        if task is not None and not task.done():
            task.cancel()  # dropped unread: the exchange stops, its connection is closed


async def open_stream(
    exchange: Coroutine[Any, Any, Response[Any, Any]],
    sink: StreamSink,
    opening: Callable[[int, Headers], Response[Any, Any]],
) -> Response[Any, Any]:
    """Run `exchange` (its answer's body going into `sink`) and answer once its successful
    answer's headers arrived, as a StreamedResponse made by `opening`, whose reading raises
    any failure after them; an answer that is not a success (or a failure before the
    headers) is answered (raised) as the call's own."""
    task = asyncio.ensure_future(_ending(exchange, sink.channel))
    try:
        await asyncio.wait((task, sink.head), return_when=asyncio.FIRST_COMPLETED)
    except asyncio.CancelledError:
        task.cancel()
        raise
    if not sink.head.done():
        return task.result()  # an error answer (its body read whole), or the failure raised
    finished = task.done() and task.exception() is None
    answer = task.result() if finished else opening(*sink.head.result())
    return StreamedResponse(answer, sink.channel, task)  # what fails now, the reading raises


async def _ending(
    exchange: Coroutine[Any, Any, Response[Any, Any]], channel: Channel
) -> Response[Any, Any]:
    """The exchange, the channel ended after it however it ends."""
    try:
        return await exchange
    finally:
        channel.end()
