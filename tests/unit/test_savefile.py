"""Saving downloads: never through a symbolic link, never outside the folder given, and one mode
rule (a new file 0666 minus the umask, a replaced file keeps its bits) for download_file,
download_dir and the CLI's --out."""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from recording import client_with, disk_events

import s3wire
from s3wire.cli.output import atomic_file
from s3wire.testing import Answer, MockTransport, Request
from s3wire.transfer import dirsync, savefile

MODIFIED = "2024-05-01T12:00:00.000Z"


class Bucket(MockTransport):
    """A transport serving one bucket's objects: ListObjectsV2 (url-encoded keys), HEAD, GET."""

    def __init__(self, objects: dict[str, bytes]) -> None:
        super().__init__(self.answer)
        self.objects = objects

    def answer(self, request: Request) -> Answer:
        split = urlsplit(request.url)
        if "list-type=2" in split.query:
            return Answer(body=self.listing())
        data = self.objects[unquote(split.path.split("/", 2)[2])]
        etag = f'"{hashlib.md5(data).hexdigest()}"'
        return Answer(200, {"Content-Length": str(len(data)), "ETag": etag}, data)

    def listing(self) -> bytes:
        contents = "".join(
            f"<Contents><Key>{quote(key)}</Key><Size>{len(data)}</Size>"
            f"<LastModified>{MODIFIED}</LastModified></Contents>"
            for key, data in sorted(self.objects.items())
        )
        xml = "<ListBucketResult><EncodingType>url</EncodingType><IsTruncated>false</IsTruncated>"
        return f"{xml}{contents}</ListBucketResult>".encode()


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder outside the destination, holding a file `victim`."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "victim").write_bytes(b"keep me")
    return folder


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(path): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def download_dir(objects: dict[str, bytes], dest: Path) -> s3wire.SyncResult:
    with client_with(Bucket(objects)) as client:
        return client.download_dir("b", "", dest, concurrency=1)


def test_a_symlinked_folder_in_the_destination_is_refused(tmp_path: Path, outside: Path) -> None:
    dest = tmp_path / "dest"
    dest.mkdir()
    (dest / "sub").symlink_to(outside)
    before = snapshot(outside)
    with pytest.raises(s3wire.ParamError, match="symbolic link"):
        download_dir({"sub/victim": b"evil", "sub/new": b"evil"}, dest)
    assert snapshot(outside) == before
    assert sorted(os.listdir(outside)) == ["victim"]


def test_a_symlink_as_the_file_name_is_replaced_not_followed(tmp_path: Path, outside: Path) -> None:
    dest = tmp_path / "dest"
    dest.mkdir()
    (dest / "victim").symlink_to(outside / "victim")
    result = download_dir({"victim": b"new data"}, dest)
    assert result.transferred == ["victim"]
    assert (outside / "victim").read_bytes() == b"keep me"
    assert not (dest / "victim").is_symlink()
    assert (dest / "victim").read_bytes() == b"new data"


def test_a_symlink_to_a_file_with_the_same_size_is_not_taken_as_done(
    tmp_path: Path, outside: Path
) -> None:
    dest = tmp_path / "dest"
    dest.mkdir()
    (dest / "victim").symlink_to(outside / "victim")
    os.utime(outside / "victim", (0, int(dirsync._timestamp(MODIFIED))))
    result = download_dir({"victim": b"7 bytes"}, dest)
    assert result.transferred == ["victim"]
    assert not (dest / "victim").is_symlink()


def test_the_destination_may_be_reached_through_a_link(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "link").symlink_to(real)
    download_dir({"a/b/c.txt": b"c"}, tmp_path / "link")
    assert (real / "a" / "b" / "c.txt").read_bytes() == b"c"
    assert stat.S_IMODE((real / "a" / "b" / "c.txt").stat().st_mode) == 0o666 & ~current_umask()


def test_download_file_replaces_a_symlink_at_dest(tmp_path: Path, outside: Path) -> None:
    (tmp_path / "dest").symlink_to(outside / "victim")
    with client_with(Bucket({"k": b"object"})) as client:
        client.download_file("b", "k", tmp_path / "dest")
    assert (outside / "victim").read_bytes() == b"keep me"
    assert (tmp_path / "dest").read_bytes() == b"object"
    assert not (tmp_path / "dest").is_symlink()


SEGMENT = st.sampled_from(["link", "file", "sub", "new", "x y", "\x07", "é", "link2"])


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(keys=st.lists(st.lists(SEGMENT, min_size=1, max_size=4).map("/".join), max_size=4))
def test_nothing_is_written_outside_the_folder_whatever_the_keys(
    tmp_path_factory: pytest.TempPathFactory, keys: list[str]
) -> None:
    base = tmp_path_factory.mktemp("prop")
    outside = base / "outside"
    outside.mkdir()
    (outside / "file").write_bytes(b"keep")
    dest = base / "dest"
    dest.mkdir()
    (dest / "link").symlink_to(outside)
    (dest / "link2").symlink_to(outside / "file")
    (dest / "file").write_bytes(b"a file")
    before = snapshot(outside)
    try:
        download_dir({key: key.encode() for key in keys}, dest)
    except s3wire.ParamError as exc:
        assert "symbolic link or not a folder" in str(exc)
    assert snapshot(outside) == before
    assert sorted(os.listdir(outside)) == ["file"]
    for path in dest.rglob("*"):  # whatever was written is a regular file or folder inside
        assert path.resolve().is_relative_to(dest) or path.is_symlink()


