"""s3wire.signing against AWS's published SigV4 test suite (read in place, never copied)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from unittest import mock
from urllib.parse import unquote

import pytest

from s3wire import signing
from s3wire.signing import (
    Signer,
    canonical_headers,
    canonical_query,
    canonical_request,
    encode_path,
    format_amz_date,
    string_to_sign,
)

SUITE = Path(__file__).resolve().parents[2].parent / "shared" / "sigv4-testsuite"

# Excluded: every "*-normalized" case. Those expect RFC 3986 dot-segment/duplicate-slash
# normalisation of the path, which S3 does not do (an S3 key may legitimately contain "//" or
# "/../"); each has an "*-unnormalized" twin with the same request, which is run instead.
EXCLUDED_SUFFIX = "-normalized"


def _case_names() -> list[Any]:
    if not SUITE.is_dir():
        reason = f"AWS SigV4 test suite not found at {SUITE}"
        return [pytest.param("missing", marks=pytest.mark.skip(reason=reason))]
    return sorted(
        p.name
        for p in SUITE.iterdir()
        if (p / "request.txt").is_file() and not p.name.endswith(EXCLUDED_SUFFIX)
    )


CASES = _case_names()


@dataclass
class Request:
    method: str
    path: str  # decoded
    query: list[tuple[str, str]]  # decoded
    headers: list[tuple[str, str]]  # raw, in file order, repeats and continuations kept
    body: bytes


def parse_http(text: str) -> Request:
    """Parse a request.txt-style HTTP/1.1 message (obs-fold continuation lines included)."""
    head, _, body = text.partition("\n\n")
    request_line, *header_lines = head.split("\n")
    method, _, rest = request_line.partition(" ")
    target = rest[: rest.rindex(" HTTP/")]  # the path itself may contain spaces
    path, _, query = target.partition("?")
    pairs = []
    for item in query.split("&") if query else []:
        key, _, value = item.partition("=")
        pairs.append((unquote(key), unquote(value)))
    headers: list[tuple[str, str]] = []
    for line in header_lines:
        if line[:1] in (" ", "\t"):  # continuation: folds into the previous value
            name, value = headers[-1]
            headers[-1] = (name, f"{value} {line}")
        elif line:
            name, _, value = line.partition(":")
            headers.append((name, value))
    return Request(method, unquote(path), pairs, headers, body.encode())


@dataclass
class Case:
    name: str
    request: Request
    context: dict[str, Any]
    signer: Signer
    token: str | None
    now: datetime
    amz_date: str
    payload_hash: str

    def expected(self, kind: str) -> str:
        return (SUITE / self.name / f"{kind}.txt").read_text()


@pytest.fixture
def case(request: pytest.FixtureRequest) -> Case:
    name: str = request.param
    ctx = json.loads((SUITE / name / "context.json").read_text())
    creds = ctx["credentials"]
    # omit_session_token: the token is added to the request *after* signing, so it is not part
    # of the signature: that is a signer without a token.
    token = None if ctx.get("omit_session_token") else creds.get("token")
    signer = Signer(
        creds["access_key_id"], creds["secret_access_key"], ctx["region"], ctx["service"], token
    )
    now = datetime.strptime(ctx["timestamp"], "%Y-%m-%dT%H:%M:%SZ")
    req = parse_http((SUITE / name / "request.txt").read_text())
    return Case(
        name,
        req,
        ctx,
        signer,
        token,
        now,
        format_amz_date(now),
        hashlib.sha256(req.body).hexdigest(),
    )


def test_suite_cases_discovered() -> None:
    if not SUITE.is_dir():
        pytest.skip(f"AWS SigV4 test suite not found at {SUITE}")
    assert len(CASES) >= 20
    assert "get-vanilla" in CASES
    assert "get-slash-unnormalized" in CASES
    assert "get-slash-normalized" not in CASES


@pytest.mark.parametrize("case", CASES, indirect=True)
def test_header_signing(case: Case) -> None:
    req = case.request
    headers = [*req.headers, ("X-Amz-Date", case.amz_date)]
    if case.context["sign_body"]:
        headers.append(("X-Amz-Content-SHA256", case.payload_hash))
    if case.token is not None:
        headers.append(("X-Amz-Security-Token", case.token))
    path = encode_path(req.path)
    query = canonical_query(req.query)

    block, signed = canonical_headers(headers)
    creq = canonical_request(req.method, path, query, block, signed, case.payload_hash)
    assert creq == case.expected("header-canonical-request")
    sts = string_to_sign(case.amz_date, case.signer.scope(case.amz_date[:8]), creq)
    assert sts == case.expected("header-string-to-sign")
    assert case.signer.signature(sts, case.amz_date[:8]) == case.expected("header-signature")

    authorization = case.signer.authorization(
        req.method, path, query, headers, case.payload_hash, case.amz_date
    )
    signed_request = parse_http(case.expected("header-signed-request"))
    assert ("Authorization", authorization) in signed_request.headers


@pytest.mark.parametrize("case", CASES, indirect=True)
def test_presign(case: Case) -> None:
    req = case.request
    headers = [(name, value) for name, value in req.headers if name.lower() != "host"]
    (host,) = [value for name, value in req.headers if name.lower() == "host"]
    path = encode_path(req.path)

    presigned = case.signer.presign(
        req.method,
        host,
        path,
        req.query,
        case.context["expiration_in_seconds"],
        headers=headers,
        payload_hash=case.payload_hash,
        now=case.now,
    )
    query, _, signature = presigned.rpartition("&X-Amz-Signature=")
    assert "X-Amz-Signature" not in query

    block, signed = canonical_headers([("Host", host), *headers])
    creq = canonical_request(req.method, path, query, block, signed, case.payload_hash)
    assert creq == case.expected("query-canonical-request")
    sts = string_to_sign(case.amz_date, case.signer.scope(case.amz_date[:8]), creq)
    assert sts == case.expected("query-string-to-sign")
    assert signature == case.expected("query-signature")

    # Same parameters as the published presigned request (not in canonical order, and its
    # request line is not always percent-encoded, hence comparing decoded pairs).
    expected = parse_http(case.expected("query-signed-request")).query
    if case.context.get("omit_session_token"):  # appended after signing, see `case`
        expected = [(k, v) for k, v in expected if k != "X-Amz-Security-Token"]
    got = [tuple(map(unquote, p.split("=", 1))) for p in presigned.split("&")]
    assert sorted(got) == sorted(expected)


def test_parse_http_multiline_and_duplicates() -> None:
    req = parse_http("GET /a%20b?x=%E1%88%B4&y HTTP/1.1\nA:1\n  2\nA: 3\nB:\n\nbody")
    assert (req.method, req.path, req.query) == ("GET", "/a b", [("x", "\u1234"), ("y", "")])
    assert req.headers == [("A", "1   2"), ("A", " 3"), ("B", "")]
    assert req.body == b"body"


# --- Signer behaviour not covered by the suite -------------------------------------------------


def test_signing_key_documented_example() -> None:
    # The key-derivation example from the AWS SigV4 documentation.
    key = signing.signing_key(
        "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20120215", "us-east-1", "iam"
    )
    assert key.hex() == "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d"


def test_repr_hides_secrets() -> None:
    signer = Signer("AKIDEXAMPLE", "s3cr3t-K3y/+=", "eu-west-1", session_token="T0k3n//+==")
    text = repr(signer)
    assert "AKIDEXAMPLE" in text and "eu-west-1" in text and "s3" in text
    assert "s3cr3t" not in text and "T0k3n" not in text
    assert str(signer) == text


def test_presign_rejects_bad_expiry_without_leaking() -> None:
    signer = Signer("AKIDEXAMPLE", "s3cr3t-K3y", "eu-west-1", session_token="T0k3n")
    for expires in (0, signing.MAX_PRESIGN_EXPIRES + 1):
        with pytest.raises(ValueError) as info:
            signer.presign("GET", "h", "/", [], expires)
        assert "s3cr3t" not in str(info.value) and "T0k3n" not in str(info.value)


def test_signing_key_cached_per_date() -> None:
    signer = Signer("AKIDEXAMPLE", "secret", "us-east-1")
    day1, day2 = datetime(2024, 1, 1, 0, 0, 1), datetime(2024, 1, 2, 23, 59, 59)
    with mock.patch.object(signing, "signing_key", wraps=signing.signing_key) as derive:
        first = signer.sign_headers("GET", "h", "/", "", {}, signing.EMPTY_SHA256, now=day1)
        again = signer.sign_headers("GET", "h", "/", "", {}, signing.EMPTY_SHA256, now=day1)
        signer.presign("GET", "h", "/", [], 60, now=day1.replace(hour=12))
        signer.sign_headers("GET", "h", "/", "", {}, signing.EMPTY_SHA256, now=day2)
    assert first == again
    assert [c.args[1] for c in derive.call_args_list] == ["20240101", "20240102"]
    fresh = Signer("AKIDEXAMPLE", "secret", "us-east-1")
    assert fresh.sign_headers("GET", "h", "/", "", {}, signing.EMPTY_SHA256, now=day2) == (
        signer.sign_headers("GET", "h", "/", "", {}, signing.EMPTY_SHA256, now=day2)
    )


def test_sign_headers_skips_unsigned_and_overridden_headers() -> None:
    signer = Signer("AKIDEXAMPLE", "secret", "us-east-1", session_token="tok")
    now = datetime(2024, 5, 6, 7, 8, 9)
    given = [
        ("User-Agent", "ua"),
        ("Content-Length", "3"),
        ("Expect", "100-continue"),
        ("Transfer-Encoding", "chunked"),
        ("Connection", "keep-alive"),
        ("X-Amzn-Trace-Id", "Root=1"),
        ("Host", "other.example"),
        ("X-Amz-Date", "19990101T000000Z"),
        ("X-Amz-Content-SHA256", "stale"),
        ("X-Amz-Security-Token", "stale"),
        ("Content-Type", "text/plain"),
    ]
    out = signer.sign_headers("PUT", "127.0.0.1:7480", "/b/k", "", given, "abc", now=now)
    assert out["x-amz-date"] == "20240506T070809Z"
    assert out["x-amz-content-sha256"] == "abc"
    assert out["x-amz-security-token"] == "tok"
    assert (
        "SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date;" in (out["Authorization"])
    )
    minimal = signer.sign_headers(
        "PUT", "127.0.0.1:7480", "/b/k", "", {"content-type": "text/plain"}, "abc", now=now
    )
    assert minimal == out


def test_aware_and_naive_times_agree() -> None:
    from datetime import timedelta, timezone

    aware = datetime(2024, 5, 6, 9, 8, 9, tzinfo=timezone(timedelta(hours=2)))
    assert format_amz_date(aware) == format_amz_date(datetime(2024, 5, 6, 7, 8, 9))
    assert len(format_amz_date()) == 16


def test_encoding_helpers() -> None:
    assert signing.uri_encode("a b/~+%é*") == "a%20b%2F~%2B%25%C3%A9%2A"
    assert signing.uri_encode("a b/c", keep_slash=True) == "a%20b/c"
    assert encode_path("/bucket/dir/a b+c%.txt") == "/bucket/dir/a%20b%2Bc%25.txt"
    assert encode_path("/b/./../x//") == "/b/./../x//"
    assert encode_path("") == "/"
    assert canonical_query([("b", ""), ("a", "2"), ("a", "1"), ("a b", "=&")]) == (
        "a=1&a=2&a%20b=%3D%26&b="
    )
    assert signing.EMPTY_SHA256.startswith("e3b0c44298fc1c149afbf4c8996fb924")
