"""The event-stream decoder, on messages built here byte by byte (AWS's framing, with CRC32s)."""

from __future__ import annotations

import signal
import struct
import tracemalloc
import zlib
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from requests.structures import CaseInsensitiveDict

from s3wire import ResponseError
from s3wire._generated.records import OPERATIONS
from s3wire._request.answer import to_response
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


# --- hostile streams: every length checked, always progress, bounded time and memory ---------


class Hung(Exception):
    """decode() ran past its time budget."""


def _alarm(signum: int, frame: object) -> None:
    raise Hung


def bounded_decode(data: bytes, seconds: float = 1.0) -> list[dict[str, Any]] | ResponseError:
    """decode(data) under a wall-clock alarm and tracemalloc: its events or its ResponseError.

    Fails the test if decoding hangs or allocates more than a small multiple of the input.
    """
    previous = signal.signal(signal.SIGALRM, _alarm)
    tracemalloc.start()
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        result: list[dict[str, Any]] | ResponseError = decode(data)
    except ResponseError as exc:
        result = exc
    except Hung:
        pytest.fail(f"decode did not finish within {seconds}s on {len(data)} bytes")
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    # The events hold copies of payloads and headers (text at most 4 bytes a character), plus
    # the fixed cost of an XML parser for a Stats payload.
    assert peak <= 8 * len(data) + 256 * 1024, f"{peak} bytes allocated for {len(data)}"
    return result


def frame(
    block: bytes, payload: bytes, total: int | None = None, lengths: int | None = None
) -> bytes:
    """A message with valid CRCs whose prelude declares `total` and `lengths` (by default the
    true sizes): the CRCs pass, so the decoder's length checks are what stands."""
    true_total = 16 + len(block) + len(payload)
    prelude = struct.pack(
        ">II", true_total if total is None else total, len(block) if lengths is None else lengths
    )
    prelude += struct.pack(">I", zlib.crc32(prelude))
    body = prelude + block + payload
    return body + struct.pack(">I", zlib.crc32(body))


@pytest.mark.parametrize("after", [b"", event("End")], ids=["alone", "before-a-message"])
def test_a_zero_length_message_is_refused(after: bytes) -> None:
    result = bounded_decode(frame(b"", b"", total=0) + after)
    assert isinstance(result, ResponseError)
    assert "declares 0 bytes, fewer than its 16 of framing" in str(result)


@pytest.mark.parametrize("total", [0, 1, 12, 15])
def test_a_message_shorter_than_its_framing_is_refused(total: int) -> None:
    result = bounded_decode(frame(b"", b"", total=total))
    assert isinstance(result, ResponseError)


def test_a_header_value_running_past_its_block_is_refused() -> None:
    block = header(":event-type", "Records")
    overrun = block[: -len("Records") - 2] + struct.pack(">H", 200) + b"Records"
    result = bounded_decode(frame(overrun, b"a,1\n"))
    assert isinstance(result, ResponseError)
    assert "header ':event-type' value runs past the end of its header block" in str(result)


def test_a_header_name_running_past_its_block_is_refused() -> None:
    result = bounded_decode(frame(b"\x20:event", b""))
    assert isinstance(result, ResponseError)
    assert "header name runs past" in str(result)


@pytest.mark.parametrize("cut", [1, 2, 3])
def test_a_header_cut_before_its_type_or_length_is_refused(cut: int) -> None:
    block = header(":event-type", "")
    result = bounded_decode(frame(block[: len(block) - cut], b""))
    assert isinstance(result, ResponseError)
    assert "runs past the end of its header block" in str(result)


@pytest.mark.parametrize("lengths", [6, 100, 2**32 - 1])
def test_headers_longer_than_the_message_are_refused(lengths: int) -> None:
    result = bounded_decode(frame(b"", b"12345", lengths=lengths) + event("End"))
    assert isinstance(result, ResponseError)
    assert "bytes of headers in a message of 21" in str(result)


def test_a_total_beyond_the_data_is_refused() -> None:
    result = bounded_decode(frame(b"", b"abc", total=2**32 - 1))
    assert isinstance(result, ResponseError)
    assert "cut short inside a message" in str(result)


def test_an_unknown_header_type_is_refused() -> None:
    result = bounded_decode(frame(b"\x01x\x0a", b""))
    assert isinstance(result, ResponseError)
    assert "unknown type 10" in str(result)


@pytest.mark.parametrize(
    "block",
    [b"\x02\xff\xfe\x07\x00\x00", b"\x01x\x07\x00\x02\xc3\x28"],
    ids=["name", "value"],
)
def test_header_text_that_is_not_utf8_is_refused(block: bytes) -> None:
    result = bounded_decode(frame(block, b""))
    assert isinstance(result, ResponseError)
    assert "is not UTF-8" in str(result)


def test_every_header_type_decodes() -> None:
    block = b"".join(
        [
            b"\x01t\x00",
            b"\x01f\x01",
            b"\x01b\x02\x07",
            b"\x01s\x03\x00\x07",
            b"\x01i\x04" + bytes(4),
            b"\x01l\x05" + bytes(8),
            b"\x01y\x06\x00\x02\x00\xff",
            b"\x01m\x08" + bytes(8),
            b"\x01u\x09" + bytes(16),
            header(":event-type", "Cont"),
        ]
    )
    assert bounded_decode(frame(block, b"")) == [{"Cont": {}}]


