"""Parallel transfers against the in-memory fake S3: bounded concurrency and memory, clean
failure, progress."""

from __future__ import annotations

import base64
import hashlib
import io
import itertools
import os
import threading
import time
import tracemalloc
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from recording import Recorder, client_with, md5
from requests.structures import CaseInsensitiveDict
from test_transfer import (
    ABORT,
    COMPLETE,
    CREATE,
    PART,
    PART_PUT,
    Answer,
    FakeS3,
    MultipartObject,
    byte_range,
    client_of,
)

import s3wire
from s3wire.integrity import base64_digest
from s3wire.transfer import MAX_PARTS, part_size_for
from s3wire.transfer.files import Checksum
from s3wire.transfer.filewindow import FileWindow
from s3wire.transport_api import Body, Sink

MIB = 1024 * 1024


def checksum_of(data: bytes, algorithm: str) -> str:
    return base64_digest((data,), algorithm)


class Counting(MultipartObject):
    """Remembers the most requests it ever had in flight at once; part `broken` always fails."""

    def __init__(self, data: bytes = b"", broken: int | None = None) -> None:
        super().__init__(data)
        self.broken = broken
        self.in_flight = self.most = 0
        self.aborted = False
        self.after_abort: list[str] = []

    def answer_to(
        self, method: str, query: dict[str, list[str]], headers: dict[str, str], content: bytes
    ) -> Answer:
        with self.lock:
            self.in_flight += 1
            self.most = max(self.most, self.in_flight)
            if self.aborted:
                self.after_abort.append(method)
            self.aborted |= method == "DELETE"
        time.sleep(0.01)
        try:
            if query.get("partNumber") == [str(self.broken)]:
                return 500, CaseInsensitiveDict(), b"<Error><Code>InternalError</Code></Error>"
            return super().answer_to(method, query, headers, content)
        finally:
            with self.lock:
                self.in_flight -= 1


def test_parts_go_up_in_parallel_within_the_concurrency() -> None:
    data = os.urandom(10 * PART + 3)
    fake = Counting()
    done: list[tuple[int, int]] = []
    client_of(fake).upload_file(
        "b", "k", io.BytesIO(data), concurrency=4, progress=lambda *a: done.append(a)
    )
    assert fake.data == data
    assert fake.most == 4
    assert fake.kinds() == [CREATE] + [PART_PUT] * 11 + [COMPLETE]
    assert [d for d, _ in done] == sorted(d for d, _ in done)
    assert done[-1] == (len(data), len(data)) and len(done) == 11


def test_a_part_failing_mid_upload_aborts_after_every_running_part() -> None:
    fake = Counting(broken=3)
    with pytest.raises(s3wire.S3Error, match="500 InternalError"):
        client_of(fake).upload_file("b", "k", io.BytesIO(os.urandom(12 * PART)), concurrency=4)
    assert fake.kinds()[-1] == ABORT
    assert fake.after_abort == []  # no part lands after the abort: nothing is left listed
    assert len([r for r in fake.kinds() if r == PART_PUT]) < 12 + 3  # stopped taking parts


class Discarding(Recorder):
    """A transport that checks each part's MD5 and keeps nothing."""

    def __init__(self) -> None:
        super().__init__()
        self.received = 0
        self.lock = threading.Lock()

    def send(
        self, method: str, url: str, headers: dict[str, str], body: Body, sink: Sink | None = None
    ) -> tuple[int, CaseInsensitiveDict[str], bytes]:
        digest = hashlib.md5()
        if hasattr(body, "read"):
            for chunk in iter(lambda: body.read(64 * 1024), b""):  # type: ignore[union-attr]
                digest.update(chunk)
        with self.lock:
            self.received += digest.digest_size and int(headers.get("Content-Length", 0) or 0)
        if method == "POST" and "uploads" in parse_qs(urlsplit(url).query, True):
            xml = b"<InitiateMultipartUploadResult><UploadId>u</UploadId>"
            return 200, CaseInsensitiveDict(), xml + b"</InitiateMultipartUploadResult>"
        etag = f'"{digest.hexdigest()}"'
        return 200, CaseInsensitiveDict(ETag=etag), b""


def test_memory_stays_within_concurrency_parts_whatever_the_size(tmp_path: Path) -> None:
    """200 MiB from a (sparse) file: parts are read as they are sent, never held whole."""
    source = tmp_path / "big"
    with open(source, "wb") as file:
        file.truncate(200 * MIB)
    concurrency = 4
    tracemalloc.start()
    try:
        client_of(Discarding()).upload_file("b", "k", source, concurrency=concurrency)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < concurrency * 2 * MIB + 2 * MIB, peak / MIB  # two 1 MiB digest chunks each


