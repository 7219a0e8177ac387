"""The async clients side by side: s3wire.AsyncClient, aiobotocore and obstore's async API.

    python bench/async.py [--ops 2000] [--in-flight 64] [--keys 10000] [--size-mib 256]
                          [--repeat 3]

Against a throw-away radosgw started here (or --url with S3WIRE_TEST_ACCESS_KEY and
S3WIRE_TEST_SECRET_KEY for a running server). Each figure is measured in a fresh interpreter
(`python bench/async.py worker LIB TASK ...`): `--ops` PUTs, then GETs, of 1 KiB with
`--in-flight` requests in flight (a semaphore over tasks), a listing of `--keys` keys, and
an upload and a download of a `--size-mib` file (each library's own way: s3wire's
upload_file/download_file, obstore's put of a path and streamed get, aiobotocore's put_object
of the file and streamed get_object, having no transfer manager); operations per second
(wall), the client process's CPU per operation (time.process_time, all threads: obstore's
Rust runtime too) and its peak RSS; every download is checked against the source's SHA-256.
Medians of `--repeat` runs, as ratios of s3wire to each peer. The report goes between the
<!-- async --> markers of bench/RESULTS.md.

aiobotocore conflicts with the boto3 pinned for the other benchmarks: run this one with an
interpreter that has aiobotocore and obstore (`--python`, default: this one).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from common import machine, on_server, write_section  # noqa: E402 (path above)

LIBRARIES = ("s3wire", "aiobotocore", "obstore")
TASKS = ("put", "get", "list", "upload", "download")
BIG_KEY = "big/source"  # the object every download reads (put there by `seed`)
BODY = os.urandom(1024)
REGION = "us-east-1"


def peak_rss_kib() -> int:
    """The process's own peak RSS (VmHWM: from exec, not the parent's)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


async def bounded(count: int, in_flight: int, one: Callable[[int], Awaitable[Any]]) -> None:
    """`count` calls of `one(i)`, at most `in_flight` at a time."""
    gate = asyncio.Semaphore(in_flight)

    async def each(i: int) -> None:
        async with gate:
            await one(i)

    await asyncio.gather(*(each(i) for i in range(count)))


async def s3wire_task(
    server: dict[str, str], bucket: str, task: str, n: int, k: int
) -> tuple[float, float]:
    import s3wire

    async with s3wire.AsyncClient(
        url=server["url"],
        access_key=server["access_key"],
        secret_key=server["secret_key"],
        region=REGION,
        max_connections=k,
    ) as client:
        await client.put_object(bucket=bucket, key="warm", body=BODY)
        start = time.process_time(), time.perf_counter()
        if task == "put":
            await bounded(n, k, lambda i: client.put_object(bucket=bucket, key=f"p/{i}", body=BODY))
        elif task == "get":
            await bounded(n, k, lambda i: client.get_object(bucket=bucket, key=f"p/{i % 100}"))
        elif task == "upload":
            await client.upload_file(bucket, "big/s3wire", big_file())
        elif task == "download":
            await client.download_file(bucket, BIG_KEY, downloaded())
        else:
            async for _ in client.paginate("list_objects_v2", bucket=bucket, prefix="l/"):
                pass
        return time.process_time() - start[0], time.perf_counter() - start[1]


async def aiobotocore_task(
    server: dict[str, str], bucket: str, task: str, n: int, k: int
) -> tuple[float, float]:
    from aiobotocore.config import AioConfig
    from aiobotocore.session import get_session

    config = AioConfig(max_pool_connections=k)
    async with get_session().create_client(
        "s3",
        endpoint_url=server["url"],
        aws_access_key_id=server["access_key"],
        aws_secret_access_key=server["secret_key"],
        region_name=REGION,
        config=config,
    ) as client:
        await client.put_object(Bucket=bucket, Key="warm", Body=BODY)
        start = time.process_time(), time.perf_counter()
        if task == "put":
            await bounded(n, k, lambda i: client.put_object(Bucket=bucket, Key=f"p/{i}", Body=BODY))
        elif task == "get":

            async def get(i: int) -> None:
                answer = await client.get_object(Bucket=bucket, Key=f"p/{i % 100}")
                async with answer["Body"] as stream:
                    await stream.read()

            await bounded(n, k, get)
        elif task == "upload":
            with open(big_file(), "rb") as file:
                await client.put_object(Bucket=bucket, Key="big/aiobotocore", Body=file)
        elif task == "download":
            answer = await client.get_object(Bucket=bucket, Key=BIG_KEY)
            with open(downloaded(), "wb") as file:
                async with answer["Body"] as stream:
                    while chunk := await stream.read(1024 * 1024):
                        file.write(chunk)
        else:
            paginator = client.get_paginator("list_objects_v2")
            async for _ in paginator.paginate(Bucket=bucket, Prefix="l/"):
                pass
        return time.process_time() - start[0], time.perf_counter() - start[1]


