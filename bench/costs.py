"""Where s3wire's client CPU goes on a small request and on a listing, piece by piece, beside
obstore's whole figure for the same call (issue 15's "how far and why").

    python bench/costs.py [--count 3000] [--url URL]

Against a throw-away radosgw started here (or --url with S3WIRE_TEST_ACCESS_KEY and
S3WIRE_TEST_SECRET_KEY). Each row is client CPU (time.process_time) per call, the median of 5
rounds of `--count` calls, in this one process:

- the whole call (GetObject and HeadObject of 1 KiB, a 1,000-key ListObjectsV2 page), s3wire's
  and obstore's (if installed);
- s3wire's own work with the network replaced by a canned answer (testing.MockTransport), and
  its parts: building the request, signing it, reading the answer into a Response;
- SocketTransport.send alone with a request signed once, and the floor under it: the same
  bytes on a kept socket with a minimal parse (sendall, recv until the length arrived), which
  is what any client pays in system calls;
- the canned call and the floor one after the other in one loop: what s3wire's own work
  costs when it runs between real exchanges, beside their sum;
- for the page, the XML parse alone (through defusedxml, as s3wire reads every answer).

The report goes between the <!-- costs --> markers of bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import socket
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "src"))

from common import machine, on_radosgw, write_section  # noqa: E402 (path above)

import s3wire  # noqa: E402
from s3wire import xmljson  # noqa: E402
from s3wire._generated import operations  # noqa: E402
from s3wire._request.answer import read_answer  # noqa: E402

REGION = "us-east-1"


class Canned:
    """A transport that answers every request with the same answer, doing nothing else."""

    def __init__(self, answer: tuple[int, Any, bytes]) -> None:
        self.answer = answer

    def send(self, method: str, url: str, headers: Any, body: Any, sink: Any = None) -> Any:
        return self.answer

    def close(self) -> None:
        pass


def per_call(call: Callable[[], object], count: int) -> float:
    """Client CPU per call in µs: the median of 5 rounds of `count` calls."""
    call()
    rounds = []
    for _ in range(5):
        start = time.process_time()
        for _ in range(count):
            call()
        rounds.append((time.process_time() - start) / count * 1e6)
    return statistics.median(rounds)


def floor(
    url: str, target: str, headers: dict[str, str], method: str = "GET"
) -> Callable[[], None]:
    """One request on a kept socket, its answer read to its Content-Length: the system calls."""
    host, _, port = url.split("//", 1)[1].partition(":")
    sock = socket.create_connection((host, int(port or 80)))
    lines = [f"{method} {target} HTTP/1.1"] + [f"{k}: {v}" for k, v in headers.items()]
    request = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")

    def one() -> None:
        sock.sendall(request)
        data = b""
        while b"\r\n\r\n" not in data:
            data += sock.recv(262144)
        head, _, body = data.partition(b"\r\n\r\n")
        if method == "HEAD":
            return
        at = head.lower().find(b"content-length:")
        if at < 0:  # chunked: read to the last chunk
            while not body.endswith(b"0\r\n\r\n"):
                body += sock.recv(262144)
            return
        length = int(head[at + 15 : head.find(b"\r\n", at)].strip() or b"0")
        while len(body) < length:
            body += sock.recv(262144)

    return one


def obstore_calls(server: dict[str, str], bucket: str) -> dict[str, Callable[[], object]]:
    """obstore's GET, HEAD and one page of listing, if obstore is installed."""
    try:
        import obstore
        from obstore.store import S3Store
    except ImportError:
        return {}
    store = S3Store(
        bucket,
        endpoint=server["url"],
        access_key_id=server["access_key"],
        secret_access_key=server["secret_key"],
        region=REGION,
        virtual_hosted_style_request=False,
        client_options={"allow_http": True},
    )

    def page() -> None:
        obstore.list_with_delimiter(store, "l/")  # one request: ListObjectsV2, 1,000 keys

    return {
        "get": lambda: obstore.get(store, "k").bytes(),
        "head": lambda: obstore.head(store, "k"),
        "page": page,
    }


CASES = (
    ("GetObject 1 KiB", "get_object", operations.GET_OBJECT, {"key": "k"}, None),
    ("HeadObject", "head_object", operations.HEAD_OBJECT, {"key": "k"}, None),
    (
        "ListObjectsV2, a page of 1,000 keys",
        "list_objects_v2",
        operations.LIST_OBJECTS_V2,
        {"prefix": "l/"},
        [("prefix", "l/")],
    ),
)


