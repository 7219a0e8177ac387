"""BaseClient: turns an operation plus its arguments into a signed request and a Response."""

from __future__ import annotations

import hashlib
import io
from typing import IO, Any, ClassVar

from requests.structures import CaseInsensitiveDict

from . import eventstream, xmljson
from ._wire import md5_base64
from .config import Settings
from .errors import ParamError
from .operation import Operation, ResponseField
from .response import Response
from .signing import UNSIGNED_PAYLOAD, Signer, canonical_query, encode_path
from .transport import Body, Transport

Payload = bytes | bytearray | memoryview | IO[bytes]
_ERROR_ROOT = "Error"


class BaseClient:
    """The request machinery under the generated operations; see Client for the public face."""

    _ERROR_SCHEMA: ClassVar[xmljson.Schema] = {}

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._signer = Signer(
            settings.access_key,
            settings.secret_key,
            settings.region,
            settings.service,
            settings.session_token,
        )
        self._transport = Transport(
            connect_timeout=settings.connect_timeout,
            read_timeout=settings.read_timeout,
            verify=settings.verify,
        )
        self._netloc = settings.netloc
        self._scheme = settings.scheme

    def _locate(
        self, bucket: str | None, key: str | None, service_path: str = "/"
    ) -> tuple[str, str]:
        """The Host header and the raw (unencoded) path for a bucket and key."""
        if bucket is None:
            return self._netloc, service_path
        if self._settings.uses_virtual_host(bucket):
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
    ) -> Response[Any, Any]:
        """Build, sign and send one operation's request; parse the answer."""
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
            headers["Content-MD5"] = md5_base64(body)
        pairs = list(operation.query)
        if query:
            pairs.extend(query)
        host, raw_path = self._locate(bucket, key, operation.path)
        host = host_prefix + host
        return self._exchange(
            operation.method,
            operation,
            host,
            encode_path(raw_path),
            canonical_query(pairs),
            headers,
            body,
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
    ) -> Response[Any, Any]:
        """Sign and send a request whose path and query are already encoded; parse the answer."""
        if isinstance(body, bytes):
            payload_hash = hashlib.sha256(body).hexdigest()
        elif body is None:
            payload_hash = hashlib.sha256(b"").hexdigest()
        else:
            payload_hash = UNSIGNED_PAYLOAD
        headers.update(self._signer.sign_headers(method, host, path, query, headers, payload_hash))
        headers["Host"] = host
        url = f"{self._scheme}://{host}{path}" + (f"?{query}" if query else "")
        status, answer_headers, content = self._transport.send(method, url, headers, body)
        return _to_response(operation, status, answer_headers, content, self._ERROR_SCHEMA)

    def close(self) -> None:
        """Close the pooled connections."""
        self._transport.close()


def _payload(value: Payload) -> Body:
    """A request body requests can send with a Content-Length (S3 refuses chunked uploads).

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
        start = value.tell()
        remaining = value.seek(0, io.SEEK_END) - start
        value.seek(start)
    except (OSError, ValueError, AttributeError):
        return _read_all(value)
    return value if remaining > 0 else b""


def _read_all(stream: IO[bytes]) -> bytes:
    data = stream.read()
    if not isinstance(data, bytes):
        raise ParamError(f"body must be a binary file object; read() gave {type(data).__name__}")
    return data


def _check_bucket(bucket: object) -> None:
    if not isinstance(bucket, str) or not bucket:
        raise ParamError(f"bucket must be a non-empty str; got {bucket!r}")
    if "/" in bucket or len(bucket) > 255:
        raise ParamError(f"bucket {bucket!r} is not a valid bucket name")


def _check_key(key: object) -> None:
    if not isinstance(key, str) or not key:
        raise ParamError(f"key must be a non-empty str; got {key!r}")
    if len(key.encode("utf-8")) > 1024:
        raise ParamError("key must be at most 1024 bytes in UTF-8")


def _to_response(
    operation: Operation | None,
    status: int,
    headers: CaseInsensitiveDict[str],
    content: bytes,
    error_schema: xmljson.Schema,
) -> Response[Any, Any]:
    parsed: dict[str, Any] = {}
    payload = operation is not None and operation.response_payload and status < 300
    if content and operation is not None and operation.response_event_stream and status < 300:
        parsed = {"Events": eventstream.decode(content)}
    elif content and not payload:
        schemas: dict[str, xmljson.Schema] = {_ERROR_ROOT: error_schema}
        if operation is not None and operation.response_root and operation.response_schema:
            schemas[operation.response_root] = operation.response_schema
        parsed = xmljson.parse(content, schemas)
    fields = _fields(operation.fields, headers) if operation is not None else {}
    return Response(status=status, response=parsed, headers=headers, body=content, fields=fields)


def _fields(specs: tuple[ResponseField, ...], headers: CaseInsensitiveDict[str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for spec in specs:
        if spec.kind == "map":
            prefix = spec.header.lower()
            found = {
                name[len(prefix) :]: value
                for name, value in headers.items()
                if name.lower().startswith(prefix)
            }
            if found:
                values[spec.name] = found
            continue
        raw = headers.get(spec.header)
        if raw is None:
            continue
        if spec.kind == "int":
            values[spec.name] = int(raw) if raw.isdigit() else raw
        elif spec.kind == "bool":
            values[spec.name] = raw.lower() == "true"
        else:
            values[spec.name] = raw
    return values
