"""HTTP/1.1 without I/O: a request's head as bytes, an answer parsed from the bytes fed to it.

Nothing here touches a socket, so the sync SocketTransport and an asyncio transport share it.
`request_head` renders the bytes to send; an `AnswerParser` takes the bytes that arrive
(`feed`, `close` at the peer's end) and gives events (`next_event`): one `Head`, the body's
bytes as they come, then `END`; `NEED_DATA` while it waits. Interim answers (1xx) are skipped.
The framing is strict: a head over the limits, a malformed line, a Content-Length that is not
one non-negative number, a Transfer-Encoding other than chunked, a bad chunk are refused
(TransportError); an answer that ends early is an IncompleteAnswerError.
"""

from __future__ import annotations

import enum
import functools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import IncompleteAnswerError, TransportError


@dataclass(frozen=True)
class Limits:
    """How much of an answer's head is read before it is refused."""

    line: int = 64 * 1024  # bytes in the status line or one header line (http.client's)
    headers: int = 256  # header fields (trailers of a chunked body count too)
    head: int = 256 * 1024  # bytes of the whole head, or of the trailers
    chunk_line: int = 4096  # bytes in one chunk-size line (extensions included)


LIMITS = Limits()
_STATUS = re.compile(rb"HTTP/1\.([01]) ([1-9][0-9][0-9])(?: ([^\r\n]*))?")
_HEX = re.compile(rb"[0-9A-Fa-f]{1,16}")
_TOKEN_CHARS = rb"[!#$%&'*+\-.^_`|~0-9A-Za-z]"
_TOKEN = re.compile(_TOKEN_CHARS + b"+")


@functools.cache
def _fields_pattern(line: int) -> re.Pattern[bytes]:
    """Header lines, each after its CRLF: a token, a colon, a value without CR, LF or NUL;
    name and value each at most `line` bytes."""
    return re.compile(rb"(?:\r\n%s{1,%d}:[^\r\n\0]{0,%d})*" % (_TOKEN_CHARS, line, line))


# Answers to these requests, and with these statuses, have no body whatever their headers say.
_NO_BODY_STATUSES = frozenset({204, 304})


class Signal(enum.Enum):
    """The parser's events that carry no data."""

    NEED_DATA = "need data"  # feed more bytes (or close)
    END = "end"  # the answer is complete


NEED_DATA = Signal.NEED_DATA
END = Signal.END


class Headers(Mapping[str, str]):
    """An answer's headers: looked up whatever the case, names kept as sent, a repeated field's
    values joined with ", "."""

    __slots__ = ("_fields",)

    def __init__(self, fields: dict[str, tuple[str, str]]) -> None:
        self._fields = fields  # lowercased name -> (name as sent, value)

    def __getitem__(self, name: str) -> str:
        return self._fields[name.lower()][1]

    def get(self, name: str, default: Any = None) -> Any:  # Mapping's, without a KeyError
        found = self._fields.get(name.lower())
        return default if found is None else found[1]

    def items(self) -> Any:  # (name as sent, value) pairs, not Mapping's view over lookups
        return self._fields.values()

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.lower() in self._fields

    def __iter__(self) -> Iterator[str]:
        return (name for name, _ in self._fields.values())

    def __len__(self) -> int:
        return len(self._fields)

    def __repr__(self) -> str:
        return f"Headers({dict(self.items())!r})"


@dataclass(frozen=True, slots=True)
class Head:
    """An answer's status line and headers, and how its body is framed: `length` bytes, or
    `chunked`, or (neither) up to the connection's end. `keep_alive`: the connection may carry
    another request once this answer is read whole."""

    status: int
    reason: str
    headers: Headers
    length: int | None
    chunked: bool
    keep_alive: bool


