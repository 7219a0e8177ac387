"""Operation: what the catalog fixes about one S3 operation, baked in by the generator."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .xmljson import Schema, XmlElement

FieldKind = Literal["str", "int", "bool", "map"]


@dataclass(frozen=True, slots=True)
class ResponseField:
    """A response header surfaced as a named, typed value (kind "map" collects a header prefix)."""

    name: str
    header: str
    kind: FieldKind


@dataclass(frozen=True, slots=True)
class Pagination:
    """How a listing asks for its next page.

    While the answer's `more` path is true (or always, without one), each parameter in `tokens`
    takes the first of its answer paths that has a value ("Root.Element", "[-1]" for a list's
    last item); no value at all means the last page.
    """

    more: str | None
    tokens: tuple[tuple[str, tuple[str, ...]], ...]


@dataclass(frozen=True, slots=True)
class Operation:
    """The fixed part of an operation's request and the shape of its answer."""

    name: str
    method: str
    target: Literal["service", "bucket", "object"]
    query: tuple[tuple[str, str], ...] = ()
    request_body: XmlElement | None = None
    content_md5: bool = False
    response_root: str | None = None
    response_schema: Schema | None = None
    response_payload: bool = False
    response_event_stream: bool = False
    path: str = "/"
    fields: tuple[ResponseField, ...] = ()
    paginate: Pagination | None = None
