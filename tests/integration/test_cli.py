"""The command line against the real server: run as a subprocess, as a user would.

Subprocesses cannot resolve the server's DNS name (only this process's resolver is patched), so
they use path-style connection data; both addressing styles are covered in-process, by calling
s3wire.cli.main.main.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import servers
from cleanup import empty_and_delete

import s3wire
from s3wire.cli.main import main

SRC = Path(__file__).resolve().parents[2] / "src"
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


def cli(
    *args: str, stdin: bytes = b"", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `python -m s3wire.cli ARGS`, without connection settings from this environment."""
    environ = {k: v for k, v in os.environ.items() if k not in CONNECTION_ENV}
    environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SRC), environ.get("PYTHONPATH")]))
    environ.update(env or {})
    result = subprocess.run(
        [sys.executable, "-m", "s3wire.cli", *args],
        input=stdin,
        capture_output=True,
        env=environ,
        timeout=120,
        check=False,
    )
    return subprocess.CompletedProcess(
        result.args, result.returncode, result.stdout.decode(), result.stderr.decode()
    )


def answer(result: subprocess.CompletedProcess[str], status: int) -> dict[str, Any]:
    """The JSON answer of a command that exited 0 with this HTTP status."""
    assert result.returncode == 0, (result.stdout, result.stderr)
    parsed: dict[str, Any] = json.loads(result.stdout)
    assert parsed["status"] == status, parsed
    return parsed


@pytest.fixture
def connection(s3_server: servers.S3Server, tmp_path: Path) -> Path:
    """Path-style connection data written by get-data-structure --out."""
    path = tmp_path / "connection.json"
    result = cli(
        "get-data-structure",
        "--url",
        s3_server.url,
        "--access-key",
        s3_server.access_key,
        "--secret-key",
        s3_server.secret_key,
        "--region",
        s3_server.region,
        "--addressing-style",
        "path",
        "--out",
        str(path),
    )
    assert (result.returncode, result.stdout) == (0, ""), result.stderr
    assert s3_server.secret_key not in result.stderr
    return path


@pytest.fixture
def scratch(s3_server: servers.S3Server) -> Iterator[str]:
    """A bucket name; the bucket is removed after the test if it still exists."""
    name = f"s3wire-cli-{uuid.uuid4().hex[:12]}"
    yield name
    data = s3wire.get_data_structure(
        s3_server.url, s3_server.access_key, s3_server.secret_key, s3_server.region
    )
    with s3wire.Client(data) as client:
        if client.head_bucket(bucket=name).status == 200:
            empty_and_delete(client, name)


def test_get_data_structure_writes_a_private_file(
    connection: Path, s3_server: servers.S3Server
) -> None:
    assert stat.S_IMODE(connection.stat().st_mode) == 0o600
    data = json.loads(connection.read_text(encoding="utf-8"))
    assert data["url"] == s3_server.url
    assert data["secret_key"] == s3_server.secret_key
    assert data["addressing_style"] == "path"


def test_bucket_and_object_round_trip(connection: Path, scratch: str, tmp_path: Path) -> None:
    data = ["--data", str(connection)]
    key = "dir/ünï cödé+file.bin"
    content = os.urandom(300_000)
    source = tmp_path / "source.bin"
    source.write_bytes(content)

    answer(cli("create-bucket", "--bucket", scratch, *data), 200)
    put = answer(
        cli("put-object", "--bucket", scratch, "--key", key, "--body", str(source), *data), 200
    )
    assert {k.lower(): v for k, v in put["headers"].items()}["etag"].startswith('"')

    listed = answer(cli("list-objects-v2", "--bucket", scratch, "--max-keys", "10", *data), 200)
    (item,) = listed["response"]["ListBucketResult"]["Contents"]
    assert item["Key"] == key
    assert item["Size"] == len(content)
    assert listed["response"]["ListBucketResult"]["KeyCount"] == 1

    head = answer(cli("head-object", "--bucket", scratch, "--key", key, *data), 200)
    assert {k.lower(): v for k, v in head["headers"].items()}["content-length"] == str(len(content))

    target = tmp_path / "got.bin"
    got = cli("get-object", "--bucket", scratch, "--key", key, "--out", str(target), *data)
    assert answer(got, 200)["response"] == {}
    assert target.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "connection.json",
        "got.bin",
        "source.bin",
    ]

    answer(cli("delete-object", "--bucket", scratch, "--key", key, *data), 204)
    answer(cli("delete-bucket", "--bucket", scratch, *data), 204)
    gone = cli("head-bucket", "--bucket", scratch, *data)
    assert gone.returncode == 1
    assert json.loads(gone.stdout)["status"] == 404


