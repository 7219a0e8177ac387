"""From an operation and its arguments to a request ready to sign: no I/O.

`for_operation` builds a catalog operation's request (checked arguments, body, digests, host
and path); a raw request is a `Prepared` made directly; `Prepared.signed` gives the URL and
headers of one try.
"""

from __future__ import annotations

import io
from typing import IO, TYPE_CHECKING, NamedTuple, cast
from urllib.parse import urlsplit

from .. import integrity, validate, xmljson
from .._checksums.chunked import CONTENT_SHA256, AwsChunked, may_chunk
from .._log import debug
from ..async_body import AsyncBody
from ..errors import ParamError
from ..signing import EMPTY_SHA256, UNSIGNED_PAYLOAD, Signer, canonical_query, encode_path
from ..sink import AsyncBodySink, BodySink, Writable

if TYPE_CHECKING:
    from . import endpoints

if TYPE_CHECKING:
    from ..config import Settings
    from ..operation import Operation
    from ..transport_api import Body

Payload = bytes | bytearray | memoryview | IO[bytes]
"""A request body as callers give it: bytes-like, or a binary file object."""


class Prepared:
    """One request, as it stays across its tries (but the host, on a region redirect).

    `start` is where a streamed body starts (None if unknown: it cannot be rewound then);
    `sink` is where a successful answer's data goes, if not into memory; `bucket` is the
    bucket it is for (None for a raw request or a service operation). `signing_region` and
    `signing_name` are set where the endpoint fixes them (an access point ARN, S3 Express:
    no region redirect then), else None (the client's); `express_session` when the request is
    signed with an S3 Express session's keys for its bucket.
    """

    __slots__ = (
        "body",
        "bucket",
        "express_session",
        "headers",
        "host",
        "method",
        "operation",
        "path",
        "payload_hash",
        "query",
        "scheme",
        "signing_name",
        "signing_region",
        "sink",
        "start",
    )

    def __init__(
        self,
        method: str,
        operation: Operation | None,
        scheme: str,
        host: str,
        path: str,
        query: str,
        headers: dict[str, str],
        body: Body,
        sink: BodySink | AsyncBodySink | None = None,
        bucket: str | None = None,
        place: Place | None = None,
    ) -> None:
        validate.header_fields(headers)
        self.method = method
        self.operation = operation
        self.scheme = scheme
        self.host = host
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.payload_hash = _payload_hash(body)
        self.start = _start_of(body)
        self.sink = sink
        self.bucket = bucket
        self.signing_region = None if place is None else place.signing_region
        self.signing_name = None if place is None else place.signing_name
        self.express_session = place is not None and place.express_session

    def signed(self, signer: Signer) -> tuple[str, dict[str, str]]:
        """The URL and headers of one try, signed afresh (a new x-amz-date)."""
        method, host, path, query = self.method, self.host, self.path, self.query
        headers = dict(self.headers)
        headers.update(
            signer.sign_headers(method, host, path, query, self.headers, self.payload_hash)
        )
        headers["Host"] = host
        url = f"{self.scheme}://{host}{path}" + (f"?{query}" if query else "")
        return url, headers

    def rewind(self) -> bool:
        """Put a streamed body back where it started, and the sink as it was; False when
        either cannot be (no other try then)."""
        if self.sink is not None and not self.sink.rewind():
            debug("the answer's bytes went to a stream that cannot be rewound: not trying again")
            return False
        if self.body is None or isinstance(self.body, bytes):
            return True
        try:
            if self.start is None:
                raise ValueError("its start is unknown")
            self.body.seek(self.start, io.SEEK_SET)
        except (OSError, ValueError, AttributeError):
            debug("the request body cannot be rewound: not trying again")
            return False
        return True