class Zeros(io.RawIOBase):
    """A stream of zeros that cannot seek, like a pipe: its parts are read into memory."""

    def __init__(self, size: int) -> None:
        self.left = size

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        count = min(self.left, size if size is not None and size >= 0 else self.left)
        self.left -= count
        return bytes(count)


def test_memory_stays_bounded_for_a_stream_read_part_by_part() -> None:
    concurrency = 4
    tracemalloc.start()
    try:
        client_of(Discarding()).upload_file("b", "k", Zeros(200 * MIB), concurrency=concurrency)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < concurrency * PART + 4 * MIB, peak / MIB


def test_a_file_window_reads_its_part_only(tmp_path: Path) -> None:
    path = tmp_path / "f"
    path.write_bytes(bytes(range(100)))
    with open(path, "rb") as file:
        window = FileWindow(file.fileno(), 10, 20)
        assert (len(window), window.read(5), window.tell()) == (20, bytes(range(10, 15)), 5)
        assert window.read() == bytes(range(15, 30)) and window.read() == b""
        assert window.seek(0, io.SEEK_END) == 20 and window.seek(3) == 3
        assert b"".join(window.chunks()) == bytes(range(10, 30)) and window.tell() == 3
        with pytest.raises(OSError, match="shorter"):
            FileWindow(file.fileno(), 90, 20).read()


def test_the_part_size_grows_to_stay_within_10000_parts() -> None:
    assert part_size_for(10 * MIB, PART) == PART
    assert part_size_for(None, PART) == PART
    grown = part_size_for(5 * 1024**4, PART)  # 5 TiB
    assert grown % MIB == 0 and grown * MAX_PARTS >= 5 * 1024**4
    with pytest.raises(s3wire.ParamError):
        part_size_for(50 * 1024**4, PART)  # over 10,000 parts of 5 GiB
    with pytest.raises(s3wire.ParamError):
        part_size_for(10, MIB)


@pytest.mark.parametrize("concurrency", [0, -1, True, 1.5])
def test_a_bad_concurrency_is_refused(concurrency: object) -> None:
    fake = FakeS3()
    with pytest.raises(s3wire.ParamError, match="concurrency"):
        client_of(fake).upload_file("b", "k", io.BytesIO(b"x"), concurrency=concurrency)  # type: ignore[arg-type]
    assert fake.sent == []


@pytest.mark.parametrize(
    ("url", "md5_too"),
    [("http://127.0.0.1:7480", True), ("http://s3.us-east-1.amazonaws.com", False)],
)
@pytest.mark.parametrize("checksum", ["crc32", "crc32c", "sha256", None])
def test_parts_carry_their_checksum_and_off_aws_their_md5(
    url: str, md5_too: bool, checksum: Checksum | None
) -> None:
    """The parts' checksum (the connection's CRC32 by default) is declared on
    CreateMultipartUpload, sent with each part and listed in CompleteMultipartUpload; a server
    other than AWS gets each part's Content-MD5 too (radosgw 16 checks only that)."""
    data = os.urandom(PART + 1)
    algorithm = checksum or "crc32"

    class NoMd5(FakeS3):
        def answer_to(self, method: str, query: dict[str, list[str]], *rest: object) -> Answer:
            if method == "PUT":
                return 200, CaseInsensitiveDict(ETag='"e"'), b""
            return super().answer_to(method, query, *rest)  # type: ignore[arg-type]

    fake = NoMd5()
    client = client_with(fake, url, part_size=PART, retry_base_delay=0)
    client.upload_file("b", "k", io.BytesIO(data), checksum=checksum, concurrency=1)
    create, *parts, complete = fake.sent
    assert create[2]["x-amz-checksum-algorithm"] == algorithm.upper()
    for (_, _, headers, body), chunk in zip(parts, (data[:PART], data[PART:]), strict=True):
        assert body == chunk
        assert headers[f"x-amz-checksum-{algorithm}"] == checksum_of(chunk, algorithm)
        assert headers.get("Content-MD5") == (md5(chunk) if md5_too else None)
    name = {"crc32": "CRC32", "crc32c": "CRC32C", "sha256": "SHA256"}[algorithm]
    listed = f"<Checksum{name}>{checksum_of(data[PART:], algorithm)}</Checksum{name}>"
    assert listed.encode() in complete[3]  # type: ignore[operator]


def test_crc64nvme_parts_make_a_full_object_checksum() -> None:
    """S3 combines CRC64NVME only over the whole object: the upload says FULL_OBJECT."""
    fake = FakeS3()
    client_of(fake).upload_file("b", "k", io.BytesIO(os.urandom(PART + 1)), checksum="crc64nvme")
    create, *_, complete = fake.sent
    assert create[2]["x-amz-checksum-algorithm"] == "CRC64NVME"
    assert create[2]["x-amz-checksum-type"] == "FULL_OBJECT"
    assert b"<ChecksumCRC64NVME>" in complete[3]  # type: ignore[operator]