def test_put_object_from_stdin_with_metadata(connection: Path, scratch: str) -> None:
    data = ["--data", str(connection)]
    answer(cli("create-bucket", "--bucket", scratch, *data), 200)
    put = cli(
        "put-object",
        "--bucket",
        scratch,
        "--key",
        "piped",
        "--body",
        "-",
        "--metadata",
        '{"colour": "blue"}',
        "--content-type",
        "text/plain",
        *data,
        stdin=b"from a pipe\n",
    )
    answer(put, 200)
    head = answer(cli("head-object", "--bucket", scratch, "--key", "piped", *data), 200)
    headers = {k.lower(): v for k, v in head["headers"].items()}
    assert headers["x-amz-meta-colour"] == "blue"
    assert headers["content-type"] == "text/plain"
    assert headers["content-length"] == str(len(b"from a pipe\n"))


def test_empty_bodies_from_a_file_and_a_pipe(
    connection: Path, scratch: str, tmp_path: Path
) -> None:
    data = ["--data", str(connection)]
    empty = tmp_path / "empty"
    empty.touch()
    answer(cli("create-bucket", "--bucket", scratch, *data), 200)
    for key, body in (("from-file", str(empty)), ("from-pipe", "-")):
        answer(cli("put-object", "--bucket", scratch, "--key", key, "--body", body, *data), 200)
        head = answer(cli("head-object", "--bucket", scratch, "--key", key, *data), 200)
        assert {k.lower(): v for k, v in head["headers"].items()}["content-length"] == "0"


def test_map_list_and_copy_source_options(connection: Path, scratch: str, tmp_path: Path) -> None:
    data = ["--data", str(connection)]
    answer(cli("create-bucket", "--bucket", scratch, *data), 200)
    answer(
        cli("put-object", "--bucket", scratch, "--key", "a", "--body", "-", *data, stdin=b"A"), 200
    )
    copy = cli(
        "copy-object", "--bucket", scratch, "--key", "b", "--copy-source", f"{scratch}/a", *data
    )
    assert "CopyObjectResult" in answer(copy, 200)["response"]

    tags = tmp_path / "tags.json"
    tags.write_text('{"colour": "blue", "size": "L"}', encoding="utf-8")
    answer(
        cli("put-object-tagging", "--bucket", scratch, "--key", "b", "--tags", f"@{tags}", *data),
        200,
    )
    got = answer(cli("get-object-tagging", "--bucket", scratch, "--key", "b", *data), 200)
    tag_set = got["response"]["Tagging"]["TagSet"]["Tag"]
    assert sorted((t["Key"], t["Value"]) for t in tag_set) == [("colour", "blue"), ("size", "L")]

    objects = json.dumps([{"key": "a"}, {"key": "b"}])
    deleted = answer(cli("delete-objects", "--bucket", scratch, "--objects", objects, *data), 200)
    assert sorted(d["Key"] for d in deleted["response"]["DeleteResult"]["Deleted"]) == ["a", "b"]
    listed = answer(cli("list-objects-v2", "--bucket", scratch, *data), 200)
    assert listed["response"]["ListBucketResult"]["Contents"] == []


def test_error_answer_exits_1_with_its_json(connection: Path, scratch: str, tmp_path: Path) -> None:
    data = ["--data", str(connection)]
    answer(cli("create-bucket", "--bucket", scratch, *data), 200)
    target = tmp_path / "missing.bin"
    result = cli("get-object", "--bucket", scratch, "--key", "missing", "--out", str(target), *data)
    assert result.returncode == 1
    assert result.stderr.startswith("s3wire: hint: check the key")  # what causes a NoSuchKey
    parsed = json.loads(result.stdout)
    assert parsed["status"] == 404
    assert parsed["response"]["Error"]["Code"] == "NoSuchKey"
    assert not target.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["list-objects-v2"], "the following arguments are required: --bucket"),
        (["list-objects-v2", "--bucket", "b", "--max-keys", "many"], "expected an integer"),
        (["put-object", "--bucket", "b", "--key", "k", "--body", "/nonexistent"], "cannot read"),
        (["no-such-command"], "unknown command 'no-such-command'"),
    ],
)
def test_bad_usage_exits_2(connection: Path, args: list[str], message: str) -> None:
    result = cli(*args, "--data", str(connection))
    assert result.returncode == 2
    assert result.stdout == ""
    assert message in result.stderr
    assert result.stderr.count("\n") == 1


