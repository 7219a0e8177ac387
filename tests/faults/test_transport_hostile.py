"""The transport under files that change while they are sent, forks, proxies and servers that
never stop talking: stub servers and a recording proxy on 127.0.0.1 (tests/faults/stub.py,
tests/faults/proxy.py)."""

from __future__ import annotations

import io
import multiprocessing
import os
import ssl
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from faultbench import TRANSPORT, TRANSPORTS, Watched, transport_of
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from proxy import Exchange, FaultProxy
from stub import Stub, answer
from test_security import certificate  # noqa: F401 (a fixture: a certificate for 127.0.0.1)

import s3wire
from s3wire.config import DEFAULT_MAX_ANSWER_BYTES
from s3wire.signing import encode_path

KIB = 1024
# The bytes a file gains while it is sent: a whole request, which the server would read as the
# next one on the connection if they went out after the declared body.
STRAY = b"GET /stray HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n"
ANY_MD5 = "1B2M2Y8AsgTpgAmY7PhCfg=="  # given, so that nothing reads the file before it is sent


@pytest.fixture(scope="module", autouse=True, params=sorted(TRANSPORTS))
def transport_kind(request: pytest.FixtureRequest) -> Iterator[str]:
    """Each test of the module runs over each transport (client_of and Watched use it)."""
    TRANSPORT.kind = request.param
    yield request.param
    TRANSPORT.kind = "urllib3"


def client_of(url: str, **options: Any) -> s3wire.Client:
    """A path-style client of a stub, one try per call unless told, over the chosen transport
    (the default Urllib3Transport unless a `transport` is given or another kind is chosen)."""
    settings: dict[str, Any] = {"addressing_style": "path", "max_attempts": 1}
    settings.update(options)
    transport = settings.pop("transport", None)
    data = s3wire.get_data_structure(url, "AKIDEXAMPLE", "secret", "us-east-1", **settings)
    if transport is None and TRANSPORT.kind != "urllib3":
        transport = transport_of(data)
    return s3wire.Client(data, transport=transport)


class Changing(io.BytesIO):
    """A file that another writer changes (`change(file)`) right after its first read."""

    def __init__(self, data: bytes, change: Callable[[io.BytesIO], None]) -> None:
        super().__init__(data)
        self.change: Callable[[io.BytesIO], None] | None = change

    def read(self, size: int | None = -1) -> bytes:
        data = super().read(size)
        if self.change is not None:
            change, self.change = self.change, None
            change(self)
        return data


def grow(extra: bytes) -> Callable[[io.BytesIO], None]:
    """A change: `extra` appended at the file's end, its position kept."""

    def append(file: io.BytesIO) -> None:
        position = file.tell()
        file.seek(0, io.SEEK_END)
        file.write(extra)
        file.seek(position)

    return append


def shrink_to(size: int) -> Callable[[io.BytesIO], None]:
    """A change: the file truncated to `size` bytes."""

    def truncate(file: io.BytesIO) -> None:
        file.truncate(size)

    return truncate


class GrowingOnDisk(io.FileIO):
    """A file on disk that another writer appends `extra` to right after its first read."""

    def __init__(self, path: Path, extra: bytes) -> None:
        super().__init__(path, "rb")
        self.path, self.extra, self.grown = path, extra, False

    def read(self, size: int | None = -1) -> bytes:
        data = super().read(size)
        if not self.grown:
            self.grown = True
            with open(self.path, "ab") as writer:
                writer.write(self.extra)
        return data or b""


@pytest.fixture
def echo() -> Iterator[Stub]:
    with Stub() as stub:
        yield stub


DATA = os.urandom(600 * KIB)  # three of the transport's 256 KiB reads


