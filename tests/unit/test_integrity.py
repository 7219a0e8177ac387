"""Checksums: the CRCs (native and fallback), what each upload carries, and what each answer
is checked against, through a MockTransport; a byte damaged in either direction is caught."""

from __future__ import annotations

import base64
import hashlib
import io
import itertools
import os
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from awscrt import checksums as crt
from botocore import httpchecksum
from hypothesis import given
from hypothesis import strategies as st
from recording import Recorder, client_with, md5

import s3wire
from s3wire import _checksums as checksums
from s3wire import credentials, integrity
from s3wire._checksums import tables
from s3wire.errors import ChecksumError
from s3wire.testing import Answer, MockTransport
from s3wire.transport_api import Body, Sink

AWS = "https://s3.us-east-1.amazonaws.com"
AWS_HTTP = "http://s3.us-east-1.amazonaws.com"
LOCAL = "http://127.0.0.1:7480"
DATA = b"the object's bytes, whole"


def b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


# Independent implementations: zlib, hashlib and awscrt (botocore's).
ORACLES: dict[str, Callable[[bytes], str]] = {
    "crc32": lambda d: b64(zlib.crc32(d).to_bytes(4, "big")),
    "crc32c": lambda d: b64(crt.crc32c(d).to_bytes(4, "big")),
    "crc64nvme": lambda d: b64(crt.crc64nvme(d).to_bytes(8, "big")),
    "sha1": lambda d: b64(hashlib.sha1(d).digest()),
    "sha256": lambda d: b64(hashlib.sha256(d).digest()),
    "sha512": lambda d: b64(hashlib.sha512(d).digest()),
    "md5": lambda d: b64(hashlib.md5(d).digest()),
}


# --- the CRCs ------------------------------------------------------------------------------------


def test_the_fallback_gives_the_published_check_values() -> None:
    assert tables.crc32c(b"123456789") == 0xE3069283
    assert tables.crc64nvme(b"123456789") == 0xAE8B14860A799888


@given(st.binary(max_size=2048), st.lists(st.integers(0, 2048), max_size=6))
def test_the_fallback_equals_awscrt_however_the_bytes_are_split(
    data: bytes, cuts: list[int]
) -> None:
    bounds = [0, *sorted(min(cut, len(data)) for cut in cuts), len(data)]
    pieces = [data[a:b] for a, b in itertools.pairwise(bounds)]
    for ours, native in ((tables.crc32c, crt.crc32c), (tables.crc64nvme, crt.crc64nvme)):
        value = 0
        for piece in pieces:
            value = ours(piece, value)
        assert value == native(data)


@pytest.mark.parametrize("algorithm", sorted(ORACLES))
def test_every_digest_agrees_with_an_independent_one(algorithm: str) -> None:
    assert integrity.base64_digest((DATA[:5], DATA[5:]), algorithm) == ORACLES[algorithm](DATA)


