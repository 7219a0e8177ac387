"""AsyncClient's streamed answers (`stream=True`, `async for chunk in answer.stream()`) and async
writers given as `into=`: what arrives is what was sent, checked; error answers are answered
whole; a failure after the headers is raised by the reading; a reader slower than the server
holds a few chunks, not the object; a stream dropped early closes its connection. Request
bodies from async iterables (AsyncBody): sent whole, checked against the ETag, refused by
Client."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import os
import tracemalloc
import zlib
from collections.abc import AsyncIterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_async_transport import Seen, Server, answer, reply, run

import s3wire
from s3wire._async_stream import Channel
from s3wire.testing import Answer, AsyncMockTransport


def client_for(url: str = "http://127.0.0.1:9", **more: Any) -> s3wire.AsyncClient:
    return s3wire.AsyncClient(
        url=url,
        access_key="AKIDEXAMPLE",
        secret_key="wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        region="us-east-1",
        retry_base_delay=0,
        **more,
    )


def crc32_header(data: bytes) -> str:
    return base64.b64encode(zlib.crc32(data).to_bytes(4, "big")).decode()


class Gathering:
    """An async writer (its write a coroutine function) that keeps what it is given."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    async def write(self, data: bytes) -> None:
        await asyncio.sleep(0)
        self.parts.append(data)


@settings(max_examples=30)
@given(st.binary(max_size=5000), st.booleans())
def test_a_streamed_answer_gives_the_body_as_sent_and_fields(body: bytes, checked: bool) -> None:
    headers = {"ETag": '"e"', "Content-Length": str(len(body))}
    if checked:
        headers["x-amz-checksum-crc32"] = crc32_header(body)

    async def main() -> None:
        client = client_for(transport=AsyncMockTransport(Answer(200, headers, body)))
        answer = await client.get_object(bucket="b", key="k", stream=True)
        assert answer.status == 200 and answer.fields["etag"] == '"e"'
        assert answer.body == b""
        assert await answer.read() == body
        await client.close()

    run(main())


def test_a_damaged_streamed_body_raises_checksum_error_from_the_reading() -> None:
    body = b"x" * 1000
    headers = {"x-amz-checksum-crc32": crc32_header(b"y" * 1000)}

    async def main() -> None:
        client = client_for(transport=AsyncMockTransport(Answer(200, headers, body)))
        answer = await client.get_object(bucket="b", key="k", stream=True)
        with pytest.raises(s3wire.ChecksumError):
            await answer.read()
        await client.close()

    run(main())


def test_an_error_answer_to_a_streamed_call_is_answered_whole_and_into_and_stream_clash() -> None:
    missing = b"<Error><Code>NoSuchKey</Code><Message>m</Message></Error>"

    async def main() -> None:
        client = client_for(transport=AsyncMockTransport(Answer(404, {}, missing)))
        answer = await client.get_object(bucket="b", key="k", stream=True)
        assert answer.status == 404 and answer.response["Error"]["Code"] == "NoSuchKey"
        assert await answer.read() == missing
        with pytest.raises(s3wire.NoSuchKeyError):
            answer.raise_for_status()
        with pytest.raises(s3wire.ParamError, match="into= or stream=True"):
            await client.get_object(bucket="b", key="k", stream=True, into=Gathering())
        await client.close()

    run(main())


def test_an_async_writer_gets_the_body_and_client_refuses_one() -> None:
    body = os.urandom(3000)
    headers = {"x-amz-checksum-crc32": crc32_header(body)}

    async def main() -> None:
        client = client_for(transport=AsyncMockTransport(Answer(200, headers, body)))
        target = Gathering()
        answer = await client.get_object(bucket="b", key="k", into=target)
        assert answer.status == 200 and b"".join(target.parts) == body
        await client.close()

    run(main())
    sync = s3wire.Client(
        url="http://127.0.0.1:9", access_key="a", secret_key="s", region="us-east-1"
    )
    with pytest.raises(s3wire.ParamError, match="coroutine function"):
        sync.get_object(bucket="b", key="k", into=Gathering())  # type: ignore[arg-type]


def test_a_connection_cut_after_the_headers_is_raised_by_the_reading_not_retried() -> None:
    async def respond(seen: Seen, writer: asyncio.StreamWriter) -> bool:
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n" + b"a" * 1000)
        await writer.drain()
        writer.transport.abort()
        return False

    async def main() -> None:
        async with Server(respond) as server:
            client = client_for(server.url)
            answer = await client.get_object(bucket="b", key="k", stream=True)
            assert answer.status == 200
            with pytest.raises(s3wire.TransportError):
                async for _ in answer.stream():
                    pass
            await client.close()
        assert len(server.seen) == 1  # the answer was handed out: no other try

    run(main())


