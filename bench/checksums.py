"""The checksum packages s3wire could compute CRC32C and CRC64NVME with, side by side.

For each candidate installed in this interpreter: its speed on one buffer fed in 1 MiB
chunks (incremental updates, as uploads and downloads feed it), the time a fresh interpreter
takes to import it, and, given `--wheels DIR` (a folder of `pip download --no-deps` wheels),
the size of its wheel. zlib's CRC32 and s3wire's pure-Python fallback are listed for scale
(the fallback on 4 MiB: it is slow).

    python bench/checksums.py [--size-mib 64] [--wheels DIR]
"""

from __future__ import annotations

import argparse
import importlib
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

MIB = 1024 * 1024
Update = Callable[[bytes, int], int]


class _Stateful:
    """crc64fast keeps its state in a digest object: fed through the same update(data, crc)."""

    def __init__(self) -> None:
        import crc64fast

        self.new = crc64fast.crc64fast
        self.digest = self.new()

    def __call__(self, data: bytes, crc: int) -> int:
        if crc == 0:  # a new buffer
            self.digest = self.new()
        self.digest.update(data)
        return int.from_bytes(self.digest.digest(), "big") or 1


def candidates() -> dict[str, tuple[str, dict[str, Update]]]:
    """name -> (module imported, algorithm -> update(data, crc))."""
    found: dict[str, tuple[str, dict[str, Update]]] = {}
    try:
        from awscrt import checksums as crt

        found["awscrt"] = (
            "awscrt.checksums",
            {"crc32": crt.crc32, "crc32c": crt.crc32c, "crc64nvme": crt.crc64nvme},
        )
    except ImportError:
        pass
    try:
        import google_crc32c

        found["google-crc32c"] = (
            "google_crc32c",
            {"crc32c": lambda d, c: google_crc32c.extend(c, d)},
        )
    except ImportError:
        pass
    try:
        import crc32c

        found["crc32c"] = ("crc32c", {"crc32c": lambda d, c: crc32c.crc32c(d, c)})
    except ImportError:
        pass
    try:
        import crc64fast  # noqa: F401

        found["crc64fast"] = ("crc64fast", {"crc64nvme": _Stateful()})
    except ImportError:
        pass
    try:
        import anycrc

        c32, c64 = anycrc.Model("CRC32-ISCSI"), anycrc.Model("CRC64-NVME")
        found["anycrc"] = ("anycrc", {"crc32c": c32.calc, "crc64nvme": c64.calc})
    except ImportError:
        pass
    import zlib

    from s3wire._checksums import tables

    found["zlib (stdlib)"] = ("zlib", {"crc32": zlib.crc32})
    found["s3wire fallback"] = (
        "s3wire._checksums.tables",
        {"crc32c": tables.crc32c, "crc64nvme": tables.crc64nvme},
    )
    return found


def speed(update: Update, data: bytes) -> float:
    """MB/s (10**6 bytes), best of 3, fed 1 MiB at a time."""
    chunks = [data[first : first + MIB] for first in range(0, len(data), MIB)]
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        crc = 0
        for chunk in chunks:
            crc = update(chunk, crc)
        best = min(best, time.perf_counter() - start)
    return len(data) / best / 1e6


def import_ms(module: str) -> float:
    """A fresh interpreter's import of the module, in ms, best of 5."""
    code = (
        "import time; t = time.perf_counter(); import importlib; "
        f"importlib.import_module({module!r}); print(time.perf_counter() - t)"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    runs = [
        float(
            subprocess.run(
                [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
            ).stdout
        )
        for _ in range(5)
    ]
    return min(runs) * 1000


def wheel_kib(wheels: Path | None, name: str) -> str:
    if wheels is None:
        return "-"
    stem = name.replace("-", "_").lower()
    for wheel in wheels.glob("*.whl"):
        if wheel.name.lower().startswith(stem + "-"):
            return f"{wheel.stat().st_size // 1024}"
    return "-"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mib", type=int, default=64)
    parser.add_argument("--wheels", type=Path)
    args = parser.parse_args()
    data = os.urandom(args.size_mib * MIB)
    print("| package | wheel KiB | import ms | CRC32 MB/s | CRC32C MB/s | CRC64NVME MB/s |")
    print("|---|---|---|---|---|---|")
    for name, (module, updates) in candidates().items():
        importlib.import_module(module)
        sample = data if name != "s3wire fallback" else data[: 4 * MIB]
        cells = [
            f"{speed(updates[algo], sample):,.0f}" if algo in updates else "-"
            for algo in ("crc32", "crc32c", "crc64nvme")
        ]
        print(
            f"| {name} | {wheel_kib(args.wheels, name.split()[0])} | "
            f"{import_ms(module):.1f} | " + " | ".join(cells) + " |"
        )


if __name__ == "__main__":
    main()