def test_without_awscrt_the_fallback_computes_the_crcs(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from s3wire import _checksums

    monkeypatch.setitem(sys.modules, "awscrt", None)  # import awscrt fails
    monkeypatch.setattr(_checksums, "_found", {})
    assert not _checksums.native()
    assert integrity.base64_digest((DATA,), "crc64nvme") == ORACLES["crc64nvme"](DATA)


# --- what an upload carries ----------------------------------------------------------------------


def headers_of(url: str = LOCAL, **options: object) -> Callable[..., dict[str, str]]:
    """call(method name, **arguments) -> the headers of the one request it sent."""

    def call(name: str, **arguments: object) -> dict[str, str]:
        recorder = Recorder()
        getattr(client_with(recorder, url, **options), name)(**arguments)
        ((_, _, headers, _),) = recorder.sent
        return headers

    return call


@pytest.mark.parametrize("url", [LOCAL, AWS])
def test_a_bytes_put_object_carries_a_crc32_by_default(url: str) -> None:
    headers = headers_of(url)("put_object", bucket="bkt", key="k", body=DATA)
    assert headers["x-amz-checksum-crc32"] == ORACLES["crc32"](DATA)
    assert headers["x-amz-sdk-checksum-algorithm"] == "CRC32"
    assert "Content-MD5" not in headers  # signed: its SHA-256 is checked too


@pytest.mark.parametrize("algorithm", ["CRC32C", "CRC64NVME", "SHA1", "SHA256"])
def test_the_connections_checksum_algorithm_is_used(algorithm: str) -> None:
    send = headers_of(checksum_algorithm=algorithm)
    headers = send("upload_part", bucket="b", key="k", upload_id="u", part_number=1, body=DATA)
    assert headers[f"x-amz-checksum-{algorithm.lower()}"] == ORACLES[algorithm.lower()](DATA)
    assert headers["x-amz-sdk-checksum-algorithm"] == algorithm


@pytest.mark.parametrize(
    ("url", "md5_too"), [(LOCAL, True), (AWS_HTTP, False)], ids=["other server", "aws"]
)
def test_a_streamed_body_carries_its_md5_beside_its_checksum_off_aws(
    url: str, md5_too: bool
) -> None:
    """A streamed body is not signed: off AWS its MD5 goes too, as radosgw 16 checks only that
    (over https to AWS it goes aws-chunked: below)."""
    headers = headers_of(url)("put_object", bucket="bkt", key="k", body=io.BytesIO(DATA))
    assert headers["x-amz-checksum-crc32"] == ORACLES["crc32"](DATA)
    assert headers.get("Content-MD5") == (md5(DATA) if md5_too else None)


def test_when_required_sends_only_what_an_operation_requires() -> None:
    send = headers_of(request_checksum_calculation="when_required")
    plain = send("put_object", bucket="bkt", key="k", body=DATA)
    assert not [name for name in plain if "checksum" in name.lower() or name == "Content-MD5"]
    streamed = send("put_object", bucket="bkt", key="k", body=io.BytesIO(DATA))
    assert streamed["Content-MD5"] == md5(DATA)  # unsigned: still protected
    assert "x-amz-checksum-crc32" not in streamed


@pytest.mark.parametrize("calculation", ["when_supported", "when_required"])
def test_an_operation_that_requires_a_digest_gets_its_content_md5(calculation: str) -> None:
    """The catalog's content_md5 (botocore: requestChecksumRequired): Content-MD5, which every
    S3 server takes, where boto3 1.36+ sends a CRC32 that older servers refuse."""
    send = headers_of(request_checksum_calculation=calculation)
    headers = send("delete_objects", bucket="bkt", objects=[{"key": "a"}])
    assert "Content-MD5" in headers
    assert not [name for name in headers if name.startswith("x-amz-checksum")]


def test_a_callers_digest_is_kept_and_no_other_computed() -> None:
    send = headers_of(AWS)
    given_md5 = send("put_object", bucket="b", key="k", body=io.BytesIO(DATA), content_md5="m")
    assert given_md5["Content-MD5"] == "m"
    assert not [name for name in given_md5 if name.startswith("x-amz-checksum")]
    given_sha = send("put_object", bucket="b", key="k", body=DATA, checksum_sha256="s")
    assert (given_sha["x-amz-checksum-sha256"], given_sha["x-amz-sdk-checksum-algorithm"]) == (
        "s",
        "SHA256",
    )
    assert "x-amz-checksum-crc32" not in given_sha


def test_no_body_no_digest() -> None:
    headers = headers_of()("head_object", bucket="b", key="k")
    assert not [name for name in headers if "checksum" in name or name == "Content-MD5"]


@pytest.mark.parametrize("url", [AWS_HTTP, AWS], ids=["checksum header", "aws-chunked trailer"])
def test_a_byte_damaged_on_the_way_up_is_refused(url: str) -> None:
    """A stub S3 that checks the CRC32 (header or trailer) as AWS does, behind a link that
    flips one byte of every body's data: the damaged upload is refused, never stored."""

    class Checking(MockTransport):
        def __init__(self) -> None:
            super().__init__()
            self.stored: list[bytes] = []

        def send(
            self,
            method: str,
            url: str,
            headers: dict[str, str],
            body: Body,
            sink: Sink | None = None,
        ) -> tuple[int, dict[str, str], bytes]:
            wire = body.read() if hasattr(body, "read") else body  # type: ignore[union-attr]
            assert isinstance(wire, bytes)
            if headers.get("Content-Encoding") == "aws-chunked":
                data, trailer = decode_chunked(wire.replace(DATA, flipped(DATA)))
                expected = trailer["x-amz-checksum-crc32"]
            else:
                data, expected = flipped(wire), headers["x-amz-checksum-crc32"]
            if expected != ORACLES["crc32"](data):
                return 400, {}, b"<Error><Code>BadDigest</Code></Error>"
            self.stored.append(data)
            return 200, {}, b""

    stub = Checking()
    answer = client_with(stub, url).put_object(bucket="bkt", key="k", body=io.BytesIO(DATA))
    assert (answer.status, answer.response["Error"]["Code"]) == (400, "BadDigest")
    assert stub.stored == []


def flipped(data: bytes) -> bytes:
    return bytes([data[0] ^ 1]) + data[1:]


# --- what an answer is checked against -----------------------------------------------------------


@pytest.mark.parametrize("validation", ["when_supported", "when_required"])
def test_get_object_asks_for_the_stored_checksums(validation: str) -> None:
    headers = headers_of(response_checksum_validation=validation)("get_object", bucket="b", key="k")
    expected = "ENABLED" if validation == "when_supported" else None
    assert headers.get("x-amz-checksum-mode") == expected
    assert "x-amz-checksum-mode" not in headers_of()("head_object", bucket="b", key="k")


def answering(body: bytes, **headers: str) -> s3wire.Client:
    return client_with(MockTransport(Answer(200, headers, body)), max_attempts=1)


@pytest.mark.parametrize("algorithm", sorted(ORACLES))
@pytest.mark.parametrize("streamed", [False, True], ids=["in memory", "into a file"])
def test_a_byte_damaged_on_the_way_down_is_caught(
    algorithm: str, streamed: bool, tmp_path: Path
) -> None:
    header = {f"x-amz-checksum-{algorithm}": ORACLES[algorithm](DATA)}
    damaged = DATA[:7] + bytes([DATA[7] ^ 0x40]) + DATA[8:]
    with open(tmp_path / "out", "wb") as out:
        into = {"into": out} if streamed else {}
        answer = answering(DATA, **header).get_object(bucket="b", key="k", **into)  # type: ignore[arg-type]
        assert answer.status == 200
        with pytest.raises(ChecksumError, match=algorithm.upper()):
            answering(damaged, **header).get_object(bucket="b", key="k", **into)  # type: ignore[arg-type]


XXHASHES = {  # botocore's own XXHASH checksums (over awscrt) as the oracle
    "xxhash64": httpchecksum.CrtXxhash64Checksum,
    "xxhash3": httpchecksum.CrtXxhash3Checksum,
    "xxhash128": httpchecksum.CrtXxhash128Checksum,
}


@pytest.mark.parametrize("algorithm", sorted(XXHASHES))
def test_an_xxhash_is_checked_when_awscrt_computes_it(
    algorithm: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    oracle = XXHASHES[algorithm]()
    oracle.update(DATA)
    header = {f"x-amz-checksum-{algorithm}": oracle.b64digest()}
    damaged = DATA[:3] + bytes([DATA[3] ^ 0x01]) + DATA[4:]
    assert answering(DATA, **header).get_object(bucket="b", key="k").body == DATA
    with pytest.raises(ChecksumError, match=algorithm.upper()):
        answering(damaged, **header).get_object(bucket="b", key="k")
    # Without an awscrt that has XXHash, nothing is checked, and the debug log says so.
    monkeypatch.setattr(checksums, "_xxhash_type", lambda: None)
    with caplog.at_level("DEBUG", "s3wire"):
        assert answering(damaged, **header).get_object(bucket="b", key="k").status == 200
    assert "XXHASH checksum is not checked" in caplog.text


@pytest.mark.parametrize(
    "headers",
    [
        {"x-amz-checksum-crc32": "AAAAAA==-3"},  # a multipart upload's composite checksum
        {"x-amz-checksum-crc32c": "AAAAAA==", "x-amz-checksum-type": "COMPOSITE"},
        {"x-amz-checksum-crc64nvme": "AAAAAAAAAAA=", "Content-Range": "bytes 0-3/25"},
        # no type, a multipart ETag: moto's HeadObject drops a composite checksum's "-N"
        {"x-amz-checksum-crc32": "AAAAAA==", "ETag": '"0123456789abcdef0123456789abcdef-3"'},
    ],
)
def test_composite_and_range_checksums_are_not_checked(headers: dict[str, str]) -> None:
    assert answering(b"anything", **headers).get_object(bucket="b", key="k").status == 200


def test_a_composite_checksum_is_recognized() -> None:
    assert integrity.composite("k2zP+g==-12")
    assert not integrity.composite("k2zP+g==")
    assert not integrity.composite("-3")


# --- the settings ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("request_checksum_calculation", "sometimes"),
        ("response_checksum_validation", "WHEN_SUPPORTED"),
        ("checksum_algorithm", "crc32"),
        ("checksum_algorithm", "XXHASH64"),
    ],
)
def test_bad_checksum_settings_are_refused(option: str, value: str) -> None:
    with pytest.raises(s3wire.ParamError, match=option):
        s3wire.get_data_structure(LOCAL, "AKID", "secret", "us-east-1", **{option: value})


