"""Client CPU per small request over each transport: Urllib3Transport, SocketTransport, the
asyncio AsyncSocketTransport (and aiohttp, beside it, when it can be imported), and a bare
keep-alive socket with a minimal HTTP/1.1 parse (the floor in pure Python).

    python bench/transports.py [--url URL] [--ops 2000] [--aiohttp-python PYTHON]

Against a running S3 server: --url, or S3WIRE_TEST_ENDPOINT with S3WIRE_TEST_ACCESS_KEY,
S3WIRE_TEST_SECRET_KEY and S3WIRE_TEST_REGION (the test suite's). Each figure is measured in a
fresh interpreter (`python bench/transports.py worker WAY ...`), as time.process_time of the
client process over `--ops` requests of one kind (PUT and GET of 1 KiB, HEAD), after a warm-up.

The ways: `client/urllib3` and `client/socket` are s3wire.Client calls (signing, checks, parsing
included) over each transport; `send/urllib3` and `send/socket` are the transport's own send()
of a presigned URL (the HTTP layer alone); `bare-socket` sends the same presigned requests
through a socket with a few lines of parsing. `send/async-socket` and `send/aiohttp` send the
same presigned requests from a coroutine, one awaited at a time (an event loop's cost per
request, not concurrency): AsyncSocketTransport.send, and an aiohttp.ClientSession request whose
body is read whole. aiohttp's way runs under --aiohttp-python (or S3WIRE_BENCH_AIOHTTP_PYTHON;
this interpreter by default), an environment where aiohttp and s3wire's dependencies import; it
is left out when aiohttp does not. It prints a table of ms CPU per operation and the ratios of
the socket transports to urllib3's, to the bare socket and to aiohttp.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
WAYS = (
    "client/urllib3",
    "client/socket",
    "send/urllib3",
    "send/socket",
    "send/async-socket",
    "send/aiohttp",
    "bare-socket",
)
ASYNC_WAYS = ("send/async-socket", "send/aiohttp")
OPS = ("PUT", "GET", "HEAD")
BODY = os.urandom(1024)


def server_from(args: argparse.Namespace) -> dict[str, str]:
    env = os.environ
    return {
        "url": args.url or env.get("S3WIRE_TEST_ENDPOINT", "http://127.0.0.1:7480"),
        "access_key": env.get("S3WIRE_TEST_ACCESS_KEY", "AKIAIOSFODNN7EXAMPLE"),
        "secret_key": env.get("S3WIRE_TEST_SECRET_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
        "region": env.get("S3WIRE_TEST_REGION", "us-east-1"),
    }


def client_of(server: dict[str, str], transport: Any = None) -> Any:
    import s3wire

    return s3wire.Client(
        url=server["url"],
        access_key=server["access_key"],
        secret_key=server["secret_key"],
        region=server["region"],
        addressing_style="path",
        transport=transport,
    )


def new_transport(kind: str) -> Any:
    from s3wire._http.async_transport import AsyncSocketTransport
    from s3wire.transport import SocketTransport, Urllib3Transport

    kinds = {"socket": SocketTransport, "async-socket": AsyncSocketTransport}
    return kinds.get(kind, Urllib3Transport)(connect_timeout=10, read_timeout=60, verify=True)


def client_calls(server: dict[str, str], way: str, bucket: str) -> dict[str, Callable[[], Any]]:
    client = client_of(server, new_transport(way.split("/")[1]))
    return {
        "PUT": lambda: client.put_object(bucket=bucket, key="k", body=BODY),
        "GET": lambda: client.get_object(bucket=bucket, key="k"),
        "HEAD": lambda: client.head_object(bucket=bucket, key="k"),
    }


def presigned(server: dict[str, str], bucket: str) -> dict[str, str]:
    with client_of(server) as client:
        return {op: client.presigned_url(op, bucket, "k", expires=3600) for op in OPS}


def send_calls(server: dict[str, str], way: str, bucket: str) -> dict[str, Callable[[], Any]]:
    transport, urls = new_transport(way.split("/")[1]), presigned(server, bucket)
    host = urlsplit(server["url"]).netloc

    def call(op: str) -> Callable[[], Any]:
        body = BODY if op == "PUT" else None
        return lambda: transport.send(op, urls[op], {"Host": host}, body)

    return {op: call(op) for op in OPS}


class Bare:
    """A keep-alive socket and the least HTTP/1.1 that reads S3's small answers."""

    def __init__(self, url: str) -> None:
        split = urlsplit(url)
        self.sock = socket.create_connection((split.hostname, split.port or 80))
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.host = split.netloc
        self.buffer = b""

    def send(self, method: str, url: str, body: bytes) -> tuple[int, bytes]:
        target = url[url.index("/", url.index("//") + 2) :]
        head = f"{method} {target} HTTP/1.1\r\nHost: {self.host}\r\n"
        self.sock.sendall(f"{head}Content-Length: {len(body)}\r\n\r\n".encode() + body)
        buffer = self.buffer
        while (end := buffer.find(b"\r\n\r\n")) < 0:
            buffer += self.sock.recv(65536)
        lines = buffer[:end].split(b"\r\n")
        status = int(lines[0].split(b" ", 2)[1])
        length = 0
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            if name.lower() == b"content-length" and method != "HEAD":
                length = int(value)
        buffer = buffer[end + 4 :]
        while len(buffer) < length:
            buffer += self.sock.recv(65536)
        self.buffer = buffer[length:]
        return status, buffer[:length]


