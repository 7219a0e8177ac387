"""Secrets never ride on an exception: a secret key, session token or SSE-C key that cannot be used
(control characters, a trailing newline) is refused with an s3wire exception whose str, repr,
args, chained exceptions and traceback text hold no part of it, whichever route it came by:
settings, operation parameters, the shared files, the environment, a credential_process. The
command line prints such an error on one line and exits 2, without a traceback."""

from __future__ import annotations

import json
import re
import shlex
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from carried import carried_text
from hypothesis import given, settings
from hypothesis import strategies as st
from recording import Recorder, cli_through, client_with

import s3wire
from s3wire.cli.errors import EXIT_USAGE
from s3wire.cli.main import main
from s3wire.credentials import connection_data

# Each printable run of a secret starts with "QZ": no message s3wire writes holds such a run.
RUN = st.text("XJ0123456789", min_size=6, max_size=10).map(lambda run: "QZ" + run)
RUNS = re.compile(r"QZ[XJ0-9]{6,}")
# Every control character a header cannot carry: C0 but TAB, and DEL.
CONTROLS = [chr(code) for code in range(0x20) if code != 0x09] + ["\x7f"]


@st.composite
def unusable_secrets(draw: st.DrawFn) -> str:
    """Printable runs, each followed by a control character; often a trailing newline."""
    runs = draw(st.lists(RUN, min_size=1, max_size=3))
    glue = draw(st.lists(st.sampled_from(CONTROLS), min_size=len(runs), max_size=len(runs)))
    ending = draw(st.sampled_from(["", "\n", "\r\n"]))
    return "".join(run + char for run, char in zip(runs, glue, strict=True)) + ending


def assert_hides(exc: BaseException, secret: str) -> None:
    """exc is s3wire's own, and no run of the secret is in anything it carries."""
    assert isinstance(exc, s3wire.S3wireError), repr(exc)
    shown = carried_text(exc)
    for run in RUNS.findall(secret):
        assert run not in shown


def raised(call: Callable[[], object]) -> BaseException | None:
    """The exception a call raised, or None."""
    try:
        call()
    except Exception as exc:  # what it is, is the test's to check
        return exc
    return None


def from_files(folder: Path, credentials: bytes | str) -> Callable[[], object]:
    """Connection data read from a credentials file holding `credentials`."""
    path = folder / "credentials"
    if isinstance(credentials, str):
        path.write_text(credentials, encoding="utf-8")
    else:
        path.write_bytes(credentials)
    environ = {
        "AWS_SHARED_CREDENTIALS_FILE": str(path),
        "AWS_CONFIG_FILE": str(folder / "config"),
        "HOME": str(folder),
    }
    return lambda: connection_data(environ=environ, region="r")


def from_process(folder: Path, script: str) -> Callable[[], object]:
    """Connection data from a credential_process running the shell script `script`."""
    config = folder / "config"
    command = f"sh -c {shlex.quote(script)}"
    config.write_text(f"[default]\ncredential_process = {command}\n", encoding="utf-8")
    environ = {"AWS_CONFIG_FILE": str(config), "HOME": str(folder)}
    return lambda: connection_data(environ=environ, region="r")


def keys(secret_key: str = "S", session_token: str | None = None) -> dict[str, object]:
    return {"url": "http://h", "access_key": "AKID", "secret_key": secret_key, "region": "r"} | (
        {} if session_token is None else {"session_token": session_token}
    )