def test_a_select_answer_with_a_malformed_stream_is_a_response_error() -> None:
    select = OPERATIONS["select_object_content"]
    with pytest.raises(ResponseError, match="runs past the end of its header block"):
        to_response(select, 200, CaseInsensitiveDict(), frame(b"\x01x\x07\x00\x09", b""), {})


header_values = st.one_of(
    st.tuples(st.sampled_from([0, 1]), st.just(b"")),
    st.tuples(st.just(2), st.binary(min_size=1, max_size=1)),
    st.tuples(st.just(3), st.binary(min_size=2, max_size=2)),
    st.tuples(st.just(4), st.binary(min_size=4, max_size=4)),
    st.tuples(st.sampled_from([5, 8]), st.binary(min_size=8, max_size=8)),
    st.tuples(st.just(9), st.binary(min_size=16, max_size=16)),
    st.tuples(st.just(6), st.binary(max_size=20).map(lambda v: struct.pack(">H", len(v)) + v)),
    st.tuples(
        st.just(7),
        st.text(max_size=10).map(lambda t: struct.pack(">H", len(t.encode())) + t.encode()),
    ),
)
header_blocks = st.lists(
    st.tuples(
        st.text(min_size=1, max_size=8).filter(lambda n: len(n.encode()) < 256), header_values
    ),
    max_size=4,
).map(
    lambda items: b"".join(
        bytes([len(n.encode())]) + n.encode() + bytes([kind]) + raw for n, (kind, raw) in items
    )
)
kinds = st.sampled_from(["Records", "Cont", "End", "Progress"])
records = st.tuples(kinds, st.binary(max_size=40))
valid_streams = st.lists(
    st.tuples(header_blocks, records).map(
        lambda item: frame(
            item[0] + header(":event-type", item[1][0]),
            item[1][1] if item[1][0] == "Records" else b"",
        )
    ),
    min_size=1,
    max_size=5,
).map(b"".join)


@settings(derandomize=True, max_examples=300, deadline=None)
@given(data=st.binary(max_size=300))
def test_any_bytes_decode_or_are_refused(data: bytes) -> None:
    result = bounded_decode(data)
    assert isinstance(result, (list, ResponseError))


@settings(derandomize=True, max_examples=300, deadline=None)
@given(
    block=st.binary(max_size=60),
    payload=st.binary(max_size=60),
    total=st.one_of(
        st.none(), st.sampled_from([0, 1, 15, 16, 2**31, 2**32 - 1]), st.integers(0, 200)
    ),
    lengths=st.one_of(st.none(), st.sampled_from([0, 2**16, 2**32 - 1]), st.integers(0, 200)),
    tail=st.binary(max_size=60),
)
def test_any_framing_with_valid_crcs_decodes_or_is_refused(
    block: bytes, payload: bytes, total: int | None, lengths: int | None, tail: bytes
) -> None:
    result = bounded_decode(frame(block, payload, total, lengths) + tail)
    assert isinstance(result, (list, ResponseError))


@settings(derandomize=True, max_examples=200, deadline=None)
@given(items=st.lists(records, min_size=1, max_size=6))
def test_valid_streams_round_trip(items: list[tuple[str, bytes]]) -> None:
    stream = b"".join(event(kind, payload if kind == "Records" else b"") for kind, payload in items)
    expected: list[dict[str, Any]] = [
        {"Records": {"Payload": payload.decode("utf-8", errors="replace")}}
        if kind == "Records"
        else {kind: {}}
        for kind, payload in items
    ]
    assert bounded_decode(stream) == expected


def _set_length(stream: bytes, at: int, field: int, value: int) -> bytes:
    """`stream` with the prelude field `field` (0 total, 1 headers) of the message at `at` set to
    `value` and its prelude CRC made to match."""
    prelude = bytearray(stream[at : at + 8])
    prelude[4 * field : 4 * field + 4] = struct.pack(">I", value)
    return stream[:at] + bytes(prelude) + struct.pack(">I", zlib.crc32(prelude)) + stream[at + 12 :]


@settings(derandomize=True, max_examples=300, deadline=None)
@given(stream=valid_streams, data=st.data())
def test_mutated_valid_streams_decode_or_are_refused(stream: bytes, data: st.DataObject) -> None:
    assert isinstance(bounded_decode(stream), list)
    starts, at = [], 0
    while at < len(stream):
        starts.append(at)
        at += struct.unpack_from(">I", stream, at)[0]
    mutation = data.draw(st.sampled_from(["truncate", "flip", "length"]))
    if mutation == "truncate":
        mutated = stream[: data.draw(st.integers(0, len(stream) - 1))]
    elif mutation == "flip":
        bit = data.draw(st.integers(0, len(stream) * 8 - 1))
        flipped = bytes([stream[bit // 8] ^ (1 << bit % 8)])
        mutated = stream[: bit // 8] + flipped + stream[bit // 8 + 1 :]
    else:
        value = data.draw(
            st.one_of(st.sampled_from([0, 2**32 - 1]), st.integers(0, len(stream) + 20))
        )
        at, field = data.draw(st.sampled_from(starts)), data.draw(st.integers(0, 1))
        mutated = _set_length(stream, at, field, value)
    result = bounded_decode(mutated)
    assert isinstance(result, (list, ResponseError))
    if mutation == "truncate":  # a stream cut between messages is a shorter stream
        assert isinstance(result, list) == (len(mutated) in starts)
