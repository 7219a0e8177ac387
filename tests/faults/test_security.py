"""Hostile answers, TLS, and secrets: local servers serving what S3 never should, and a run of
calls against radosgw whose every log record is searched for secrets."""

from __future__ import annotations

import logging
import ssl
import subprocess
import threading
import traceback
import urllib.request
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import servers
from faultbench import READ_TIMEOUT, Watched, connect
from proxy import Fault, FaultProxy

import s3wire
from s3wire.errors import InsecureTransportWarning

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<ListBucketResult><Name>&lol3;</Name></ListBucketResult>"""
XXE = b"""<?xml version="1.0"?>
<!DOCTYPE e [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<Error><Code>&xxe;</Code><Message>x</Message></Error>"""
EMPTY_LISTING = b"<ListAllMyBucketsResult><Buckets/></ListAllMyBucketsResult>"


class Canned:
    """A local HTTP(S) server answering every request with one status and body; counts them."""

    def __init__(self, status: int, body: bytes, tls: ssl.SSLContext | None = None) -> None:
        canned = self

        class Handler(BaseHTTPRequestHandler):
            def answer(self) -> None:
                canned.requests += 1
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                self.send_response(status)
                self.send_header("Content-Type", "application/xml")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_PUT = do_POST = do_DELETE = answer

            def log_message(self, *args: Any) -> None:
                pass

        self.requests = 0
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        if tls is not None:
            self.server.socket = tls.wrap_socket(self.server.socket, server_side=True)
        scheme = "https" if tls is not None else "http"
        self.url = f"{scheme}://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> Canned:
        threading.Thread(target=self.server.serve_forever, args=(0.01,), daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def client_of(url: str, **options: Any) -> s3wire.Client:
    return s3wire.Client(
        url=url, access_key="AKIDEXAMPLE", secret_key="secret", region="us-east-1", **options
    )


@pytest.mark.parametrize(("status", "body"), [(200, BILLION_LAUGHS), (500, XXE), (404, XXE)])
def test_hostile_xml_from_a_server_is_refused_at_once(status: int, body: bytes) -> None:
    with Canned(status, body) as server, client_of(server.url, retry_base_delay=0) as client:
        with pytest.raises(s3wire.ResponseError, match="refused to parse the answer's XML"):
            client.list_objects_v2(bucket="bkt")
        assert server.requests == 1  # refused, not retried


def test_a_success_answer_that_is_not_xml_is_refused_at_once() -> None:
    with Canned(200, b"<html><body>login here") as server, client_of(server.url) as client:
        with pytest.raises(s3wire.ResponseError, match="it is not XML"):
            client.list_objects_v2(bucket="bkt")
        assert server.requests == 1  # refused, not retried


def test_an_error_answer_that_is_not_xml_is_answered() -> None:
    page = b"<html><body>503 from the proxy"
    with Canned(503, page) as server, client_of(server.url, retry_base_delay=0) as client:
        answer = client.list_objects_v2(bucket="bkt")
    assert (answer.status, answer.response) == (503, {"NotXml": page.decode()})


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A self-signed certificate (and its key) for 127.0.0.1, in one PEM file."""
    pem = tmp_path_factory.mktemp("tls") / "server.pem"
    try:
        subprocess.run(
            [
                *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
                *("-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"),
                *("-keyout", str(pem), "-out", str(pem.with_suffix(".crt"))),
            ],
            check=True,
            capture_output=True,
        )
    except (OSError, subprocess.CalledProcessError) as exc:
        pytest.skip(f"openssl cannot make a test certificate: {exc}")
    pem.write_bytes(pem.read_bytes() + pem.with_suffix(".crt").read_bytes())
    return pem


@pytest.fixture
def https(certificate: Path) -> Iterator[Canned]:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certificate)
    with Canned(200, EMPTY_LISTING, tls=context) as server:
        yield server


