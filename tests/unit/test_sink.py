"""Answers streamed into file objects (`into=`): every byte once, checked, put back for a retry;
and the download window that keeps a range inside its part of the file."""

from __future__ import annotations

import hashlib
import io
import os
from pathlib import Path

import pytest
from recording import Recorder, client_with

from s3wire.errors import ChecksumError, ParamError, ResponseError
from s3wire.sink import BodySink
from s3wire.transfer.filewindow import DownloadWindow

DATA = os.urandom(100_000)
ETAG = f'"{hashlib.md5(DATA).hexdigest()}"'


class Trickle(io.RawIOBase):
    """A raw stream taking at most `most` bytes a write, as raw files may."""

    def __init__(self, most: int) -> None:
        self.most, self.data = most, bytearray()

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        taken = bytes(data[: self.most])
        self.data += taken
        return len(taken)


class Quiet:
    """A writer of one's own that answers None, as many do."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []

    def write(self, data: bytes) -> None:
        self.chunks.append(data)


def test_partial_writes_are_completed_and_none_means_all() -> None:
    trickle, quiet = Trickle(7), Quiet()
    for target in (trickle, quiet):
        sink = BodySink(target)
        sink.begin(206, {})
        sink.write(DATA[:1000])
        sink.write(DATA[1000:])
        assert sink.written == len(DATA)
    assert bytes(trickle.data) == DATA
    assert b"".join(quiet.chunks) == DATA


def test_a_stream_taking_nothing_is_an_error_not_a_hang() -> None:
    with pytest.raises(OSError, match="took none"):
        BodySink(Trickle(0)).write(b"abc")


def test_rewind_puts_the_target_back_where_it_stood() -> None:
    target = io.BytesIO()
    target.write(b"mine:")
    sink = BodySink(target)
    sink.write(b"half of a try")
    assert sink.rewind()
    assert target.getvalue() == b"mine:"
    sink.write(b"again")
    assert target.getvalue() == b"mine:again"
    assert not written_sink(Quiet()).rewind()
    assert BodySink(Quiet()).rewind()  # nothing written yet: nothing to undo


def written_sink(target: Quiet) -> BodySink:
    """A sink that has written into a target it cannot take bytes back from."""
    sink = BodySink(target)
    sink.write(b"gone for good")
    return sink


def test_get_object_into_a_file_object(tmp_path: Path) -> None:
    recorder = Recorder(200, DATA, ETag=ETAG, **{"Content-Length": str(len(DATA))})
    client = client_with(recorder)
    with open(tmp_path / "out", "wb") as out:
        answer = client.get_object(bucket="bkt", key="k", into=out).raise_for_status()
    assert (tmp_path / "out").read_bytes() == DATA
    assert (answer.body, answer.attempts) == (b"", 1)
    assert answer.fields["etag"] == ETAG


def test_an_error_answer_is_not_written_into_the_file_object() -> None:
    missing = b"<Error><Code>NoSuchKey</Code><Message>none</Message></Error>"
    target = io.BytesIO()
    answer = client_with(Recorder(404, missing)).get_object(bucket="b", key="k", into=target)
    assert target.getvalue() == b""
    assert answer.response["Error"]["Code"] == "NoSuchKey"


def test_streamed_bytes_are_checked_against_the_etag_and_tried_again() -> None:
    recorder = Recorder(200, DATA[::-1], ETag=ETAG)
    target = io.BytesIO()
    with pytest.raises(ChecksumError, match="ETag"):
        client_with(recorder, max_attempts=2, retry_base_delay=0).get_object(
            bucket="b", key="k", into=target
        )
    assert len(recorder.sent) == 2
    assert target.getvalue() == DATA[::-1]  # the last try's bytes, once: rewound in between


def test_into_must_be_writable_and_binary() -> None:
    recorder = Recorder()
    client = client_with(recorder)
    with pytest.raises(ParamError, match="into must be a writable binary file object, not str"):
        client.get_object(bucket="b", key="k", into="out.bin")  # type: ignore[arg-type]
    with pytest.raises(ParamError, match="not StringIO"):
        client.get_object(bucket="b", key="k", into=io.StringIO())  # type: ignore[arg-type]
    assert recorder.sent == []


def test_a_download_window_writes_in_place_and_refuses_overflow(tmp_path: Path) -> None:
    fd = os.open(tmp_path / "file", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        os.ftruncate(fd, 10)
        window = DownloadWindow(fd, 4, 3)
        assert window.write(b"ab") == 2
        window.truncate(1)  # a failed try: written again from byte 1
        window.write(b"XY")
        assert window.tell() == 3
        with pytest.raises(ResponseError, match="more than the 3 bytes"):
            window.write(b"!")
        with pytest.raises(OSError, match="inside it"):
            window.seek(4)
        assert os.pread(fd, 10, 0) == b"\0\0\0\0aXY\0\0\0"
    finally:
        os.close(fd)
