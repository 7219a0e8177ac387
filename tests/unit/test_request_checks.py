"""What Client.request() and every operation send, checked before sending: a URL's scheme and host,
the method, header names and values (full matches: no final newline slips through), and the
headers the signer owns (refused from callers, whatever their case). Whatever is sent is signed
exactly as botocore's signer (an independent SigV4 implementation) signs it."""

from __future__ import annotations

import datetime as dt
import re
import string
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from recording import SECRET, Recorder, botocore_authorization, cli_through, client_with

import s3wire
from s3wire.cli.errors import EXIT_OK, EXIT_USAGE
from s3wire.cli.main import main
from s3wire.signing import EMPTY_SHA256, SIGNER_HEADERS, Signer

HTTP = "http://127.0.0.1:7480"
HTTPS = "https://s3.example.com"
TCHAR = string.ascii_letters + string.digits + "!#$%&'*+.^_`|~-"
# Every control character but TAB (which header values may hold), DEL included.
CONTROLS = [chr(code) for code in range(0x20) if code != 0x09] + ["\x7f"]
RUN = st.text("XJ0123456789", min_size=6, max_size=10).map(lambda run: "QZ" + run)


def check_signed(recorder: Recorder, region: str = "us-east-1") -> None:
    """Each request sent carries botocore's signature for it, and each signer header once."""
    for method, url, headers, body in recorder.sent:
        data = body if isinstance(body, bytes) else b""
        assert headers["Authorization"] == botocore_authorization(
            method, url, headers, data, region
        )
        names = [name.lower() for name in headers]
        for name in SIGNER_HEADERS - {"x-amz-security-token", "x-amz-s3session-token"}:
            assert names.count(name) == 1, (name, names)


# --- the scheme and host of a URL ------------------------------------------------------------

SENT = [
    (HTTP, "/b/k", "http://127.0.0.1:7480/b/k"),
    (HTTP, "http://127.0.0.1:7480/b/k", "http://127.0.0.1:7480/b/k"),
    (HTTP, "https://127.0.0.1:7480/b/k", "https://127.0.0.1:7480/b/k"),
    (HTTP, "http://bkt.127.0.0.1:7480/k", "http://bkt.127.0.0.1:7480/k"),
    (HTTPS, "HTTPS://S3.Example.COM/b", "https://s3.example.com/b"),
    (HTTPS, "https://s3.example.com:443/b?acl", "https://s3.example.com/b?acl="),
    (HTTPS, "https://bkt.s3.example.com/k", "https://bkt.s3.example.com/k"),
    ("https://[::1]:9000", "https://[::1]:9000/b", "https://[::1]:9000/b"),
]


@pytest.mark.parametrize(("connection", "target", "url"), SENT)
def test_a_url_is_sent_over_its_own_scheme_to_the_connections_host(
    connection: str, target: str, url: str
) -> None:
    recorder = Recorder()
    client_with(recorder, connection).request("GET", target)
    ((_, sent, headers, _),) = recorder.sent
    assert sent == url
    assert headers["Host"] == url.split("/")[2]
    check_signed(recorder)


REFUSED = [
    (HTTPS, "http://s3.example.com/b", "http URL on an https connection"),
    (HTTPS, "http://other.example/b", "http URL on an https connection"),
    (HTTPS, "https://other.example/b", "names host other.example port 443, not the"),
    (HTTPS, "https://s3.example.com.evil.example/", "not the connection's"),
    (HTTPS, "https://evils3.example.com/", "not the connection's"),
    (HTTPS, "https://s3.example.com:8443/", "port 8443, not the connection's"),
    (HTTP, "https://127.0.0.1/b", "port 443, not the connection's"),
    (HTTP, "http://127.0.0.2:7480/b", "not the connection's"),
    (HTTP, "http://user:pw@127.0.0.1:7480/b", "must not carry credentials"),
    (HTTP, "ftp://127.0.0.1:7480/b", "an http\\(s\\) URL with a host"),
    (HTTP, "http:///b", "an http\\(s\\) URL with a host"),
    (HTTP, "http://127.0.0.1:99999/b", "bad port"),
    (HTTP, "http://[::1/b", "not a path or URL"),
    (HTTP, "http://a%20b:7480/b", "bad host name"),
    (HTTP, "b/k", "must start with '/'"),
]


@pytest.mark.parametrize(("connection", "target", "message"), REFUSED)
def test_a_url_of_another_scheme_or_host_is_refused(
    connection: str, target: str, message: str
) -> None:
    recorder = Recorder()
    with pytest.raises(s3wire.ParamError, match=message) as caught:
        client_with(recorder, connection).request("GET", target)
    assert "pw" not in str(caught.value)
    assert recorder.sent == []


