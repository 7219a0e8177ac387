"""Error hints: an S3 error answer or a connection failure gets one more line on stderr saying
what usually causes it. No server: the CLI runs in-process over a MockTransport."""

from __future__ import annotations

import socket
import ssl

import pytest
from recording import cli_through

from s3wire.cli import hints
from s3wire.cli.errors import EXIT_ERROR_ANSWER, EXIT_NO_ANSWER
from s3wire.cli.main import main
from s3wire.errors import ConnectError, ConnectTimeoutError, IncompleteAnswerError
from s3wire.testing import Answer, MockTransport

SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"


@pytest.fixture(autouse=True)
def environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("S3WIRE_URL", "http://127.0.0.1:7480")
    monkeypatch.setenv("S3WIRE_ACCESS_KEY", "AKIDEXAMPLE")
    monkeypatch.setenv("S3WIRE_SECRET_KEY", SECRET)
    monkeypatch.setenv("S3WIRE_REGION", "us-east-1")


def answering(monkeypatch: pytest.MonkeyPatch, step: Answer | BaseException) -> MockTransport:
    """Make the CLI's requests go to a transport that answers every one with `step`."""
    transport = MockTransport(step)
    cli_through(monkeypatch, globals(), transport)
    return transport


def error_answer(status: int, code: str) -> Answer:
    xml = f"<Error><Code>{code}</Code><Message>m {SECRET}</Message></Error>"
    return Answer(status, {"Content-Type": "application/xml"}, xml.encode())


@pytest.mark.parametrize("code", sorted(set(hints.ERROR_HINTS) - {"Forbidden", "NotFound"}))
def test_an_error_answer_printed_as_json_gets_its_hint(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], code: str
) -> None:
    answering(monkeypatch, error_answer(403 if code != "NoSuchBucket" else 404, code))
    assert main(["list-objects-v2", "--bucket", "b"]) == EXIT_ERROR_ANSWER
    out, err = capsys.readouterr()
    assert f'"Code": "{code}"' in out  # the answer on stdout, as before
    assert err == f"s3wire: hint: {hints.ERROR_HINTS[code]}\n"


@pytest.mark.parametrize(("status", "code"), [(403, "Forbidden"), (404, "NotFound")])
def test_a_head_answer_without_a_code_gets_the_hint_of_its_status(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], status: int, code: str
) -> None:
    answering(monkeypatch, Answer(status))
    assert main(["head-object", "--bucket", "b", "--key", "k"]) == EXIT_ERROR_ANSWER
    assert capsys.readouterr().err == f"s3wire: hint: {hints.ERROR_HINTS[code]}\n"


def test_an_error_without_a_hint_prints_nothing_more(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    answering(monkeypatch, error_answer(400, "InvalidArgument"))
    assert main(["list-objects-v2", "--bucket", "b"]) == EXIT_ERROR_ANSWER
    assert capsys.readouterr().err == ""


def test_a_shortcut_prints_the_error_then_the_hint(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    answering(monkeypatch, error_answer(404, "NoSuchBucket"))
    assert main(["ls", "s3://b"]) == EXIT_ERROR_ANSWER
    out, err = capsys.readouterr()
    assert out == ""
    error, hint = err.splitlines()
    assert error.startswith("s3wire: error: 404 NoSuchBucket: m ***")  # the secret masked
    assert hint == f"s3wire: hint: {hints.ERROR_HINTS['NoSuchBucket']}"


def refused() -> ConnectError:
    error = ConnectError("GET request failed: ConnectionError: refused", retryable=False)
    error.__cause__ = ConnectionRefusedError(111, "Connection refused")
    return error


def unresolved() -> ConnectError:
    error = ConnectError("GET request failed: ConnectionError: no such host", retryable=False)
    error.__cause__ = socket.gaierror(-2, "Name or service not known")
    return error


def unverified() -> ConnectError:
    error = ConnectError("GET request failed: SSLError: certificate", retryable=False)
    error.__cause__ = ssl.SSLCertVerificationError(1, "certificate verify failed")
    return error


def not_tls() -> ConnectError:
    error = ConnectError("GET request failed: SSLError: wrong version number", retryable=False)
    error.__cause__ = ssl.SSLError(1, "[SSL: WRONG_VERSION_NUMBER] wrong version number")
    return error


@pytest.mark.parametrize(
    ("failure", "name"),
    [
        (refused(), "ConnectionRefusedError"),
        (unresolved(), "gaierror"),
        (unverified(), "SSLCertVerificationError"),
        (not_tls(), "SSLError"),
        (
            ConnectTimeoutError("GET request failed: ConnectTimeout", retryable=False),
            "ConnectTimeoutError",
        ),
    ],
)
def test_a_connection_failure_gets_its_hint(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    failure: ConnectError,
    name: str,
) -> None:
    answering(monkeypatch, failure)
    assert main(["list-buckets"]) == EXIT_NO_ANSWER
    error, hint = capsys.readouterr().err.splitlines()
    assert error == f"s3wire: error: {failure}"
    assert hint == f"s3wire: hint: {dict(hints.FAILURE_HINTS)[name]}"


def test_other_transport_failures_get_no_hint(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    failure = IncompleteAnswerError("GET request failed: body cut short", retryable=False)
    failure.__cause__ = ConnectionResetError(104, "Connection reset by peer")
    answering(monkeypatch, failure)
    assert main(["list-buckets"]) == EXIT_NO_ANSWER
    assert capsys.readouterr().err.count("\n") == 1


def test_a_refused_connection_of_the_real_transport_is_recognised(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with socket.socket() as probe:  # a port that was free a moment ago: nothing listens there
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("S3WIRE_URL", f"http://127.0.0.1:{port}")
    assert main(["list-buckets"]) == EXIT_NO_ANSWER
    hint = capsys.readouterr().err.splitlines()[-1]
    assert hint == f"s3wire: hint: {dict(hints.FAILURE_HINTS)['ConnectionRefusedError']}"


def test_hints_are_fixed_text() -> None:
    texts = [*hints.ERROR_HINTS.values(), *(text for _, text in hints.FAILURE_HINTS)]
    assert all("{" not in text and "\n" not in text for text in texts)
    assert hints.for_code("NoSuchUpload") is None
