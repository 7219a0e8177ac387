"""What both benchmarks share: the machine and versions they report, a run against a fresh
radosgw, and writing one section of bench/RESULTS.md without touching the others."""

from __future__ import annotations

import argparse
import os
import platform
import re
import subprocess
import sys
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import servers  # noqa: E402 (found through the path set just above)

Rows = dict[str, dict[str, Any]]
# Whose versions a report names.
PACKAGES = ("s3wire", "boto3", "botocore", "minio", "obstore", "awscli", "requests", "urllib3")


def on_radosgw(
    measure: Callable[[dict[str, str], argparse.Namespace], Rows], args: argparse.Namespace
) -> Rows:
    """Start a throw-away radosgw, measure against it, stop it."""
    started = servers.start_radosgw()
    server = {
        "url": started.url,
        "access_key": started.access_key,
        "secret_key": started.secret_key,
    }
    try:
        return measure(server, args)
    finally:
        servers.stop_radosgw()


def on_server(
    measure: Callable[[dict[str, str], argparse.Namespace], Rows], args: argparse.Namespace
) -> Rows:
    """Measure against args.url (a running server; its keys in S3WIRE_TEST_ACCESS_KEY and
    S3WIRE_TEST_SECRET_KEY), or a throw-away radosgw when there is none."""
    if not args.url:
        return on_radosgw(measure, args)
    server = {
        "url": args.url,
        "access_key": os.environ["S3WIRE_TEST_ACCESS_KEY"],
        "secret_key": os.environ["S3WIRE_TEST_SECRET_KEY"],
    }
    return measure(server, args)


def write_section(out: Path, name: str, body: str) -> None:
    """Put `body` between <!-- name --> markers in `out` (replacing that section, or appended);
    everything else in the file stays as it is."""
    section = f"<!-- {name} -->\n{body}<!-- /{name} -->\n"
    text = out.read_text(encoding="utf-8") if out.exists() else ""
    pattern = re.compile(f"<!-- {name} -->\n.*?<!-- /{name} -->\n?", re.DOTALL)
    if pattern.search(text):
        text = pattern.sub(lambda _: section, text)
    else:
        text += ("\n" if text else "") + section
    out.write_text(text, encoding="utf-8")


def versions() -> dict[str, str]:
    found = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    if found["s3wire"] == "not installed":  # run from a checkout (PYTHONPATH=src)
        import s3wire

        found["s3wire"] = f"{s3wire.__version__} (from {Path(s3wire.__file__).parent})"
    try:
        found["radosgw"] = (
            subprocess.run(["radosgw", "--version"], capture_output=True, text=True)
            .stdout.split("(")[0]
            .strip()
        )
    except OSError:
        found["radosgw"] = "unknown"
    return found


def machine() -> str:
    model = "unknown CPU"
    with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, {model}"
