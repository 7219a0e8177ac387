"""version_aware=True, as s3fs has it, on a versioned bucket of the test server: versions
listed (ls(versions=True), object_version_info), read (info, cat_file, open, get_file, cp_file
by version id or a "?versionId=" path) and deleted one at a time."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import servers
from fsspec_setup import data_of, options_of, scratch_bucket

import s3wire
from s3wire.fsspec import S3WireFileSystem


@pytest.fixture
def fs(s3_server: servers.S3Server) -> S3WireFileSystem:
    return S3WireFileSystem(**options_of(s3_server), version_aware=True)


@pytest.fixture
def versioned(fs: S3WireFileSystem) -> Iterator[str]:
    """A bucket that keeps versions, with two of "k" (b"one", then b"two") and "d/x"."""
    with scratch_bucket(fs, "s3wire-fsv") as name:
        with s3wire.Client(data_of(fs.storage_options)) as client:
            client.put_bucket_versioning(bucket=name, status="Enabled").raise_for_status()
        fs.pipe_file(f"{name}/k", b"one")
        fs.pipe_file(f"{name}/k", b"two")
        fs.pipe_file(f"{name}/d/x", b"x")
        yield name


def _ids(fs: S3WireFileSystem, path: str) -> tuple[str, str]:
    """(the older, the newer) version id of a key with two versions."""
    versions: list[dict[str, Any]] = fs.object_version_info(path)
    assert [v["Key"] for v in versions] == [path.partition("/")[2]] * 2
    newer, older = versions  # newest first
    assert newer["IsLatest"] and not older["IsLatest"]
    return older["VersionId"], newer["VersionId"]


def test_versions_are_listed(fs: S3WireFileSystem, versioned: str) -> None:
    old, new = _ids(fs, f"{versioned}/k")
    listed = fs.ls(versioned, versions=True)
    assert sorted((e["name"], e.get("VersionId")) for e in listed) == sorted(
        [(f"{versioned}/d", None), (f"{versioned}/k", old), (f"{versioned}/k", new)]
    )
    sizes = {e["VersionId"]: e["size"] for e in fs.ls(f"{versioned}/k", versions=True)}
    assert sizes == {old: 3, new: 3}
    assert fs.ls(versioned, detail=False) == [f"{versioned}/d", f"{versioned}/k"]  # latest only
    info = fs.info(f"{versioned}/k", version_id=old)
    assert (info["VersionId"], info["size"], info["type"]) == (old, 3, "file")
    assert fs.info(f"s3wire://{versioned}/k?versionId={new}")["VersionId"] == new
    with pytest.raises(FileNotFoundError):
        fs.ls(f"{versioned}/nothing", versions=True)


def test_a_version_is_read_by_its_id(fs: S3WireFileSystem, versioned: str, tmp_path: Path) -> None:
    old, _ = _ids(fs, f"{versioned}/k")
    assert fs.cat_file(f"{versioned}/k") == b"two"
    assert fs.cat_file(f"{versioned}/k", version_id=old) == b"one"
    assert fs.cat_file(f"{versioned}/k?versionId={old}", start=1) == b"ne"
    with fs.open(f"{versioned}/k", "rb", version_id=old) as f:
        assert f.read() == b"one"
    with fs.open(f"s3wire://{versioned}/k?versionId={old}", "rb") as f:
        assert f.read() == b"one"
    fs.get_file(f"{versioned}/k?versionId={old}", str(tmp_path / "old"))
    assert (tmp_path / "old").read_bytes() == b"one"
    fs.cp_file(f"{versioned}/k?versionId={old}", f"{versioned}/restored")
    assert fs.cat_file(f"{versioned}/restored") == b"one"


def test_a_version_is_deleted_by_its_id(fs: S3WireFileSystem, versioned: str) -> None:
    old, new = _ids(fs, f"{versioned}/k")
    fs.rm_file(f"{versioned}/k?versionId={new}")
    assert fs.cat_file(f"{versioned}/k") == b"one"  # the older one is the latest again
    fs.rm(f"{versioned}/k?versionId={old}")
    assert not fs.exists(f"{versioned}/k") and fs.object_version_info(f"{versioned}/k") == []


def test_versions_need_a_version_aware_filesystem(
    s3_server: servers.S3Server, fs: S3WireFileSystem, versioned: str
) -> None:
    old, _ = _ids(fs, f"{versioned}/k")
    with pytest.raises(s3wire.ParamError, match="cannot be written"):
        fs.pipe_file(f"{versioned}/k?versionId={old}", b"no")
    with pytest.raises(s3wire.ParamError, match="only for reading"):
        fs.open(f"{versioned}/k", "wb", version_id=old)
    plain = S3WireFileSystem(**options_of(s3_server))
    for refused in (
        lambda: plain.cat_file(f"{versioned}/k", version_id=old),
        lambda: plain.ls(versioned, versions=True),
        lambda: plain.object_version_info(f"{versioned}/k"),
    ):
        with pytest.raises(s3wire.ParamError, match="version_aware"):
            refused()
