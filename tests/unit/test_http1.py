"""s3wire's sans-I/O HTTP/1.1 (s3wire._http.http1): any split of a valid answer parses as the
whole does; malformed framing and oversize heads are refused, answers cut short are
IncompleteAnswerErrors; request heads carry the target and headers as given."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import s3wire
from s3wire._http import http1

TOKEN = st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_"))
NAMES = TOKEN.filter(lambda n: bool(n) and n.lower() not in FRAMING_HEADERS)
VALUES = st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), max_size=40)
FRAMING_HEADERS = {"content-length", "transfer-encoding", "connection"}


@dataclass
class Parsed:
    """What a parser gave: the head's parts, the body, and whether it ended."""

    status: int
    headers: dict[str, str]
    length: int | None
    chunked: bool
    keep_alive: bool
    body: bytes
    ended: bool
    extra: int


def parse(pieces: list[bytes], method: str = "GET", close: bool = False) -> Parsed:
    """Feed the pieces one by one, taking every event between them; close at the end."""
    parser = http1.AnswerParser(method)
    head: http1.Head | None = None
    body, ended = b"", False
    queue = list(pieces)
    while not ended:
        event = parser.next_event()
        if event is http1.NEED_DATA:
            if queue:
                parser.feed(queue.pop(0))
            elif close:
                parser.close()
            else:
                break
        elif event is http1.END:
            ended = True
        elif isinstance(event, http1.Head):
            head = event
        else:
            assert isinstance(event, bytes)
            body += event
    assert head is not None
    for piece in queue:
        parser.feed(piece)
    return Parsed(
        head.status,
        dict(head.headers.items()),
        head.length,
        head.chunked,
        head.keep_alive,
        body,
        ended,
        parser.extra,
    )


@st.composite
def answers(draw: st.DrawFn) -> tuple[bytes, bytes, str, str]:
    """A valid answer: (its bytes, its body, the method, its framing)."""
    method = draw(st.sampled_from(["GET", "PUT", "HEAD"]))
    status = draw(st.sampled_from([200, 204, 206, 304, 403, 404, 500, 503]))
    framing = draw(st.sampled_from(["length", "chunked", "close"]))
    body = draw(st.binary(max_size=3000))
    if method == "HEAD" or status in (204, 304):
        body = b""
    fields = draw(st.lists(st.tuples(NAMES, VALUES), max_size=12))
    lines = [f"HTTP/1.1 {status} Whatever It Says"]
    if draw(st.booleans()):  # an interim answer first
        lines = ["HTTP/1.1 100 Continue", "", *lines]
    lines += [f"{name}: {value}" for name, value in fields]
    if framing == "length":
        lines.append(f"Content-Length: {len(body)}")
        framed = body
    elif framing == "chunked":
        lines.append("Transfer-Encoding: chunked")
        sizes = draw(st.lists(st.integers(1, 700), max_size=8))
        chunks, at = [], 0
        for size in sizes:
            if at < len(body):
                chunks.append(body[at : at + size])
                at += size
        if at < len(body):
            chunks.append(body[at:])
        framed = b"".join(b"%x;ext=1\r\n%s\r\n" % (len(c), c) for c in chunks)
        framed += b"0\r\nx-trailer: t\r\n\r\n"
    else:
        lines.append("Connection: close")
        framed = body
    if method == "HEAD" or status in (204, 304):
        framed = b""
    raw = ("\r\n".join(lines) + "\r\n\r\n").encode() + framed
    return raw, body, method, framing


