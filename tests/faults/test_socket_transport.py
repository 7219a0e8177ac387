"""SocketTransport's own ways: a kept connection the server closed is replaced once, unseen;
TLS is verified against a CA bundle, with SNI; IPv6; files on disk go out with sendfile; a sink
gets the body as it arrives (stub servers on the loopback, tests/faults/stub.py)."""

from __future__ import annotations

import io
import os
import socket
import ssl
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from proxy import Exchange
from stub import Stub, answer

import s3wire
from s3wire.transfer.filewindow import FileWindow
from s3wire.transport import SocketTransport

ANY_MD5 = "1B2M2Y8AsgTpgAmY7PhCfg=="


def socket_client(url: str, **options: Any) -> s3wire.Client:
    """A path-style client over a SocketTransport, one try per call."""
    transport = SocketTransport(
        connect_timeout=5,
        read_timeout=5,
        verify=options.pop("verify", True),
        max_answer_bytes=options.pop("max_answer_bytes", 1 << 20),
    )
    return s3wire.Client(
        s3wire.get_data_structure(
            url, "AKIDEXAMPLE", "secret", "us-east-1", addressing_style="path", max_attempts=1
        ),
        transport=transport,
    )


def every_other_hangs_up() -> tuple[list[int], Any]:
    """An answer function: requests 1, 3, 5, ... answered (keeping the connection); 2, 4, ...
    read, then the connection closed without a byte of answer."""
    count = [0]

    def respond(exchange: Exchange) -> Iterator[bytes]:
        count[0] += 1
        if count[0] % 2 == 0:
            raise OSError("the stub hangs up")
        body = exchange.raw.partition(b"\r\n\r\n")[2]
        yield answer(b"", x_echo=f"{exchange.method} {exchange.target} {len(body)}")

    return count, respond


def test_a_kept_connection_the_server_closed_is_replaced_once_and_the_body_sent_again() -> None:
    count, respond = every_other_hangs_up()
    with Stub(respond) as stub, socket_client(stub.url) as client:
        for n in range(4):
            body = io.BytesIO(b"0123456789" * 10)
            body.seek(5)  # sent from where it stands, both times
            put = client.put_object(bucket="b", key=f"k{n}", body=body, content_md5=ANY_MD5)
            assert (put.status, put.headers["x-echo"]) == (200, f"PUT /b/k{n} 95")
        assert client.head_object(bucket="b", key="h").status == 200
    # each call after the first: once on the kept connection (closed), once on a new one
    assert [e.target for e in stub.seen] == ["/b/k0"] + [
        target for n in (1, 2, 3) for target in (f"/b/k{n}",) * 2
    ] + ["/b/h"] * 2
    assert all(e.raw.endswith(b"\r\n\r\n" + b"56789" + b"0123456789" * 9) for e in stub.seen[:7])
    assert count[0] == 9


def test_a_post_on_a_kept_connection_that_breaks_is_left_to_the_client_and_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A POST (CompleteMultipartUpload, DeleteObjects) may have been acted on before the
    connection broke: the transport does not send it again itself; a GET it does, saying so."""
    count, respond = every_other_hangs_up()
    with Stub(respond) as stub, socket_client(stub.url) as client:
        assert client.head_object(bucket="b", key="first").status == 200
        with pytest.raises(s3wire.TransportError) as raised:
            client.delete_objects(bucket="b", objects=[{"key": "k"}])
        assert raised.value.retryable
        assert client.head_object(bucket="b", key="kept").status == 200
        with caplog.at_level("DEBUG", "s3wire"):
            assert client.head_object(bucket="b", key="again").status == 200
    assert [e.method for e in stub.seen] == ["HEAD", "POST", "HEAD", "HEAD", "HEAD"]
    assert count[0] == 5
    assert any(m.startswith("retrying HEAD") for m in caplog.messages)


def test_a_new_connection_closed_before_any_answer_is_not_sent_again() -> None:
    def hang_up(exchange: Exchange) -> Iterator[bytes]:
        raise OSError("the stub hangs up")
        yield b""  # pragma: no cover (a generator)

    with Stub(hang_up) as stub, socket_client(stub.url) as client:
        with pytest.raises(s3wire.TransportError, match="closed the connection before") as raised:
            client.get_object(bucket="b", key="k")
        assert len(stub.seen) == 1 and raised.value.retryable
        assert not isinstance(raised.value, s3wire.IncompleteAnswerError)


@pytest.fixture(scope="module")
def localhost_certificate(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A self-signed certificate (and its key) for localhost, 127.0.0.1 and ::1, in one PEM."""
    pem = tmp_path_factory.mktemp("tls") / "server.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-subj", "/CN=localhost"),
            *("-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1"),
            *("-keyout", str(pem), "-out", str(pem.with_suffix(".crt"))),
        ],
        check=True,
        capture_output=True,
    )
    pem.write_bytes(pem.read_bytes() + pem.with_suffix(".crt").read_bytes())
    return pem


