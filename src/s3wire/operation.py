"""Operation: what the catalog fixes about one S3 operation, baked in by the generator."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .xmljson import Schema, XmlTemplate

FieldKind = Literal["str", "int", "bool", "map"]


@dataclass(frozen=True, slots=True)
class ResponseField:
    """A response header surfaced as a named, typed value (kind "map" collects a header prefix)."""

    name: str
    header: str
    kind: FieldKind


@dataclass(frozen=True, slots=True)
class Operation:
    """The fixed part of an operation's request and the shape of its answer."""

    name: str
    method: str
    target: Literal["service", "bucket", "object"]
    query: tuple[tuple[str, str], ...] = ()
    request_body: XmlTemplate | None = None
    content_md5: bool = False
    response_root: str | None = None
    response_schema: Schema | None = None
    response_payload: bool = False
    fields: tuple[ResponseField, ...] = ()
