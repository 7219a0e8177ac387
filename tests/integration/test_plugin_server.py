"""A package generated from a catalog of one's own (tests/plugin_catalog.py) outside the tree,
called on the test radosgw: sync, async and from the command line; and examples/radosgw-admin."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
import servers
from cleanup import empty_and_delete
from plugin_catalog import generate, import_package, write_catalog

import s3wire

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "radosgw-admin"


@pytest.fixture(scope="module")
def mine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    """The test catalog generated into a package `mine` of a temporary folder, imported."""
    root = tmp_path_factory.mktemp("plugin")
    out = root / "pkg" / "mine"
    out.parent.mkdir()
    assert generate(write_catalog(root), out) == 0
    yield import_package(out)
    for name in [name for name in sys.modules if name.split(".")[0] == "mine"]:
        del sys.modules[name]


def connection(server: servers.S3Server) -> s3wire.ConnectionData:
    return s3wire.get_data_structure(
        server.url, server.access_key, server.secret_key, server.region
    )


def test_its_operations_on_radosgw(mine: ModuleType, radosgw_admin: servers.S3Server) -> None:
    with mine.MineClient(connection(radosgw_admin)) as client:
        found = client.get_admin_user(access_key=radosgw_admin.access_key).raise_for_status()
        user = found.response["user_info"]
        assert isinstance(user["max_buckets"], int), "typed by the catalog's shape"
        assert {"type": "users", "perm": "read"} in user["caps"]["cap"]
        usage = client.get_admin_usage(show_summary=True).raise_for_status()
        assert set(usage.response["usage"]) == {"entries", "summary"}
        bucket = f"extend-{uuid.uuid4().hex[:12]}"
        client.create_bucket(bucket=bucket).raise_for_status()
        try:
            client.put_object(bucket=bucket, key="k", body=b"x").raise_for_status()
            listed = client.list_first_keys(bucket=bucket, max_keys=1).raise_for_status()
        finally:
            empty_and_delete(client, bucket)
    result = listed.response["ListBucketResult"]
    assert result["KeyCount"] == 1
    assert result["Contents"][0]["Key"] == "k"
    assert result["Contents"][0]["Owner"]["ID"] == user["user_id"], "a shared shape, parsed"


def test_its_async_operations_on_radosgw(mine: ModuleType, radosgw_admin: servers.S3Server) -> None:
    async def call() -> tuple[s3wire.Response[dict[str, object], dict[str, object]], ...]:
        async with mine.AsyncMineClient(connection(radosgw_admin)) as client:
            return await asyncio.gather(
                client.get_admin_user(access_key=radosgw_admin.access_key),
                client.get_admin_usage(show_summary=False),
                client.get_admin_user(access_key="AKIANOSUCHKEY"),
            )

    user, usage, missing = asyncio.run(call())
    assert user.raise_for_status().response["user_info"]["user_id"]
    assert list(usage.raise_for_status().response["usage"]) == ["entries"]
    # radosgw answers a key no user has as it does a request it refuses (a uid: 404 NoSuchUser)
    assert (missing.status, missing.response["Error"]["Code"]) == (403, "AccessDenied")


def test_its_commands_on_radosgw(mine: ModuleType, radosgw_admin: servers.S3Server) -> None:
    package_dir = Path(mine.__file__).parents[1]
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(package_dir)]),
        "S3WIRE_URL": radosgw_admin.url,
        "S3WIRE_ACCESS_KEY": radosgw_admin.access_key,
        "S3WIRE_SECRET_KEY": radosgw_admin.secret_key,
        "S3WIRE_REGION": radosgw_admin.region,
    }
    command = [sys.executable, "-m", "s3wire.cli", "--plugin", "mine"]
    usage = subprocess.run(
        [*command, "get-admin-usage"], env=env, capture_output=True, text=True, check=False
    )
    assert usage.returncode == 0, usage.stderr
    assert json.loads(usage.stdout)["status"] == 200
    query = ["--access-key", radosgw_admin.access_key, "--query", "response.user_info.user_id"]
    user = subprocess.run(
        [*command, "get-admin-user", *query], env=env, capture_output=True, text=True, check=False
    )
    assert user.returncode == 0, user.stderr
    assert radosgw_admin.secret_key not in user.stdout
    assert user.stdout.strip().strip('"')


def test_the_example_on_radosgw(radosgw_admin: servers.S3Server, tmp_path: Path) -> None:
    out = tmp_path / "rgwadmin"
    spec = EXAMPLE / "catalog"
    assert generate(spec, out, "--name", "Rgw") == 0
    for path in out.iterdir():
        committed = (EXAMPLE / "rgwadmin" / path.name).read_text("utf-8")
        assert path.read_text("utf-8") == committed, f"examples/radosgw-admin/{path.name}"
    rgwadmin = import_package(EXAMPLE / "rgwadmin")
    try:
        with rgwadmin.RgwClient(connection(radosgw_admin)) as client:
            user = client.get_user_info(access_key=radosgw_admin.access_key).raise_for_status()
            uid = user.response["user_info"]["user_id"]
            assert client.get_user_info(uid=uid).raise_for_status().response == user.response
            usage = client.get_usage(uid=uid, show_entries=True, show_summary=True)
            assert usage.raise_for_status().response["usage"].keys() == {"entries", "summary"}
    finally:
        for name in [name for name in sys.modules if name.split(".")[0] == "rgwadmin"]:
            del sys.modules[name]