def test_tls_is_verified_by_default(https: Canned) -> None:
    with client_of(https.url) as client, pytest.raises(s3wire.ConnectError) as raised:
        client.list_buckets()
    assert "certificate" in str(raised.value).lower()
    assert isinstance(raised.value.__cause__, ssl.SSLCertVerificationError)
    assert (raised.value.retryable, raised.value.attempts, https.requests) == (False, 1, 0)


def test_a_ca_bundle_path_verifies_against_it(https: Canned, certificate: Path) -> None:
    with client_of(https.url, verify=str(certificate.with_suffix(".crt"))) as client:
        assert client.list_buckets().status == 200
    with pytest.raises(s3wire.ParamError, match="verify names no CA bundle"):
        client_of(https.url, verify=str(certificate.with_suffix(".missing")))


@pytest.mark.filterwarnings("ignore::urllib3.exceptions.InsecureRequestWarning")
def test_turning_verification_off_is_warned_about(https: Canned) -> None:
    with pytest.warns(InsecureTransportWarning, match=r"verify=False") as warned:
        client = client_of(https.url, verify=False)
    with client:
        assert client.list_buckets().status == 200
    assert len([w for w in warned if w.category is InsecureTransportWarning]) == 1


class Everything(logging.Handler):
    """Every log record of every logger, formatted as a handler would write it."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record) + repr(record.args) + repr(record.__dict__))


@pytest.fixture
def everything() -> Iterator[Everything]:
    root = logging.getLogger()
    handler, level = Everything(), root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield handler
    root.removeHandler(handler)
    root.setLevel(level)


def test_secrets_appear_in_no_log_record_repr_or_exception(
    s3_server: servers.S3Server, proxy: FaultProxy, bucket: str, everything: Everything
) -> None:
    token = f"TOKEN-{uuid.uuid4().hex}"
    transport, signatures = signature_recorder()
    client = connect(proxy.url, s3_server, transport, session_token=token)
    proxy.add(Fault("error", 503, "SlowDown"), "PUT")
    proxy.add(Fault("reset"), "GET")
    proxy.add(Fault("truncate"), "GET", r"list-type")
    client.put_object(bucket=bucket, key="k", body=b"data").raise_for_status()
    assert client.get_object(bucket=bucket, key="k").body == b"data"
    client.list_objects_v2(bucket=bucket).raise_for_status()
    link = client.presigned_url("GET", bucket, "k", expires=60)
    signatures += parse_qs(urlsplit(link).query)["X-Amz-Signature"]
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(link) as fetched:
        assert fetched.read() == b"data"
    texts = [repr(client), repr(client.data), str(client.data)]
    proxy.add(Fault("reset"), "HEAD", times=None)
    for failing in (
        lambda: client.get_object(bucket=bucket, key="missing").raise_for_status(),
        lambda: client.head_object(bucket=bucket, key="k"),
        lambda: client.presigned_url("GET", bucket, "k", expires=10**9),
    ):
        with pytest.raises(s3wire.S3wireError) as raised:
            failing()
        texts += [str(raised.value), repr(raised.value), *traceback.format_exception(raised.value)]
    client.close()

    assert any(line.startswith("s3wire DEBUG retrying") for line in everything.lines)
    assert any(line.startswith("urllib3") for line in everything.lines)
    secrets = [s3_server.secret_key, token, *signatures]
    assert len(signatures) > 5
    for text in everything.lines + texts:
        for secret in secrets:
            assert secret not in text


def signature_recorder() -> tuple[Watched, list[str]]:
    """A real transport (the bench's timeouts) keeping the Signature of every Authorization
    header it sends, and the list it keeps them in."""
    signatures: list[str] = []

    def keep(method: str, url: str, headers: dict[str, str], body: Any) -> None:
        signatures.append(headers["Authorization"].rsplit("Signature=", 1)[1])

    watched = Watched(keep, connect_timeout=READ_TIMEOUT, read_timeout=READ_TIMEOUT)
    return watched, signatures
