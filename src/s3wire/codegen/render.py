"""Render the catalog through the Jinja2 templates and format the Python with ruff."""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from .catalog import load_yaml
from .kinds import kind_of
from .model import Catalog, Operation, Param, TypeRef

TEMPLATE_DIR = Path(__file__).parent / "templates"
GENERATED = Path("src/s3wire/_generated")
OUTPUTS = {
    GENERATED / "__init__.py": "__init__.py.jinja",
    GENERATED / "shape_types.py": "shape_types.py.jinja",
    GENERATED / "shapes.py": "shapes.py.jinja",
    GENERATED / "records.py": "records.py.jinja",
    GENERATED / "operations.py": "operations.py.jinja",
    GENERATED / "async_operations.py": "operations.py.jinja",
    GENERATED / "cli_commands.py": "cli_commands.py.jinja",
    Path("docs/operations.md"): "operations.md.jinja",
    GENERATED / "endpoints.py": "endpoints.py.jinja",
}
# The operations are rendered twice from one template: as methods of the sync client, and
# as `async def` methods of the async one (in the module named so).
ASYNC_MODULE = "async_operations.py"
ENDPOINTS_FILE = Path("spec/endpoints.yaml")  # the partitions; not an operation file
# The shared files a user's catalog may refer to, copied into the package (s3wire.codegen.base).
SHARED_COPIES = GENERATED / "catalog"


@dataclass(frozen=True)
class Target:
    """What one generation writes: under `root`, each output's path and its template; the
    templates' `settings`; `copies` (path -> file copied whole); ruff's extra options."""

    root: Path
    outputs: Mapping[Path, str]
    settings: Mapping[str, Any]
    copies: Mapping[Path, Path] = field(default_factory=dict)
    ruff_options: tuple[str, ...] = ()


def runtime_settings(package: str) -> dict[str, str]:
    """How the generated modules import s3wire's runtime: from `package` ("..", "s3wire")."""
    return {"runtime": package, "runtime_dot": package if package.endswith(".") else package + "."}


def own_target(root: Path) -> Target:
    """s3wire's own generation: spec/ into src/s3wire/_generated and docs/."""
    shared = ("shapes.yaml", "params.yaml", "response-headers.yaml")
    return Target(
        root=root,
        outputs=OUTPUTS,
        settings={
            **runtime_settings(".."),
            "generator": "codegen",
            "origin": "codegen from spec/",
            "spec_name": "spec",
            "composed": "GeneratedOperations",
            "client_module": "s3wire",
            "prefix": "",
            "plugin": "",
            "command": "s3wire",
            "endpoints": load_yaml(root / ENDPOINTS_FILE),
        },
        copies={SHARED_COPIES / name: Path("spec", name) for name in shared},
    )


def record_names(catalog: Catalog) -> list[str]:
    """The names the operations' methods take from the records module, sorted."""
    names = set()
    for op in catalog.operations:
        names.add(op.constant)
        for param in op.params:
            if param.enum:
                names |= {param.enum_type, param.enum_values}
            if param.items:
                names |= {param.items.name, param.items.constant}
    return sorted(names)


def request_line(op: Operation) -> str:
    """The request target, e.g. /{bucket}/{key}?tagging."""
    path = {"service": op.path, "bucket": "/{bucket}", "object": "/{bucket}/{key}"}[op.target]
    query = "&".join(f"{k}={v}" if v else k for k, v in op.query)
    return f"{path}?{query}" if query else path


def wire_place(param: Param) -> str:
    """Where a parameter goes, for the docs."""
    if param.location == "payload":
        return "request body"
    if param.location == "xml":
        return "XML body"
    if param.location == "header_prefix":
        return f"headers `{param.wire}*`"
    return f"{param.location} `{param.wire}`"


def example_cli(op: Operation, command: str) -> str:
    """The CLI command (after `command`, such as "s3wire") with its required options."""
    words = [command, op.cli_name]
    if op.target != "service":
        words.append("--bucket my-bucket")
    if op.target == "object":
        words.append("--key path/to/key")
    words.extend(f"--{p.name.replace('_', '-')} ..." for p in op.params if p.required)
    return " ".join(words)


def example_response(op: Operation, catalog: Catalog) -> str:
    """An example of the parsed answer, built from the response shape, as JSON."""
    if op.response_event_stream:
        body: object = {"Events": [{"Records": {"Payload": "..."}}, {"End": {}}]}
    elif op.response_root is None:
        body = {}
    elif op.response_struct is None:
        body = {op.response_root: "text"}
    else:
        body = {op.response_root: _example(TypeRef(struct=op.response_struct), catalog, 0)}
    return json.dumps(body, indent=2)