def test_missing_connection_exits_2(s3_server: servers.S3Server) -> None:
    result = cli("list-buckets", env={"S3WIRE_URL": s3_server.url})
    assert result.returncode == 2
    assert "S3WIRE_ACCESS_KEY (or AWS_ACCESS_KEY_ID)" in result.stderr


def test_connection_from_the_environment(s3_server: servers.S3Server, scratch: str) -> None:
    env = {
        "S3WIRE_URL": s3_server.url,
        "AWS_ACCESS_KEY_ID": s3_server.access_key,
        "AWS_SECRET_ACCESS_KEY": s3_server.secret_key,
        "AWS_DEFAULT_REGION": s3_server.region,
    }
    answer(cli("create-bucket", "--bucket", scratch, env=env), 200)
    listed = answer(cli("list-buckets", env=env), 200)
    names = [b["Name"] for b in listed["response"]["ListAllMyBucketsResult"]["Buckets"]["Bucket"]]
    assert scratch in names


def test_request_command(connection: Path, scratch: str) -> None:
    data = ["--data", str(connection)]
    answer(cli("create-bucket", "--bucket", scratch, *data), 200)
    put = cli(
        "request",
        "--method",
        "PUT",
        "--path",
        f"/{scratch}/raw key",
        "--body",
        "-",
        "--header",
        "Content-Type: text/plain",
        *data,
        stdin=b"raw",
    )
    answer(put, 200)
    listed = answer(
        cli("request", "--method", "GET", "--path", f"/{scratch}?list-type=2", *data), 200
    )
    result = listed["response"]["ListBucketResult"]
    assert result["Name"] == scratch
    assert result["Contents"]["Key"] == "raw key"  # no catalog shape: one item is not a list


def test_unreachable_server_exits_3(tmp_path: Path, s3_server: servers.S3Server) -> None:
    path = tmp_path / "closed.json"
    data = {
        "url": f"http://127.0.0.1:{servers.free_port()}",
        "access_key": "AKID",
        "secret_key": s3_server.secret_key,
        "region": "us-east-1",
        "connect_timeout": 2,
    }
    path.write_text(json.dumps(data), encoding="utf-8")
    result = cli("list-buckets", "--data", str(path))
    assert result.returncode == 3
    assert result.stdout == ""
    assert "GET request failed" in result.stderr
    assert s3_server.secret_key not in result.stderr


