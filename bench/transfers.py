"""Big transfers: a 1 GiB file up and down, and 200 files of 256 KiB through folder helpers.

Measures s3wire, boto3 (its transfer manager: upload_file / download_file), minio-py
(fput_object / fget_object) and obstore (put of a path; get streamed into a file) in one run
against a local radosgw (started here), each figure also as a ratio to boto3, and writes a
"Transfers" section into bench/RESULTS.md (between the <!-- transfers --> markers, leaving
bench/light.py's section as it is).

    python bench/transfers.py [--size-mib 1024] [--files 200] [--file-kib 256] [--repeat 3]

Each measurement runs in a fresh interpreter (`python bench/transfers.py worker LIB TASK ...`):
its wall time, its CPU time (user + system, every thread of the process: obstore's Rust
threads too) and its peak RSS (the whole client process, interpreter included). Every
download is checked against the source's SHA-256. Every library uses its defaults. Folders:
s3wire's upload_dir / download_dir (8 files at a time); boto3, minio-py and obstore have no
folder helper, so a plain loop of upload_file / fput_object (download_file / fget_object), one file
at a time, as their users would write it. radosgw keeps its data in RAM, so each library's
objects are deleted, and the server's garbage collector waited for, before the next one.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import resource
import shutil
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

from common import machine, on_radosgw, versions, write_section  # noqa: E402 (path above)

LIBRARIES = ("s3wire", "boto3", "minio", "obstore")
NAMES = {"s3wire": "s3wire", "boto3": "boto3", "minio": "minio-py", "obstore": "obstore"}
TASKS = ("upload", "download", "upload_dir", "download_dir")
GC_WAIT = 12.0  # seconds: rgw gc obj min wait and processor period are 5 s each
MIB = 1024 * 1024


# --- one library, one task, in a fresh process -------------------------------------------------


def connect(library: str, server: dict[str, str], bucket: str) -> Any:
    url, ak, sk = server["url"], server["access_key"], server["secret_key"]
    if library == "obstore":
        from obstore.store import S3Store

        return S3Store(
            bucket,
            endpoint=url,
            access_key_id=ak,
            secret_access_key=sk,
            region="us-east-1",
            virtual_hosted_style_request=False,
            client_options={"allow_http": True},
        )
    if library == "s3wire":
        import s3wire

        return s3wire.Client(url=url, access_key=ak, secret_key=sk, region="us-east-1")
    if library == "boto3":
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=url,
            aws_access_key_id=ak,
            aws_secret_access_key=sk,
            region_name="us-east-1",
        )
    import minio

    host = url.split("://", 1)[1]
    return minio.Minio(host, access_key=ak, secret_key=sk, secure=False, region="us-east-1")


def run_task(library: str, task: str, client: Any, bucket: str, local: str, key: str) -> None:
    """One transfer in the library's own idiom: a file, or a folder to a prefix and back."""
    if library == "obstore":
        run_obstore(task, client, local, key)
        return
    if task == "upload_md5":  # s3wire only: Content-MD5 alone, its default before CRC32
        client.upload_file(bucket, key, local, checksum="md5")
    elif task == "upload":
        if library == "s3wire":
            client.upload_file(bucket, key, local)
        elif library == "boto3":
            client.upload_file(local, bucket, key)
        else:
            client.fput_object(bucket, key, local)
    elif task == "download":
        if library == "minio":
            client.fget_object(bucket, key, local)
        else:  # the same call in s3wire and boto3
            client.download_file(bucket, key, local)
    elif task == "upload_dir":
        if library == "s3wire":
            client.upload_dir(local, bucket, key)
        else:
            for name in sorted(os.listdir(local)):
                path = os.path.join(local, name)
                if library == "boto3":
                    client.upload_file(path, bucket, f"{key}/{name}")
                else:
                    client.fput_object(bucket, f"{key}/{name}", path)
    elif library == "s3wire":
        client.download_dir(bucket, key, local)
    elif library == "boto3":
        pages = client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=key + "/")
        for page in pages:
            for item in page.get("Contents", []):
                name = item["Key"][len(key) + 1 :]
                client.download_file(bucket, item["Key"], os.path.join(local, name))
    else:
        for item in client.list_objects(bucket, prefix=key + "/", recursive=True):
            name = item.object_name[len(key) + 1 :]
            client.fget_object(bucket, item.object_name, os.path.join(local, name))


def run_obstore(task: str, store: Any, local: str, key: str) -> None:
    """obstore's idiom: put a path (multipart above its threshold), stream a get into a file."""
    import obstore

    def fetch(name: str, path: str) -> None:
        with open(path, "wb") as out:
            for chunk in obstore.get(store, name).stream():
                out.write(chunk)

    if task == "upload":
        obstore.put(store, key, Path(local))
    elif task == "download":
        fetch(key, local)
    elif task == "upload_dir":
        for name in sorted(os.listdir(local)):
            obstore.put(store, f"{key}/{name}", Path(local, name))
    else:
        for batch in obstore.list(store, prefix=key + "/"):
            for item in batch:
                fetch(item["path"], os.path.join(local, item["path"][len(key) + 1 :]))