def test_md5_parts_carry_no_checksum() -> None:
    fake = FakeS3()
    client_of(fake).upload_file("b", "k", io.BytesIO(os.urandom(PART + 1)), checksum="md5")
    create, *parts, complete = fake.sent
    assert "x-amz-checksum-algorithm" not in create[2]
    assert all(not any(n.startswith("x-amz-checksum") for n in h) for _, _, h, _ in parts)
    assert b"<Checksum" not in complete[3]  # type: ignore[operator]


def test_ranges_come_down_in_parallel(tmp_path: Path) -> None:
    data = os.urandom(7 * PART + 11)
    fake = Counting(data)
    done: list[tuple[int, int]] = []
    client_of(fake).download_file(
        "b", "k", tmp_path / "out", concurrency=3, progress=lambda *a: done.append(a)
    )
    assert (tmp_path / "out").read_bytes() == data
    assert fake.most == 3
    assert done[-1] == (len(data), len(data)) and len(done) == 8
    assert os.listdir(tmp_path) == ["out"]


def test_a_download_cut_by_a_closed_connection_leaves_the_destination(tmp_path: Path) -> None:
    class Closing(MultipartObject):
        def answer_to(self, method: str, query: dict[str, list[str]], *rest: object) -> Answer:
            headers = rest[0]
            if method == "GET" and str(headers.get("Range", "")).startswith(f"bytes={PART}-"):  # type: ignore[attr-defined]
                raise s3wire.TransportError("GET answer was cut short: connection closed")
            return super().answer_to(method, query, *rest)  # type: ignore[arg-type]

    dest = tmp_path / "out"
    dest.write_bytes(b"precious")
    with pytest.raises(s3wire.TransportError, match="cut short"):
        client_of(Closing(os.urandom(4 * PART))).download_file("b", "k", dest, concurrency=4)
    assert dest.read_bytes() == b"precious"
    assert os.listdir(tmp_path) == ["out"]


def test_an_object_replaced_after_the_head_is_detected(tmp_path: Path) -> None:
    class Replacing(FakeS3):
        def answer_to(self, method: str, *rest: object) -> Answer:
            answer = super().answer_to(method, *rest)  # type: ignore[arg-type]
            if method == "HEAD":
                self.data = os.urandom(len(self.data))  # replaced: a new ETag
            return answer

    dest = tmp_path / "out"
    with pytest.raises(s3wire.S3Error) as raised:
        client_of(Replacing(os.urandom(3 * PART))).download_file("b", "k", dest)
    assert raised.value.status == 412
    assert os.listdir(tmp_path) == []


def test_ranges_that_do_not_add_up_to_the_md5_etag_are_refused(tmp_path: Path) -> None:
    class Corrupting(FakeS3):
        def answer_to(self, method: str, *rest: object) -> Answer:
            status, headers, content = super().answer_to(method, *rest)  # type: ignore[arg-type]
            if method == "GET" and content:
                content = bytes([content[0] ^ 1]) + content[1:]
            return status, headers, content

    with pytest.raises(s3wire.ChecksumError, match="ETag"):
        client_of(Corrupting(os.urandom(2 * PART + 1))).download_file("b", "k", tmp_path / "o")
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("algorithm", ["crc32", "crc32c", "crc64nvme", "sha256"])
@pytest.mark.parametrize("damaged", [False, True])
def test_ranges_are_checked_against_the_objects_full_object_checksum(
    tmp_path: Path, algorithm: str, damaged: bool
) -> None:
    """A multipart object has no MD5 ETag; HeadObject (asked with x-amz-checksum-mode) gives
    its full-object checksum, and the ranges, read back, must add up to it."""
    etag = '"0123456789abcdef0123456789abcdef-3"'  # not an MD5: only the checksum checks

    class FullObject(FakeS3):
        def answer_to(
            self, method: str, query: dict[str, list[str]], headers: dict[str, str], body: bytes
        ) -> Answer:
            if method == "HEAD":
                assert headers["x-amz-checksum-mode"] == "ENABLED"
                found = {
                    "ETag": etag,
                    "Content-Length": str(len(self.data)),
                    f"x-amz-checksum-{algorithm}": checksum_of(self.data, algorithm),
                    "x-amz-checksum-type": "FULL_OBJECT",
                }
                return 200, CaseInsensitiveDict(found), b""
            assert headers["If-Match"] == etag
            first, last = byte_range(headers.get("Range"), len(self.data))
            content = self.data[first : last + 1]
            if damaged and last == len(self.data) - 1:
                content = content[:-1] + bytes([content[-1] ^ 0x80])
            if "Range" in headers:
                return 206, CaseInsensitiveDict(), content
            whole = {  # a SHA cannot be made of ranges: one GET, checked as it arrives
                f"x-amz-checksum-{algorithm}": checksum_of(self.data, algorithm),
                "x-amz-checksum-type": "FULL_OBJECT",
            }
            return 200, CaseInsensitiveDict(whole), content

    data = os.urandom(2 * PART + 1)
    dest = tmp_path / "o"
    if damaged:
        with pytest.raises(s3wire.ChecksumError, match=algorithm.upper()):
            client_of(FullObject(data)).download_file("b", "k", dest)
        assert os.listdir(tmp_path) == []
    else:
        client_of(FullObject(data)).download_file("b", "k", dest)
        assert dest.read_bytes() == data


