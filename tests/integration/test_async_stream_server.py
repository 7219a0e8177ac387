"""AsyncClient streaming against the real server: an object put from an async iterable
(AsyncBody) and read back as a stream, slowly, holding a few MiB; one read only in part, its
connection dropped, the client carrying on."""

from __future__ import annotations

import asyncio
import hashlib
import os
import tracemalloc
from collections.abc import AsyncIterator

import s3wire

MIB = 1024 * 1024


async def generated(count: int, seed: bytes) -> AsyncIterator[bytes]:
    """`count` MiB made on the fly (never whole in memory)."""
    for number in range(count):
        await asyncio.sleep(0)
        yield hashlib.sha256(seed + number.to_bytes(4, "big")).digest() * (MIB // 32)


def test_an_async_body_goes_up_and_comes_back_as_a_stream_holding_a_few_mib(
    data: s3wire.ConnectionData, client: s3wire.Client, bucket: str
) -> None:
    seed = os.urandom(8)
    count = 24
    expected = hashlib.sha256()
    for number in range(count):
        expected.update(hashlib.sha256(seed + number.to_bytes(4, "big")).digest() * (MIB // 32))

    async def main() -> tuple[bytes, int, int]:
        async with s3wire.AsyncClient(data) as aio:
            body = s3wire.AsyncBody(generated(count, seed), count * MIB)
            put = await aio.put_object(bucket=bucket, key="streamed", body=body)
            put.raise_for_status()
            tracemalloc.start()
            answer = await aio.get_object(bucket=bucket, key="streamed", stream=True)
            assert answer.fields["content_length"] == count * MIB
            got = hashlib.sha256()
            async for chunk in answer.stream():
                got.update(chunk)
                await asyncio.sleep(0.001)  # a reader slower than the loopback
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            async with await aio.get_object(bucket=bucket, key="streamed", stream=True) as part:
                async for _ in part.stream():
                    break
            head = await aio.head_object(bucket=bucket, key="streamed")
            return got.digest(), peak, head.status

    digest, peak, status = asyncio.run(main())
    assert digest == expected.digest()
    assert peak < 12 * MIB  # of a 24 MiB object, read slowly
    assert status == 200
    stored = client.get_object(bucket=bucket, key="streamed").raise_for_status()
    assert hashlib.sha256(stored.body).digest() == expected.digest()
