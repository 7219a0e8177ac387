"""sync against the real server, driven as a user would (`python -m s3wire.cli` in a
subprocess): up, a re-sync that transfers nothing, one changed file, --delete, down, --dryrun."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import servers
from cleanup import empty_and_delete
from test_cli_shortcuts_server import Shell

import s3wire


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
def bucket(client: s3wire.Client) -> Iterator[str]:
    name = f"s3wire-sync-{uuid.uuid4().hex[:12]}"
    client.create_bucket(bucket=name).raise_for_status()
    yield name
    empty_and_delete(client, name)


def keys(client: s3wire.Client, bucket: str) -> dict[str, int]:
    return {item["Key"]: item["Size"] for item in s3wire.paginate.objects(client, bucket)}


def write(root: Path, files: dict[str, bytes]) -> None:
    for name, body in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(body)


def test_sync_up_again_changed_delete_down_and_dryrun(
    shell: Shell, client: s3wire.Client, bucket: str
) -> None:
    src = shell.home / "src"
    files = {f"f{i:02}.txt": os.urandom(100 + i) for i in range(12)}
    files |= {"sub/deep/x.bin": os.urandom(70_000), "skip.tmp": b"t"}
    write(src, files)
    (src / "outside").symlink_to("/etc")
    target = f"s3://{bucket}/p"

    dry = shell("sync", "src", target, "--dryrun", "--exclude", "*.tmp")
    assert dry.returncode == 0, dry.stderr
    assert b"(dryrun) upload: src/f00.txt to " + target.encode() + b"/f00.txt\n" in dry.stdout
    assert keys(client, bucket) == {}  # dryrun changed nothing

    result = shell("sync", "src", target, "--exclude", "*.tmp", "--concurrency", "4")
    assert result.returncode == 0, result.stderr
    assert b"warning: skipping src/outside: a link to /etc" in result.stderr
    (src / "outside").unlink()
    out = result.stdout.decode().splitlines()
    assert out[-1].startswith("sync: 13 transferred (")
    assert out[-1].endswith(" 0 deleted, 0 unchanged, 0 failed")
    expected = {f"p/{name}": len(body) for name, body in files.items() if name != "skip.tmp"}
    assert keys(client, bucket) == expected

    again = shell("sync", "src", target, "--exclude", "*.tmp").stdout.decode().splitlines()
    assert again == ["sync: 0 transferred (0 Bytes), 0 deleted, 13 unchanged, 0 failed"]

    before = (src / "f03.txt").stat().st_mtime
    (src / "f03.txt").write_bytes(b"changed")  # another size, however old
    os.utime(src / "f03.txt", (before, before))
    changed = shell("sync", "src", target, "--exclude", "*.tmp").stdout.decode().splitlines()
    assert changed == [
        f"upload: src/f03.txt to {target}/f03.txt",
        "sync: 1 transferred (7 Bytes), 0 deleted, 12 unchanged, 0 failed",
    ]

    (src / "f04.txt").unlink()
    (src / "f05.txt").unlink()
    dry = shell.ok("sync", "src", target, "--delete", "--exclude", "*.tmp", "--dryrun")
    assert f"(dryrun) delete: {target}/f04.txt\n" in dry
    assert "p/f04.txt" in keys(client, bucket)
    deleted = shell("sync", "src", target, "--delete", "--exclude", "*.tmp", "--exclude", "f05*")
    assert deleted.returncode == 0, deleted.stderr
    assert deleted.stdout.decode().splitlines() == [
        f"delete: {target}/f04.txt",
        "sync: 0 transferred (0 Bytes), 1 deleted, 11 unchanged, 0 failed",
    ]
    assert "p/f04.txt" not in keys(client, bucket) and "p/f05.txt" in keys(client, bucket)

    down = shell.ok("sync", target, "down", "--concurrency", "3").splitlines()
    assert down[-1] == "sync: 12 transferred (69.4 KiB), 0 deleted, 0 unchanged, 0 failed"
    assert (shell.home / "down/sub/deep/x.bin").read_bytes() == files["sub/deep/x.bin"]
    assert (shell.home / "down/f03.txt").read_bytes() == b"changed"
    assert shell.ok("sync", target, "down").splitlines() == [
        "sync: 0 transferred (0 Bytes), 0 deleted, 12 unchanged, 0 failed"
    ]
    (shell.home / "down/f03.txt").unlink()
    (shell.home / "down/stray").write_bytes(b"s")
    before = sorted(os.listdir(shell.home / "down"))
    shell.ok("sync", target, "down", "--delete", "--dryrun")
    assert sorted(os.listdir(shell.home / "down")) == before
    final = shell.ok("sync", target, "down", "--delete").splitlines()
    assert sorted(final[:-1]) == [
        "delete: down/stray",
        f"download: {target}/f03.txt to down/f03.txt",
    ]


def test_sync_between_prefixes_and_exit_codes(
    shell: Shell, client: s3wire.Client, bucket: str
) -> None:
    client.put_object(bucket=bucket, key="a/one", body=b"1").raise_for_status()
    client.put_object(bucket=bucket, key="a/two/2", body=b"22").raise_for_status()
    out = shell.ok("sync", f"s3://{bucket}/a", f"s3://{bucket}/b/").splitlines()
    assert out[-1] == "sync: 2 transferred (3 Bytes), 0 deleted, 0 unchanged, 0 failed"
    assert keys(client, bucket) == {"a/one": 1, "a/two/2": 2, "b/one": 1, "b/two/2": 2}
    assert shell("sync", "nowhere", f"s3://{bucket}").returncode == 2
    missing = shell("sync", f"s3://{bucket}-missing", "down")
    assert missing.returncode == 1 and b"NoSuchBucket" in missing.stderr


def test_cp_mv_rm_recursive_and_ls_summarize(
    shell: Shell, client: s3wire.Client, bucket: str
) -> None:
    write(shell.home / "src", {"a.txt": b"a" * 2000, "d/b.txt": b"b", "d/c.log": b"c"})
    out = shell.ok("cp", "--recursive", "src", f"s3://{bucket}/c", "--exclude", "*.log")
    assert out.splitlines()[-1] == "cp: 2 transferred (2.0 KiB), 0 failed"
    listed = shell.ok("ls", f"s3://{bucket}", "--recursive", "--human-readable", "--summarize")
    assert listed.splitlines()[-3:] == ["", "Total Objects: 2", "   Total Size: 2.0 KiB"]
    assert listed.splitlines()[0].endswith("    2.0 KiB c/a.txt")

    moved = shell.ok("mv", "--recursive", f"s3://{bucket}/c", f"s3://{bucket}/m")
    assert sorted(moved.splitlines()[:-1]) == [
        f"move: s3://{bucket}/c/a.txt to s3://{bucket}/m/a.txt",
        f"move: s3://{bucket}/c/d/b.txt to s3://{bucket}/m/d/b.txt",
    ]
    assert keys(client, bucket) == {"m/a.txt": 2000, "m/d/b.txt": 1}
    shell.ok("mv", "src/d/c.log", f"s3://{bucket}/m/d/")
    assert not (shell.home / "src/d/c.log").exists()

    dry = shell.ok("rm", "--recursive", f"s3://{bucket}/m/", "--exclude", "*.txt", "--dryrun")
    assert dry == f"(dryrun) delete: s3://{bucket}/m/d/c.log\n"
    assert len(keys(client, bucket)) == 3
    gone = shell.ok("rm", "--recursive", f"s3://{bucket}/m/", "--exclude", "*", "--include", "d/*")
    assert sorted(gone.splitlines()) == [
        f"delete: s3://{bucket}/m/d/b.txt",
        f"delete: s3://{bucket}/m/d/c.log",
    ]
    assert keys(client, bucket) == {"m/a.txt": 2000}
