"""The command line's progress bar: drawn on a terminal only, quiet on request."""

from __future__ import annotations

import io

import pytest

from s3wire.cli.progressbar import ProgressBar, render

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
