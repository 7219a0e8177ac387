"""Parts of a file as streams of their own: FileWindow to send a part without holding it in
memory, DownloadWindow to write a downloaded range in place (RangeBuffer: into memory)."""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..errors import ResponseError

if TYPE_CHECKING:
    from .rangecheck import RangeDigests

_CHUNK = 1024 * 1024


class _Window(io.RawIOBase):
    """The bytes [offset, offset + length) of an open file descriptor as a stream whose
    position 0 is `offset`; reads and writes go by offset (pread, pwrite), so windows of one
    descriptor may be used from several threads at once."""

    def __init__(self, fd: int, offset: int, length: int) -> None:
        super().__init__()
        self._fd, self._offset, self._length, self._position = fd, offset, length, 0

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._position

    def __len__(self) -> int:
        return self._length


class FileWindow(_Window):
    """A window of a file, read-only and seekable, to send a part without holding it. A file
    that turns out shorter than the window raises OSError."""

    def readable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._position, io.SEEK_END: self._length}[whence]
        self._position = max(0, base + offset)
        return self._position

    def read(self, size: int | None = -1) -> bytes:
        left = max(0, self._length - self._position)
        wanted = left if size is None or size < 0 else min(size, left)
        if not wanted:
            return b""
        data = os.pread(self._fd, wanted, self._offset + self._position)
        if len(data) != wanted:
            raise OSError("the file got shorter while it was being read")
        self._position += wanted
        return data

    def readall(self) -> bytes:
        return self.read()

    def span(self) -> tuple[int, int]:
        """(descriptor, offset in the file) of where the window stands: what the socket
        transport sends the rest of it from with os.sendfile, without reading it."""
        return self._fd, self._offset + self._position

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self.read(len(buffer))
        memoryview(buffer)[: len(data)] = data
        return len(data)

    def chunks(self) -> Iterator[bytes]:
        """Every byte of the window, in chunks of 1 MiB; the position is kept."""
        for first in range(0, self._length, _CHUNK):
            size = min(_CHUNK, self._length - first)
            data = os.pread(self._fd, size, self._offset + first)
            if len(data) != size:
                raise OSError("the file got shorter while it was being read")
            yield data


class DownloadWindow(_Window):
    """Where one range of a download goes: a window of a file open for writing, written in
    place, its bytes fed to `digests` (if given) on the way. Writing past the window is a
    ResponseError: the server sent more than the range asked for. `truncate` forgets what was
    written after a position (a failed try is written again from there: with digests, only
    from the start, which starts them over)."""

    writes_at_once = True  # each chunk is written (or copied) before write returns: the sink
    # may pass the transport's buffer, not a copy of it

    def __init__(
        self, fd: int, offset: int, length: int, digests: RangeDigests | None = None
    ) -> None:
        super().__init__(fd, offset, length)
        self.digests = digests

    def writable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        if whence != io.SEEK_SET or not 0 <= offset <= self._length:
            raise OSError("a download window seeks only to a place inside it")
        if self.digests is not None and offset != self._position:
            if offset:
                raise OSError("a checked download window seeks back only to its start")
            self.digests.restart()
        self._position = offset
        return offset

    def truncate(self, size: int | None = None) -> int:
        return self._position if size is None else self.seek(size)

    def write(self, data: bytes | bytearray | memoryview) -> int:  # type: ignore[override]
        view = memoryview(data)
        if self._position + len(view) > self._length:
            raise ResponseError(f"the server sent more than the {self._length} bytes asked for")
        if self.digests is not None:
            self.digests.update(view)
        self._store(view)
        return len(data)

    def _store(self, view: memoryview) -> None:
        """Write view at the position, which moves past it."""
        while view:
            written = os.pwrite(self._fd, view, self._offset + self._position)
            self._position += written
            view = view[written:]


class RangeBuffer(DownloadWindow):
    """A DownloadWindow in memory (`data`, allocated whole at the start): where the async
    download receives a range on the event loop, to be written to the file off it."""

    def __init__(self, length: int) -> None:
        super().__init__(-1, 0, length)
        self.data = bytearray(length)

    def _store(self, view: memoryview) -> None:
        self.data[self._position : self._position + len(view)] = view
        self._position += len(view)

    def received(self) -> memoryview:
        """The bytes written (those of the last try, when one was tried again)."""
        return memoryview(self.data)[: self._position]
