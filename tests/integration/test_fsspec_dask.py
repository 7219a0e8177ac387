"""Dask on a LocalCluster of 2 worker processes reads a partitioned parquet dataset from the test
server through "s3wire://" URLs and writes its result back; each worker unpickles the filesystem
and makes its own client there."""

from __future__ import annotations

import os
import pickle
import sys
from collections.abc import Iterator
from typing import Any

import cloudpickle
import dask.dataframe as dd
import pandas as pd
import pytest
import servers
from distributed import Client, LocalCluster
from fsspec_setup import options_of, scratch_bucket

from s3wire.fsspec import S3WireFileSystem

# The probe below runs in the workers: sent by value, so they need not import this module.
cloudpickle.register_pickle_by_value(sys.modules[__name__])


@pytest.fixture(scope="module")
def storage_options(s3_server: servers.S3Server) -> dict[str, Any]:
    return options_of(s3_server)


@pytest.fixture(scope="module")
def dask_client() -> Iterator[Client]:
    """Two worker processes of one thread each (no dashboard), for the whole module."""
    with (
        LocalCluster(
            n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


@pytest.fixture
def scratch(storage_options: dict[str, Any]) -> Iterator[str]:
    with scratch_bucket(S3WireFileSystem(**storage_options), "s3wire-dask") as name:
        yield name


def _clients_here() -> tuple[int, int]:
    """(this process's pid, how many S3WireFileSystems here made a client)."""
    made = [fs for fs in S3WireFileSystem._cache.values() if fs._client is not None]
    return os.getpid(), len(made)


def _read_unpickled(pickled: bytes, path: str) -> tuple[int, bool, bytes, bool]:
    """(pid, whether the unpickled filesystem came with a client, the bytes it read, whether it
    has one then), in a process whose instance cache is emptied first."""
    S3WireFileSystem.clear_instance_cache()
    fs: S3WireFileSystem = pickle.loads(pickled)
    had = fs._client is not None
    data: bytes = fs.cat_file(path)
    return os.getpid(), had, data, fs._client is not None


def test_a_pickled_filesystem_carries_no_client(storage_options: dict[str, Any]) -> None:
    fs = S3WireFileSystem(**storage_options, skip_instance_cache=True)
    fs.ls("")  # a client and its connections now exist
    S3WireFileSystem.clear_instance_cache()  # else fsspec answers the instance it has
    copy = pickle.loads(pickle.dumps(fs))
    assert copy is not fs and copy._client is None
    assert copy.storage_options == fs.storage_options


def test_dask_reads_a_partitioned_dataset_and_writes_its_result_back(
    dask_client: Client, scratch: str, storage_options: dict[str, Any]
) -> None:
    frame = pd.DataFrame(
        {
            "year": [2023, 2023, 2024, 2024, 2024, 2025] * 50,
            "city": ["Lyon", "Oslo", "Lima", "Lyon", "Oslo", "Lima"] * 50,
            "n": range(300),
        }
    )
    fs = S3WireFileSystem(**storage_options)
    frame.to_parquet(f"{scratch}/in", partition_cols=["year"], filesystem=fs)
    assert len(fs.find(f"{scratch}/in")) == 3  # one file per year

    data = dd.read_parquet(f"s3wire://{scratch}/in", storage_options=storage_options)
    assert data.npartitions >= 3
    totals = data.groupby("city")["n"].sum().to_frame().reset_index()
    totals.to_csv(f"s3wire://{scratch}/out/*.csv", index=False, storage_options=storage_options)

    written = fs.find(f"{scratch}/out")
    assert written and all(name.endswith(".csv") for name in written)
    back = pd.concat(
        [pd.read_csv(f"s3wire://{name}", storage_options=storage_options) for name in written]
    )
    expected = frame.groupby("city")["n"].sum().to_dict()
    assert dict(zip(back["city"], back["n"], strict=True)) == expected

    # The work ran in the worker processes, on clients they made themselves.
    probes = dask_client.run(_clients_here).values()
    assert os.getpid() not in {pid for pid, _ in probes}
    assert sum(made for _, made in probes) >= 1


def test_each_worker_makes_its_own_client(
    dask_client: Client, scratch: str, storage_options: dict[str, Any]
) -> None:
    fs = S3WireFileSystem(**storage_options, skip_instance_cache=True)
    fs.pipe_file(f"{scratch}/k", b"to every worker")
    assert fs._client is not None  # the test's own, with its connections
    answers = dask_client.run(_read_unpickled, pickle.dumps(fs), f"{scratch}/k").values()
    assert len({pid for pid, *_ in answers} - {os.getpid()}) == 2
    assert [rest for _, *rest in answers] == [[False, b"to every worker", True]] * 2
