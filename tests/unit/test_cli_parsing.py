"""The command line without a server: parsing, value conversion, connection data, exit codes.

A recording transport stands in for the network (as in test_requests.py); commands run
in-process through s3wire.cli.main.main, with stdout and stderr captured.
"""

from __future__ import annotations

import argparse
import datetime as dt
import inspect
import io
import json
import os
import stat
import typing
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import pytest
from recording import cli_through
from requests.structures import CaseInsensitiveDict

import s3wire
from s3wire import testing
from s3wire._generated.cli_commands import COMMANDS
from s3wire._generated.operations import GeneratedOperations
from s3wire.cli import options
from s3wire.cli import parser as parser_module
from s3wire.cli.commands import HANDWRITTEN
from s3wire.cli.errors import EXIT_ERROR_ANSWER, EXIT_NO_ANSWER, EXIT_OK, EXIT_USAGE
from s3wire.cli.main import main
from s3wire.cli.parser import build_parser, parse
from s3wire.cli.spec import Option, ValueType
from s3wire.errors import TransportError
from s3wire.transport_api import Body, Sink

SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
TOKEN = "FwoGZXIvYXdzEXAMPLETOKEN"
URL = "http://127.0.0.1:7480"
CONNECTION_ENV = (
    "S3WIRE_URL",
    "S3WIRE_ACCESS_KEY",
    "S3WIRE_SECRET_KEY",
    "S3WIRE_REGION",
    "AWS_ENDPOINT_URL",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_SESSION_TOKEN",
)
NO_SUCH_KEY = (
    b'<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code>'
    b"<Message>The specified key does not exist.</Message><Key>k</Key></Error>"
)