def bare_calls(server: dict[str, str], way: str, bucket: str) -> dict[str, Callable[[], Any]]:
    bare, urls = Bare(server["url"]), presigned(server, bucket)
    return {
        "PUT": lambda: bare.send("PUT", urls["PUT"], BODY),
        "GET": lambda: bare.send("GET", urls["GET"], b""),
        "HEAD": lambda: bare.send("HEAD", urls["HEAD"], b""),
    }


async def async_send_calls(
    server: dict[str, str], way: str, bucket: str
) -> tuple[dict[str, Callable[[], Any]], Callable[[], Any]]:
    """The coroutine functions of one async way, and the one that closes it."""
    urls, host = presigned(server, bucket), urlsplit(server["url"]).netloc
    if way == "send/async-socket":
        transport = new_transport("async-socket")

        def call(op: str) -> Callable[[], Any]:
            body = BODY if op == "PUT" else None
            return lambda: transport.send(op, urls[op], {"Host": host}, body)

        return {op: call(op) for op in OPS}, transport.close
    import aiohttp
    import yarl

    session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=10))

    def call_aiohttp(op: str) -> Callable[[], Any]:
        url, body = yarl.URL(urls[op], encoded=True), BODY if op == "PUT" else None

        async def send() -> tuple[int, bytes]:
            async with session.request(op, url, data=body) as answer:
                return answer.status, await answer.read()

        return send

    return {op: call_aiohttp(op) for op in OPS}, session.close


async def async_worker(server: dict[str, str], way: str, bucket: str, ops: int) -> dict[str, float]:
    """worker() for an async way: the same figures, each request awaited in turn."""
    calls, close = await async_send_calls(server, way, bucket)
    figures = {}
    for op in OPS:
        call = calls[op]
        for _ in range(min(100, ops)):
            await call()
        started = time.process_time()
        for _ in range(ops):
            await call()
        figures[op] = (time.process_time() - started) * 1000 / ops
    await close()
    return figures


def worker(server: dict[str, str], way: str, bucket: str, ops: int) -> dict[str, float]:
    """ms of CPU per operation, for each kind of operation, over one way."""
    if way in ASYNC_WAYS:
        return asyncio.run(async_worker(server, way, bucket, ops))
    if way.startswith("client/"):
        calls = client_calls(server, way, bucket)
    elif way.startswith("send/"):
        calls = send_calls(server, way, bucket)
    else:
        calls = bare_calls(server, way, bucket)
    figures = {}
    for op in OPS:
        call = calls[op]
        for _ in range(min(100, ops)):  # warm-up: connections made, caches filled
            call()
        started = time.process_time()
        for _ in range(ops):
            call()
        figures[op] = (time.process_time() - started) * 1000 / ops
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url")
    parser.add_argument("--ops", type=int, default=2000)
    parser.add_argument(
        "--aiohttp-python",
        default=os.environ.get("S3WIRE_BENCH_AIOHTTP_PYTHON", sys.executable),
        help="the interpreter of the send/aiohttp way (one that imports aiohttp)",
    )
    parser.add_argument("rest", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    server = server_from(args)
    if args.rest[:1] == ["worker"]:
        way, bucket = args.rest[1], args.rest[2]
        print(json.dumps(worker(server, way, bucket, args.ops)))
        return
    bucket = f"bench-transports-{uuid.uuid4().hex[:8]}"
    with client_of(server) as client:
        client.create_bucket(bucket=bucket).raise_for_status()
        client.put_object(bucket=bucket, key="k", body=BODY).raise_for_status()
        try:
            ways = [way for way in WAYS if way != "send/aiohttp" or imports_aiohttp(args)]
            rows = {way: run_worker(way, bucket, args) for way in ways}
        finally:
            client.delete_object(bucket=bucket, key="k")
            client.delete_bucket(bucket=bucket)
    print(table(rows, args.ops))


def imports_aiohttp(args: argparse.Namespace) -> bool:
    """Whether the aiohttp way's interpreter imports aiohttp (the way is left out if not)."""
    command = [args.aiohttp_python, "-c", "import aiohttp, yarl"]
    return subprocess.run(command, capture_output=True).returncode == 0


def run_worker(way: str, bucket: str, args: argparse.Namespace) -> dict[str, float]:
    python = args.aiohttp_python if way == "send/aiohttp" else sys.executable
    command = [python, __file__, "--ops", str(args.ops)]
    command += ["--url", server_from(args)["url"], "worker", way, bucket]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run(command, capture_output=True, text=True, check=True, env=env)
    figures: dict[str, float] = json.loads(done.stdout)
    return figures


def table(rows: dict[str, dict[str, float]], ops: int) -> str:
    lines = [
        f"Client CPU, ms per operation ({ops} of each, 1 KiB bodies; time.process_time)",
        "",
        "| way | " + " | ".join(OPS) + " |",
        "|---|" + "---:|" * len(OPS),
    ]
    lines += [
        f"| {way} | " + " | ".join(f"{figures[op]:.3f}" for op in OPS) + " |"
        for way, figures in rows.items()
    ]
    pairs = [
        ("client/socket", "client/urllib3"),
        ("send/socket", "send/urllib3"),
        ("send/socket", "bare-socket"),
        ("send/async-socket", "send/socket"),
        ("send/async-socket", "send/aiohttp"),
    ]
    for mine, theirs in pairs:
        if mine in rows and theirs in rows:
            ratios = " | ".join(f"{rows[mine][op] / rows[theirs][op]:.2f}" for op in OPS)
            lines.append(f"| {mine} / {theirs} | {ratios} |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
