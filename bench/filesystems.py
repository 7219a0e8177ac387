"""The fsspec filesystems side by side: s3wire.fsspec.S3WireFileSystem and s3fs (the file is
not named fsspec.py: bench/ is on sys.path, and it would stand in for the fsspec package).

    python bench/filesystems.py [--keys 10000] [--files 1000] [--puts 200] [--parquet-mib 256]
        [--repeat 3] [--python PYTHON]

Against a throw-away radosgw started here. Each figure is measured in a fresh interpreter
(`python bench/filesystems.py worker LIB TASK ...`): `find` over `--keys` keys, `cat` of `--files`
small files in one call, `put` of `--puts` local files of 4 KiB in one call, and pyarrow
reading a parquet file of about `--parquet-mib` MiB through the filesystem; wall time, the
client process's CPU (time.process_time) and its peak RSS. Medians of `--repeat` runs (each
library first in turn), as ratios of s3wire to s3fs. The report goes between the
<!-- fsspec --> markers of bench/RESULTS.md.

s3fs (on aiobotocore) conflicts with the boto3 pinned for the other benchmarks: run this one
with an interpreter that has s3fs and pyarrow (`--python`, default: this one).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from common import machine, on_radosgw, write_section  # noqa: E402 (path above)

LIBRARIES = ("s3wire", "s3fs")
TASKS = ("find", "cat", "put", "parquet")
REGION = "us-east-1"


def peak_rss_kib() -> int:
    """The process's own peak RSS (VmHWM: from exec, not the parent's)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def filesystem(library: str, server: dict[str, str]) -> Any:
    """The library's filesystem of the server (path-style, its keys)."""
    if library == "s3wire":
        from s3wire.fsspec import S3WireFileSystem

        return S3WireFileSystem(
            endpoint_url=server["url"],
            key=server["access_key"],
            secret=server["secret_key"],
            region=REGION,
            skip_instance_cache=True,
        )
    import s3fs

    return s3fs.S3FileSystem(
        endpoint_url=server["url"],
        key=server["access_key"],
        secret=server["secret_key"],
        client_kwargs={"region_name": REGION},
        skip_instance_cache=True,
    )


def worker(library: str, task: str, server: dict[str, str], bucket: str, args: list[str]) -> None:
    """Measure one library's task in this fresh interpreter; print JSON."""
    fs = filesystem(library, server)
    fs.ls(bucket)  # the first request: connections and imports paid before the clock starts
    fs.invalidate_cache()
    if task == "put":
        local = args[0]
    start = time.process_time(), time.perf_counter()
    if task == "find":
        found = len(fs.find(f"{bucket}/keys/"))
    elif task == "cat":
        found = len(fs.cat([f"{bucket}/small/{i:05d}" for i in range(int(args[0]))]))
    elif task == "put":
        target = f"{bucket}/put-{library}-{uuid.uuid4().hex[:6]}/"
        fs.put(local + "/", target, recursive=True)
        found = len(os.listdir(local))
    else:
        import pyarrow.parquet as pq

        found = pq.read_table(f"{bucket}/table.parquet", filesystem=fs).num_rows
    cpu, wall = time.process_time() - start[0], time.perf_counter() - start[1]
    print(json.dumps({"cpu": cpu, "wall": wall, "rss": peak_rss_kib(), "found": found}))


def seed(server: dict[str, str], bucket: str, args: argparse.Namespace, folder: Path) -> None:
    """The bucket, the keys to find, the small files to cat, the parquet file, the local files."""
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

            def put(key: str, body: bytes) -> None:
                client.put_object(bucket=bucket, key=key, body=body).raise_for_status()

            list(pool.map(lambda i: put(f"keys/{i // 100:03d}/{i:06d}", b""), range(args.keys)))
            list(pool.map(lambda i: put(f"small/{i:05d}", os.urandom(1024)), range(args.files)))
        table = folder / "table.parquet"
        subprocess.run([args.python, "-c", PARQUET, str(table), str(args.parquet_mib)], check=True)
        client.upload_file(bucket, "table.parquet", str(table))
    local = folder / "put"
    local.mkdir()
    for i in range(args.puts):
        (local / f"{i:04d}.bin").write_bytes(os.urandom(4096))