class Recorder:
    """A transport that records each request (a streamed body is read) and answers one reply."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str, dict[str, str], bytes | None]] = []
        self.streamed: list[bool] = []
        self.answer: tuple[int, CaseInsensitiveDict[str], bytes] = (200, CaseInsensitiveDict(), b"")
        self.error: Exception | None = None

    def reply(self, status: int, content: bytes = b"", **headers: str) -> None:
        self.answer = (status, CaseInsensitiveDict(headers), content)

    def send(
        self, method: str, url: str, headers: dict[str, str], body: Body, sink: Sink | None = None
    ) -> tuple[int, CaseInsensitiveDict[str], bytes]:
        if self.error is not None:
            raise self.error
        self.streamed.append(body is not None and not isinstance(body, bytes))
        data = body if isinstance(body, bytes) or body is None else body.read()
        self.sent.append((method, url, dict(headers), data))
        return testing.Answer(*self.answer).deliver(method, sink)

    def close(self) -> None:
        pass

    @property
    def last(self) -> tuple[str, str, dict[str, str], bytes | None]:
        assert self.sent, "nothing was sent"
        return self.sent[-1]


@pytest.fixture
def recorder(monkeypatch: pytest.MonkeyPatch) -> Recorder:
    """Every client the CLI builds sends through this recorder."""
    recorder = Recorder()
    cli_through(monkeypatch, globals(), recorder)
    return recorder


@pytest.fixture(autouse=True)
def environment(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """No connection settings from the real environment; S3WIRE_* set to a test server."""
    for name in CONNECTION_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("S3WIRE_URL", URL)
    monkeypatch.setenv("S3WIRE_ACCESS_KEY", "AKIDEXAMPLE")
    monkeypatch.setenv("S3WIRE_SECRET_KEY", SECRET)
    monkeypatch.setenv("S3WIRE_REGION", "us-east-1")
    return monkeypatch


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run the CLI in-process: (exit status, stdout, stderr)."""
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def usage_error(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """Run a command that must fail with a usage error; its one-line message."""
    status, out, err = run(capsys, *argv)
    assert status == EXIT_USAGE, (out, err)
    assert out == ""
    assert err.count("\n") == 1 and ": error: " in err, err
    return err


# --- the command table ---------------------------------------------------------------------


def test_every_operation_is_a_command_taking_the_methods_parameters() -> None:
    mixins = [
        c for c in GeneratedOperations.__mro__ if c.__module__ == GeneratedOperations.__module__
    ]
    methods = {
        name: member
        for mixin in mixins
        for name, member in vars(mixin).items()
        if inspect.isfunction(member) and not name.startswith("_")
    }
    assert sorted(c.method for c in COMMANDS) == sorted(methods)
    for command in COMMANDS:
        assert command.name == command.method.replace("_", "-")
        parameters = inspect.signature(methods[command.method]).parameters
        # `into` (where an answer's data is streamed) is the CLI's --out, given as a file.
        taken = [p for p in parameters if p not in ("self", "into")]
        assert [o.param for o in command.options] == taken
        assert ("into" in parameters) == command.data_out
        for option in command.options:
            assert option.flag == "--" + option.param.replace("_", "-")
            assert option.required == (parameters[option.param].default is inspect.Parameter.empty)
            assert option.help


def test_options_and_names_do_not_clash() -> None:
    names = [c.name for c in COMMANDS] + [h.name for h in HANDWRITTEN]
    assert len(names) == len(set(names))
    for command in COMMANDS:
        flags = [o.flag for o in command.options]
        assert len(flags) == len(set(flags))
        assert not {"--data", "--out", "--help"} & set(flags), command.name


def test_get_object_takes_out_and_put_object_does_not() -> None:
    by_name = {c.name: c for c in COMMANDS}
    assert by_name["get-object"].data_out
    assert not by_name["put-object"].data_out


def test_every_value_type_has_a_parser() -> None:
    assert set(options.KINDS) == set(typing.get_args(ValueType))


def test_percent_in_help_text_is_shown_as_is() -> None:
    parser = argparse.ArgumentParser()
    options.add_option(parser, Option("--rate", "rate", "int", help="Up to 100% of it."))
    assert "Up to 100% of it." in parser.format_help()


# --- help ------------------------------------------------------------------------------------


def test_help_lists_the_commands(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "--help")
    assert status == EXIT_OK
    for name in ("list-objects-v2", "put-object", "get-data-structure", "request"):
        assert name in out
    assert "exit status" in out


def test_help_of_a_generated_command_lists_its_options(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, _ = run(capsys, "list-objects-v2", "--help")
    assert status == EXIT_OK
    assert "List a bucket's objects" in out
    assert "--bucket TEXT" in out
    assert "--max-keys INT" in out
    assert "--fetch-owner {true,false}" in out
    assert "--encoding-type {url}" in out
    assert "Only keys that begin with this." in out
    assert "--data FILE|-" in out
    assert SECRET not in out
    assert "--out FILE" not in out


def test_help_of_get_object_explains_out(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "get-object", "--help")
    assert "--out FILE" in out
    assert "--if-modified-since TIME" in out
    assert "ISO 8601" in out


# --- value conversion ------------------------------------------------------------------------


def test_int_and_bool_options(capsys: pytest.CaptureFixture[str], recorder: Recorder) -> None:
    argv = ["list-objects-v2", "--bucket", "b", "--max-keys", "10", "--fetch-owner", "TRUE"]
    status, out, _ = run(capsys, *argv, "--prefix", "a b")
    assert status == EXIT_OK
    assert json.loads(out) == {"status": 200, "response": {}, "headers": {}}
    _, url, _, _ = recorder.last
    assert url == f"{URL}/b?fetch-owner=true&list-type=2&max-keys=10&prefix=a%20b"
    run(capsys, "list-objects-v2", "--bucket", "b", "--fetch-owner", "false")
    assert "fetch-owner=false" in recorder.last[1]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--max-keys", "ten"], "argument --max-keys: expected an integer, got 'ten'"),
        (["--fetch-owner", "yes"], "argument --fetch-owner: expected true or false, got 'yes'"),
        (["--encoding-type", "base64"], "argument --encoding-type: invalid choice: 'base64'"),
        (["--nope", "x"], "unknown option '--nope'"),
    ],
)
def test_bad_values_are_usage_errors(
    capsys: pytest.CaptureFixture[str], recorder: Recorder, argv: list[str], message: str
) -> None:
    err = usage_error(capsys, "list-objects-v2", "--bucket", "b", *argv)
    assert message in err
    assert not recorder.sent


@pytest.mark.parametrize(
    ("text", "sent"),
    [
        ("2024-05-01T12:00:00Z", "Wed, 01 May 2024 12:00:00 GMT"),
        ("2024-05-01T14:00:00+02:00", "Wed, 01 May 2024 12:00:00 GMT"),
        ("2024-05-01T12:00:00", "Wed, 01 May 2024 12:00:00 GMT"),
        ("2024-05-01", "Wed, 01 May 2024 00:00:00 GMT"),
    ],
)
def test_timestamp_options(
    capsys: pytest.CaptureFixture[str], recorder: Recorder, text: str, sent: str
) -> None:
    status, _, _ = run(
        capsys, "head-object", "--bucket", "b", "--key", "k", "--if-modified-since", text
    )
    assert status == EXIT_OK
    assert recorder.last[2]["If-Modified-Since"] == sent


