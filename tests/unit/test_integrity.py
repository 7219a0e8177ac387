"""Checksums: the CRCs (native and fallback), what each upload carries, and what each answer
is checked against, through a MockTransport; a byte damaged in either direction is caught."""

from __future__ import annotations

import base64
import hashlib
import io
import itertools
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from awscrt import checksums as crt
from hypothesis import given
from hypothesis import strategies as st
from recording import Recorder, client_with, md5

import s3wire
from s3wire import credentials, integrity
from s3wire._checksums import tables
from s3wire.errors import ChecksumError
from s3wire.testing import Answer, MockTransport
from s3wire.transport_api import Body, Sink

AWS = "https://s3.us-east-1.amazonaws.com"
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
    ("url", "md5_too"), [(LOCAL, True), (AWS, False)], ids=["other server", "aws"]
)
def test_a_streamed_body_carries_its_md5_beside_its_checksum_off_aws(
    url: str, md5_too: bool
) -> None:
    """A streamed body is not signed: off AWS its MD5 goes too, as radosgw 16 checks only that."""
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


def test_a_byte_damaged_on_the_way_up_is_refused() -> None:
    """A stub S3 that checks x-amz-checksum-crc32 as AWS does, behind a link that flips one
    byte of every body: the damaged upload is refused (400 BadDigest), never stored."""

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
            data = body.read() if hasattr(body, "read") else body  # type: ignore[union-attr]
            assert isinstance(data, bytes)
            damaged = bytes([data[0] ^ 1]) + data[1:]
            if headers["x-amz-checksum-crc32"] != ORACLES["crc32"](damaged):
                return 400, {}, b"<Error><Code>BadDigest</Code></Error>"
            self.stored.append(damaged)
            return 200, {}, b""

    stub = Checking()
    answer = client_with(stub, AWS).put_object(bucket="bkt", key="k", body=io.BytesIO(DATA))
    assert (answer.status, answer.response["Error"]["Code"]) == (400, "BadDigest")
    assert stub.stored == []


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