def worker(argv: list[str]) -> None:
    """`worker LIB TASK JSON-ARGS`: run one task, print its wall time and peak RSS as JSON."""
    library, task, raw = argv
    args = json.loads(raw)
    client = connect(library, args["server"], args["bucket"])
    before = resource.getrusage(resource.RUSAGE_SELF)
    start = time.perf_counter()
    run_task(library, task, client, args["bucket"], args["local"], args["key"])
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    print(json.dumps({"seconds": seconds, "cpu_s": cpu, "rss_mib": after.ru_maxrss / 1024}))


def run_worker(library: str, task: str, **args: Any) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "worker", library, task, json.dumps(args)],
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, float] = json.loads(out.stdout)
    return result


# --- data, checks and clean-up ------------------------------------------------------------------


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for chunk in iter(lambda: file.read(MIB), b""):
            digest.update(chunk)
    return digest.hexdigest()


def make_data(scratch: Path, size_mib: int, files: int, file_kib: int) -> tuple[Path, Path]:
    """A file of random bytes and a folder of small random files."""
    big = scratch / "big.bin"
    with open(big, "wb") as out:
        for _ in range(size_mib):
            out.write(os.urandom(MIB))
    folder = scratch / "small"
    folder.mkdir()
    for number in range(files):
        (folder / f"f{number:04d}.bin").write_bytes(os.urandom(file_kib * 1024))
    return big, folder


def same_folders(one: Path, other: Path) -> bool:
    names = sorted(os.listdir(one))
    return names == sorted(os.listdir(other)) and all(
        sha256(one / name) == sha256(other / name) for name in names
    )


def empty_bucket(server: dict[str, str], bucket: str) -> None:
    """Delete every object (and unfinished upload), then let radosgw's gc free the memory."""
    import s3wire

    with s3wire.Client(
        url=server["url"],
        access_key=server["access_key"],
        secret_key=server["secret_key"],
        region="us-east-1",
    ) as client:
        for page in client.paginate("list_objects_v2", bucket=bucket):
            for item in page.raise_for_status().response["ListBucketResult"]["Contents"]:
                client.delete_object(bucket=bucket, key=item["Key"]).raise_for_status()
        uploads = client.list_multipart_uploads(bucket=bucket).raise_for_status()
        for upload in uploads.response["ListMultipartUploadsResult"]["Upload"]:
            client.abort_multipart_upload(
                bucket=bucket, key=upload["Key"], upload_id=upload["UploadId"]
            )
    time.sleep(GC_WAIT)


# --- orchestration -----------------------------------------------------------------------------


def measure(server: dict[str, str], args: argparse.Namespace) -> dict[str, dict[str, Any]]:
    import s3wire

    bucket = f"bench-xfer-{uuid.uuid4().hex[:8]}"
    with s3wire.Client(
        url=server["url"],
        access_key=server["access_key"],
        secret_key=server["secret_key"],
        region="us-east-1",
    ) as client:
        client.create_bucket(bucket=bucket).raise_for_status()
    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        big, _ = make_data(scratch, args.size_mib, args.files, args.file_kib)
        expected = sha256(big)
        os.sync()  # else the data's writeback runs on during the first library's turn
        runs: dict[str, list[dict[str, Any]]] = {library: [] for library in LIBRARIES}
        for turn in range(args.repeat):  # the libraries take turns, each first in one round
            shift = turn % len(LIBRARIES)
            for library in LIBRARIES[shift:] + LIBRARIES[:shift]:
                runs[library].append(one_run(library, server, bucket, scratch, expected))
                empty_bucket(server, bucket)
    return {library: median_of(found) for library, found in runs.items()}


def one_run(
    library: str, server: dict[str, str], bucket: str, scratch: Path, expected: str
) -> dict[str, Any]:
    """Every task once with one library; downloads checked against the sources."""
    big, folder = scratch / "big.bin", scratch / "small"
    common = {"server": server, "bucket": bucket}
    row: dict[str, Any] = {}
    row["upload"] = run_worker(library, "upload", local=str(big), key="big", **common)
    copy = scratch / f"big-{library}.bin"
    row["download"] = run_worker(library, "download", local=str(copy), key="big", **common)
    row["download"]["verified"] = sha256(copy) == expected
    copy.unlink()
    prefix = f"dir-{library}"
    row["upload_dir"] = run_worker(library, "upload_dir", local=str(folder), key=prefix, **common)
    into = scratch / f"small-{library}"
    into.mkdir()
    row["download_dir"] = run_worker(library, "download_dir", local=str(into), key=prefix, **common)
    row["download_dir"]["verified"] = same_folders(folder, into)
    shutil.rmtree(into)
    if library == "s3wire":
        row["upload_md5"] = run_worker(library, "upload_md5", local=str(big), key="md5", **common)
    print(library, json.dumps(row), flush=True)
    return row