def test_the_settings_come_from_the_environment_then_the_profile(tmp_path: Path) -> None:
    config = tmp_path / "config"
    config.write_text(
        "[default]\nregion = us-east-1\nresponse_checksum_validation = WHEN_REQUIRED\n"
        "request_checksum_calculation = when_supported\n"
    )
    env = {
        "AWS_CONFIG_FILE": str(config),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "none"),
        "AWS_ACCESS_KEY_ID": "AKID",
        "AWS_SECRET_ACCESS_KEY": "secret",
        "AWS_REQUEST_CHECKSUM_CALCULATION": "WHEN_REQUIRED",
        "AWS_EC2_METADATA_DISABLED": "true",
    }
    data = credentials.connection_data(environ=env)
    assert data["request_checksum_calculation"] == "when_required"
    assert data["response_checksum_validation"] == "when_required"
    explicit = credentials.connection_data(
        environ=env, request_checksum_calculation="when_supported"
    )
    assert explicit["request_checksum_calculation"] == "when_supported"


# --- aws-chunked with a trailing checksum (over https to AWS) ----------------------------------


def decode_chunked(wire: bytes) -> tuple[bytes, dict[str, str]]:
    """An aws-chunked body's bytes and its trailer, decoded as S3 would."""
    stream, data = io.BytesIO(wire), b""
    while True:
        size = int(stream.readline().rstrip(b"\r\n"), 16)
        if size == 0:
            break
        data += stream.read(size)
        assert stream.read(2) == b"\r\n"
    trailer = {}
    while (line := stream.readline()) != b"\r\n":
        name, _, value = line.decode().rstrip("\r\n").partition(":")
        trailer[name] = value
    assert stream.read() == b""
    return data, trailer