def test_both_addressing_styles_in_process(
    data: s3wire.ConnectionData,
    bucket: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    connection = tmp_path / "connection.json"
    connection.write_text(json.dumps(data), encoding="utf-8")
    source = tmp_path / "source.txt"
    source.write_bytes(b"in process")
    common = ["--bucket", bucket, "--data", str(connection)]

    def run(*args: str) -> dict[str, Any]:
        status = main([*args, *common])
        out, err = capsys.readouterr()
        assert (status, err) == (0, ""), out
        parsed: dict[str, Any] = json.loads(out)
        return parsed

    assert run("put-object", "--key", "k", "--body", str(source))["status"] == 200
    listed = run("list-objects-v2")["response"]["ListBucketResult"]
    assert [(i["Key"], i["Size"]) for i in listed["Contents"]] == [("k", len(b"in process"))]
    target = tmp_path / "got.txt"
    assert run("get-object", "--key", "k", "--out", str(target))["status"] == 200
    assert target.read_bytes() == b"in process"
    assert run("delete-object", "--key", "k")["status"] == 204


# --- the seed library's scenarios, through the command line -----------------------------------


def ok(*args: str) -> dict[str, Any]:
    """Run a command that must answer 2xx; its JSON answer."""
    result = cli(*args)
    assert result.returncode == 0, (args, result.stdout, result.stderr)
    parsed: dict[str, Any] = json.loads(result.stdout)
    assert 200 <= parsed["status"] < 300, parsed
    return parsed


def test_bucket_tagging_and_versioning(connection: Path, scratch: str) -> None:
    data = ["--data", str(connection), "--bucket", scratch]
    ok("create-bucket", *data)
    ok("put-bucket-tagging", *data, "--tags", '{"team": "storage", "tier": "ünï"}')
    tags = ok("get-bucket-tagging", *data)["response"]["Tagging"]["TagSet"]["Tag"]
    assert {t["Key"]: t["Value"] for t in tags} == {"team": "storage", "tier": "ünï"}
    ok("delete-bucket-tagging", *data)
    gone = cli("get-bucket-tagging", *data)
    assert gone.returncode == 1
    assert json.loads(gone.stdout)["response"]["Error"]["Code"] == "NoSuchTagSet"

    ok("put-bucket-versioning", *data, "--status", "Enabled")
    versioning = ok("get-bucket-versioning", *data)["response"]["VersioningConfiguration"]
    assert versioning["Status"] == "Enabled"
    ok("head-bucket", *data)
    names = [
        b["Name"]
        for b in ok("list-buckets", "--data", str(connection))["response"][
            "ListAllMyBucketsResult"
        ]["Buckets"]["Bucket"]
    ]
    assert scratch in names


def test_versions_and_object_tagging(connection: Path, scratch: str, tmp_path: Path) -> None:
    data = ["--data", str(connection), "--bucket", scratch]
    ok("create-bucket", *data)
    ok("put-bucket-versioning", *data, "--status", "Enabled")
    body = tmp_path / "v"
    versions = []
    for content in (b"first", b"second"):
        body.write_bytes(content)
        put = ok("put-object", *data, "--key", "k", "--body", str(body))
        versions.append(put["headers"]["x-amz-version-id"])
    listed = ok("list-object-versions", *data)["response"]["ListVersionsResult"]["Version"]
    assert sorted(v["VersionId"] for v in listed) == sorted(versions)
    assert [v["IsLatest"] for v in listed] == [True, False]

    # "--version-id=ID": an ID may start with "-", which would read as an option.
    first = ["--key", "k", f"--version-id={versions[0]}"]
    ok("put-object-tagging", *data, *first, "--tags", '{"old": "yes"}')
    tagged = ok("get-object-tagging", *data, *first)["response"]["Tagging"]["TagSet"]["Tag"]
    assert tagged == [{"Key": "old", "Value": "yes"}]
    latest = ok("get-object-tagging", *data, "--key", "k")["response"]["Tagging"]["TagSet"]
    assert latest["Tag"] == []
    ok("delete-object-tagging", *data, *first)
    out = tmp_path / "old"
    ok("get-object", *data, *first, "--out", str(out))
    assert out.read_bytes() == b"first"
    for version in versions:
        ok("delete-object", *data, "--key", "k", f"--version-id={version}")


def test_manual_multipart_and_abort(connection: Path, scratch: str, tmp_path: Path) -> None:
    data = ["--data", str(connection), "--bucket", scratch]
    ok("create-bucket", *data)
    started = ok("create-multipart-upload", *data, "--key", "big")
    upload_id = started["response"]["InitiateMultipartUploadResult"]["UploadId"]
    upload = ["--key", "big", "--upload-id", upload_id]
    contents = [os.urandom(5 * 1024 * 1024), os.urandom(1234)]
    parts = []
    for number, content in enumerate(contents, start=1):
        path = tmp_path / f"part{number}"
        path.write_bytes(content)
        sent = ok("upload-part", *data, *upload, "--part-number", str(number), "--body", str(path))
        parts.append({"part_number": number, "etag": sent["headers"]["ETag"]})
    listed = ok("list-parts", *data, *upload)["response"]["ListPartsResult"]["Part"]
    assert [(p["PartNumber"], p["Size"]) for p in listed] == [(1, len(contents[0])), (2, 1234)]
    uploads = ok("list-multipart-uploads", *data)["response"]["ListMultipartUploadsResult"]
    assert [u["UploadId"] for u in uploads["Upload"]] == [upload_id]
    parts_file = tmp_path / "parts.json"
    parts_file.write_text(json.dumps(parts), encoding="utf-8")
    ok("complete-multipart-upload", *data, *upload, "--parts", f"@{parts_file}")
    out = tmp_path / "whole"
    ok("get-object", *data, "--key", "big", "--out", str(out))
    assert out.read_bytes() == b"".join(contents)

    other = ok("create-multipart-upload", *data, "--key", "dropped")
    other_id = other["response"]["InitiateMultipartUploadResult"]["UploadId"]
    ok("abort-multipart-upload", *data, "--key", "dropped", "--upload-id", other_id)
    uploads = ok("list-multipart-uploads", *data)["response"]["ListMultipartUploadsResult"]
    assert uploads["Upload"] == []


def test_links_and_transfers(s3_server: servers.S3Server, scratch: str, tmp_path: Path) -> None:
    connection = tmp_path / "small-parts.json"
    result = cli(
        "get-data-structure",
        *("--url", s3_server.url, "--access-key", s3_server.access_key),
        *("--secret-key", s3_server.secret_key, "--region", s3_server.region),
        *("--part-size", str(5 * 1024 * 1024), "--out", str(connection)),
    )
    assert result.returncode == 0, result.stderr
    data = ["--data", str(connection), "--bucket", scratch]
    ok("create-bucket", *data)
    source = tmp_path / "source.bin"
    source.write_bytes(os.urandom(11 * 1024 * 1024 + 17))
    sent = ok("upload-file", *data, "--key", "big file", "--source", str(source))
    assert sent["response"]["CompleteMultipartUploadResult"]["Key"] == "big file"
    dest = tmp_path / "dest.bin"
    ok("download-file", *data, "--key", "big file", "--dest", str(dest))
    assert dest.read_bytes() == source.read_bytes()
    missing = cli("download-file", *data, "--key", "no such key", "--dest", str(dest))
    assert missing.returncode == 1
    assert dest.read_bytes() == source.read_bytes()

    link = cli("presigned-url", *data, "--method", "GET", "--key", "big file", "--expires", "60")
    assert link.returncode == 0, link.stderr
    url = link.stdout.strip()
    assert url.count("\n") == 0 and "X-Amz-Signature=" in url
    assert requests.get(url, timeout=30).content == source.read_bytes()
    upload = cli("presigned-url", *data, "--method", "PUT", "--key", "via link")
    assert requests.put(upload.stdout.strip(), data=b"linked", timeout=30).status_code == 200
    out = tmp_path / "linked"
    ok("get-object", *data, "--key", "via link", "--out", str(out))
    assert out.read_bytes() == b"linked"
    refused = cli("presigned-url", *data, "--method", "GET", "--key", "k", "--expires", "0")
    assert refused.returncode == 2
    assert "expires" in refused.stderr


def test_bucket_encryption_on_the_second_target(
    moto_server: servers.S3Server, tmp_path: Path
) -> None:
    # radosgw lacks bucket encryption (see capabilities.py); moto has it.
    env = {
        "S3WIRE_URL": moto_server.url,
        "S3WIRE_ACCESS_KEY": moto_server.access_key,
        "S3WIRE_SECRET_KEY": moto_server.secret_key,
        "S3WIRE_REGION": moto_server.region,
    }
    bucket = ["--bucket", f"s3wire-cli-{uuid.uuid4().hex[:12]}"]

    def run(*args: str) -> dict[str, Any]:
        result = cli(*args, env=env)
        assert result.returncode == 0, (args, result.stdout, result.stderr)
        parsed: dict[str, Any] = json.loads(result.stdout)
        return parsed

    run("create-bucket", *bucket)
    run("put-bucket-encryption", *bucket, "--sse-algorithm", "AES256")
    rule = run("get-bucket-encryption", *bucket)["response"]["ServerSideEncryptionConfiguration"]
    assert rule["Rule"][0]["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"
    assert run("delete-bucket-encryption", *bucket)["status"] == 204
    assert cli("get-bucket-encryption", *bucket, env=env).returncode == 1
    run("delete-bucket", *bucket)


def test_global_options_before_or_after_the_command(
    s3_server: servers.S3Server, scratch: str, tmp_path: Path
) -> None:
    aws = tmp_path / "home" / ".aws"
    aws.mkdir(parents=True)
    (aws / "credentials").write_text(
        f"[-lab]\naws_access_key_id = {s3_server.access_key}\n"
        f"aws_secret_access_key = {s3_server.secret_key}\n",
        encoding="utf-8",
    )
    env = {"HOME": str(tmp_path / "home")}
    where = ["--profile=-lab", "--endpoint-url", s3_server.url, "--region", s3_server.region]
    assert cli(*where, "mb", f"s3://{scratch}", env=env).returncode == 0
    put = cli(
        "put-object", "--bucket", scratch, "--key", "k", "--body", "-", *where, stdin=b"x", env=env
    )
    assert put.returncode == 0, put.stderr
    before = cli(*where, "--output", "json", "--query=-1.Key", "ls", f"s3://{scratch}", env=env)
    after = cli("ls", f"s3://{scratch}", "--output=json", "--query", "0.Key", *where, env=env)
    assert (before.returncode, before.stdout, after.stdout) == (0, "k\n", "k\n"), before.stderr
    twice = cli("--region", s3_server.region, "ls", *where, env=env)
    assert twice.returncode == 2
    assert "--region given 2 times" in twice.stderr