def for_operation(
    settings: Settings,
    operation: Operation,
    *,
    bucket: str | None = None,
    key: str | None = None,
    query: list[tuple[str, str]] | None = None,
    headers: dict[str, str] | None = None,
    payload: Payload | None = None,
    xml: xmljson.BodyValues | None = None,
    host_prefix: str = "",
    into: Writable | AsyncBodySink | None = None,
) -> Prepared:
    """A catalog operation's request: its arguments checked, its body rendered (XML) or taken
    (data) with the digests it needs, its host and path placed.

    `into` (operations whose answer is data) receives a successful answer's bytes as they
    arrive, instead of Response.body: a BodySink is made for it, unless it is AsyncClient's
    AsyncBodySink already.
    """
    if operation.target != "service":
        check_bucket(bucket)
    if operation.target == "object":
        validate.object_key(key)
    headers = dict(headers or {})
    body: Body = None
    if operation.request_body is not None and xml is not None:
        body = xmljson.render(operation.request_body, xml)
        if body is not None:
            headers["Content-Type"] = "application/xml"
    elif payload is not None:
        body = payload_body(payload)
    checksum = settings.upload_checksum if operation.request_checksum else None
    if isinstance(body, AsyncBody):
        pass  # read once, as it is sent: no digest can go before it (AsyncBody.check after)
    elif checksum is not None and settings.trailing_checksums and may_chunk(body, headers):
        chunked = AwsChunked(cast("IO[bytes]", body), checksum)
        headers.update(chunked.headers())
        body = cast("IO[bytes]", chunked)
    elif body is not None:
        headers.update(
            integrity.upload_digests(
                body,
                headers,
                required=operation.content_md5,
                checksum=checksum,
                md5_with_checksum=not settings.on_aws,
            )
        )
    asks = operation.response_checksum and settings.response_checksum_validation == "when_supported"
    if asks and not any(name.lower() == integrity.CHECKSUM_MODE_HEADER for name in headers):
        headers[integrity.CHECKSUM_MODE_HEADER] = "ENABLED"
    pairs = list(operation.query)
    if query:
        pairs.extend(query)
    validate.query_text(pairs)
    validate.part_numbers(pairs, xml)
    place = locate(
        settings,
        bucket,
        key,
        operation.path,
        new=operation.creates_bucket,
        directory_bucket=operation.directory_bucket,
    )
    return Prepared(
        operation.method,
        operation,
        settings.scheme,
        host_prefix + place.host,
        encode_path(place.path),
        canonical_query(pairs),
        headers,
        body,
        _sink(into),
        bucket,
        place,
    )


def _sink(into: Writable | AsyncBodySink | None) -> BodySink | AsyncBodySink | None:
    """Where a successful answer's data goes: None (memory), or a sink writing to `into`."""
    if into is None or isinstance(into, AsyncBodySink):
        return into
    return BodySink(into)


class Place(NamedTuple):
    """Where a request goes: its Host header and raw (unencoded) path, and what it is signed
    for when its endpoint fixes that (None: the client's region and service)."""

    host: str
    path: str
    signing_region: str | None = None
    signing_name: str | None = None
    express_session: bool = False


def locate(
    settings: Settings,
    bucket: str | None,
    key: str | None,
    service_path: str = "/",
    *,
    new: bool = False,
    directory_bucket: str | None = None,
) -> Place:
    """Where a request for a bucket and key goes, under the url's path prefix.

    An access point ARN, and on AWS an S3 Express directory bucket (and the s3express-control
    operations, by the catalog's `directory_bucket`), go where S3's endpoint rules say
    (_request.endpoints). Another bucket name is checked: against S3's rules for new buckets
    when `new` (an operation whose catalog entry says creates_bucket) or when it goes in the
    host name, else only for what any S3 server may hold.
    """
    if _by_endpoint_rules(settings, bucket, directory_bucket):
        return _ruled(settings, bucket, key, service_path, directory_bucket)
    netloc, prefix = settings.netloc, settings.path_prefix
    if bucket is None:
        return Place(netloc, under_prefix(prefix, service_path))
    virtual = settings.uses_virtual_host(bucket)
    validate.bucket_name(bucket, strict=new or virtual)
    if virtual:
        return Place(f"{bucket}.{netloc}", under_prefix(prefix, "/" + (key or "")))
    return Place(netloc, under_prefix(prefix, _bucket_path(bucket, key)))


# The first labels of S3's own regional endpoints (s3.us-west-2.amazonaws.com, s3-fips...,
# s3-accelerate...): a url of another AWS host (a VPC endpoint, s3express-control, a zonal
# endpoint) is used as given, as a custom endpoint is.
_S3_HOST_LABELS = ("s3", "s3-fips", "s3-accelerate")


