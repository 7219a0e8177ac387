"""The one MD5/CRC32 helper (s3wire.integrity) gives the values S3 expects, however the bytes
are split into chunks, and a stream's digest leaves the stream where it stood; the one "bytes
left in a stream" (integrity.bytes_left) measures from where a stream stands."""

from __future__ import annotations

import base64
import hashlib
import io
import zlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from s3wire import integrity
from s3wire.errors import LocalFileError


def reference(data: bytes, algorithm: str) -> bytes:
    if algorithm == "crc32":
        return zlib.crc32(data).to_bytes(4, "big")
    return hashlib.new(algorithm, data).digest()


@given(
    chunks=st.lists(st.binary(max_size=300), max_size=8),
    algorithm=st.sampled_from(["md5", "crc32", "sha1", "sha256"]),
)
def test_a_digest_does_not_depend_on_the_chunks(chunks: list[bytes], algorithm: str) -> None:
    expected = reference(b"".join(chunks), algorithm)
    assert integrity.digest_of(chunks, algorithm) == expected
    assert integrity.base64_digest(chunks, algorithm) == base64.b64encode(expected).decode()


@given(
    data=st.binary(max_size=200_000),
    start=st.integers(min_value=0, max_value=200_000),
    algorithm=st.sampled_from(["md5", "crc32"]),
)
def test_a_streams_digest_covers_its_rest_and_keeps_its_place(
    data: bytes, start: int, algorithm: str
) -> None:
    stream = io.BytesIO(data)
    stream.seek(start)
    value = integrity.stream_digest(stream, algorithm)
    assert value == base64.b64encode(reference(data[start:], algorithm)).decode()
    assert stream.tell() == start


def test_a_stream_that_fails_while_hashed_is_a_local_file_error() -> None:
    class Broken(io.BytesIO):
        def read(self, size: int | None = -1) -> bytes:
            raise OSError(5, "Input/output error")

    with pytest.raises(LocalFileError, match="cannot read the body"):
        integrity.stream_digest(Broken(b"data"))


@given(data=st.binary(max_size=1000), start=st.integers(min_value=0, max_value=1200))
def test_bytes_left_counts_from_where_a_stream_stands(data: bytes, start: int) -> None:
    stream = io.BytesIO(data)
    stream.seek(start)
    assert (integrity.bytes_left(stream), stream.tell()) == (max(0, len(data) - start), start)


def test_bytes_left_of_a_stream_that_cannot_seek_raises_as_the_stream_does() -> None:
    class Pipe(io.RawIOBase):
        def readable(self) -> bool:
            return True

    with pytest.raises(OSError):
        integrity.bytes_left(Pipe())