def test_timestamps_are_aware_datetimes() -> None:
    value = options.parse_timestamp("2024-05-01T12:00:00.500-05:00")
    assert value.tzinfo is not None
    assert value.astimezone(dt.timezone.utc) == dt.datetime(
        2024, 5, 1, 17, 0, 0, 500000, dt.timezone.utc
    )
    assert parsedate_to_datetime("Wed, 01 May 2024 12:00:00 GMT") == options.parse_timestamp(
        "2024-05-01T12:00Z"
    )


def test_bad_timestamp_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    err = usage_error(
        capsys, "head-object", "--bucket", "b", "--key", "k", "--if-modified-since", "May 1st"
    )
    assert "argument --if-modified-since: expected an ISO 8601 time" in err


def test_map_option_from_json_and_from_file(
    capsys: pytest.CaptureFixture[str], recorder: Recorder, tmp_path: Path
) -> None:
    argv = ["put-object", "--bucket", "b", "--key", "k", "--metadata"]
    assert run(capsys, *argv, '{"colour": "blue", "size": "L"}')[0] == EXIT_OK
    headers = recorder.last[2]
    assert (headers["x-amz-meta-colour"], headers["x-amz-meta-size"]) == ("blue", "L")
    file = tmp_path / "meta.json"
    file.write_text('{"from": "file"}', encoding="utf-8")
    assert run(capsys, *argv, f"@{file}")[0] == EXIT_OK
    assert recorder.last[2]["x-amz-meta-from"] == "file"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("{not json", "argument --metadata: not valid JSON"),
        ('["a"]', "argument --metadata: expected a JSON object of strings"),
        ('{"n": 1}', "argument --metadata: expected a JSON object of strings"),
        ("@/nonexistent/meta.json", "cannot read /nonexistent/meta.json: No such file"),
    ],
)
def test_bad_map_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], recorder: Recorder, value: str, message: str
) -> None:
    err = usage_error(capsys, "put-object", "--bucket", "b", "--key", "k", "--metadata", value)
    assert message in err
    assert not recorder.sent


def test_list_values_from_json_and_from_file(tmp_path: Path) -> None:
    parts = [{"part_number": 1, "etag": '"abc"'}, {"part_number": 2, "etag": '"def"'}]
    assert options.parse_list(json.dumps(parts)) == parts
    file = tmp_path / "parts.json"
    file.write_text(json.dumps(parts), encoding="utf-8")
    assert options.parse_list(f"@{file}") == parts
    for bad in ('{"part_number": 1}', "[1, 2]", "[", f"@{tmp_path / 'missing.json'}"):
        with pytest.raises(argparse.ArgumentTypeError):
            options.parse_list(bad)


def test_body_is_streamed_from_a_file(
    capsys: pytest.CaptureFixture[str], recorder: Recorder, tmp_path: Path
) -> None:
    file = tmp_path / "photo.jpg"
    file.write_bytes(bytes(range(256)) * 4)
    status, out, _ = run(capsys, "put-object", "--bucket", "b", "--key", "k", "--body", str(file))
    assert status == EXIT_OK
    assert json.loads(out)["status"] == 200
    method, url, _, body = recorder.last
    assert (method, url, body) == ("PUT", f"{URL}/b/k", file.read_bytes())
    assert recorder.streamed == [True]


def test_body_from_stdin(
    capsys: pytest.CaptureFixture[str], recorder: Recorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b"from a pipe\x00\xff")))
    assert run(capsys, "put-object", "--bucket", "b", "--key", "k", "--body", "-")[0] == EXIT_OK
    assert recorder.last[3] == b"from a pipe\x00\xff"
    assert recorder.streamed == [True]


def test_empty_body_is_sent_as_bytes(
    capsys: pytest.CaptureFixture[str], recorder: Recorder, tmp_path: Path
) -> None:
    empty = tmp_path / "empty"
    empty.touch()
    assert run(capsys, "put-object", "--bucket", "b", "--key", "k", "--body", str(empty))[0] == 0
    assert recorder.last[3] == b""
    assert recorder.streamed == [False]  # an empty file object would go out chunked


def test_unreadable_body_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], recorder: Recorder, tmp_path: Path
) -> None:
    missing = tmp_path / "missing.bin"
    err = usage_error(capsys, "put-object", "--bucket", "b", "--key", "k", "--body", str(missing))
    assert f"--body {missing}: cannot read: No such file or directory" in err
    assert not recorder.sent


def test_stdin_feeds_one_option_only(
    capsys: pytest.CaptureFixture[str], recorder: Recorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b"x")))
    argv = ["put-object", "--bucket", "b", "--key", "k", "--body", "-", "--data", "-"]
    assert "cannot both read stdin" in usage_error(capsys, *argv)
    assert not recorder.sent


# --- connection data -------------------------------------------------------------------------


