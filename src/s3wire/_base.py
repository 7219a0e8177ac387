"""BaseClient: the sync loop that sends an operation's request and answers a Response.

What it sends and what it does with each answer are decided without I/O in s3wire._request
(prepare, answer, attempts); this loop signs each try, hands it to the transport, sleeps
between tries and renews credentials when told to. An async loop is the same walk with await.
"""

from __future__ import annotations

import time
from types import FunctionType
from typing import TYPE_CHECKING, Any, ClassVar

from . import arguments, xmljson
from ._http.transport import Urllib3Transport
from ._request import prepare
from ._request.answer import read_answer
from ._request.attempts import Attempts
from ._request.regions import BucketRegions
from ._request.retry import RetryPolicy
from .config import Settings
from .credentials_api import Credentials, StaticCredentials
from .errors import TransportError
from .signing import Signer

if TYPE_CHECKING:
    from ._auth.express import ExpressSessions
    from .credentials_api import CredentialProvider
    from .operation import Operation
    from .response import Response
    from .sink import Writable
    from .transport_api import Transport

Payload = prepare.Payload
_SIGNER_CACHE = 64  # regions a client keeps a signer for (redirects can name many)


class BaseClient:
    """The request machinery under the generated operations; see Client for the public face."""

    _ERROR_SCHEMA: ClassVar[xmljson.Schema] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """Public methods of subclasses (the operations) refuse unknown or missing parameters
        with ArgumentError: a ParamError naming them, and still a TypeError."""
        super().__init_subclass__(**kwargs)
        for name, member in list(vars(cls).items()):
            if isinstance(member, FunctionType) and not name.startswith("_"):
                setattr(cls, name, arguments.checked(member))

    def __init__(
        self,
        settings: Settings,
        transport: Transport | None = None,
        credentials: CredentialProvider | None = None,
    ) -> None:
        """Requests go through `transport` (closed with the client), by default a
        Urllib3Transport made from the settings' timeouts, verify and max_answer_bytes; they
        are signed with `credentials`' keys, by default the settings' own."""
        self._settings = settings
        if transport is None:
            transport = Urllib3Transport(
                connect_timeout=settings.connect_timeout,
                read_timeout=settings.read_timeout,
                verify=settings.verify,
                max_answer_bytes=settings.max_answer_bytes,
                total_timeout=settings.total_timeout,
            )
        self._transport = transport
        # Fixed keys cannot be renewed: an ExpiredToken answer is final then.
        self._renewable = not isinstance(credentials, StaticCredentials | None)
        if credentials is None:
            keys = Credentials(settings.access_key, settings.secret_key, settings.session_token)
            credentials = StaticCredentials(keys)
        self._credentials = credentials
        self._regions = BucketRegions()
        self._express: ExpressSessions | None = None  # made by the first directory bucket's
        self._signers: dict[tuple[str, str], tuple[Credentials, Signer]] = {}
        self._retry = RetryPolicy(
            settings.max_attempts, settings.retry_base_delay, settings.retry_max_delay
        )

    @property
    def region(self) -> str:
        """The region this client signs for (the connection data's)."""
        return self._settings.region

    @property
    def part_size(self) -> int:
        """The part size transfers use unless given another (the connection data's)."""
        return self._settings.part_size

    @property
    def upload_checksum(self) -> str | None:
        """The checksum uploads carry ("crc32", ...; the connection's checksum_algorithm), or
        None when request_checksum_calculation is when_required (docs/integrity.md)."""
        return self._settings.upload_checksum

    @property
    def md5_with_checksum(self) -> bool:
        """Whether a streamed upload carries its Content-MD5 beside its checksum: yes but on
        AWS's endpoints, as some servers ignore x-amz-checksum-* (docs/integrity.md)."""
        return not self._settings.on_aws

    @property
    def trailing_checksums(self) -> bool:
        """Whether a streamed upload's checksum goes in an aws-chunked trailer (over https to
        AWS), computed as the body is sent: the body is read once."""
        return self._settings.trailing_checksums

    @property
    def asks_checksums(self) -> bool:
        """Whether reads ask for the object's stored checksums (response_checksum_validation
        is when_supported)."""
        return self._settings.response_checksum_validation == "when_supported"

    def _signer(self, region: str, service: str | None, keys: Credentials) -> Signer:
        """A signer for `region` and `service` (None: the connection's) with these credentials
        (renewed ones get a new one)."""
        scope = (region, service or self._settings.service)
        cached = self._signers.get(scope)
        if cached is not None and cached[0] is keys:
            return cached[1]
        if len(self._signers) >= _SIGNER_CACHE:
            self._signers.clear()
        signer = Signer(keys.access_key, keys.secret_key, *scope, keys.session_token)
        self._signers[scope] = (keys, signer)
        return signer

    def _session_signer(
        self, bucket: str, region: str, keys: Credentials
    ) -> Signer | Response[Any, Any]:
        """The signer of the directory bucket's S3 Express session, made with CreateSession
        when there is none (once between threads); CreateSession's answer when it failed."""
        if self._express is None:
            from ._auth.express import ExpressSessions

            self._express = ExpressSessions()
        sessions = self._express
        signer = sessions.cached(bucket, keys)
        if signer is not None:
            return signer
        with sessions.lock:
            signer = sessions.cached(bucket, keys)
            if signer is not None:
                return signer
            from ._generated.records import CREATE_SESSION  # by the first directory bucket's

            answer = self._send(CREATE_SESSION, bucket=bucket)
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
        request = prepare.for_operation(
            self._settings,
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

    def _exchange(self, request: prepare.Prepared) -> Response[Any, Any]:
        """Send a request, try again as _request.attempts decides, answer the last Response."""
        attempts = Attempts(
            request,
            self._retry,
            self._regions.start(request, self._settings.region),
            self._settings.total_timeout,
            renewable=self._renewable or request.express_session,
        )
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
            if step.refresh_credentials and request.express_session and self._express:
                self._express.forget(request.bucket or "")  # its session ended: make another
            elif step.refresh_credentials and self._credentials.get() is keys:
                self._credentials.refresh()  # unless another thread did already
            elif step.delay is not None:
                time.sleep(step.delay)

    def close(self) -> None:
        """Close the transport (the default one's pooled connections)."""
        self._transport.close()
