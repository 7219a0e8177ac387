"""The shortcuts (ls, cp, rm, mb, rb), every output format, and the AWS configuration chain,
driven as a user would: `python -m s3wire.cli` in a subprocess, against the real server.

Each run has a temporary HOME and no connection variables of this environment; the connection
comes from S3WIRE_* variables (path-style), or from an AWS profile written for the test.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import servers
import yaml
from cleanup import delete_every_version, empty_and_delete

import s3wire
from s3wire.transfer import ObjectArgs

SRC = Path(__file__).resolve().parents[2] / "src"
PREFIXES = ("S3WIRE_", "AWS_")


class Shell:
    """Runs s3wire commands with a temporary HOME and the given connection variables."""

    def __init__(self, home: Path, env: dict[str, str]) -> None:
        self.home = home
        self.env = env

    def __call__(
        self, *args: str, stdin: bytes = b"", env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(
            [sys.executable, "-m", "s3wire.cli", *args],
            input=stdin,
            capture_output=True,
            env=self.environ(env),
            cwd=self.home,
            timeout=300,
            check=False,
        )

    def environ(self, env: dict[str, str] | None = None) -> dict[str, str]:
        """The environment of a run: this one's without its connection variables, HOME and
        the connection variables given."""
        environ = {k: v for k, v in os.environ.items() if not k.startswith(PREFIXES)}
        environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SRC), environ.get("PYTHONPATH")]))
        environ.update(HOME=str(self.home), **self.env, **(env or {}))
        return environ

    def start(self, *args: str, stderr: int = subprocess.PIPE) -> subprocess.Popen[bytes]:
        """Start a command without waiting for it (stdout a pipe, stderr a pipe or `stderr`)."""
        return subprocess.Popen(
            [sys.executable, "-m", "s3wire.cli", *args],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=stderr,
            env=self.environ(),
            cwd=self.home,
        )

    def ok(self, *args: str, stdin: bytes = b"") -> str:
        """Run a command that must succeed; its stdout as text."""
        result = self(*args, stdin=stdin)
        assert result.returncode == 0, (args, result.stdout, result.stderr)
        assert result.stderr == b"", result.stderr
        return result.stdout.decode()


@pytest.fixture
def shell(s3_server: servers.S3Server, tmp_path: Path) -> Shell:
    home = tmp_path / "home"
    home.mkdir()
    return Shell(
        home,
        {
            "S3WIRE_URL": s3_server.url,
            "S3WIRE_ACCESS_KEY": s3_server.access_key,
            "S3WIRE_SECRET_KEY": s3_server.secret_key,
            "S3WIRE_REGION": s3_server.region,
        },
    )


@pytest.fixture
def client(s3_server: servers.S3Server) -> Iterator[s3wire.Client]:
    data = s3wire.get_data_structure(
        s3_server.url, s3_server.access_key, s3_server.secret_key, s3_server.region
    )
    with s3wire.Client(data) as client:
        yield client


@pytest.fixture
def names(client: s3wire.Client) -> Iterator[list[str]]:
    """Bucket names for a test; whichever still exist afterwards are emptied and removed."""
    made = [f"s3wire-sc-{uuid.uuid4().hex[:12]}" for _ in range(2)]
    yield made
    for name in made:
        if client.head_bucket(bucket=name).status == 200:
            delete_every_version(client, name)
            empty_and_delete(client, name)


def test_mb_cp_ls_rm_rb(shell: Shell, names: list[str], tmp_path: Path) -> None:
    bucket, other = names
    photo = shell.home / "cat.jpg"
    photo.write_bytes(os.urandom(50_000))

    assert shell.ok("mb", f"s3://{bucket}") == f"make_bucket: {bucket}\n"
    assert shell.ok("mb", f"s3://{other}") == f"make_bucket: {other}\n"
    listed = shell.ok("ls")
    line = next(line for line in listed.splitlines() if line.endswith(f" {bucket}"))
    assert line[:4].isdigit() and line[10] == " "  # 2024-05-01 12:00:00 name

    # local to S3: into a folder (the file's name), to a key, from stdin
    out = shell.ok("cp", str(photo), f"s3://{bucket}/photos/")
    assert out == f"upload: {photo} to s3://{bucket}/photos/cat.jpg\n"
    shell.ok("cp", "cat.jpg", f"s3://{bucket}/photos/2024/kitten.jpg")
    shell.ok("cp", "-", f"s3://{bucket}/notes.txt", stdin=b"from a pipe\n")

    # ls: one level, with PRE lines and names relative to the folder; --recursive: every key
    top = shell.ok("ls", f"s3://{bucket}").splitlines()
    assert top[0] == f"{'PRE':>30} photos/"
    assert top[1].endswith(f"{12:>10} notes.txt")
    assert shell.ok("ls", f"s3://{bucket}/photos/").splitlines()[0] == f"{'PRE':>30} 2024/"
    assert shell.ok("ls", f"s3://{bucket}/photos/").splitlines()[1].endswith(" 50000 cat.jpg")
    recursive = shell.ok("ls", f"s3://{bucket}", "--recursive").splitlines()
    assert [line.split()[-1] for line in recursive] == [
        "notes.txt",
        "photos/2024/kitten.jpg",
        "photos/cat.jpg",
    ]

    # S3 to local: to a file, into a folder, to stdout
    target = tmp_path / "copy.jpg"
    out = shell.ok("cp", f"s3://{bucket}/photos/cat.jpg", str(target))
    assert out == f"download: s3://{bucket}/photos/cat.jpg to {target}\n"
    assert target.read_bytes() == photo.read_bytes()
    folder = tmp_path / "folder"
    folder.mkdir()
    shell.ok("cp", f"s3://{bucket}/photos/2024/kitten.jpg", str(folder))
    assert (folder / "kitten.jpg").read_bytes() == photo.read_bytes()
    assert shell("cp", f"s3://{bucket}/notes.txt", "-").stdout == b"from a pipe\n"

    # S3 to S3: within a bucket and to another one
    out = shell.ok("cp", f"s3://{bucket}/notes.txt", f"s3://{other}/")
    assert out == f"copy: s3://{bucket}/notes.txt to s3://{other}/notes.txt\n"
    shell.ok("cp", f"s3://{bucket}/notes.txt", f"s3://{bucket}/notes-copy.txt")
    assert shell("cp", f"s3://{other}/notes.txt", "-").stdout == b"from a pipe\n"

    # rm: one key, then a prefix
    assert shell.ok("rm", f"s3://{bucket}/notes-copy.txt") == (
        f"delete: s3://{bucket}/notes-copy.txt\n"
    )
    assert sorted(shell.ok("rm", f"s3://{bucket}/photos/", "--recursive").splitlines()) == [
        f"delete: s3://{bucket}/photos/2024/kitten.jpg",
        f"delete: s3://{bucket}/photos/cat.jpg",
    ]
    assert shell.ok("ls", f"s3://{bucket}", "--recursive").split()[-1] == "notes.txt"

    # rb: refused while not empty, then --force
    refused = shell("rb", f"s3://{bucket}")
    assert refused.returncode == 1
    assert b"BucketNotEmpty" in refused.stderr
    assert shell.ok("rb", f"s3://{bucket}", "--force").splitlines() == [
        f"delete: s3://{bucket}/notes.txt",
        f"remove_bucket: {bucket}",
    ]
    assert f" {bucket}\n" not in shell.ok("ls")


def test_rb_force_removes_versions_markers_and_uploads(
    shell: Shell, names: list[str], client: s3wire.Client
) -> None:
    bucket = names[0]
    shell.ok("mb", f"s3://{bucket}")
    client.put_bucket_versioning(bucket=bucket, status="Enabled").raise_for_status()
    for body in (b"one", b"two"):
        client.put_object(bucket=bucket, key="k", body=body).raise_for_status()
    client.delete_object(bucket=bucket, key="k").raise_for_status()  # a delete marker
    client.create_multipart_upload(bucket=bucket, key="unfinished").raise_for_status()
    lines = shell.ok("rb", f"s3://{bucket}", "--force").splitlines()
    assert len([line for line in lines if line.startswith(f"delete: s3://{bucket}/k ")]) == 3
    assert lines[-1] == f"remove_bucket: {bucket}"
    assert client.head_bucket(bucket=bucket).status == 404


def test_ls_and_rm_follow_every_page(
    shell: Shell, names: list[str], s3_server: servers.S3Server
) -> None:
    bucket = names[0]
    shell.ok("mb", f"s3://{bucket}")
    keys = [f"many/{i:04}" for i in range(1005)]

    def put(chunk: list[str]) -> None:
        data = s3wire.get_data_structure(
            s3_server.url, s3_server.access_key, s3_server.secret_key, s3_server.region
        )
        with s3wire.Client(data) as own:
            for key in chunk:
                own.put_object(bucket=bucket, key=key, body=b"").raise_for_status()

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(put, [keys[i::8] for i in range(8)]))
    listed = json.loads(shell.ok("ls", f"s3://{bucket}/many/", "--output", "json"))
    assert [row["Key"] for row in listed] == keys
    deleted = shell.ok("rm", f"s3://{bucket}", "--recursive").splitlines()
    assert len(deleted) == 1005
    assert shell.ok("ls", f"s3://{bucket}", "--recursive") == ""


def test_shortcut_output_formats(shell: Shell, names: list[str]) -> None:
    bucket = names[0]
    made = json.loads(shell.ok("mb", f"s3://{bucket}", "--output", "json"))
    assert made == [{"operation": "make_bucket", "bucket": bucket}]
    shell.ok("cp", "-", f"s3://{bucket}/dir/a.txt", stdin=b"a")
    shell.ok("cp", "-", f"s3://{bucket}/b.txt", stdin=b"bb")

    rows = json.loads(shell.ok("ls", f"s3://{bucket}", "--output", "json"))
    assert rows[0] == {"Type": "prefix", "Key": "dir/"}
    assert (rows[1]["Type"], rows[1]["Key"], rows[1]["Size"]) == ("object", "b.txt", 2)
    assert yaml.safe_load(shell.ok("ls", f"s3://{bucket}", "--output", "yaml")) == rows
    table = shell.ok("ls", f"s3://{bucket}", "--output", "table").splitlines()
    assert table[0].split() == ["Type", "Key", "Size", "LastModified", "StorageClass"]
    assert table[2].split() == ["prefix", "dir/"]
    assert shell.ok("ls", f"s3://{bucket}", "--recursive", "--query", "0.Key") == "b.txt\n"
    buckets = json.loads(shell.ok("ls", "--output", "json"))
    assert bucket in [row["Name"] for row in buckets]
    copied = yaml.safe_load(
        shell.ok("cp", f"s3://{bucket}/b.txt", f"s3://{bucket}/c.txt", "--output", "yaml")
    )
    assert copied[0]["operation"] == "copy" and copied[0]["etag"]
    removed = shell.ok("rm", f"s3://{bucket}/c.txt", "--output", "table").splitlines()
    assert removed[2].split() == ["delete", f"s3://{bucket}/c.txt"]


def test_api_command_output_formats(shell: Shell, names: list[str]) -> None:
    bucket = names[0]
    shell.ok("mb", f"s3://{bucket}")
    for key in ("a.txt", "b/c.txt"):
        shell.ok("put-object", "--bucket", bucket, "--key", key, "--body", "-", stdin=b"xyz")
    listing = ["list-objects-v2", "--bucket", bucket]
    answer = json.loads(shell.ok(*listing))
    as_yaml = yaml.safe_load(shell.ok(*listing, "--output", "yaml"))
    assert as_yaml["response"] == answer["response"]  # headers differ: Date, request id
    assert as_yaml["headers"].keys() == answer["headers"].keys()
    table = shell.ok(*listing, "--output", "table").splitlines()
    assert table[0].split() == ["Key", "Size", "LastModified", "StorageClass"]
    assert [line.split()[:2] for line in table[2:]] == [["a.txt", "3"], ["b/c.txt", "3"]]
    query = "response.ListBucketResult.Contents.-1.Key"
    assert shell.ok(*listing, "--query", query) == "b/c.txt\n"
    assert shell.ok(*listing, "--query", "response.ListBucketResult.KeyCount") == "2\n"
    contents = shell.ok(
        *listing, "--query", "response.ListBucketResult.Contents", "--output", "table"
    )
    assert contents.splitlines()[2].split()[0] == "a.txt"
    head = shell.ok("head-object", "--bucket", bucket, "--key", "a.txt", "--output", "table")
    assert any(line.split()[:2] == ["status", "200"] for line in head.splitlines())
    buckets = shell.ok("list-buckets", "--output", "table").splitlines()
    assert buckets[0].split() == ["Name", "CreationDate"]
    assert bucket in [line.split()[0] for line in buckets[2:]]


def test_shortcut_errors(shell: Shell, names: list[str], tmp_path: Path) -> None:
    missing = names[0]  # never created
    result = shell("ls", f"s3://{missing}")
    assert result.returncode == 1
    assert result.stdout == b""
    assert b"404 NoSuchBucket" in result.stderr
    target = tmp_path / "never"
    result = shell("cp", f"s3://{missing}/k", str(target))
    assert result.returncode == 1
    assert not target.exists()
    assert shell("rb", f"s3://{missing}").returncode == 1
    assert shell("rm", f"s3://{missing}").returncode == 2  # a bucket is not an object


# --- the AWS chain ---------------------------------------------------------------------------


def write_profile(home: Path, server: servers.S3Server, process: bool) -> None:
    """~/.aws files with a profile `rgw` for the server: keys, or a credential_process."""
    aws = home / ".aws"
    aws.mkdir()
    config = (
        f"[profile rgw]\nregion = {server.region}\nendpoint_url = {server.url}\n"
        "s3 =\n  addressing_style = path\n"
    )
    if process:
        script = home / "credentials.py"
        answer = {
            "Version": 1,
            "AccessKeyId": server.access_key,
            "SecretAccessKey": server.secret_key,
        }
        script.write_text(f"print({json.dumps(json.dumps(answer))})\n", encoding="utf-8")
        config += f"credential_process = {shlex.quote(sys.executable)} {shlex.quote(str(script))}\n"
    else:
        (aws / "credentials").write_text(
            f"[rgw]\naws_access_key_id = {server.access_key}\n"
            f"aws_secret_access_key = {server.secret_key}\n",
            encoding="utf-8",
        )
    (aws / "config").write_text(config, encoding="utf-8")


@pytest.mark.parametrize("process", [False, True], ids=["keys", "credential_process"])
def test_profiles(
    s3_server: servers.S3Server, tmp_path: Path, names: list[str], process: bool
) -> None:
    shell = Shell(tmp_path, {})
    write_profile(tmp_path, s3_server, process)
    bucket = names[0]
    assert shell.ok("mb", f"s3://{bucket}", "--profile", "rgw") == f"make_bucket: {bucket}\n"
    shell.env = {"AWS_PROFILE": "rgw"}
    assert f" {bucket}" in shell.ok("ls")
    missing = Shell(tmp_path, {})("ls")
    assert missing.returncode == 2
    assert b"no connection data" in missing.stderr


def test_environment_variables_of_the_aws_chain(
    s3_server: servers.S3Server, tmp_path: Path, names: list[str]
) -> None:
    shell = Shell(
        tmp_path,
        {
            "AWS_ENDPOINT_URL_S3": s3_server.url,
            "AWS_ENDPOINT_URL": "http://127.0.0.1:1",  # the S3 one wins
            "AWS_ACCESS_KEY_ID": s3_server.access_key,
            "AWS_SECRET_ACCESS_KEY": s3_server.secret_key,
            "AWS_DEFAULT_REGION": s3_server.region,
        },
    )
    bucket = names[0]
    shell.ok("mb", f"s3://{bucket}")
    assert json.loads(shell.ok("head-bucket", "--bucket", bucket))["status"] == 200


def test_client_from_env(
    s3_server: servers.S3Server, tmp_path: Path, names: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in list(os.environ):
        if name.startswith(PREFIXES):
            monkeypatch.delenv(name)
    monkeypatch.setenv("HOME", str(tmp_path))
    write_profile(tmp_path, s3_server, process=True)
    bucket = names[0]
    with s3wire.Client.from_env(profile="rgw") as client:
        client.create_bucket(bucket=bucket).raise_for_status()
        client.put_object(bucket=bucket, key="k", body=b"v").raise_for_status()
        assert client.get_object(bucket=bucket, key="k").body == b"v"
    answer: dict[str, Any] = {}
    monkeypatch.setenv("AWS_PROFILE", "rgw")
    with s3wire.Client.from_env() as client:
        answer = client.head_object(bucket=bucket, key="k").to_dict()
    assert answer["status"] == 200


def test_cp_sends_the_object_options_and_the_sse_c_key_both_ways(
    shell: Shell, names: list[str], client: s3wire.Client
) -> None:
    bucket = names[0]
    shell.ok("mb", f"s3://{bucket}")
    (shell.home / "page.html").write_bytes(b"<p>hi</p>")
    key = os.urandom(32)
    (shell.home / "sse.key").write_bytes(key)
    sse_c = ("--sse-c", "--sse-c-key", "fileb://sse.key")
    shell.ok(
        "cp", "page.html", f"s3://{bucket}/p", "--metadata", "owner=ada,team=web",
        "--cache-control", "no-cache", "--content-language", "fr", "--storage-class",
        "STANDARD", "--acl", "private", *sse_c,
    )  # fmt: skip
    assert client.head_object(bucket=bucket, key="p").status == 400  # encrypted: needs the key
    reads = ObjectArgs(sse_customer_key=key).each_request()
    head = client.head_object(bucket=bucket, key="p", **reads).raise_for_status()
    assert head.headers["Content-Type"] == "text/html"  # guessed from the name
    assert head.fields["metadata"] == {"owner": "ada", "team": "web"}
    assert head.headers["Cache-Control"] == "no-cache"
    assert head.headers["Content-Language"] == "fr"
    shell.ok("cp", f"s3://{bucket}/p", "back.html", *sse_c)
    assert (shell.home / "back.html").read_bytes() == b"<p>hi</p>"
    assert shell("cp", f"s3://{bucket}/p", "no.html").returncode != 0  # no key: refused
    refused = shell("cp", "page.html", f"s3://{bucket}/q", "--storage-class", "COLD")
    assert refused.returncode != 0 and b"storage_class" in refused.stderr
    alone = shell("cp", "page.html", f"s3://{bucket}/q", "--sse-c-key", "k" * 32)
    assert alone.returncode != 0 and b"--sse-c" in alone.stderr and b"k" * 32 not in alone.stderr