def test_another_host_is_reached_when_allowed_but_never_over_a_downgrade() -> None:
    recorder = Recorder()
    client = client_with(recorder, HTTPS)
    client.request("GET", "https://other.example:8443/b?x=1", allow_other_host=True)
    assert recorder.sent[0][1] == "https://other.example:8443/b?x=1"
    assert recorder.sent[0][2]["Host"] == "other.example:8443"
    check_signed(recorder)
    with pytest.raises(s3wire.ParamError, match="http URL on an https connection"):
        client.request("GET", "http://other.example/b", allow_other_host=True)
    assert len(recorder.sent) == 1


@settings(derandomize=True, max_examples=200, deadline=None)
@given(
    before=st.text(string.ascii_letters + "/", max_size=6),
    control=st.sampled_from(CONTROLS),
    after=st.text(string.ascii_letters, max_size=6),
)
def test_a_control_character_in_a_path_is_refused_not_dropped(
    before: str, control: str, after: str
) -> None:
    recorder = Recorder()
    with pytest.raises(s3wire.ParamError, match="control character at index"):
        client_with(recorder).request("GET", f"/b/{before}{control}{after}")
    assert recorder.sent == []


@given(
    before=st.text(string.ascii_letters + "/", max_size=6),
    after=st.text(string.ascii_letters + "/?=", max_size=6),
    url=st.sampled_from(["", HTTP]),
)
def test_a_fragment_is_refused_not_dropped(before: str, after: str, url: str) -> None:
    recorder = Recorder()
    with pytest.raises(s3wire.ParamError, match="fragment"):
        client_with(recorder).request("GET", f"{url}/b/{before}#{after}")
    assert recorder.sent == []


def test_a_percent_encoded_hash_is_part_of_the_key() -> None:
    recorder = Recorder()
    client_with(recorder).request("GET", "/b/k%23x")
    assert recorder.sent[0][1].endswith("/b/k%23x")


