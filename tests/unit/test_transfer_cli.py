"""The transfer commands' options: --concurrency, --quiet, and cp between buckets via copy_file."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
from recording import cli_through
from test_transfer import FakeS3
from test_transfer_dirs import CopyFake

from s3wire.cli.errors import EXIT_USAGE
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
    cli_through(monkeypatch, globals(), fake)
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


def one_line_error(err: str) -> str:
    assert err.count("\n") == 1 and err.startswith("s3wire: error: "), err
    assert "Traceback" not in err
    return err


def test_a_full_disk_is_one_line_naming_the_destination(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    through(monkeypatch, FakeS3(b"data"))
    dest = tmp_path / "out"
    dest.write_bytes(b"precious")

    def full(*_: object) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "pwrite", full)
    for argv in (
        ["cp", "s3://b/k", str(dest)],
        ["download-file", "--bucket", "b", "--key", "k", "--dest", str(dest)],
    ):
        assert main([*argv, "--quiet"]) == EXIT_USAGE
        out, err = capsys.readouterr()
        assert out == ""
        assert one_line_error(err) == (
            f"s3wire: error: download_file: cannot write {dest}: No space left on device\n"
        )
    monkeypatch.undo()
    assert dest.read_bytes() == b"precious"
    assert os.listdir(tmp_path) == ["out"]


def test_a_destination_below_a_file_is_one_line_naming_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    fake = through(monkeypatch, FakeS3(b"data"))
    (tmp_path / "a-file").write_bytes(b"x")
    dest = tmp_path / "a-file" / "out"
    assert main(["download-file", "--bucket", "b", "--key", "k", "--dest", str(dest)]) == EXIT_USAGE
    err = one_line_error(capsys.readouterr().err)
    assert err == f"s3wire: error: download_file: cannot write {dest}: Not a directory\n"
    assert fake.sent == []