# A parquet file of about N MiB of random floats and ints (pyarrow is in the peers' interpreter).
PARQUET = """
import sys, numpy, pyarrow, pyarrow.parquet
rows = int(sys.argv[2]) * 1024 * 1024 // 16
table = pyarrow.table({"x": numpy.random.rand(rows), "n": numpy.arange(rows)})
pyarrow.parquet.write_table(table, sys.argv[1], compression="none")
"""


def measure(server: dict[str, str], args: argparse.Namespace) -> list[str]:
    bucket = f"bench-fsspec-{uuid.uuid4().hex[:8]}"
    results: dict[tuple[str, str], list[dict[str, float]]] = {}
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        seed(server, bucket, args, folder)
        extra = {"find": [], "cat": [str(args.files)], "put": [str(folder / "put")], "parquet": []}
        for run in range(args.repeat):
            for library in LIBRARIES[run % 2 :] + LIBRARIES[: run % 2]:  # each goes first in turn
                for task in TASKS:
                    command = [
                        args.python, __file__, "worker", library, task, json.dumps(server),
                        bucket, *extra[task],
                    ]  # fmt: skip
                    done = subprocess.run(
                        command, env=env, capture_output=True, text=True, check=False
                    )
                    if done.returncode != 0:
                        raise SystemExit(f"{library} {task} failed:\n{done.stderr[-3000:]}")
                    results.setdefault((library, task), []).append(json.loads(done.stdout))
    return table(results, args)


def table(
    results: dict[tuple[str, str], list[dict[str, float]]], args: argparse.Namespace
) -> list[str]:
    """The report's rows: each figure for both libraries, and s3wire's ratio to s3fs."""
    labels = {
        "find": f"find over {args.keys} keys",
        "cat": f"cat of {args.files} files of 1 KiB in one call",
        "put": f"put of {args.puts} files of 4 KiB in one call",
        "parquet": f"pyarrow reads a {args.parquet_mib} MiB parquet file",
    }
    rows = ["| figure | s3wire | s3fs | s3wire / s3fs |", "|---|---:|---:|---:|"]
    for task in TASKS:
        for what, unit, scale in (
            ("wall", "ms", 1000),
            ("cpu", "ms CPU", 1000),
            ("rss", "MiB", 1 / 1024),
        ):
            ours, theirs = (
                statistics.median(r[what] for r in results[library, task]) * scale
                for library in LIBRARIES
            )
            name = {"wall": "wall", "cpu": "client CPU", "rss": "peak RSS"}[what]
            rows.append(
                f"| {labels[task]}: {name} | {ours:.1f} {unit} | {theirs:.1f} {unit} | "
                f"{ours / theirs:.2f} |"
            )
    return rows


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "worker":
        library, task, server, bucket, *rest = sys.argv[2:]
        worker(library, task, json.loads(server), bucket, rest)
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keys", type=int, default=10000)
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--puts", type=int, default=200)
    parser.add_argument("--parquet-mib", type=int, default=256)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--python", default=sys.executable, help="an interpreter with the peers")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "RESULTS.md")
    args = parser.parse_args()
    rows = on_radosgw(measure, args)
    when = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    command = " ".join(["python bench/filesystems.py", *sys.argv[1:]])
    body = "\n".join(
        [
            "# fsspec: s3wire.fsspec beside s3fs",
            "",
            f"Measured {when} with `{command}`, medians of the runs (each library first in"
            " turn), each figure in a fresh interpreter after one listing (connections and"
            " imports paid); CPU is the client process's own, all its threads. Ratios are"
            " s3wire / s3fs: below 1 is better.",
            "",
            f"Machine: {machine()}. The server (radosgw) shares it.",
            "",
            *rows,
            "",
        ]
    )
    write_section(args.out, "fsspec", body)
    print(body)


if __name__ == "__main__":
    main()
