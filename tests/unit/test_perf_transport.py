"""The urllib3 transport keeps what requests gave: exact URLs, lengths, raw bytes, proxies."""

from __future__ import annotations

import gzip
import io
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest

import s3wire
from s3wire._http import pools
from s3wire._http.transport import Urllib3Transport

GZIPPED = gzip.compress(b"stored as gzip")


class Recorder(BaseHTTPRequestHandler):
    """Answers every request with a gzip-encoded body; records what it received."""

    protocol_version = "HTTP/1.1"
    seen: ClassVar[list[tuple[str, str, dict[str, str], bytes]]] = []

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        self.seen.append((self.command, self.path, dict(self.headers), body))
        self.send_response(200)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(GZIPPED)))
        self.send_header("x-amz-meta-a", "1")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(GZIPPED)

    do_GET = do_PUT = do_HEAD = do_DELETE = _answer

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("NO_PROXY", "*")
    Recorder.seen = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_urls_lengths_and_raw_bytes(server: str) -> None:
    transport = Urllib3Transport(connect_timeout=5, read_timeout=5, verify=True)
    stream = io.BytesIO(b"skip:streamed")
    stream.seek(5)
    status, headers, body = transport.send("PUT", f"{server}/b/a/../k%20?x=1", {}, stream)
    assert (status, body, headers["content-encoding"]) == (200, GZIPPED, "gzip")
    assert headers["X-Amz-Meta-A"] == "1"
    transport.send("DELETE", f"{server}/b/./k", {}, None)
    _, _, empty = transport.send("HEAD", f"{server}/b/k", {}, None)
    transport.close()
    assert empty == b""
    put, delete, head = Recorder.seen
    assert (put[1], put[2]["Content-Length"], put[3]) == ("/b/a/../k%20?x=1", "8", b"streamed")
    assert "Transfer-Encoding" not in put[2]
    assert (delete[1], delete[2]["Content-Length"]) == ("/b/./k", "0")
    assert (head[0], "Content-Length" in head[2]) == ("HEAD", False)


def test_proxies_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("http_proxy", "https_proxy", "all_proxy", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    monkeypatch.setenv("HTTP_PROXY", "proxy.example:3128")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,.internal")
    assert pools.proxy_for("http", "s3.example:80") == "http://proxy.example:3128"
    assert pools.proxy_for("https", "s3.example") is None
    assert pools.proxy_for("http", "127.0.0.1:7480") is None
    assert pools.proxy_for("http", "s3.internal") is None


def test_failure_kinds_are_named_as_before() -> None:
    from urllib3.exceptions import LocationParseError, NewConnectionError, ReadTimeoutError

    refused = NewConnectionError(None, "refused")  # type: ignore[arg-type]
    assert (pools.kind(refused).name, pools.retryable(refused)) == ("ConnectionError", True)
    timeout = ReadTimeoutError(None, "/", "read timed out")  # type: ignore[arg-type]
    assert (pools.kind(timeout).name, pools.retryable(timeout)) == ("ReadTimeout", True)
    malformed = LocationParseError("http://[::1")
    assert (pools.kind(malformed).name, pools.retryable(malformed)) == ("InvalidURL", False)


class Collected:
    """A sink keeping what it is given."""

    def __init__(self, fail_with: OSError | None = None) -> None:
        self.began: list[int] = []
        self.data = bytearray()
        self.fail_with = fail_with

    def begin(self, status: int, headers: object) -> None:
        self.began.append(status)

    def write(self, chunk: bytes) -> None:
        if self.fail_with is not None:
            raise self.fail_with
        self.data += chunk


def test_a_sink_gets_a_successful_body_as_it_arrives(server: str) -> None:
    transport = Urllib3Transport(connect_timeout=5, read_timeout=5, verify=True)
    sink = Collected()
    status, headers, content = transport.send("GET", f"{server}/b/k", {}, None, sink)
    assert (status, content, sink.began, bytes(sink.data)) == (200, b"", [200], GZIPPED)
    assert headers["x-amz-meta-a"] == "1"
    _, _, nothing = transport.send("HEAD", f"{server}/b/k", {}, None, Collected())
    assert nothing == b""


def test_a_failing_sink_is_its_own_error_and_the_connection_is_not_reused(server: str) -> None:
    transport = Urllib3Transport(connect_timeout=5, read_timeout=5, verify=True)
    with pytest.raises(OSError, match="No space") as raised:
        transport.send("GET", f"{server}/b/k", {}, None, Collected(OSError(28, "No space left")))
    assert not isinstance(raised.value, s3wire.TransportError)
    # The next request on the same pool reads its own answer whole, not the leftovers.
    assert transport.send("GET", f"{server}/b/k", {}, None)[2] == GZIPPED
