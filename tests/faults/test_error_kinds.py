"""Transport failures a program can catch by kind: stub servers on 127.0.0.1 that refuse, never
accept, stay silent, stall or cut an answer short (tests/faults/stub.py). Each failure is its kind
and no other, still a TransportError, with a clean OSError as its cause where one lies beneath;
no presigned URL's signature rides on any of them."""

from __future__ import annotations

import errno
import io
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from carried import carried_text, linked
from proxy import Exchange
from stub import Answer, Stub
from test_transport_hostile import client_of, dribble, transport_kind  # noqa: F401 (a fixture)

import s3wire
from s3wire._http.transport import _clean

KINDS = (
    s3wire.ConnectError,
    s3wire.TransportTimeoutError,
    s3wire.IncompleteAnswerError,
    s3wire.ChecksumError,
)


def assert_kind(error: BaseException, *kinds: type[s3wire.TransportError]) -> None:
    """`error` is a TransportError of exactly these kinds, none of the others, and no OSError
    (those are local files' alone)."""
    assert isinstance(error, s3wire.TransportError), repr(error)
    assert {kind for kind in KINDS if isinstance(error, kind)} == set(kinds), repr(error)
    assert not isinstance(error, OSError)


@contextmanager
def refusing() -> Iterator[str]:
    """The URL of a port on 127.0.0.1 where nothing listens: connecting is refused."""
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))  # bound, never listening: no one else takes the port
        yield f"http://127.0.0.1:{held.getsockname()[1]}"


