"""Light and quick: start-up, per-request cost, listing and XML parsing, side by side.

Measures s3wire, boto3, minio-py and obstore in one run against a local radosgw (started here,
with tcp_nodelay), each figure also as a ratio to boto3 (and s3wire's to obstore's), and writes
bench/RESULTS.md.

    python bench/light.py [--ops 300] [--keys 10000] [--repeat 3]

Each measurement runs in a fresh interpreter (`python bench/light.py worker LIB TASK ...`), so one
library's imports and caches never help another. CPU time is the client process's own
(time.process_time: every thread of it, obstore's Rust runtime too), the fairer figure while
the server shares the machine. s3wire is measured as
installed: its bytecode compiled first, as pip compiles boto3's and minio's (this matters where
PYTHONDONTWRITEBYTECODE is set, which otherwise makes every cold start compile from source).

The report goes between the <!-- light --> markers of bench/RESULTS.md; other marked sections
(<!-- transfers -->, <!-- profile -->) are kept as they are.
"""

from __future__ import annotations

import argparse
import compileall
import concurrent.futures
import datetime as dt
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from common import machine, on_radosgw, versions, write_section  # noqa: E402 (path above)

LIBRARIES = ("s3wire", "boto3", "minio", "obstore")
NAMES = {"s3wire": "s3wire", "boto3": "boto3", "minio": "minio-py", "obstore": "obstore"}
SMALL_BODY = os.urandom(1024)
MEDIUM_BODY = os.urandom(64 * 1024)
COLD_START = {
    "python": "pass",  # the bare interpreter: the floor under every library
    "s3wire": (
        "import s3wire; s3wire.Client(url={url!r}, access_key={ak!r}, secret_key={sk!r}, "
        "region='us-east-1')"
    ),
    "boto3": (
        "import boto3; boto3.client('s3', endpoint_url={url!r}, aws_access_key_id={ak!r}, "
        "aws_secret_access_key={sk!r}, region_name='us-east-1')"
    ),
    "minio": (
        "import minio; minio.Minio({host!r}, access_key={ak!r}, secret_key={sk!r}, "
        "secure=False, region='us-east-1')"
    ),
    "obstore": (
        "import obstore; from obstore.store import S3Store; S3Store('bucket', endpoint={url!r}, "
        "access_key_id={ak!r}, secret_access_key={sk!r}, region='us-east-1', "
        "virtual_hosted_style_request=False, client_options={{'allow_http': True}})"
    ),
}
# The process's own peak RSS in KiB: VmHWM starts afresh at exec, whereas ru_maxrss keeps the
# peak of the forking parent (this benchmark, tens of MiB by then).
RSS_PROBE = (
    "; print(next(line.split()[1] for line in open('/proc/self/status') "
    "if line.startswith('VmHWM')))"
)


# --- the four clients behind one small interface -------------------------------------------


