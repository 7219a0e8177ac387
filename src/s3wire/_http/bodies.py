"""Request bodies as the transports send them: exactly the length declared when the request
starts, from where a stream stands; a body that cannot give it fails with BodyFailed."""

from __future__ import annotations

import io
from typing import IO

from ..integrity import bytes_left


class BodyFailed(Exception):
    """A streamed request body could not give its declared bytes (never leaves the HTTP layer:
    the transports turn it into a TransportError)."""


class Exactly(io.RawIOBase):
    """A streamed request body: exactly `length` bytes from where the file stands, however the
    file grows meanwhile; BodyFailed when it ends sooner or fails."""

    def __init__(self, file: IO[bytes], length: int) -> None:
        super().__init__()
        self.file, self._left, self._length = file, length, length

    def __len__(self) -> int:
        return self._length

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        left = self._left
        if left <= 0:
            return b""
        wanted = left if size is None or size < 0 else min(size, left)
        try:
            data = self.file.read(wanted)
        except (OSError, ValueError) as exc:
            raise BodyFailed(f"could not be read: {type(exc).__name__}: {exc}") from None
        if not isinstance(data, bytes) or not data or len(data) > wanted:
            sent = self._length - left
            raise BodyFailed(
                f"gave {sent} of its {self._length} bytes: the file got shorter while it was sent"
                if not data
                else f"gave {type(data).__name__} of {len(data)} for read({wanted})"
            )
        self._left = left - len(data)
        return data

    def shorter(self, sent: int) -> BodyFailed:
        """The failure of a body that gave only `sent` of its bytes."""
        return BodyFailed(
            f"gave {sent} of its {self._length} bytes: the file got shorter while it was sent"
        )


def exactly(body: bytes | IO[bytes]) -> bytes | Exactly:
    """A body as sent: bytes as they are, a stream bounded to the bytes it holds from where it
    stands now (its Content-Length; S3 refuses chunked uploads)."""
    if isinstance(body, bytes):
        return body
    try:
        length = bytes_left(body)
    except (OSError, ValueError) as exc:  # a file closed meanwhile, for instance
        raise BodyFailed(f"could not be measured: {type(exc).__name__}: {exc}") from None
    return Exactly(body, length)
