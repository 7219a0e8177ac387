"""sync against the real server, driven as a user would (`python -m s3wire.cli` in a
subprocess): up, a re-sync that transfers nothing, one changed file, --delete, down, --dryrun."""

from __future__ import annotations

import contextlib
import os
import pty
import shutil
import signal
import time
import urllib.request
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
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
    name = f"cli-sync-{uuid.uuid4().hex[:12]}"
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
    final = shell.ok("sync", target, "down", "--delete", "--no-fsync").splitlines()
    assert sorted(final[:-1]) == [
        "delete: down/stray",
        f"download: {target}/f03.txt to down/f03.txt",
    ]
    assert (shell.home / "down/f03.txt").read_bytes() == b"changed"


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


def same_size_and_time(path: Path, body: bytes) -> None:
    """Write other bytes of the same size into path, its mtime kept."""
    before = path.stat()
    assert len(body) == before.st_size
    path.write_bytes(body)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))


def test_checksum_copies_what_size_and_time_miss(
    shell: Shell, client: s3wire.Client, bucket: str
) -> None:
    src = shell.home / "src"
    small, big = os.urandom(300), os.urandom(6 * 1024 * 1024 + 7)
    write(src, {"a.txt": small, "same.txt": b"same", "big.bin": big})
    target = f"s3://{bucket}/p"
    shell.ok("sync", "src", target, "--exclude", "big.bin")
    client.upload_file(bucket, "p/big.bin", str(src / "big.bin"), part_size=5 * 1024 * 1024)
    listed = {item["Key"]: item["ETag"] for item in s3wire.paginate.objects(client, bucket)}
    assert listed["p/big.bin"].endswith('-2"')  # a multipart ETag
    old = 1_600_000_000  # older than the objects
    os.utime(src / "big.bin", (old, old))
    unchanged = "sync: 0 transferred (0 Bytes), 0 deleted, 3 unchanged, 0 failed"
    assert shell.ok("sync", "src", target, "--checksum").splitlines() == [unchanged]
    new = time.time() + 3600  # newer than the objects: their content says they are the same
    os.utime(src / "big.bin", (new, new))
    os.utime(src / "same.txt", (new, new))
    assert len(shell.ok("sync", "src", target, "--dryrun").splitlines()) == 3
    dry = shell.ok("sync", "src", target, "--dryrun", "--checksum").splitlines()
    assert dry == ["(dryrun) sync: 0 to transfer (0 Bytes), 0 to delete, 3 unchanged"]
    for name in ("big.bin", "same.txt"):
        os.utime(src / name, (old, old))

    same_size_and_time(src / "a.txt", os.urandom(300))
    flipped = bytearray(big)
    flipped[-1] ^= 1
    same_size_and_time(src / "big.bin", bytes(flipped))
    assert shell.ok("sync", "src", target).splitlines() == [unchanged]  # size and time agree
    out = shell.ok("sync", "src", target, "--checksum").splitlines()
    assert sorted(out[:-1]) == [
        f"upload: src/a.txt to {target}/a.txt",
        f"upload: src/big.bin to {target}/big.bin",
    ]
    assert out[-1].endswith(" 0 deleted, 1 unchanged, 0 failed")
    assert client.get_object(bucket=bucket, key="p/a.txt").body == (src / "a.txt").read_bytes()

    down = shell.home / "down"
    shell.ok("sync", target, "down")
    same_size_and_time(down / "a.txt", b"x" * 300)
    assert shell.ok("sync", target, "down").splitlines() == [unchanged]
    got = shell.ok("sync", target, "down", "--checksum").splitlines()
    assert got == [
        f"download: {target}/a.txt to down/a.txt",
        "sync: 1 transferred (300 Bytes), 0 deleted, 2 unchanged, 0 failed",
    ]
    assert (down / "a.txt").read_bytes() == (src / "a.txt").read_bytes()

    shell.ok("sync", target, f"s3://{bucket}/copy")
    assert shell.ok("sync", target, f"s3://{bucket}/copy", "--checksum").splitlines() == [
        unchanged  # the same ETags
    ]


def on_a_terminal(shell: Shell, *args: str) -> tuple[int, bytes, bytes]:
    """Run s3wire with its stderr on a pseudo-terminal: (exit status, stdout, what the
    terminal got)."""
    leader, follower = pty.openpty()
    with shell.start(*args, stderr=follower) as process:
        os.close(follower)
        screen = b""
        with contextlib.suppress(OSError):  # EIO once the child has closed the terminal
            while chunk := os.read(leader, 65536):
                screen += chunk
        out = process.stdout.read() if process.stdout else b""
        status = process.wait(timeout=300)
    os.close(leader)
    return status, out, screen


