"""Local files that fail (missing, not a folder, not permitted, disk full) raise LocalFileError:
s3wire's own, an OSError with the failure's errno, naming what s3wire was doing, leaving nothing
behind (no temporary file, an aborted upload)."""

from __future__ import annotations

import errno
import io
import os
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from recording import Recorder, client_with
from requests.structures import CaseInsensitiveDict
from test_perf_transport import GZIPPED
from test_perf_transport import Recorder as Seen
from test_perf_transport import server as server  # the stub server's fixture
from test_transfer import ABORT, CREATE, PART, PART_PUT, Answer, FakeS3, client_of
from test_transfer_dirs import listing

import s3wire
from s3wire.errors import LocalFileError
from s3wire.localfile import local_file

HERE = Path(__file__).parent


def enospc(*_: object) -> int:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def caught(call: Callable[[], object], *codes: int) -> LocalFileError:
    """The LocalFileError call() raises, checked to be an OSError and S3wireError with one of
    the `codes`."""
    with pytest.raises(LocalFileError) as raised:
        call()
    error = raised.value
    assert isinstance(error, OSError) and isinstance(error, s3wire.S3wireError)
    assert error.errno in codes and error.strerror == os.strerror(error.errno)
    return error


def files_in(directory: Path) -> list[str]:
    return sorted(os.listdir(directory))


# --- the exception ---------------------------------------------------------------------------


def test_it_is_an_oserror_of_the_original_errno_naming_what_was_done() -> None:
    def fail() -> None:
        with local_file("download_file: cannot write", "/x/y"):
            raise OSError(errno.ENOSPC, "No space left on device", ".y.1234.part")

    error = caught(fail, errno.ENOSPC)
    assert str(error) == "download_file: cannot write /x/y: No space left on device"
    assert error.filename == "/x/y"
    assert isinstance(error.__cause__, OSError) and error.__cause__.filename == ".y.1234.part"
    assert s3wire.LocalFileError is LocalFileError


def test_the_outermost_name_wins_and_the_cause_stays_the_original() -> None:
    original = OSError(errno.EIO, "Input/output error")

    def fail() -> None:
        with local_file("download_file: cannot write", "/x/y"), local_file("inner", "/z"):
            raise original

    error = caught(fail, errno.EIO)
    assert str(error) == "download_file: cannot write /x/y: Input/output error"
    assert error.__cause__ is original


@given(
    code=st.sampled_from(sorted(errno.errorcode)),
    path=st.text(st.characters(exclude_categories=("Cs",)), min_size=1),
    depth=st.integers(1, 3),
)
def test_any_failure_keeps_its_errno_and_names_the_outermost_path(
    code: int, path: str, depth: int
) -> None:
    original = OSError(code, os.strerror(code), "relative.part")

    def fail(level: int) -> None:
        with local_file(f"doing {level}", f"{path}{level}"):
            if level == depth:
                raise original
            fail(level + 1)

    error = caught(lambda: fail(1), code)
    assert str(error) == f"doing 1 {path}1: {os.strerror(code)}"
    assert error.filename == f"{path}1" and error.__cause__ is original


# --- upload_file -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "code"),
    [("missing", errno.ENOENT), ("a-file/below", errno.ENOTDIR), ("folder", errno.EISDIR)],
)
def test_a_source_that_cannot_be_opened(tmp_path: Path, name: str, code: int) -> None:
    (tmp_path / "a-file").write_bytes(b"x")
    (tmp_path / "folder").mkdir()
    fake = FakeS3()
    source = tmp_path / name
    error = caught(lambda: client_of(fake).upload_file("b", "k", source), code)
    assert str(error).startswith(f"upload_file: cannot read {source}: ")
    assert error.filename == str(source)
    assert fake.sent == []


def test_a_source_failing_mid_upload_aborts_it() -> None:
    class Failing(io.BytesIO):
        name = "/data/big.bin"

        def read(self, size: int | None = -1) -> bytes:
            if self.tell() >= PART:
                raise OSError(errno.EIO, os.strerror(errno.EIO))
            return super().read(size)

    fake = FakeS3()
    upload = client_of(fake).upload_file
    error = caught(lambda: upload("b", "k", Failing(b"d" * 2 * PART), concurrency=1), errno.EIO)
    assert str(error) == "upload_file: cannot read /data/big.bin: Input/output error"
    assert fake.kinds() == [CREATE, PART_PUT, ABORT]


def test_a_file_cut_short_while_its_parts_go_up(tmp_path: Path) -> None:
    """The parts of a regular file are read when sent (FileWindow): one cut short meanwhile."""
    source = tmp_path / "shrinking"
    source.write_bytes(b"d" * 3 * PART)

    class Shrinking(FakeS3):
        def answer_to(self, method: str, query: dict[str, list[str]], *rest: Any) -> Answer:
            if method == "POST" and "uploads" in query:
                os.truncate(source, PART)
            return super().answer_to(method, query, *rest)

    fake = Shrinking()
    with pytest.raises(LocalFileError) as raised:
        client_of(fake).upload_file("b", "k", source, concurrency=1)
    shorter = "the file got shorter while it was being read"
    assert str(raised.value) == f"upload_file: cannot read {source}: {shorter}"
    assert isinstance(raised.value, OSError)
    assert fake.kinds() == [CREATE, PART_PUT, ABORT]