def test_connection_from_s3wire_variables_first(
    capsys: pytest.CaptureFixture[str], recorder: Recorder, environment: pytest.MonkeyPatch
) -> None:
    environment.setenv("AWS_ENDPOINT_URL", "http://10.0.0.1:9000")
    environment.setenv("AWS_REGION", "eu-west-1")
    assert run(capsys, "list-buckets")[0] == EXIT_OK
    _, url, headers, _ = recorder.last
    assert url == f"{URL}/"
    assert "/us-east-1/s3/aws4_request" in headers["Authorization"]
    assert "x-amz-security-token" not in headers


def test_connection_from_aws_variables(
    capsys: pytest.CaptureFixture[str], recorder: Recorder, environment: pytest.MonkeyPatch
) -> None:
    for name in ("S3WIRE_URL", "S3WIRE_ACCESS_KEY", "S3WIRE_SECRET_KEY", "S3WIRE_REGION"):
        environment.delenv(name)
    environment.setenv("AWS_ENDPOINT_URL", "http://10.0.0.1:9000")
    environment.setenv("AWS_ACCESS_KEY_ID", "AKIDAWS")
    environment.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    environment.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    environment.setenv("AWS_SESSION_TOKEN", TOKEN)
    assert run(capsys, "list-buckets")[0] == EXIT_OK
    _, url, headers, _ = recorder.last
    assert url == "http://10.0.0.1:9000/"
    assert "Credential=AKIDAWS/" in headers["Authorization"]
    assert "/eu-west-1/s3/aws4_request" in headers["Authorization"]
    assert headers["x-amz-security-token"] == TOKEN


def test_missing_connection_settings_are_named(
    capsys: pytest.CaptureFixture[str], recorder: Recorder, environment: pytest.MonkeyPatch
) -> None:
    environment.delenv("S3WIRE_URL")
    environment.delenv("S3WIRE_REGION")
    err = usage_error(capsys, "list-buckets")
    assert "give --data FILE, or set S3WIRE_URL (or AWS_ENDPOINT_URL)" in err
    assert "S3WIRE_REGION (or AWS_REGION, AWS_DEFAULT_REGION)" in err
    assert "S3WIRE_SECRET_KEY" not in err
    assert SECRET not in err
    assert not recorder.sent


def test_connection_from_a_data_file_over_the_environment(
    capsys: pytest.CaptureFixture[str], recorder: Recorder, tmp_path: Path
) -> None:
    data = tmp_path / "conn.json"
    status, _, _ = run(
        capsys,
        "get-data-structure",
        "--url",
        "http://192.0.2.7:8080",
        "--access-key",
        "AKIDFILE",
        "--secret-key",
        SECRET,
        "--region",
        "ap-south-1",
        "--out",
        str(data),
    )
    assert status == EXIT_OK
    assert run(capsys, "head-bucket", "--bucket", "b", "--data", str(data))[0] == EXIT_OK
    _, url, headers, _ = recorder.last
    assert url == "http://192.0.2.7:8080/b"
    assert "Credential=AKIDFILE/" in headers["Authorization"]


def test_connection_data_from_stdin(
    capsys: pytest.CaptureFixture[str], recorder: Recorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = {"url": "http://192.0.2.8", "access_key": "A", "secret_key": SECRET, "region": "r"}
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(json.dumps(data).encode())))
    assert run(capsys, "list-buckets", "--data", "-")[0] == EXIT_OK
    assert recorder.last[1] == "http://192.0.2.8/"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot read: No such file or directory"),
        ("{", "not readable JSON"),
        ("[]", "expected a JSON object of connection settings"),
        ('{"url": "http://h"}', "connection data needs non-empty: access_key, secret_key, region"),
        (
            json.dumps({"url": "ftp://h", "access_key": "A", "secret_key": SECRET, "region": "r"}),
            "url must look like http(s)://host[:port]",
        ),
    ],
)
def test_bad_data_file_is_a_usage_error(
    capsys: pytest.CaptureFixture[str],
    recorder: Recorder,
    tmp_path: Path,
    content: str | None,
    message: str,
) -> None:
    data = tmp_path / "conn.json"
    if content is not None:
        data.write_text(content, encoding="utf-8")
    err = usage_error(capsys, "list-buckets", "--data", str(data))
    assert message in err
    assert SECRET not in err
    assert not recorder.sent


# --- get-data-structure -------------------------------------------------------------------------

GDS = ["get-data-structure", "--url", URL, "--access-key", "AKIDEXAMPLE", "--region", "us-east-1"]


