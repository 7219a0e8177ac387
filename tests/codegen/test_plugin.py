"""A catalog of one's own (`python -m s3wire.codegen --spec DIR --out PACKAGE`): the package it
becomes, its drift check, the errors it is refused with, and `s3wire --plugin PACKAGE`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from plugin_catalog import FILES, generate, import_package, write_catalog

import s3wire
from s3wire.cli.main import main as cli
from s3wire.codegen.__main__ import main
from s3wire.codegen.plugin import PACKAGE_OUTPUTS
from s3wire.testing import Answer, MockTransport

REPO = Path(__file__).resolve().parents[2]
USE = """\
from mine import AsyncMineClient, MineClient


def caps(client: MineClient) -> list[str]:
    info = client.get_admin_user(access_key="a").response["user_info"]
    return [cap["perm"] for cap in info["caps"]["cap"]] + [info["user_id"]]


async def keys(client: AsyncMineClient) -> int:
    listed = await client.list_first_keys(bucket="b", max_keys=2, expected_bucket_owner="1")
    owner: str = listed.response["ListBucketResult"]["Contents"][0]["Owner"]["ID"]
    return listed.response["ListBucketResult"]["KeyCount"] + len(owner)
"""


@pytest.fixture
def package(tmp_path: Path) -> Iterator[Path]:
    """The test catalog generated into tmp_path/pkg/mine (forgotten by the importer after)."""
    out = tmp_path / "pkg" / "mine"
    out.parent.mkdir()
    assert generate(write_catalog(tmp_path), out) == 0
    yield out
    for name in [name for name in sys.modules if name.split(".")[0] == out.name]:
        del sys.modules[name]


def test_the_package_has_its_files(package: Path) -> None:
    assert sorted(p.name for p in package.iterdir()) == sorted(PACKAGE_OUTPUTS)
    shapes = (package / "shapes.py").read_text("utf-8")
    assert "OWNER_XML: Schema" in shapes, "s3wire's shared shapes it refers to are in its own"
    assert "DELETE_MARKER_ENTRY_XML" not in shapes, "and only those"
    reference = (package / "OPERATIONS.md").read_text("utf-8")
    assert "s3wire --plugin mine list-first-keys --bucket my-bucket" in reference
    assert "`x-amz-expected-bucket-owner`" in reference


def test_its_clients_are_s3wire_clients_with_its_methods(package: Path) -> None:
    mine = import_package(package)
    assert issubclass(mine.MineClient, s3wire.Client)
    assert issubclass(mine.AsyncMineClient, s3wire.AsyncClient)
    transport = MockTransport(
        Answer(200, body=b"<ListBucketResult><KeyCount>0</KeyCount></ListBucketResult>")
    )
    with mine.MineClient(
        url="http://127.0.0.1:1", access_key="a", secret_key="b", region="r", transport=transport
    ) as client:
        answer = client.list_first_keys(bucket="b", max_keys=2, expected_bucket_owner="123")
        assert client.list_buckets  # s3wire's own operations too
    assert answer.response == {"ListBucketResult": {"KeyCount": 0, "Contents": []}}
    (sent,) = transport.requests
    assert sent.url.endswith("/b?fetch-owner=true&list-type=2&max-keys=2")
    assert sent.headers["x-amz-expected-bucket-owner"] == "123"


def test_the_package_type_checks(package: Path) -> None:
    (package.parent / "use.py").write_text(USE, encoding="utf-8")
    config = ["--config-file", str(REPO / "pyproject.toml")]
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            *config,
            str(package.parent / "use.py"),
            str(package),
        ],
        env={**os.environ, "MYPYPATH": os.pathsep.join([str(REPO / "src"), str(package.parent)])},
        cwd=package.parent,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_catches_drift(
    tmp_path: Path, package: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "catalog"
    assert generate(spec, package, "--check") == 0
    admin = spec / "admin.yaml"
    admin.write_text(admin.read_text("utf-8").replace("per user and bucket", "by user"), "utf-8")
    capsys.readouterr()
    assert generate(spec, package, "--check") == 1
    err = capsys.readouterr().err
    for name in ("operations.py", "async_operations.py", "cli_commands.py", "OPERATIONS.md"):
        assert f"out of date: mine/{name}" in err
    assert "out of date: mine/shapes.py" not in err
    assert generate(spec, package) == 0
    assert generate(spec, package, "--check") == 0


def test_check_of_a_package_never_generated(tmp_path: Path) -> None:
    out = tmp_path / "mine"
    assert generate(write_catalog(tmp_path), out, "--check") == 1
    assert not out.exists()


ERRORS = [
    (
        {"ops.yaml": FILES["admin.yaml"].replace("GetAdminUsage:", "GetObject:")},
        "catalog/ops.yaml: GetObject: its method and command get_object would clash with "
        "s3wire's operation GetObject",
    ),
    (
        {"ops.yaml": FILES["admin.yaml"].replace("GetAdminUsage:", "Paginate:")},
        "catalog/ops.yaml: Paginate: its method and command paginate would clash with "
        "s3wire.Client.paginate",
    ),
    (
        {"ops.yaml": FILES["admin.yaml"].replace("GetAdminUsage:", "UploadFile:")},
        "catalog/ops.yaml: UploadFile: its method and command upload_file would clash with "
        "s3wire's command upload-file",
    ),
    (
        {"ops.yaml": FILES["admin.yaml"].replace("GetAdminUsage:", "Ls:")},
        "catalog/ops.yaml: Ls: its method and command ls would clash with s3wire's command ls",
    ),
    (
        {"ops.yaml": FILES["listing.yaml"].replace("list[Object]", "list[Objekt]")},
        "catalog/ops.yaml: ListFirstKeys: response.body.ListBucketResult.Contents: unknown type "
        "'Objekt' (not a scalar nor a shape in shapes.yaml)",
    ),
    (
        {"ops.yaml": FILES["listing.yaml"].replace("expected_bucket_owner", "expected_owner")},
        "catalog/ops.yaml: ListFirstKeys: params.expected_owner: no common parameter "
        "'expected_owner' in s3wire's or the catalog's params.yaml",
    ),
    (
        {"ops.yaml": FILES["admin.yaml"].replace("  http: GET\n  target: service\n", "", 1)},
        "catalog/ops.yaml: GetAdminUsage: missing http, target",
    ),
    (
        {**FILES, "shapes.yaml": "Owner:\n  ID: str\n"},
        "catalog/shapes.yaml: Owner: s3wire's shapes.yaml has Owner already",
    ),
    ({"ops.yaml": "GetThing: [unclosed\n"}, "catalog/ops.yaml"),
    (
        {"mine.yaml": FILES["admin.yaml"]},
        "catalog/mine.yaml: its operations' class MineOperations is the package's own",
    ),
]


@pytest.mark.parametrize(("files", "message"), ERRORS, ids=[m for _, m in ERRORS])
def test_errors_name_file_and_entry(
    tmp_path: Path, files: dict[str, str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "mine"
    files = {"shapes.yaml": FILES["shapes.yaml"], **files}  # AdminCap, for the admin calls
    assert generate(write_catalog(tmp_path, files), out) == 1
    assert message in capsys.readouterr().err
    assert not out.exists(), "nothing written"


def test_bad_arguments(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = write_catalog(tmp_path)
    assert generate(spec, tmp_path / "no-such" / "mine") == 1
    assert "its parent folder does not exist" in capsys.readouterr().err
    assert generate(spec, tmp_path / "my-package") == 1
    assert "named as a Python identifier" in capsys.readouterr().err
    assert generate(tmp_path / "nowhere", tmp_path / "mine") == 1
    assert "nowhere: no such folder" in capsys.readouterr().err


def test_the_own_generation_needs_a_source_tree(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--root", str(tmp_path)]) == 1
    assert "no spec/ folder here" in capsys.readouterr().err


def test_the_cli_runs_a_plugins_commands(
    package: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.syspath_prepend(str(package.parent))
    for name, value in {"URL": "http://127.0.0.1:1", "ACCESS_KEY": "a", "SECRET_KEY": "b"}.items():
        monkeypatch.setenv(f"S3WIRE_{name}", value)
    monkeypatch.setenv("S3WIRE_REGION", "r")
    transport = MockTransport(Answer(200, body=b"<usage><entries/><summary/></usage>"))
    assert (
        cli(["--plugin", "mine", "get-admin-usage", "--show-summary", "true"], transport=transport)
        == 0
    )
    assert json.loads(capsys.readouterr().out)["response"] == {
        "usage": {"entries": "", "summary": ""}
    }
    assert transport.requests[0].url.endswith("/admin/usage?format=xml&show-summary=true")
    assert cli(["get-admin-usage"], transport=transport) == 2, "not without --plugin"


@pytest.mark.parametrize(
    ("plugin", "message"),
    [
        ("no_such_package", "--plugin no_such_package: cannot import no_such_package.cli_commands"),
        ("json", "--plugin json: cannot import json.cli_commands"),
        ("s3wire._generated", "s3wire._generated.cli_commands has no COMMANDS table and CLIENT"),
    ],
)
def test_the_cli_refuses_what_is_no_plugin(
    plugin: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(["--plugin", plugin, "ls"]) == 2
    assert message in capsys.readouterr().err


def test_the_cli_refuses_a_plugin_taking_a_command(
    package: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    table = package / "cli_commands.py"
    table.write_text(table.read_text("utf-8").replace('"get-admin-usage"', '"ls"'), "utf-8")
    monkeypatch.syspath_prepend(str(package.parent))
    assert cli(["--plugin=mine", "ls"]) == 2
    assert "--plugin mine: its command ls is taken already" in capsys.readouterr().err
