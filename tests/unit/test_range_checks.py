"""A download in ranges is checked as its bytes arrive, never read back from the file: CRCs
combined (property-tested against the CRC of the whole), a composite checksum's parts checked
one by one, an MD5 ETag in one GET (sync) or fed the ranges in order (async); a damaged range
is a ChecksumError that leaves the destination as it was."""

from __future__ import annotations

import asyncio
import base64
import itertools
import os
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from awscrt import checksums as crt
from hypothesis import given, settings
from hypothesis import strategies as st
from requests.structures import CaseInsensitiveDict
from test_async_transfers import AsyncFake
from test_async_transfers import client_of as async_client_of
from test_transfer import PART, Answer, FakeS3, byte_range, client_of
from test_transfer_parallel import Composite, checksum_of

import s3wire
from s3wire._checksums.combine import crc_combine
from s3wire.transfer.rangecheck import RangeCheck
from s3wire.transport_api import Body, Sink

CRCS: dict[str, Callable[[bytes], int]] = {
    "crc32": zlib.crc32,
    "crc32c": crt.crc32c,
    "crc64nvme": crt.crc64nvme,
}
MIB = 1024 * 1024


@settings(max_examples=300)
@given(
    st.sampled_from(sorted(CRCS)),
    st.binary(max_size=300),
    st.binary(max_size=300),
)
def test_combining_two_crcs_is_the_crc_of_the_concatenation(
    algorithm: str, first: bytes, second: bytes
) -> None:
    crc = CRCS[algorithm]
    assert crc_combine(algorithm, crc(first), crc(second), len(second)) == crc(first + second)


@pytest.mark.parametrize("algorithm", sorted(CRCS))
@pytest.mark.parametrize("length", [1, 7, 8 * MIB + 1])
def test_combining_past_a_long_run_of_zeros(algorithm: str, length: int) -> None:
    crc, head, zeros = CRCS[algorithm], b"s3wire", bytes(length)
    assert crc_combine(algorithm, crc(head), crc(zeros), length) == crc(head + zeros)


@given(
    st.sampled_from(sorted(CRCS)),
    st.integers(0, 2**64 - 1),
    st.integers(0, 2**64 - 1),
    st.integers(0, 2**64 - 1),
    st.integers(0, 2**42),
    st.integers(0, 2**42),
)
def test_combining_is_associative_for_lengths_too_long_to_make(
    algorithm: str, a: int, b: int, c: int, b_length: int, c_length: int
) -> None:
    """(A + B) + C = A + (B + C), with B and C of up to 4 TiB: the shifts by x^(8n) agree."""
    mask = (1 << (32 if algorithm != "crc64nvme" else 64)) - 1
    a, b, c = a & mask, b & mask, c & mask
    left = crc_combine(algorithm, crc_combine(algorithm, a, b, b_length), c, c_length)
    right = crc_combine(algorithm, a, crc_combine(algorithm, b, c, c_length), b_length + c_length)
    assert left == right


@given(st.binary(max_size=2000), st.lists(st.integers(1, 300), max_size=6), st.integers(1, 200))
def test_a_check_of_parts_takes_ranges_that_never_cross_a_part(
    data: bytes, cuts: list[int], range_size: int
) -> None:
    bounds = sorted({min(cut, len(data)) for cut in cuts} | {0, len(data)})
    parts = [
        (number, end - start, checksum_of(data[start:end], "crc32c"))
        for number, (start, end) in enumerate(itertools.pairwise(bounds), start=1)
    ] or [(1, 0, checksum_of(b"", "crc32c"))]
    raw = b"".join(base64.b64decode(value) for _, _, value in parts if value)
    check = RangeCheck.of_parts("crc32c", checksum_of(raw, "crc32c"), parts)
    pieces = check.pieces(range_size)
    for first, length, _ in pieces:
        digests = check.digests()
        digests.update(data[first : first + length])
        check.arrived(first, length, digests)
    check.verify()
    starts = {first for first, _, _ in pieces}
    assert set(bounds[:-1]) <= starts or not data
    assert sum(length for _, length, _ in pieces) == len(data)


