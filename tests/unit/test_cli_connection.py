"""Where the CLI's connection comes from: --data, S3WIRE_* variables, then the AWS chain
(AWS_* variables, --profile or AWS_PROFILE in ~/.aws). HOME is a temporary directory."""

from __future__ import annotations

import io
import json
import shlex
import sys
import traceback
from pathlib import Path

import pytest
from recording import Recorder, cli_through

from s3wire.cli.connection import read_data
from s3wire.cli.errors import EXIT_OK, EXIT_USAGE, UsageError
from s3wire.cli.main import main

SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
VARIABLES = (
    "S3WIRE_URL",
    "S3WIRE_ACCESS_KEY",
    "S3WIRE_SECRET_KEY",
    "S3WIRE_REGION",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_PROFILE",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_ENDPOINT_URL",
    "AWS_ENDPOINT_URL_S3",
    "AWS_CONFIG_FILE",
    "AWS_SHARED_CREDENTIALS_FILE",
    "AWS_CA_BUNDLE",
)


@pytest.fixture
def recorder(monkeypatch: pytest.MonkeyPatch) -> Recorder:
    fake = Recorder()
    cli_through(monkeypatch, globals(), fake)
    return fake


@pytest.fixture(autouse=True)
def home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / ".aws").mkdir()
    (tmp_path / ".aws" / "credentials").write_text(
        f"[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = {SECRET}\n"
        f"[lab]\naws_access_key_id = AKIDLAB\naws_secret_access_key = {SECRET}\n",
        encoding="utf-8",
    )
    (tmp_path / ".aws" / "config").write_text(
        "[default]\nregion = eu-west-1\n\n"
        "[profile lab]\nregion = us-west-2\nendpoint_url = http://192.0.2.10:7480\n"
        "s3 =\n  addressing_style = virtual\n",
        encoding="utf-8",
    )
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def last(recorder: Recorder) -> tuple[str, str, str]:
    """(url, access key, region) of the last request."""
    _, url, headers, _ = recorder.sent[-1]
    credential = headers["Authorization"].split("Credential=")[1].split(",")[0].split("/")
    return url, credential[0], credential[2]


def test_default_profile(capsys: pytest.CaptureFixture[str], recorder: Recorder) -> None:
    assert run(capsys, "head-bucket", "--bucket", "my-bucket")[0] == EXIT_OK
    assert last(recorder) == (
        "https://my-bucket.s3.eu-west-1.amazonaws.com/",
        "AKIDDEFAULT",
        "eu-west-1",
    )


def test_profile_option(capsys: pytest.CaptureFixture[str], recorder: Recorder) -> None:
    assert run(capsys, "head-bucket", "--bucket", "my-bucket", "--profile", "lab")[0] == EXIT_OK
    assert last(recorder) == ("http://my-bucket.192.0.2.10:7480/", "AKIDLAB", "us-west-2")


