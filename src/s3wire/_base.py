"""BaseClient: turns an operation plus its arguments into a signed request and a Response.

Each request is signed afresh for every try; transient failures are retried by the connection's
RetryPolicy (see docs/errors.md), a region redirect is followed once.
"""

from __future__ import annotations

import io
import time
from types import FunctionType
from typing import IO, TYPE_CHECKING, Any, ClassVar

from . import arguments, eventstream, integrity, redirect, validate, xmljson
from ._http.transport import Urllib3Transport
from .config import Settings
from .errors import ParamError, TransportError
from .operation import Operation, ResponseField
from .response import Response
from .retry import RetryPolicy
from .signing import EMPTY_SHA256, UNSIGNED_PAYLOAD, Signer, canonical_query, encode_path
from .sink import BodySink, Writable

if TYPE_CHECKING:
    from .credentials_api import CredentialProvider, Credentials
    from .transport_api import Body, Headers, Transport

Payload = bytes | bytearray | memoryview | IO[bytes]
_ERROR_ROOT = "Error"
_CHECKSUM_PREFIX = "x-amz-checksum-"
# Error codes saying the request's credentials expired: refreshed once, and the request retried.
_EXPIRED_CODES = frozenset({"ExpiredToken", "ExpiredTokenException", "TokenRefreshRequired"})


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
        Urllib3Transport made from the settings' timeouts, verify and max_answer_bytes. They
        are signed with `credentials`' current keys at each try, else the settings' keys."""
        self._settings = settings
        self._credentials = credentials
        # The provider's keys the signer has (None: the settings'), swapped as one.
        self._signing: tuple[Credentials | None, Signer] = (None, self._new_signer(settings.region))
        if transport is None:
            transport = Urllib3Transport(
                connect_timeout=settings.connect_timeout,
                read_timeout=settings.read_timeout,
                verify=settings.verify,
                max_answer_bytes=settings.max_answer_bytes,
                total_timeout=settings.total_timeout,
            )
        self._transport = transport
        self._retry = RetryPolicy(
            settings.max_attempts, settings.retry_base_delay, settings.retry_max_delay
        )
        self._netloc = settings.netloc
        self._scheme = settings.scheme

    @property
    def region(self) -> str:
        """The region this client signs for (the connection data's)."""
        return self._settings.region

    def _new_signer(self, region: str, keys: Credentials | None = None) -> Signer:
        settings = self._settings
        if keys is None:
            return Signer(
                settings.access_key,
                settings.secret_key,
                region,
                settings.service,
                settings.session_token,
            )
        return Signer(
            keys.access_key, keys.secret_key, region, settings.service, keys.session_token
        )

    def _signer_for(self, region: str) -> tuple[Credentials | None, Signer]:
        """A signer for `region` with the current keys, and those keys: the provider's, asked
        at each call (a new Signer when they changed), else the settings' (None)."""
        keys, signer = self._signing
        if self._credentials is not None:
            fresh = self._credentials.get()
            if fresh is not keys:
                keys, signer = fresh, self._new_signer(self._settings.region, fresh)
                self._signing = keys, signer
        return keys, signer if region == signer.region else self._new_signer(region, keys)

    def _expired(self, answer: Response[Any, Any], used: Credentials | None) -> bool:
        """Whether S3 said the keys expired, and the provider gave new ones (refreshed now,
        unless another thread did already)."""
        if self._credentials is None or answer.status not in (400, 401, 403):
            return False
        error = answer.response.get(_ERROR_ROOT)
        if not isinstance(error, dict) or error.get("Code") not in _EXPIRED_CODES:
            return False
        if self._credentials.get() is used:
            self._credentials.refresh()
        return True

    def _locate(
        self, bucket: str | None, key: str | None, service_path: str = "/", *, new: bool = False
    ) -> tuple[str, str]:
        """The Host header and the raw (unencoded) path for a bucket and key.

        The bucket name is checked: against S3's rules for new buckets when `new` (an operation
        whose catalog entry says creates_bucket) or when it goes in the host name, else only for
        what any S3 server may hold.
        """
        if bucket is None:
            return self._netloc, service_path
        virtual = self._settings.uses_virtual_host(bucket)
        validate.bucket_name(bucket, strict=new or virtual)
        if virtual:
            return f"{bucket}.{self._netloc}", "/" + (key or "")
        return self._netloc, f"/{bucket}" if key is None else f"/{bucket}/{key}"

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
        """Build, sign and send one operation's request; parse the answer.

        `into` (operations whose answer is data) receives a successful answer's bytes as they
        arrive, instead of Response.body.
        """
        if operation.target != "service":
            _check_bucket(bucket)
        if operation.target == "object":
            _check_key(key)
        headers = dict(headers or {})
        body: Body = None
        if operation.request_body is not None and xml is not None:
            body = xmljson.render(operation.request_body, xml)
            if body is not None:
                headers["Content-Type"] = "application/xml"
        elif payload is not None:
            body = _payload(payload)
        if body is not None and operation.content_md5 and isinstance(body, bytes):
            headers["Content-MD5"] = integrity.base64_digest((body,))
        elif body is not None and not isinstance(body, bytes) and not _has_digest(headers):
            # A streamed body is not signed: its MD5 lets S3 refuse it when damaged in transit.
            headers["Content-MD5"] = integrity.stream_digest(body)
        pairs = list(operation.query)
        if query:
            pairs.extend(query)
        validate.query_text(pairs)
        validate.part_numbers(pairs, xml)
        host, raw_path = self._locate(bucket, key, operation.path, new=operation.creates_bucket)
        host = host_prefix + host
        return self._exchange(
            operation.method,
            operation,
            host,
            encode_path(raw_path),
            canonical_query(pairs),
            headers,
            body,
            None if into is None else BodySink(into),
        )

    def _exchange(
        self,
        method: str,
        operation: Operation | None,
        host: str,
        path: str,
        query: str,
        headers: dict[str, str],
        body: Body,
        sink: BodySink | None = None,
        scheme: str | None = None,
    ) -> Response[Any, Any]:
        """Sign and send a request whose path and query are already encoded; parse the answer.

        Transient failures are tried again (re-signed, a streamed body rewound to where it
        started, a sink put back as it was) within the retry budget; a region redirect is
        followed once. It goes over `scheme` (default: the connection's).
        """
        validate.header_fields(headers)
        if isinstance(body, bytes):
            import hashlib  # imported by the first request with a body, not by building a client

            payload_hash = hashlib.sha256(body).hexdigest()
        elif body is None:
            payload_hash = EMPTY_SHA256
        else:
            payload_hash = UNSIGNED_PAYLOAD
        request = _Request(
            method,
            operation,
            host,
            path,
            query,
            headers,
            body,
            payload_hash,
            _start_of(body),
            sink,
            scheme or self._scheme,
        )
        signing_region = self._settings.region
        total = self._settings.total_timeout
        deadline = None if total is None else time.monotonic() + total
        tries, redirected, refreshed = 1, False, False
        while True:
            used, signer = self._signer_for(signing_region)
            try:
                answer = self._try(signer, request, deadline)
            except TransportError as exc:
                exc.attempts = tries
                if not (exc.retryable and self._may_retry(request, tries)):
                    raise
                if not self._pause(request, tries, None, exc.message, deadline):
                    raise _out_of_time(exc, total) from None
                tries += 1
                continue
            answer.attempts = tries
            region = None if redirected else redirect.region_to_follow(answer, signer.region)
            if region is not None and request.rewind():
                _debug("following a redirect of %s %s to region %s", method, path, region)
                redirected, signing_region = True, region
                request.host = redirect.host_for_region(request.host, region)
                continue
            if not refreshed and self._expired(answer, used) and request.rewind():
                _debug("%s %s: the credentials expired; retrying with new ones", method, path)
                refreshed, tries = True, tries + 1
                continue
            reason = self._retry.reason(answer)
            if reason is None or not self._may_retry(request, tries):
                return answer
            if not self._pause(request, tries, answer.headers.get("Retry-After"), reason, deadline):
                return answer
            tries += 1

    def _try(self, signer: Signer, request: _Request, deadline: float | None) -> Response[Any, Any]:
        """One try: sign (afresh: a new x-amz-date), send, check and parse the answer; the
        exchange ends by `deadline` (time.monotonic()), if given."""
        method, host, path, query = request.method, request.host, request.path, request.query
        headers = dict(request.headers)
        headers.update(
            signer.sign_headers(method, host, path, query, request.headers, request.payload_hash)
        )
        headers["Host"] = host
        url = f"{request.scheme}://{host}{path}" + (f"?{query}" if query else "")
        sink = request.sink
        body = request.body
        if deadline is None:  # the common case, and any transport without deadlines
            status, answer_headers, content = self._transport.send(method, url, headers, body, sink)
        else:
            status, answer_headers, content = self._transport.send(
                method, url, headers, body, sink, deadline=deadline
            )
        operation = request.operation
        if sink is not None and 200 <= status < 300:
            sink.verify()
        elif operation is not None and operation.response_payload:
            integrity.check_object(status, answer_headers, content)
        return _to_response(operation, status, answer_headers, content, self._ERROR_SCHEMA)

    def _may_retry(self, request: _Request, tries: int) -> bool:
        """Whether the budget allows another try, and the body could be rewound for it."""
        return tries < self._retry.max_attempts and request.rewind()

    def _pause(
        self,
        request: _Request,
        tries: int,
        retry_after: str | None,
        reason: str,
        deadline: float | None,
    ) -> bool:
        """Wait before the next try, saying why at DEBUG (the path only: no query, no headers);
        False, without waiting, when the wait would end past `deadline`."""
        delay = self._retry.delay(tries, retry_after)
        if deadline is not None and time.monotonic() + delay >= deadline:
            _debug(
                "not retrying %s %s: total_timeout leaves no time for another try: %s",
                request.method,
                request.path,
                reason,
            )
            return False
        _debug(
            "retrying %s %s (try %d of %d) in %.3f s: %s",
            request.method,
            request.path,
            tries + 1,
            self._retry.max_attempts,
            delay,
            reason,
        )
        time.sleep(delay)
        return True

    def close(self) -> None:
        """Close the transport (the default one's pooled connections)."""
        self._transport.close()


class _Request:
    """What stays the same across the tries of one request (but the host, on a redirect).

    `start` is where a streamed body starts (None if unknown: it cannot be rewound then);
    `sink` is where a successful answer's data goes, if not into memory.
    """

    __slots__ = (
        "body",
        "headers",
        "host",
        "method",
        "operation",
        "path",
        "payload_hash",
        "query",
        "scheme",
        "sink",
        "start",
    )

    def __init__(
        self,
        method: str,
        operation: Operation | None,
        host: str,
        path: str,
        query: str,
        headers: dict[str, str],
        body: Body,
        payload_hash: str,
        start: int | None,
        sink: BodySink | None,
        scheme: str,
    ) -> None:
        self.method = method
        self.operation = operation
        self.host = host
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.payload_hash = payload_hash
        self.start = start
        self.sink = sink
        self.scheme = scheme

    def rewind(self) -> bool:
        """Put a streamed body back where it started, and the sink as it was; False when
        either cannot be (no retry then)."""
        if self.sink is not None and not self.sink.rewind():
            _debug("the answer's bytes went to a stream that cannot be rewound: not trying again")
            return False
        if self.body is None or isinstance(self.body, bytes):
            return True
        try:
            if self.start is None:
                raise ValueError("its start is unknown")
            self.body.seek(self.start, io.SEEK_SET)
        except (OSError, ValueError, AttributeError):
            _debug("the request body cannot be rewound: not trying again")
            return False
        return True


def _out_of_time(failure: TransportError, total: float | None) -> TransportError:
    """The last try's failure, of its kind and cause, when total_timeout leaves no time for
    another."""
    error = type(failure)(
        f"{failure.message}; total_timeout ({total} s) leaves no time for another try",
        retryable=False,
    )
    error.attempts = failure.attempts
    error.__cause__ = failure.__cause__
    return error


def _debug(message: str, *args: object) -> None:
    """Log to the s3wire logger at DEBUG; logging is imported when there is something to say."""
    import logging

    logging.getLogger("s3wire").debug(message, *args)


def _start_of(body: Body) -> int | None:
    """Where a streamed body starts, or None (bytes, no body, or a stream that cannot tell)."""
    if body is None or isinstance(body, bytes):
        return None
    try:
        return body.tell()
    except (OSError, ValueError, AttributeError):
        return None


def _has_digest(headers: dict[str, str]) -> bool:
    """Whether the caller gave a Content-MD5 or an x-amz-checksum-* value already."""
    return any(
        name.lower() == "content-md5" or name.lower().startswith(_CHECKSUM_PREFIX)
        for name in headers
    )


def _payload(value: Payload) -> Body:
    """A request body the transport can send with a Content-Length (S3 refuses chunked uploads).

    A seekable file object is streamed from where it stands; an empty one, or a stream that
    cannot seek (a pipe), is read into memory.
    """
    if isinstance(value, bytes):
        return value
    if isinstance(value, bytearray | memoryview):
        return bytes(value)
    if not hasattr(value, "read"):
        raise ParamError(f"body must be bytes or a binary file object, not {type(value).__name__}")
    try:
        remaining = integrity.bytes_left(value)
    except (OSError, ValueError, AttributeError):
        return _read_all(value)
    return value if remaining > 0 else b""


def _read_all(stream: IO[bytes]) -> bytes:
    """A stream that cannot seek (a pipe), read whole; its failure is a LocalFileError."""
    from .localfile import local_file

    with local_file("cannot read the body", stream):
        data = stream.read()
    if not isinstance(data, bytes):
        raise ParamError(f"body must be a binary file object; read() gave {type(data).__name__}")
    return data


def _check_bucket(bucket: object) -> None:
    """A bucket is a non-empty str (its name is checked where it is placed: `_locate`)."""
    if not isinstance(bucket, str) or not bucket:
        raise ParamError(f"bucket must be a non-empty str; got {bucket!r}")


def _check_key(key: object) -> None:
    validate.object_key(key)


def _to_response(
    operation: Operation | None,
    status: int,
    headers: Headers,
    content: bytes,
    error_schema: xmljson.Schema,
) -> Response[Any, Any]:
    """The Response to an answer. A 2xx answer is an error only for an operation whose catalog
    entry says error_in_200 and whose body is an <Error>; any other's is read as a success."""
    parsed: dict[str, Any] = {}
    success = status < 300
    payload = operation is not None and operation.response_payload and success
    error_in_200 = operation is not None and operation.error_in_200 and success
    if content and operation is not None and operation.response_event_stream and success:
        parsed = {"Events": eventstream.decode(content)}
    elif content and not payload:
        schemas: dict[str, xmljson.Schema] = {}
        if not success or error_in_200:
            schemas[_ERROR_ROOT] = error_schema
        if operation is not None and operation.response_root and operation.response_schema:
            schemas[operation.response_root] = operation.response_schema
        # A success answer must be XML; an error answer may be a proxy's HTML page, and any
        # answer to a raw request() may be data.
        must_be_xml = operation is not None and success
        parsed = xmljson.parse(content, schemas, must_be_xml=must_be_xml)
    fields = _fields(operation.fields, headers) if operation is not None else {}
    return Response(
        status=status,
        response=parsed,
        headers=headers,
        body=content,
        fields=fields,
        error_in_body=error_in_200 and _ERROR_ROOT in parsed,
    )


def _fields(specs: tuple[ResponseField, ...], headers: Headers) -> dict[str, Any]:
    """The headers the catalog names, typed; one pass over the answer's headers."""
    values: dict[str, Any] = {}
    if not specs:
        return values
    # name (lowercased) -> (name as sent, value): repeated headers come joined with ", ".
    lowered = {name.lower(): (name, headers[name]) for name in headers}
    for spec in specs:
        if spec.kind == "map":
            prefix = spec.header.lower()
            found = {
                name[len(prefix) :]: value
                for low, (name, value) in lowered.items()
                if low.startswith(prefix)
            }
            if found:
                values[spec.name] = found
            continue
        entry = lowered.get(spec.header.lower())
        if entry is None:
            continue
        raw = entry[1]
        if spec.kind == "int":
            values[spec.name] = int(raw) if raw.isascii() and raw.isdigit() else raw
        elif spec.kind == "bool":
            values[spec.name] = raw.lower() == "true"
        else:
            values[spec.name] = raw
    return values