def current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@pytest.fixture
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    """The umask set for the test (param), the old one put back after."""
    old = os.umask(request.param)
    yield request.param
    os.umask(old)


@pytest.mark.parametrize("umask", [0o022, 0o077, 0o002], indirect=True)
def test_the_umask_is_read_without_changing_it(umask: int) -> None:
    assert savefile.umask() == umask
    assert current_umask() == umask


def save_download(path: Path) -> None:
    with client_with(Bucket({"k": b"data"})) as client:
        client.download_file("b", "k", path)


def save_cli_out(path: Path) -> None:
    with atomic_file(str(path)) as out:
        out.file.write(b"data")
        out.keep()


def save_download_dir(path: Path) -> None:
    download_dir({path.name: b"data"}, path.parent)


SAVERS = [save_download, save_cli_out, save_download_dir]


@pytest.mark.parametrize("umask", [0o022, 0o077], indirect=True)
@pytest.mark.parametrize("save", SAVERS)
def test_a_new_file_gets_0666_minus_the_umask(tmp_path: Path, umask: int, save: Any) -> None:
    save(tmp_path / "new.bin")
    assert (tmp_path / "new.bin").read_bytes() == b"data"
    assert stat.S_IMODE((tmp_path / "new.bin").stat().st_mode) == 0o666 & ~umask


@pytest.mark.parametrize("umask", [0o022, 0o077], indirect=True)
@pytest.mark.parametrize("save", SAVERS)
@pytest.mark.parametrize("mode", [0o640, 0o600, 0o755])
def test_a_replaced_file_keeps_its_mode(tmp_path: Path, umask: int, save: Any, mode: int) -> None:
    target = tmp_path / "old.bin"
    target.write_bytes(b"old contents")
    target.chmod(mode)
    save(target)
    assert target.read_bytes() == b"data"
    assert stat.S_IMODE(target.stat().st_mode) == mode


def test_the_temporary_file_is_private_while_written(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        folder = savefile.open_folder(str(tmp_path))
        with savefile.saving(folder, "f") as saved:
            temporary = tmp_path / saved.temporary
            assert stat.S_IMODE(temporary.stat().st_mode) == 0o600
            os.write(saved.fd, b"x")
            saved.commit()
        os.close(folder)
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "f").stat().st_mode) == 0o666
    assert os.listdir(tmp_path) == ["f"]


def test_a_file_not_committed_leaves_nothing(tmp_path: Path) -> None:
    (tmp_path / "f").write_bytes(b"good")
    folder = savefile.open_folder(str(tmp_path))
    with pytest.raises(RuntimeError), savefile.saving(folder, "f") as saved:
        os.write(saved.fd, b"partial")
        raise RuntimeError("cut short")
    os.close(folder)
    assert os.listdir(tmp_path) == ["f"]
    assert (tmp_path / "f").read_bytes() == b"good"


def test_a_file_where_a_folder_goes_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a").write_bytes(b"file")
    with pytest.raises(s3wire.ParamError, match="'a' in its path"):
        download_dir({"a/b": b"x"}, tmp_path)


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    name=st.text(
        st.characters(blacklist_categories=("Cs",), blacklist_characters="/\0"), max_size=60
    ).filter(lambda name: name not in ("", ".", ".."))
)
def test_a_temporary_file_is_known_by_its_name(tmp_path: Path, name: str) -> None:
    folder = savefile.open_folder(str(tmp_path))
    try:
        with savefile.saving(folder, name) as saved:
            assert savefile.is_temporary(saved.temporary)
    except OSError:  # a name the file system refuses (too long in bytes)
        pass
    finally:
        os.close(folder)
    assert not savefile.is_temporary(name) or name.endswith(".part")
    assert not savefile.is_temporary("photo.jpg") and not savefile.is_temporary(".x.part")


@pytest.mark.parametrize("durable", [True, False])
def test_a_download_is_synced_before_its_rename_unless_fsync_downloads_is_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, durable: bool
) -> None:
    events = disk_events(monkeypatch)
    objects = {"k": b"object", "d/e": b"other"}
    with client_with(Bucket(objects), fsync_downloads=durable) as client:
        assert client.fsync_downloads is durable
        client.download_file("b", "k", tmp_path / "one")
        client.download_dir("b", "", tmp_path / "all", concurrency=1)
    handed = ["writeback"] if durable and hasattr(os, "posix_fadvise") else []
    synced = [*handed, "fsync"] if durable else []
    assert events == [*synced, "replace one", *synced, "replace e", *synced, "replace k"]
    assert (tmp_path / "one").read_bytes() == b"object"
    assert snapshot(tmp_path / "all") == {
        str(tmp_path / "all" / name): data for name, data in objects.items()
    }


@pytest.mark.parametrize("bad", ["no", 0, None])
def test_fsync_downloads_is_a_bool(bad: object) -> None:
    keys = ("http://h", "AKIDEXAMPLE", "s", "us-east-1")
    with pytest.raises(s3wire.ParamError, match="fsync_downloads must be a bool"):
        s3wire.get_data_structure(*keys, fsync_downloads=bad)
    assert s3wire.get_data_structure(*keys)["fsync_downloads"] is True