@settings(derandomize=True, max_examples=150, deadline=None)
@given(secret=unusable_secrets())
def test_settings_environment_and_parameters_refuse_a_secret_without_showing_it(
    secret: str,
) -> None:
    recorder = Recorder()
    client = client_with(recorder)
    sse = {"sse_customer_algorithm": "AES256", "sse_customer_key": secret}
    environment = {"AWS_ACCESS_KEY_ID": "AKID", "AWS_SECRET_ACCESS_KEY": "secret-key-0"}
    environment |= {"AWS_REGION": "r", "HOME": "/nonexistent"}
    routes: list[Callable[[], object]] = [
        lambda: s3wire.Client(**keys(secret_key=secret)),
        lambda: s3wire.Client(**keys(session_token=secret)),
        lambda: s3wire.get_data_structure("http://h", "AKID", "S", "r", session_token=secret),
        lambda: client.put_object(bucket="b", key="k", body=b"x", **sse),
        lambda: client.get_object(bucket="b", key="k", **sse),
        lambda: client.request("GET", "/b/k", headers={"x-amz-meta-s": secret}),
        lambda: client.presigned_url("GET", "b", "k", headers={"x-amz-meta-s": secret}),
        lambda: connection_data(environ={**environment, "AWS_SECRET_ACCESS_KEY": secret}),
        lambda: connection_data(environ={**environment, "AWS_SESSION_TOKEN": secret}),
    ]
    for route in routes:
        exc = raised(route)
        assert exc is not None
        assert_hides(exc, secret)
    assert recorder.sent == []


@settings(derandomize=True, max_examples=100, deadline=None)
@given(secret=unusable_secrets())
def test_the_credentials_file_never_shows_a_secret(secret: str) -> None:
    """A secret with control characters in the file: refused (by the parser or the checks) or,
    when the parser's reading of the line is a usable key, used so; never shown."""
    with tempfile.TemporaryDirectory() as folder:
        files = [
            f"[default]\naws_access_key_id = AKID\naws_secret_access_key = {secret}\n",
            f"[default]\naws_access_key_id = AKID\naws_secret_access_key = S\n"
            f"aws_session_token = {secret}\n",
            f"[default]\naws_access_key_id = AKID\naws_secret_access_key {secret}\n",
            f"aws_secret_access_key = {secret}\n[default]\n",
        ]
        for text in files:
            exc = raised(from_files(Path(folder), text))
            if exc is not None:
                assert_hides(exc, secret)
        not_utf8 = f"[default]\naws_secret_access_key = {secret}".encode() + b"\xff\n"
        exc = raised(from_files(Path(folder), not_utf8))
        assert exc is not None
        assert_hides(exc, secret)


@settings(derandomize=True, max_examples=25, deadline=None)
@given(secret=unusable_secrets())
def test_a_credential_process_never_shows_a_secret(secret: str) -> None:
    """Its keys refused, its output not JSON, or it failing after printing them: never shown."""
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        printed = {"Version": 1, "AccessKeyId": "AKID", "SecretAccessKey": secret}
        keys_file, token_file, raw = folder / "keys.json", folder / "token.json", folder / "raw"
        keys_file.write_text(json.dumps(printed), encoding="utf-8")
        printed |= {"SecretAccessKey": "secret-key-0", "SessionToken": secret}
        token_file.write_text(json.dumps(printed), encoding="utf-8")
        raw.write_text(secret, encoding="utf-8")
        for script in (
            f"cat {shlex.quote(str(keys_file))}",
            f"cat {shlex.quote(str(token_file))}",
            f"cat {shlex.quote(str(raw))}",
            f"cat {shlex.quote(str(raw))}; cat {shlex.quote(str(raw))} >&2; exit 3",
        ):
            exc = raised(from_process(folder, script))
            assert exc is not None
            assert_hides(exc, secret)


def test_a_failing_credential_process_is_named_by_its_exit_status_only(tmp_path: Path) -> None:
    exc = raised(from_process(tmp_path, "echo QZ123456 >&2; exit 7"))
    assert isinstance(exc, s3wire.CredentialsError)
    assert "credential_process 'sh': exited with status 7" in str(exc)
    assert "QZ123456" not in str(exc)


def test_a_malformed_file_is_described_by_line_number(tmp_path: Path) -> None:
    text = "[default]\naws_access_key_id = AKID\naws_secret_access_key QZ123456\n"
    exc = raised(from_files(tmp_path, text))
    assert isinstance(exc, s3wire.ParamError)
    assert str(exc).endswith("not a 'name = value' setting: line 3")
    assert exc.__context__ is None and exc.__cause__ is None