_EXAMPLE_SCALARS = {"str": "...", "int": 0, "bool": False, "timestamp": "2024-01-01T00:00:00.000Z"}


def _example(ref: TypeRef, catalog: Catalog, depth: int) -> object:
    if ref.struct is not None:
        struct = catalog.struct(ref.struct)
        item: object = (
            {element: _example(member, catalog, depth + 1) for element, member in struct.members}
            if depth < 4
            else {}
        )
    else:
        item = _EXAMPLE_SCALARS[ref.scalar or "str"]
    return [item] if ref.is_list else item


def example_args(op: Operation) -> str:
    """Example call arguments: the implied ones and the required parameters."""
    args = []
    if op.target != "service":
        args.append('bucket="my-bucket"')
    if op.target == "object":
        args.append('key="path/to/key"')
    args.extend(f"{p.name}=..." for p in op.params if p.required)
    return ", ".join(args)


def wrap(text: str, indent: int, hang: int = 0, lead: int = 0, tail: int = 0) -> str:
    """Wrap text to end by column 100 when placed at `indent` after `lead` characters (such as
    opening quotes) and before `tail` ones; later lines are indented `hang` more."""
    lines = textwrap.wrap(
        " " * lead + text,
        width=100 - indent - tail,
        subsequent_indent=" " * hang,
        break_long_words=False,
        break_on_hyphens=False,
    )
    if lines:
        lines[0] = lines[0][lead:]
    return ("\n" + " " * indent).join(lines)


def environment() -> jinja2.Environment:
    """The Jinja2 environment with the filters the templates use."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,  # the output is Python and Markdown, not HTML
    )
    env.filters["pyrepr"] = repr
    env.filters["request_line"] = request_line
    env.filters["wire_place"] = wire_place
    env.filters["wrap"] = wrap
    env.filters["example_args"] = example_args
    env.filters["example_cli"] = example_cli
    # A parameter's kind (codegen.kinds) answers for its type, wire form and CLI parser.
    env.filters["param_type"] = lambda param: kind_of(param).py_type(param)
    env.filters["wire_value"] = lambda param: kind_of(param).wire(param)
    env.filters["cli_parser"] = lambda param: kind_of(param).cli
    env.filters["param_kind"] = lambda param: kind_of(param).shown(param)
    env.filters["example_response"] = example_response
    env.filters["record_names"] = record_names
    return env


def render(catalog: Catalog, sources: list[str], target: Target) -> dict[Path, str]:
    """Every generated file's path (relative to the target's root) and text, Python formatted
    by ruff; `sources` are the catalog's files, relative to its folder."""
    env = environment()
    spec = target.settings["spec_name"]
    context = {
        **target.settings,
        "catalog": catalog,
        "structs": {s.name: s for s in catalog.structs},
        "sources": ", ".join(f"{spec}/{s}" for s in sources if Path(spec, s) != ENDPOINTS_FILE),
    }
    files = {}
    for path, template in target.outputs.items():
        text = env.get_template(template).render(context, is_async=path.name == ASYNC_MODULE)
        if path.suffix == ".py":
            text = ruff_format(text, target.root / path, target.root, target.ruff_options)
        files[path] = text
    for path, source in target.copies.items():
        text = (target.root / source).read_text(encoding="utf-8")
        files[path] = f"# Copied by codegen from {source.as_posix()}. DO NOT EDIT.\n{text}"
    return files


class FormatterMissing(RuntimeError):
    """ruff, which formats the generated Python, is not installed."""


def ruff_command() -> list[str]:
    """How to run ruff: this interpreter's own (`python -m ruff`), else the one on PATH."""
    if importlib.util.find_spec("ruff") is not None:
        return [sys.executable, "-m", "ruff"]
    found = shutil.which("ruff")
    if found is None:
        raise FormatterMissing(
            "ruff formats the generated code and is not installed for this Python nor on PATH: "
            "run `python3 -m nox -s codegen` (it installs it), or "
            "`pip install -e '.[dev]'` (ruff pinned as the golden files need)"
        )
    return [found]


def ruff_format(text: str, path: Path, root: Path, options: tuple[str, ...] = ()) -> str:
    """Drop unused imports and format Python source with ruff, using the settings of the
    project in `root` (and `options`)."""
    ruff = ruff_command()
    for command in (
        [*ruff, "check", "--fix", "--select", "F401,I", "--exit-zero", "--quiet"],
        [*ruff, "format"],
    ):
        result = subprocess.run(
            [*command, *options, "--stdin-filename", str(path), "-"],
            input=text,
            capture_output=True,
            text=True,
            cwd=root,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed on {path}:\n{result.stderr}\n{text}")
        text = result.stdout
    return text
