"""Shared by every test: scripts/servers.py importable as `servers`, no real AWS settings, and
the one S3 server of the run (for tests/integration and tests/faults).

Each test runs with HOME in a temporary folder and without AWS_* or S3WIRE_* connection
variables, so a developer's own ~/.aws or environment never leaks into a test (tests that
exercise those sources set them up themselves).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
sys.path.insert(0, str(Path(__file__).resolve().parent / "stubs"))  # awsstubs

import servers

import s3wire

# No property test is timed: a wall-clock deadline fails on a loaded two-core machine, not on
# slow code (speed is measured in bench/, side by side, never in a test).
settings.register_profile("s3wire", deadline=None)
settings.load_profile("s3wire")

_CONNECTION_PREFIXES = (
    "AWS_",
    "S3WIRE_URL",
    "S3WIRE_ACCESS_KEY",
    "S3WIRE_SECRET_KEY",
    "S3WIRE_REGION",
    "S3WIRE_SESSION_TOKEN",
)


@pytest.fixture(autouse=True)
def isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """A fresh, empty HOME and no connection settings from the environment."""
    monkeypatch.setenv("HOME", str(tmp_path_factory.mktemp("home")))
    for name in list(os.environ):
        if name.startswith(_CONNECTION_PREFIXES):
            monkeypatch.delenv(name)
    # No test asks a real instance metadata service (169.254.169.254) for credentials: the
    # tests of that source turn it back on and point it at a stub.
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    yield


@pytest.fixture(scope="session")
def s3_server() -> Iterator[servers.S3Server]:
    """radosgw, started once per run by scripts/radosgw.sh, unless S3WIRE_TEST_ENDPOINT (with
    S3WIRE_TEST_ACCESS_KEY, S3WIRE_TEST_SECRET_KEY, S3WIRE_TEST_REGION, S3WIRE_TEST_DNS_NAME)
    names another server."""
    external = servers.external_server_from_env()
    if external is not None:
        yield external
        return
    server = servers.start_radosgw()
    try:
        _warm_up(server)
        yield server
    finally:
        servers.stop_radosgw()


def _warm_up(server: servers.S3Server) -> None:
    """The first bucket on a new radosgw takes seconds (it creates pools): pay that here."""
    data = s3wire.get_data_structure(
        server.url, server.access_key, server.secret_key, server.region, addressing_style="path"
    )
    with s3wire.Client(data) as client:
        client.create_bucket(bucket="s3wire-warm-up").raise_for_status()
        client.put_object(bucket="s3wire-warm-up", key="k", body=b"x").raise_for_status()
        client.delete_object(bucket="s3wire-warm-up", key="k").raise_for_status()
        client.delete_bucket(bucket="s3wire-warm-up").raise_for_status()


@pytest.fixture
def preads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The sizes of every os.pread: a download that reads its file back shows here."""
    sizes: list[int] = []
    real = os.pread

    def counting(fd: int, size: int, offset: int) -> bytes:
        sizes.append(size)
        return real(fd, size, offset)

    monkeypatch.setattr(os, "pread", counting)
    return sizes
