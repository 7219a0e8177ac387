"""Progress of a transfer: bytes done out of bytes in all, reported to a caller's callable."""

from __future__ import annotations

import threading
from collections.abc import Callable

ProgressCallback = Callable[[int, int], object]


class Progress:
    """Adds up the bytes that worker threads report and calls `callback(done, total)` after each
    report, one call at a time and with `done` never going back."""

    def __init__(self, total: int, callback: ProgressCallback | None) -> None:
        self.total = total
        self.done = 0
        self._callback = callback
        self._lock = threading.Lock()

    def add(self, count: int) -> None:
        """Count `count` more bytes as done (thread-safe)."""
        with self._lock:
            self.done += count
            if self._callback is not None:
                self._callback(self.done, self.total)
