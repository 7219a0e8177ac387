"""`python -m codegen [--check]`: regenerate src/s3wire/_generated and docs from spec/."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .catalog import CatalogError, load_catalog
from .render import FormatterMissing, render

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    """Generate, or with --check report files that differ from a fresh generation."""
    parser = argparse.ArgumentParser(prog="python -m codegen", description=__doc__)
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    parser.add_argument("--root", type=Path, default=ROOT, help="project root (default: this repo)")
    args = parser.parse_args(argv)
    root: Path = args.root.resolve()
    spec_dir = root / "spec"
    try:
        catalog = load_catalog(spec_dir)
    except CatalogError as exc:
        print(f"catalog errors:\n{exc}", file=sys.stderr)
        return 1
    sources = sorted(str(p.relative_to(spec_dir)) for p in spec_dir.rglob("*.yaml"))
    try:
        files = render(catalog, sources, root)
    except FormatterMissing as exc:
        print(f"python -m codegen: {exc}", file=sys.stderr)
        return 2
    stale = [path for path, text in files.items() if _read(root / path) != text]
    if args.check:
        for path in stale:
            print(f"out of date: {path} (run python -m codegen)", file=sys.stderr)
        return 1 if stale else 0
    for path in stale:
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(files[path], encoding="utf-8")
        print(f"wrote {path}")
    print(f"{len(catalog.operations)} operations, {len(files) - len(stale)} files unchanged")
    return 0


def _read(path: Path) -> str | None:
    return path.read_text(encoding="utf-8") if path.is_file() else None


if __name__ == "__main__":
    sys.exit(main())
