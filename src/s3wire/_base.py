"""BaseClient: the sync loop that sends an operation's request and answers a Response.

What it sends and what it does with each answer are decided without I/O in s3wire._request
(prepare, answer, attempts) and s3wire._core; this loop signs each try, hands it to the
transport, sleeps between tries and renews credentials when told to. AsyncBaseClient
(s3wire._async_base) is the same walk with await.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from . import xmljson
from ._core import ClientCore, Payload, create_session
from ._http.transport import Urllib3Transport
from ._request.answer import read_answer
from .config import Settings
from .errors import TransportError
from .signing import Signer

if TYPE_CHECKING:
    from ._request.prepare import Prepared
    from .credentials_api import CredentialProvider, Credentials
    from .operation import Operation
    from .response import Response
    from .sink import Writable
    from .transport_api import Transport

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
        Urllib3Transport made from the settings' timeouts, verify and max_answer_bytes; they
        are signed with `credentials`' keys, by default the settings' own."""
        super().__init__(settings, credentials)
        if transport is None:
            transport = Urllib3Transport(
                connect_timeout=settings.connect_timeout,
                read_timeout=settings.read_timeout,
                verify=settings.verify,
                max_answer_bytes=settings.max_answer_bytes,
                total_timeout=settings.total_timeout,
            )
        self._transport = transport

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
        transport, deadline = self._transport, attempts.deadline
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
                    sent = transport.send(request.method, url, headers, request.body, request.sink)
                else:
                    sent = transport.send(
                        request.method, url, headers, request.body, request.sink, deadline=deadline
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
        self._transport.close()