def test_get_data_structure_prints_the_data(capsys: pytest.CaptureFixture[str]) -> None:
    argv = [*GDS, "--secret-key", SECRET, "--addressing-style", "path", "--part-size", "8388608"]
    status, out, err = run(capsys, *argv, "--session-token", TOKEN)
    assert (status, err) == (EXIT_OK, "")
    data = json.loads(out)
    assert data["secret_key"] == SECRET
    assert data["session_token"] == TOKEN
    assert (data["addressing_style"], data["part_size"], data["service"]) == ("path", 8388608, "s3")


def test_get_data_structure_out_is_private_and_prints_no_secret(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "conn.json"
    path.write_text("old", encoding="utf-8")
    path.chmod(0o644)
    argv = [*GDS, "--secret-key", SECRET, "--session-token", TOKEN, "--out", str(path)]
    status, out, err = run(capsys, *argv)
    assert status == EXIT_OK
    assert SECRET not in out + err and TOKEN not in out + err
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert json.loads(path.read_text(encoding="utf-8"))["secret_key"] == SECRET
    fresh = tmp_path / "fresh.json"
    assert run(capsys, *GDS, "--secret-key", SECRET, "--out", str(fresh))[0] == EXIT_OK
    assert stat.S_IMODE(os.stat(fresh).st_mode) == 0o600


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--url", "localhost:7480"], "url must look like http(s)://host[:port]"),
        (["--part-size", "1024"], "part_size must be between 5 MiB and 5 GiB"),
        (["--addressing-style", "dns"], "invalid choice: 'dns'"),
        (["--out", "/nonexistent/dir/conn.json"], "cannot write /nonexistent/dir/conn.json"),
    ],
)
def test_get_data_structure_usage_errors_hide_the_secret(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    err = usage_error(capsys, *GDS, "--secret-key", SECRET, *argv)
    assert message in err
    assert SECRET not in err


def test_secrets_are_masked_in_error_messages(capsys: pytest.CaptureFixture[str]) -> None:
    err = usage_error(capsys, "list-buckets", f"--secret-key={SECRET}", "--sesion-token", TOKEN)
    assert "unknown option '--secret-key'" in err
    assert "also unknown: --sesion-token" in err
    assert SECRET not in err
    assert TOKEN not in err
    err = usage_error(capsys, "get-data-structure", "--secret-key", SECRET)
    assert SECRET not in err


# --- answers and exit codes -----------------------------------------------------------------------


def test_error_answer_prints_its_json_and_exits_1(
    capsys: pytest.CaptureFixture[str], recorder: Recorder
) -> None:
    recorder.reply(404, NO_SUCH_KEY, **{"Content-Type": "application/xml"})
    status, out, err = run(capsys, "delete-object", "--bucket", "b", "--key", "k")
    assert status == EXIT_ERROR_ANSWER
    assert err.startswith("s3wire: hint: ")
    assert err.count("\n") == 1
    answer = json.loads(out)
    assert answer["status"] == 404
    assert answer["response"]["Error"]["Code"] == "NoSuchKey"
    assert answer["headers"] == {"Content-Type": "application/xml"}


def test_not_modified_is_success(capsys: pytest.CaptureFixture[str], recorder: Recorder) -> None:
    recorder.reply(304)
    argv = ["get-object", "--bucket", "b", "--key", "k", "--if-none-match", '"abc"']
    assert run(capsys, *argv)[0] == EXIT_OK


def test_get_object_out_saves_the_bytes(
    capsys: pytest.CaptureFixture[str], recorder: Recorder, tmp_path: Path
) -> None:
    content = "ünïcödé bytes\n".encode() * 100
    recorder.reply(200, content, **{"Content-Length": str(len(content)), "ETag": '"x"'})
    out_file = tmp_path / "got.txt"
    status, out, _ = run(
        capsys, "get-object", "--bucket", "b", "--key", "k", "--out", str(out_file)
    )
    assert status == EXIT_OK
    assert out_file.read_bytes() == content
    answer = json.loads(out)
    assert answer == {
        "status": 200,
        "response": {},
        "headers": {"Content-Length": str(len(content)), "ETag": '"x"'},
    }
    assert sorted(p.name for p in tmp_path.iterdir()) == ["got.txt"]


def test_get_object_without_out_prints_only_the_json(
    capsys: pytest.CaptureFixture[str], recorder: Recorder
) -> None:
    recorder.reply(200, b"the object's bytes")
    status, out, _ = run(capsys, "get-object", "--bucket", "b", "--key", "k")
    assert status == EXIT_OK
    assert "the object's bytes" not in out
    assert json.loads(out)["status"] == 200


def test_get_object_error_leaves_out_alone(
    capsys: pytest.CaptureFixture[str], recorder: Recorder, tmp_path: Path
) -> None:
    recorder.reply(404, NO_SUCH_KEY)
    out_file = tmp_path / "got.txt"
    out_file.write_bytes(b"kept")
    status, out, _ = run(
        capsys, "get-object", "--bucket", "b", "--key", "k", "--out", str(out_file)
    )
    assert status == EXIT_ERROR_ANSWER
    assert json.loads(out)["response"]["Error"]["Code"] == "NoSuchKey"
    assert out_file.read_bytes() == b"kept"
    assert [p.name for p in tmp_path.iterdir()] == ["got.txt"]


def test_unwritable_out_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], recorder: Recorder, tmp_path: Path
) -> None:
    recorder.reply(200, b"data")
    target = tmp_path / "no" / "such" / "dir" / "got.txt"
    err = usage_error(capsys, "get-object", "--bucket", "b", "--key", "k", "--out", str(target))
    assert f"cannot write {target}" in err


