"""A catalog of one's own, for the tests of `python -m s3wire.codegen --spec DIR --out PACKAGE`:
two radosgw admin calls, and a listing that refers to s3wire's shared shapes and parameters."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import ModuleType

from s3wire.codegen.__main__ import main

FILES = {
    "admin.yaml": """\
group: configuration

GetAdminUsage:
  doc: The usage radosgw logged, per user and bucket.
  http: GET
  target: service
  path: /admin/usage
  query: {format: xml}
  params:
    show_summary: {query: show-summary, type: bool, doc: Whether to add the totals per user.}
  response:
    body:
      usage:
        entries: str
        summary: str

GetAdminUser:
  doc: A radosgw user's information, found by one of its access keys.
  http: GET
  target: service
  path: /admin/user
  query: {format: xml}
  params:
    access_key: {query: access-key, required: true, doc: One of the user's access keys.}
  response:
    body:
      user_info:
        user_id: str
        max_buckets: int
        caps:
          cap: list[AdminCap]
""",
    "listing.yaml": """\
group: buckets

ListFirstKeys:
  doc: The first keys of a bucket, with their owners.
  http: GET
  target: bucket
  query: {list-type: "2", fetch-owner: "true"}
  params:
    max_keys: {query: max-keys, type: int, doc: At most this many keys.}
    expected_bucket_owner: common
  response:
    body:
      ListBucketResult:
        KeyCount: int
        Contents: list[Object]
""",
    "shapes.yaml": """\
AdminCap:
  type: str
  perm: str
""",
}


def write_catalog(folder: Path, files: dict[str, str] | None = None) -> Path:
    """The catalog's files (or `files`) written into folder/catalog; that folder."""
    spec = folder / "catalog"
    spec.mkdir(parents=True)
    for name, text in (FILES if files is None else files).items():
        (spec / name).write_text(text, encoding="utf-8")
    return spec


def generate(spec: Path, out: Path, *options: str) -> int:
    """Run the generator on a catalog into the package folder `out`; its exit status."""
    return main(["--spec", str(spec), "--out", str(out), "--name", "Mine", *options])


def import_package(out: Path) -> ModuleType:
    """The generated package, imported from its folder's parent (afresh)."""
    for name in [name for name in sys.modules if name.split(".")[0] == out.name]:
        del sys.modules[name]
    sys.path.insert(0, str(out.parent))
    try:
        return importlib.import_module(out.name)
    finally:
        sys.path.remove(str(out.parent))
