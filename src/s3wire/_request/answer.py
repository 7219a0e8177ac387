"""From a raw answer (status, headers, bytes) to a Response: no I/O.

The body of a data answer that went to a sink is verified there; one held in memory is checked
against the answer's digests; XML is parsed with the operation's schema (an <Error> where the
status, or the operation's error_in_200 flag, says one may be), event streams are decoded, and
the headers the catalog names become typed fields.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from .. import eventstream, integrity, xmljson
from ..response import Response

if TYPE_CHECKING:
    from ..operation import Operation, ResponseField
    from ..transport_api import Headers
    from .prepare import Prepared

ERROR_ROOT = "Error"


def read_answer(
    request: Prepared,
    status: int,
    headers: Headers,
    content: bytes,
    error_schema: xmljson.Schema,
) -> Response[Any, Any]:
    """The Response to one try's answer; a damaged data answer raises ChecksumError."""
    operation, sink = request.operation, request.sink
    if sink is not None and 200 <= status < 300:
        sink.verify()
    elif operation is not None and operation.response_payload:
        integrity.check_object(status, headers, content)
    return to_response(operation, status, headers, content, error_schema)


def to_response(
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
            schemas[ERROR_ROOT] = error_schema
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
        error_in_body=error_in_200 and ERROR_ROOT in parsed,
    )


def error_code(answer: Response[Any, Any]) -> str:
    """The answer's S3 error code ("NoSuchKey"), or "" when it carries none."""
    error = answer.response.get(ERROR_ROOT)
    return str(error.get("Code") or "") if isinstance(error, dict) else ""


def _fields(specs: tuple[ResponseField, ...], headers: Headers) -> dict[str, Any]:
    """The headers the catalog names, typed; one pass over the answer's headers (repeated
    headers come joined with ", ")."""
    values: dict[str, Any] = {}
    if not specs:
        return values
    named, prefixed = _index(specs)
    for name, raw in headers.items():
        low = name.lower()
        spec = named.get(low)
        if spec is not None:
            if spec.kind == "int":
                values[spec.name] = int(raw) if raw.isascii() and raw.isdigit() else raw
            elif spec.kind == "bool":
                values[spec.name] = raw.lower() == "true"
            else:
                values[spec.name] = raw
            continue
        for prefix, spec in prefixed:
            if low.startswith(prefix):
                values.setdefault(spec.name, {})[name[len(prefix) :]] = raw
    return values


@functools.lru_cache(maxsize=1024)
def _index(
    specs: tuple[ResponseField, ...],
) -> tuple[dict[str, ResponseField], tuple[tuple[str, ResponseField], ...]]:
    """An operation's fields by lowercased header name, and its header prefixes (kind "map"),
    made once per operation."""
    named = {spec.header.lower(): spec for spec in specs if spec.kind != "map"}
    prefixed = tuple((spec.header.lower(), spec) for spec in specs if spec.kind == "map")
    return named, prefixed