def test_transport_error_exits_3(capsys: pytest.CaptureFixture[str], recorder: Recorder) -> None:
    recorder.error = TransportError("GET request failed: ConnectionError: refused", retryable=False)
    status, out, err = run(capsys, "list-buckets")
    assert (status, out) == (EXIT_NO_ANSWER, "")
    assert err == "s3wire: error: GET request failed: ConnectionError: refused\n"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        ([], "the following arguments are required: COMMAND"),
        (["make-coffee"], "unknown command 'make-coffee'"),
        (
            ["list-objects-v2"],
            "s3wire list-objects-v2: error: the following arguments are required: --bucket",
        ),
        (["put-object", "--bucket", "b"], "required: --key"),
        (["list-objects-v2", "--bucket", "b", "--buck", "c"], "did you mean '--bucket'?"),
        (["head-bucket", "--bucket", "a/b"], "bucket 'a/b' is not a valid bucket name"),
    ],
)
def test_usage_errors_exit_2(
    capsys: pytest.CaptureFixture[str], recorder: Recorder, argv: list[str], message: str
) -> None:
    assert message in usage_error(capsys, *argv)
    assert not recorder.sent


# --- request --------------------------------------------------------------------------------------


def test_request_sends_method_path_headers_and_body(
    capsys: pytest.CaptureFixture[str], recorder: Recorder, tmp_path: Path
) -> None:
    body = tmp_path / "tags.xml"
    body.write_bytes(b"<Tagging/>")
    recorder.reply(200, b"<Tagging><TagSet/></Tagging>")
    argv = ["request", "--method", "put", "--path", "/b/k?tagging", "--body", str(body)]
    status, out, _ = run(capsys, *argv, "--header", "Content-Type: application/xml")
    assert status == EXIT_OK
    method, url, headers, sent = recorder.last
    assert (method, url, sent) == ("PUT", f"{URL}/b/k?tagging=", b"<Tagging/>")
    assert headers["Content-Type"] == "application/xml"
    assert json.loads(out)["response"] == {"Tagging": {"TagSet": ""}}


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--path", "/b"], "required: --method"),
        (["--method", "GET", "--path", "b"], "path_or_url must start with '/'"),
        (["--method", "GET", "--path", "/", "--header", "nocolon"], "expected 'Name: value'"),
    ],
)
def test_request_usage_errors(
    capsys: pytest.CaptureFixture[str], recorder: Recorder, argv: list[str], message: str
) -> None:
    assert message in usage_error(capsys, "request", *argv)
    assert not recorder.sent


def test_data_option_is_not_taken_by_get_data_structure(
    capsys: pytest.CaptureFixture[str],
) -> None:
    err = usage_error(capsys, *GDS, "--secret-key", SECRET, "--data", "conn.json")
    assert "unknown option '--data'" in err


def test_options_are_not_abbreviated(capsys: pytest.CaptureFixture[str]) -> None:
    err = usage_error(capsys, *GDS, "--secret-key", SECRET, "--serv", "x")
    assert "unknown option '--serv'; did you mean '--service'?" in err


def test_values_reach_the_method_unchanged(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], recorder: Recorder
) -> None:
    seen: dict[str, Any] = {}

    def put_object(self: object, **kwargs: Any) -> Any:
        seen.update(kwargs)
        seen["body"] = kwargs["body"].read()
        return s3wire.Response(
            status=200, response={}, headers=CaseInsensitiveDict(), body=b"", fields={}
        )

    monkeypatch.setattr(GeneratedOperations, "put_object", put_object)
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b"abc")))
    argv = ["put-object", "--bucket", "b", "--key", "k", "--body", "-", "--expires", "2024-05-01"]
    assert run(capsys, *argv, "--storage-class", "STANDARD_IA")[0] == EXIT_OK
    assert seen == {
        "bucket": "b",
        "key": "k",
        "body": b"abc",
        "expires": dt.datetime(2024, 5, 1, tzinfo=dt.timezone.utc),
        "storage_class": "STANDARD_IA",
    }