class Adapter:
    """put/get/head of small objects and a full listing, in one library's own idiom."""

    def __init__(self, library: str, server: dict[str, str]) -> None:
        self.library = library
        self.server = server
        self.stores: dict[str, Any] = {}  # obstore: one store per bucket
        url, ak, sk = server["url"], server["access_key"], server["secret_key"]
        if library == "obstore":
            import obstore

            self.client: Any = obstore
        elif library == "s3wire":
            import s3wire

            self.client = s3wire.Client(url=url, access_key=ak, secret_key=sk, region="us-east-1")
        elif library == "boto3":
            import boto3
            from botocore.config import Config

            self.client = boto3.client(
                "s3",
                endpoint_url=url,
                aws_access_key_id=ak,
                aws_secret_access_key=sk,
                region_name="us-east-1",
                config=Config(s3={"addressing_style": "path"}),
            )
        else:
            import minio

            self.client = minio.Minio(
                url.split("://", 1)[1],
                access_key=ak,
                secret_key=sk,
                secure=False,
                region="us-east-1",
            )

    def store(self, bucket: str) -> Any:
        """obstore's store for `bucket`, made by its first use."""
        store = self.stores.get(bucket)
        if store is None:
            from obstore.store import S3Store

            store = self.stores[bucket] = S3Store(
                bucket,
                endpoint=self.server["url"],
                access_key_id=self.server["access_key"],
                secret_access_key=self.server["secret_key"],
                region="us-east-1",
                virtual_hosted_style_request=False,
                client_options={"allow_http": True},
            )
        return store

    def put(self, bucket: str, key: str, body: bytes) -> None:
        if self.library == "obstore":
            self.client.put(self.store(bucket), key, body)
        elif self.library == "s3wire":
            self.client.put_object(bucket=bucket, key=key, body=body).raise_for_status()
        elif self.library == "boto3":
            self.client.put_object(Bucket=bucket, Key=key, Body=body)
        else:
            self.client.put_object(bucket, key, io.BytesIO(body), len(body))

    def get(self, bucket: str, key: str) -> bytes:
        if self.library == "obstore":
            return bytes(self.client.get(self.store(bucket), key).bytes())
        if self.library == "s3wire":
            return bytes(self.client.get_object(bucket=bucket, key=key).raise_for_status().body)
        if self.library == "boto3":
            return bytes(self.client.get_object(Bucket=bucket, Key=key)["Body"].read())
        answer = self.client.get_object(bucket, key)
        try:
            return bytes(answer.read())
        finally:
            answer.close()
            answer.release_conn()

    def head(self, bucket: str, key: str) -> int:
        if self.library == "obstore":
            return int(self.client.head(self.store(bucket), key)["size"])
        if self.library == "s3wire":
            return int(self.client.head_object(bucket=bucket, key=key).fields["content_length"])
        if self.library == "boto3":
            return int(self.client.head_object(Bucket=bucket, Key=key)["ContentLength"])
        return int(self.client.stat_object(bucket, key).size)

    def list_keys(self, bucket: str) -> Iterator[str]:
        if self.library == "obstore":
            for batch in self.client.list(self.store(bucket)):
                for item in batch:
                    yield item["path"]
        elif self.library == "s3wire":
            for page in self.client.paginate("list_objects_v2", bucket=bucket):
                for item in page.raise_for_status().response["ListBucketResult"]["Contents"]:
                    yield item["Key"]
        elif self.library == "boto3":
            paginator = self.client.get_paginator("list_objects_v2")
            for page in paginator.paginate(Bucket=bucket):
                for item in page.get("Contents", []):
                    yield item["Key"]
        else:
            for item in self.client.list_objects(bucket, recursive=True):
                yield item.object_name


def parser_for(library: str) -> Callable[[bytes], Any]:
    """How each library turns a ListObjectsV2 XML page into its own data (obstore's parser, in
    Rust, is not reachable from Python: it has no such figure)."""
    if library == "s3wire":
        from s3wire._generated.records import LIST_OBJECTS_V2
        from s3wire.xmljson import parse

        assert LIST_OBJECTS_V2.response_root and LIST_OBJECTS_V2.response_schema
        schemas = {LIST_OBJECTS_V2.response_root: LIST_OBJECTS_V2.response_schema}
        return lambda data: parse(data, schemas)
    if library == "boto3":
        import botocore.session
        from botocore.parsers import RestXMLParser

        model = botocore.session.get_session().get_service_model("s3")
        shape = model.operation_model("ListObjectsV2").output_shape
        parser = RestXMLParser()
        return lambda data: parser.parse({"body": data, "headers": {}, "status_code": 200}, shape)
    from types import SimpleNamespace

    from minio.datatypes import parse_list_objects

    return lambda data: parse_list_objects(SimpleNamespace(data=data))  # type: ignore[arg-type]


# --- tasks, each run in a fresh worker process ----------------------------------------------