def test_a_slow_reader_holds_a_few_mib_and_a_stream_dropped_early_closes_its_connection() -> None:
    piece = bytes(1024 * 1024)
    size = 64 * len(piece)

    async def respond(seen: Seen, writer: asyncio.StreamWriter) -> bool:
        writer.write(f"HTTP/1.1 200 OK\r\nContent-Length: {size}\r\n\r\n".encode())
        for _ in range(64):  # as fast as the client takes it, a MiB held at most
            writer.write(piece)
            await writer.drain()
        return True

    async def main() -> None:
        async with Server(respond) as server:
            client = client_for(server.url)
            tracemalloc.start()
            answer_ = await client.get_object(bucket="b", key="k", stream=True)
            got = 0
            async for chunk in answer_.stream():
                got += len(chunk)
                if got < 4 * 1024 * 1024:
                    await asyncio.sleep(0.01)  # slower than the server, for a while
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            assert got == size
            assert peak < 12 * 1024 * 1024  # the body is 64 MiB
            async with await client.get_object(bucket="b", key="k", stream=True) as early:
                async for _ in early.stream():
                    break
            again = await client.get_object(bucket="b", key="k")  # the client goes on
            assert len(again.body) == size
            await client.close()
        assert server.connections == 2  # the stream dropped early took its connection along

    run(main())


def test_the_channel_hands_chunks_over_in_order_and_makes_the_writer_wait_for_room() -> None:
    async def main() -> None:
        channel = Channel(most=2)
        written: list[int] = []

        async def writer() -> None:
            for number in range(6):
                await channel.write(bytes([number]))
                written.append(number)
            channel.end()

        task = asyncio.ensure_future(writer())
        await asyncio.sleep(0.01)
        assert written == [0, 1]  # no room for the third
        read = []
        while (chunk := await channel.read()) is not None:
            read.append(chunk[0])
        await task
        assert read == list(range(6)) and await channel.read() is None

    run(main())


def test_a_plain_answer_streams_its_body_in_one_piece() -> None:
    plain = s3wire.Response(status=200, response={}, headers={}, body=b"abc", fields={})

    async def main() -> list[bytes]:
        async with plain:
            return [chunk async for chunk in plain.stream()]

    assert run(main()) == [b"abc"]


# request bodies from async iterables


async def pieces(data: bytes, size: int) -> AsyncIterator[bytes]:
    for at in range(0, len(data), size):
        await asyncio.sleep(0)
        yield data[at : at + size]


@settings(max_examples=25)
@given(st.binary(max_size=20000), st.integers(1, 7000))
def test_an_async_body_is_sent_whole_with_its_length_and_checked_against_the_etag(
    data: bytes, size: int
) -> None:
    etag = '"' + hashlib.md5(data).hexdigest() + '"'

    async def main() -> None:
        async with Server(reply(answer(b"", ETag=etag), keep=True)) as server:
            client = client_for(server.url)
            body = s3wire.AsyncBody(pieces(data, size), len(data))
            done = await client.put_object(bucket="b", key="k", body=body)
            assert done.status == 200
            await client.close()
        seen = server.seen[-1]
        assert seen.body == data
        assert f"content-length: {len(data)}".encode() in seen.head.lower()
        assert b"x-amz-content-sha256: unsigned-payload" in seen.head.lower()

    run(main())


def test_an_async_body_of_the_wrong_length_or_stored_wrong_fails_by_name() -> None:
    data = b"0123456789"

    async def main() -> None:
        wrong = '"' + hashlib.md5(b"other").hexdigest() + '"'
        async with Server(reply(answer(b"", ETag=wrong), keep=True)) as server:
            client = client_for(server.url)
            with pytest.raises(s3wire.ChecksumError, match="not their MD5"):
                await client.put_object(
                    bucket="b", key="k", body=s3wire.AsyncBody(pieces(data, 3), len(data))
                )
            for length, said in ((11, "gave 10 of its 11 bytes"), (9, "more than its length")):
                with pytest.raises(s3wire.TransportError, match=said) as raised:
                    await client.put_object(
                        bucket="b", key="k", body=s3wire.AsyncBody(pieces(data, 3), length)
                    )
                assert not raised.value.retryable
            await client.close()

    run(main())
    with pytest.raises(s3wire.ParamError, match="async iterable"):
        s3wire.AsyncBody([b"a"], 1)  # type: ignore[arg-type]
    with pytest.raises(s3wire.ParamError, match="length"):
        s3wire.AsyncBody(pieces(b"", 1), -1)
    sync = s3wire.Client(
        url="http://127.0.0.1:9", access_key="a", secret_key="s", region="us-east-1"
    )
    with pytest.raises(s3wire.ParamError, match="AsyncBody is sent by s3wire"):
        sync.put_object(bucket="b", key="k", body=s3wire.AsyncBody(pieces(b"a", 1), 1))
