"""upload_file and download_file against an in-memory fake S3: parts, retries, clean failure."""

from __future__ import annotations

import base64
import hashlib
import io
import os
import re
import threading
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from recording import Recorder, client_with
from requests.structures import CaseInsensitiveDict

import s3wire
from s3wire import testing
from s3wire.transport_api import Body, Sink

MIB = 1024 * 1024
PART = 5 * MIB
Answer = tuple[int, CaseInsensitiveDict[str], bytes]
ERROR = b"<Error><Code>InternalError</Code><Message>try again</Message></Error>"


class FakeS3(Recorder):
    """Just enough S3 for transfers: one object, multipart uploads; scripted failures.

    `fail` maps a request's 1-based number to what it gets instead of a real answer: a status
    (answered with an error body) or an exception (raised).
    """

    def __init__(self, data: bytes = b"", fail: dict[int, int | Exception] | None = None) -> None:
        super().__init__()
        self.data = data
        self.fail = fail or {}
        self.parts: dict[int, bytes] = {}
        self.lock = threading.Lock()

    def send(
        self, method: str, url: str, headers: dict[str, str], body: Body, sink: Sink | None = None
    ) -> Answer:
        content = body.read() if hasattr(body, "read") else body  # type: ignore[union-attr]
        with self.lock:
            self.sent.append((method, url, dict(headers), content))
            failure = self.fail.get(len(self.sent))
        if isinstance(failure, Exception):
            raise failure
        if failure is not None:
            return failure, CaseInsensitiveDict(), ERROR
        query = parse_qs(urlsplit(url).query, keep_blank_values=True)
        answer = self.answer_to(method, query, headers, content or b"")
        return testing.Answer(*answer).deliver(method, sink)

    def answer_to(
        self, method: str, query: dict[str, list[str]], headers: dict[str, str], content: bytes
    ) -> Answer:
        etag = f'"{hashlib.md5(self.data).hexdigest()}"'
        if method == "POST" and "uploads" in query:
            xml = b"<InitiateMultipartUploadResult><UploadId>up-1</UploadId>"
            return 200, CaseInsensitiveDict(), xml + b"</InitiateMultipartUploadResult>"
        if method == "PUT" and "partNumber" in query:
            assert (
                headers["Content-MD5"] == base64.b64encode(hashlib.md5(content).digest()).decode()
            )
            self.parts[int(query["partNumber"][0])] = content
            return 200, CaseInsensitiveDict(ETag=f'"{hashlib.md5(content).hexdigest()}"'), b""
        if method == "POST":
            self.data = b"".join(self.parts[n] for n in sorted(self.parts))
            xml = b"<CompleteMultipartUploadResult><ETag>done</ETag>"
            return 200, CaseInsensitiveDict(), xml + b"</CompleteMultipartUploadResult>"
        if method == "PUT":
            self.data = content
            return 200, CaseInsensitiveDict(ETag=etag), b""
        if method == "DELETE":
            return 204, CaseInsensitiveDict(), b""
        if method == "HEAD":
            return (
                200,
                CaseInsensitiveDict(ETag=etag, **{"Content-Length": str(len(self.data))}),
                b"",
            )
        if headers.get("If-Match") != etag:
            return 412, CaseInsensitiveDict(), b"<Error><Code>PreconditionFailed</Code></Error>"
        first, last = byte_range(headers.get("Range"), len(self.data))
        return (
            (206 if "Range" in headers else 200),
            CaseInsensitiveDict(ETag=etag),  # as S3 answers: checked by the client
            self.data[first : last + 1],
        )

    def kinds(self) -> list[str]:
        """Each request as METHOD plus its query keys, like "PUT partNumber,uploadId"."""
        return [
            f"{m} {','.join(sorted(parse_qs(urlsplit(u).query, keep_blank_values=True)))}".strip()
            for m, u, _, _ in self.sent
        ]


def byte_range(header: str | None, size: int) -> tuple[int, int]:
    if header is None:
        return 0, size - 1
    match = re.fullmatch(r"bytes=(\d+)-(\d+)", header)
    assert match is not None
    return int(match[1]), int(match[2])