@contextmanager
def never_accepting() -> Iterator[str]:
    """The URL of a port whose backlog is full: a new connection is never made (its SYN is
    dropped), so connecting times out."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(0)
        url = f"http://127.0.0.1:{server.getsockname()[1]}"
        fillers = []
        try:
            for _ in range(8):  # more than the backlog holds
                filler = socket.socket()
                filler.setblocking(False)
                filler.connect_ex(server.getsockname())
                fillers.append(filler)
            time.sleep(0.2)
            yield url
        finally:
            for filler in fillers:
                filler.close()


def silent(exchange: Exchange) -> Iterator[bytes]:
    """No answer for longer than any test waits."""
    time.sleep(5)
    yield b""


def stalling(exchange: Exchange) -> Iterator[bytes]:
    """A head and half the body, then silence."""
    yield b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhalf."
    time.sleep(5)


def closing_short(exchange: Exchange) -> Iterator[bytes]:
    """Half the body its Content-Length promises, then the connection closes."""
    yield b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\nConnection: close\r\n\r\nhalf."


def chunks_broken_off(exchange: Exchange) -> Iterator[bytes]:
    """A chunked body that ends inside a chunk."""
    yield b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n10\r\nhalf."


def failure_of(url: str, into: bool = False, **options: Any) -> s3wire.TransportError:
    """The error of a GetObject from `url` (its body into a file object, or memory)."""
    with client_of(url, **options) as client, pytest.raises(s3wire.TransportError) as raised:
        client.get_object(bucket="b", key="k", into=io.BytesIO() if into else None)
    return raised.value


def test_a_refused_connection_is_a_connect_error_with_its_os_error_as_cause() -> None:
    with refusing() as url:
        error = failure_of(url, max_attempts=2, retry_base_delay=0)
    assert_kind(error, s3wire.ConnectError)
    assert (error.retryable, error.attempts) == (True, 2)
    cause = error.__cause__
    assert isinstance(cause, ConnectionRefusedError) and cause.errno == errno.ECONNREFUSED
    assert cause.__traceback__ is None and cause.__cause__ is None and cause.__context__ is None


def test_a_connection_not_made_in_connect_timeout_is_a_connect_error_and_a_timeout() -> None:
    with never_accepting() as url:
        error = failure_of(url, connect_timeout=0.5)
    assert isinstance(error, s3wire.ConnectTimeoutError)
    assert_kind(error, s3wire.ConnectError, s3wire.TransportTimeoutError)
    assert error.retryable and "ConnectTimeout" in str(error)
    assert isinstance(error.__cause__, TimeoutError)


@pytest.mark.parametrize("scheme", ["http", "https"])
def test_a_proxy_that_refuses_is_a_connect_error(
    scheme: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Through a forwarding proxy (http) or a CONNECT tunnel (https) that cannot be reached."""
    for name in ("no_proxy", "NO_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    with refusing() as proxy:
        for name in (f"{scheme}_proxy", f"{scheme.upper()}_PROXY"):
            monkeypatch.setenv(name, proxy)
        error = failure_of(f"{scheme}://s3.example.test")  # resolved by nobody but a proxy
    assert_kind(error, s3wire.ConnectError)
    assert isinstance(error.__cause__, ConnectionRefusedError)


@pytest.mark.parametrize(
    "respond", [silent, stalling], ids=["before-the-answer", "in-the-middle-of-the-body"]
)
def test_a_server_silent_past_read_timeout_is_a_timeout(respond: Answer) -> None:
    with Stub(respond) as stub:
        error = failure_of(stub.url, read_timeout=0.5)
    assert_kind(error, s3wire.TransportTimeoutError)
    assert error.retryable and "ReadTimeout" in str(error)
    assert isinstance(error.__cause__, TimeoutError)


@pytest.mark.parametrize("respond", [closing_short, chunks_broken_off], ids=["length", "chunked"])
@pytest.mark.parametrize("into", [False, True], ids=["memory", "into"])
def test_an_answer_cut_short_is_an_incomplete_answer(respond: Answer, into: bool) -> None:
    with Stub(respond) as stub:
        error = failure_of(stub.url, into, max_attempts=2, retry_base_delay=0)
        assert len(stub.seen) == 2
    assert_kind(error, s3wire.IncompleteAnswerError)
    assert "cut short" in str(error) and (error.retryable, error.attempts) == (True, 2)


def test_a_timeout_while_upload_file_reads_a_file_is_no_local_file_error(tmp_path: Path) -> None:
    """upload_file turns the OSErrors of its block into LocalFileErrors: a network timeout is
    none of them."""
    source = tmp_path / "f"
    source.write_bytes(b"data")
    with (
        Stub(silent) as stub,
        client_of(stub.url, read_timeout=0.5) as client,
        pytest.raises(s3wire.TransportError) as raised,
    ):
        client.upload_file("b", "k", source)
    assert_kind(raised.value, s3wire.TransportTimeoutError)
    assert not isinstance(raised.value, s3wire.LocalFileError)


def longer_than_its_length(exchange: Exchange) -> Iterator[bytes]:
    """A chunked body of 8 bytes with a Content-Length of 4 (the chunks frame it)."""
    head = b"HTTP/1.1 200 OK\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n"
    yield head + b"8\r\n12345678\r\n0\r\n\r\n"


@pytest.mark.parametrize("into", [False, True], ids=["memory", "into"])
def test_an_answer_longer_than_its_content_length_is_no_incomplete_answer(into: bool) -> None:
    with Stub(longer_than_its_length) as stub:
        error = failure_of(stub.url, into)
    assert_kind(error)
    assert "longer than its Content-Length: 8 of 4 bytes arrived" in str(error)


def test_a_call_out_of_its_total_timeout_is_a_timeout_not_retried() -> None:
    with Stub(dribble) as stub:
        error = failure_of(stub.url, max_attempts=4, total_timeout=0.5)
        assert len(stub.seen) == 1
    assert_kind(error, s3wire.TransportTimeoutError)
    assert "total_timeout (0.5 s)" in str(error) and not error.retryable


@contextmanager
def stub_of(respond: Answer) -> Iterator[str]:
    with Stub(respond) as stub:
        yield stub.url


SERVERS = {
    "refused": (refusing, {}),
    "connect-timeout": (never_accepting, {"connect_timeout": 0.5}),
    "silent": (lambda: stub_of(silent), {"read_timeout": 0.5}),
    "stalling": (lambda: stub_of(stalling), {"read_timeout": 0.5}),
    "cut-short": (lambda: stub_of(closing_short), {}),
    "total-timeout": (lambda: stub_of(dribble), {"total_timeout": 0.5}),
}


@pytest.mark.parametrize("server", SERVERS)
def test_no_failure_carries_a_presigned_urls_signature(server: str) -> None:
    """Sending a presigned URL fails; neither the printed traceback nor anything linked to the
    error (its cause, its context, their attributes) holds the signature or the credential."""
    serving, options = SERVERS[server]
    with (
        serving() as url,
        client_of(url, max_attempts=2, retry_base_delay=0, **options) as client,
        pytest.raises(s3wire.TransportError) as raised,
    ):
        link = client.presigned_url("GET", "b", "k", expires=60)
        query = parse_qs(urlsplit(link).query)
        secrets = [*query["X-Amz-Signature"], *query["X-Amz-Credential"]]
        client.request("GET", link)
    shown = carried_text(raised.value)
    for secret in secrets:
        assert secret not in shown
    assert all(each.__traceback__ is None for each in linked(raised.value.__cause__))


class Picky(OSError):
    """An OSError whose constructor takes no positional arguments."""

    def __init__(self, *, why: str) -> None:
        super().__init__(errno.EPIPE, why)


@pytest.mark.parametrize(
    ("original", "shown"),
    [
        (
            ConnectionResetError(errno.ECONNRESET, "reset by /b/k?X-Amz-Signature=SIG"),
            "[Errno 104] reset by /b/k?...",
        ),
        (OSError(errno.EIO, "failed", ["/b/k?X-Amz-Signature=SIG"]), "[Errno 5] failed"),
        (
            Picky(why="broken pipe at /b/k?X-Amz-Signature=SIG"),
            "[Errno 32] broken pipe at /b/k?...",
        ),
    ],
    ids=["copied", "args-not-text", "own-constructor"],
)
def test_a_cause_is_a_clean_copy_of_its_os_error(original: OSError, shown: str) -> None:
    try:
        raise original from KeyError("/b/k?X-Amz-Signature=SIG")
    except OSError as raised:
        copy = _clean(raised)
    assert isinstance(copy, OSError) and (copy.errno, str(copy)) == (original.errno, shown)
    assert copy.__traceback__ is None and copy.__cause__ is None and copy.__context__ is None
    assert "SIG" not in carried_text(copy)
