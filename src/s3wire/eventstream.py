"""AWS event streams (SelectObjectContent's answer): binary messages decoded into events.

A message is a prelude (total length, headers length, CRC32 of those eight bytes), headers
(name, type, value), a payload, and a CRC32 of everything before it. Each decoded event is
{event type: content}: Records carry text, Stats/Progress an XML document parsed like any answer,
Cont and End nothing; an error message becomes {"Error": {"Code", "Message"}}.
"""

from __future__ import annotations

import struct
import zlib
from typing import Any

from .errors import ResponseError
from .xmljson import parse

_PRELUDE = struct.Struct(">III")
_CRC = struct.Struct(">I")
# Header value types: their fixed sizes, or None for the length-prefixed ones (bytes, string).
_FIXED_SIZES = {0: 0, 1: 0, 2: 1, 3: 2, 4: 4, 5: 8, 8: 8, 9: 16}
_LENGTH_PREFIXED = (6, 7)


def decode(data: bytes) -> list[dict[str, Any]]:
    """Every event of a whole event stream, in order; a damaged stream raises ResponseError."""
    events = []
    offset = 0
    while offset < len(data):
        headers, payload, offset = _message(data, offset)
        events.append(_event(headers, payload))
    return events


def _message(data: bytes, offset: int) -> tuple[dict[str, object], bytes, int]:
    if len(data) - offset < _PRELUDE.size + _CRC.size:
        raise ResponseError("event stream cut short inside a message prelude")
    total, headers_length, prelude_crc = _PRELUDE.unpack_from(data, offset)
    end = offset + total
    if zlib.crc32(data[offset : offset + 8]) != prelude_crc:
        raise ResponseError("event stream message prelude is damaged")
    if end > len(data):
        raise ResponseError("event stream cut short inside a message")
    (message_crc,) = _CRC.unpack_from(data, end - 4)
    if zlib.crc32(data[offset : end - 4]) != message_crc:
        raise ResponseError("event stream message failed its CRC32 check")
    headers_start = offset + _PRELUDE.size
    payload_start = headers_start + headers_length
    headers = _headers(data[headers_start:payload_start])
    return headers, data[payload_start : end - 4], end


def _headers(block: bytes) -> dict[str, object]:
    headers: dict[str, object] = {}
    position = 0
    while position < len(block):
        name_length = block[position]
        name = block[position + 1 : position + 1 + name_length].decode("utf-8")
        kind = block[position + 1 + name_length]
        position += 2 + name_length
        if kind in _LENGTH_PREFIXED:
            (size,) = struct.unpack_from(">H", block, position)
            raw = block[position + 2 : position + 2 + size]
            headers[name] = raw.decode("utf-8") if kind == 7 else raw
            position += 2 + size
        elif kind in _FIXED_SIZES:
            size = _FIXED_SIZES[kind]
            headers[name] = kind == 0 if kind in (0, 1) else block[position : position + size]
            position += size
        else:
            raise ResponseError(f"event stream header {name!r} has an unknown type {kind}")
    return headers


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