def test_a_header_value_is_described_never_quoted() -> None:
    token = "QZ" + "0" * 38
    with pytest.raises(s3wire.ParamError) as caught:
        s3wire.Client(**keys(session_token=token + "\n"))
    assert str(caught.value) == (
        "session_token must be printable ASCII, tabs allowed; it holds a line break at index 40"
    )
    with pytest.raises(s3wire.ParamError) as caught:
        client_with(Recorder()).get_object(
            bucket="b", key="k", sse_customer_algorithm="AES256", sse_customer_key="k\x07"
        )
    assert str(caught.value) == (
        "header x-amz-server-side-encryption-customer-key must be printable ASCII, tabs "
        "allowed; it holds a control character (U+0007) at index 1"
    )


@pytest.mark.parametrize(
    "url",
    [
        "ftp://AKID:QZ123456@h",
        "http://AKID:QZ123456@h/path",
        "http://AKID:QZ123456@[::1",
        "http://AKID:QZ123456@h:port",
        "http://AKID:QZ123456@h",
    ],
)
def test_a_password_in_the_url_is_never_shown(url: str) -> None:
    exc = raised(lambda: s3wire.Client(**{**keys(), "url": url}))
    assert isinstance(exc, s3wire.ParamError)
    assert_hides(exc, "QZ123456")


def test_profiles_do_not_show_their_keys_in_a_repr(tmp_path: Path) -> None:
    from s3wire.credentials import load_profile

    (tmp_path / "credentials").write_text(
        "[default]\naws_access_key_id = AKID\naws_secret_access_key = QZ123456\n", encoding="utf-8"
    )
    environ = {"AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "credentials"), "HOME": "/x"}
    assert "QZ123456" not in repr(load_profile(None, environ))


# --- the command line --------------------------------------------------------------------------


@pytest.fixture
def recorder(monkeypatch: pytest.MonkeyPatch) -> Recorder:
    fake = Recorder()
    cli_through(monkeypatch, globals(), fake)
    return fake


@pytest.mark.parametrize(
    ("variables", "credentials", "argv"),
    [
        ({"AWS_SESSION_TOKEN": "QZ123456\n"}, None, ["list-buckets"]),
        (
            {},
            "[default]\naws_access_key_id = AKID\naws_secret_access_key QZ123456\n",
            ["list-buckets"],
        ),
        (
            {},
            None,
            [
                "get-object",
                "--bucket",
                "b",
                "--key",
                "k",
                "--sse-customer-algorithm",
                "AES256",
                "--sse-customer-key",
                "QZ123456\n",
            ],
        ),
    ],
    ids=["session-token", "credentials-file", "sse-c-key"],
)
def test_the_cli_prints_one_line_and_exits_2_without_a_traceback(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    recorder: Recorder,
    variables: dict[str, str],
    credentials: str | None,
    argv: list[str],
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:7480")
    monkeypatch.setenv("AWS_REGION", "us-east-1")
    if credentials is None:
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKID")
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret-key-0")
    else:
        (tmp_path / "credentials").write_text(credentials, encoding="utf-8")
        monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "credentials"))
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    status = main(argv)
    out, err = capsys.readouterr()
    assert (status, out) == (EXIT_USAGE, "")
    assert err.startswith("s3wire: error: ") and err.count("\n") == 1
    assert "Traceback" not in err and "QZ123456" not in err
    assert recorder.sent == []


def test_run_as_a_program_it_prints_no_traceback(tmp_path: Path) -> None:
    import subprocess

    environ = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "PYTHONPATH": str(Path(s3wire.__file__).parent.parent),
        "AWS_ENDPOINT_URL": "http://127.0.0.1:9",
        "AWS_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "AKID",
        "AWS_SECRET_ACCESS_KEY": "secret-key-0",
        "AWS_SESSION_TOKEN": "QZ123456\n",
    }
    done = subprocess.run(
        [sys.executable, "-m", "s3wire.cli", "list-buckets"],
        capture_output=True,
        text=True,
        env=environ,
        timeout=60,
        check=False,
    )
    assert done.returncode == EXIT_USAGE
    assert "Traceback" not in done.stderr and "QZ123456" not in done.stderr
    assert "session_token must be printable ASCII" in done.stderr