def client_of(fake: Recorder) -> s3wire.Client:
    return client_with(fake, part_size=PART, retry_base_delay=0)


CREATE, PART_PUT, COMPLETE, ABORT = (
    "POST uploads",
    "PUT partNumber,uploadId",
    "POST uploadId",
    "DELETE uploadId",
)


def test_a_large_file_goes_up_in_parts(tmp_path: Path) -> None:
    data = os.urandom(2 * PART + 12345)
    source = tmp_path / "big"
    source.write_bytes(data)
    fake = FakeS3()
    answer = client_of(fake).upload_file("b", "k", source, content_type="x/y", metadata={"a": "1"})
    assert answer.response == {"CompleteMultipartUploadResult": {"ETag": "done"}}
    assert fake.kinds() == [CREATE, PART_PUT, PART_PUT, PART_PUT, COMPLETE]
    assert [len(fake.parts[n]) for n in (1, 2, 3)] == [PART, PART, 12345]
    assert fake.data == data
    create_headers = fake.sent[0][2]
    assert (create_headers["Content-Type"], create_headers["x-amz-meta-a"]) == ("x/y", "1")
    complete = fake.sent[-1][3]
    assert isinstance(complete, bytes)
    etags = [f'"{hashlib.md5(fake.parts[n]).hexdigest()}"'.encode() for n in (1, 2, 3)]
    assert re.findall(rb"<PartNumber>(\d)</PartNumber>", complete) == [b"1", b"2", b"3"]
    assert re.findall(rb"<ETag>([^<]+)</ETag>", complete) == etags


def test_an_exact_multiple_of_part_size_sends_no_empty_part() -> None:
    fake = FakeS3()
    client_of(fake).upload_file("b", "k", io.BytesIO(b"x" * 2 * PART))
    assert fake.kinds() == [CREATE, PART_PUT, PART_PUT, COMPLETE]


def test_a_file_object_is_read_from_its_position() -> None:
    stream = io.BytesIO(b"skip" + b"y" * PART)
    stream.seek(4)
    fake = FakeS3()
    client_of(fake).upload_file("b", "k", stream)
    assert fake.data == b"y" * PART
    assert fake.kinds() == [CREATE, PART_PUT, COMPLETE]


def test_a_small_file_is_one_streamed_put(tmp_path: Path) -> None:
    source = tmp_path / "small"
    source.write_bytes(b"hello")
    fake = FakeS3()
    answer = client_of(fake).upload_file("b", "k", str(source), content_type="text/plain")
    assert answer.status == 200
    assert fake.kinds() == ["PUT"]
    assert fake.sent[0][2]["x-amz-content-sha256"] == "UNSIGNED-PAYLOAD"  # streamed, not loaded
    assert fake.data == b"hello"


def test_an_empty_file_is_one_put_of_no_bytes(tmp_path: Path) -> None:
    (tmp_path / "empty").write_bytes(b"")
    fake = FakeS3(b"old")
    client_of(fake).upload_file("b", "k", tmp_path / "empty")
    assert fake.kinds() == ["PUT"]
    assert fake.sent[0][3] == b""
    assert fake.data == b""


def test_a_stream_that_cannot_seek_goes_up_in_parts() -> None:
    class Pipe(io.RawIOBase):
        def __init__(self, data: bytes) -> None:
            self.left = data

        def readable(self) -> bool:
            return True

        def readinto(self, buffer: bytearray) -> int:  # type: ignore[override]
            size = min(len(buffer), len(self.left), 1000)  # short reads, like a pipe
            buffer[:size], self.left = self.left[:size], self.left[size:]
            return size

    fake = FakeS3()
    client_of(fake).upload_file("b", "k", Pipe(b"z" * (PART + 1)))
    assert fake.kinds() == [CREATE, PART_PUT, PART_PUT, COMPLETE]
    assert fake.data == b"z" * (PART + 1)


def test_a_failed_part_is_retried() -> None:
    fake = FakeS3(fail={3: 503, 4: s3wire.TransportError("reset")})
    client_of(fake).upload_file("b", "k", io.BytesIO(b"d" * (PART + 10)), concurrency=1)
    assert fake.kinds() == [CREATE, PART_PUT, PART_PUT, PART_PUT, PART_PUT, COMPLETE]
    assert fake.data == b"d" * (PART + 10)