@pytest.mark.parametrize("size", [0, 1, 65_535, 65_536, 200_000])
@pytest.mark.parametrize("algorithm", ["CRC32", "CRC64NVME", "SHA256"])
def test_a_stream_to_aws_over_https_goes_aws_chunked_read_once(size: int, algorithm: str) -> None:
    data = os.urandom(size)

    class Counting(io.BytesIO):
        reads = 0

        def read(self, n: int | None = -1) -> bytes:
            Counting.reads += len(got := super().read(n))
            return got

    recorder = Recorder()
    client = client_with(recorder, AWS, checksum_algorithm=algorithm)
    client.put_object(bucket="bkt", key="k", body=Counting(data))
    ((_, _, headers, wire),) = recorder.sent
    assert isinstance(wire, bytes)
    if size == 0:  # an empty stream is sent as b"": signed, with its checksum header
        assert headers[f"x-amz-checksum-{algorithm.lower()}"] == ORACLES[algorithm.lower()](b"")
        return
    assert headers["x-amz-content-sha256"] == "STREAMING-UNSIGNED-PAYLOAD-TRAILER"
    assert headers["Content-Encoding"] == "aws-chunked"
    assert headers["x-amz-decoded-content-length"] == str(size)
    assert headers["x-amz-trailer"] == f"x-amz-checksum-{algorithm.lower()}"
    assert "Content-MD5" not in headers
    assert "x-amz-checksum-crc32" not in headers
    decoded, trailer = decode_chunked(wire)
    assert decoded == data
    assert trailer == {f"x-amz-checksum-{algorithm.lower()}": ORACLES[algorithm.lower()](data)}
    assert Counting.reads == size  # read once