def test_shape_options_take_json_or_a_file(tmp_path: Path) -> None:
    rules = [{"ID": "r1", "Filter": {"Prefix": "logs/"}, "Expiration": {"Days": 3}}]
    path = tmp_path / "rules.json"
    path.write_text(json.dumps(rules), encoding="utf-8")
    assert options.parse_json(json.dumps(rules)) == rules
    assert options.parse_json(f"@{path}") == rules
    with pytest.raises(argparse.ArgumentTypeError, match="JSON object or array"):
        options.parse_json("3")


# --- global options: before the command or among its options, once ---------------------------

LISTING_XML = (
    b'<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name>'
    b"<IsTruncated>false</IsTruncated><Contents><Key>k1</Key><Size>1</Size></Contents>"
    b"<Contents><Key>k2</Key><Size>2</Size></Contents></ListBucketResult>"
)
# One command of each kind: a shortcut, a catalog command, a helper.
COMMAND_KINDS = {
    "shortcut": ["ls", "s3://b"],
    "catalog": ["list-objects-v2", "--bucket", "b"],
    "helper": ["request", "--method", "GET", "--path", "/b?list-type=2"],
}


def placed(command: list[str], flag: str, value: str, where: str) -> list[str]:
    """The command line with `flag value` before the command, after it, or as --flag=value."""
    option = [f"{flag}={value}"] if where.endswith("=") else [flag, value]
    return [*option, *command] if where.startswith("before") else [*command, *option]


WHERE = ["before", "after", "before=", "after="]


@pytest.fixture
def profile(environment: pytest.MonkeyPatch, tmp_path: Path) -> str:
    """A profile `-odd` (a name starting with -) with its own keys, and no S3WIRE_* keys."""
    environment.delenv("S3WIRE_ACCESS_KEY")
    environment.delenv("S3WIRE_SECRET_KEY")
    aws = Path(os.environ["HOME"]) / ".aws"
    aws.mkdir(exist_ok=True)
    text = f"[-odd]\naws_access_key_id = AKIDODD\naws_secret_access_key = {SECRET}\n"
    (aws / "credentials").write_text(text, encoding="utf-8")
    return "-odd"


@pytest.mark.parametrize("where", WHERE)
@pytest.mark.parametrize("kind", COMMAND_KINDS)
def test_connection_options_go_before_or_after_the_command(
    capsys: pytest.CaptureFixture[str], recorder: Recorder, profile: str, kind: str, where: str
) -> None:
    recorder.reply(200, LISTING_XML)
    command = COMMAND_KINDS[kind]
    argv = placed(command, "--endpoint-url", "http://192.0.2.9:9000", where)
    argv = placed(argv, "--region", "eu-north-1", where)
    argv = placed(argv, "--profile", profile, "after=" if where == "after" else "before=")
    assert run(capsys, *argv)[0] == EXIT_OK
    _, url, headers, _ = recorder.last
    assert url.startswith("http://192.0.2.9:9000/b")
    assert "Credential=AKIDODD/" in headers["Authorization"]
    assert "/eu-north-1/s3/aws4_request" in headers["Authorization"]


@pytest.mark.parametrize("where", WHERE)
@pytest.mark.parametrize("kind", COMMAND_KINDS)
def test_data_goes_before_or_after_the_command(
    capsys: pytest.CaptureFixture[str], recorder: Recorder, tmp_path: Path, kind: str, where: str
) -> None:
    recorder.reply(200, LISTING_XML)
    data = {
        "url": "http://192.0.2.8",
        "access_key": "AKIDDATA",
        "secret_key": SECRET,
        "region": "r",
    }
    (tmp_path / "conn.json").write_text(json.dumps(data), encoding="utf-8")
    argv = placed(COMMAND_KINDS[kind], "--data", str(tmp_path / "conn.json"), where)
    assert run(capsys, *argv)[0] == EXIT_OK
    _, url, headers, _ = recorder.last
    assert url.startswith("http://192.0.2.8/b")
    assert "Credential=AKIDDATA/" in headers["Authorization"]