async def obstore_task(
    server: dict[str, str], bucket: str, task: str, n: int, k: int
) -> tuple[float, float]:
    import obstore
    from obstore.store import S3Store

    store = S3Store(
        bucket,
        endpoint=server["url"],
        access_key_id=server["access_key"],
        secret_access_key=server["secret_key"],
        region=REGION,
        virtual_hosted_style_request=False,
        client_options={"allow_http": True, "pool_max_idle_per_host": str(k)},
    )
    await obstore.put_async(store, "warm", BODY)
    start = time.process_time(), time.perf_counter()
    if task == "put":
        await bounded(n, k, lambda i: obstore.put_async(store, f"p/{i}", BODY))
    elif task == "get":

        async def get(i: int) -> None:
            answer = await obstore.get_async(store, f"p/{i % 100}")
            await answer.bytes_async()

        await bounded(n, k, get)
    elif task == "upload":
        await obstore.put_async(store, "big/obstore", Path(big_file()))
    elif task == "download":
        answer = await obstore.get_async(store, BIG_KEY)
        with open(downloaded(), "wb") as file:
            async for chunk in answer:
                file.write(chunk)
    else:
        async for _ in obstore.list(store, prefix="l/"):
            pass
    return time.process_time() - start[0], time.perf_counter() - start[1]


def big_file() -> str:
    """The file every upload sends (made by `measure`)."""
    return os.environ["BENCH_ASYNC_FILE"]


def downloaded() -> str:
    """Where a download goes (checked against the source by `measure`, then removed)."""
    return os.environ["BENCH_ASYNC_FILE"] + ".down"


TASK_OF = {"s3wire": s3wire_task, "aiobotocore": aiobotocore_task, "obstore": obstore_task}


def worker(library: str, task: str, server: dict[str, str], bucket: str, n: int, k: int) -> None:
    """Measure one library's task in this fresh interpreter; print JSON."""
    cpu, wall = asyncio.run(TASK_OF[library](server, bucket, task, n, k))
    print(json.dumps({"cpu": cpu, "wall": wall, "rss": peak_rss_kib()}))


def seed(server: dict[str, str], bucket: str, keys: int, big: str) -> None:
    """The bucket, 100 objects to GET, `keys` to list and the big file to download (with
    s3wire's sync client)."""
    import concurrent.futures

    import s3wire

    with s3wire.Client(
        url=server["url"],
        access_key=server["access_key"],
        secret_key=server["secret_key"],
        region=REGION,
    ) as client:
        client.create_bucket(bucket=bucket).raise_for_status()
        with concurrent.futures.ThreadPoolExecutor(16) as pool:
            list(
                pool.map(
                    lambda i: client.put_object(bucket=bucket, key=f"p/{i}", body=BODY), range(100)
                )
            )
            list(
                pool.map(
                    lambda i: client.put_object(bucket=bucket, key=f"l/{i:06d}", body=b""),
                    range(keys),
                )
            )
        client.upload_file(bucket, BIG_KEY, big).raise_for_status()


