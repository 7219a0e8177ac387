"""s3wire.fsspec against the test server: the filesystem's calls, open(), pandas through
"s3wire://" URLs, and fsspec's own abstract test suite (copy, get, put, open, pipe)."""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import pickle
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import fsspec
import pandas as pd
import pytest
import requests
import servers
from fsspec.tests.abstract import (
    AbstractCopyTests,
    AbstractFixtures,
    AbstractGetTests,
    AbstractOpenTests,
    AbstractPipeTests,
    AbstractPutTests,
)
from fsspec_setup import data_of, options_of, scratch_bucket

import s3wire
from s3wire.fsspec import S3WireFileSystem

MIB = 1024 * 1024


@pytest.fixture(scope="module")
def storage_options(s3_server: servers.S3Server) -> dict[str, Any]:
    return options_of(s3_server)


@pytest.fixture
def fs(storage_options: dict[str, Any]) -> S3WireFileSystem:
    """The filesystem of the test server (fsspec's instance cache shares it)."""
    return S3WireFileSystem(**storage_options)


@pytest.fixture
def scratch(fs: S3WireFileSystem) -> Iterator[str]:
    with scratch_bucket(fs) as name:
        yield name


def test_ls_info_and_find_see_prefixes_as_directories(fs: S3WireFileSystem, scratch: str) -> None:
    fs.pipe(
        {f"{scratch}/a/b.txt": b"hello", f"{scratch}/a/c/d.txt": b"world", f"{scratch}/t": b"t"}
    )
    assert fs.ls(scratch, detail=False) == [f"{scratch}/a", f"{scratch}/t"]
    assert fs.ls(f"s3wire://{scratch}/a/", detail=False) == [f"{scratch}/a/b.txt", f"{scratch}/a/c"]
    assert fs.info(f"{scratch}/a")["type"] == "directory"
    info = fs.info(f"{scratch}/a/b.txt")
    assert (info["type"], info["size"], info["name"]) == ("file", 5, f"{scratch}/a/b.txt")
    assert fs.modified(f"{scratch}/a/b.txt").tzinfo is not None
    assert fs.ls(f"{scratch}/a/b.txt", detail=False) == [f"{scratch}/a/b.txt"]
    assert fs.find(scratch) == [f"{scratch}/a/b.txt", f"{scratch}/a/c/d.txt", f"{scratch}/t"]
    assert fs.find(f"{scratch}/a", withdirs=True) == [
        f"{scratch}/a",
        f"{scratch}/a/b.txt",
        f"{scratch}/a/c",
        f"{scratch}/a/c/d.txt",
    ]
    assert fs.find(f"{scratch}/a", maxdepth=1) == [f"{scratch}/a/b.txt"]
    assert fs.find(f"{scratch}/t") == [f"{scratch}/t"]
    assert fs.glob(f"{scratch}/**/*.txt") == [f"{scratch}/a/b.txt", f"{scratch}/a/c/d.txt"]
    assert fs.du(scratch) == 11
    assert fs.exists(f"{scratch}/a") and fs.isdir(f"{scratch}/a") and fs.isfile(f"{scratch}/t")
    assert not fs.exists(f"{scratch}/a/b") and not fs.exists(f"{scratch}-none")
    assert scratch in fs.ls("", detail=False)
    with pytest.raises(FileNotFoundError):
        fs.info(f"{scratch}/nothing")
    with pytest.raises(FileNotFoundError):
        fs.ls(f"{scratch}/nothing")


def test_the_listings_cache_is_invalidated_by_writes(fs: S3WireFileSystem, scratch: str) -> None:
    fs.pipe_file(f"{scratch}/d/one", b"1")
    assert fs.ls(f"{scratch}/d", detail=False) == [f"{scratch}/d/one"]
    fs.pipe_file(f"{scratch}/d/two", b"2")
    assert fs.ls(f"{scratch}/d", detail=False) == [f"{scratch}/d/one", f"{scratch}/d/two"]
    fs.rm(f"{scratch}/d/one")
    assert fs.ls(f"{scratch}/d", detail=False) == [f"{scratch}/d/two"]


def test_a_transaction_s_files_are_listed_once_it_commits(
    fs: S3WireFileSystem, scratch: str
) -> None:
    fs.pipe_file(f"{scratch}/d/old", b"o")
    with fs.transaction:
        with fs.open(f"{scratch}/d/large", "wb", block_size=5 * MIB) as f:
            f.write(b"y" * (6 * MIB))
        assert fs.ls(f"{scratch}/d", detail=False) == [f"{scratch}/d/old"]  # now cached
    assert fs.ls(f"{scratch}/d", detail=False) == [f"{scratch}/d/large", f"{scratch}/d/old"]


