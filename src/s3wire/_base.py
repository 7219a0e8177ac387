"""BaseClient: the sync loop that sends an operation's request and answers a Response.

What it sends and what it does with each answer are decided without I/O in s3wire._request
(prepare, answer, attempts) and s3wire._core; this loop signs each try, hands it to the
transport, sleeps between tries and renews credentials when told to. AsyncBaseClient
(s3wire._async_base) is the same walk with await.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any, cast

from . import xmljson
from ._core import ClientCore, Payload, create_session
from ._request.answer import read_answer
from .async_body import AsyncBody
from .config import Settings
from .errors import ParamError, TransportError
from .signing import Signer

if TYPE_CHECKING:
    from ._request.prepare import Prepared
    from .credentials_api import CredentialProvider, Credentials
    from .operation import Operation
    from .response import Response
    from .sink import Writable
    from .transport_api import Sink, Transport

__all__ = ["BaseClient", "Payload"]


class BaseClient(ClientCore):
    """The request machinery under the generated operations; see Client for the public face."""

    def __init__(
        self,
        settings: Settings,
        transport: Transport | None = None,
        credentials: CredentialProvider | None = None,
    ) -> None:
        """Requests go through `transport` (closed with the client), by default a
        SocketTransport made from the settings' timeouts, verify and max_answer_bytes (at the
        first request); they are signed with `credentials`' keys, by default the settings'
        own."""
        super().__init__(settings, credentials)
        if settings.verify is not True:  # a bad CA bundle is refused, verify=False warned of, now
            from ._http.failing import check_verify

            check_verify(settings.verify, stacklevel=3)
        self._transport: Transport | None = transport

    def _default_transport(self) -> Transport:
        """s3wire's SocketTransport, made by the first request (building a client opens no
        connection stack)."""
        import warnings

        from ._http.socket_transport import SocketTransport
        from .errors import InsecureTransportWarning

        settings = self._settings
        with warnings.catch_warnings():  # verify=False was warned of when the client was built
            warnings.simplefilter("ignore", InsecureTransportWarning)
            self._transport = SocketTransport(
                connect_timeout=settings.connect_timeout,
                read_timeout=settings.read_timeout,
                verify=settings.verify,
                max_answer_bytes=settings.max_answer_bytes,
                total_timeout=settings.total_timeout,
                max_idle=settings.max_connections,
            )
        return self._transport

    def _session_signer(
        self, bucket: str, region: str, keys: Credentials
    ) -> Signer | Response[Any, Any]:
        """The signer of the directory bucket's S3 Express session, made with CreateSession
        when there is none (once between threads); CreateSession's answer when it failed."""
        sessions = self._sessions()
        signer = sessions.cached(bucket, keys)
        if signer is not None:
            return signer
        with sessions.lock:
            signer = sessions.cached(bucket, keys)
            if signer is not None:
                return signer
            answer = self._send(create_session(), bucket=bucket)
            return sessions.store(bucket, keys, answer, region) if answer.ok else answer

    def _send(
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
    ) -> Response[Any, Any]:
        """Send one catalog operation's request (see _request.prepare.for_operation) and answer
        its Response; the generated operations call this."""
        if payload is not None and isinstance(payload, AsyncBody):
            raise ParamError("body: an AsyncBody is sent by s3wire.AsyncClient, not Client")
        request = self._prepare(
            operation,
            bucket=bucket,
            key=key,
            query=query,
            headers=headers,
            payload=payload,
            xml=xml,
            host_prefix=host_prefix,
            into=into,
        )
        return self._exchange(request)

    def _exchange(self, request: Prepared) -> Response[Any, Any]:
        """Send a request, try again as _request.attempts decides, answer the last Response."""
        attempts = self._attempts(request)
        transport = self._transport or self._default_transport()
        deadline = attempts.deadline
        sink = cast("Sink | None", request.sink)  # a BodySink: only AsyncClient makes others
        while True:
            keys = self._credentials.get()
            if request.express_session and request.bucket is not None:
                signer = self._session_signer(request.bucket, attempts.region, keys)
                if not isinstance(signer, Signer):
                    return signer  # CreateSession's failure answers the call
            else:
                signer = self._signer(attempts.region, request.signing_name, keys)
            url, headers = request.signed(signer)
            try:
                if deadline is None:  # the common case, and any transport without deadlines
                    sent = transport.send(request.method, url, headers, request.body, sink)
                else:
                    sent = transport.send(
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
            elif step.refresh_credentials and self._credentials.get() is keys:
                self._credentials.refresh()  # unless another thread did already
            elif step.delay is not None:
                time.sleep(step.delay)

    def close(self) -> None:
        """Close the transport (the default one's pooled connections)."""
        if self._transport is not None:
            self._transport.close()