def median_of(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Each task's median seconds, CPU and peak RSS over the runs; verified only if every run
    was."""
    return {
        task: {
            "seconds": statistics.median(run[task]["seconds"] for run in runs),
            "cpu_s": statistics.median(run[task]["cpu_s"] for run in runs),
            "rss_mib": statistics.median(run[task]["rss_mib"] for run in runs),
            "verified": all(run[task].get("verified", True) for run in runs),
        }
        for task in runs[0]
    }


def render(rows: dict[str, dict[str, Any]], args: argparse.Namespace) -> str:
    size = args.size_mib
    folder_mib = args.files * args.file_kib / 1024
    lines = [
        "# Transfers: s3wire, boto3, minio-py and obstore side by side",
        "",
        f"Measured {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC with "
        f"`python bench/transfers.py --size-mib {size} --files {args.files} "
        f"--file-kib {args.file_kib} --repeat {args.repeat}` "
        "(one of the two benchmarks `nox -s bench` runs), medians of the runs, every "
        "library with its defaults; "
        "ratio = library / boto3 (higher is better for MiB/s, lower for CPU and memory). CPU is "
        "the client process's user + system time, all its threads. Peak RSS is "
        "the whole client process's. Every download was checked against the source's "
        "SHA-256.",
        "",
        "Folders: s3wire's upload_dir / download_dir (8 files at a time); boto3, minio-py and "
        "obstore have no folder helper: a loop of upload_file / fput_object / put and "
        "download_file / fget_object / get, one file at a time.",
        "",
        f"Machine: {machine()}. The server (radosgw, in memory) shares it.",
        "",
        "Versions: " + ", ".join(f"{k} {v}" for k, v in versions().items()) + ".",
        "",
        "| figure | "
        + " | ".join(NAMES[lib] for lib in LIBRARIES)
        + " | "
        + " | ".join(f"{NAMES[lib]} / boto3" for lib in LIBRARIES if lib != "boto3")
        + " |",
        "|---" * (2 * len(LIBRARIES)) + "|",
    ]
    labels = {
        "upload": f"upload {size} MiB",
        "download": f"download {size} MiB",
        "upload_dir": f"upload {args.files} files of {args.file_kib} KiB",
        "download_dir": f"download {args.files} files of {args.file_kib} KiB",
    }
    for task in TASKS:
        mib = size if task in ("upload", "download") else folder_mib
        speed = {lib: mib / rows[lib][task]["seconds"] for lib in LIBRARIES}
        rss = {lib: rows[lib][task]["rss_mib"] for lib in LIBRARIES}
        cpu = {lib: rows[lib][task]["cpu_s"] for lib in LIBRARIES}
        figures = (
            ("throughput", speed, "MiB/s"),
            ("client CPU", cpu, "s"),
            ("peak RSS", rss, "MiB"),
        )
        for label, values, unit in figures:
            shown = " | ".join(f"{values[lib]:.2f} {unit}" for lib in LIBRARIES)
            ratios = " | ".join(
                f"{values[lib] / values['boto3']:.2f}" for lib in LIBRARIES if lib != "boto3"
            )
            lines.append(f"| {labels[task]}: {label} | {shown} | {ratios} |")
    failed = [
        f"{lib} {task}"
        for lib in LIBRARIES
        for task in ("download", "download_dir")
        if not rows[lib][task]["verified"]
    ]
    md5 = rows["s3wire"]["upload_md5"]
    speed = size / md5["seconds"]
    boto3_speed = size / rows["boto3"]["upload"]["seconds"]
    lines += [
        "",
        "s3wire's uploads send each part's x-amz-checksum-crc32 by default (as boto3 does), and "
        "off AWS its Content-MD5 too, which radosgw checks (docs/integrity.md). With "
        f'`checksum="md5"` (Content-MD5 alone): upload {size} MiB at {speed:.1f} MiB/s '
        f"({speed / boto3_speed:.2f} of boto3), peak RSS {md5['rss_mib']:.1f} MiB.",
    ]
    lines += ["", f"SHA-256 mismatches: {', '.join(failed) or 'none'}."]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mib", type=int, default=1024, help="the big file's size")
    parser.add_argument("--files", type=int, default=200, help="files in the folder")
    parser.add_argument("--file-kib", type=int, default=256, help="each small file's size")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "RESULTS.md")
    args = parser.parse_args()

    rows = on_radosgw(measure, args)
    section = render(rows, args)
    print(section)
    write_section(args.out, "transfers", section)
    print(f"written to {args.out}")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "worker":
        worker(sys.argv[2:])
    else:
        main()
