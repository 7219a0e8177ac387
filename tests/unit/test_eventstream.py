"""The event-stream decoder, on messages built here byte by byte (AWS's framing, with CRC32s)."""

from __future__ import annotations

import struct
import zlib

import pytest

from s3wire import ResponseError
from s3wire.eventstream import decode


def header(name: str, value: str) -> bytes:
    raw = value.encode()
    return bytes([len(name)]) + name.encode() + b"\x07" + struct.pack(">H", len(raw)) + raw


def message(headers: dict[str, str], payload: bytes = b"") -> bytes:
    block = b"".join(header(name, value) for name, value in headers.items())
    total = 12 + len(block) + len(payload) + 4
    prelude = struct.pack(">II", total, len(block))
    prelude += struct.pack(">I", zlib.crc32(prelude))
    body = prelude + block + payload
    return body + struct.pack(">I", zlib.crc32(body))


def event(kind: str, payload: bytes = b"") -> bytes:
    return message({":message-type": "event", ":event-type": kind}, payload)


STATS = b"<Stats><BytesScanned>12</BytesScanned><BytesReturned>5</BytesReturned></Stats>"


def test_a_select_answer_decodes_into_events() -> None:
    stream = event("Records", b"a,1\n") + event("Records", b"b,2\n") + event("Cont")
    stream += event("Stats", STATS) + event("End")
    assert decode(stream) == [
        {"Records": {"Payload": "a,1\n"}},
        {"Records": {"Payload": "b,2\n"}},
        {"Cont": {}},
        {"Stats": {"Stats": {"BytesScanned": "12", "BytesReturned": "5"}}},
        {"End": {}},
    ]


def test_an_error_message() -> None:
    error = message(
        {":message-type": "error", ":error-code": "InternalError", ":error-message": "boom"}
    )
    assert decode(error) == [{"Error": {"Code": "InternalError", "Message": "boom"}}]


@pytest.mark.parametrize(
    ("damage", "message_text"),
    [
        (lambda data: data[:-1], "cut short"),
        (lambda data: data[:10], "cut short"),
        (lambda data: data[:20] + bytes([data[20] ^ 1]) + data[21:], "CRC32"),
        (lambda data: bytes([data[0] ^ 0x40]) + data[1:], "prelude is damaged"),
    ],
)
def test_damaged_streams_are_refused(damage: object, message_text: str) -> None:
    data = event("Records", b"payload bytes")
    with pytest.raises(ResponseError, match=message_text):
        decode(damage(data))  # type: ignore[operator]