def test_the_progress_display_is_on_a_terminal_only(
    shell: Shell, client: s3wire.Client, bucket: str
) -> None:
    write(shell.home / "src", {f"f{i}": os.urandom(1000) for i in range(30)})
    target = f"s3://{bucket}/p"
    status, out, screen = on_a_terminal(shell, "sync", "src", target, "--concurrency", "2")
    assert status == 0, screen
    assert out.decode().splitlines()[-1].startswith("sync: 30 transferred")
    # the terminal ends lines with \r\n; the display redraws its line after a \r
    last = screen.replace(b"\r\n", b"\n").rpartition(b"\r")[2]
    assert last.startswith(b"[" + b"#" * 30 + b"] 100%  30/30 files  0.0/0.0 MiB  ")
    assert last.endswith(b" MiB/s\n")  # the last counts drawn, then the line ended
    assert b"MiB/s" in screen and b"\x1b[K" in screen  # erased for each line printed

    for quiet in ("--no-progress", "--only-show-errors"):
        status, out, screen = on_a_terminal(shell, "cp", "--recursive", "src", target, quiet)
        assert (status, screen) == (0, b"")
    status, out, screen = on_a_terminal(shell, "rm", "--recursive", target)
    assert status == 0 and out.count(b"delete: ") == 30
    assert b"] 100%  30/30 files" in screen
    shell.ok("cp", "--recursive", "src", target)
    assert shell.ok("rm", "--recursive", target, "--only-show-errors") == ""
    assert keys(client, bucket) == {}
    result = shell("sync", "src", target)  # not a terminal: no display
    assert result.returncode == 0 and result.stderr == b""


def local_tree(root: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(root)): path.read_bytes() for path in root.rglob("*") if path.is_file()
    }


def done(root: Path) -> list[Path]:
    """The files in place under root (not the temporary files of downloads under way)."""
    return [path for path in root.rglob("*") if path.is_file() and not path.name.startswith(".")]


def test_an_interrupted_sync_run_again_completes_and_leaves_no_partial_file(
    shell: Shell, client: s3wire.Client, bucket: str
) -> None:
    files = {f"d{i % 3}/f{i:03}": os.urandom(40_000 + i) for i in range(150)}
    with ThreadPoolExecutor(8) as pool:
        for answer in pool.map(
            lambda item: client.put_object(bucket=bucket, key=f"p/{item[0]}", body=item[1]),
            files.items(),
        ):
            answer.raise_for_status()
    source, down = f"s3://{bucket}/p", shell.home / "down"
    for concurrency in ("1", "4"):
        shutil.rmtree(down, ignore_errors=True)
        process = shell.start("sync", source, "down", "--concurrency", concurrency)
        deadline = time.monotonic() + 60
        while len(done(down)) < 10 and time.monotonic() < deadline:
            time.sleep(0.01)
        process.send_signal(signal.SIGINT)  # Ctrl-C, mid-way
        _, err = process.communicate(timeout=120)
        assert process.returncode == 130, err
        assert err.endswith(b"s3wire: error: interrupted\n")
        got = local_tree(down)
        assert 10 <= len(got) < len(files)  # stopped mid-way
        assert all(files[name] == body for name, body in got.items())  # each whole, no .part
        again = shell.ok("sync", source, "down").splitlines()
        assert again[-1].startswith(f"sync: {len(files) - len(got)} transferred")
        assert local_tree(down) == files

    # A file that fails (a file where its folder goes): reported, the rest carried on.
    shutil.rmtree(down / "d1")
    (down / "d1").write_bytes(b"in the way")
    failed = shell("sync", source, "down")
    assert failed.returncode == 1
    assert failed.stderr.count(b"download failed: ") == 50
    assert failed.stdout.decode().splitlines()[-1].endswith(" 100 unchanged, 50 failed")
    (down / "d1").unlink()
    assert shell.ok("sync", source, "down").splitlines()[-1].startswith("sync: 50 transferred")
    assert local_tree(down) == files

    # What a killed (SIGKILL) download leaves is neither uploaded nor taken for a file.
    (down / "d0" / ".f000.0123456789ab.part").write_bytes(b"half")
    assert shell.ok("sync", source, "down", "--delete").splitlines() == [
        "sync: 0 transferred (0 Bytes), 0 deleted, 150 unchanged, 0 failed"
    ]
    up = shell("sync", "down", f"s3://{bucket}/back")
    assert up.returncode == 0
    assert b"skipping down/d0/.f000.0123456789ab.part: the temporary file of an" in up.stderr
    assert len(keys(client, bucket)) == 300


def test_cat_streams_an_object_and_presign_links_one(
    shell: Shell, client: s3wire.Client, bucket: str
) -> None:
    body = os.urandom(300_000)
    client.put_object(bucket=bucket, key="k/data.bin", body=body).raise_for_status()
    got = shell("cat", f"s3://{bucket}/k/data.bin")
    assert (got.returncode, got.stdout, got.stderr) == (0, body, b"")
    missing = shell("cat", f"s3://{bucket}/k/none")
    assert (missing.returncode, missing.stdout) == (1, b"")
    assert b"NoSuchKey" in missing.stderr
    link = shell.ok("presign", f"s3://{bucket}/k/data.bin", "--expires-in", "60").strip()
    assert "X-Amz-Expires=60" in link
    with urllib.request.urlopen(link, timeout=30) as answer:
        assert answer.read() == body
