"""A progress bar on stderr for the transfer commands, shown only on a terminal."""

from __future__ import annotations

import sys
import time
from typing import TextIO

_WIDTH = 30
_MIB = 1024 * 1024


class ProgressBar:
    """A `progress=` callable drawing `[#####-----]  50%  12.0/24.0 MiB  8.1 MiB/s` on one line,
    at most ten times a second; finish() ends the line. Draws nothing when `stream` is not a
    terminal or `quiet`."""

    def __init__(self, stream: TextIO | None = None, *, quiet: bool = False) -> None:
        self._stream = stream if stream is not None else sys.stderr
        self.enabled = not quiet and self._stream.isatty()
        self._start = time.monotonic()
        self._drawn = 0.0
        self._shown = False

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if not self.enabled or (now - self._drawn < 0.1 and done < total):
            return
        self._drawn, self._shown = now, True
        self._stream.write("\r" + render(done, total, now - self._start))
        self._stream.flush()

    def finish(self) -> None:
        """End the bar's line, if one was drawn."""
        if self._shown:
            self._stream.write("\n")
            self._stream.flush()


def render(done: int, total: int, seconds: float) -> str:
    """The bar's text for `done` of `total` bytes after `seconds` (total 0: size unknown)."""
    rate = f"{done / _MIB / seconds:.1f} MiB/s" if seconds > 0 else ""
    if total <= 0:
        return f"{done / _MIB:.1f} MiB  {rate}"
    filled = min(_WIDTH, _WIDTH * done // total)
    bar = "#" * filled + "-" * (_WIDTH - filled)
    return f"[{bar}] {100 * done // total:3d}%  {done / _MIB:.1f}/{total / _MIB:.1f} MiB  {rate}"
