"""The command line's progress bar: drawn on a terminal only, quiet on request."""

from __future__ import annotations

import io

import pytest

from s3wire.cli.progressbar import FilesProgress, ProgressBar, render, render_files

MIB = 1024 * 1024


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_bar_shows_the_share_done_and_the_rate() -> None:
    assert render(MIB, 4 * MIB, 1.0) == (
        "[#######-----------------------]  25%  1.0/4.0 MiB  1.0 MiB/s"
    )
    assert render(3 * MIB, 0, 2.0) == "3.0 MiB  1.5 MiB/s"  # size unknown


def test_a_terminal_gets_the_bar_and_a_final_newline() -> None:
    terminal = Terminal()
    bar = ProgressBar(terminal)
    bar(2, 4)
    bar(3, 4)  # within a tenth of a second: not drawn
    bar(4, 4)  # the end always is
    bar.finish()
    text = terminal.getvalue()
    assert text.count("\r") == 2 and "100%" in text and text.endswith("\n")


@pytest.mark.parametrize(("stream", "quiet"), [(io.StringIO(), False), (Terminal(), True)])
def test_no_bar_off_a_terminal_or_when_quiet(stream: io.StringIO, quiet: bool) -> None:
    bar = ProgressBar(stream, quiet=quiet)
    bar(1, 1)
    bar.finish()
    assert stream.getvalue() == ""


def test_the_files_display_counts_files_and_bytes_and_the_time_left() -> None:
    listing = render_files(1, 3, MIB, 4 * MIB, 1.0, whole=False)
    assert listing == "1/3+ files  1.0/4.0+ MiB  1.0 MiB/s"  # the list is not whole yet
    assert render_files(1, 3, MIB, 4 * MIB, 1.0, whole=True) == (
        "[#######-----------------------]  25%  1/3 files  1.0/4.0 MiB  1.0 MiB/s  ETA 0:03"
    )
    empty = render_files(2, 4, 0, 0, 30.0, whole=True)  # empty files: the files tell
    assert empty.startswith("[###############---------------]  50%") and "ETA 0:30" in empty
    assert render_files(4, 4, 0, 0, 1.0, whole=True).startswith(f"[{'#' * 30}] 100%")
    assert "ETA 1:00:00" in render_files(1, 2, MIB, 2 * MIB, 3600.0, whole=True)


def test_the_files_display_takes_back_a_failed_file_and_ends_with_the_last_counts() -> None:
    terminal = Terminal()
    display = FilesProgress(terminal)
    display.planned(10)
    display.planned(20)
    display.listed()
    display.added(5)
    display.ended(10, 5, ok=True)
    display.added(7)
    display.ended(20, 7, ok=False)  # failed: its bytes and itself leave the totals
    assert (display.files, display.files_total, display.done, display.total) == (1, 1, 10, 10)
    out = io.StringIO()
    display.print_above("upload: a to b", out)
    assert out.getvalue() == "upload: a to b\n"
    display.finish()
    text = terminal.getvalue()
    assert "\r\x1b[K" in text  # erased for the line printed above it
    last = text.rpartition("\r")[2]  # the last counts drawn, then the line ended
    assert last.startswith(f"[{'#' * 30}] 100%  1/1 files  0.0/0.0 MiB") and last.endswith("\n")


def test_no_files_display_off_a_terminal_or_without_files() -> None:
    for stream, planned in ((io.StringIO(), True), (Terminal(), False)):
        display = FilesProgress(stream)
        if planned:
            display.planned(1)
        display.listed()
        display.finish()
        assert stream.getvalue() == ""