@pytest.mark.parametrize("where", ["memory", "disk"])
def test_a_growing_file_sends_its_declared_length_and_the_next_request_gets_its_answer(
    echo: Stub, tmp_path: Path, where: str
) -> None:
    (tmp_path / "f").write_bytes(DATA)
    body: io.BytesIO | GrowingOnDisk = (
        Changing(DATA, grow(STRAY)) if where == "memory" else GrowingOnDisk(tmp_path / "f", STRAY)
    )
    with client_of(echo.url) as client, body:
        put = client.put_object(bucket="b", key="k", body=body, content_md5=ANY_MD5)
        assert (put.status, put.headers["x-echo"]) == (200, "PUT /b/k 614400")
        assert echo.seen[0].raw.endswith(b"\r\n\r\n" + DATA)  # the declared bytes, no more
        for key in ("k2", "k3"):
            assert client.get_object(bucket="b", key=key).body == f"GET /b/{key} 0".encode()
    assert [e.target for e in echo.seen] == ["/b/k", "/b/k2", "/b/k3"]


def test_a_file_that_gets_shorter_fails_at_once_and_its_connection_is_not_reused(
    echo: Stub,
) -> None:
    with client_of(echo.url, read_timeout=5, max_attempts=3) as client:
        started = time.monotonic()
        with pytest.raises(s3wire.TransportError, match="got shorter") as raised:
            client.put_object(
                bucket="b", key="k", body=Changing(DATA, shrink_to(300 * KIB)), content_md5=ANY_MD5
            )
        assert time.monotonic() - started < 2  # not after a read timeout
        assert (raised.value.retryable, raised.value.attempts) == (False, 1)
        assert client.get_object(bucket="b", key="k2").body == b"GET /b/k2 0"


@settings(max_examples=25, deadline=None)
@given(
    size=st.integers(1, 700 * KIB),
    change=st.one_of(
        st.binary(min_size=1, max_size=4 * KIB).map(grow),
        st.floats(0, 0.99).map(lambda share: ("shrink", share)),
    ),
)
def test_whatever_a_file_does_while_sent_the_connection_stays_in_step(
    size: int, change: Any
) -> None:
    """A file changed after the transport's first read: grown, it sends its declared bytes;
    shrunk below them, a TransportError at once. Either way the next request on the client
    gets its own answer."""
    data = os.urandom(size)
    if isinstance(change, tuple):
        body = Changing(data, shrink_to(int(size * change[1])))
    else:
        body = Changing(data, change)
    with Stub() as echo, client_of(echo.url) as client:
        try:
            put = client.put_object(bucket="b", key="k", body=body, content_md5=ANY_MD5)
        except s3wire.TransportError as error:
            assert isinstance(change, tuple) and not error.retryable
        else:
            assert put.status == 200 and echo.seen[0].raw.endswith(b"\r\n\r\n" + data)
        assert client.get_object(bucket="b", key="next").body == b"GET /b/next 0"


def test_a_streamed_body_that_fails_to_read_is_a_transport_error(echo: Stub) -> None:
    class Failing(io.BytesIO):
        def read(self, size: int | None = -1) -> bytes:
            raise OSError(5, "Input/output error")

    with client_of(echo.url, max_attempts=3) as client:
        with pytest.raises(s3wire.TransportError, match="could not be read") as raised:
            client.put_object(bucket="b", key="k", body=Failing(b"abc"), content_md5=ANY_MD5)
        assert not raised.value.retryable
        assert client.get_object(bucket="b", key="k2").body == b"GET /b/k2 0"


# --- fork: each process its own connections ---------------------------------------------------

GETS = 150


def fetch_all(client: s3wire.Client, who: str) -> list[str]:
    """GET many distinct objects; the ones whose body was not their own (or that failed)."""
    wrong = []
    for n in range(GETS):
        key = f"{who}-{n}"
        try:
            body = client.get_object(bucket="b", key=key).body
        except s3wire.S3wireError as error:
            wrong.append(f"{key}: {error}")
            continue
        if body != f"GET /b/{key} 0".encode():
            wrong.append(f"{key}: {body!r}")
    return wrong