def test_a_part_failing_every_time_aborts_the_upload() -> None:
    fake = FakeS3(fail={n: 500 for n in range(3, 7)})
    with pytest.raises(s3wire.S3Error, match="500 InternalError"):
        client_of(fake).upload_file("b", "k", io.BytesIO(b"d" * (3 * PART)), concurrency=1)
    assert fake.kinds() == [CREATE, PART_PUT] + [PART_PUT] * 4 + [ABORT]
    method, url, _, _ = fake.sent[-1]
    assert (method, parse_qs(urlsplit(url).query)) == ("DELETE", {"uploadId": ["up-1"]})


def test_a_client_error_on_a_part_is_not_retried() -> None:
    fake = FakeS3(fail={2: 403})
    with pytest.raises(s3wire.S3Error, match="403"):
        client_of(fake).upload_file("b", "k", io.BytesIO(b"d" * PART), concurrency=1)
    assert fake.kinds() == [CREATE, PART_PUT, ABORT]


def test_a_network_failure_on_every_try_aborts_and_raises_it() -> None:
    fake = FakeS3(fail={n: s3wire.TransportError("down") for n in range(2, 6)})
    with pytest.raises(s3wire.TransportError, match="down"):
        client_of(fake).upload_file("b", "k", io.BytesIO(b"d" * PART), concurrency=1)
    assert fake.kinds() == [CREATE] + [PART_PUT] * 4 + [ABORT]


def test_a_read_error_aborts_the_upload() -> None:
    class Failing(io.BytesIO):
        def read(self, size: int | None = -1) -> bytes:
            if self.tell() >= PART:
                raise OSError("disk on fire")
            return super().read(size)

    fake = FakeS3()
    with pytest.raises(OSError, match="disk on fire"):
        client_of(fake).upload_file("b", "k", Failing(b"d" * (2 * PART)), concurrency=1)
    assert fake.kinds() == [CREATE, PART_PUT, ABORT]


def test_complete_answering_200_with_an_error_aborts() -> None:
    class FailingComplete(FakeS3):
        def answer_to(self, method: str, query: dict[str, list[str]], *rest: object) -> Answer:
            if method == "POST" and "uploadId" in query:
                return 200, CaseInsensitiveDict(), ERROR
            return super().answer_to(method, query, *rest)  # type: ignore[arg-type]

    fake = FailingComplete()
    with pytest.raises(s3wire.S3Error, match="InternalError: try again"):
        client_of(fake).upload_file("b", "k", io.BytesIO(b"d" * PART), concurrency=1)
    assert fake.kinds() == [CREATE, PART_PUT] + [COMPLETE] * 4 + [ABORT]  # retried, as S3 asks


def test_a_failed_abort_warns_and_the_first_error_is_raised() -> None:
    fake = FakeS3(fail={2: 403, 3: 405})  # the part refused; the abort refused too
    warning = "could not abort multipart upload up-1 of b/k"
    with pytest.warns(RuntimeWarning, match=warning), pytest.raises(s3wire.S3Error, match="403"):
        client_of(fake).upload_file("b", "k", io.BytesIO(b"d" * PART), concurrency=1)


def test_a_failed_create_sends_nothing_more() -> None:
    fake = FakeS3(fail={1: 403})
    with pytest.raises(s3wire.S3Error, match="403"):
        client_of(fake).upload_file("b", "k", io.BytesIO(b"d" * PART), concurrency=1)
    assert fake.kinds() == [CREATE]


@pytest.mark.parametrize(
    ("source", "error"),
    [
        (b"bytes", s3wire.ParamError),
        (42, s3wire.ParamError),
        ("/no/such/file", s3wire.LocalFileError),
    ],
)
def test_a_bad_source_is_refused_before_sending(source: object, error: type[Exception]) -> None:
    fake = FakeS3()
    with pytest.raises(error):
        client_of(fake).upload_file("b", "k", source)  # type: ignore[arg-type]
    assert fake.sent == []


