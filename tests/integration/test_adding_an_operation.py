"""The README's promise: adding an operation is YAML plus regeneration, nothing else.

Copies the project, appends the README's example entry to the catalog, regenerates, checks that
only the catalog and generated files changed, then calls the new method against the server.
"""

from __future__ import annotations

import filecmp
import json
import os
import re
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import servers
from cleanup import empty_and_delete

import s3wire

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = "GetBucketRequestPayment"
GENERATED_OPERATIONS = "src/s3wire/_generated/operations.py"
GENERATED = {
    "src/s3wire/_generated/operations.py",
    "src/s3wire/_generated/records.py",
    "src/s3wire/_generated/shapes.py",
    "src/s3wire/_generated/cli_commands.py",
}
CALL = """
import json, sys, s3wire
client = s3wire.Client(json.loads(sys.stdin.readline()))
answer = client.get_bucket_request_payment(bucket=sys.argv[1])
print(json.dumps(answer.to_dict()))
"""


def readme_example() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("### Adding an operation", 1)[1]
    match = re.search(r"```yaml\n(.*?)```", section, re.S)
    assert match, "the README shows the YAML of an added operation"
    return match.group(1)


def changed_files(before: Path, after: Path) -> set[str]:
    changed = set()
    for path in after.rglob("*"):
        if path.is_file() and "__pycache__" not in path.parts:
            relative = path.relative_to(after)
            original = before / relative
            if not original.is_file() or not filecmp.cmp(original, path, shallow=False):
                changed.add(str(relative))
    return changed


def without_entry(text: str, name: str) -> str:
    """A catalog file's text without one top-level entry (up to the next top-level line)."""
    lines = text.splitlines(keepends=True)
    start = lines.index(f"{name}:\n")
    end = next(
        (i for i in range(start + 1, len(lines)) if lines[i][:1] not in (" ", "\n")), len(lines)
    )
    return "".join(lines[:start] + lines[end:])


def regenerate(project: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "s3wire.codegen", "--root", str(project)],
        cwd=project,
        env={**os.environ, "PYTHONPATH": str(project / "src")},
        check=True,
    )


def test_readme_example_operation_works(tmp_path: Path, s3_server: servers.S3Server) -> None:
    project = tmp_path / "project"
    for part in ("spec", "src", "docs"):
        shutil.copytree(ROOT / part, project / part, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", project)
    # Once the real catalog has the example, take it out first: adding it back must then give
    # exactly the committed generated code.
    holder = next(
        (p for p in (project / "spec").rglob("*.yaml") if f"\n{EXAMPLE}:\n" in p.read_text()),
        None,
    )
    if holder is not None:
        holder.write_text(without_entry(holder.read_text(), EXAMPLE), encoding="utf-8")
        regenerate(project)
        assert "def get_bucket_request_payment" not in (project / GENERATED_OPERATIONS).read_text()
    catalog = holder or project / "spec" / "buckets.yaml"
    with catalog.open("a", encoding="utf-8") as stream:
        stream.write("\n" + readme_example())
    regenerate(project)
    edited = str(catalog.relative_to(project))
    if holder is not None:
        assert changed_files(ROOT, project) <= {edited}
    else:
        assert changed_files(ROOT, project) == {edited, "docs/operations.md", *GENERATED}

    data = s3wire.get_data_structure(
        s3_server.url, s3_server.access_key, s3_server.secret_key, s3_server.region
    )
    bucket = f"s3wire-{uuid.uuid4().hex[:12]}"
    with s3wire.Client(data) as client:
        client.create_bucket(bucket=bucket).raise_for_status()
        try:
            result = subprocess.run(
                [sys.executable, "-c", CALL, bucket],
                input=json.dumps(data) + "\n",
                env=dict(os.environ, PYTHONPATH=str(project / "src")),
                capture_output=True,
                text=True,
                check=False,
            )
        finally:
            empty_and_delete(client, bucket)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["status"] == 200
    assert answer["response"]["RequestPaymentConfiguration"]["Payer"] == "BucketOwner"