def test_after_os_fork_parent_and_child_each_get_their_own_answers(echo: Stub) -> None:
    with client_of(echo.url, read_timeout=2) as client:
        assert fetch_all(client, "before") == []  # the pool holds a connection now
        child = os.fork()
        if child == 0:  # pragma: no cover (the child's result is its exit status)
            code = 1
            try:
                code = 0 if fetch_all(client, "child") == [] else 3
                client.close()  # closes nothing of the parent's
            finally:
                os._exit(code)
        wrong = fetch_all(client, "parent")
        _, status = os.waitpid(child, 0)
        assert (wrong, os.waitstatus_to_exitcode(status)) == ([], 0)
        assert fetch_all(client, "after") == []  # the parent's connection still works


# What a multiprocessing worker inherits: the client, and a barrier that starts every process's
# GETs at once.
FORKED: tuple[s3wire.Client, Any] | None = None


def fetch_in_worker(who: str) -> list[str]:
    assert FORKED is not None
    client, start = FORKED
    start.wait(30)
    return fetch_all(client, who)


def test_multiprocessing_fork_workers_and_the_parent_each_get_their_own_answers(
    echo: Stub,
) -> None:
    global FORKED
    forking = multiprocessing.get_context("fork")
    with client_of(echo.url, read_timeout=2) as client:
        assert fetch_all(client, "before") == []
        start = forking.Barrier(4)
        FORKED = (client, start)
        try:
            with forking.Pool(3) as pool:
                workers = pool.map_async(fetch_in_worker, ["w1", "w2", "w3"])
                start.wait(30)
                wrong = fetch_all(client, "parent")
                assert (wrong, workers.get(timeout=120)) == ([], [[], [], []])
        finally:
            FORKED = None


# --- proxies: the request target as signed ----------------------------------------------------

ODD_KEYS = ["../other/k", "a/./b", "a//b", "a%2Fb", "./k", "a/..", "sp ace+plus", "é/ü?#", "%41"]


@pytest.fixture
def forwarding(echo: Stub, monkeypatch: pytest.MonkeyPatch) -> Iterator[FaultProxy]:
    """A recording forwarding proxy in front of the echo stub, named by HTTP(S)_PROXY."""
    address = echo.url.removeprefix("http://").split(":")
    with FaultProxy((address[0], int(address[1]))) as proxy:
        for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY"):
            monkeypatch.setenv(name, proxy.url)
        for name in ("no_proxy", "NO_PROXY", "all_proxy", "ALL_PROXY"):
            monkeypatch.delenv(name, raising=False)
        yield proxy


ORIGIN = "http://s3.example.test:8080"  # resolved by nobody but the proxy


@pytest.mark.parametrize("key", ODD_KEYS)
def test_through_an_http_proxy_the_target_is_exactly_what_was_signed(
    forwarding: FaultProxy, key: str
) -> None:
    path = encode_path(f"/b/{key}")
    with client_of(ORIGIN) as client:
        got = client.get_object(bucket="b", key=key)
    assert forwarding.seen == [("GET", ORIGIN + path)]
    assert got.body == f"GET {ORIGIN}{path} 0".encode()  # what the stub behind it read


TEXT = st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), min_size=1)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(key=TEXT.filter(lambda k: len(k.encode()) <= 1024), version=TEXT)
def test_any_key_and_query_reach_the_proxy_as_signed(
    forwarding: FaultProxy, key: str, version: str
) -> None:
    forwarding.seen.clear()
    signed: list[str] = []  # the URL the signature covers, as the transport is given it
    with client_of(ORIGIN, transport=Watched(lambda _, url, *__: signed.append(url))) as client:
        assert client.get_object(bucket="b", key=key, version_id=version).status == 200
    assert forwarding.seen == [("GET", signed[0])]
    assert signed[0].startswith(ORIGIN + encode_path(f"/b/{key}") + "?versionId=")