def task_small_ops(library: str, server: dict[str, str], bucket: str, ops: int) -> dict[str, Any]:
    adapter = Adapter(library, server)
    keys = [f"small/{library}/{i}" for i in range(ops)]
    medium = f"medium/{library}"
    adapter.put(bucket, "warm-up", SMALL_BODY)  # the first request opens the connection
    adapter.put(bucket, medium, MEDIUM_BODY)
    results: dict[str, Any] = {}
    for name, call in (
        ("put", lambda key: adapter.put(bucket, key, SMALL_BODY)),
        ("get", lambda key: adapter.get(bucket, key)),
        ("head", lambda key: adapter.head(bucket, key)),
        ("get64", lambda _: adapter.get(bucket, medium)),
    ):
        cpu, wall = time.process_time(), time.perf_counter()
        for key in keys:
            call(key)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        results[name] = {"ops_per_s": ops / wall, "cpu_us_per_op": cpu / ops * 1e6}
    assert adapter.get(bucket, keys[-1]) == SMALL_BODY
    assert adapter.get(bucket, medium) == MEDIUM_BODY
    return results


def task_listing(library: str, server: dict[str, str], bucket: str, keys: int) -> dict[str, Any]:
    """The whole listing twice with one client: the first pays for what a library does on its
    first request (s3wire imports its HTTP layer and XML parser then), the second is the steady
    cost, as the small operations are measured (after a warm-up request)."""
    adapter = Adapter(library, server)
    results: dict[str, Any] = {}
    for run in ("first", "again"):
        cpu, wall = time.process_time(), time.perf_counter()
        count = sum(1 for _ in adapter.list_keys(bucket))
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        assert count == keys, (library, count)
        results[run] = {"wall_ms": wall * 1e3, "cpu_ms": cpu * 1e3}
    results["rss_mib"] = peak_rss_kib() / 1024
    return results


def peak_rss_kib() -> int:
    """This process's peak RSS (VmHWM), in KiB."""
    with open("/proc/self/status", encoding="ascii") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM"))


def task_parse(library: str, page: Path) -> dict[str, Any]:
    data = page.read_bytes()
    parse = parser_for(library)
    parse(data)
    rounds = 30
    cpu = time.process_time()
    for _ in range(rounds):
        parse(data)
    return {"cpu_ms": (time.process_time() - cpu) / rounds * 1e3}


def worker(argv: list[str]) -> None:
    """`worker LIB TASK JSON-ARGS`: run one task, print its JSON result."""
    library, task, raw = argv
    args = json.loads(raw)
    if task == "small":
        result = task_small_ops(library, args["server"], args["bucket"], args["ops"])
    elif task == "listing":
        result = task_listing(library, args["server"], args["bucket"], args["keys"])
    else:
        result = task_parse(library, Path(args["page"]))
    print(json.dumps(result))


def run_worker(library: str, task: str, **args: Any) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, __file__, "worker", library, task, json.dumps(args)],
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, Any] = json.loads(out.stdout)
    return result


# --- whole-process measurements ---------------------------------------------------------------


def cold_start(library: str, server: dict[str, str]) -> dict[str, float]:
    code = COLD_START[library].format(
        url=server["url"],
        host=server["url"].split("://", 1)[1],
        ak=server["access_key"],
        sk=server["secret_key"],
    )
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", code + RSS_PROBE], capture_output=True, text=True, check=True
    )
    return {"wall_ms": (time.perf_counter() - start) * 1e3, "rss_mib": int(out.stdout) / 1024}


def cli_list_buckets(command: list[str], env: dict[str, str]) -> dict[str, float]:
    probe = (
        "import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, "
        "stdout=subprocess.DEVNULL); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", probe, *command], capture_output=True, text=True, env=env, check=True
    )
    return {"wall_ms": (time.perf_counter() - start) * 1e3, "rss_mib": int(out.stdout) / 1024}


# --- orchestration ----------------------------------------------------------------------------


