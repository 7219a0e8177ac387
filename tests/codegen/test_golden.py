"""Golden-file tests: the fixture catalog in fixtures/spec renders to exactly fixtures/expected.

After an intended change to codegen/ (or to the fixture), refresh the golden copies with

    S3WIRE_UPDATE_GOLDEN=1 python -m pytest tests/codegen/test_golden.py

and review the diff of tests/codegen/fixtures/expected/ like any other change.
"""

from __future__ import annotations

import ast
import difflib
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from s3wire.codegen.__main__ import main
from s3wire.codegen.render import OUTPUTS

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
FIXTURE_SPEC = HERE / "fixtures" / "spec"
EXPECTED = HERE / "fixtures" / "expected"
OUTPUT_PATHS = sorted(OUTPUTS)
UPDATE = os.environ.get("S3WIRE_UPDATE_GOLDEN") == "1"


def make_root(root: Path) -> Path:
    """A project root holding a copy of the fixture catalog and the project's ruff settings."""
    shutil.copytree(FIXTURE_SPEC, root / "spec")
    # render.ruff_format runs ruff in the root: without the project's pyproject.toml it would
    # format with ruff's defaults (line length 88) and the output would not match.
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    return root


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A root into which the fixture catalog has been generated once."""
    root = make_root(tmp_path_factory.mktemp("golden"))
    assert main(["--root", str(root)]) == 0
    return root


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return make_root(tmp_path)


@pytest.mark.parametrize("path", OUTPUT_PATHS, ids=str)
def test_output_matches_golden(generated: Path, path: Path) -> None:
    actual = (generated / path).read_bytes()
    golden = EXPECTED / path
    if UPDATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(actual)
    expected = golden.read_bytes() if golden.is_file() else b""
    if actual != expected:
        diff = difflib.unified_diff(
            expected.decode().splitlines(keepends=True),
            actual.decode().splitlines(keepends=True),
            fromfile=f"golden/{path}",
            tofile=f"generated/{path}",
        )
        pytest.fail(
            f"{path} differs from its golden copy (S3WIRE_UPDATE_GOLDEN=1 refreshes it):\n"
            + "".join(diff),
            pytrace=False,
        )


def test_no_stray_golden_files() -> None:
    found = sorted(p.relative_to(EXPECTED) for p in EXPECTED.rglob("*") if p.is_file())
    assert found == OUTPUT_PATHS


def test_generated_python_compiles(generated: Path) -> None:
    for path in OUTPUT_PATHS:
        if path.suffix == ".py":
            compile((generated / path).read_text(encoding="utf-8"), str(path), "exec")


def test_generated_methods(generated: Path) -> None:
    tree = ast.parse((generated / "src/s3wire/_generated/operations.py").read_text("utf-8"))
    classes = {n.name: n for n in tree.body if isinstance(n, ast.ClassDef)}
    # One mixin per catalog file, composed (in file order) into GeneratedOperations.
    composed = classes.pop("GeneratedOperations")
    assert (
        [ast.unparse(base) for base in composed.bases]
        == sorted(classes)
        == [
            "GadgetsOperations",
            "StoresBucketsOperations",
        ]
    )
    methods = {
        n.name: n for c in classes.values() for n in c.body if isinstance(n, ast.FunctionDef)
    }
    assert sorted(n.name for n in classes["StoresBucketsOperations"].body[1:]) == ["make_bucket"]
    assert sorted(methods) == [
        "list_gadgets",
        "make_bucket",
        "pin_note",
        "route_reply",
        "sort_gadgets",
        "stream_readings",
        "upload_chunk",
    ]
    args = methods["upload_chunk"].args
    assert not args.args[1:] and not args.vararg, "parameters are keyword-only"
    assert [a.arg for a in args.kwonlyargs[:4]] == ["bucket", "key", "upload_id", "chunk_number"]
    # Required parameters have no default; optional ones default to None.
    assert args.kw_defaults[:4] == [None] * 4
    assert all(isinstance(d, ast.Constant) for d in args.kw_defaults[4:])
    assert [a.arg for a in methods["list_gadgets"].args.kwonlyargs] == ["limit", "marker"]


# Imports the generated fixture modules against a copy of the s3wire runtime (in a subprocess,
# so the real s3wire is untouched) and calls the methods with _send stubbed out.
IMPORT_CHECK = textwrap.dedent(
    """
    from types import SimpleNamespace

    from s3wire._generated import operations, records, shapes

    class Stub(operations.GeneratedOperations):
        def _send(self, op, **kwargs):
            return op, kwargs

    client = Stub.__new__(Stub)
    client._settings = SimpleNamespace(region="us-east-1")
    op, sent = client.make_bucket(bucket="b", tier="COLD")
    assert op is records.MAKE_BUCKET and op.request_body.tag == "BucketSetup", op
    assert sent["xml"] == {"region": None, "tier": "COLD"}, sent
    client._settings = SimpleNamespace(region="eu-west-1")
    assert client.make_bucket(bucket="b")[1]["xml"]["region"] == "eu-west-1"
    op, sent = client.upload_chunk(
        bucket="b", key="k", upload_id="u", chunk_number=3, chunk=b"x", labels={"a": "1"}
    )
    assert op.query == (("chunk", ""),) and op.content_md5, op
    assert sent["query"] == [("uploadId", "u"), ("chunkNumber", "3")], sent
    assert sent["headers"] == {"x-amz-label-a": "1"}, sent
    assert sent["payload"] == b"x", sent
    op, sent = client.list_gadgets()
    assert sent == {"query": [("max-gadgets", "100")]}, sent
    assert op.response_schema is shapes.LIST_GADGETS_RESULT_XML
    assert shapes.GADGET_XML["Owner"] == (False, shapes.OWNER_XML)
    import datetime
    made = datetime.datetime(2024, 1, 2, tzinfo=datetime.timezone.utc)
    specimens = [{"Name": "a&b", "Weight": 3, "MadeAt": made, "Owner": {"ID": "o"}}, {}]
    op, sent = client.sort_gadgets(
        bucket="b",
        gadgets=[{"serial": "s<1", "position": 2}],
        shelf_labels={"a": "b"},
        specimens=specimens,
    )
    assert sent["xml"]["gadgets"] == [{"serial": "s<1", "position": "2"}], sent
    assert sent["xml"]["shelf_labels"] == [{"key": "a", "value": "b"}], sent
    assert client.pin_note(bucket="b", key="k", note="hé")[1]["payload"] == "hé".encode()
    route_op, routed = client.route_reply(route="r-1", reply=b"x")
    assert (route_op.path, routed["host_prefix"], routed["headers"]) == (
        "/RouteReply", "r-1.", {"x-amz-route": "r-1"}
    ), routed
    try:
        client.route_reply(route="no.dots")
    except ValueError as error:
        assert "host name" in str(error), error
    else:
        raise AssertionError("a route with a dot was accepted")
    assert records.STREAM_READINGS.response_event_stream
    from s3wire.xmljson import render
    assert render(op.request_body, sent["xml"]).endswith(
        b"<Specimen><Name>a&amp;b</Name><MadeAt>2024-01-02T00:00:00.000Z</MadeAt>"
        b"<Weight>3</Weight><Owner><ID>o</ID></Owner></Specimen><Specimen></Specimen>"
        b"<Slot><Serial>s&lt;1</Serial><Position>2</Position></Slot>"
        b"<Labels><Label><Name>a</Name><Text>b</Text></Label></Labels></Sorting>"
    )
    try:
        client.sort_gadgets(bucket="b", gadgets=[], specimens=[{"Colour": "red"}])
    except ValueError as error:
        assert "specimens[0] has unknown key(s) ['Colour']" in str(error), error
    else:
        raise AssertionError("an unknown element name was accepted")
    assert records.LIST_GADGETS.paginate.tokens == (
        ("marker", ("GadgetList.Paging.NextMarker", "GadgetList.Gadgets[-1].Name")),
    )
    assert records.OPERATIONS["sort_gadgets"] is records.SORT_GADGETS
    print("ok")
    """
)


def test_generated_modules_import_and_run(generated: Path, tmp_path: Path) -> None:
    package = tmp_path / "s3wire"
    shutil.copytree(
        REPO / "src" / "s3wire",
        package,
        ignore=shutil.ignore_patterns("_generated", "__pycache__"),
    )
    shutil.copytree(generated / "src/s3wire/_generated", package / "_generated")
    # Only the runtime core: the client and its helpers are built for the real catalog.
    (package / "__init__.py").write_text('"""The runtime core, without the client."""\n')
    result = subprocess.run(
        [sys.executable, "-c", IMPORT_CHECK],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(tmp_path)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.stdout == "ok\n", result.stderr


def test_check_reports_stale_files(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["--root", str(root)]
    assert main(["--check", *argv]) == 1, "nothing generated yet"
    assert main(argv) == 0
    assert main(["--check", *argv]) == 0
    for path in OUTPUT_PATHS:
        target = root / path
        target.write_text(target.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
        capsys.readouterr()
        assert main(["--check", *argv]) == 1
        assert f"out of date: {path}" in capsys.readouterr().err
        assert main(argv) == 0
        assert main(["--check", *argv]) == 0


def test_check_notices_catalog_changes(root: Path) -> None:
    argv = ["--root", str(root)]
    assert main(argv) == 0
    ops = root / "spec" / "gadgets.yaml"
    ops.write_text(ops.read_text("utf-8").replace("every gadget", "all gadgets"), "utf-8")
    assert main(["--check", *argv]) == 1
    assert main(argv) == 0
    assert main(["--check", *argv]) == 0


def test_catalog_error_fails_without_writing(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (root / "spec" / "broken.yaml").write_text("GetThing: {http: GET}\n", encoding="utf-8")
    assert main(["--root", str(root)]) == 1
    assert "spec/broken.yaml: GetThing: missing doc, target" in capsys.readouterr().err
    assert not (root / "src").exists()
    assert not (root / "docs").exists()


LONG_DOC = (
    "Make a new bucket, placed in the connection's region unless the call names another one, and"
)


@pytest.mark.parametrize("where", ["docstring", "sources comment"])
def test_generated_lines_fit_in_100_columns(root: Path, where: str) -> None:
    spec = root / "spec"
    if where == "docstring":  # one line of 91 characters, after `        """`
        ops = spec / "gadgets.yaml"
        text = ops.read_text("utf-8")
        ops.write_text(
            text.replace("Page through every gadget the caller can see.", LONG_DOC), "utf-8"
        )
    else:  # a sources line wrapped to 99 columns after `  `, which then becomes `#   `
        for name in ("y" * 37, "z" * 38):
            (spec / f"{name}.yaml").write_text("", encoding="utf-8")
    assert main(["--root", str(root)]) == 0
    for path in OUTPUT_PATHS:
        if path.suffix == ".py":
            lines = (root / path).read_text("utf-8").splitlines()
            assert max(map(len, lines)) <= 100, path