class FullObject(FakeS3):
    """An object whose HeadObject answers full-object CRCs (and a multipart ETag, so that no
    MD5 checks it); `damaged`: the range at that offset has one byte flipped."""

    ETAG = '"0123456789abcdef0123456789abcdef-3"'

    def __init__(self, data: bytes, algorithms: list[str], damaged: int | None = None) -> None:
        super().__init__(data)
        self.algorithms, self.damaged = algorithms, damaged

    def answer_to(
        self, method: str, query: dict[str, list[str]], headers: dict[str, str], body: bytes
    ) -> Answer:
        if method == "HEAD":
            found = {"ETag": self.ETAG, "Content-Length": str(len(self.data))}
            found["x-amz-checksum-type"] = "FULL_OBJECT"
            for algorithm in self.algorithms:
                found[f"x-amz-checksum-{algorithm}"] = checksum_of(self.data, algorithm)
            return 200, CaseInsensitiveDict(found), b""
        first, last = byte_range(headers["Range"], len(self.data))
        content = self.data[first : last + 1]
        if first == self.damaged:
            content = content[:5] + bytes([content[5] ^ 4]) + content[6:]
        return 206, CaseInsensitiveDict(ETag=self.ETAG), content


def download(fake: FakeS3, dest: Path, kind: str) -> None:
    if kind == "sync":
        client_of(fake).download_file("b", "k", dest, concurrency=3)
    else:
        client = async_client_of(AsyncFake(fake))
        asyncio.run(client.download_file("b", "k", dest, concurrency=3))


KINDS = ["sync", "async"]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    "algorithms", [["crc32"], ["crc32c"], ["crc64nvme"], ["crc32", "crc64nvme"]]
)
def test_full_object_crcs_are_made_of_the_ranges_with_no_read_back(
    tmp_path: Path, preads: list[int], kind: str, algorithms: list[str]
) -> None:
    data = os.urandom(3 * PART + 12345)
    fake = FullObject(data, algorithms)
    download(fake, tmp_path / "o", kind)
    assert (tmp_path / "o").read_bytes() == data
    assert preads == []
    assert fake.kinds().count("GET") == 4


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("algorithm", ["crc32", "crc32c", "crc64nvme"])
def test_a_damaged_range_fails_the_crc_and_leaves_the_destination(
    tmp_path: Path, preads: list[int], kind: str, algorithm: str
) -> None:
    dest = tmp_path / "o"
    dest.write_bytes(b"the good old file")
    fake = FullObject(os.urandom(3 * PART + 1), [algorithm], damaged=2 * PART)
    with pytest.raises(s3wire.ChecksumError, match=f"the downloaded bytes .* {algorithm.upper()}"):
        download(fake, dest, kind)
    assert dest.read_bytes() == b"the good old file"
    assert os.listdir(tmp_path) == ["o"]
    assert preads == []


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("damaged", [False, True])
def test_a_composite_checksum_is_checked_part_by_part_as_the_ranges_arrive(
    tmp_path: Path, preads: list[int], kind: str, damaged: bool
) -> None:
    sizes = [PART + 2 * MIB + 3, PART - 2 * MIB - 3, 1]
    data = os.urandom(sum(sizes))
    fake = Composite(data, sizes, damaged=damaged, listing=True)
    dest = tmp_path / "o"
    dest.write_bytes(b"old")
    if damaged:
        with pytest.raises(s3wire.ChecksumError, match=r"part 3 .* CRC32"):
            download(fake, dest, kind)
        assert dest.read_bytes() == b"old"
    else:
        download(fake, dest, kind)
        assert dest.read_bytes() == data
    assert preads == []
    ranges = sorted(
        headers["Range"]
        for method, url, headers, _ in fake.sent
        if method == "GET" and "attributes" not in url
    )
    # no range crosses a part: the first (7 MiB + 3) comes as 5 MiB and 2 MiB + 3
    first = sizes[0]
    assert ranges == sorted(
        [
            f"bytes=0-{PART - 1}",
            f"bytes={PART}-{first - 1}",
            f"bytes={first}-{first + sizes[1] - 1}",
            f"bytes={first + sizes[1]}-{first + sizes[1]}",
        ]
    )