@pytest.fixture
def connection(monkeypatch: pytest.MonkeyPatch) -> Recorder:
    recorder = Recorder()
    cli_through(monkeypatch, globals(), recorder)
    for name, value in {
        "S3WIRE_URL": HTTP,
        "S3WIRE_ACCESS_KEY": "AKIDEXAMPLE",
        "S3WIRE_SECRET_KEY": SECRET,
        "S3WIRE_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)
    return recorder


def test_the_cli_request_command_takes_another_host_only_when_allowed(
    connection: Recorder, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["request", "--method", "GET", "--path", "http://other.example:9000/b"]
    assert main(argv) == EXIT_USAGE
    assert "pass allow_other_host=True" in capsys.readouterr().err
    assert connection.sent == []
    assert main([*argv, "--allow-other-host"]) == EXIT_OK
    assert [url for _, url, _, _ in connection.sent] == ["http://other.example:9000/b"]
    check_signed(connection)


# --- the method ------------------------------------------------------------------------------


@settings(derandomize=True, max_examples=300, deadline=None)
@given(method=st.text(max_size=8))
def test_a_method_is_an_http_token_sent_uppercased(method: str) -> None:
    recorder = Recorder()
    client = client_with(recorder)
    if re.fullmatch(f"[{re.escape(TCHAR)}]+", method):
        client.request(method, "/b/k")
        assert recorder.sent[0][0] == method.upper()
        check_signed(recorder)
    else:
        with pytest.raises(s3wire.ParamError, match="is not an HTTP token"):
            client.request(method, "/b/k")
        assert recorder.sent == []


@pytest.mark.parametrize("method", ["GET\r\n", "GET\n", "GET /x HTTP/1.1\r\nX: y", 7, None])
def test_a_method_that_could_split_the_request_is_refused(method: Any) -> None:
    recorder = Recorder()
    with pytest.raises(s3wire.ParamError, match=r"method .* is not an HTTP token"):
        client_with(recorder).request(method, "/b/k")
    assert recorder.sent == []


# --- header names and values -----------------------------------------------------------------


@st.composite
def unsendable_values(draw: st.DrawFn) -> str:
    """A marked value holding a control character other than TAB, or ending in a newline."""
    control = draw(st.sampled_from([*CONTROLS, "\n"]))
    at_end = draw(st.booleans())
    return draw(RUN) + control + ("" if at_end else draw(RUN))


@settings(derandomize=True, max_examples=300, deadline=None)
@given(value=unsendable_values())
def test_a_header_value_with_a_control_character_is_refused_unquoted(value: str) -> None:
    recorder = Recorder()
    client = client_with(recorder)
    calls = [
        lambda: client.request("PUT", "/b/k", b"x", {"x-amz-meta-a": value}),
        lambda: client.put_object(bucket="b", key="k", body=b"x", metadata={"a": value}),
        lambda: client.put_object(bucket="b", key="k", body=b"x", content_type=value),
        lambda: client.get_object(
            bucket="b", key="k", sse_customer_algorithm="AES256", sse_customer_key=value
        ),
        lambda: client.presigned_url("PUT", "b", "k", headers={"x-amz-meta-a": value}),
    ]
    for call in calls:
        with pytest.raises(s3wire.ParamError, match="must be printable ASCII") as caught:
            call()
        for run in re.findall(r"QZ[XJ0-9]+", value):
            assert run not in str(caught.value) and run not in repr(caught.value.args)
    assert recorder.sent == []


@settings(derandomize=True, max_examples=300, deadline=None)
@given(
    name=st.text(TCHAR, min_size=1, max_size=8),
    control=st.sampled_from([*CONTROLS, "\t", " ", ":"]),
    at_end=st.booleans(),
)
def test_a_header_name_that_is_not_a_token_is_refused(
    name: str, control: str, at_end: bool
) -> None:
    bad = f"x-amz-meta-{name}{control}" + ("" if at_end else "z")
    recorder = Recorder()
    with pytest.raises(s3wire.ParamError, match="is not an HTTP token"):
        client_with(recorder).request("GET", "/b/k", headers={bad: "v"})
    assert recorder.sent == []


@pytest.mark.parametrize(
    "headers", [[("a", "b", "c")], "x-amz-meta-a", {"x-amz-meta-a": 1}, {1: "v"}]
)
def test_headers_that_are_not_a_mapping_of_str_are_refused(headers: Any) -> None:
    recorder = Recorder()
    with pytest.raises(s3wire.ParamError, match=r"must be a (mapping|str)|is not an HTTP token"):
        client_with(recorder).request("GET", "/b/k", headers=headers)
    assert recorder.sent == []


def test_values_with_tabs_and_inner_spaces_are_sent_and_signed() -> None:
    recorder = Recorder()
    client_with(recorder).request("PUT", "/b/k", b"x", {"x-amz-meta-a": "a\tb  c"})
    assert recorder.sent[0][2]["x-amz-meta-a"] == "a\tb  c"
    check_signed(recorder)


# --- the signer's own headers ----------------------------------------------------------------


@settings(derandomize=True, max_examples=200, deadline=None)
@given(
    name=st.sampled_from(sorted(SIGNER_HEADERS)).flatmap(
        lambda name: st.tuples(*(st.sampled_from([c.lower(), c.upper()]) for c in name)).map(
            "".join
        )
    )
)
def test_a_signer_header_from_the_caller_is_refused_in_any_case(name: str) -> None:
    recorder = Recorder()
    client = client_with(recorder, session_token="token")
    with pytest.raises(s3wire.ParamError, match=f"header {name} is set by the signer"):
        client.request("GET", "/b/k", headers={name: "20000101T000000Z"})
    with pytest.raises(s3wire.ParamError, match=f"header {name} is set by the signer"):
        client.presigned_url("GET", "b", "k", headers={name: "x"})
    assert recorder.sent == []


@pytest.mark.parametrize("token", [None, "token/+="])
def test_each_signer_header_goes_out_once_and_the_signature_verifies(token: str | None) -> None:
    recorder = Recorder()
    options = {} if token is None else {"session_token": token}
    client = client_with(recorder, **options)
    client.request("PUT", "/b/k", b"data", {"Content-Type": "text/plain", "x-amz-meta-a": "1"})
    client.put_object(bucket="b", key="k", body=b"data", metadata={"a": "1"})
    check_signed(recorder)
    for _, _, headers, _ in recorder.sent:
        tokens = [
            value for name, value in headers.items() if name.lower() == "x-amz-security-token"
        ]
        assert tokens == ([] if token is None else [token])


def test_the_signer_never_signs_a_given_authorization_or_its_own_headers() -> None:
    """Signer.sign_headers ignores given copies of what it supplies, in any case."""
    now = dt.datetime(2024, 5, 6, 7, 8, 9)
    given_headers = {
        "authorization": "AWS4-HMAC-SHA256 forged",
        "HOST": "other.example",
        "X-AMZ-DATE": "20000101T000000Z",
        "x-amz-content-sha256": "stale",
        "Content-Type": "text/plain",
    }
    signer = Signer("AKIDEXAMPLE", SECRET, "us-east-1")
    ours = signer.sign_headers(
        "GET", "127.0.0.1:7480", "/b/k", "", given_headers, EMPTY_SHA256, now=now
    )
    sent = {"Host": "127.0.0.1:7480", "Content-Type": "text/plain", **ours}
    expected = botocore_authorization("GET", "http://127.0.0.1:7480/b/k", sent, b"", "us-east-1")
    assert ours["Authorization"] == expected
    assert "SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date," in expected