def request_head(method: str, target: str, headers: Mapping[str, str]) -> bytes:
    """A request's head: the request line with `target` as given, the headers, the blank line.
    Target, names and values may hold no CR, LF or NUL, nothing beyond Latin-1 (a TransportError,
    not retryable, otherwise)."""
    lines = [f"{method} {target} HTTP/1.1"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    text = "\r\n".join(lines)
    breaks = len(lines) - 1
    if text.count("\n") != breaks or text.count("\r") != breaks or "\0" in text:
        raise TransportError(
            f"{method} request refused: a CR, LF or NUL in its target or headers", retryable=False
        )
    try:
        return (text + "\r\n\r\n").encode("latin-1")
    except UnicodeEncodeError:
        raise TransportError(
            f"{method} request refused: its target or headers hold characters beyond Latin-1",
            retryable=False,
        ) from None


class _State(enum.Enum):
    HEAD = 1
    LENGTH = 2  # an exact number of body bytes left
    CHUNK_SIZE = 3
    CHUNK_DATA = 4
    CHUNK_END = 5  # the CRLF after a chunk's data
    TRAILERS = 6
    UNTIL_CLOSE = 7
    DONE = 8


class AnswerParser:
    """One answer to a `method` request, parsed from the bytes fed to it (see the module)."""

    __slots__ = (
        "_buffer",
        "_closed",
        "_left",
        "_limits",
        "_method",
        "_state",
        "_trailer_bytes",
        "head",
    )

    def __init__(self, method: str, limits: Limits = LIMITS) -> None:
        self._method, self._limits = method, limits
        self._buffer = bytearray()
        self._closed = False
        self._state = _State.HEAD
        self._left = 0  # body bytes left: of the Content-Length, or of the current chunk
        self._trailer_bytes = 0
        self.head: Head | None = None

    def feed(self, data: bytes | bytearray | memoryview) -> None:
        """Bytes that arrived."""
        self._buffer += data

    def close(self) -> None:
        """The peer closed its side: no more bytes will come."""
        self._closed = True

    @property
    def extra(self) -> int:
        """Bytes fed past the end of the answer (a server that sent more than it framed)."""
        return len(self._buffer) if self._state is _State.DONE else 0

    def direct(self) -> int:
        """How many body bytes the caller may read straight into its own memory now (and report
        with `received_directly`): the rest of a Content-Length body once nothing is buffered
        (and the peer has not closed); 0 otherwise."""
        if self._state is not _State.LENGTH or self._buffer or self._closed:
            return 0
        return self._left

    def received_directly(self, count: int) -> None:
        """`count` body bytes (at most `direct()`) were read by the caller itself."""
        if not 0 <= count <= self.direct():
            raise ValueError(f"{count} bytes were not expected directly")
        self._left -= count
        if not self._left:
            self._state = _State.DONE

    def next_event(self) -> Head | bytes | Signal:
        """The next event: the Head, body bytes, END, or NEED_DATA."""
        state = self._state
        if state is _State.LENGTH:
            return self._length_data()
        if state is _State.HEAD:
            return self._head()
        if state is _State.DONE:
            return END
        if state is _State.UNTIL_CLOSE:
            if self._buffer:
                data = bytes(self._buffer)
                self._buffer.clear()
                return data
            if self._closed:
                self._state = _State.DONE
                return END
            return NEED_DATA
        return self._chunked()

    def _short(self, what: str) -> IncompleteAnswerError:
        return IncompleteAnswerError(f"{self._method} answer was cut short: {what}")

    def _malformed(self, what: str) -> TransportError:
        return TransportError(f"{self._method} answer is malformed: {what}")

    def _length_data(self) -> bytes | Signal:
        return self._body_bytes(_State.DONE, "body bytes")

    def _body_bytes(self, then: _State, what: str) -> bytes | Signal:
        """Buffered bytes, up to those left of the body or chunk; the state `then` after its
        last byte. `what` is what is left, for the error of a close before it."""
        buffer = self._buffer
        if not buffer:
            if self._closed:
                raise self._short(f"the connection closed with {self._left} {what} to come")
            return NEED_DATA
        take = min(self._left, len(buffer))
        data = bytes(buffer[:take])
        del buffer[:take]
        self._left -= take
        if not self._left:
            self._state = then
        return data

    def _line(self, most: int, what: str) -> bytes | None:
        """The next CRLF-ended line from the buffer (without its CRLF), None until it is whole."""
        buffer = self._buffer
        end = buffer.find(b"\r\n", 0, most + 2)
        if end < 0:
            if len(buffer) > most:
                raise self._malformed(f"{what} is longer than {most} bytes")
            if self._closed:
                raise self._short(f"the connection closed inside {what}")
            return None
        line = bytes(buffer[:end])
        del buffer[: end + 2]
        return line

    def _head(self) -> Head | Signal:
        while True:
            buffer, limits = self._buffer, self._limits
            end = buffer.find(b"\r\n\r\n", 0, limits.head)
            if end < 0:
                self._check_partial_head()
                return NEED_DATA
            block = bytes(buffer[:end])
            del buffer[: end + 4]
            head = self._parse_head(block)
            if head is not None:
                return head

    def _check_partial_head(self) -> None:
        buffer, limits = self._buffer, self._limits
        if len(buffer) >= limits.head:
            raise self._malformed(f"its head is longer than {limits.head} bytes")
        if len(buffer) - (buffer.rfind(b"\n") + 1) > limits.line:
            raise self._malformed(f"a line of its head is longer than {limits.line} bytes")
        if self._closed:
            if buffer:
                raise self._short("the connection closed inside the head")
            raise TransportError(
                f"{self._method} request failed: the server closed the connection before answering"
            )

    def _parse_head(self, block: bytes) -> Head | None:
        """The Head of a final answer; None for an interim (1xx) one, which is skipped."""
        limits = self._limits
        first = block.find(b"\r\n")
        status_line = block if first < 0 else block[:first]
        if len(status_line) > limits.line:
            raise self._malformed(f"its status line is longer than {limits.line} bytes")
        matched = _STATUS.fullmatch(status_line)
        if matched is None:
            raise self._malformed(f"status line {status_line[:100]!r}")
        status = int(matched[2])
        fields = {} if first < 0 else self._head_fields(block, first)
        if 100 <= status < 200:
            if status == 101:
                raise self._malformed("101 Switching Protocols was not asked for")
            return None
        head = self._framed(status, (matched[3] or b"").decode("latin-1"), fields, matched[1])
        self.head = head
        return head

    def _head_fields(self, block: bytes, first: int) -> dict[str, tuple[str, str]]:
        """The header fields after the status line (which ends at `first`): checked in one
        pass of a regular expression, then split; line by line when that finds a fault, to
        name it."""
        limits = self._limits
        pattern = _fields_pattern(limits.line)
        if block.count(b"\r\n") > limits.headers or pattern.fullmatch(block, first) is None:
            return self._fields(block[first + 2 :].split(b"\r\n"))
        fields: dict[str, tuple[str, str]] = {}
        for line in block[first + 2 :].decode("latin-1").split("\r\n"):
            name, _, value = line.partition(":")
            key, value = name.lower(), value.strip(" \t")
            known = fields.get(key)
            fields[key] = (name, value) if known is None else (known[0], f"{known[1]}, {value}")
        return fields

    def _fields(self, lines: list[bytes]) -> dict[str, tuple[str, str]]:
        """Header lines as lowercased name -> (name, value), repeated fields joined."""
        limits = self._limits
        if len(lines) > limits.headers:
            raise self._malformed(f"more than {limits.headers} header fields")
        fields: dict[str, tuple[str, str]] = {}
        for line in lines:
            if len(line) > limits.line:
                raise self._malformed(f"a header line is longer than {limits.line} bytes")
            name_bytes, colon, value_bytes = line.partition(b":")
            if not colon or _TOKEN.fullmatch(name_bytes) is None:
                raise self._malformed(f"header line {line[:100]!r}")
            if b"\r" in value_bytes or b"\n" in value_bytes or b"\0" in value_bytes:
                raise self._malformed(f"a CR, LF or NUL in header {name_bytes[:100]!r}")
            name = name_bytes.decode("ascii")
            value = value_bytes.strip(b" \t").decode("latin-1")
            key = name.lower()
            known = fields.get(key)
            fields[key] = (name, value) if known is None else (known[0], f"{known[1]}, {value}")
        return fields

    def _framed(
        self, status: int, reason: str, fields: dict[str, tuple[str, str]], minor: bytes
    ) -> Head:
        """The Head, and the parser set to read the body as it is framed."""
        connection = fields.get("connection", ("", ""))[1].lower()
        tokens = {token.strip() for token in connection.split(",")}
        keep_alive = "close" not in tokens if minor == b"1" else "keep-alive" in tokens
        length = self._length(fields)
        encoding = fields.get("transfer-encoding")
        chunked = False
        if encoding is not None:
            codings = [c.strip().lower() for c in encoding[1].split(",")]
            if codings != ["chunked"]:
                raise self._malformed(f"Transfer-Encoding {encoding[1][:100]!r}")
            # Transfer-Encoding overrides Content-Length (RFC 9112, 6.3); such an answer may be
            # an attempt at smuggling, so its connection is not used again.
            chunked, keep_alive = True, keep_alive and length is None
        headers = Headers(fields)
        if self._method == "HEAD" or status in _NO_BODY_STATUSES:
            self._state = _State.DONE
            return Head(status, reason, headers, 0, False, keep_alive)
        if chunked:
            self._state = _State.CHUNK_SIZE
            return Head(status, reason, headers, length, True, keep_alive)
        if length is None:
            self._state = _State.UNTIL_CLOSE
            return Head(status, reason, headers, None, False, False)
        self._left = length
        self._state = _State.LENGTH if length else _State.DONE
        return Head(status, reason, headers, length, False, keep_alive)

    def _length(self, fields: dict[str, tuple[str, str]]) -> int | None:
        """The Content-Length: one non-negative number (repeated, the same each time)."""
        field = fields.get("content-length")
        if field is None:
            return None
        values = {value.strip() for value in field[1].split(",")}
        if len(values) != 1:
            raise self._malformed(f"Content-Length {field[1][:100]!r} (differing values)")
        value = values.pop()
        if not (value.isascii() and value.isdigit()) or len(value) > 19:
            raise self._malformed(f"Content-Length {value[:100]!r}")
        return int(value)

    def _chunked(self) -> bytes | Signal:
        """The next event of a chunked body."""
        while True:
            state = self._state
            if state is _State.CHUNK_DATA:
                return self._body_bytes(_State.CHUNK_END, "bytes of a chunk")
            if state is _State.CHUNK_SIZE:
                if not self._chunk_size():
                    return NEED_DATA
            elif state is _State.CHUNK_END:
                buffer = self._buffer
                if len(buffer) < 2:
                    if self._closed:
                        raise self._short("the connection closed after a chunk")
                    return NEED_DATA
                if buffer[:2] != b"\r\n":
                    raise self._malformed("a chunk longer than its size")
                del buffer[:2]
                self._state = _State.CHUNK_SIZE
            else:
                return self._trailers()

    def _chunk_size(self) -> bool:
        """Read a chunk-size line (False until it is whole)."""
        line = self._line(self._limits.chunk_line, "a chunk-size line")
        if line is None:
            return False
        size = line.partition(b";")[0].strip(b" \t")
        if _HEX.fullmatch(size) is None:
            raise self._malformed(f"chunk size {line[:100]!r}")
        self._left = int(size, 16)
        self._state = _State.CHUNK_DATA if self._left else _State.TRAILERS
        return True

    def _trailers(self) -> Signal:
        """Skip the trailer fields after the last chunk; END after the blank line."""
        limits = self._limits
        while True:
            line = self._line(limits.line, "the trailers")
            if line is None:
                return NEED_DATA
            if not line:
                self._state = _State.DONE
                return END
            self._trailer_bytes += len(line) + 2
            if self._trailer_bytes > limits.head:
                raise self._malformed(f"trailers longer than {limits.head} bytes")
            self._fields([line])