def test_https_through_a_connect_tunnel_sends_the_target_as_signed(
    certificate: Path,  # noqa: F811 (the fixture imported above)
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certificate)
    with (
        Stub(tls=context) as tls,
        FaultProxy(("127.0.0.1", int(tls.url.rsplit(":", 1)[1]))) as proxy,
    ):
        monkeypatch.setenv("https_proxy", proxy.url)
        monkeypatch.setenv("HTTPS_PROXY", proxy.url)
        for name in ("no_proxy", "NO_PROXY", "all_proxy", "ALL_PROXY"):
            monkeypatch.delenv(name, raising=False)
        with client_of(tls.url, verify=str(certificate.with_suffix(".crt"))) as client:
            for key in ODD_KEYS:
                path = encode_path(f"/b/{key}")
                assert client.get_object(bucket="b", key=key).body == f"GET {path} 0".encode()
        assert [method for method, _ in proxy.seen] == ["CONNECT"]
        assert [e.target for e in tls.seen] == [encode_path(f"/b/{key}") for key in ODD_KEYS]


# --- bounds: what is read into memory, and how long a call takes ----------------------------

CAP = 1024 * KIB


def endless(chunked: bool, status: str = "200 OK") -> Callable[[Exchange], Iterator[bytes]]:
    """An answer whose body never ends: chunked, or delimited by a close that never comes."""
    framing = "Transfer-Encoding: chunked" if chunked else "Connection: close"

    def respond(exchange: Exchange) -> Iterator[bytes]:
        yield f"HTTP/1.1 {status}\r\n{framing}\r\n\r\n".encode()
        piece = b"<a>" * 20000
        while True:
            yield b"%x\r\n%s\r\n" % (len(piece), piece) if chunked else piece

    return respond


@pytest.mark.parametrize("chunked", [True, False], ids=["chunked", "until-close"])
@pytest.mark.parametrize("call", ["get_object", "list_objects_v2", "error_into"])
def test_an_endless_answer_is_refused_as_soon_as_it_passes_max_answer_bytes(
    chunked: bool, call: str
) -> None:
    status = "500 Internal Server Error" if call == "error_into" else "200 OK"
    with Stub(endless(chunked, status)) as stub, client_of(stub.url, max_answer_bytes=CAP) as c:
        started = time.monotonic()
        with pytest.raises(s3wire.ResponseError) as raised:
            if call == "get_object":
                c.get_object(bucket="b", key="k")
            elif call == "list_objects_v2":
                c.list_objects_v2(bucket="b")
            else:  # an error answer is read into memory, even for a call streaming into a file
                c.get_object(bucket="b", key="k", into=io.BytesIO())
        assert time.monotonic() - started < 5
    message = str(raised.value)
    assert f"max_answer_bytes ({CAP} bytes)" in message and "into=" in message
    assert stub.sent < 40 * CAP  # stopped at the cap (and what the sockets buffered), not later
    assert len(stub.seen) == 1  # not retried


def test_a_content_length_over_the_cap_is_refused_before_reading() -> None:
    def lying(exchange: Exchange) -> Iterator[bytes]:
        yield b"HTTP/1.1 200 OK\r\nContent-Length: 1000000000000\r\n\r\n"
        time.sleep(10)  # the body never comes

    with Stub(lying) as stub, client_of(stub.url, max_answer_bytes=CAP, read_timeout=5) as c:
        started = time.monotonic()
        with pytest.raises(s3wire.ResponseError, match="Content-Length is 1000000000000"):
            c.get_object(bucket="b", key="k")
        assert time.monotonic() - started < 2  # refused at once, not after a read timeout


def test_a_body_into_a_file_is_not_capped() -> None:
    big = os.urandom(3 * CAP)
    with (
        Stub(lambda exchange: [answer(big)]) as stub,
        client_of(stub.url, max_answer_bytes=CAP) as c,
    ):
        out = io.BytesIO()
        assert c.get_object(bucket="b", key="k", into=out).status == 200
        assert out.getvalue() == big