def split(raw: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({cut % (len(raw) + 1) for cut in cuts})
    bounds = [0, *points, len(raw)]
    return [raw[a:b] for a, b in itertools.pairwise(bounds) if b > a]


@settings(max_examples=400, deadline=None)
@given(answer=answers(), cuts=st.lists(st.integers(0, 10**6), max_size=40))
def test_any_split_of_a_valid_answer_parses_as_the_whole_does(
    answer: tuple[bytes, bytes, str, str], cuts: list[int]
) -> None:
    raw, body, method, framing = answer
    whole = parse([raw], method, close=True)
    pieces = split(raw, cuts)
    assert parse(pieces, method, close=True) == whole
    one_byte_each = [raw[i : i + 1] for i in range(len(raw))]
    assert parse(one_byte_each, method, close=True) == whole
    assert whole.body == body and whole.ended and whole.extra == 0
    assert whole.chunked == (framing == "chunked" and whole.length != 0)


def test_repeated_headers_are_joined_and_found_whatever_their_case() -> None:
    raw = b'HTTP/1.1 200 OK\r\nX-A: 1\r\nx-a: 2\r\nETag: "e"\r\nContent-Length: 0\r\n\r\n'
    parser = http1.AnswerParser("GET")
    parser.feed(raw)
    head = parser.next_event()
    assert isinstance(head, http1.Head)
    assert head.headers["X-A"] == "1, 2" and head.headers["etag"] == '"e"'
    assert "ETAG" in head.headers and list(head.headers) == ["X-A", "ETag", "Content-Length"]
    assert parser.next_event() is http1.END


@pytest.mark.parametrize(
    ("head", "keep_alive"),
    [
        (b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n", True),
        (b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n", False),
        (b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: Keep-Alive, Close\r\n", False),
        (b"HTTP/1.0 200 OK\r\nContent-Length: 0\r\n", False),
        (b"HTTP/1.0 200 OK\r\nContent-Length: 0\r\nConnection: keep-alive\r\n", True),
        (b"HTTP/1.1 200 OK\r\n", False),  # delimited by the close
        (b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n", False),
    ],
)
def test_keep_alive_follows_the_version_the_connection_header_and_the_framing(
    head: bytes, keep_alive: bool
) -> None:
    parser = http1.AnswerParser("GET")
    parser.feed(head + b"\r\n")
    parsed = parser.next_event()
    assert isinstance(parsed, http1.Head) and parsed.keep_alive is keep_alive


def test_answers_without_a_body_end_at_their_head_whatever_their_length_says() -> None:
    for method, status in [("HEAD", 200), ("GET", 204), ("GET", 304)]:
        parser = http1.AnswerParser(method)
        parser.feed(f"HTTP/1.1 {status} X\r\nContent-Length: 1000\r\n\r\n".encode())
        assert isinstance(parser.next_event(), http1.Head)
        assert parser.next_event() is http1.END and parser.extra == 0


MALFORMED = {
    "content-length-and-bad-number": b"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
    "content-length-plus": b"HTTP/1.1 200 OK\r\nContent-Length: +5\r\n\r\n",
    "content-length-hex": b"HTTP/1.1 200 OK\r\nContent-Length: 0x10\r\n\r\n",
    "content-lengths-differ": b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n",
    "content-lengths-listed": b"HTTP/1.1 200 OK\r\nContent-Length: 5, 6\r\n\r\n",
    "gzip-encoding": b"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
    "unknown-encoding": b"HTTP/1.1 200 OK\r\nTransfer-Encoding: identity\r\n\r\n",
    "bad-chunk-size": b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
    "negative-chunk": b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n-5\r\n",
    "huge-chunk": b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + b"f" * 17 + b"\r\n",
    "chunk-overrun": b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n",
    "bad-status-line": b"HTTP/1.1 2OO OK\r\n\r\n",
    "http2": b"HTTP/2 200 OK\r\n\r\n",
    "no-colon": b"HTTP/1.1 200 OK\r\nContent-Length 0\r\n\r\n",
    "space-before-colon": b"HTTP/1.1 200 OK\r\nContent-Length : 0\r\n\r\n",
    "folded-line": b"HTTP/1.1 200 OK\r\nX-A: 1\r\n  folded\r\nContent-Length: 0\r\n\r\n",
    "bare-lf-in-value": b"HTTP/1.1 200 OK\r\nX-A: 1\nX-B: 2\r\nContent-Length: 0\r\n\r\n",
    "switching-protocols": b"HTTP/1.1 101 Switching Protocols\r\n\r\n",
    "long-line": b"HTTP/1.1 200 OK\r\nX-A: " + b"a" * (70 * 1024) + b"\r\n\r\n",
    "many-headers": b"HTTP/1.1 200 OK\r\n" + b"X-A: 1\r\n" * 300 + b"\r\n",
    "endless-head": b"HTTP/1.1 200 OK\r\n" + b"X-A: " + b"a" * 60000 + b"\r\n" + b"X" * 70000,
    "endless-head-lines": b"HTTP/1.1 200 OK\r\n" + (b"X-A: " + b"a" * 1000 + b"\r\n") * 270,
}


@pytest.mark.parametrize("raw", MALFORMED.values(), ids=MALFORMED.keys())
@pytest.mark.parametrize("pieces", [1, 7], ids=["whole", "split"])
def test_malformed_framing_is_refused(raw: bytes, pieces: int) -> None:
    parser = http1.AnswerParser("GET")
    size = -(-len(raw) // pieces)
    with pytest.raises(s3wire.TransportError, match="GET answer is malformed") as raised:
        for at in range(0, len(raw), size):
            parser.feed(raw[at : at + size])
            while (event := parser.next_event()) is not http1.NEED_DATA:
                assert event is not http1.END
    assert not isinstance(raised.value, s3wire.IncompleteAnswerError)


CUT_SHORT = {
    "inside-the-head": b"HTTP/1.1 200 OK\r\nContent-Le",
    "inside-a-length-body": b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhalf.",
    "inside-a-chunk": b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\nhalf.",
    "after-a-chunk": b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab",
    "before-the-last-chunk": b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n",
    "inside-the-trailers": b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX-T: 1",
}


@pytest.mark.parametrize("raw", CUT_SHORT.values(), ids=CUT_SHORT.keys())
def test_an_answer_that_ends_early_is_an_incomplete_answer(raw: bytes) -> None:
    parser = http1.AnswerParser("GET")
    parser.feed(raw)
    parser.close()
    with pytest.raises(s3wire.IncompleteAnswerError, match="GET answer was cut short"):
        while parser.next_event() is not http1.END:
            pass


def test_a_close_before_any_byte_is_a_transport_error_not_an_incomplete_answer() -> None:
    parser = http1.AnswerParser("PUT")
    parser.close()
    with pytest.raises(s3wire.TransportError, match="closed the connection before") as raised:
        parser.next_event()
    assert not isinstance(raised.value, s3wire.IncompleteAnswerError)


def test_bytes_past_the_answer_are_counted_as_extra() -> None:
    parser = http1.AnswerParser("GET")
    parser.feed(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nabHTTP/1.1 200 OK\r\n")
    assert isinstance(parser.next_event(), http1.Head)
    assert parser.next_event() == b"ab" and parser.next_event() is http1.END
    assert parser.extra == len(b"HTTP/1.1 200 OK\r\n")


def test_a_length_body_may_be_read_directly_by_the_caller() -> None:
    parser = http1.AnswerParser("GET")
    parser.feed(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc")
    assert isinstance(parser.next_event(), http1.Head)
    assert parser.direct() == 0  # bytes are buffered: they come as an event first
    assert parser.next_event() == b"abc"
    assert parser.direct() == 7
    parser.received_directly(4)
    with pytest.raises(ValueError):
        parser.received_directly(4)
    parser.received_directly(3)
    assert parser.next_event() is http1.END


def test_once_the_peer_closed_nothing_more_is_expected_directly() -> None:
    parser = http1.AnswerParser("GET")
    parser.feed(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n")
    assert isinstance(parser.next_event(), http1.Head) and parser.direct() == 10
    parser.close()
    assert parser.direct() == 0
    with pytest.raises(s3wire.IncompleteAnswerError, match="10 body bytes to come"):
        parser.next_event()


def test_a_request_head_holds_the_target_and_headers_as_given() -> None:
    head = http1.request_head("GET", "/b/a%2Fb?x=1", {"Host": "h:1", "X-Amz-Date": "d"})
    assert head == b"GET /b/a%2Fb?x=1 HTTP/1.1\r\nHost: h:1\r\nX-Amz-Date: d\r\n\r\n"


@pytest.mark.parametrize(
    ("target", "headers"),
    [
        ("/k\r\nX-Evil: 1", {}),
        ("/k", {"X-A": "1\r\nX-Evil: 2"}),
        ("/k", {"X-A\n": "1"}),
        ("/k", {"X-A": "1\r"}),
        ("/k", {"X-A": "a\0b"}),
        ("/k", {"X-A": "\u20ac"}),
    ],
)
def test_a_request_head_that_would_break_its_framing_is_refused(
    target: str, headers: dict[str, str]
) -> None:
    with pytest.raises(s3wire.TransportError, match="GET request refused") as raised:
        http1.request_head("GET", target, headers)
    assert not raised.value.retryable
