"""The retry policy's decisions and waits, the region redirect rules, the integrity checks and
the retry settings of the connection data, as pure functions."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import zlib

import pytest
from requests.structures import CaseInsensitiveDict

import s3wire
from s3wire import integrity
from s3wire._request import redirect
from s3wire._request.retry import RetryPolicy, retry_after_seconds
from s3wire.errors import ChecksumError
from s3wire.response import Response


def answer(
    status: int, code: str | None = None, **headers: str
) -> Response[dict[str, object], dict[str, object]]:
    """An answer as the client builds it; a 2xx with a code is an error inside a 200 (the
    answer of an operation whose catalog entry says error_in_200)."""
    body = {"Error": {"Code": code}} if code else {}
    return Response(
        status=status,
        response=body,
        headers=CaseInsensitiveDict(headers),
        body=b"",
        fields={},
        error_in_body=200 <= status < 300 and code is not None,
    )


def highest(low: float, high: float) -> float:
    return high


POLICY = RetryPolicy(max_attempts=4, base_delay=0.5, max_delay=20.0, uniform=highest)


@pytest.mark.parametrize(
    ("status", "code", "reason"),
    [
        (500, "InternalError", "500 InternalError"),
        (502, None, "502 HTTP error"),
        (503, "SlowDown", "503 SlowDown"),
        (504, None, "504 HTTP error"),
        (429, None, "429 HTTP error"),
        (400, "RequestTimeout", "400 RequestTimeout"),
        (400, "BadDigest", "400 BadDigest"),
        (409, "OperationAborted", "409 OperationAborted"),
        (200, "InternalError", "200 InternalError"),  # CompleteMultipartUpload failing late
        (200, None, None),
        (404, "NoSuchKey", None),
        (403, "AccessDenied", None),
        (403, "InternalError", None),  # a refusal says so by its status
        (400, "InvalidArgument", None),
        (301, "PermanentRedirect", None),
        (501, "NotImplemented", None),
    ],
)
def test_what_is_retried(status: int, code: str | None, reason: str | None) -> None:
    assert POLICY.reason(answer(status, code)) == reason


def test_a_success_answers_body_does_not_decide_a_retry() -> None:
    """A 200 whose body merely holds an Error element (no error_in_200 operation) is final."""
    success = Response(
        status=200, response={"Error": {"Code": "InternalError"}}, headers={}, body=b"", fields={}
    )
    assert (success.ok, POLICY.reason(success)) == (True, None)


def test_full_jitter_grows_to_the_ceiling() -> None:
    assert [POLICY.delay(tries) for tries in range(1, 9)] == [0.5, 1, 2, 4, 8, 16, 20, 20]
    lowest = RetryPolicy(4, 0.5, 20.0, uniform=lambda low, high: low)
    assert lowest.delay(3) == 0


def test_jitter_is_random_within_its_bounds() -> None:
    policy = RetryPolicy(4, 1.0, 20.0)
    delays = [policy.delay(3) for _ in range(200)]
    assert all(0 <= delay <= 4 for delay in delays)
    assert len(set(delays)) > 150


def test_retry_after_is_honoured_up_to_the_ceiling() -> None:
    lowest = RetryPolicy(4, 0.5, 20.0, uniform=lambda low, high: low)
    assert lowest.delay(1, "3") == 3
    assert lowest.delay(1, "120") == 20
    assert POLICY.delay(4, "1") == 4  # the backoff is longer than asked
    assert lowest.delay(1, "soon") == 0


def test_retry_after_values() -> None:
    now = dt.datetime(2024, 5, 6, 7, 8, 9, tzinfo=dt.timezone.utc)
    assert retry_after_seconds("7", now) == 7
    assert retry_after_seconds(" 7 ", now) == 7
    assert retry_after_seconds("Mon, 06 May 2024 07:08:19 GMT", now) == 10
    assert retry_after_seconds("Mon, 06 May 2024 07:00:00 GMT", now) == 0  # past
    for unreadable in (None, "", "-1", "1.5e3", "²", "Mon, 99 Foo", "tomorrow"):
        assert retry_after_seconds(unreadable, now) is None


@pytest.mark.parametrize(
    ("status", "code", "headers", "body_region", "expected"),
    [
        (301, "PermanentRedirect", {"x-amz-bucket-region": "eu-west-1"}, None, "eu-west-1"),
        (307, "TemporaryRedirect", {"x-amz-bucket-region": "eu-west-1"}, None, "eu-west-1"),
        (301, None, {"x-amz-bucket-region": "ap-south-1"}, None, "ap-south-1"),  # HEAD
        (400, None, {"x-amz-bucket-region": "ap-south-1"}, None, "ap-south-1"),  # HEAD
        (403, None, {"x-amz-bucket-region": "ap-south-1"}, None, None),
        (400, "AuthorizationHeaderMalformed", {}, "eu-central-1", "eu-central-1"),
        (301, "PermanentRedirect", {"x-amz-bucket-region": "us-east-1"}, None, None),  # same
        (301, "PermanentRedirect", {}, None, None),  # no region named
        (400, "InvalidArgument", {"x-amz-bucket-region": "eu-west-1"}, None, None),
        (200, None, {"x-amz-bucket-region": "eu-west-1"}, None, None),
        (301, "PermanentRedirect", {"x-amz-bucket-region": "evil.example.com/"}, None, None),
    ],
)
def test_region_redirects(
    status: int,
    code: str | None,
    headers: dict[str, str],
    body_region: str | None,
    expected: str | None,
) -> None:
    response = answer(status, code, **headers)
    if body_region:
        response.response["Error"]["Region"] = body_region  # type: ignore[index]
    assert redirect.region_to_follow(response, "us-east-1") == expected


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("s3.amazonaws.com", "s3.eu-west-1.amazonaws.com"),
        ("s3.us-east-1.amazonaws.com", "s3.eu-west-1.amazonaws.com"),
        ("bkt.s3.us-west-2.amazonaws.com", "bkt.s3.eu-west-1.amazonaws.com"),
        ("s3-us-west-2.amazonaws.com", "s3.eu-west-1.amazonaws.com"),
        ("s3.dualstack.us-east-1.amazonaws.com", "s3.dualstack.eu-west-1.amazonaws.com"),
        ("127.0.0.1:7480", "127.0.0.1:7480"),
        ("minio.example.com", "minio.example.com"),
    ],
)
def test_host_for_a_region(host: str, expected: str) -> None:
    assert redirect.host_for_region(host, "eu-west-1") == expected


DATA = b"the object's bytes"
MD5_ETAG = f'"{hashlib.md5(DATA).hexdigest()}"'


def b64(digest: bytes) -> str:
    return base64.b64encode(digest).decode()


@pytest.mark.parametrize(
    "headers",
    [
        {"ETag": MD5_ETAG},
        {"ETag": MD5_ETAG.upper()},
        {"x-amz-checksum-crc32": b64(zlib.crc32(DATA).to_bytes(4, "big"))},
        {"x-amz-checksum-sha256": b64(hashlib.sha256(DATA).digest())},
        {"x-amz-checksum-sha1": b64(hashlib.sha1(DATA).digest()), "ETag": MD5_ETAG},
    ],
)
def test_an_intact_object_passes(headers: dict[str, str]) -> None:
    integrity.check_object(200, CaseInsensitiveDict(headers), DATA)


@pytest.mark.parametrize(
    ("headers", "message"),
    [
        ({"ETag": MD5_ETAG}, "ETag"),
        ({"x-amz-checksum-crc32": b64(zlib.crc32(DATA).to_bytes(4, "big"))}, "CRC32"),
        ({"x-amz-checksum-sha256": b64(hashlib.sha256(DATA).digest())}, "SHA256"),
    ],
)
def test_a_damaged_object_is_refused(headers: dict[str, str], message: str) -> None:
    with pytest.raises(ChecksumError, match=message):
        integrity.check_object(200, CaseInsensitiveDict(headers), DATA[:-1] + b"?")


@pytest.mark.parametrize(
    ("status", "headers"),
    [
        (206, {"ETag": MD5_ETAG}),  # a range
        (200, {"ETag": MD5_ETAG, "Content-Range": "bytes 0-3/18"}),
        (200, {"ETag": '"0123456789abcdef0123456789abcdef-2"'}),  # multipart
        (200, {"ETag": MD5_ETAG, "x-amz-server-side-encryption": "aws:kms"}),
        (200, {"ETag": MD5_ETAG, "x-amz-server-side-encryption-customer-algorithm": "AES256"}),
        (200, {"ETag": 'W/"0123456789abcdef0123456789abcdef"'}),  # weak: not the bytes' MD5
        (200, {"x-amz-checksum-crc32": "AAAAAA==-3"}),  # composite
        (200, {"x-amz-checksum-crc32": "AAAAAA==", "x-amz-checksum-type": "COMPOSITE"}),
        (404, {"ETag": MD5_ETAG}),
    ],
)
def test_what_is_not_checked(status: int, headers: dict[str, str]) -> None:
    integrity.check_object(status, CaseInsensitiveDict(headers), b"anything")


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"max_attempts": 0}, "max_attempts must be 1 to 20"),
        ({"max_attempts": 21}, "max_attempts must be 1 to 20"),
        ({"max_attempts": 2.0}, "max_attempts must be an int"),
        ({"max_attempts": True}, "max_attempts must be an int"),
        ({"retry_base_delay": -1}, "retry_base_delay must be a number of seconds"),
        ({"retry_max_delay": float("inf")}, "retry_max_delay must be a number of seconds"),
        ({"retry_max_delay": float("nan")}, "retry_max_delay must be a number of seconds"),
        ({"read_timeout": float("nan")}, "read_timeout must be a positive number"),
        ({"connect_timeout": 0}, "connect_timeout must be a positive number"),
    ],
)
def test_retry_settings_are_checked(options: dict[str, object], message: str) -> None:
    with pytest.raises(s3wire.ParamError, match=message):
        s3wire.get_data_structure("http://h", "a", "s", "r", **options)


def test_retry_settings_have_defaults_and_round_trip() -> None:
    data = s3wire.get_data_structure("http://h", "a", "s", "r", max_attempts=1)
    assert (data["max_attempts"], data["retry_base_delay"], data["retry_max_delay"]) == (
        1,
        0.5,
        20.0,
    )
    assert s3wire.Client(data).data == data
    defaults = s3wire.get_data_structure("http://h", "a", "s", "r")
    assert (defaults["max_attempts"], defaults["connect_timeout"], defaults["read_timeout"]) == (
        4,
        10.0,
        60.0,
    )
