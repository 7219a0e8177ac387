"""Parameter kinds: each is one entry of codegen.kinds.KINDS, and a kind registered there alone
gets its Python type, its wire encoding and its command line parser."""

from __future__ import annotations

import argparse
import ast
import inspect
import shutil
from pathlib import Path

import pytest

from s3wire import _wire
from s3wire.cli import options
from s3wire.cli.spec import Option
from s3wire.codegen import kinds
from s3wire.codegen.__main__ import main
from s3wire.codegen.catalog import CatalogError, load_catalog

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
NEW_KIND = HERE / "fixtures" / "new-kind" / "spec"
COUNT = kinds.Kind("count", "int", "integer", "int", ("query", "header"))


def test_every_kind_names_an_encoder_and_a_parser_that_exist() -> None:
    for kind in kinds.KINDS.values():
        assert kind.encoder is None or inspect.isfunction(getattr(_wire, kind.encoder)), kind
        assert kind.cli in options.KINDS, kind


def test_a_kind_not_registered_is_refused() -> None:
    with pytest.raises(CatalogError, match=r"counters.yaml: ListCounters: .*type must be one of"):
        load_catalog(NEW_KIND)


def generated_option(text: str, param: str) -> Option:
    """The Option(...) of `param` in a generated command table, built from its source."""
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Option":
            args = [ast.literal_eval(a) for a in node.args]
            if args[1] == param:
                keywords = {k.arg: ast.literal_eval(k.value) for k in node.keywords if k.arg}
                return Option(*args, **keywords)
    raise AssertionError(f"no option for {param}")


def test_a_kind_registered_in_one_place_reaches_type_wire_and_cli(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(kinds.KINDS, "count", COUNT)
    shutil.copytree(NEW_KIND, tmp_path / "spec")
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    assert main(["--root", str(tmp_path)]) == 0
    generated = tmp_path / "src" / "s3wire" / "_generated"
    methods = (generated / "operations.py").read_text("utf-8")
    assert "most: int | None = None," in methods  # its Python type
    assert 'query.append(("max-counters", _wire.integer(most, "most")))' in methods  # its encoder
    assert getattr(_wire, COUNT.encoder or "")(7, "most") == "7"
    option = generated_option((generated / "cli_commands.py").read_text("utf-8"), "most")
    assert option.type == "int"  # its command line parser
    parser = argparse.ArgumentParser(exit_on_error=False)
    options.add_option(parser, option)
    assert getattr(parser.parse_args(["--most", "7"]), options.dest(option)) == 7
    with pytest.raises(argparse.ArgumentError, match="expected an integer"):
        parser.parse_args(["--most", "seven"])
    docs = (tmp_path / "docs" / "operations.md").read_text("utf-8")
    assert "| `most` | count | query `max-counters` |" in docs