def measure(server: dict[str, str], args: argparse.Namespace) -> list[str]:
    bucket = f"bench-async-{uuid.uuid4().hex[:8]}"
    big = Path(tempfile.mkdtemp(prefix="bench-async-")) / "big.bin"
    with big.open("wb") as file:
        for _ in range(args.size_mib):
            file.write(os.urandom(1024 * 1024))
        os.fsync(file.fileno())
    digest = file_digest(big)
    seed(server, bucket, args.keys, str(big))
    results: dict[tuple[str, str], list[dict[str, float]]] = {}
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "BENCH_ASYNC_FILE": str(big)}
    for run in range(args.repeat):
        for library in LIBRARIES[run % 3 :] + LIBRARIES[: run % 3]:  # each goes first once
            for task in TASKS:
                n = args.keys if task == "list" else args.ops
                command = [
                    args.python, __file__, "worker", library, task, json.dumps(server), bucket,
                    str(n), str(args.in_flight),
                ]  # fmt: skip
                done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
                if done.returncode != 0:
                    raise SystemExit(f"{library} {task} failed:\n{done.stderr[-2000:]}")
                results.setdefault((library, task), []).append(json.loads(done.stdout))
                if task == "download":
                    copy = Path(str(big) + ".down")
                    if file_digest(copy) != digest:
                        raise SystemExit(f"{library}'s download differs from the source")
                    copy.unlink()
    big.unlink()
    big.parent.rmdir()
    return table(results, args)


def file_digest(path: Path) -> str:
    """A file's SHA-256 (hex)."""
    with path.open("rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


def table(
    results: dict[tuple[str, str], list[dict[str, float]]], args: argparse.Namespace
) -> list[str]:
    """The report's rows: each figure for each library, and s3wire's ratios to the peers."""
    rows = [
        "| figure | s3wire | aiobotocore | obstore | s3wire / aiobotocore | s3wire / obstore |",
        "|---|---:|---:|---:|---:|---:|",
    ]

    def add(name: str, unit: str, values: list[float]) -> None:
        ours, boto, obs = values
        rows.append(
            f"| {name} | {ours:.1f} {unit} | {boto:.1f} {unit} | {obs:.1f} {unit} | "
            f"{ours / boto:.2f} | {ours / obs:.2f} |"
        )

    for task in TASKS:
        runs = [results[library, task] for library in LIBRARIES]
        wall = [statistics.median(r["wall"] for r in each) for each in runs]
        cpu = [statistics.median(r["cpu"] for r in each) for each in runs]
        rss = [statistics.median(r["rss"] for r in each) / 1024 for each in runs]
        if task == "list":
            label = f"list {args.keys} keys"
            add(f"{label}: wall", "ms", [w * 1000 for w in wall])
            add(f"{label}: client CPU", "ms", [c * 1000 for c in cpu])
        elif task in ("upload", "download"):
            label = f"{task} {args.size_mib} MiB"
            add(f"{label}: throughput", "MiB/s", [args.size_mib / w for w in wall])
            add(f"{label}: client CPU", "s", cpu)
        else:
            label = f"{args.ops} {task.upper()}s of 1 KiB, {args.in_flight} in flight"
            add(f"{label}: operations per second", "/s", [args.ops / w for w in wall])
            add(f"{label}: client CPU per operation", "µs", [c / args.ops * 1e6 for c in cpu])
        add(f"{label}: peak RSS", "MiB", rss)
    return rows


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "worker":
        _, _, library, task, server, bucket, n, k = sys.argv
        worker(library, task, json.loads(server), bucket, int(n), int(k))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ops", type=int, default=2000)
    parser.add_argument("--in-flight", type=int, default=64)
    parser.add_argument("--keys", type=int, default=10000)
    parser.add_argument("--size-mib", type=int, default=256)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--python", default=sys.executable, help="an interpreter with the peers")
    parser.add_argument("--url", help="a running server (else radosgw is started here)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "RESULTS.md")
    args = parser.parse_args()
    rows = on_server(measure, args)
    when = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    command = " ".join(["python bench/async.py", *sys.argv[1:]])
    body = "\n".join(
        [
            "# The async clients: s3wire.AsyncClient, aiobotocore and obstore side by side",
            "",
            f"Measured {when} with `{command}`, medians of the runs (each library first once),"
            " each figure in a fresh interpreter; CPU is the client process's own, all its"
            " threads. Ratios are s3wire / peer: below 1 is better for CPU and memory, above 1"
            " for operations per second.",
            "",
            f"Machine: {machine()}. The server (radosgw) shares it.",
            "",
            *rows,
            "",
        ]
    )
    write_section(args.out, "async", body)
    print(body)


if __name__ == "__main__":
    main()
