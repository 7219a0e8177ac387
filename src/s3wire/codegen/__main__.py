"""`python -m s3wire.codegen [--check]`: regenerate src/s3wire/_generated and docs from spec/;
with `--spec DIR --out PACKAGE_DIR`, generate a package from a catalog of your own."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .catalog import Base, CatalogError, load_catalog
from .model import pascal
from .render import FormatterMissing, Target, own_target, render

ROOT = Path(__file__).resolve().parents[3]  # the source tree: src/s3wire/codegen


def main(argv: list[str] | None = None) -> int:
    """Generate, or with --check report files that differ from a fresh generation."""
    parser = argparse.ArgumentParser(prog="python -m s3wire.codegen", description=__doc__)
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    parser.add_argument("--root", type=Path, default=ROOT, help="project root (default: this repo)")
    parser.add_argument(
        "--spec", type=Path, help="a catalog of your own: a folder of YAML files, as spec/"
    )
    parser.add_argument("--out", type=Path, help="with --spec: the package folder to write")
    parser.add_argument(
        "--name", help="with --spec: the clients are NAMEClient, AsyncNAMEClient (default: --out's)"
    )
    args = parser.parse_args(argv)
    if (args.spec is None) != (args.out is None) or (args.name and args.spec is None):
        parser.error("--spec and --out go together (and --name with them)")
    try:
        spec_dir, base, target = _plan(args)
        catalog = load_catalog(spec_dir, base)
        if base is not None:
            from .plugin import check_package

            check_package(catalog, target)
    except CatalogError as exc:
        print(f"catalog errors:\n{exc}", file=sys.stderr)
        return 1
    sources = sorted(p.relative_to(spec_dir).as_posix() for p in spec_dir.rglob("*.yaml"))
    try:
        files = render(catalog, sources, target)
    except FormatterMissing as exc:
        print(f"{parser.prog}: {exc}", file=sys.stderr)
        return 2
    root = target.root
    stale = [path for path, text in files.items() if _read(root / path) != text]
    if args.check:
        for path in stale:
            print(f"out of date: {path} (run {parser.prog} without --check)", file=sys.stderr)
        return 1 if stale else 0
    for path in stale:
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(files[path], encoding="utf-8")
        print(f"wrote {path}")
    print(f"{len(catalog.operations)} operations, {len(files) - len(stale)} files unchanged")
    return 0


def _plan(args: argparse.Namespace) -> tuple[Path, Base | None, Target]:
    """The catalog's folder, the catalog it builds on (None for s3wire's own), and the target."""
    if args.spec is None:
        root: Path = args.root.resolve()
        if not (root / "spec").is_dir():
            raise CatalogError(
                f"{root}: no spec/ folder here (s3wire's own catalog is generated in its source "
                "tree; give --spec and --out for a catalog of your own)"
            )
        return root / "spec", None, own_target(root)
    from .plugin import package_target, s3wire_base

    spec_dir: Path = args.spec.resolve()
    out: Path = args.out.resolve()
    if not spec_dir.is_dir():
        raise CatalogError(f"{args.spec}: no such folder")
    if not out.parent.is_dir():
        raise CatalogError(f"{args.out}: its parent folder does not exist")
    return spec_dir, s3wire_base(), package_target(spec_dir, out, args.name or pascal(out.name))


def _read(path: Path) -> str | None:
    return path.read_text(encoding="utf-8") if path.is_file() else None


if __name__ == "__main__":
    sys.exit(main())