def test_the_default_cap_holds_a_listing_of_1000_of_the_longest_keys() -> None:
    key = "%E2%82%AC" * 341  # 1023 bytes of UTF-8, each percent-encoded: 3069 characters
    entry = (
        f"<Contents><Key>{key}</Key><LastModified>2026-01-01T00:00:00.000Z</LastModified>"
        '<ETag>"d41d8cd98f00b204e9800998ecf8427e"</ETag><Size>0</Size><StorageClass>STANDARD'
        "</StorageClass><Owner><ID>" + "o" * 64 + "</ID><DisplayName>" + "d" * 64 + "</DisplayName>"
        "</Owner></Contents>"
    )
    listing = (
        "<ListBucketResult><Name>b</Name><KeyCount>1000</KeyCount><MaxKeys>1000</MaxKeys>"
        "<EncodingType>url</EncodingType><IsTruncated>false</IsTruncated>"
        + entry * 1000
        + "</ListBucketResult>"
    ).encode()
    assert len(listing) < DEFAULT_MAX_ANSWER_BYTES // 50  # far below the default
    with Stub(lambda exchange: [answer(listing)]) as stub, client_of(stub.url) as client:
        page = client.list_objects_v2(bucket="b").raise_for_status()
    assert len(page.response["ListBucketResult"]["Contents"]) == 1000


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"max_answer_bytes": 1000}, "max_answer_bytes must be an int, at least 65536"),
        ({"max_answer_bytes": 1.5e9}, "max_answer_bytes must be an int"),
        ({"max_answer_bytes": True}, "max_answer_bytes must be an int"),
        ({"total_timeout": 0}, "total_timeout must be a positive number of seconds, or None"),
        ({"total_timeout": float("inf")}, "total_timeout must be a positive"),
        ({"total_timeout": "10"}, "total_timeout must be a positive"),
    ],
)
def test_the_new_settings_are_checked(options: dict[str, Any], message: str) -> None:
    with pytest.raises(s3wire.ParamError, match=message):
        s3wire.get_data_structure("http://h", "a", "s", "us-east-1", **options)


def test_the_new_settings_have_their_defaults_in_the_connection_data() -> None:
    data = s3wire.get_data_structure("http://h", "a", "s", "us-east-1")
    assert (data["max_answer_bytes"], data["total_timeout"]) == (256 * 1024 * KIB, None)
    again = s3wire.get_data_structure("http://h", "a", "s", "us-east-1", total_timeout=30)
    assert again["total_timeout"] == 30


def dribble(exchange: Exchange) -> Iterator[bytes]:
    """A head, then one body byte every 0.2 s: never silent for long, never done."""
    yield b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n"
    for _ in range(300):
        time.sleep(0.2)
        yield b"x"


@pytest.mark.parametrize("into", [False, True], ids=["memory", "into"])
def test_a_dribbling_answer_is_stopped_by_total_timeout(into: bool) -> None:
    with Stub(dribble) as stub, client_of(stub.url, read_timeout=1, total_timeout=1.5) as c:
        started = time.monotonic()
        with pytest.raises(
            s3wire.TransportTimeoutError, match=r"total_timeout \(1.5 s\)"
        ) as raised:
            c.get_object(bucket="b", key="k", into=io.BytesIO() if into else None)
        assert 1.4 < time.monotonic() - started < 2.5
    assert not raised.value.retryable


def test_a_silent_server_is_stopped_by_total_timeout_before_its_read_timeout() -> None:
    def silent(exchange: Exchange) -> Iterator[bytes]:
        time.sleep(10)
        yield answer(b"late")

    with Stub(silent) as stub, client_of(stub.url, read_timeout=8, total_timeout=1) as c:
        started = time.monotonic()
        with pytest.raises(s3wire.TransportTimeoutError, match=r"total_timeout \(1 s\)"):
            c.get_object(bucket="b", key="k")
        assert time.monotonic() - started < 2


SLOW_DOWN = answer(
    b"<Error><Code>SlowDown</Code><Message>m</Message></Error>", "503 Slow Down", Retry_After="1"
)