def median_of(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The median of each figure over repeated runs (nested dicts too)."""
    first = runs[0]
    if isinstance(first, dict):
        return {key: median_of([run[key] for run in runs]) for key in first}
    return statistics.median(runs)  # type: ignore[return-value]


def prepare(server: dict[str, str], keys: int) -> tuple[str, str, bytes]:
    """A bucket for small objects, one holding `keys` keys, and one raw 1,000-key XML page."""
    import s3wire

    client = s3wire.Client(
        url=server["url"],
        access_key=server["access_key"],
        secret_key=server["secret_key"],
        region="us-east-1",
    )
    small, listing = f"bench-small-{uuid.uuid4().hex[:8]}", f"bench-list-{uuid.uuid4().hex[:8]}"
    for bucket in (small, listing):
        client.create_bucket(bucket=bucket).raise_for_status()

    def put(i: int) -> None:
        client.put_object(bucket=listing, key=f"k/{i:06d}", body=b"x").raise_for_status()

    with concurrent.futures.ThreadPoolExecutor(16) as pool:
        list(pool.map(put, range(keys)))
    page = client.request("GET", f"/{listing}?list-type=2&max-keys=1000")
    return small, listing, page.body


def ratio(value: float, base: float) -> str:
    return f"{value / base:.2f}"


def _cli(row: dict[str, Any], figure: str) -> float | None:
    """A CLI figure; minio-py has no CLI of its own in Python."""
    return float(row["cli"][figure]) if "cli" in row else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ops", type=int, default=300, help="small operations of each kind")
    parser.add_argument("--keys", type=int, default=10_000, help="keys in the listed bucket")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "RESULTS.md")
    args = parser.parse_args()

    import s3wire

    compileall.compile_dir(Path(s3wire.__file__).parent, quiet=1)
    rows = on_radosgw(measure, args)
    report = render(rows, args)
    print(report)
    write_section(args.out, "light", report)
    print(f"written to {args.out}")


def measure(server: dict[str, str], args: argparse.Namespace) -> dict[str, dict[str, Any]]:
    small, listing, page_xml = prepare(server, args.keys)
    rows: dict[str, dict[str, Any]] = {library: {} for library in (*LIBRARIES, "python")}
    with tempfile.TemporaryDirectory() as home:
        page = Path(home) / "page.xml"  # one ListObjectsV2 page, for the parse figure
        page.write_bytes(page_xml)
        data = Path(home) / "conn.json"
        data.write_text(
            json.dumps(
                {
                    "url": server["url"],
                    "access_key": server["access_key"],
                    "secret_key": server["secret_key"],
                    "region": "us-east-1",
                }
            ),
            encoding="utf-8",
        )
        env = dict(
            os.environ,
            HOME=home,
            AWS_ACCESS_KEY_ID=server["access_key"],
            AWS_SECRET_ACCESS_KEY=server["secret_key"],
            AWS_DEFAULT_REGION="us-east-1",
        )
        cli = {
            "s3wire": [sys.executable, "-m", "s3wire.cli", "list-buckets", "--data", str(data)],
            "boto3": [
                sys.executable,
                "-m",
                "awscli",
                "s3api",
                "list-buckets",
                "--endpoint-url",
                server["url"],
            ],
        }
        for _ in range(args.repeat):  # the libraries take turns, so drift hits all alike
            rows["python"].setdefault("cold", []).append(cold_start("python", server))
            for library in LIBRARIES:
                rows[library].setdefault("cold", []).append(cold_start(library, server))
                if library in cli:
                    rows[library].setdefault("cli", []).append(cli_list_buckets(cli[library], env))
                rows[library].setdefault("small", []).append(
                    run_worker(library, "small", server=server, bucket=small, ops=args.ops)
                )
                rows[library].setdefault("listing", []).append(
                    run_worker(library, "listing", server=server, bucket=listing, keys=args.keys)
                )
                if library != "obstore":
                    rows[library].setdefault("parse", []).append(
                        run_worker(library, "parse", page=str(page))
                    )
    return {
        library: {k: median_of(v) for k, v in figures.items()} for library, figures in rows.items()
    }


def render(rows: dict[str, dict[str, Any]], args: argparse.Namespace) -> str:
    lines = [
        "# Light and quick: s3wire, boto3, minio-py and obstore side by side",
        "",
        f"Measured {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC with "
        f"`python bench/light.py --ops {args.ops} --keys {args.keys} --repeat {args.repeat}` "
        "(one of the two benchmarks `nox -s bench` runs), medians of the runs; "
        "ratio = library / boto3, and s3wire / obstore (lower is better for time, CPU and "
        "memory; higher for operations per second). CPU is the client process's own, all its "
        "threads (obstore's Rust runtime too). The listing is timed twice in one process: a "
        "fresh client's first (which pays for a library's first request: s3wire imports "
        "urllib3 and its XML parser then, the others at import) and again with the same "
        "client; its peak RSS is the whole worker's, this script included. obstore's page "
        "parser, in Rust, cannot be called from Python on its own.",
        "",
        f"Machine: {machine()}. The server (radosgw, in memory, tcp_nodelay) shares it.",
        "",
        "Versions: " + ", ".join(f"{k} {v}" for k, v in versions().items()) + ".",
        "",
        "| figure | "
        + " | ".join(NAMES[lib] for lib in LIBRARIES)
        + " | "
        + " | ".join(f"{NAMES[lib]} / boto3" for lib in LIBRARIES if lib != "boto3")
        + " | s3wire / obstore |",
        "|---" * (2 * len(LIBRARIES) + 1) + "|",
    ]

    def row(label: str, pick: Callable[[dict[str, Any]], float | None], unit: str) -> None:
        values = {lib: pick(rows[lib]) for lib in LIBRARIES}
        shown = [f"{v:.1f} {unit}" if v is not None else "-" for v in values.values()]
        ratios = [
            ratio(value, base) if value is not None and base else "-"
            for value, base in (
                *((values[lib], values["boto3"]) for lib in LIBRARIES if lib != "boto3"),
                (values["s3wire"], values["obstore"]),
            )
        ]
        lines.append(f"| {label} | {' | '.join(shown)} | {' | '.join(ratios)} |")

    row("cold start: import + client, wall", lambda r: r["cold"]["wall_ms"], "ms")
    row("cold start: peak RSS", lambda r: r["cold"]["rss_mib"], "MiB")
    floor, boto3 = rows["python"]["cold"], rows["boto3"]["cold"]
    blanks = " |" * (len(LIBRARIES) - 1)
    lines.append(
        f"| cold start floor: bare `python -c pass`, wall / peak RSS | {floor['wall_ms']:.1f} ms "
        f"/ {floor['rss_mib']:.1f} MiB |{blanks} {ratio(floor['wall_ms'], boto3['wall_ms'])} / "
        f"{ratio(floor['rss_mib'], boto3['rss_mib'])} |{blanks}"
    )
    row("CLI list-buckets (boto3: aws s3api), wall", lambda r: _cli(r, "wall_ms"), "ms")
    row("CLI list-buckets, peak RSS", lambda r: _cli(r, "rss_mib"), "MiB")
    for op, label in (
        ("put", "1 KiB put"),
        ("get", "1 KiB get"),
        ("head", "1 KiB head"),
        ("get64", "64 KiB get"),
    ):
        row(f"{label}: client CPU per op", lambda r, op=op: r["small"][op]["cpu_us_per_op"], "µs")
        row(f"{label}: operations per second", lambda r, op=op: r["small"][op]["ops_per_s"], "/s")
    listed = f"list {args.keys} keys"
    row(f"{listed}, a fresh client's first: wall", lambda r: r["listing"]["first"]["wall_ms"], "ms")
    row(
        f"{listed}, a fresh client's first: client CPU",
        lambda r: r["listing"]["first"]["cpu_ms"],
        "ms",
    )
    row(f"{listed} again, same client: wall", lambda r: r["listing"]["again"]["wall_ms"], "ms")
    row(f"{listed} again, same client: client CPU", lambda r: r["listing"]["again"]["cpu_ms"], "ms")
    row(f"{listed} twice: peak RSS of the process", lambda r: r["listing"]["rss_mib"], "MiB")
    row(
        "parse a 1,000-key ListObjectsV2 page: CPU",
        lambda r: r["parse"]["cpu_ms"] if "parse" in r else None,
        "ms",
    )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "worker":
        worker(sys.argv[2:])
    else:
        main()
