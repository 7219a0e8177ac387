"""Every ```python and ```bash example of the README and the docs, run against the test server.

The convention (README.md, "Development"):

- a document's examples run in order, in one temporary working directory, with a temporary HOME,
  `s3wire` on the PATH, and no S3WIRE_* or AWS_* variables from outside; what a bash example
  exports is seen by the examples after it (bash and python), as in one terminal session;
- examples are written for the local radosgw (`http://127.0.0.1:7480`, the AWS documentation's
  example keys), and those strings are replaced with the test server's;
- an example that cannot run there (it installs packages, needs AWS itself, ...) is preceded by
  `<!-- docs-test: skip (the reason) -->`; a skip without a reason fails;
- buckets an example creates are removed after its document;
- the README of an example (examples/NAME/README.md) runs in a copy of its folder.

docs/operations.md is left out: it is generated from the catalog, and its snippets are call
signatures with `...` for values (the generator's golden tests check them).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import servers
from cleanup import delete_every_version, empty_and_delete

import s3wire

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = sorted(
    path.relative_to(ROOT).as_posix()
    for path in [
        ROOT / "README.md",
        ROOT / "spec" / "README.md",
        *(ROOT / "docs").glob("*.md"),
        *(ROOT / "examples").glob("*/README.md"),
    ]
    if path.name != "operations.md"
)
# The documents whose examples call radosgw's admin API (the radosgw_admin fixture).
ADMIN_API = {"docs/extending.md", "examples/radosgw-admin/README.md"}
LANGUAGES = {"python": "python", "bash": "bash", "sh": "bash", "shell": "bash"}
FENCE = re.compile(r"^```(\w*)\n(.*?)^```$", re.M | re.S)
SKIP = re.compile(r"<!--\s*docs-test:\s*skip\s*(?:\((.*)\))?\s*-->")
PLACEHOLDERS = {
    "url": "http://127.0.0.1:7480",
    "access_key": servers.RADOSGW_DEFAULT_ACCESS_KEY,
    "secret_key": servers.RADOSGW_DEFAULT_SECRET_KEY,
}
OUTSIDE = ("S3WIRE_", "AWS_")
IGNORED = shutil.ignore_patterns("__pycache__")
ENV_DUMP = "DOCS_TEST_ENV_DUMP"


@dataclass(frozen=True)
class Example:
    """One fenced example: where it is, its language, its text, and why it is skipped."""

    document: str
    line: int
    language: str
    code: str
    skip: str | None

    def __str__(self) -> str:
        return f"{self.document}:{self.line} ({self.language})"


def examples(document: str) -> list[Example]:
    """The python and bash examples of a document, in order."""
    text = (ROOT / document).read_text(encoding="utf-8")
    found = []
    for match in FENCE.finditer(text):
        language = LANGUAGES.get(match.group(1))
        if language is None:
            continue
        before = text[: match.start()].rstrip("\n").rsplit("\n", 1)[-1]
        marker = SKIP.fullmatch(before.strip())
        reason = None
        if marker is not None:
            reason = (marker.group(1) or "").strip()
            assert reason, f"{document}: a docs-test skip needs a reason in parentheses"
        line = text.count("\n", 0, match.start()) + 1
        found.append(Example(document, line, language, match.group(2), reason))
    return found


def substitute(code: str, server: servers.S3Server) -> str:
    """The example written for the local radosgw, pointed at the test server."""
    values = {"url": server.url, "access_key": server.access_key, "secret_key": server.secret_key}
    for name, placeholder in PLACEHOLDERS.items():
        code = code.replace(placeholder, values[name])
    return code


class Session:
    """One document's terminal: a working directory, an environment that examples extend."""

    def __init__(self, root: Path) -> None:
        self.cwd = root / "work"
        self.cwd.mkdir()
        home = root / "home"
        home.mkdir()
        bin_dir = root / "bin"
        bin_dir.mkdir()
        shim = bin_dir / "s3wire"
        shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m s3wire.cli "$@"\n', "utf-8")
        shim.chmod(0o755)
        self.dump = root / "env"
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(OUTSIDE)}
        self.env.update(
            HOME=str(home),
            PATH=os.pathsep.join([str(bin_dir), self.env.get("PATH", "")]),
            PYTHONPATH=os.pathsep.join(
                filter(None, [str(ROOT / "src"), self.env.get("PYTHONPATH")])
            ),
        )

    def run(self, example: Example, code: str) -> subprocess.CompletedProcess[str]:
        if example.language == "bash":
            script = f'{code}\nenv -0 > "${ENV_DUMP}"\n'
            command = ["bash", "-e", "-u", "-o", "pipefail", "-c", script]
            env = {**self.env, ENV_DUMP: str(self.dump)}
        else:
            command = [sys.executable, "-c", code]
            env = self.env
        result = subprocess.run(
            command, cwd=self.cwd, env=env, capture_output=True, text=True, timeout=600, check=False
        )
        if example.language == "bash" and result.returncode == 0:
            pairs = (item.partition("=") for item in self.dump.read_text().split("\0") if item)
            self.env = {name: value for name, _, value in pairs if name != ENV_DUMP}
        return result


@pytest.fixture
def cleanup(s3_server: servers.S3Server, document: str) -> Iterator[None]:
    """Remove the buckets a document's examples created: those that are new and that the
    document names (another run's scratch buckets on a shared server are left alone)."""
    data = s3wire.get_data_structure(
        s3_server.url, s3_server.access_key, s3_server.secret_key, s3_server.region
    )
    text = (ROOT / document).read_text(encoding="utf-8")
    with s3wire.Client(data) as client:
        before = set(_buckets(client))
        yield
        for name in set(_buckets(client)) - before:
            if name in text:
                delete_every_version(client, name)
                empty_and_delete(client, name)


def _buckets(client: s3wire.Client) -> list[str]:
    listed = client.list_buckets().raise_for_status()
    return [b["Name"] for b in listed.response["ListAllMyBucketsResult"]["Buckets"]["Bucket"]]


def test_the_documents_have_examples() -> None:
    assert {"README.md", "docs/cli.md", "docs/configuration.md", "docs/transfers.md"} <= set(
        DOCUMENTS
    )
    assert all(examples(d) for d in ("README.md", "docs/cli.md", "docs/configuration.md"))


def test_skips_are_explained() -> None:
    # examples() refuses a skip without a reason
    skipped = [example for document in DOCUMENTS for example in examples(document) if example.skip]
    quick_start = [example for example in skipped if "nox -s tests" in example.code]
    assert [str(example).split(":")[0] for example in quick_start] == ["README.md"]


@pytest.mark.parametrize("document", DOCUMENTS)
def test_examples_run(
    document: str,
    s3_server: servers.S3Server,
    tmp_path: Path,
    cleanup: None,
    request: pytest.FixtureRequest,
) -> None:
    session = Session(tmp_path)
    if document.startswith("examples/"):
        folder = ROOT / Path(document).parent
        shutil.copytree(folder, session.cwd, dirs_exist_ok=True, ignore=IGNORED)
    if document in ADMIN_API:
        request.getfixturevalue("radosgw_admin")
    for example in examples(document):
        if example.skip:
            continue
        result = session.run(example, substitute(example.code, s3_server))
        assert result.returncode == 0, (
            f"{example} failed with status {result.returncode}\n--- example ---\n{example.code}"
            f"--- stdout ---\n{result.stdout}--- stderr ---\n{result.stderr}"
        )
