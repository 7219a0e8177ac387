"""Fixtures for the integration suite: one real S3 server per run, clients, scratch buckets.

The server is radosgw, started once per run by scripts/radosgw.sh, unless S3WIRE_TEST_ENDPOINT
(with S3WIRE_TEST_ACCESS_KEY, S3WIRE_TEST_SECRET_KEY, S3WIRE_TEST_REGION, S3WIRE_TEST_DNS_NAME)
points the suite at another server.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
import servers
from async_facade import SyncOverAsync
from capabilities import target
from cleanup import empty_and_delete

import s3wire
from s3wire.transport import SocketTransport
from s3wire.transport_api import Transport


@pytest.fixture(scope="session", autouse=True)
def resolve_test_hosts(s3_server: servers.S3Server) -> Iterator[None]:
    """Resolve the server's DNS name and its subdomains to 127.0.0.1, in this process only."""
    name = s3_server.dns_name
    if not name:
        yield
        return
    real_getaddrinfo = socket.getaddrinfo

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(host, str) and (host == name or host.endswith("." + name)):
            host = "127.0.0.1"
        return real_getaddrinfo(host, *args, **kwargs)

    socket.getaddrinfo = getaddrinfo
    yield
    socket.getaddrinfo = real_getaddrinfo


def _data(server: servers.S3Server, style: str, **options: Any) -> s3wire.ConnectionData:
    url = server.url
    if style == "virtual":
        if not server.dns_name:
            pytest.skip("virtual-hosted tests need S3WIRE_TEST_DNS_NAME for this server")
        port = urlsplit(server.url).port
        url = f"http://{server.dns_name}:{port}" if port else f"http://{server.dns_name}"
    return s3wire.get_data_structure(
        url,
        server.access_key,
        server.secret_key,
        server.region,
        addressing_style=style,
        **options,
    )


@pytest.fixture(params=["path", "virtual"])
def addressing(request: pytest.FixtureRequest) -> str:
    """Each test that uses a client runs once per addressing style."""
    return str(request.param)


@pytest.fixture
def data(s3_server: servers.S3Server, addressing: str) -> s3wire.ConnectionData:
    """Connection data for the test server in the current addressing style."""
    return _data(s3_server, addressing)


def _transport(data: s3wire.ConnectionData) -> Transport | None:
    """The transport the `client` fixture uses: the default (None) unless
    S3WIRE_TEST_TRANSPORT=socket asks for s3wire's SocketTransport."""
    kind = os.environ.get("S3WIRE_TEST_TRANSPORT", "")
    if kind in ("", "urllib3"):
        return None
    if kind != "socket":
        raise ValueError(f"S3WIRE_TEST_TRANSPORT is urllib3 or socket, not {kind!r}")
    return SocketTransport(
        connect_timeout=data["connect_timeout"],
        read_timeout=data["read_timeout"],
        verify=data["verify"],
        max_answer_bytes=data["max_answer_bytes"],
        total_timeout=data["total_timeout"],
    )


# The scenarios that run against AsyncClient too (through async_facade.SyncOverAsync): every
# module whose tests use only the catalog's operations, paginate and presigned URLs.
ASYNC_TOO = {
    "test_api_objects_misc",
    "test_bucket_access_replication_reports",
    "test_bucket_config_families",
    "test_buckets",
    "test_hostile_keys",
    "test_listing",
    "test_objects",
    "test_paginate_listings",
    "test_presign_links",
    "test_s3_error_codes_server",
    "test_seed_buckets",
    "test_seed_multipart",
    "test_seed_objects",
}