def test_tls_is_verified_against_the_ca_bundle_and_names_the_host(
    localhost_certificate: Path,
) -> None:
    names: list[str | None] = []
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(localhost_certificate)
    context.sni_callback = lambda _sock, name, _ctx: names.append(name)  # type: ignore[assignment,return-value]
    bundle = str(localhost_certificate.with_suffix(".crt"))
    with Stub(tls=context) as stub:
        url = stub.url.replace("127.0.0.1", "localhost")
        with socket_client(url, verify=bundle) as client:
            for key in ("a", "b"):
                assert client.get_object(bucket="b", key=key).body == f"GET /b/{key} 0".encode()
        with socket_client(url) as unverified, pytest.raises(s3wire.ConnectError) as raised:
            unverified.get_object(bucket="b", key="a")
    assert "certificate" in str(raised.value).lower() and not raised.value.retryable
    assert names == ["localhost", "localhost"]  # one handshake kept for both; then the refused one
    assert len(stub.seen) == 2


def test_an_ipv6_host_is_reached_by_its_bracketed_address() -> None:
    seen: list[bytes] = []
    with socket.socket(socket.AF_INET6) as server:
        server.bind(("::1", 0))
        server.listen(1)
        port = server.getsockname()[1]

        def serve() -> None:
            connection, _ = server.accept()
            with connection:
                data = b""
                while b"\r\n\r\n" not in data:
                    data += connection.recv(65536)
                seen.append(data)
                connection.sendall(answer(b"six"))

        thread = threading.Thread(target=serve, daemon=True)
        thread.start()
        with socket_client(f"http://[::1]:{port}") as client:
            assert client.get_object(bucket="b", key="k").body == b"six"
        thread.join(5)
    assert seen[0].startswith(b"GET /b/k HTTP/1.1\r\n")
    assert f"\r\nHost: [::1]:{port}\r\n".encode() in seen[0]


@pytest.mark.parametrize("window", [False, True], ids=["file", "window of a file"])
def test_a_file_on_disk_goes_out_with_sendfile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, preads: list[int], window: bool
) -> None:
    """A regular file from where it stands, or a window of one (a multipart upload's part):
    the kernel sends the bytes (os.sendfile), none is read into Python (os.pread)."""
    data = bytes(range(256)) * 4000
    (tmp_path / "f").write_bytes(b"skipped" + data)
    sent = data[:-5] if window else data  # a window may end before the file does
    calls: list[int] = []
    real = os.sendfile

    def spy(out: int, fd: int, offset: int, count: int) -> int:
        calls.append(count)
        return real(out, fd, offset, count)

    monkeypatch.setattr(os, "sendfile", spy)
    with Stub() as stub, socket_client(stub.url) as client, open(tmp_path / "f", "rb") as file:
        body: Any = FileWindow(file.fileno(), 7, len(sent)) if window else file
        file.seek(7)
        put = client.put_object(bucket="b", key="k", body=body, content_md5=ANY_MD5)
        assert put.headers["x-echo"] == f"PUT /b/k {len(sent)}"
        assert body.tell() == (0 if window else 7) + len(sent)
        assert stub.seen[0].raw.endswith(b"\r\n\r\n" + sent)
    assert calls[0] == len(sent)
    assert preads == []


@pytest.mark.parametrize("at_once", [False, True], ids=["keeps chunks", "writes at once"])
def test_a_streamed_body_is_copied_only_for_a_target_that_may_keep_it(at_once: bool) -> None:
    """The socket transport hands the sink its receive buffer: a target that writes each
    chunk before returning (DownloadWindow: pwrite) gets it as it is, with no copy; any other
    gets bytes of its own, intact after the buffer is reused."""
    body = os.urandom(3 * 1024 * 1024 + 5)

    def whole(exchange: Exchange) -> Iterator[bytes]:
        yield answer(body)

    class Keeping(io.RawIOBase):
        writes_at_once = at_once

        def __init__(self) -> None:
            self.chunks: list[Any] = []

        def writable(self) -> bool:
            return True

        def write(self, data: Any) -> int:
            self.chunks.append(data if not at_once else (type(data), bytes(data)))
            return len(data)

    target = Keeping()
    with Stub(whole) as stub, socket_client(stub.url) as client:
        assert client.get_object(bucket="b", key="k", into=target).status == 200
    if at_once:
        viewed = sum(len(data) for kind, data in target.chunks if kind is memoryview)
        assert viewed >= len(body) - 64 * 1024  # all but what came with the head
        assert b"".join(data for _, data in target.chunks) == body
    else:
        assert {type(chunk) for chunk in target.chunks} == {bytes}
        assert b"".join(target.chunks) == body


def test_a_sink_gets_the_body_as_it_arrives() -> None:
    first_write = threading.Event()
    order: list[bool] = []

    def halves(exchange: Exchange) -> Iterator[bytes]:
        yield b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nfirst\r\n"
        order.append(first_write.wait(5))  # the first half reached the sink before the rest
        yield b"6\r\nsecond\r\n0\r\n\r\n"

    class Recording(io.BytesIO):
        def write(self, data: Any) -> int:
            first_write.set()
            return super().write(data)

    with Stub(halves) as stub, socket_client(stub.url) as client:
        out = Recording()
        assert client.get_object(bucket="b", key="k", into=out).status == 200
    assert (out.getvalue(), order) == (b"firstsecond", [True])