def test_a_composite_sha256_part_comes_whole() -> None:
    """A SHA cannot be made of pieces: each part is one range."""
    data = os.urandom(2 * PART + 3)
    sizes = [PART + 3, PART]
    check = RangeCheck.of_parts("sha256", "x", [(1, sizes[0], None), (2, sizes[1], None)])
    assert check.pieces(PART) == [
        (0, sizes[0], f"bytes=0-{sizes[0] - 1}"),
        (sizes[0], sizes[1], f"bytes={sizes[0]}-{len(data) - 1}"),
    ]


class Md5Only(FakeS3):
    """FakeS3 (an MD5 ETag, nothing else) whose range or GET at `damaged` has a byte flipped."""

    def __init__(self, data: bytes, damaged: int | None = None) -> None:
        super().__init__(data)
        self.damaged = damaged

    def answer_to(self, method: str, *rest: Any) -> Answer:
        status, headers, content = super().answer_to(method, *rest)
        first, _ = byte_range(rest[1].get("Range"), len(self.data))
        if (
            method == "GET"
            and self.damaged is not None
            and first <= self.damaged < first + len(content)
        ):
            at = self.damaged - first
            content = content[:at] + bytes([content[at] ^ 1]) + content[at + 1 :]
        return status, headers, content


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("damaged", [None, 5, 2 * PART + 5])
def test_an_md5_etag_is_checked_as_the_bytes_arrive(
    tmp_path: Path, preads: list[int], kind: str, damaged: int | None
) -> None:
    """Sync: one GET, hashed as it arrives (a damaged one is tried again, whole: 4 tries).
    Async (ranges held in memory): the ranges, each fed to the MD5 as its turn comes."""
    data = os.urandom(3 * PART + 7)
    fake = Md5Only(data, damaged)
    dest = tmp_path / "o"
    dest.write_bytes(b"old")
    if damaged is None:
        download(fake, dest, kind)
        assert dest.read_bytes() == data
    else:
        with pytest.raises(s3wire.ChecksumError, match="ETag"):
            download(fake, dest, kind)
        assert dest.read_bytes() == b"old"
    gets = [headers for method, _, headers, _ in fake.sent if method == "GET"]
    if kind == "sync":
        assert not any("Range" in headers for headers in gets)
        assert len(gets) == (1 if damaged is None else 4)
    else:
        assert len(gets) == 4 and all("Range" in headers for headers in gets)
    assert preads == []


class CutOnce(FullObject):
    """FullObject whose range at `cut` is cut short once, half of it already written: the
    client tries it again from the range's start."""

    def __init__(self, data: bytes, algorithms: list[str], cut: int) -> None:
        super().__init__(data, algorithms)
        self.cut: int | None = cut

    def send(
        self, method: str, url: str, headers: dict[str, str], body: Body, sink: Sink | None = None
    ) -> Answer:
        if method == "GET" and sink is not None and self.cut is not None:
            first, last = byte_range(headers["Range"], len(self.data))
            if first == self.cut:
                self.cut = None
                sink.begin(206, CaseInsensitiveDict())
                sink.write(self.data[first : first + (last - first) // 2])
                raise s3wire.TransportError("GET answer was cut short: connection reset")
        return super().send(method, url, headers, body, sink)


@pytest.mark.parametrize("algorithm", sorted(CRCS))
def test_a_range_tried_again_starts_its_crc_over(
    tmp_path: Path, preads: list[int], algorithm: str
) -> None:
    data = os.urandom(3 * PART + 1)
    fake = CutOnce(data, [algorithm], cut=PART)
    download(fake, tmp_path / "o", "sync")
    assert (tmp_path / "o").read_bytes() == data
    assert fake.cut is None  # it was cut, then tried again whole (the cut try is not recorded)
    assert fake.kinds().count("GET") == 4
    assert preads == []