class Composite(FakeS3):
    """A multipart object (parts of `sizes`) whose HeadObject answers a composite CRC32 and
    whose GetObjectAttributes lists the parts, two a page; `damaged`: the last range's last
    byte flipped; `listing`: False answers GetObjectAttributes 501 (radosgw, moto)."""

    ETAG = "0123456789abcdef0123456789abcdef-3"

    def __init__(self, data: bytes, sizes: list[int], damaged: bool, listing: bool) -> None:
        super().__init__(data)
        self.sizes, self.damaged, self.listing = sizes, damaged, listing
        bounds = list(itertools.accumulate(sizes, initial=0))
        self.crcs = [checksum_of(data[a:b], "crc32") for a, b in itertools.pairwise(bounds)]

    def answer_to(
        self, method: str, query: dict[str, list[str]], headers: dict[str, str], body: bytes
    ) -> Answer:
        raw = b"".join(base64.b64decode(crc) for crc in self.crcs)
        if method == "HEAD":
            found = {
                "ETag": f'"{self.ETAG}"',
                "Content-Length": str(len(self.data)),
                "x-amz-checksum-crc32": checksum_of(raw, "crc32") + f"-{len(self.sizes)}",
                "x-amz-checksum-type": "COMPOSITE",
            }
            return 200, CaseInsensitiveDict(found), b""
        if "attributes" in query:
            if not self.listing:
                return 501, CaseInsensitiveDict(), b"<Error><Code>NotImplemented</Code></Error>"
            after = int(headers.get("x-amz-part-number-marker", "0"))
            page = list(enumerate(zip(self.sizes, self.crcs, strict=True), start=1))[after:][:2]
            more = after + 2 < len(self.sizes)
            xml = "".join(
                f"<Part><PartNumber>{n}</PartNumber><Size>{size}</Size>"
                f"<ChecksumCRC32>{crc}</ChecksumCRC32></Part>"
                for n, (size, crc) in page
            )
            listed = (
                f"<GetObjectAttributesResponse><ETag>{self.ETAG}</ETag><ObjectParts>"
                f"<IsTruncated>{str(more).lower()}</IsTruncated>"
                f"<NextPartNumberMarker>{after + 2}</NextPartNumberMarker>{xml}"
                "</ObjectParts></GetObjectAttributesResponse>"
            )
            return 200, CaseInsensitiveDict(), listed.encode()
        first, last = byte_range(headers["Range"], len(self.data))
        content = self.data[first : last + 1]
        if self.damaged and last == len(self.data) - 1:
            content = content[:-1] + bytes([content[-1] ^ 1])
        return 206, CaseInsensitiveDict(), content


@pytest.mark.parametrize("damaged", [False, True])
def test_a_ranged_download_is_checked_against_a_composite_checksum_with_the_listed_parts(
    tmp_path: Path, damaged: bool
) -> None:
    """Part boundaries (7 MiB + 3, 3 MiB - 3, 1) other than the ranges' (5 MiB)."""
    sizes = [PART + 2 * MIB + 3, PART - 2 * MIB - 3, 1]
    data = os.urandom(sum(sizes))
    fake = Composite(data, sizes, damaged=damaged, listing=True)
    dest = tmp_path / "o"
    if damaged:
        with pytest.raises(s3wire.ChecksumError, match=r"part 3 .* CRC32"):
            client_of(fake).download_file("b", "k", dest)
        assert os.listdir(tmp_path) == []
    else:
        client_of(fake).download_file("b", "k", dest)
        assert dest.read_bytes() == data
    assert sum("attributes" in url for _, url, _, _ in fake.sent) == 2  # two pages


def test_without_a_parts_listing_a_composite_checksum_is_not_checked(tmp_path: Path) -> None:
    sizes = [PART + 3, PART - 3, 1]
    data = os.urandom(sum(sizes))
    client_of(Composite(data, sizes, damaged=False, listing=False)).download_file(
        "b", "k", tmp_path / "o"
    )
    assert (tmp_path / "o").read_bytes() == data
