"""s3wire.signing against botocore's S3 SigV4 signers, used as an independent oracle."""

from __future__ import annotations

import contextlib
import hashlib
import string
from datetime import datetime, timezone
from unittest import mock
from urllib.parse import urlsplit

from botocore import auth as botocore_auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.utils import percent_encode
from hypothesis import given, settings
from hypothesis import strategies as st

from s3wire.signing import UNSIGNED_PAYLOAD, Signer, canonical_query, encode_path

ACCESS_KEY = "AKIDEXAMPLE"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"

# botocore's own blacklist does not contain content-length; everything else we skip it skips too.
UNSIGNED_BY_US_ONLY = {"content-length"}
UNSIGNED = ["User-Agent", "Expect", "Transfer-Encoding", "Connection", "X-Amzn-Trace-Id"]

# Any text without lone surrogates (they have no UTF-8 form, so cannot be in a key or query).
any_text = st.text(st.characters(codec="utf-8"), max_size=8)
awkward = st.sampled_from(
    [
        "",
        ".",
        "..",
        " ",
        "  ",
        "+",
        "%",
        "%2F",
        "%%41",
        "~",
        "a b",
        "a+b",
        "é",
        "日本",
        "😀",
        "&=?#",
    ]
)
segment = st.one_of(awkward, any_text)
object_key = st.lists(segment, min_size=1, max_size=5).map("/".join)
raw_path = st.one_of(
    object_key.map(lambda k: f"/bucket/{k}"),  # path style
    object_key.map(lambda k: f"/{k}"),  # virtual-hosted style
    st.just("/"),
)
query_text = st.one_of(
    st.sampled_from(["", "/", "=", "&", " ", "a b", "+", "%", "~", "é", "x=y&z", "uploads"]),
    any_text,
)
query_pairs = st.lists(st.tuples(query_text, query_text), max_size=5)
hosts = st.sampled_from(
    ["127.0.0.1:7480", "[::1]:7480", "localhost:9000", "s3.amazonaws.com", "b.s3.amazonaws.com"]
)
methods = st.sampled_from(["GET", "PUT", "POST", "DELETE", "HEAD"])
regions = st.sampled_from(["us-east-1", "eu-central-1", "auto"])
tokens = st.one_of(st.none(), st.text(string.ascii_letters + string.digits + "/+=", min_size=1))
times = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31))

# Header values: printable ASCII plus tabs and runs of spaces (what HTTP can carry; botocore
# collapses whitespace with str.split(), as we do, so any text would agree).
header_value = st.text(string.printable.strip() + " \t", max_size=16).map(lambda v: f" {v}  ")
signed_name = st.one_of(
    st.sampled_from(
        ["Content-Type", "Content-MD5", "Range", "If-Match", "Cache-Control", "x-amz-acl"]
    ),
    st.from_regex(r"[Xx]-[Aa]mz-[Mm]eta-[a-z0-9]{1,6}", fullmatch=True),
)
signed_headers = st.lists(st.tuples(signed_name, header_value), max_size=6)
unsigned_headers = st.lists(
    st.tuples(st.sampled_from([*UNSIGNED, "Content-Length"]), header_value), max_size=3
)


def _botocore_request(
    method: str, host: str, path: str, headers: list[tuple[str, str]], **kwargs: object
) -> AWSRequest:
    # botocore builds S3 URLs with percent_encode(key, safe="/~"): encode independently of us.
    request = AWSRequest(method=method, url=f"http://{host}{percent_encode(path, '/~')}", **kwargs)
    for name, value in headers:
        request.headers[name] = value  # HTTPHeaders appends: repeated names are kept in order
    return request