def test_endpoint_url_and_region_override_a_data_file(
    capsys: pytest.CaptureFixture[str], recorder: Recorder, tmp_path: Path
) -> None:
    data = {
        "url": "http://192.0.2.8",
        "access_key": "AKIDDATA",
        "secret_key": SECRET,
        "region": "r",
    }
    (tmp_path / "conn.json").write_text(json.dumps(data), encoding="utf-8")
    argv = ["--endpoint-url", "http://192.0.2.9", "list-buckets", "--region", "eu-north-1"]
    assert run(capsys, *argv, "--data", str(tmp_path / "conn.json"))[0] == EXIT_OK
    _, url, headers, _ = recorder.last
    assert url == "http://192.0.2.9/"
    assert "/eu-north-1/s3/aws4_request" in headers["Authorization"]


@pytest.mark.parametrize("where", WHERE)
@pytest.mark.parametrize(
    ("command", "query", "printed"),
    [
        (COMMAND_KINDS["shortcut"], "-1", "Key: k2\nSize: 2\n"),
        (COMMAND_KINDS["catalog"], "response.ListBucketResult.Contents.-1", "Key: k2\nSize: 2\n"),
        (COMMAND_KINDS["helper"], "response.ListBucketResult.Contents.-1", 'Key: k2\nSize: "2"\n'),
    ],
    ids=list(COMMAND_KINDS),
)
def test_output_and_query_go_before_or_after_the_command(
    capsys: pytest.CaptureFixture[str],
    recorder: Recorder,
    command: list[str],
    query: str,
    printed: str,
    where: str,
) -> None:
    recorder.reply(200, LISTING_XML)
    argv = placed(placed(command, "--output", "yaml", where), "--query", query, where + "=")
    status, out, _ = run(capsys, *argv)
    assert status == EXIT_OK
    assert printed in out  # the last item, in YAML


@pytest.mark.parametrize(
    "argv",
    [
        ["--profile", "a", "ls", "s3://b", "--profile", "b"],
        ["--profile=a", "--profile=b", "ls"],
        ["list-buckets", "--profile", "a", "--profile=b"],
        ["--region", "r", "request", "--method", "GET", "--path", "/", "--region", "r"],
        ["--output", "json", "list-buckets", "--output", "json"],
        ["--query=a", "ls", "--query", "b"],
        ["--endpoint-url=http://h", "ls", "--endpoint-url=http://h"],
        ["--data", "f", "mb", "s3://b", "--data=f"],
    ],
)
def test_a_global_option_given_twice_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], recorder: Recorder, argv: list[str]
) -> None:
    flag = next(word.partition("=")[0] for word in argv if word.startswith("--"))
    err = usage_error(capsys, *argv)
    assert f"{flag} given 2 times: give it once" in err
    assert not recorder.sent


@pytest.mark.parametrize(
    ("argv", "flag"),
    [
        (["--profile", "p", "completion", "bash"], "--profile"),
        (["--output", "yaml", "completion", "bash"], "--output"),
        (
            ["--query=x", "presigned-url", "--method", "GET", "--bucket", "b", "--key", "k"],
            "--query",
        ),
    ],
)
def test_a_global_option_the_command_does_not_take_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], argv: list[str], flag: str
) -> None:
    assert f"{argv[2 if '=' not in argv[0] else 1]} does not take {flag}" in usage_error(
        capsys, *argv
    )


def test_a_value_starting_with_a_dash_needs_the_equals_form(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert "expected one argument" in usage_error(capsys, "--profile", "-odd", "ls")
    assert "expected one argument" in usage_error(capsys, "ls", "--profile", "-odd")


def test_help_lists_the_global_options(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "--help")
    assert status == EXIT_OK
    for flag in ("--data", "--profile", "--endpoint-url", "--region", "--output", "--query"):
        assert flag in out
    assert "before the command or among its own options" in " ".join(out.split())


@pytest.mark.parametrize(
    "argv",
    [
        ["ls", "s3://b", "--recursive"],
        ["--region", "eu-west-1", "sync", "a", "s3://b/p", "--delete"],
        ["--output=yaml", "get-object", "--bucket", "b", "--key", "k"],
        ["--endpoint-url", "http://127.0.0.1:1", "--query", "0", "ls"],
    ],
)
def test_only_the_named_command_is_built_and_parses_as_the_whole_parser(argv: list[str]) -> None:
    def parsed(parser: argparse.ArgumentParser) -> dict[str, Any]:
        found = vars(parser.parse_known_args(argv)[0])
        run = found.pop("run")  # a new functools.partial for a catalog command at each build
        return {**found, "runs": getattr(run, "func", run)}

    whole = parsed(build_parser())
    named = next(word for word in argv if word in {"ls", "sync", "get-object"})
    assert parsed(build_parser(only=named)) == whole
    other = "ls" if named != "ls" else "sync"
    with pytest.raises(parser_module._NotBuilt):  # parse() then builds every command
        build_parser(only=other).parse_known_args(argv)
    assert parse(argv).command == named