def test_a_listing_under_way_while_a_write_ends_is_not_cached(
    storage_options: dict[str, Any], scratch: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    fs = S3WireFileSystem(**storage_options, asynchronous=True, skip_instance_cache=True)

    async def scenario() -> list[str]:
        await fs._pipe_file(f"{scratch}/d/one", b"1")
        client = await fs.client()
        paginate, listed, release = client.paginate, asyncio.Event(), asyncio.Event()

        async def held(name: str, **params: Any) -> Any:
            async for page in paginate(name, **params):  # answered before the write below
                listed.set()
                await release.wait()
                yield page

        monkeypatch.setattr(client, "paginate", held)
        listing = asyncio.ensure_future(fs._ls(f"{scratch}/d", detail=False))
        await listed.wait()
        await fs._pipe_file(f"{scratch}/d/two", b"2")
        release.set()
        assert await listing == [f"{scratch}/d/one"]  # what the server had when it answered
        monkeypatch.setattr(client, "paginate", paginate)
        names: list[str] = await fs._ls(f"{scratch}/d", detail=False)
        return names

    assert asyncio.run(scenario()) == [f"{scratch}/d/one", f"{scratch}/d/two"]


def test_cat_file_reads_ranges(fs: S3WireFileSystem, scratch: str) -> None:
    path = f"{scratch}/digits"
    fs.pipe_file(path, b"0123456789")
    assert fs.cat_file(path) == b"0123456789"
    assert fs.cat_file(path, start=2, end=5) == b"234"
    assert fs.cat_file(path, start=7) == b"789"
    assert fs.cat_file(path, start=-3) == b"789"
    assert fs.cat_file(path, start=1, end=-7) == b"12"
    assert fs.cat_file(path, start=5, end=5) == b""
    assert fs.cat_file(path, start=20) == b""
    assert fs.cat_ranges([path, path], [0, 8], [2, 10]) == [b"01", b"89"]
    assert fs.cat([path, f"{scratch}/nope"], on_error="return")[path] == b"0123456789"
    with pytest.raises(FileNotFoundError):
        fs.cat_file(f"{scratch}/nope")


def test_pipe_create_refuses_an_existing_key(fs: S3WireFileSystem, scratch: str) -> None:
    fs.pipe_file(f"{scratch}/k", b"one", mode="create")
    with pytest.raises(FileExistsError):
        fs.pipe_file(f"{scratch}/k", b"two", mode="create")
    assert fs.cat_file(f"{scratch}/k") == b"one"


@pytest.mark.parametrize("size", [0, 1000, 3 * MIB + 5])
def test_put_and_get_files(fs: S3WireFileSystem, scratch: str, tmp_path: Path, size: int) -> None:
    data = bytes(range(256)) * (size // 256) + b"x" * (size % 256)
    local = tmp_path / "up.bin"
    local.write_bytes(data)
    fs.put_file(str(local), f"{scratch}/up.bin")
    assert fs.cat_file(f"{scratch}/up.bin") == data
    fs.get_file(f"{scratch}/up.bin", str(tmp_path / "down.bin"))
    assert (tmp_path / "down.bin").read_bytes() == data
    with pytest.raises(FileNotFoundError):
        fs.get_file(f"{scratch}/nope", str(tmp_path / "nope.bin"))
    assert not (tmp_path / "nope.bin").exists()
    # A failed get never costs the good file already there (it was truncated, then removed).
    with pytest.raises(FileNotFoundError):
        fs.get_file(f"{scratch}/nope", str(tmp_path / "down.bin"))
    assert (tmp_path / "down.bin").read_bytes() == data


def test_put_file_above_the_part_size_is_a_multipart_upload(
    scratch: str, tmp_path: Path, storage_options: dict[str, Any]
) -> None:
    fs = S3WireFileSystem(**storage_options, part_size=5 * MIB)
    data = b"".join(bytes([i]) * 5 * MIB for i in range(5)) + b"end"  # 6 parts, 4 at once
    local = tmp_path / "big.bin"
    local.write_bytes(data)
    fs.put_file(str(local), f"{scratch}/big.bin")
    assert fs.cat_file(f"{scratch}/big.bin") == data  # the parts in their order
    assert fs.info(f"{scratch}/big.bin")["ETag"].endswith('-6"')


def test_put_and_get_many_files_recursively(
    fs: S3WireFileSystem, scratch: str, tmp_path: Path
) -> None:
    source = tmp_path / "tree"
    (source / "sub").mkdir(parents=True)
    for name in ("a", "b", "sub/c"):
        (source / name).write_bytes(name.encode())
    fs.put(str(source), f"{scratch}/tree", recursive=True)
    assert fs.find(f"{scratch}/tree") == [
        f"{scratch}/tree/a",
        f"{scratch}/tree/b",
        f"{scratch}/tree/sub/c",
    ]
    fs.get(f"{scratch}/tree", str(tmp_path / "back"), recursive=True)
    assert (tmp_path / "back" / "sub" / "c").read_bytes() == b"sub/c"


def test_rm_deletes_in_batches_recursively(fs: S3WireFileSystem, scratch: str) -> None:
    fs.pipe({f"{scratch}/many/{i:04}": b"x" for i in range(1203)})
    fs.pipe_file(f"{scratch}/keep", b"k")
    assert len(fs.find(f"{scratch}/many")) == 1203
    fs.rm(f"{scratch}/many", recursive=True)
    assert fs.find(scratch) == [f"{scratch}/keep"]
    with pytest.raises(FileNotFoundError):
        fs.rm(f"{scratch}/many", recursive=True)


def test_mkdir_makes_buckets_and_rm_removes_them(fs: S3WireFileSystem) -> None:
    name = f"s3wire-fs-{uuid.uuid4().hex[:12]}"
    fs.mkdir(name)
    try:
        with pytest.raises(FileExistsError):
            fs.makedirs(name)
        fs.makedirs(name, exist_ok=True)
        fs.makedirs(f"{name}/a/b", exist_ok=True)  # a prefix: nothing to make
        assert fs.exists(name) and fs.ls(name) == []
        fs.pipe_file(f"{name}/k", b"v")
    finally:
        fs.rm(name, recursive=True)
    assert not fs.exists(name)
    with pytest.raises(FileNotFoundError):
        fs.mkdir(f"{name}/a", create_parents=False)


def test_cp_file_copies_on_the_server(fs: S3WireFileSystem, scratch: str) -> None:
    fs.pipe_file(f"{scratch}/src", b"payload")
    fs.cp_file(f"{scratch}/src", f"{scratch}/dst")
    assert fs.cat_file(f"{scratch}/dst") == b"payload"
    fs.mv(f"{scratch}/dst", f"{scratch}/moved")
    assert fs.find(scratch) == [f"{scratch}/moved", f"{scratch}/src"]
    with pytest.raises(FileNotFoundError):
        fs.cp_file(f"{scratch}/nope", f"{scratch}/x")


def test_cp_file_above_the_copy_threshold_copies_in_parts(
    storage_options: dict[str, Any], scratch: str
) -> None:
    fs = S3WireFileSystem(**storage_options, part_size=5 * MIB, copy_threshold=5 * MIB)
    data = os.urandom(11 * MIB)
    fs.pipe_file(f"{scratch}/src", data)
    assert not fs.info(f"{scratch}/src")["ETag"].endswith('-3"')
    fs.cp_file(f"{scratch}/src", f"{scratch}/dst")  # UploadPartCopy: 5 MiB, 5 MiB, 1 MiB
    assert fs.info(f"{scratch}/dst")["ETag"].endswith('-3"')
    assert fs.cat_file(f"{scratch}/dst") == data
    fs.pipe_file(f"{scratch}/small", b"under the threshold")
    fs.cp_file(f"{scratch}/small", f"{scratch}/small-copy")  # one CopyObject
    assert fs.cat_file(f"{scratch}/small-copy") == b"under the threshold"
    with pytest.raises(FileNotFoundError):
        fs.cp_file(f"{scratch}/nope", f"{scratch}/x")


def test_open_reads_with_ranges_and_writes_in_parts(fs: S3WireFileSystem, scratch: str) -> None:
    path = f"{scratch}/big"
    chunk = bytes(range(256)) * 4096  # 1 MiB
    with fs.open(path, "wb", block_size=5 * MIB) as f:
        for _ in range(12):
            f.write(chunk)
        f.write(b"end")
    assert fs.info(path)["size"] == 12 * MIB + 3
    assert fs.info(path)["ETag"].endswith('-3"')  # 5 MiB, 5 MiB, the rest
    with fs.open(path, "rb", block_size=MIB) as f:
        f.seek(12 * MIB)
        assert f.read() == b"end"
        f.seek(MIB - 2)
        assert f.read(4) == chunk[-2:] + chunk[:2]
    with fs.open(f"{scratch}/small.txt", "w") as text:
        text.write("héllo\n")
    assert fs.cat_file(f"{scratch}/small.txt") == "héllo\n".encode()
    with fs.open(f"{scratch}/small.txt", "r") as text:
        assert text.read() == "héllo\n"


def test_a_reader_refuses_an_object_replaced_under_it(fs: S3WireFileSystem, scratch: str) -> None:
    fs.pipe_file(f"{scratch}/k", b"a" * 2000)
    with fs.open(f"{scratch}/k", "rb", block_size=1000, cache_type="none") as f:
        assert f.read(10) == b"a" * 10
        fs.pipe_file(f"{scratch}/k", b"b" * 2000)
        with pytest.raises(s3wire.PreconditionFailedError):
            f.read(10)


def test_a_write_left_by_an_exception_writes_nothing(fs: S3WireFileSystem, scratch: str) -> None:
    with pytest.raises(RuntimeError), fs.open(f"{scratch}/half", "wb", block_size=5 * MIB) as f:
        f.write(b"x" * (6 * MIB))  # one part sent: a multipart upload is under way
        raise RuntimeError
    with pytest.raises(RuntimeError), fs.open(f"{scratch}/small", "wb") as f:
        f.write(b"x")
        raise RuntimeError
    assert not fs.exists(f"{scratch}/half") and not fs.exists(f"{scratch}/small")
    with s3wire.Client(data_of(fs.storage_options)) as client:
        uploads = client.list_multipart_uploads(bucket=scratch).raise_for_status()
    assert not uploads.response["ListMultipartUploadsResult"].get("Upload")


def test_a_transaction_writes_its_files_when_it_ends(fs: S3WireFileSystem, scratch: str) -> None:
    with fs.transaction:
        with fs.open(f"{scratch}/small", "wb") as f:
            f.write(b"small")
        with fs.open(f"{scratch}/large", "wb", block_size=5 * MIB) as f:
            f.write(b"y" * (6 * MIB))
        assert not fs.exists(f"{scratch}/small") and not fs.exists(f"{scratch}/large")
    assert fs.cat_file(f"{scratch}/small") == b"small"
    assert fs.info(f"{scratch}/large")["size"] == 6 * MIB


def test_ukey_checksum_and_sign(fs: S3WireFileSystem, scratch: str) -> None:
    fs.pipe_file(f"{scratch}/k", b"one")
    first = (fs.ukey(f"{scratch}/k"), fs.checksum(f"{scratch}/k"))
    fs.pipe_file(f"{scratch}/k", b"two")
    assert (fs.ukey(f"{scratch}/k"), fs.checksum(f"{scratch}/k")) != first
    url = fs.sign(f"s3wire://{scratch}/k", expiration=60)
    assert requests.get(url, timeout=10).content == b"two"


def test_a_pickled_filesystem_makes_its_own_client(fs: S3WireFileSystem, scratch: str) -> None:
    fs.pipe_file(f"{scratch}/k", b"v")
    copy = pickle.loads(pickle.dumps(fs))
    assert copy.cat_file(f"{scratch}/k") == b"v"


def _cat_in_this_process(pickled: bytes, path: str) -> bytes:
    """cat_file with a filesystem unpickled here (a worker process's view)."""
    fs: S3WireFileSystem = pickle.loads(pickled)
    return fs.cat_file(path)


def test_a_filesystem_pickled_into_another_process_reads(
    fs: S3WireFileSystem, scratch: str
) -> None:
    fs.pipe_file(f"{scratch}/k", b"from the parent")
    fs.cat_file(f"{scratch}/k")  # the parent's client and connections exist before the fork
    with multiprocessing.get_context("fork").Pool(1) as pool:
        got = pool.apply(_cat_in_this_process, (pickle.dumps(fs), f"{scratch}/k"))
    assert got == b"from the parent"


def test_an_asynchronous_filesystem_makes_a_client_per_event_loop(
    storage_options: dict[str, Any], scratch: str
) -> None:
    fs = S3WireFileSystem(**storage_options, asynchronous=True, skip_instance_cache=True)

    clients: list[s3wire.AsyncClient] = []

    async def roundtrip(value: bytes) -> bytes:
        await fs._pipe_file(f"{scratch}/k", value)
        got: bytes = await fs._cat_file(f"{scratch}/k")
        clients.append(await fs.client())
        return got

    assert asyncio.run(roundtrip(b"first loop")) == b"first loop"
    assert asyncio.run(roundtrip(b"second loop")) == b"second loop"
    assert clients[0] is not clients[1]  # the first one's connections belong to a closed loop


def test_pandas_parquet_and_csv_through_s3wire_urls(
    scratch: str, storage_options: dict[str, Any]
) -> None:
    frame = pd.DataFrame({"n": range(1000), "s": [f"row {i}" for i in range(1000)]})
    frame.to_parquet(f"s3wire://{scratch}/t.parquet", storage_options=storage_options)
    back = pd.read_parquet(f"s3wire://{scratch}/t.parquet", storage_options=storage_options)
    pd.testing.assert_frame_equal(back, frame)
    frame.to_csv(f"s3wire://{scratch}/t.csv", index=False, storage_options=storage_options)
    back = pd.read_csv(f"s3wire://{scratch}/t.csv", storage_options=storage_options)
    pd.testing.assert_frame_equal(back, frame)


def test_s3_urls_are_served_when_asked_for(scratch: str, storage_options: dict[str, Any]) -> None:
    registry = sys.modules["fsspec.registry"]._registry
    previous = registry.get("s3")
    fsspec.register_implementation("s3", S3WireFileSystem, clobber=True)
    try:
        frame = pd.DataFrame({"n": [1, 2, 3]})
        frame.to_csv(f"s3://{scratch}/via-s3.csv", index=False, storage_options=storage_options)
        back = pd.read_csv(f"s3://{scratch}/via-s3.csv", storage_options=storage_options)
        pd.testing.assert_frame_equal(back, frame)
    finally:
        if previous is None:
            registry.pop("s3")
        else:
            registry["s3"] = previous
    fs = S3WireFileSystem(**storage_options)
    assert fs.cat_file(f"s3://{scratch}/via-s3.csv") == b"n\n1\n2\n3\n"


def test_pyarrow_reads_a_partitioned_dataset(fs: S3WireFileSystem, scratch: str) -> None:
    import pyarrow.dataset as ds

    frame = pd.DataFrame({"year": [2024, 2024, 2025], "n": [1, 2, 3]})
    frame.to_parquet(f"{scratch}/data", partition_cols=["year"], filesystem=fs)
    assert len(fs.find(f"{scratch}/data")) == 2
    table = ds.dataset(f"{scratch}/data", filesystem=fs, partitioning="hive").to_table()
    assert sorted(table.column("n").to_pylist()) == [1, 2, 3]


def test_fsspec_open_files_and_url_to_fs(scratch: str, storage_options: dict[str, Any]) -> None:
    with fsspec.open(f"s3wire://{scratch}/o.txt", "wt", **storage_options) as f:
        f.write("text")
    fs, path = fsspec.core.url_to_fs(f"s3wire://{scratch}/o.txt", **storage_options)
    assert isinstance(fs, S3WireFileSystem) and fs.cat_file(path) == b"text"


# fsspec's abstract suite: a bucket per test, "/"-joined paths, no empty directories (as s3fs).


class S3WireFixtures(AbstractFixtures):  # type: ignore[misc]
    @pytest.fixture
    def fs(self, storage_options: dict[str, Any]) -> S3WireFileSystem:
        return S3WireFileSystem(**storage_options)

    @pytest.fixture
    def fs_path(self, scratch: str) -> str:
        return scratch

    @pytest.fixture
    def fs_join(self) -> Callable[..., str]:
        return lambda *parts: "/".join(parts)

    @pytest.fixture
    def supports_empty_directories(self) -> bool:
        return False


class TestS3WireCopy(AbstractCopyTests, S3WireFixtures):  # type: ignore[misc]
    pass


class TestS3WireGet(AbstractGetTests, S3WireFixtures):  # type: ignore[misc]
    pass


class TestS3WirePut(AbstractPutTests, S3WireFixtures):  # type: ignore[misc]
    pass


class TestS3WireOpen(AbstractOpenTests, S3WireFixtures):  # type: ignore[misc]
    pass


class TestS3WirePipe(AbstractPipeTests, S3WireFixtures):  # type: ignore[misc]
    pass
