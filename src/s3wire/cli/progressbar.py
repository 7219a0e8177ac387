"""The progress display on stderr of the transfer commands, shown only on a terminal: a bar of
one file's bytes (ProgressBar), or of a multi-file command's files and bytes (FilesProgress)."""

from __future__ import annotations

import sys
import threading
import time
from typing import TextIO

_WIDTH = 30
_MIB = 1024 * 1024
_CLEAR = "\r\x1b[K"  # back to the line's start, erase it


class _Line:
    """One line on a terminal redrawn in place at most ten times a second (`draw`), erased
    for another line to be printed (`print_above`); finish() ends it. Does nothing when
    `stream` is not a terminal or `quiet`."""

    def __init__(self, stream: TextIO | None, quiet: bool) -> None:
        self._stream = stream if stream is not None else sys.stderr
        self.enabled = not quiet and self._stream.isatty()
        self.start = time.monotonic()
        self._drawn = 0.0
        self._text = ""

    def draw(self, text: str, *, now: float, force: bool = False) -> None:
        if not self.enabled or (now - self._drawn < 0.1 and not force):
            return
        self._drawn, self._text = now, text
        self._stream.write("\r" + text)
        self._stream.flush()

    def print_above(self, line: str, out: TextIO) -> None:
        """Print a line to `out` (stdout), the display erased first and drawn again below it."""
        if self._text:
            self._stream.write(_CLEAR)
            self._stream.flush()
        print(line, file=out, flush=True)
        if self._text:
            self._stream.write("\r" + self._text)
            self._stream.flush()

    def finish(self) -> None:
        """End the display's line, if one was drawn."""
        if self._text:
            self._stream.write("\n")
            self._stream.flush()
            self._text = ""


class ProgressBar(_Line):
    """A `progress=` callable drawing `[#####-----]  50%  12.0/24.0 MiB  8.1 MiB/s` on one line,
    at most ten times a second; finish() ends the line. Draws nothing when `stream` is not a
    terminal or `quiet`."""

    def __init__(self, stream: TextIO | None = None, *, quiet: bool = False) -> None:
        super().__init__(stream, quiet)

    def __call__(self, done: int, total: int) -> None:
        if self.enabled:
            now = time.monotonic()
            self.draw(render(done, total, now - self.start), now=now, force=done >= total)


class FilesProgress(_Line):
    """The display of a multi-file command: `[###---]  25%  3/12 files  1.0/4.0 MiB  2.0 MiB/s
    ETA 0:02`. `planned` counts a file to do, `added` bytes of it done, `ended` it done (or
    failed, its bytes taken back); `listed` says the list of files is whole (till then the
    totals are shown as so far, with no bar or ETA). Thread-safe."""

    def __init__(self, stream: TextIO | None = None, *, quiet: bool = False) -> None:
        super().__init__(stream, quiet)
        self._lock = threading.Lock()
        self.files = self.files_total = self.failed = 0
        self.done = self.total = 0
        self.whole = False

    def planned(self, size: int) -> None:
        with self._lock:
            self.files_total += 1
            self.total += size
            self._show()

    def added(self, count: int) -> None:
        with self._lock:
            self.done += count
            self._show()

    def ended(self, size: int, done: int, *, ok: bool) -> None:
        """A file of `size` bytes is over: `done` of its bytes were counted by `added`; a
        failed one's bytes are taken back and it leaves the totals (an unchanged one too)."""
        with self._lock:
            if ok:
                self.files += 1
                self.done += size - done
            else:
                self.done -= done
                self.files_total -= 1
                self.total -= size
            self._show()

    def listed(self) -> None:
        with self._lock:
            self.whole = True
            self._show(force=True)

    def print_above(self, line: str, out: TextIO) -> None:
        with self._lock:
            super().print_above(line, out)

    def finish(self) -> None:
        """Draw the last counts and end the line (nothing when there was no file to do)."""
        with self._lock:
            self._show(force=True)
            super().finish()

    def _show(self, *, force: bool = False) -> None:
        if self.enabled and self.files_total:
            now = time.monotonic()
            counts = (self.files, self.files_total, self.done, self.total)
            self.draw(
                render_files(*counts, now - self.start, whole=self.whole), now=now, force=force
            )


def render(done: int, total: int, seconds: float) -> str:
    """The bar's text for `done` of `total` bytes after `seconds` (total 0: size unknown)."""
    rate = f"{done / _MIB / seconds:.1f} MiB/s" if seconds > 0 else ""
    if total <= 0:
        return f"{done / _MIB:.1f} MiB  {rate}"
    return f"{_bar(done, total)}  {done / _MIB:.1f}/{total / _MIB:.1f} MiB  {rate}"


def render_files(
    files: int, files_total: int, done: int, total: int, seconds: float, *, whole: bool
) -> str:
    """The multi-file display's text: files and bytes done of the totals, the rate, and once
    the list is `whole` a bar and the time left (from the bytes, or the files when all are
    empty)."""
    more = "" if whole else "+"
    text = f"{files}/{files_total}{more} files  {done / _MIB:.1f}/{total / _MIB:.1f}{more} MiB"
    if seconds > 0:
        text += f"  {done / _MIB / seconds:.1f} MiB/s"
    if not whole:
        return text
    share, whole_share = (done, total) if total > 0 else (files, files_total)
    bar = _bar(share, whole_share) if whole_share > 0 else _bar(1, 1)
    if 0 < share < whole_share and seconds > 0:
        text += f"  ETA {_clock(seconds * (whole_share - share) / share)}"
    return f"{bar}  {text}"


def _bar(done: int, total: int) -> str:
    filled = min(_WIDTH, _WIDTH * done // total)
    return f"[{'#' * filled}{'-' * (_WIDTH - filled)}] {100 * done // total:3d}%"


def _clock(seconds: float) -> str:
    minutes, second = divmod(round(seconds), 60)
    hours, minute = divmod(minutes, 60)
    return f"{hours}:{minute:02}:{second:02}" if hours else f"{minute}:{second:02}"
