"""Fixtures for the fault bench: a fault proxy in front of the run's radosgw (tests/conftest.py),
a client that goes through the proxy (with tiny retry delays), a direct client to check what the
server really holds, and counts of scenarios, injected faults and retries for the run's summary.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
import servers
from async_facade import SyncOverAsync
from cleanup import empty_and_delete
from faultbench import BENCH, RetryLog, connect
from proxy import FaultProxy

import s3wire


@pytest.fixture
def retries() -> Iterator[list[str]]:
    """The retries s3wire logs during a test (its DEBUG "retrying ..." messages)."""
    logger = logging.getLogger("s3wire")
    handler, level = RetryLog(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    yield handler.messages
    logger.removeHandler(handler)
    logger.setLevel(level)
    BENCH.retries += len(handler.messages)


@pytest.fixture
def proxy(s3_server: servers.S3Server, retries: list[str]) -> Iterator[FaultProxy]:
    """A fault proxy in front of the server; each test using it is one scenario."""
    split = urlsplit(s3_server.url)
    if split.scheme != "http" or split.hostname is None or split.port is None:
        pytest.skip("the fault proxy relays plain HTTP to a host:port")
    with FaultProxy((split.hostname, split.port)) as running:
        yield running
    BENCH.scenarios += 1
    BENCH.faults += len(running.injected)


@pytest.fixture(params=["sync", "async"])
def client(
    request: pytest.FixtureRequest, s3_server: servers.S3Server, proxy: FaultProxy
) -> Iterator[s3wire.Client]:
    """A client whose every request goes through the fault proxy: Client, and AsyncClient
    behind Client's face (async_facade), so each scenario runs against both."""
    with connect(proxy.url, s3_server) as through_proxy:
        if request.param == "sync":
            yield through_proxy
            return
        with SyncOverAsync(s3wire.AsyncClient(through_proxy.data)) as facade:
            yield facade  # type: ignore[misc]


@pytest.fixture
def direct(s3_server: servers.S3Server) -> Iterator[s3wire.Client]:
    """A client of the server itself, to check what it holds."""
    with connect(s3_server.url, s3_server) as straight:
        yield straight


@pytest.fixture
def bucket(direct: s3wire.Client) -> Iterator[str]:
    """A fresh bucket, emptied (multipart uploads aborted) and deleted after the test."""
    name = f"s3wire-faults-{uuid.uuid4().hex[:10]}"
    direct.create_bucket(bucket=name).raise_for_status()
    yield name
    uploads = direct.list_multipart_uploads(bucket=name).raise_for_status()
    for upload in uploads.response["ListMultipartUploadsResult"]["Upload"]:
        direct.abort_multipart_upload(bucket=name, key=upload["Key"], upload_id=upload["UploadId"])
    empty_and_delete(direct, name)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Say what the fault bench did."""
    if BENCH.scenarios:
        terminalreporter.write_line(
            f"fault bench: {BENCH.scenarios} scenarios, {BENCH.faults} faults injected, "
            f"{BENCH.retries} retries observed; under random faults {BENCH.right} calls answered "
            f"the right data, {BENCH.failed} raised an s3wire error"
        )
