"""The generator finds ruff (this interpreter's, else PATH's) or says clearly that it is missing."""

from __future__ import annotations

import sys

import pytest

from s3wire.codegen import __main__ as cli
from s3wire.codegen import render


def test_this_interpreters_ruff_comes_first(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "")  # none on PATH: a virtual environment not activated
    assert render.ruff_command() == [sys.executable, "-m", "ruff"]


def test_without_ruff_the_check_says_how_to_get_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(render.importlib.util, "find_spec", lambda name: None)
    monkeypatch.setattr(render.shutil, "which", lambda name: None)
    assert cli.main(["--check"]) == 2
    err = capsys.readouterr().err
    assert "ruff formats the generated code and is not installed" in err
    assert "Traceback" not in err