def test_a_body_stream_failing_is_a_local_file_error() -> None:
    """Any operation's streamed body is read for its Content-MD5 first."""

    class Unreadable(io.BytesIO):
        name = "/data/body.bin"

        def read(self, size: int | None = -1) -> bytes:
            raise OSError(errno.EIO, os.strerror(errno.EIO))

    recorder = Recorder()
    put = client_with(recorder).put_object
    error = caught(lambda: put(bucket="b", key="k", body=Unreadable(b"data")), errno.EIO)
    assert str(error) == "cannot read the body /data/body.bin: Input/output error"
    assert recorder.sent == []


def test_a_body_pipe_failing_is_a_local_file_error() -> None:
    """A stream that cannot seek (a pipe) is read whole before it is sent."""

    class BrokenPipe(io.RawIOBase):
        name = "/data/pipe"

        def readable(self) -> bool:
            return True

        def seekable(self) -> bool:
            return False

        def tell(self) -> int:
            raise OSError(errno.ESPIPE, os.strerror(errno.ESPIPE))

        def read(self, size: int | None = -1) -> bytes:
            raise OSError(errno.EIO, os.strerror(errno.EIO))

    recorder = Recorder()
    put = client_with(recorder).put_object
    error = caught(lambda: put(bucket="b", key="k", body=BrokenPipe()), errno.EIO)
    assert str(error) == "cannot read the body /data/pipe: Input/output error"
    assert recorder.sent == []


# --- download_file ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("where", "codes", "sent"),
    [
        ("no-such-folder/out", [errno.ENOENT], []),  # the folder is opened before any request
        ("a-file/out", [errno.ENOTDIR], []),
        # Root cannot create files in sysfs either (read-only where a container mounts it so).
        ("/sys/out", [errno.EACCES, errno.EROFS], ["HEAD"]),
    ],
)
def test_a_destination_that_cannot_be_written(
    tmp_path: Path, where: str, codes: list[int], sent: list[str]
) -> None:
    (tmp_path / "a-file").write_bytes(b"x")
    dest = tmp_path / where
    fake = FakeS3(b"data")
    error = caught(lambda: client_of(fake).download_file("b", "k", dest), *codes)
    assert str(error).startswith(f"download_file: cannot write {dest}: ")
    assert error.filename == str(dest)
    assert files_in(tmp_path) == ["a-file"]
    assert [method for method, *_ in fake.sent] == sent


@pytest.mark.parametrize("call", ["pwrite", "fsync"])
def test_a_full_disk_keeps_the_old_file_and_leaves_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, call: str
) -> None:
    dest = tmp_path / "out"
    dest.write_bytes(b"precious")
    fake = FakeS3(os.urandom(2 * PART + 1))
    monkeypatch.setattr(os, call, enospc)
    download = client_of(fake).download_file
    error = caught(lambda: download("b", "k", dest, concurrency=2), errno.ENOSPC)
    monkeypatch.undo()
    assert str(error) == f"download_file: cannot write {dest}: No space left on device"
    assert dest.read_bytes() == b"precious"
    assert files_in(tmp_path) == ["out"]
    gets = [method for method, *_ in fake.sent if method == "GET"]
    assert len(gets) <= (3 if call == "fsync" else 2)  # a full disk is not retried


def test_a_folder_in_the_destinations_place(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    fake = FakeS3(b"data")
    download = client_of(fake).download_file
    caught(lambda: download("b", "k", tmp_path / "out"), errno.EISDIR)
    assert files_in(tmp_path) == ["out"] and files_in(tmp_path / "out") == []


def test_no_free_temporary_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".out.000000000000.part").write_bytes(b"another download's")
    monkeypatch.setattr(os, "urandom", lambda size: bytes(size))
    download = client_of(FakeS3(b"data")).download_file
    with pytest.raises(LocalFileError) as raised:
        download("b", "k", tmp_path / "out")
    monkeypatch.undo()
    assert raised.value.errno == errno.EEXIST
    dest = tmp_path / "out"
    assert str(raised.value) == (
        f"download_file: cannot write {dest}: no free temporary file name beside 'out'"
    )
    assert files_in(tmp_path) == [".out.000000000000.part"]


