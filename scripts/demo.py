"""A tour of s3wire against a local S3 server that this script starts and stops.

python scripts/demo.py             # moto's S3 emulator (no root needed)
python scripts/demo.py --radosgw   # a real Ceph radosgw (root; scripts/radosgw.sh installs it)
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import servers  # found through the path set just above

import s3wire


def show(title: str, answer: s3wire.Response[Any, Any]) -> None:
    """Print one call's {status, response, headers} answer, headers trimmed for reading."""
    shown = answer.to_dict()
    shown["headers"] = {k: v for k, v in shown["headers"].items() if k.lower().startswith("x-amz")}
    print(f"\n## {title}\n{json.dumps(shown, indent=2, ensure_ascii=False)}")
    if answer.fields:
        print(f"fields: {json.dumps(answer.fields, ensure_ascii=False)}")


def tour(data: s3wire.ConnectionData) -> None:
    """Create a bucket, write, list, read and delete objects, and meet an error answer."""
    print(f"connection data (the secret stays hidden): {data!r}")
    with s3wire.Client(data) as client:
        show("create_bucket", client.create_bucket(bucket="demo-bucket"))
        show(
            "put_object",
            client.put_object(
                bucket="demo-bucket",
                key="notes/hello world.txt",
                body=b"Hello from s3wire!\n",
                content_type="text/plain",
                metadata={"author": "demo"},
            ),
        )
        client.put_object(bucket="demo-bucket", key="notes/ünïcödé+plus.txt", body=b"2")
        show("list_objects_v2", client.list_objects_v2(bucket="demo-bucket", prefix="notes/"))
        got = client.get_object(bucket="demo-bucket", key="notes/hello world.txt")
        print(f"\n## get_object\nstatus {got.status}, body {got.body!r}")
        show("head_object", client.head_object(bucket="demo-bucket", key="notes/hello world.txt"))
        missing = client.get_object(bucket="demo-bucket", key="no/such/key")
        show("get_object of a missing key (answered, not raised)", missing)
        try:
            missing.raise_for_status()
        except s3wire.S3Error as error:
            print(f"raise_for_status() -> S3Error: {error}")
        for key in ("notes/hello world.txt", "notes/ünïcödé+plus.txt"):
            client.delete_object(bucket="demo-bucket", key=key).raise_for_status()
        show("delete_bucket", client.delete_bucket(bucket="demo-bucket"))
        show("list_buckets", client.list_buckets())


def main() -> int:
    """Start the chosen server, run the tour, stop the server."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--radosgw", action="store_true", help="use a real radosgw (needs root)")
    args = parser.parse_args()
    if args.radosgw:
        server = servers.start_radosgw()
        try:
            tour(_data(server))
        finally:
            servers.stop_radosgw()
    else:
        server, process = servers.start_moto()
        try:
            tour(_data(server))
        finally:
            servers.stop_process(process)
    print(f"\ndemo finished against {server.kind} at {server.url}")
    return 0


def _data(server: servers.S3Server) -> s3wire.ConnectionData:
    return s3wire.get_data_structure(
        server.url, server.access_key, server.secret_key, server.region
    )


if __name__ == "__main__":
    sys.exit(main())
