"""aws-chunked: a streamed body sent in chunks, its checksum in a trailer after the last one,
so that it is read once (STREAMING-UNSIGNED-PAYLOAD-TRAILER).

The wire form, for each chunk `<size in hex>\\r\\n<bytes>\\r\\n`, then `0\\r\\n`, the trailer
`x-amz-checksum-<algorithm>:<base64>\\r\\n` and `\\r\\n`. Its length is known beforehand (the
chunks' sizes and the digest's are), so it is sent with a Content-Length, as S3 wants.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import IO

from ..integrity import CHECKSUM_HEADER, SDK_ALGORITHM_HEADER, base64_size, bytes_left, new_digest

CONTENT_SHA256 = "STREAMING-UNSIGNED-PAYLOAD-TRAILER"
CHUNK = 64 * 1024


class AwsChunked(io.RawIOBase):
    """A stream's rest (from where it stands), aws-chunked with a trailing checksum.

    It tells and seeks as the transports and retries ask: its end (its length), and its start
    (which starts it over, digest included); reading from anywhere else is an OSError.
    """

    def __init__(self, stream: IO[bytes], algorithm: str, chunk: int = CHUNK) -> None:
        super().__init__()
        self.stream, self.algorithm, self.chunk = stream, algorithm, chunk
        self.start = stream.tell()
        self.decoded_length = bytes_left(stream)
        self.trailer_name = CHECKSUM_HEADER + algorithm
        whole, rest = divmod(self.decoded_length, chunk)
        framed = whole * _framed(chunk) + (_framed(rest) if rest else 0)
        self.length = framed + len(self._end(base64_size(algorithm) * "="))
        self._restart()

    def headers(self) -> dict[str, str]:
        """The request headers that go with this body."""
        return {
            "Content-Encoding": "aws-chunked",
            "x-amz-decoded-content-length": str(self.decoded_length),
            "x-amz-trailer": self.trailer_name,
            SDK_ALGORITHM_HEADER: self.algorithm.upper(),
        }

    def _restart(self) -> None:
        self.stream.seek(self.start, io.SEEK_SET)
        self._digest = new_digest(self.algorithm)
        self._left = self.decoded_length
        self._pending = b""
        self._position = self._at = 0
        self._done = False

    def _end(self, value: str) -> bytes:
        return f"0\r\n{self.trailer_name}:{value}\r\n\r\n".encode("ascii")

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._at

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._at, io.SEEK_END: self.length}[whence]
        self._at = base + offset
        return self._at

    def read(self, size: int | None = -1) -> bytes:
        if self._at != self._position:
            if self._at != 0:
                raise OSError("an aws-chunked body is read from its start or where it stands")
            self._restart()
        wanted = self.length if size is None or size < 0 else size
        while len(self._pending) < wanted and not self._done:
            self._pending += self._next()
        data, self._pending = self._pending[:wanted], self._pending[wanted:]
        self._position += len(data)
        self._at = self._position
        return data

    def _next(self) -> bytes:
        """The next chunk, framed; after the last, the end and its trailer."""
        if self._left == 0:
            self._done = True
            import base64

            return self._end(base64.b64encode(self._digest.digest()).decode("ascii"))
        wanted = min(self.chunk, self._left)
        data = b""
        while len(data) < wanted:
            more = self.stream.read(wanted - len(data))
            if not more:
                raise OSError("the body got shorter while it was sent")
            data += more
        self._left -= len(data)
        self._digest.update(data)
        return f"{len(data):x}\r\n".encode("ascii") + data + b"\r\n"


def may_chunk(body: object, headers: Mapping[str, str]) -> bool:
    """Whether a body may go aws-chunked: a stream, with no digest or encoding of the caller's."""
    if body is None or isinstance(body, bytes):
        return False
    return not any(
        name.lower() in ("content-md5", "content-encoding")
        or name.lower().startswith(CHECKSUM_HEADER)
        for name in headers
    )


def _framed(size: int) -> int:
    """The bytes a chunk of `size` takes, framed."""
    return len(f"{size:x}") + 2 + size + 2
