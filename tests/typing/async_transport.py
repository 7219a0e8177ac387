"""AsyncSocketTransport meets the AsyncTransport protocol: checked by `mypy --strict`, never run."""

from __future__ import annotations

from s3wire._http.async_transport import AsyncSocketTransport
from s3wire.transport_api import AsyncTransport, Headers


async def send_one(url: str) -> tuple[int, Headers, bytes]:
    """One GET through a transport typed as the protocol."""
    transport: AsyncTransport = AsyncSocketTransport(
        connect_timeout=5, read_timeout=5, verify=True, max_connections=4
    )
    try:
        return await transport.send("GET", url, {}, None, deadline=None)
    finally:
        await transport.close()
