"""Sessions: tests, demo, codegen, lint. `nox -s tests` is the README's test command."""

from __future__ import annotations

import nox

nox.options.sessions = ["tests", "lint"]
nox.options.reuse_existing_virtualenvs = True

RADOSGW_SCRIPT = "scripts/radosgw.sh"


@nox.session
def tests(session: nox.Session) -> None:
    """The whole suite: unit, generator and integration tests (radosgw is installed and started)."""
    session.install("-e", ".[dev]")
    session.run("bash", "scripts/test-tools.sh", external=True)
    session.run("pytest", *(session.posargs or ["tests"]), env={"NO_PROXY": "127.0.0.1,localhost"})


@nox.session
def demo(session: nox.Session) -> None:
    """A tour of the library against a local server it starts (moto; `-- --radosgw` for radosgw)."""
    session.install("-e", ".", "moto[server]==5.2.1")
    if "--radosgw" in session.posargs:
        session.run("bash", RADOSGW_SCRIPT, "install", external=True)
    session.run("python", "scripts/demo.py", *session.posargs)


@nox.session
def codegen(session: nox.Session) -> None:
    """Regenerate src/s3wire/_generated and docs/ from spec/ (`-- --check` only compares)."""
    session.install("-e", ".[codegen]", "ruff==0.17.6")
    session.run("python", "-m", "s3wire.codegen", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """The generated code is current; ruff and mypy --strict are clean."""
    session.install("-e", ".[dev]")
    session.run("python", "-m", "s3wire.codegen", "--check")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("mypy", "--strict", "src", "tests/typing")


@nox.session
def drift(session: nox.Session) -> None:
    """The operations, members and enum values of the newest botocore's S3 model the catalog
    lacks (or has otherwise); fails when there are any. Not run by default nor in CI."""
    session.install("--upgrade", "botocore", "-e", ".[codegen]")
    session.run("python", "scripts/drift.py")


@nox.session
def bench(session: nox.Session) -> None:
    """s3wire, boto3, minio-py and obstore side by side against radosgw: light operations,
    then big transfers; writes bench/RESULTS.md. Arguments go to bench/light.py."""
    session.install("-e", ".", "boto3", "minio", "obstore", "awscli")
    session.run("bash", RADOSGW_SCRIPT, "install", external=True)
    session.run("python", "bench/light.py", *session.posargs)
    session.run("python", "bench/transfers.py")