@settings(derandomize=True, max_examples=200, deadline=None)
@given(
    method=methods,
    host=hosts,
    path=raw_path,
    query=query_pairs,
    headers=signed_headers,
    extra=unsigned_headers,
    body=st.one_of(st.none(), st.binary(max_size=32)),
    region=regions,
    token=tokens,
    when=times,
)
def test_sign_headers_matches_botocore(
    method: str,
    host: str,
    path: str,
    query: list[tuple[str, str]],
    headers: list[tuple[str, str]],
    extra: list[tuple[str, str]],
    body: bytes | None,
    region: str,
    token: str | None,
    when: datetime,
) -> None:
    # body None stands for an unsigned payload (botocore only does that over https with a
    # checksum header, so its payload() is patched to return the constant); otherwise botocore
    # hashes the body itself (it always does over http).
    payload_hash = UNSIGNED_PAYLOAD if body is None else hashlib.sha256(body).hexdigest()
    stale = [("X-Amz-Date", "20000101T000000Z"), ("X-Amz-Content-SHA256", "stale")]
    both = [*extra, *headers, *stale]
    ours = Signer(ACCESS_KEY, SECRET_KEY, region, "s3", token).sign_headers(
        method,
        host,
        encode_path(path),
        canonical_query(query),
        both,
        payload_hash,
        now=when.replace(tzinfo=timezone.utc),
    )

    theirs_headers = [h for h in both if h[0].lower() not in UNSIGNED_BY_US_ONLY]
    request = _botocore_request(method, host, path, theirs_headers, params=query, data=body or b"")
    auth = botocore_auth.S3SigV4Auth(Credentials(ACCESS_KEY, SECRET_KEY, token), "s3", region)
    unsigned = mock.patch.object(auth, "payload", return_value=UNSIGNED_PAYLOAD)
    with (
        mock.patch.object(botocore_auth, "get_current_datetime", return_value=when),
        unsigned if body is None else contextlib.nullcontext(),
    ):
        auth.add_auth(request)

    assert ours["Authorization"] == request.headers["Authorization"]
    assert ours["x-amz-date"] == request.headers["X-Amz-Date"]
    assert ours["x-amz-content-sha256"] == request.headers["X-Amz-Content-SHA256"]
    assert ours.get("x-amz-security-token") == request.headers.get("X-Amz-Security-Token")


@settings(derandomize=True, max_examples=100, deadline=None)
@given(
    method=methods,
    host=hosts,
    path=raw_path,
    query=st.dictionaries(query_text, query_text, max_size=4),
    headers=st.dictionaries(signed_name, header_value, max_size=3),
    expires=st.integers(1, 7 * 24 * 3600),
    region=regions,
    token=tokens,
    when=times,
)
def test_presign_matches_botocore(
    method: str,
    host: str,
    path: str,
    query: dict[str, str],
    headers: dict[str, str],
    expires: int,
    region: str,
    token: str | None,
    when: datetime,
) -> None:
    # Header names differing only in case are one header to HTTP; keep one of each.
    headers = {k.lower(): v for k, v in headers.items()}
    ours = Signer(ACCESS_KEY, SECRET_KEY, region, "s3", token).presign(
        method, host, encode_path(path), query.items(), expires, headers=headers, now=when
    )

    # botocore's query signer takes a dict of parameters (unique keys) and leaves them unsorted.
    request = _botocore_request(method, host, path, list(headers.items()), params=query)
    creds = Credentials(ACCESS_KEY, SECRET_KEY, token)
    auth = botocore_auth.S3SigV4QueryAuth(creds, "s3", region, expires=expires)
    with mock.patch.object(botocore_auth, "get_current_datetime", return_value=when):
        auth.add_auth(request)
    theirs = urlsplit(request.url).query

    assert ours.rsplit("&", 1)[1] == theirs.rsplit("&", 1)[1]  # X-Amz-Signature=...
    assert sorted(ours.split("&")) == sorted(theirs.split("&"))


def test_oracle_sanity_known_request() -> None:
    """Pin one botocore comparison to literal values, so a broken harness cannot pass vacuously."""
    when = datetime(2013, 5, 24)
    ours = Signer(ACCESS_KEY, SECRET_KEY, "us-east-1").sign_headers(
        "GET",
        "127.0.0.1:7480",
        "/examplebucket/test.txt",
        "",
        {"Range": "bytes=0-9"},
        UNSIGNED_PAYLOAD,
        now=when,
    )
    request = _botocore_request(
        "GET", "127.0.0.1:7480", "/examplebucket/test.txt", [("Range", "bytes=0-9")], data=b""
    )
    auth = botocore_auth.S3SigV4Auth(Credentials(ACCESS_KEY, SECRET_KEY), "s3", "us-east-1")
    with (
        mock.patch.object(botocore_auth, "get_current_datetime", return_value=when),
        mock.patch.object(auth, "payload", return_value=UNSIGNED_PAYLOAD),
    ):
        auth.add_auth(request)
    assert request.headers["Authorization"] == ours["Authorization"]
    assert ours["Authorization"].startswith(
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20130524/us-east-1/s3/aws4_request, "
        "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature="
    )
