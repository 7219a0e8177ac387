"""BodySink: an answer's data streamed into the caller's file object instead of memory.

Used by the operations whose answer is data (GetObject's `into=`): the transport hands it each
chunk of a successful answer as it arrives; the bytes are checked on the way (integrity) and
the sink can be put back where it started so that a failed try can be tried again.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Protocol, cast

from .errors import LocalFileError, ParamError
from .integrity import ObjectCheck
from .localfile import local_error


class Writable(Protocol):
    """What `into=` takes: a binary file object open for writing (a file, BytesIO, a socket's
    file, or any object with write(bytes)); seek, tell and truncate, if it has them, let a
    failed try be tried again."""

    def write(self, data: bytes, /) -> object: ...


class _SinkBase:
    """What both sinks share: the answer's checks, the count of bytes written, and putting
    the target back where it started for another try."""

    __slots__ = ("_check", "_start", "_target", "_views", "written")

    def __init__(self, target: Writable) -> None:
        if not callable(getattr(target, "write", None)) or isinstance(target, io.TextIOBase):
            kind = type(target).__name__
            raise ParamError(f"into must be a writable binary file object, not {kind}")
        self._target = target
        # A target that says so (transfer.filewindow.DownloadWindow: pwrite) gets the
        # transport's buffer itself; any other, a copy it may keep.
        self._views = getattr(target, "writes_at_once", False) is True
        self._start = _position(target)
        self._check: ObjectCheck | None = None
        self.written = 0

    def begin(self, status: int, headers: Mapping[str, str]) -> None:
        """A successful answer's body is about to arrive."""
        self._check = ObjectCheck(status, headers)

    def _write_all(self, data: bytes | memoryview) -> None:
        """Check a chunk and write it whole to a target whose write is plain (not async); a
        view (the transport's buffer) is copied unless the target writes it at once."""
        if isinstance(data, memoryview) and not self._views:
            data = bytes(data)
        chunk = cast(bytes, data)  # a view only for a target that writes it at once
        size = len(chunk)
        if self._check is not None:
            self._check.update(chunk)
        try:  # a try, not a `with`, per chunk: almost free (free from Python 3.11)
            count = self._target.write(chunk)
            # A raw file may take part of it; a writer of the caller's own may answer None (all).
            while isinstance(count, int) and count < len(chunk):
                if count <= 0:
                    raise OSError("into took none of the bytes written to it")
                chunk = chunk[count:]
                count = self._target.write(chunk)
        except OSError as exc:
            error = self._failed(exc)
            raise error from error.__cause__
        self.written += size

    def _failed(self, exc: OSError) -> LocalFileError:
        """The LocalFileError of a target that failed (a full disk), caused by `exc`."""
        return local_error("cannot write the answer into", self._target, exc)

    def verify(self) -> None:
        """Raise ChecksumError when the bytes written differ from a checksum the answer gave."""
        if self._check is not None:
            self._check.verify()

    def rewind(self) -> bool:
        """Put the target back as it was, for another try; False when it cannot be."""
        self._check = None
        if not self.written:
            return True
        if self._start is None:
            return False
        try:
            self._target.seek(self._start, io.SEEK_SET)  # type: ignore[attr-defined]
            self._target.truncate()  # type: ignore[attr-defined]
        except (OSError, ValueError, AttributeError):
            return False
        self.written = 0
        return True


class BodySink(_SinkBase):
    """Writes one answer's body into `target`, from where `target` stands when the call starts.

    A retry needs `target` to seek and truncate back to that start (a regular file, BytesIO):
    a stream that cannot (a pipe, a socket) is not tried again once bytes were written to it.
    A target that fails (a full disk) raises LocalFileError: not a network failure, so not
    tried again (and the connection, with the rest of the body unread, is not reused).
    A target whose write is a coroutine function is AsyncClient's (ParamError here).
    """

    __slots__ = ()

    def __init__(self, target: Writable) -> None:
        super().__init__(target)
        if writes_async(target):
            raise ParamError(
                f"into: {type(target).__name__}.write is a coroutine function, which only"
                " s3wire.AsyncClient awaits; Client needs a plain write"
            )

    def write(self, chunk: bytes | memoryview) -> None:
        self._write_all(chunk)


class AsyncBodySink(_SinkBase):
    """BodySink for AsyncClient: `await write(chunk)`; a target whose write is a coroutine
    function (an async writer) is awaited, a plain one (a file) written as BodySink does."""

    __slots__ = ("_awaits",)

    def __init__(self, target: Writable) -> None:
        super().__init__(target)
        self._awaits = writes_async(target)

    async def write(self, chunk: bytes) -> None:
        if not self._awaits:
            self._write_all(chunk)
            return
        if self._check is not None:
            self._check.update(chunk)
        try:
            await self._target.write(chunk)  # type: ignore[misc]
        except OSError as exc:
            error = self._failed(exc)
            raise error from error.__cause__
        self.written += len(chunk)


def writes_async(target: object) -> bool:
    """Whether `target.write` is a coroutine function (async def), found without importing
    inspect or asyncio (importing s3wire imports neither)."""
    write = getattr(target, "write", None)
    code = getattr(getattr(write, "__func__", write), "__code__", None)
    return code is not None and bool(code.co_flags & _COROUTINE_FLAGS)


_COROUTINE_FLAGS = 0x80 | 0x100  # CO_COROUTINE | CO_ITERABLE_COROUTINE (the inspect module's)


def _position(target: Writable) -> int | None:
    """Where the target stands, if it can be put back there."""
    try:
        return target.tell() if target.seekable() else None  # type: ignore[attr-defined]
    except (OSError, ValueError, AttributeError):
        return None
