"""A typed tour of the async client, checked by `mypy --strict` (nox -s lint), never run: its
answers are typed from the catalog exactly as the sync client's are."""

from __future__ import annotations

import asyncio

import s3wire
from s3wire._generated import shapes
from s3wire.testing import Answer, AsyncMockTransport
from s3wire.transport_api import AsyncTransport


async def tour(client: s3wire.AsyncClient) -> None:
    """Awaited calls whose answers mypy types from the catalog."""
    listing = await client.list_objects_v2(bucket="b", prefix="logs/", max_keys=100)
    contents: list[shapes.Object] = listing.response["ListBucketResult"]["Contents"]
    size: int = contents[0]["Size"]
    etag: str = (await client.head_object(bucket="b", key="k")).fields["etag"]
    data: bytes = (await client.get_object(bucket="b", key="k")).body
    async for page in client.paginate("list_objects_v2", bucket="b"):
        status: int = page.status
    url: str = client.presigned_url("GET", "b", "k", expires=60)
    raw = await client.request("GET", "/b?tagging")
    print(size, etag, data, status, url, raw.status)


async def main() -> None:
    transport: AsyncTransport = AsyncMockTransport(Answer(200, {}, b""))
    async with s3wire.AsyncClient(
        url="http://127.0.0.1:7480",
        access_key="a",
        secret_key="s",
        region="us-east-1",
        transport=transport,
    ) as client:
        await tour(client)
    await asyncio.gather(client.close())