def measure(server: dict[str, str], args: argparse.Namespace) -> list[str]:
    bucket = f"bench-costs-{uuid.uuid4().hex[:8]}"
    keys = {"access_key": server["access_key"], "secret_key": server["secret_key"]}
    client = s3wire.Client(url=server["url"], region=REGION, **keys)
    client.create_bucket(bucket=bucket).raise_for_status()
    client.put_object(bucket=bucket, key="k", body=os.urandom(1024)).raise_for_status()
    for i in range(1000):
        client.put_object(bucket=bucket, key=f"l/{i:06d}", body=b"").raise_for_status()
    theirs = obstore_calls(server, bucket)
    rows: list[tuple[str, float]] = []
    for name, method_name, op, extra, query in CASES:
        count = args.count if query is None else max(args.count // 20, 10)
        short = method_name.split("_")[0] if query is None else "page"
        rows += costs(client, server, keys, bucket, (name, method_name, op, extra, query), count)
        if short in theirs:
            rows.insert(
                -8 if query is None else -9,
                (f"{name}: the whole call, obstore", per_call(theirs[short], count)),
            )
    return [
        "| figure | client CPU per call |",
        "|---|---:|",
        *(f"| {name} | {value:.0f} µs |" for name, value in rows),
    ]


def costs(
    client: s3wire.Client,
    server: dict[str, str],
    keys: dict[str, str],
    bucket: str,
    case: tuple[str, str, Any, dict[str, str], list[tuple[str, str]] | None],
    count: int,
) -> list[tuple[str, float]]:
    """One call's rows: the whole call, s3wire's own work and its parts, the transport, and
    the floor."""
    name, method_name, op, extra, query = case
    kwargs: dict[str, Any] = {"bucket": bucket, **extra}
    method = getattr(client, method_name)
    answer = method(**kwargs).raise_for_status()
    rows = [(f"{name}: the whole call, s3wire", per_call(lambda: method(**kwargs), count))]
    canned = s3wire.Client(
        url=server["url"],
        region=REGION,
        transport=Canned((answer.status, answer.headers, answer.body)),
        **keys,
    )
    mocked = getattr(canned, method_name)
    rows.append(
        (f"{name}: s3wire's own work (canned answer)", per_call(lambda: mocked(**kwargs), count))
    )
    key = extra.get("key")

    def prepare() -> Any:
        return client._prepare(op, bucket=bucket, key=key, query=query)

    prepared = prepare()
    rows.append((f"{name}: - building the request", per_call(prepare, count)))
    signer = client._signer(REGION, None, client._credentials.get())
    rows.append((f"{name}: - signing it", per_call(lambda: prepared.signed(signer), count)))
    sent = (answer.status, answer.headers, answer.body)
    schema = client._ERROR_SCHEMA
    rows.append(
        (
            f"{name}: - reading the answer",
            per_call(lambda: read_answer(prepared, *sent, schema), count),
        )
    )
    if query is not None:
        schemas = {op.response_root: op.response_schema}
        rows.append(
            (
                f"{name}: -- of which the XML parse",
                per_call(lambda: xmljson.parse(answer.body, schemas), count),
            )
        )
    url, headers = prepared.signed(signer)
    transport = client._default_transport()
    rows.append(
        (
            f"{name}: SocketTransport.send alone",
            per_call(lambda: transport.send(op.method, url, headers, None, None), count),
        )
    )
    target = url.split("//", 1)[1]
    sent_headers = {
        "Host": target[: target.find("/")],
        **{k: v for k, v in headers.items() if k != "Host"},
    }
    status = transport.send(op.method, url, headers, None, None)[0]
    assert status == 200, status
    probe = floor(server["url"], target[target.find("/") :], sent_headers, op.method)
    rows.append((f"{name}: the floor (a kept socket, minimal parse)", per_call(probe, count)))
    rows.append(
        (
            f"{name}: s3wire's own work, then the floor, alternating in one loop",
            per_call(lambda: (mocked(**kwargs), probe()), count),
        )
    )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=3000)
    parser.add_argument("--url", help="a running server (else radosgw is started here)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "RESULTS.md")
    args = parser.parse_args()
    if args.url:
        server = {
            "url": args.url,
            "access_key": os.environ["S3WIRE_TEST_ACCESS_KEY"],
            "secret_key": os.environ["S3WIRE_TEST_SECRET_KEY"],
        }
        rows = measure(server, args)
    else:
        rows = on_radosgw(measure, args)  # type: ignore[arg-type]
    when = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    command = " ".join(["python bench/costs.py", *sys.argv[1:]])
    body = "\n".join(
        [
            "# Where a small request's and a page's client CPU goes (s3wire, beside obstore)",
            "",
            f"Measured {when} with `{command}`: client CPU per call, medians of 5 rounds,"
            " one process (bytecode compiled).",
            "",
            f"Machine: {machine()}. The server (radosgw) shares it.",
            "",
            *rows,
            "",
        ]
    )
    write_section(args.out, "costs", body)
    print(body)


if __name__ == "__main__":
    main()