def test_aws_profile_variable_and_the_option_over_it(
    capsys: pytest.CaptureFixture[str], recorder: Recorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_PROFILE", "lab")
    run(capsys, "list-buckets")
    assert last(recorder)[1] == "AKIDLAB"
    run(capsys, "list-buckets", "--profile", "default")
    assert last(recorder)[1] == "AKIDDEFAULT"


def test_s3wire_variables_come_before_the_aws_chain(
    capsys: pytest.CaptureFixture[str], recorder: Recorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDENV")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    monkeypatch.setenv("S3WIRE_URL", "http://127.0.0.1:7480")
    run(capsys, "list-buckets", "--profile", "lab")
    # the url from S3WIRE_URL; keys, region from the profile (named, so AWS_* keys are skipped)
    assert last(recorder) == ("http://127.0.0.1:7480/", "AKIDLAB", "us-west-2")
    run(capsys, "list-buckets")
    assert last(recorder) == ("http://127.0.0.1:7480/", "AKIDENV", "eu-west-1")
    monkeypatch.setenv("S3WIRE_ACCESS_KEY", "AKIDS3WIRE")
    monkeypatch.setenv("S3WIRE_SECRET_KEY", SECRET)
    monkeypatch.setenv("S3WIRE_REGION", "ap-south-1")
    run(capsys, "list-buckets", "--profile", "lab")
    assert last(recorder) == ("http://127.0.0.1:7480/", "AKIDS3WIRE", "ap-south-1")


def test_credential_process_through_the_cli(
    capsys: pytest.CaptureFixture[str], recorder: Recorder, home: Path
) -> None:
    script = home / "creds.py"
    answer = {"Version": 1, "AccessKeyId": "AKIDPROC", "SecretAccessKey": SECRET}
    script.write_text(f"print({json.dumps(answer)!r})\n", encoding="utf-8")
    command = f"{shlex.quote(sys.executable)} {shlex.quote(str(script))}"
    with (home / ".aws" / "config").open("a", encoding="utf-8") as config:
        config.write(f"\n[profile proc]\nregion = us-east-1\ncredential_process = {command}\n")
    assert run(capsys, "list-buckets", "--profile", "proc")[0] == EXIT_OK
    assert last(recorder) == ("https://s3.amazonaws.com/", "AKIDPROC", "us-east-1")


def test_the_clis_temporary_credentials_are_renewed_during_a_command(
    recorder: Recorder, home: Path
) -> None:
    """A command's client signs with the chain's provider: keys about to expire are fetched
    again before a later request, not kept from the command's start."""
    import argparse
    import datetime as dt

    from s3wire.cli.command import Context

    soon = (dt.datetime.now(dt.timezone.utc) + dt.timedelta(minutes=5)).isoformat()
    counter, script = home / "runs", home / "creds.py"
    script.write_text(
        "import json, pathlib\n"
        f"counter = pathlib.Path({str(counter)!r})\n"
        "runs = int(counter.read_text()) + 1 if counter.exists() else 1\n"
        "counter.write_text(str(runs))\n"
        "print(json.dumps({'Version': 1, 'AccessKeyId': f'AKIDPROC{runs}', "
        f"'SecretAccessKey': 's', 'SessionToken': 't', 'Expiration': {soon!r}}}))\n",
        encoding="utf-8",
    )
    command = f"{shlex.quote(sys.executable)} {shlex.quote(str(script))}"
    with (home / ".aws" / "config").open("a", encoding="utf-8") as config:
        config.write(f"\n[profile proc]\nregion = us-east-1\ncredential_process = {command}\n")
    args = argparse.Namespace(data=None, profile="proc", endpoint_url=None, region=None)
    environ = {"HOME": str(home), "AWS_EC2_METADATA_DISABLED": "true"}
    with Context(args, environ, recorder) as context:
        context.client().list_buckets()
        context.client().list_buckets()
    assert [last_key for _, _, last_key in keys_of(recorder)] == ["AKIDPROC1", "AKIDPROC2"]


def keys_of(recorder: Recorder) -> list[tuple[str, str, str]]:
    """(method, url, access key) of each request."""
    return [
        (method, url, headers["Authorization"].split("Credential=")[1].split("/")[0])
        for method, url, headers, _ in recorder.sent
    ]


def test_unknown_profile_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], recorder: Recorder
) -> None:
    status, out, err = run(capsys, "list-buckets", "--profile", "nope")
    assert (status, out) == (EXIT_USAGE, "")
    assert "AWS profile 'nope' is in neither" in err
    assert not recorder.sent


def test_nothing_configured_names_what_to_set(
    capsys: pytest.CaptureFixture[str], recorder: Recorder, home: Path
) -> None:
    for name in ("config", "credentials"):
        (home / ".aws" / name).unlink()
    status, _, err = run(capsys, "list-buckets")
    assert status == EXIT_USAGE
    assert err.count("\n") == 1
    assert "no connection data: give --data FILE, or set S3WIRE_URL (or AWS_ENDPOINT_URL)" in err
    assert "S3WIRE_ACCESS_KEY (or AWS_ACCESS_KEY_ID) and S3WIRE_SECRET_KEY" in err
    assert "S3WIRE_REGION (or AWS_REGION, AWS_DEFAULT_REGION)" in err
    assert f"profile 'default' of {home / '.aws' / 'credentials'}" in err
    assert not recorder.sent


def test_data_and_profile_do_not_mix(
    capsys: pytest.CaptureFixture[str], recorder: Recorder, tmp_path: Path
) -> None:
    data = tmp_path / "conn.json"
    data.write_text(
        json.dumps({"url": "http://h", "access_key": "A", "secret_key": SECRET, "region": "r"}),
        encoding="utf-8",
    )
    status, _, err = run(capsys, "list-buckets", "--data", str(data), "--profile", "lab")
    assert status == EXIT_USAGE
    assert "--data and --profile cannot be used together" in err
    assert run(capsys, "list-buckets", "--data", str(data))[0] == EXIT_OK
    assert last(recorder) == ("http://h/", "A", "r")


def test_half_an_s3wire_key_pair_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], recorder: Recorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("S3WIRE_ACCESS_KEY", "AKIDS3WIRE")
    status, _, err = run(capsys, "list-buckets")
    assert status == EXIT_USAGE
    assert "S3WIRE_ACCESS_KEY and S3WIRE_SECRET_KEY go together" in err
    assert not recorder.sent


@pytest.mark.parametrize(
    "text",
    [
        b'{"secret_key": "wJalrXUtnFEMI/SECRET/EXAMPLEKEY" "url": 1}',  # a missing comma
        b'{"secret_key": "wJalrXUtnFEMI/SECRET/EXAMPLEKEY\xff"}',  # not UTF-8
    ],
)
def test_a_data_file_that_is_not_json_leaves_its_secret_out_of_the_error(text: bytes) -> None:
    with pytest.raises(UsageError) as caught:
        read_data(io.BytesIO(text), "conn.json")
    error = caught.value
    assert "not readable JSON" in str(error)
    assert error.__context__ is None and error.__cause__ is None
    shown = "".join(traceback.format_exception(error))
    assert "SECRET" not in shown
