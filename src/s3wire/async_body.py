"""AsyncBody: a request body from an async iterable of bytes of known length, for
AsyncClient (read once, as it is sent)."""

from __future__ import annotations

import io
from collections.abc import AsyncIterable, AsyncIterator

from ._http.bodies import BodyFailed
from .errors import ChecksumError, ParamError


class AsyncBody(io.RawIOBase):
    """A request body from an async iterable of bytes whose total length is known beforehand
    (S3 wants a Content-Length): `AsyncClient.put_object(..., body=AsyncBody(chunks, length))`.

    It is read once, as it is sent, so no digest can go before it: its MD5 is computed on the
    way and checked against the ETag S3 answers when that ETag is an MD5 (ChecksumError
    otherwise; see docs/async.md), and a failed try is not tried again once it started. Its
    iterable giving fewer or more bytes than `length`, or what is not bytes, fails the call
    (TransportError). Client, which reads bodies synchronously, refuses it (ParamError).
    """

    def __init__(self, chunks: AsyncIterable[bytes], length: int) -> None:
        super().__init__()
        if not hasattr(chunks, "__aiter__"):
            raise ParamError(
                f"AsyncBody takes an async iterable of bytes, not {type(chunks).__name__}"
            )
        if not isinstance(length, int) or isinstance(length, bool) or length < 0:
            raise ParamError(f"AsyncBody's length must be an int of 0 or more; got {length!r}")
        self._chunks, self._length, self._started = chunks, length, False
        import hashlib  # (not imported by building a client)

        self._digest = hashlib.md5(usedforsecurity=False)

    def __len__(self) -> int:
        return self._length

    def readable(self) -> bool:
        return False

    def read(self, size: int | None = -1) -> bytes:
        raise ParamError("an AsyncBody is sent by s3wire.AsyncClient; Client needs bytes or a file")

    async def blocks(self) -> AsyncIterator[bytes]:
        """The body's bytes as its iterable gives them, exactly `length` of them (BodyFailed
        when not, or when it is sent a second time)."""
        if self._started:
            raise BodyFailed("is an AsyncBody, read once: it cannot be sent again")
        self._started = True
        left = self._length
        async for chunk in self._chunks:
            if not isinstance(chunk, bytes | bytearray | memoryview):
                raise BodyFailed(f"gave {type(chunk).__name__}, not bytes")
            if len(chunk) > left:
                raise BodyFailed(f"gave more than its length, {self._length} bytes")
            left -= len(chunk)
            self._digest.update(chunk)
            yield bytes(chunk) if not isinstance(chunk, bytes) else chunk
        if left:
            raise BodyFailed(f"gave {self._length - left} of its {self._length} bytes")

    def check(self, etag: object) -> None:
        """Raise ChecksumError when an ETag that is an MD5 differs from the bytes sent."""
        tag = etag.strip('"').lower() if isinstance(etag, str) else ""
        is_md5 = len(tag) == 32 and not tag.strip("0123456789abcdef")
        if is_md5 and tag != self._digest.hexdigest():
            raise ChecksumError(
                "the object stored differs from the bytes sent: its ETag is not their MD5"
            )