def test_an_aws_chunked_body_starts_over_on_a_retry() -> None:
    data = os.urandom(100_000)
    script = MockTransport(Answer(500, {}, b"<Error><Code>InternalError</Code></Error>"), Answer())
    client = client_with(script, AWS, retry_base_delay=0)
    assert client.put_object(bucket="bkt", key="k", body=io.BytesIO(data)).status == 200
    first, second = script.requests
    assert first[3] == second[3]
    assert decode_chunked(second[3])[0] == data  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("url", "given"),
    [
        (AWS_HTTP, {}),  # not https: the payload is not chunked
        (LOCAL.replace("http", "https"), {}),  # not AWS: many servers refuse aws-chunked
        (AWS, {"content_md5": md5(DATA)}),  # a caller's digest: sent as given
        (AWS, {"content_encoding": "gzip"}),
    ],
)
def test_other_streams_are_not_chunked(url: str, given: dict[str, str]) -> None:
    recorder = Recorder()
    client_with(recorder, url).put_object(bucket="bkt", key="k", body=io.BytesIO(DATA), **given)  # type: ignore[arg-type]
    ((_, _, headers, wire),) = recorder.sent
    assert wire == DATA
    assert headers["x-amz-content-sha256"] == "UNSIGNED-PAYLOAD"


def test_upload_file_to_aws_reads_each_part_once_and_lists_the_answered_checksums(
    tmp_path: Path,
) -> None:
    """Over https to AWS the parts' CRC32 goes in their trailers; S3 answers it, and
    CompleteMultipartUpload lists what it answered."""
    part = 5 * 1024 * 1024
    data = os.urandom(part + 10)

    class Aws(MockTransport):
        def send(
            self,
            method: str,
            url: str,
            headers: dict[str, str],
            body: Body,
            sink: Sink | None = None,
        ) -> tuple[int, dict[str, str], bytes]:
            wire = body.read() if hasattr(body, "read") else body  # type: ignore[union-attr]
            self.requests.append((method, url, headers, wire))
            if "uploads" in url:
                return (
                    200,
                    {},
                    b"<InitiateMultipartUploadResult><UploadId>u</UploadId></InitiateMultipartUploadResult>",
                )
            if method == "PUT":
                _, trailer = decode_chunked(wire)  # type: ignore[arg-type]
                return 200, {"ETag": '"e"', **trailer}, b""
            return 200, {}, b"<CompleteMultipartUploadResult/>"

    aws = Aws()
    source = tmp_path / "f"
    source.write_bytes(data)
    client_with(aws, AWS, part_size=part).upload_file("bkt", "k", source)
    create, *parts, complete = aws.requests
    parts.sort(key=lambda request: request[1])  # partNumber=1, then 2
    assert create[2]["x-amz-checksum-algorithm"] == "CRC32"
    for chunk, (_, _, _, wire) in zip((data[:part], data[part:]), parts, strict=True):
        assert decode_chunked(wire)[0] == chunk  # type: ignore[arg-type]
    for chunk in (data[:part], data[part:]):
        listed = f"<ChecksumCRC32>{ORACLES['crc32'](chunk)}</ChecksumCRC32>"
        assert listed.encode() in complete[3]  # type: ignore[operator]


@given(
    st.binary(max_size=3000),
    st.integers(1, 700),
    st.lists(st.integers(1, 900), min_size=1, max_size=8),
    st.sampled_from(["crc32", "crc32c", "crc64nvme", "sha256"]),
)
def test_an_aws_chunked_body_is_as_long_as_it_says_however_it_is_read(
    data: bytes, chunk: int, reads: list[int], algorithm: str
) -> None:
    from s3wire._checksums.chunked import AwsChunked

    stream = io.BytesIO(b"skipped" + data)
    stream.seek(7)
    body = AwsChunked(stream, algorithm, chunk)
    assert integrity.bytes_left(body) == body.length  # type: ignore[arg-type]
    wire = b""
    for size in itertools.cycle(reads):
        got = body.read(size)
        if not got:
            break
        wire += got
    assert len(wire) == body.length
    decoded, trailer = decode_chunked(wire)
    assert decoded == data
    assert trailer == {f"x-amz-checksum-{algorithm}": ORACLES[algorithm](data)}
    body.seek(0)  # a retry reads it all again, from the stream's start
    assert body.read() == wire
