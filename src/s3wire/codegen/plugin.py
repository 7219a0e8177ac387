"""A catalog of your own built on s3wire's: the package it becomes, what it may refer to (the
shared files s3wire ships) and the names it may not take (s3wire's methods and commands)."""

from __future__ import annotations

import keyword
from pathlib import Path

from .catalog import Base, CatalogError
from .model import Catalog
from .render import SHARED_COPIES, Target, runtime_settings

SHARED_DIR = Path(__file__).resolve().parents[1] / SHARED_COPIES.relative_to("src/s3wire")
# The package's files and their templates: the operations' modules are s3wire's own.
PACKAGE_OUTPUTS = {
    "__init__.py": "package.py.jinja",
    "shape_types.py": "shape_types.py.jinja",
    "shapes.py": "shapes.py.jinja",
    "records.py": "records.py.jinja",
    "operations.py": "operations.py.jinja",
    "async_operations.py": "operations.py.jinja",
    "cli_commands.py": "cli_commands.py.jinja",
    "OPERATIONS.md": "operations.md.jinja",
}
# The generated code reads the same with any ruff settings of the project around it.
RUFF_OPTIONS = (
    "--isolated",
    "--line-length=100",
    "--target-version=py310",
    "--config=lint.isort.known-third-party=['s3wire']",
)


def s3wire_base() -> Base:
    """s3wire's catalog as a base: its shared files, and the names its clients and command line
    take (a generated operation's method, a helper, a handwritten command)."""
    from .._generated.records import OPERATIONS
    from ..async_client import AsyncClient
    from ..cli.commands import HANDWRITTEN
    from ..client import Client

    taken = {
        name: f"s3wire.{cls.__name__}.{name}"
        for cls in (AsyncClient, Client)
        for name in dir(cls)
        if not name.startswith("_")
    }
    taken.update({name: f"s3wire's operation {op.name}" for name, op in OPERATIONS.items()})
    taken.update({c.name.replace("-", "_"): f"s3wire's command {c.name}" for c in HANDWRITTEN})
    return Base(shared_dir=SHARED_DIR, taken=taken)


def package_target(spec_dir: Path, out: Path, name: str) -> Target:
    """The generation of the catalog in spec_dir into the package folder `out`, whose clients
    are {name}Client and Async{name}Client."""
    package = out.name
    if not package.isidentifier() or keyword.iskeyword(package):
        raise CatalogError(f"{out}: a package's folder is named as a Python identifier")
    if not name.isidentifier() or not name[:1].isupper():
        raise CatalogError(f"--name {name}: the clients' name is a PascalCase identifier")
    return Target(
        root=out.parent,
        outputs={Path(package, path): template for path, template in PACKAGE_OUTPUTS.items()},
        settings={
            **runtime_settings("s3wire"),
            "generator": "s3wire.codegen",
            "origin": f"s3wire.codegen from {spec_dir.name}/",
            "spec_name": spec_dir.name,
            "composed": f"{name}Operations",
            "client_module": package,
            "prefix": name,
            "plugin": package,
            "command": f"s3wire --plugin {package}",
        },
        ruff_options=RUFF_OPTIONS,
    )


def check_package(catalog: Catalog, target: Target) -> None:
    """CatalogError if a catalog file's mixin class would take the package's composed name."""
    composed = target.settings["composed"]
    for file in catalog.files():
        if file.class_name == composed:
            raise CatalogError(
                f"{file.source}: its operations' class {composed} is the package's own "
                "(rename the file, or give another --name)"
            )