@pytest.fixture
def client_kind() -> str:
    """Client, unless pytest_generate_tests parametrizes the test with AsyncClient too (a
    `client` asked for by name, request.getfixturevalue, is a Client)."""
    return "sync"


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Tests that use `client` run with Client; those of ASYNC_TOO with AsyncClient too."""
    if "client_kind" in metafunc.fixturenames:
        module = metafunc.module.__name__.rpartition(".")[2]
        metafunc.parametrize("client_kind", ["sync", "async"] if module in ASYNC_TOO else ["sync"])


@pytest.fixture
def client(data: s3wire.ConnectionData, client_kind: str) -> Iterator[s3wire.Client]:
    """A client of the test server (over the transport S3WIRE_TEST_TRANSPORT names), or an
    AsyncClient behind Client's face (over its default AsyncSocketTransport)."""
    if client_kind == "async":
        with SyncOverAsync(s3wire.AsyncClient(data)) as facade:
            yield facade  # type: ignore[misc]
        return
    with s3wire.Client(data, transport=_transport(data)) as client:
        yield client


@pytest.fixture
def bucket(client: s3wire.Client) -> Iterator[str]:
    """A fresh, empty bucket, emptied and deleted after the test."""
    name = f"s3wire-{uuid.uuid4().hex[:12]}"
    client.create_bucket(bucket=name).raise_for_status()
    yield name
    empty_and_delete(client, name)


@pytest.fixture(scope="session")
def radosgw_admin(s3_server: servers.S3Server) -> servers.S3Server:
    """The test radosgw, its user holding the admin API's read capabilities (usage, users) that
    examples/radosgw-admin needs: scripts/radosgw.sh gives them; one started before it did gets
    them here (radosgw.sh admin-caps, with S3WIRE_RGW_DIR for a server of another folder)."""
    if _admin_status(s3_server) == 403:
        servers.grant_admin_caps(s3_server)
    status = _admin_status(s3_server)
    assert status == 200, f"GET /admin/user answered {status} with the admin capabilities"
    return s3_server


def _admin_status(server: servers.S3Server) -> int:
    data = s3wire.get_data_structure(
        server.url, server.access_key, server.secret_key, server.region
    )
    with s3wire.Client(data) as client:
        return client.request("GET", f"/admin/user?access-key={server.access_key}").status


@pytest.fixture(scope="session")
def moto_server() -> Iterator[servers.S3Server]:
    """moto's S3 emulator (auth off), the second target: for what the main server lacks."""
    server, process = servers.start_moto()
    try:
        yield server
    finally:
        servers.stop_process(process)


@pytest.fixture
def moto_data(
    moto_server: servers.S3Server, addressing: str, monkeypatch: pytest.MonkeyPatch
) -> s3wire.ConnectionData:
    """Connection data for moto in the current addressing style.

    moto takes the bucket from a Host of bucket.localhost: in virtual-hosted style the URL names
    localhost, and those names resolve to 127.0.0.1 in this process for the test's duration.
    """
    url = moto_server.url
    if addressing == "virtual":
        url = url.replace("127.0.0.1", "localhost")
        real_getaddrinfo = socket.getaddrinfo

        def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
            if isinstance(host, str) and host.endswith(".localhost"):
                host = "127.0.0.1"
            return real_getaddrinfo(host, *args, **kwargs)

        monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return s3wire.get_data_structure(
        url,
        moto_server.access_key,
        moto_server.secret_key,
        moto_server.region,
        addressing_style=addressing,
    )


@pytest.fixture
def moto_client(moto_data: s3wire.ConnectionData) -> Iterator[s3wire.Client]:
    """A client of moto in the current addressing style, whatever the main server is."""
    with s3wire.Client(moto_data) as client:
        yield client


@pytest.fixture
def client_for(
    request: pytest.FixtureRequest, s3_server: servers.S3Server, addressing: str
) -> Callable[..., s3wire.Client]:
    """client_for(*operations): a client of a server that has them all (capabilities.py).

    The main client if its server has them, else moto's (started on demand). Asking for
    `addressing` here runs each test that uses this once per style, whichever client it gets.
    """

    def make(*operations: str) -> s3wire.Client:
        server = target(s3_server, lambda: request.getfixturevalue("moto_server"), *operations)
        client: s3wire.Client = request.getfixturevalue(
            "client" if server is s3_server else "moto_client"
        )
        return client

    return make