def test_a_file_size_limit_in_a_real_process(tmp_path: Path) -> None:
    """RLIMIT_FSIZE: the kernel refuses the file its size (EFBIG), as a quota would."""
    dest = tmp_path / "out"
    dest.write_bytes(b"precious")
    script = textwrap.dedent(f"""
        import resource, signal, sys
        sys.path.insert(0, {str(HERE)!r})
        from test_transfer import FakeS3, client_of
        import s3wire
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (1024, 1024))
        try:
            client_of(FakeS3(b"x" * 4096)).download_file("b", "k", {str(dest)!r})
        except s3wire.LocalFileError as exc:
            assert isinstance(exc, OSError)
            print(exc.errno, exc)
    """)
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=environment, check=True
    )
    assert done.stdout == f"{errno.EFBIG} download_file: cannot write {dest}: File too large\n"
    assert dest.read_bytes() == b"precious"
    assert files_in(tmp_path) == ["out"]


# --- get_object(into=) -----------------------------------------------------------------------


class Full(io.RawIOBase):
    """A file on a full disk."""

    name = "/mnt/full/object.bin"

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        return enospc()


def test_a_failing_target_is_not_retried(tmp_path: Path) -> None:
    recorder = Recorder(200, b"data")
    client = client_with(recorder, retry_base_delay=0)
    error = caught(lambda: client.get_object(bucket="b", key="k", into=Full()), errno.ENOSPC)
    into = "/mnt/full/object.bin"
    assert str(error) == f"cannot write the answer into {into}: No space left on device"
    assert len(recorder.sent) == 1


def test_a_failing_target_over_a_real_connection(server: str) -> None:
    """The failure is the target's, not the network's: one try, and the next request on the
    same client gets its own answer whole."""
    data = s3wire.get_data_structure(server, "AKIDEXAMPLE", "secret", "us-east-1")
    with s3wire.Client(data) as client:
        caught(lambda: client.get_object(bucket="b", key="k", into=Full()), errno.ENOSPC)
        assert [command for command, *_ in Seen.seen] == ["GET"]
        kept = io.BytesIO()
        assert client.get_object(bucket="b", key="k", into=kept).ok
        assert kept.getvalue() == GZIPPED


def test_a_target_taking_nothing_is_a_local_file_error() -> None:
    class Stuck(io.RawIOBase):
        def writable(self) -> bool:
            return True

        def write(self, data: Any) -> int:
            return 0

    client = client_with(Recorder(200, b"data"), retry_base_delay=0)
    with pytest.raises(LocalFileError, match="cannot write the answer into a file: into took"):
        client.get_object(bucket="b", key="k", into=Stuck())


# --- the folder helpers ----------------------------------------------------------------------


class Folder(FakeS3):
    """A listing of `keys`, each holding the fake's data; `on_put` runs before each upload."""

    def __init__(self, data: bytes, *keys: str, on_put: Callable[[], None] = lambda: None) -> None:
        super().__init__(data)
        self.listing = listing(*keys).encode()
        self.on_put = on_put

    def answer_to(
        self, method: str, query: dict[str, list[str]], headers: dict[str, str], content: bytes
    ) -> Answer:
        if method == "GET" and "list-type" in query:
            return 200, CaseInsensitiveDict(), self.listing
        if method == "PUT":
            self.on_put()
        return super().answer_to(method, query, headers, content)


def test_download_dir_into_a_path_below_a_file(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_bytes(b"x")
    into = tmp_path / "a-file" / "into"
    download = client_of(Folder(b"d", "p/k")).download_dir
    error = caught(lambda: download("b", "p", into), errno.ENOTDIR)
    assert str(error).startswith(f"download_dir: cannot write {into}: ")


def test_download_dir_on_a_full_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = Folder(b"data", "p/sub/k")
    monkeypatch.setattr(os, "pwrite", enospc)
    download = client_of(fake).download_dir
    error = caught(lambda: download("b", "p", tmp_path), errno.ENOSPC)
    monkeypatch.undo()
    target = tmp_path / "sub" / "k"
    assert str(error) == f"download_dir: cannot write {target}: No space left on device"
    assert files_in(tmp_path / "sub") == []


def test_upload_dir_with_a_folder_it_cannot_list(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not skipped in silence (os.walk's default): its files would be missing from the prefix."""
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a").write_bytes(b"data")
    scandir = os.scandir

    def locked(path: Any = ".") -> Any:
        if os.fspath(path) == str(tmp_path / "sub"):  # root reads any folder: pretend
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), path)
        return scandir(path)

    monkeypatch.setattr(os, "scandir", locked)
    fake = Folder(b"")
    error = caught(lambda: client_of(fake).upload_dir(tmp_path, "b"), errno.EACCES)
    assert str(error) == f"upload_dir: cannot read {tmp_path / 'sub'}: Permission denied"
    assert fake.sent == []  # the folder is read before the listing: nothing was sent


def test_upload_dir_with_a_file_gone_meanwhile(tmp_path: Path) -> None:
    for name in ("a", "b"):
        (tmp_path / name).write_bytes(b"data")
    fake = Folder(b"", on_put=lambda: (tmp_path / "b").unlink(missing_ok=True))
    upload = client_of(fake).upload_dir
    error = caught(lambda: upload(tmp_path, "b", concurrency=1), errno.ENOENT)
    assert str(error) == f"upload_dir: cannot read {tmp_path / 'b'}: No such file or directory"
