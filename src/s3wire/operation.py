"""Operation: what the catalog fixes about one S3 operation, baked in by the generator.

Plain slotted classes (no dataclasses: building a client stays light); their attributes are
read-only (Final) for type checkers.
"""

from __future__ import annotations

from typing import Final, Literal

from .xmljson import Schema, XmlElement

FieldKind = Literal["str", "int", "bool", "map"]
Target = Literal["service", "bucket", "object"]


class ResponseField:
    """A response header surfaced as a named, typed value (kind "map" collects a header prefix)."""

    __slots__ = ("header", "kind", "name")
    name: Final[str]
    header: Final[str]
    kind: Final[FieldKind]

    def __init__(self, name: str, header: str, kind: FieldKind) -> None:
        self.name = name
        self.header = header
        self.kind = kind


class Pagination:
    """How a listing asks for its next page.

    While the answer's `more` path is true (or always, without one), each parameter in `tokens`
    takes the first of its answer paths that has a value ("Root.Element", "[-1]" for a list's
    last item); no value at all means the last page.
    """

    __slots__ = ("more", "tokens")
    more: Final[str | None]
    tokens: Final[tuple[tuple[str, tuple[str, ...]], ...]]

    def __init__(self, more: str | None, tokens: tuple[tuple[str, tuple[str, ...]], ...]) -> None:
        self.more = more
        self.tokens = tokens


class Operation:
    """The fixed part of an operation's request and the shape of its answer.

    `creates_bucket`: the bucket is new, so its name must follow S3's rules for new buckets.
    `content_md5`: S3 requires a digest of the body (s3wire sends its Content-MD5);
    `request_checksum`: S3 takes an x-amz-checksum-* of the body (sent by default);
    `response_checksum`: the answer's data is checked against the object's stored checksums,
    which s3wire asks for (x-amz-checksum-mode) by default.
    `directory_bucket`: how a request for an S3 Express directory bucket goes on AWS: None, to
    the bucket's zonal endpoint signed with a CreateSession session; "control", to the region's
    s3express-control endpoint; "no_session", to the zonal endpoint with the client's own keys.
    `error_in_200`: S3 may answer 200 with an <Error> body (the operation failed late); such
    an answer is an error (Response.ok is False).
    """

    __slots__ = (
        "content_md5",
        "creates_bucket",
        "directory_bucket",
        "error_in_200",
        "fields",
        "method",
        "name",
        "paginate",
        "path",
        "query",
        "request_body",
        "request_checksum",
        "response_checksum",
        "response_event_stream",
        "response_payload",
        "response_root",
        "response_schema",
        "target",
    )
    name: Final[str]
    method: Final[str]
    target: Final[Target]
    query: Final[tuple[tuple[str, str], ...]]
    request_body: Final[XmlElement | None]
    content_md5: Final[bool]
    request_checksum: Final[bool]
    response_checksum: Final[bool]
    creates_bucket: Final[bool]
    directory_bucket: Final[str | None]
    error_in_200: Final[bool]
    response_root: Final[str | None]
    response_schema: Final[Schema | None]
    response_payload: Final[bool]
    response_event_stream: Final[bool]
    path: Final[str]
    fields: Final[tuple[ResponseField, ...]]
    paginate: Final[Pagination | None]

    def __init__(
        self,
        name: str,
        method: str,
        target: Target,
        query: tuple[tuple[str, str], ...] = (),
        request_body: XmlElement | None = None,
        content_md5: bool = False,
        response_root: str | None = None,
        response_schema: Schema | None = None,
        response_payload: bool = False,
        response_event_stream: bool = False,
        path: str = "/",
        fields: tuple[ResponseField, ...] = (),
        paginate: Pagination | None = None,
        creates_bucket: bool = False,
        error_in_200: bool = False,
        request_checksum: bool = False,
        response_checksum: bool = False,
        directory_bucket: str | None = None,
    ) -> None:
        self.name = name
        self.method = method
        self.target = target
        self.query = query
        self.request_body = request_body
        self.content_md5 = content_md5
        self.response_root = response_root
        self.response_schema = response_schema
        self.response_payload = response_payload
        self.response_event_stream = response_event_stream
        self.path = path
        self.fields = fields
        self.paginate = paginate
        self.creates_bucket = creates_bucket
        self.error_in_200 = error_in_200
        self.request_checksum = request_checksum
        self.response_checksum = response_checksum
        self.directory_bucket = directory_bucket

    def __repr__(self) -> str:
        return f"Operation({self.name!r}, {self.method} {self.path}, target={self.target!r})"
