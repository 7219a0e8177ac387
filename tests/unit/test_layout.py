"""The layout: the runtime's folders show its architecture (transfers, the HTTP layer), the old
public import paths still work, and pytest imports test modules by file name, so those are
unique."""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

import s3wire
from s3wire._http import transport as http_transport
from s3wire.transfer import copying, dirsync, files

TESTS = Path(__file__).resolve().parent.parent
PACKAGE = Path(s3wire.__file__).resolve().parent
FOLDERS = {
    "transfer": {
        "files",
        "copying",
        "dirsync",
        "filewindow",
        "workers",
        "progress",
        "savefile",
        "composite",
    },
    "_http": {
        "transport",
        "pools",
        "logredact",
        "http1",
        "socket_transport",
        "bodies",
        "failing",
        "proxies",
    },
    "_request": {
        "prepare",
        "target",
        "answer",
        "attempts",
        "retry",
        "redirect",
        "regions",
        "presign",
        "endpoints",
    },
    "_checksums": {"tables"},
    "_auth": {
        "chain",
        "files",
        "refreshing",
        "expiry",
        "keys",
        "http",
        "endpoints",
        "sts",
        "process",
        "web_identity",
        "assume_role",
        "sso",
        "container",
        "imds",
    },
}
# The client needs these when built, or the generated code imports them: they stay at the top.
AT_THE_TOP = {"client", "_base", "integrity", "localfile", "limits", "sink", "transport_api"}


def modules_in(folder: Path) -> set[str]:
    return {path.stem for path in folder.glob("*.py")}


def imported_by(path: Path) -> set[str]:
    """The modules a file imports (relative ones as written: `..transfer`, `.pools`)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            names.add("." * node.level + (node.module or ""))
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_test_module_names_are_unique() -> None:
    names = Counter(
        path.name
        for path in TESTS.rglob("*.py")
        if "fixtures" not in path.parts and path.name != "conftest.py"
    )
    assert [name for name, count in names.items() if count > 1] == []


def test_each_layer_has_its_folder_and_its_modules_left_the_top() -> None:
    top = modules_in(PACKAGE)
    for folder, modules in FOLDERS.items():
        assert modules | {"__init__"} <= modules_in(PACKAGE / folder)
        assert not top & (modules - {"transport"})  # transport: the public name, below
    assert top >= AT_THE_TOP
    assert not top & {"transfer", "_http", "_request", "_logredact"}  # packages now, no flat module


def test_generated_library_code_imports_nothing_of_the_cli() -> None:
    """The records and the operations' mixins are the library's; only the CLI's command
    table (cli_commands) is the CLI's."""
    generated = {path.stem: imported_by(path) for path in (PACKAGE / "_generated").glob("*.py")}
    assert set(generated) == {
        "__init__",
        "records",
        "operations",
        "async_operations",
        "shapes",
        "shape_types",
        "endpoints",
        "cli_commands",
    }
    assert "..cli.spec" in generated.pop("cli_commands")
    assert {name: [m for m in found if "cli" in m] for name, found in generated.items()} == {
        name: [] for name in generated
    }


def test_the_http_layer_imports_nothing_of_the_transfers() -> None:
    for path in (PACKAGE / "_http").glob("*.py"):
        assert not {name for name in imported_by(path) if "transfer" in name}, path.name


def test_the_public_paths_still_name_the_moved_code() -> None:
    from s3wire import transfer
    from s3wire.transport import Urllib3Transport

    assert Urllib3Transport is http_transport.Urllib3Transport
    assert (transfer.upload_file, transfer.download_file) == (
        files.upload_file,
        files.download_file,
    )
    assert (transfer.MultipartUpload, transfer.Checksum) == (files.MultipartUpload, files.Checksum)
    assert transfer.copy_file is copying.copy_file
    assert (transfer.upload_dir, transfer.SyncResult) == (dirsync.upload_dir, dirsync.SyncResult)
    assert set(transfer.__all__) <= set(dir(transfer))
    for name in transfer.__all__:
        assert getattr(transfer, name) is not None


def test_request_building_does_no_io() -> None:
    """_request is pure: no transport, no sockets, no sleeping (the loops do those)."""
    io_modules = {"socket", "ssl", "urllib3", "http.client", "asyncio", "threading", "select"}
    for path in (PACKAGE / "_request").glob("*.py"):
        names = imported_by(path)
        assert not {name for name in names if "_http" in name or name in io_modules}, path.name
        assert "sleep(" not in path.read_text(), path.name


# argparse has no public way to list a parser's actions or name its containers' types.
STDLIB_PRIVATE = {"argparse._SubParsersAction", "argparse._ActionsContainer", "parser._actions"}


def private_reaches(path: Path) -> list[str]:
    """`from m import _name` of another module, and `x._name` on anything but self or cls
    where the module does not define `_name` itself (a private of its own class)."""
    found = []
    text = path.read_text()
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.ImportFrom):
            found += [
                f"import {alias.name}"
                for alias in node.names
                if alias.name.startswith("_") and not alias.name.startswith("__")
            ]
        elif isinstance(node, ast.Attribute) and node.attr.startswith("_"):
            owner = node.value
            own = isinstance(owner, ast.Name) and owner.id in {"self", "cls"}
            defined_here = f"def {node.attr}(" in text or f"self.{node.attr} =" in text
            reach = f"{ast.unparse(owner)}.{node.attr}"
            if not (own or defined_here or node.attr.startswith("__") or reach in STDLIB_PRIVATE):
                found.append(reach)
    return found


def test_no_runtime_module_reaches_into_another_modules_private_names() -> None:
    """Modules use each other's public names, or a declared internal API: the underscored
    packages (_request, _http, _generated, _auth) whose public names are meant for s3wire."""
    reaches = {
        str(path.relative_to(PACKAGE)): private_reaches(path)
        for path in PACKAGE.rglob("*.py")
        if "_generated" not in path.parts
    }
    assert {name: found for name, found in reaches.items() if found} == {}
