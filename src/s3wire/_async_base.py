"""AsyncBaseClient: the asyncio loop that sends an operation's request and answers a Response.

The same walk as BaseClient's (s3wire._base) over the same decisions (s3wire._request,
s3wire._core), with await: the transport is an AsyncTransport, waits are asyncio.sleep, and
credentials that need fetching are fetched off the event loop (asyncio.to_thread).
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any, cast

from . import xmljson
from ._async_stream import StreamSink, open_stream
from ._core import ClientCore, Payload, create_session
from ._request.answer import read_answer, to_response
from .async_body import AsyncBody
from .config import Settings
from .credentials_api import ready
from .errors import ParamError, TransportError
from .signing import Signer
from .sink import AsyncBodySink

if TYPE_CHECKING:
    from ._request.prepare import Prepared
    from .credentials_api import CredentialProvider, Credentials
    from .operation import Operation
    from .response import Response
    from .sink import Writable
    from .transport_api import AsyncSink, AsyncTransport

__all__ = ["AsyncBaseClient", "Payload"]


class AsyncBaseClient(ClientCore):
    """The request machinery under the async operations; see AsyncClient for the public face."""

    def __init__(
        self,
        settings: Settings,
        transport: AsyncTransport | None = None,
        credentials: CredentialProvider | None = None,
    ) -> None:
        """Requests go through `transport` (closed with the client), by default an
        AsyncSocketTransport made from the settings' timeouts, verify and max_answer_bytes;
        they are signed with `credentials`' keys, by default the settings' own."""
        super().__init__(settings, credentials)
        if transport is None:
            from ._http.async_transport import AsyncSocketTransport

            transport = AsyncSocketTransport(
                connect_timeout=settings.connect_timeout,
                read_timeout=settings.read_timeout,
                verify=settings.verify,
                max_answer_bytes=settings.max_answer_bytes,
                total_timeout=settings.total_timeout,
                max_connections=settings.max_connections,
            )
        self._transport = transport
        self._session_lock: asyncio.Lock | None = None

    async def _keys(self) -> Credentials:
        """The credentials to sign with: at once when the provider has them ready, else
        fetched on a worker thread (a refresh must not block the event loop)."""
        keys = ready(self._credentials)
        return keys if keys is not None else await asyncio.to_thread(self._credentials.get)

    async def _session_signer(
        self, bucket: str, region: str, keys: Credentials
    ) -> Signer | Response[Any, Any]:
        """The signer of the directory bucket's S3 Express session, made with CreateSession
        when there is none (once between tasks); CreateSession's answer when it failed."""
        sessions = self._sessions()
        signer = sessions.cached(bucket, keys)
        if signer is not None:
            return signer
        if self._session_lock is None:
            self._session_lock = asyncio.Lock()
        async with self._session_lock:
            signer = sessions.cached(bucket, keys)
            if signer is not None:
                return signer
            answer = await self._send(create_session(), bucket=bucket)
            return sessions.store(bucket, keys, answer, region) if answer.ok else answer

    async def _send(
        self,
        operation: Operation,
        *,
        bucket: str | None = None,
        key: str | None = None,
        query: list[tuple[str, str]] | None = None,
        headers: dict[str, str] | None = None,
        payload: Payload | None = None,
        xml: xmljson.BodyValues | None = None,
        host_prefix: str = "",
        into: Writable | None = None,
        stream: bool = False,
    ) -> Response[Any, Any]:
        """Send one catalog operation's request (see _request.prepare.for_operation) and answer
        its Response; the generated async operations call this. A body from a file is
        prepared (its digests read) on a worker thread, off the event loop. `into` may be an
        async writer (its write awaited); `stream` answers once the headers arrived, the body
        read with Response.stream() (s3wire._async_stream)."""
        if stream and into is not None:
            raise ParamError("give into= or stream=True, not both")
        streamed = StreamSink() if stream else None
        sink = streamed or (None if into is None else AsyncBodySink(into))
        arguments: dict[str, Any] = {
            "bucket": bucket,
            "key": key,
            "query": query,
            "headers": headers,
            "payload": payload,
            "xml": xml,
            "host_prefix": host_prefix,
            "into": sink,
        }
        if payload is None or isinstance(payload, bytes | bytearray | memoryview):
            request = self._prepare(operation, **arguments)
        else:
            request = await asyncio.to_thread(self._prepare, operation, **arguments)
        if streamed is None:
            answer = await self._exchange(request)
            if isinstance(payload, AsyncBody) and answer.ok:
                payload.check(answer.fields.get("etag"))
            return answer
        schema = self._ERROR_SCHEMA
        return await open_stream(
            self._exchange(request),
            streamed,
            lambda status, answered: to_response(operation, status, answered, b"", schema),
        )

    async def _exchange(self, request: Prepared) -> Response[Any, Any]:
        """Send a request, try again as _request.attempts decides, answer the last Response."""
        attempts = self._attempts(request)
        transport, deadline = self._transport, attempts.deadline
        sink = cast("AsyncSink | None", request.sink)  # an AsyncBodySink: _send makes it
        while True:
            keys = await self._keys()
            if request.express_session and request.bucket is not None:
                signer = await self._session_signer(request.bucket, attempts.region, keys)
                if not isinstance(signer, Signer):
                    return signer  # CreateSession's failure answers the call
            else:
                signer = self._signer(attempts.region, request.signing_name, keys)
            url, headers = request.signed(signer)
            try:
                sent = await transport.send(
                    request.method, url, headers, request.body, sink, deadline=deadline
                )
                step = attempts.after_answer(read_answer(request, *sent, self._ERROR_SCHEMA))
            except TransportError as failure:
                step = attempts.after_failure(failure)
            if step.answer is not None:
                self._regions.learn(request, attempts)
                return step.answer
            if step.error is not None:
                raise step.error
            if step.refresh_credentials and request.express_session:
                self._session_ended(request)
            elif step.refresh_credentials and await self._keys() is keys:
                await asyncio.to_thread(self._credentials.refresh)  # unless another did
            elif step.delay is not None:
                await asyncio.sleep(step.delay)

    async def close(self) -> None:
        """Close the transport (the default one's pooled connections)."""
        await self._transport.close()
