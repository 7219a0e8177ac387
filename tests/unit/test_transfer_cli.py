"""The transfer commands' options: --concurrency, --quiet, and cp between buckets via copy_file."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_transfer import FakeS3
from test_transfer_dirs import CopyFake

import s3wire._base
from s3wire.cli.main import main


@pytest.fixture(autouse=True)
def environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    for name, value in {
        "S3WIRE_URL": "http://127.0.0.1:7480",
        "S3WIRE_ACCESS_KEY": "AKIDEXAMPLE",
        "S3WIRE_SECRET_KEY": "secret",
        "S3WIRE_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)


def through(monkeypatch: pytest.MonkeyPatch, fake: FakeS3) -> FakeS3:
    monkeypatch.setattr(s3wire._base, "Transport", lambda **_: fake)
    return fake


def test_cp_between_buckets_is_a_pinned_server_side_copy(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    fake = through(monkeypatch, CopyFake())
    assert main(["cp", "s3://src/k", "s3://dst/k2", "--quiet", "--concurrency", "2"]) == 0
    out, err = capsys.readouterr()
    assert (out, err) == ("copy: s3://src/k to s3://dst/k2\n", "")
    assert [m for m, _, _, _ in fake.sent] == ["HEAD", "PUT"]
    assert fake.sent[1][2]["x-amz-copy-source-if-match"] == '"abc-2"'


def test_upload_and_download_take_the_transfer_options(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    fake = through(monkeypatch, FakeS3())
    (tmp_path / "in").write_bytes(b"data")
    common = ["--bucket", "b", "--key", "k", "--concurrency", "3", "--quiet"]
    assert main(["upload-file", *common, "--source", str(tmp_path / "in")]) == 0
    assert main(["download-file", *common, "--dest", str(tmp_path / "out")]) == 0
    assert (tmp_path / "out").read_bytes() == b"data"
    assert capsys.readouterr().err == ""  # no bar off a terminal
    assert fake.data == b"data"
    assert main(["upload-file", *common, "--source", str(tmp_path / "in"), "--concurrency", "0"])
    assert "concurrency must be an int of 1 or more" in capsys.readouterr().err