def files_in(directory: Path) -> list[str]:
    return sorted(os.listdir(directory))


def test_a_large_object_comes_down_in_ranges(tmp_path: Path) -> None:
    data = os.urandom(2 * PART + 7)
    fake = MultipartObject(data)
    head = client_of(fake).download_file("b", "k", tmp_path / "out")
    assert head.fields["content_length"] == len(data)
    assert (tmp_path / "out").read_bytes() == data
    assert files_in(tmp_path) == ["out"]
    ranges = [headers.get("Range") for method, _, headers, _ in fake.sent if method == "GET"]
    assert sorted(ranges, key=lambda r: int(str(r)[6:].split("-")[0])) == [
        f"bytes=0-{PART - 1}",
        f"bytes={PART}-{2 * PART - 1}",
        f"bytes={2 * PART}-{2 * PART + 6}",
    ]


def test_a_small_object_is_one_get(tmp_path: Path) -> None:
    fake = FakeS3(b"small")
    client_of(fake).download_file("b", "k", str(tmp_path / "out"), version_id="v1")
    assert (tmp_path / "out").read_bytes() == b"small"
    assert [(method, urlsplit(url).query) for method, url, _, _ in fake.sent] == [
        ("HEAD", "versionId=v1"),
        ("GET", "versionId=v1"),
    ]
    assert "Range" not in fake.sent[1][2]


@pytest.mark.parametrize(
    "fail",
    [
        {1: 404},  # HeadObject: the key is missing
        {3: 412},  # the second range: the object was replaced
        {n: s3wire.TransportError("cut") for n in range(4, 8)},  # every try of a range
    ],
)
def test_a_failed_download_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, fail: dict[int, int | Exception]
) -> None:
    dest = tmp_path / "out"
    dest.write_bytes(b"precious")
    fake = MultipartObject(os.urandom(3 * PART), fail=fail)
    with pytest.raises((s3wire.S3Error, s3wire.TransportError)):
        client_of(fake).download_file("b", "k", dest, concurrency=1)
    assert dest.read_bytes() == b"precious"
    assert files_in(tmp_path) == ["out"]


def test_a_short_body_is_refused(tmp_path: Path) -> None:
    class Short(MultipartObject):  # no MD5 to check: the length is what fails
        def answer_to(self, *args: object) -> Answer:
            status, headers, content = super().answer_to(*args)  # type: ignore[arg-type]
            return status, headers, content[:-1] if args[0] == "GET" else content

    with pytest.raises(s3wire.ResponseError, match="got 4 bytes of 5"):
        client_of(Short(b"12345")).download_file("b", "k", tmp_path / "out")
    assert files_in(tmp_path) == []


class MultipartObject(FakeS3):
    """The object answers a multipart ETag (not an MD5), as after a multipart upload."""

    def answer_to(
        self, method: str, query: dict[str, list[str]], headers: dict[str, str], content: bytes
    ) -> Answer:
        if method == "GET" and headers.get("If-Match") == '"abc-3"':
            headers = {**headers, "If-Match": f'"{hashlib.md5(self.data).hexdigest()}"'}
        status, answered, body = super().answer_to(method, query, headers, content)
        if "ETag" in answered:
            answered["ETag"] = '"abc-3"'
        return status, answered, body


@pytest.mark.skipif(not hasattr(os, "posix_fadvise"), reason="posix_fadvise is Linux's")
@pytest.mark.parametrize(("fake", "expected"), [(MultipartObject, 3), (FakeS3, 1)])
def test_ranges_go_to_disk_as_they_finish(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake: type[FakeS3], expected: int
) -> None:
    advice: list[tuple[int, int, int]] = []
    monkeypatch.setattr(os, "posix_fadvise", lambda _fd, *rest: advice.append(rest))
    data = os.urandom(2 * PART + 7)
    client_of(fake(data)).download_file("b", "k", tmp_path / "out", concurrency=1)
    assert (tmp_path / "out").read_bytes() == data
    assert len(advice) == expected
    first = PART if expected > 1 else len(data)  # an MD5 ETag: one GET
    assert advice[0] == (0, first, os.POSIX_FADV_DONTNEED)
