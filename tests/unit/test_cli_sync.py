"""sync, cp/mv --recursive, rm --recursive and ls --summarize against a small S3 in memory
(the real behaviour is in tests/integration/test_cli_sync_server.py)."""

from __future__ import annotations

import hashlib
import io
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from memory_s3 import MemoryS3
from recording import disk_events

from s3wire.cli import samecontent, synctree
from s3wire.cli.errors import EXIT_ERROR_ANSWER, EXIT_OK, EXIT_USAGE
from s3wire.cli.filters import included
from s3wire.cli.main import main
from s3wire.cli.sizes import human
from s3wire.errors import ResponseError


@pytest.fixture(autouse=True)
def environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    for name, value in {
        "S3WIRE_URL": "http://127.0.0.1:7480",
        "S3WIRE_ACCESS_KEY": "AKIDEXAMPLE",
        "S3WIRE_SECRET_KEY": "secret",
        "S3WIRE_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)


@pytest.fixture
def s3() -> MemoryS3:
    return MemoryS3(page=2)  # small pages: the listing is walked across several


def tree(root: Path, files: dict[str, bytes], mtime: float = 1_600_000_000.0) -> Path:
    for name, body in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(body)
        os.utime(path, (mtime, mtime))
    return root


def run(s3: MemoryS3, *argv: str) -> int:
    return main(list(argv), transport=s3.transport())


def lines(capsys: pytest.CaptureFixture[str]) -> list[str]:
    return capsys.readouterr().out.splitlines()


FILES = {"a.txt": b"a", "d/b.txt": b"bb", "d-e.txt": b"c", "d/z/c.bin": b"ccc"}


def test_sync_up_then_nothing_then_the_one_changed(
    s3: MemoryS3, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    tree(tmp_path / "src", FILES)
    assert run(s3, "sync", "src", "s3://b/p") == EXIT_OK
    out = lines(capsys)
    assert sorted(out[:-1]) == sorted(f"upload: src/{name} to s3://b/p/{name}" for name in FILES)
    assert out[-1] == "sync: 4 transferred (7 Bytes), 0 deleted, 0 unchanged, 0 failed"
    assert {s3.objects["b", "p/" + name].body for name in FILES} == set(FILES.values())
    s3.log.clear()
    assert run(s3, "sync", "src", "s3://b/p/") == EXIT_OK
    assert lines(capsys) == ["sync: 0 transferred (0 Bytes), 0 deleted, 4 unchanged, 0 failed"]
    assert s3.log == []  # one listing, no request on any object
    tree(tmp_path / "src", {"d/b.txt": b"BB"}, mtime=s3.now + 10)  # same size, newer
    assert run(s3, "sync", "src", "s3://b/p") == EXIT_OK
    assert lines(capsys)[0] == "upload: src/d/b.txt to s3://b/p/d/b.txt"
    assert s3.objects["b", "p/d/b.txt"].body == b"BB"


def test_size_only_and_an_older_source_of_another_size(
    s3: MemoryS3, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    tree(tmp_path / "src", {"a": b"new"}, mtime=s3.now + 10)
    s3.put("b", "a", b"old")
    assert run(s3, "sync", "src", "s3://b", "--size-only") == EXIT_OK
    assert lines(capsys)[-1].endswith("1 unchanged, 0 failed")
    tree(tmp_path / "src", {"a": b"longer"}, mtime=s3.now - 10)
    assert run(s3, "sync", "src", "s3://b") == EXIT_OK
    assert lines(capsys)[0] == "upload: src/a to s3://b/a"


def test_delete_spares_what_the_filters_leave_out(
    s3: MemoryS3, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    tree(tmp_path / "src", {"keep.txt": b"k"})
    for key in ("p/keep.txt", "p/old.txt", "p/old.log", "p/sub/old.txt", "q/other.txt"):
        s3.put("b", key, b"x")
    code = run(s3, "sync", "src", "s3://b/p", "--delete", "--exclude", "*.log", "--size-only")
    assert code == EXIT_OK
    out = lines(capsys)
    assert out[:-1] == ["delete: s3://b/p/old.txt", "delete: s3://b/p/sub/old.txt"]
    assert out[-1] == "sync: 0 transferred (0 Bytes), 2 deleted, 1 unchanged, 0 failed"
    assert s3.keys("b") == ["p/keep.txt", "p/old.log", "q/other.txt"]


def test_dryrun_prints_what_it_would_do_and_does_nothing(
    s3: MemoryS3, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    tree(tmp_path / "src", {"a.txt": b"a"})
    s3.put("b", "p/gone.txt", b"g")
    assert run(s3, "sync", "src", "s3://b/p", "--delete", "--dryrun") == EXIT_OK
    assert lines(capsys) == [
        "(dryrun) upload: src/a.txt to s3://b/p/a.txt",
        "(dryrun) delete: s3://b/p/gone.txt",
        "(dryrun) sync: 1 to transfer (1 Byte), 1 to delete, 0 unchanged",
    ]
    assert s3.keys("b") == ["p/gone.txt"]
    assert run(s3, "sync", "s3://b/p", "down", "--dryrun") == EXIT_OK
    assert not (tmp_path / "down").exists()


def test_sync_down_sets_times_and_resyncs_nothing(
    s3: MemoryS3, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    for key in ("p/a.txt", "p/d/b.txt", "p/folder/", "other"):
        s3.put("b", key, b"data")
    tree(tmp_path / "down", {"stale.txt": b"s"})
    s3.log.clear()
    assert run(s3, "sync", "s3://b/p", "down", "--delete") == EXIT_OK
    assert sorted(s3.log) == [("GET", "p/a.txt"), ("GET", "p/d/b.txt")]  # the listing told
    assert sorted(lines(capsys)[:-1]) == [
        "delete: down/stale.txt",
        "download: s3://b/p/a.txt to down/a.txt",
        "download: s3://b/p/d/b.txt to down/d/b.txt",
    ]
    assert (tmp_path / "down/d/b.txt").read_bytes() == b"data"
    assert not (tmp_path / "down/stale.txt").exists()
    assert int((tmp_path / "down/a.txt").stat().st_mtime) == int(s3.now)
    assert run(s3, "sync", "s3://b/p", "down") == EXIT_OK
    assert lines(capsys) == ["sync: 0 transferred (0 Bytes), 0 deleted, 2 unchanged, 0 failed"]
    os.utime(tmp_path / "down/a.txt", (s3.now - 100, s3.now - 100))
    assert run(s3, "sync", "s3://b/p", "down") == EXIT_OK  # the object is newer
    assert lines(capsys)[0] == "download: s3://b/p/a.txt to down/a.txt"
    os.utime(tmp_path / "down/a.txt", (s3.now + 100, s3.now + 100))
    assert run(s3, "sync", "s3://b/p", "down") == EXIT_OK
    assert lines(capsys)[-1].endswith("2 unchanged, 0 failed")
    assert run(s3, "sync", "s3://b/p", "down", "--exact-timestamps") == EXIT_OK
    assert lines(capsys)[0] == "download: s3://b/p/a.txt to down/a.txt"


def test_sync_between_prefixes_copies_server_side(
    s3: MemoryS3, capsys: pytest.CaptureFixture[str]
) -> None:
    s3.put("b", "p/a", b"1")
    s3.put("b", "p/c/d", b"2")
    assert run(s3, "sync", "s3://b/p", "s3://c/q") == EXIT_OK
    assert sorted(lines(capsys)[:-1]) == [
        "copy: s3://b/p/a to s3://c/q/a",
        "copy: s3://b/p/c/d to s3://c/q/c/d",
    ]
    assert s3.keys("c") == ["q/a", "q/c/d"]
    assert run(s3, "sync", "s3://b/p", "s3://c/q") == EXIT_OK
    assert lines(capsys)[-1].endswith("2 unchanged, 0 failed")


def test_links_are_followed_inside_the_folder_only(
    s3: MemoryS3, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    tree(tmp_path / "outside", {"secret": b"s"})
    src = tree(tmp_path / "src", {"d/f": b"f"})
    (src / "in").symlink_to("d")
    (src / "out").symlink_to(tmp_path / "outside")
    (src / "d/loop").symlink_to("..")
    assert run(s3, "sync", "src", "s3://b") == EXIT_OK
    captured = capsys.readouterr()
    assert s3.keys("b") == ["d/f", "in/f"]
    assert "warning: skipping src/out: a link to" in captured.err
    assert "warning: skipping src/d/loop: a link back into" in captured.err
    assert run(s3, "sync", "src", "s3://c", "--no-follow-symlinks") == EXIT_OK
    assert s3.keys("c") == ["d/f"]
    assert capsys.readouterr().err == ""


def test_a_failed_file_is_reported_and_the_rest_carried_on(
    s3: MemoryS3, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    for key in ("p/a", "p/../evil", "p/z"):
        s3.put("b", key, b"x")
    assert run(s3, "sync", "s3://b/p", "down") == EXIT_ERROR_ANSWER
    captured = capsys.readouterr()
    assert "download failed: s3://b/p/../evil to ./evil: refusing key" in captured.err
    assert captured.out.splitlines()[-1].endswith("0 unchanged, 1 failed")
    assert sorted(os.listdir(tmp_path / "down")) == ["a", "z"]
    assert not (tmp_path / "evil").exists()


@pytest.mark.parametrize(
    "argv",
    [
        ["sync", "a", "b"],
        ["sync", "missing", "s3://b"],
        ["sync", "s3://b", "s3://c", "--size-only", "--concurrency", "0"],
        ["sync", "s3://b", "d", "--follow-symlinks", "--no-follow-symlinks"],
    ],
)
def test_usage_errors_exit_2(s3: MemoryS3, argv: list[str]) -> None:
    assert run(s3, *argv) == EXIT_USAGE


def reference(path: str, filters: list[tuple[str, str]]) -> bool:
    """aws s3's rule, literally: start included, each filter in turn that matches decides."""
    import fnmatch

    state = True
    for kind, pattern in filters:
        if fnmatch.fnmatchcase(path, pattern):
            state = kind == "include"
    return state


PATTERNS = st.sampled_from(["*", "*.txt", "a*", "d/*", "*/b*", "?.txt", "[ab]*", "d/z/*"])
PATHS = st.sampled_from(["a.txt", "b.log", "d/b.txt", "d/z/c.bin", "d-e.txt", "ab"])


@given(st.lists(st.tuples(st.sampled_from(["include", "exclude"]), PATTERNS), max_size=6), PATHS)
def test_the_last_matching_filter_wins(filters: list[tuple[str, str]], path: str) -> None:
    ours = [(kind == "include", pattern) for kind, pattern in filters]
    assert included(path, ours) == reference(path, filters)


def test_filters_reach_the_command_in_order(
    s3: MemoryS3, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    tree(tmp_path / "src", FILES)
    argv = ["--exclude", "*", "--include", "d/*", "--exclude", "*.bin"]
    assert run(s3, "sync", "src", "s3://b", *argv) == EXIT_OK
    assert s3.keys("b") == ["d/b.txt"]


def test_human_sizes() -> None:
    assert [human(n) for n in (0, 1, 1023, 1024, 1536, 5 * 2**30)] == [
        "0 Bytes",
        "1 Byte",
        "1023 Bytes",
        "1.0 KiB",
        "1.5 KiB",
        "5.0 GiB",
    ]


def test_cp_recursive_copies_everything_again(
    s3: MemoryS3, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    tree(tmp_path / "src", FILES)
    assert run(s3, "cp", "src", "s3://b/p/", "--recursive", "--exclude", "*.bin") == EXIT_OK
    assert s3.keys("b") == ["p/a.txt", "p/d-e.txt", "p/d/b.txt"]
    capsys.readouterr()
    assert run(s3, "cp", "src", "s3://b/p/", "--recursive", "--exclude", "*.bin") == EXIT_OK
    assert lines(capsys)[-1] == "cp: 3 transferred (4 Bytes), 0 failed"
    assert run(s3, "cp", "--recursive", "s3://b/p", "down", "--only-show-errors") == EXIT_OK
    assert capsys.readouterr().out == ""
    assert (tmp_path / "down/d/b.txt").read_bytes() == b"bb"
    assert run(s3, "cp", "src", "s3://b/p/", "--exclude", "*") == EXIT_USAGE
    assert "need --recursive" in capsys.readouterr().err
    assert run(s3, "cp", "src", "s3://b/p/") == EXIT_USAGE
    assert "is a folder; cp copies one file without --recursive" in capsys.readouterr().err


def test_mv_deletes_the_source_once_copied(
    s3: MemoryS3, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    tree(tmp_path, {"one.txt": b"1"})
    assert run(s3, "mv", "one.txt", "s3://b/") == EXIT_OK
    assert lines(capsys) == ["move: one.txt to s3://b/one.txt"]
    assert not (tmp_path / "one.txt").exists() and s3.keys("b") == ["one.txt"]
    assert run(s3, "mv", "s3://b/one.txt", "s3://c/") == EXIT_OK
    assert s3.keys("b") == [] and s3.keys("c") == ["one.txt"]
    assert run(s3, "mv", "s3://c/one.txt", "s3://c/") == EXIT_USAGE  # onto itself
    assert s3.keys("c") == ["one.txt"]
    assert run(s3, "mv", "s3://c/one.txt", "back.txt") == EXIT_OK
    assert (tmp_path / "back.txt").read_bytes() == b"1" and s3.keys("c") == []


def test_mv_recursive_deletes_only_what_was_copied(
    s3: MemoryS3, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    for key in ("p/a", "p/keep.log", "p/../bad", "p/d/b"):
        s3.put("b", key, b"x")
    assert run(s3, "mv", "--recursive", "s3://b/p", "down", "--exclude", "*.log") == 1
    captured = capsys.readouterr()
    assert "move failed: s3://b/p/../bad" in captured.err
    assert captured.out.splitlines()[-1] == ("mv: 2 transferred (2 Bytes), 1 failed")
    assert s3.keys("b") == ["p/../bad", "p/keep.log"]
    assert run(s3, "mv", "--recursive", "down", "s3://c/q") == EXIT_OK
    assert s3.keys("c") == ["q/a", "q/d/b"]
    assert os.listdir(tmp_path / "down") == ["d"]  # the folders stay, as with aws s3 mv
    assert run(s3, "mv", "--recursive", "s3://c/q", "s3://c/q/sub") == EXIT_USAGE


def test_rm_recursive_filters_and_dryrun(s3: MemoryS3, capsys: pytest.CaptureFixture[str]) -> None:
    for key in ("p/a.txt", "p/b.log", "p/d/c.txt", "q/a.txt"):
        s3.put("b", key, b"x")
    assert run(s3, "rm", "--recursive", "s3://b/p/", "--exclude", "*.log", "--dryrun") == 0
    assert lines(capsys) == ["(dryrun) delete: s3://b/p/a.txt", "(dryrun) delete: s3://b/p/d/c.txt"]
    assert len(s3.keys("b")) == 4
    argv = ["--exclude", "*", "--include", "d/*"]
    assert run(s3, "rm", "--recursive", "s3://b/p/", *argv) == EXIT_OK
    assert lines(capsys) == ["delete: s3://b/p/d/c.txt"]
    assert s3.keys("b") == ["p/a.txt", "p/b.log", "q/a.txt"]
    assert run(s3, "rm", "s3://b/p/a.txt", "--dryrun") == EXIT_OK
    assert lines(capsys) == ["(dryrun) delete: s3://b/p/a.txt"]
    assert run(s3, "rm", "s3://b/p/a.txt", "--exclude", "*") == EXIT_USAGE
    assert "p/a.txt" in s3.keys("b")


def test_ls_human_readable_and_summarize(s3: MemoryS3, capsys: pytest.CaptureFixture[str]) -> None:
    s3.put("b", "p/a", b"x" * 1536)
    s3.put("b", "p/d/b", b"y")
    s3.put("b", "p/d/c", b"zz")
    assert run(s3, "ls", "s3://b/p/", "--recursive", "--human-readable", "--summarize") == 0
    out = lines(capsys)
    assert [line[19:] for line in out[:3]] == [
        "    1.5 KiB p/a",
        "     1 Byte p/d/b",
        "    2 Bytes p/d/c",
    ]
    assert out[3:] == ["", "Total Objects: 3", "   Total Size: 1.5 KiB"]
    assert run(s3, "ls", "s3://b/p/", "--recursive", "--summarize") == 0
    assert lines(capsys)[-2:] == ["Total Objects: 3", "   Total Size: 1539"]
    assert run(s3, "ls", "s3://b/p/", "--recursive", "--summarize", "--output", "json") == 0
    assert "Total" not in capsys.readouterr().out  # the items only
    assert run(s3, "ls", "--summarize") == EXIT_USAGE


NAMES = st.sampled_from(["a", "a-b", "a.b", "b", "é", "z", "A", "a b", "~"])


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=30)
@given(st.sets(st.lists(NAMES, min_size=1, max_size=3).map("/".join), max_size=12))
def test_the_local_walk_is_in_s3_key_order(tmp_path: Path, paths: set[str]) -> None:
    root = tmp_path / f"walk{len(os.listdir(tmp_path))}"
    root.mkdir()
    written = set()
    for path in sorted(paths, key=len):  # a file where a folder would go is left out
        target = root / path
        if any((root / "/".join(path.split("/")[:n])).is_file() for n in range(1, 4)):
            continue
        if target.exists():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(b"x")
        written.add(path)
    walked = [entry.relative for entry in synctree.files(str(root), "follow", print)]
    assert walked == sorted(written, key=lambda p: p.encode())


@given(st.sets(NAMES), st.sets(NAMES))
def test_walking_together_pairs_each_path_once(left: set[str], right: set[str]) -> None:
    def side(names: set[str], size: int) -> list[synctree.Entry]:
        return [synctree.Entry(n, size, 0.0) for n in sorted(names, key=lambda n: n.encode())]

    pairs = list(synctree.together(iter(side(left, 1)), iter(side(right, 2))))
    assert [path for path, _, _ in pairs] == sorted(left | right, key=lambda n: n.encode())
    for path, a, b in pairs:
        assert (a is not None) == (path in left) and (b is not None) == (path in right)


def test_a_listing_out_of_order_stops_the_walk() -> None:
    entries = iter([synctree.Entry("b", 1, 0.0), synctree.Entry("a", 1, 0.0)])
    with pytest.raises(ResponseError, match="out of order at 'a'"):
        list(synctree.together(entries, iter([])))


def test_sync_down_never_writes_or_deletes_through_a_link(
    s3: MemoryS3, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    outside = tree(tmp_path / "outside", {"x": b"precious", "old": b"keep"})
    down = tmp_path / "down"
    down.mkdir()
    (down / "d").symlink_to(outside)
    (down / "gone").symlink_to(outside / "old")
    s3.put("b", "p/d/x", b"evil")
    s3.put("b", "p/ok", b"fine")
    assert run(s3, "sync", "s3://b/p", "down", "--delete") == EXIT_ERROR_ANSWER
    captured = capsys.readouterr()
    assert "download failed: s3://b/p/d/x to down/d/x" in captured.err
    assert "delete: down/gone" in captured.out.splitlines()
    assert (outside / "x").read_bytes() == b"precious" and (outside / "old").exists()
    assert not (down / "gone").is_symlink() and (down / "ok").read_bytes() == b"fine"


def test_a_refused_delete_is_a_failure(
    s3: MemoryS3, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "src").mkdir()
    s3.put("b", "p/locked/a", b"x")
    s3.put("b", "p/free", b"x")
    assert run(s3, "sync", "src", "s3://b/p", "--delete") == EXIT_ERROR_ANSWER
    captured = capsys.readouterr()
    assert captured.err == "delete failed: s3://b/p/locked/a: AccessDenied\n"
    assert captured.out.splitlines() == [
        "delete: s3://b/p/free",
        "sync: 0 transferred (0 Bytes), 1 deleted, 0 unchanged, 1 failed",
    ]


def reference_multipart_etag(data: bytes, part: int) -> str:
    parts = [hashlib.md5(data[i : i + part]).digest() for i in range(0, len(data), part)]
    return f'"{hashlib.md5(b"".join(parts)).hexdigest()}-{len(parts)}"'


@settings(max_examples=50)
@given(data=st.binary(min_size=1, max_size=3000), part=st.integers(1, 1200))
def test_a_multipart_etag_is_computed_again_for_the_part_sizes_that_fit(
    data: bytes, part: int
) -> None:
    etag = reference_multipart_etag(data, part)
    count = -(-len(data) // part)
    assert samecontent.multipart_etag(lambda: io.BytesIO(data), part) == etag.strip('"')
    for size in samecontent.part_sizes(len(data), count, 5 << 20):
        assert -(-len(data) // size) == count
    guess = -(-len(data) // count)  # the size over the count, a part size the guesses hold
    etag = reference_multipart_etag(data, guess)
    assert samecontent.multipart_match(etag, len(data), lambda: io.BytesIO(data), 5 << 20)
    changed = bytes([data[0] ^ 1]) + data[1:]
    assert samecontent.multipart_match(etag, len(data), lambda: io.BytesIO(changed), 5 << 20) is (
        False
    )


def test_etags_that_tell_and_those_that_do_not() -> None:
    md5, other = '"' + "a" * 32 + '"', '"' + "b" * 32 + '"'
    assert samecontent.same_objects(md5, md5) is True
    assert samecontent.same_objects(md5, other) is False
    assert samecontent.same_objects(md5, '"' + "b" * 32 + '-2"') is None
    assert samecontent.multipart_match(md5, 10, lambda: io.BytesIO(b"0" * 10), 5 << 20) is None
    # 10 MiB in 7 parts: of the guesses, only the size over the count cuts it so
    assert list(samecontent.part_sizes(10 << 20, 7, 5 << 20)) == [-(-(10 << 20) // 7)]
    twenty_parts = '"' + "c" * 32 + '-20"'  # of 10 bytes: no part size gives 20 parts
    assert samecontent.multipart_match(
        twenty_parts, 10, lambda: io.BytesIO(b"0" * 10), 5 << 20
    ) is (None)


@pytest.mark.parametrize(
    ("argv", "synced"),
    [
        (["sync", "s3://b/p", "down"], True),
        (["sync", "s3://b/p", "down", "--no-fsync"], False),
        (["cp", "--recursive", "s3://b/p", "down", "--no-fsync"], False),
        (["mv", "--recursive", "s3://b/p", "down", "--no-fsync"], False),
        (["cp", "s3://b/p/a.txt", "down/a.txt", "--no-fsync"], False),
    ],
)
def test_downloads_are_synced_to_disk_unless_no_fsync(
    s3: MemoryS3,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    argv: list[str],
    synced: bool,
) -> None:
    for key in ("p/a.txt", "p/d/b.txt"):
        s3.put("b", key, b"data")
    (tmp_path / "down").mkdir()
    events = disk_events(monkeypatch)
    assert run(s3, *argv) == EXIT_OK
    assert (tmp_path / "down/a.txt").read_bytes() == b"data"
    assert ("fsync" in events) is synced
    assert ("writeback" in events) is (synced and hasattr(os, "posix_fadvise"))


def test_no_fsync_is_not_an_upload_option(s3: MemoryS3, tmp_path: Path) -> None:
    (tmp_path / "f").write_bytes(b"x")
    s3.put("b", "other", b"")  # the bucket exists
    argv = ["upload-file", "--bucket", "b", "--key", "k", "--source", "f"]
    assert run(s3, *argv, "--no-fsync") == EXIT_USAGE
    assert run(s3, *argv) == EXIT_OK
