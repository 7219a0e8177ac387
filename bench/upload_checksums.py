"""upload_file's cost by checksum, against a running server: s3wire's defaults (each part's
CRC32, and its Content-MD5 off AWS, read in one pass), s3wire with checksum="md5" (Content-MD5
alone, its default before), and boto3's defaults (its CRC32), on one file.

    python bench/upload_checksums.py [--url http://127.0.0.1:7480] [--size-mib 256] [--rounds 3]

Each upload runs in a fresh interpreter (bench/transfers.py's worker: wall time, peak RSS);
the order rotates each round, and after each upload the object is deleted and radosgw's
garbage collector waited for (bench/transfers.py's GC_WAIT). Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
TRANSFERS = ROOT / "bench" / "transfers.py"
CASES = [("s3wire", "upload"), ("s3wire", "upload_md5"), ("boto3", "upload")]
GC_WAIT = 12.0
MIB = 1024 * 1024


def main() -> None:
    import s3wire

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:7480")
    parser.add_argument("--access-key", default="AKIAIOSFODNN7EXAMPLE")
    parser.add_argument("--secret-key", default="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
    parser.add_argument("--size-mib", type=int, default=256)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    server = {"url": args.url, "access_key": args.access_key, "secret_key": args.secret_key}
    client = s3wire.Client(
        url=args.url, access_key=args.access_key, secret_key=args.secret_key, region="us-east-1"
    )
    bucket = f"bench-crc-{uuid.uuid4().hex[:8]}"
    client.create_bucket(bucket=bucket).raise_for_status()
    results: dict[tuple[str, str], list[dict[str, float]]] = {}
    with tempfile.TemporaryDirectory() as scratch:
        local = os.path.join(scratch, "big.bin")
        with open(local, "wb") as out:
            for _ in range(args.size_mib):
                out.write(os.urandom(MIB))
        try:
            for round_ in range(args.rounds):
                shift = round_ % len(CASES)
                for library, task in CASES[shift:] + CASES[:shift]:
                    key = f"{library}-{task}-{round_}"
                    job = {"server": server, "bucket": bucket, "local": local, "key": key}
                    out = subprocess.run(
                        [sys.executable, str(TRANSFERS), "worker", library, task, json.dumps(job)],
                        capture_output=True,
                        text=True,
                        check=True,
                    )
                    results.setdefault((library, task), []).append(json.loads(out.stdout))
                    client.delete_object(bucket=bucket, key=key).raise_for_status()
                    time.sleep(GC_WAIT)
        finally:
            client.delete_bucket(bucket=bucket)
    print(f"| upload_file, {args.size_mib} MiB | median s | MiB/s | peak RSS MiB |")
    print("|---|---|---|---|")
    for (library, task), runs in results.items():
        seconds = statistics.median(run["seconds"] for run in runs)
        rss = max(run["rss_mib"] for run in runs)
        label = {"upload": "defaults", "upload_md5": 'checksum="md5"'}[task]
        print(f"| {library} {label} | {seconds:.2f} | {args.size_mib / seconds:.0f} | {rss:.0f} |")


if __name__ == "__main__":
    main()
