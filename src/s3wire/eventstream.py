"""AWS event streams (SelectObjectContent's answer): binary messages decoded into events.

A message is a prelude (total length, headers length, CRC32 of those eight bytes), headers
(name, type, value), a payload, and a CRC32 of everything before it. Each decoded event is
{event type: content}: Records carry text, Stats/Progress an XML document parsed like any answer,
Cont and End nothing; an error message becomes {"Error": {"Code", "Message"}}.

The stream comes from the server and is not trusted: every length in it is checked against the
bytes that hold it before it is used, each message takes at least its 16 bytes of framing (so
decoding always moves on), and anything malformed is a ResponseError.
"""

from __future__ import annotations

import struct
import zlib
from typing import Any

from .errors import ResponseError
from .xmljson import parse

_PRELUDE = struct.Struct(">III")
_CRC = struct.Struct(">I")
_VALUE_LENGTH = struct.Struct(">H")
# The least a message can be: its prelude and its closing CRC32, with no headers or payload.
_FRAMING = _PRELUDE.size + _CRC.size
# Header value types: their fixed sizes (true, false, byte, short, int, long, timestamp, uuid);
# 6 (bytes) and 7 (string) carry a two-byte length before the value.
_FIXED_SIZES = {0: 0, 1: 0, 2: 1, 3: 2, 4: 4, 5: 8, 8: 8, 9: 16}
_BYTES, _STRING = 6, 7


def decode(data: bytes) -> list[dict[str, Any]]:
    """Every event of a whole event stream, in order; a damaged stream raises ResponseError."""
    view = memoryview(data)
    events = []
    offset = 0
    while offset < len(view):
        headers, payload, offset = _message(view, offset)
        events.append(_event(headers, payload))
    return events


def _message(data: memoryview, offset: int) -> tuple[dict[str, object], bytes, int]:
    """The headers and payload of the message at `offset`, and where the next one starts."""
    available = len(data) - offset
    if available < _FRAMING:
        raise ResponseError("event stream cut short inside a message prelude")
    total, headers_length, prelude_crc = _PRELUDE.unpack_from(data, offset)
    if zlib.crc32(data[offset : offset + 8]) != prelude_crc:
        raise ResponseError("event stream message prelude is damaged")
    if total < _FRAMING:
        raise ResponseError(
            f"event stream message declares {total} bytes, fewer than its {_FRAMING} of framing"
        )
    if total > available:
        raise ResponseError(
            f"event stream cut short inside a message: {total} bytes declared, {available} left"
        )
    if headers_length > total - _FRAMING:
        raise ResponseError(
            f"event stream message declares {headers_length} bytes of headers "
            f"in a message of {total}"
        )
    end = offset + total
    (message_crc,) = _CRC.unpack_from(data, end - _CRC.size)
    if zlib.crc32(data[offset : end - _CRC.size]) != message_crc:
        raise ResponseError("event stream message failed its CRC32 check")
    headers_start = offset + _PRELUDE.size
    payload_start = headers_start + headers_length
    headers = _headers(data[headers_start:payload_start])
    return headers, bytes(data[payload_start : end - _CRC.size]), end


def _headers(block: memoryview) -> dict[str, object]:
    """A message's header block as {name: value}; each field must lie inside the block."""
    headers: dict[str, object] = {}
    position = 0
    while position < len(block):
        name_length = block[position]
        name = _text(_take(block, position + 1, name_length, "header name"), "header name")
        position += 1 + name_length
        (kind,) = _take(block, position, 1, f"header {name!r} type")
        headers[name], position = _value(block, position + 1, name, kind)
    return headers


def _value(block: memoryview, position: int, name: str, kind: int) -> tuple[object, int]:
    """The value of header `name` of type `kind` starting at `position`, and where it ends."""
    if kind in (_BYTES, _STRING):
        (size,) = _VALUE_LENGTH.unpack(_take(block, position, 2, f"header {name!r} length"))
        raw = _take(block, position + 2, size, f"header {name!r} value")
        value: object = _text(raw, f"header {name!r}") if kind == _STRING else bytes(raw)
        return value, position + 2 + size
    size = _FIXED_SIZES.get(kind)
    if size is None:
        raise ResponseError(f"event stream header {name!r} has an unknown type {kind}")
    if kind in (0, 1):
        return kind == 0, position
    return bytes(_take(block, position, size, f"header {name!r} value")), position + size


def _take(block: memoryview, start: int, size: int, what: str) -> memoryview:
    """`size` bytes of `block` from `start`, or ResponseError if they run past its end."""
    if start + size > len(block):
        raise ResponseError(f"event stream {what} runs past the end of its header block")
    return block[start : start + size]


def _text(raw: memoryview, what: str) -> str:
    try:
        return str(raw, "utf-8")
    except UnicodeDecodeError:
        raise ResponseError(f"event stream {what} is not UTF-8") from None


def _event(headers: dict[str, object], payload: bytes) -> dict[str, Any]:
    if headers.get(":message-type") == "error":
        code, message = headers.get(":error-code", ""), headers.get(":error-message", "")
        return {"Error": {"Code": str(code), "Message": str(message)}}
    kind = str(headers.get(":event-type", ""))
    if kind == "Records":
        return {"Records": {"Payload": payload.decode("utf-8", errors="replace")}}
    if not payload:
        return {kind: {}}
    return {kind: parse(payload, {})}
