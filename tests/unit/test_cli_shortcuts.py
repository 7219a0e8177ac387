"""The shortcuts without a server: s3:// paths, usage errors, and rm/rb batching against a
small in-memory bucket (the real behaviour is in tests/integration/test_cli_shortcuts.py)."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit
from xml.sax.saxutils import escape

import pytest
from recording import Recorder, cli_through
from requests.structures import CaseInsensitiveDict

from s3wire.cli import s3uri
from s3wire.cli.errors import EXIT_ERROR_ANSWER, EXIT_OK, EXIT_USAGE, UsageError
from s3wire.cli.main import main
from s3wire.transport_api import Body, Sink

PAGE = 1000


class MemoryBucket:
    """A transport holding one bucket's keys: ListObjectsV2 (pages of 1,000, continuation
    tokens), DeleteObjects (recording each batch, refusing keys under "locked/"), DeleteBucket."""

    def __init__(self, keys: list[str]) -> None:
        self.keys = sorted(keys)
        self.batches: list[int] = []
        self.bucket_deleted = False

    def send(
        self, method: str, url: str, headers: dict[str, str], body: Body, sink: Sink | None = None
    ) -> tuple[int, CaseInsensitiveDict[str], bytes]:
        split = urlsplit(url)
        query = {k: v[0] for k, v in parse_qs(split.query, keep_blank_values=True).items()}
        if method == "GET" and query.get("list-type") == "2":
            return self._list(query)
        if method == "POST" and "delete" in query:
            assert isinstance(body, bytes)
            return self._delete(body)
        if method == "DELETE" and split.path.count("/") == 1:
            self.bucket_deleted = True
            return 204, CaseInsensitiveDict(), b""
        raise AssertionError(f"unexpected request {method} {url}")

    def _list(self, query: dict[str, str]) -> tuple[int, CaseInsensitiveDict[str], bytes]:
        prefix = query.get("prefix", "")
        after = query.get("continuation-token", "")
        matching = [k for k in self.keys if k.startswith(prefix) and k > after]
        page, more = matching[:PAGE], len(matching) > PAGE
        contents = "".join(
            f"<Contents><Key>{escape(k)}</Key><Size>1</Size>"
            "<LastModified>2024-05-01T12:00:00.000Z</LastModified></Contents>"
            for k in page
        )
        token = f"<NextContinuationToken>{escape(page[-1])}</NextContinuationToken>" if more else ""
        xml = (
            f"<ListBucketResult><IsTruncated>{str(more).lower()}</IsTruncated>{token}"
            f"{contents}</ListBucketResult>"
        )
        return 200, CaseInsensitiveDict(), xml.encode()

    def _delete(self, body: bytes) -> tuple[int, CaseInsensitiveDict[str], bytes]:
        keys = [unquote(k) for k in re.findall(r"<Key>(.*?)</Key>", body.decode())]
        assert "<Quiet>true</Quiet>" in body.decode()
        self.batches.append(len(keys))
        errors = ""
        for key in keys:
            if key.startswith("locked/"):
                errors += (
                    f"<Error><Key>{key}</Key><Code>AccessDenied</Code>"
                    "<Message>Access Denied</Message></Error>"
                )
            else:
                self.keys.remove(key)
        return 200, CaseInsensitiveDict(), f"<DeleteResult>{errors}</DeleteResult>".encode()

    def close(self) -> None:
        pass


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


def bucket_of(monkeypatch: pytest.MonkeyPatch, keys: list[str]) -> MemoryBucket:
    fake = MemoryBucket(keys)
    cli_through(monkeypatch, globals(), fake)
    return fake


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


# --- s3:// paths -----------------------------------------------------------------------------


def test_s3_paths() -> None:
    assert s3uri.parse("s3://b") == s3uri.S3Path("b", "")
    assert s3uri.parse("s3://b/") == s3uri.S3Path("b", "")
    assert s3uri.parse("s3://b/a/b c") == s3uri.S3Path("b", "a/b c")
    assert str(s3uri.S3Path("b", "k/x")) == "s3://b/k/x"
    assert s3uri.S3Path("b").child("f.txt") == s3uri.S3Path("b", "f.txt")
    assert s3uri.S3Path("b", "dir/").child("f.txt") == s3uri.S3Path("b", "dir/f.txt")
    assert s3uri.S3Path("b", "name").child("f.txt") == s3uri.S3Path("b", "name")
    assert s3uri.basename("a/b/c.txt") == "c.txt"
    assert s3uri.basename("a/b/") == "b"


@pytest.mark.parametrize(
    ("text", "key", "message"),
    [
        ("b/k", None, "expected an s3://bucket/key path"),
        ("s3://", None, "no bucket"),
        ("s3://b", True, "names a bucket; give s3://b/KEY"),
        ("s3://b/k", False, "has a key; give just s3://b"),
    ],
)
def test_bad_s3_paths(text: str, key: bool | None, message: str) -> None:
    with pytest.raises(UsageError, match=re.escape(message)):
        s3uri.parse(text, key=key)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["cp", "a.txt", "b.txt"], "cp needs an s3:// path as SRC or DST"),
        (["cp", "-", "s3://b/dir/"], "cp from stdin (-) needs a destination key"),
        (["cp", "s3://b", "."], "names a bucket"),
        (["rm", "s3://b"], "names a bucket; give s3://b/KEY"),
        (["mb", "s3://b/k"], "has a key"),
        (["rb", "b"], "expected an s3://bucket/key path"),
        (["ls", "/tmp"], "expected an s3://bucket/key path"),
        (["cp", "s3://b/k"], "the following arguments are required: DST"),
    ],
)
def test_usage_errors(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    argv: list[str],
    message: str,
) -> None:
    fake = bucket_of(monkeypatch, [])
    status, out, err = run(capsys, *argv)
    assert (status, out) == (EXIT_USAGE, "")
    assert message in err
    assert fake.batches == []


def test_cp_of_a_folder_is_refused(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    bucket_of(monkeypatch, [])
    status, _, err = run(capsys, "cp", str(tmp_path), "s3://bkt/")
    assert status == EXIT_USAGE
    assert "is a folder; cp copies one file" in err


# --- deleting in batches ---------------------------------------------------------------------


def test_rm_recursive_deletes_in_batches_of_1000(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    keys = [f"logs/{i:05}" for i in range(2500)] + ["other/keep"]
    fake = bucket_of(monkeypatch, keys)
    status, out, err = run(capsys, "rm", "s3://bkt/logs/", "--recursive")
    assert (status, err) == (EXIT_OK, "")
    assert fake.batches == [1000, 1000, 500]
    assert fake.keys == ["other/keep"]
    lines = out.splitlines()
    assert len(lines) == 2500
    assert lines[0] == "delete: s3://bkt/logs/00000"


def test_rm_recursive_reports_refused_keys(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = bucket_of(monkeypatch, ["a", "locked/b", "c"])
    status, out, err = run(capsys, "rm", "s3://bkt", "--recursive", "--output", "json")
    assert status == EXIT_ERROR_ANSWER
    assert fake.keys == ["locked/b"]
    assert '"path": "s3://bkt/a"' in out and "locked" not in out
    assert err == ("s3wire: error: delete failed: s3://bkt/locked/b: AccessDenied: Access Denied\n")


def test_rb_force_stops_when_a_key_cannot_be_deleted(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = bucket_of(monkeypatch, ["locked/x"])
    monkeypatch.setattr(
        "s3wire.cli.bulk.versions",
        lambda client, bucket: iter([{"key": "locked/x", "version_id": "v1"}]),
    )
    monkeypatch.setattr("s3wire.cli.bulk.uploads", lambda client, bucket: iter([]))
    status, out, err = run(capsys, "rb", "s3://bkt", "--force")
    assert (status, out) == (EXIT_ERROR_ANSWER, "")
    assert "delete failed: s3://bkt/locked/x" in err
    assert not fake.bucket_deleted


# --- local files -----------------------------------------------------------------------------


def test_unwritable_destinations_are_usage_errors(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    head = Recorder(200, b"", **{"Content-Length": "1", "ETag": '"e"'})  # a one-byte object
    cli_through(monkeypatch, globals(), head)
    missing = tmp_path / "no-such-folder" / "file"
    status, out, err = run(capsys, "cp", "s3://bkt/k", str(missing))
    assert (status, out) == (EXIT_USAGE, "")
    assert "its folder does not exist" in err
    argv = ["download-file", "--bucket", "bkt", "--key", "k", "--dest", str(missing)]
    status, out, err = run(capsys, *argv)
    assert (status, out) == (EXIT_USAGE, "")
    assert err.startswith("s3wire: error: ") and "No such file or directory" in err