def test_total_timeout_bounds_the_retries_and_their_pauses() -> None:
    """Each pause is 1 s (Retry-After): within 2.5 s there is room for three tries; the last
    answer is returned, as when the budget of tries runs out."""
    with (
        Stub(lambda exchange: [SLOW_DOWN]) as stub,
        client_of(stub.url, max_attempts=20, retry_max_delay=5, total_timeout=2.5) as client,
    ):
        started = time.monotonic()
        got = client.get_object(bucket="b", key="k")
        assert time.monotonic() - started < 2.5
    assert (got.status, got.attempts, len(stub.seen)) == (503, 3, 3)


def test_total_timeout_ends_retries_of_failures_with_a_transport_error() -> None:
    def hang_up(exchange: Exchange) -> Iterator[bytes]:
        yield b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort"
        raise OSError("the stub hangs up")  # the connection closes with the body cut short

    with (
        Stub(hang_up) as stub,
        client_of(
            stub.url, max_attempts=20, retry_base_delay=0.4, retry_max_delay=0.4, total_timeout=1
        ) as client,
    ):
        started = time.monotonic()
        with pytest.raises(s3wire.IncompleteAnswerError, match="cut short") as raised:
            client.get_object(bucket="b", key="k")
        assert time.monotonic() - started < 1.5
    assert "total_timeout (1 s) leaves no time for another try" in str(raised.value)
    assert not raised.value.retryable and raised.value.attempts == len(stub.seen) > 1


def test_a_streamed_body_closed_before_it_is_sent_is_a_transport_error(echo: Stub) -> None:
    body = io.BytesIO(b"abc")
    # The body is closed by another thread between the call and the send.
    closing = Watched(lambda *_: body.close())
    with (
        client_of(echo.url, transport=closing) as client,
        pytest.raises(s3wire.TransportError, match="could not be measured: ValueError"),
    ):
        client.put_object(bucket="b", key="k", body=body, content_md5=ANY_MD5)


def test_an_http_endpoint_through_a_tls_proxy_sends_the_target_as_signed(
    certificate: Path,  # noqa: F811 (the fixture imported above)
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certificate)
    with Stub(tls=context) as proxy:  # the echo stub serves as the proxy: it echoes the target
        monkeypatch.setenv("http_proxy", proxy.url)
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        for name in ("no_proxy", "NO_PROXY", "all_proxy", "ALL_PROXY"):
            monkeypatch.delenv(name, raising=False)
        with client_of(ORIGIN, verify=str(certificate.with_suffix(".crt"))) as client:
            for key in ODD_KEYS:
                target = ORIGIN + encode_path(f"/b/{key}")
                assert client.get_object(bucket="b", key=key).body == f"GET {target} 0".encode()


def framed(body: bytes, framing: str) -> list[bytes]:
    """A 200 answer carrying `body`, framed by its length, in chunks, or by closing."""
    if framing == "length":
        return [answer(body)]
    if framing == "chunked":
        pieces = [body[i : i + 70000] for i in range(0, len(body), 70000)]
        chunks = b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in pieces)
        return [b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + chunks + b"0\r\n\r\n"]
    return [b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n" + body]


@settings(max_examples=30, deadline=None)
@given(
    excess=st.integers(-3 * KIB, 3 * KIB),
    framing=st.sampled_from(["length", "chunked", "close"]),
)
def test_an_answer_is_read_whole_up_to_the_cap_and_refused_past_it(
    excess: int, framing: str
) -> None:
    cap = 64 * KIB
    body = os.urandom(cap + excess)
    respond = lambda exchange: framed(body, framing)  # noqa: E731
    with Stub(respond) as stub, client_of(stub.url, max_answer_bytes=cap, read_timeout=5) as c:
        if excess <= 0:
            assert c.get_object(bucket="b", key="k").body == body
        else:
            with pytest.raises(s3wire.ResponseError, match=f"max_answer_bytes \\({cap} bytes"):
                c.get_object(bucket="b", key="k")