def endpoint_options(settings: Settings) -> endpoints.Options:
    """The endpoint rules' options for these settings: for S3's own endpoints, FIPS,
    dual-stack and accelerate as the url's host says them; else the url (a custom endpoint)."""
    from . import endpoints  # imported by the first request the endpoint rules place

    use_arn_region = settings.use_arn_region
    if not _s3_endpoint(settings):
        return endpoints.Options(settings.region, settings.url, use_arn_region=use_arn_region)
    host = urlsplit(settings.url).hostname or ""
    return endpoints.Options(
        settings.region,
        use_fips=host.startswith("s3-fips."),
        use_dualstack=".dualstack." in host,
        use_accelerate=host.startswith("s3-accelerate."),
        use_arn_region=use_arn_region,
    )


def _by_endpoint_rules(
    settings: Settings, bucket: str | None, directory_bucket: str | None
) -> bool:
    """Whether S3's endpoint rules place this request: an access point ARN anywhere; on S3's
    own endpoints, a directory bucket's name, or a control operation without a bucket
    (ListDirectoryBuckets)."""
    if bucket is not None and bucket.startswith("arn:"):
        return True
    if not _s3_endpoint(settings):
        return False
    if bucket is None:
        return directory_bucket == "control"
    if not bucket.endswith("--x-s3"):
        return False
    from .endpoints import is_express

    return is_express(bucket)


def _s3_endpoint(settings: Settings) -> bool:
    """Whether the url is one of S3's own regional endpoints (not a custom or VPC one)."""
    return settings.on_aws and settings.netloc.split(".", 1)[0] in _S3_HOST_LABELS


def _ruled(
    settings: Settings,
    bucket: str | None,
    key: str | None,
    service_path: str,
    directory_bucket: str | None,
) -> Place:
    from .endpoints import resolve

    if bucket is not None and not bucket.startswith("arn:"):
        validate.bucket_name(bucket, strict=True)
    found = resolve(endpoint_options(settings), bucket, directory_bucket)
    if found.virtual:
        path = "/" + (key or "")
    else:
        path = service_path if bucket is None else _bucket_path(bucket, key)
    return Place(
        found.host,
        under_prefix(found.path_prefix, path),
        found.signing_region,
        found.signing_name,
        found.express_session,
    )


def _bucket_path(bucket: str, key: str | None) -> str:
    return f"/{bucket}" if key is None else f"/{bucket}/{key}"


def under_prefix(prefix: str, path: str) -> str:
    """A path under the url's path (`prefix`): "/" is the prefix as written, another path
    follows it past its final '/' (as botocore joins them: /s3/ and /bkt give /s3/bkt)."""
    if path == "/" and prefix:
        return prefix
    return prefix.removesuffix("/") + path


def check_bucket(bucket: object) -> None:
    """A bucket is a non-empty str (its name is checked where it is placed: `locate`)."""
    if not isinstance(bucket, str) or not bucket:
        raise ParamError(f"bucket must be a non-empty str; got {bucket!r}")


def payload_body(value: Payload) -> Body:
    """A request body the transport can send with a Content-Length (S3 refuses chunked uploads).

    A seekable file object is streamed from where it stands; an empty one, or a stream that
    cannot seek (a pipe), is read into memory. An AsyncBody (AsyncClient's) is sent as it is.
    """
    if isinstance(value, bytes | AsyncBody):
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
    from ..localfile import local_file

    with local_file("cannot read the body", stream):
        data = stream.read()
    if not isinstance(data, bytes):
        raise ParamError(f"body must be a binary file object; read() gave {type(data).__name__}")
    return data


def _payload_hash(body: Body) -> str:
    """The x-amz-content-sha256 of a body: its SHA-256 when bytes; a stream is not signed
    (an aws-chunked one says so its own way)."""
    if isinstance(body, AwsChunked):
        return CONTENT_SHA256
    if isinstance(body, bytes):
        import hashlib  # imported by the first request with a body, not by building a client

        return hashlib.sha256(body).hexdigest()
    return EMPTY_SHA256 if body is None else UNSIGNED_PAYLOAD


def _start_of(body: Body) -> int | None:
    """Where a streamed body starts, or None (bytes, no body, or a stream that cannot tell)."""
    if body is None or isinstance(body, bytes):
        return None
    try:
        return body.tell()
    except (OSError, ValueError, AttributeError):
        return None
