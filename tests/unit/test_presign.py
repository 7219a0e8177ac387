"""client.presigned_url: checks, URL shape, and the signature against botocore's query signer."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from unittest import mock
from urllib.parse import parse_qsl, urlsplit

import pytest
from botocore import auth as botocore_auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.utils import percent_encode
from recording import SECRET, Recorder, client_with

import s3wire


def presigned(url: str = "http://127.0.0.1:7480", **options: Any) -> tuple[str, Recorder]:
    recorder = Recorder()
    call = options.pop("call", {})
    client = client_with(recorder, url, **options)
    return client.presigned_url(**{"method": "GET", "bucket": "bkt", "key": "k", **call}), recorder


def query_of(url: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))


def test_path_style_url_shape() -> None:
    url, recorder = presigned(call={"key": "dir/a b+~.txt", "expires": 600})
    split = urlsplit(url)
    assert (split.scheme, split.netloc, split.path) == (
        "http",
        "127.0.0.1:7480",
        "/bkt/dir/a%20b%2B~.txt",
    )
    query = query_of(url)
    assert query.pop("X-Amz-Algorithm") == "AWS4-HMAC-SHA256"
    assert re.fullmatch(
        r"AKIDEXAMPLE/\d{8}/us-east-1/s3/aws4_request", query.pop("X-Amz-Credential")
    )
    assert re.fullmatch(r"\d{8}T\d{6}Z", query.pop("X-Amz-Date"))
    assert query.pop("X-Amz-Expires") == "600"
    assert query.pop("X-Amz-SignedHeaders") == "host"
    assert re.fullmatch(r"[0-9a-f]{64}", query.pop("X-Amz-Signature"))
    assert query == {}
    assert url.rsplit("&", 1)[1].startswith("X-Amz-Signature=")
    assert recorder.sent == []  # nothing is sent
    assert SECRET not in url


def test_virtual_hosted_url_on_aws() -> None:
    url, _ = presigned("https://s3.eu-west-1.amazonaws.com", region="eu-west-1")
    split = urlsplit(url)
    assert (split.scheme, split.netloc, split.path) == (
        "https",
        "bkt.s3.eu-west-1.amazonaws.com",
        "/k",
    )
    assert "/eu-west-1/s3/" in query_of(url)["X-Amz-Credential"]


def test_virtual_hosted_url_keeps_the_port() -> None:
    url, _ = presigned("http://s3wire.test:7480", addressing_style="virtual")
    assert urlsplit(url).netloc == "bkt.s3wire.test:7480"
    assert urlsplit(url).path == "/k"


def test_params_headers_and_session_token_are_in_the_url() -> None:
    url, _ = presigned(
        session_token="token/+=",
        call={
            "method": "put",
            "params": {"versionId": "v 1", "response-content-type": "text/plain"},
            "headers": {"Content-Type": "text/plain", "x-amz-meta-a": "1"},
        },
    )
    query = query_of(url)
    assert query["versionId"] == "v 1"
    assert query["response-content-type"] == "text/plain"
    assert query["X-Amz-SignedHeaders"] == "content-type;host;x-amz-meta-a"
    assert query["X-Amz-Security-Token"] == "token/+="


@pytest.mark.parametrize("expires", [1, 3600, 604800])
def test_expiry_bounds_accepted(expires: int) -> None:
    url, _ = presigned(call={"expires": expires})
    assert query_of(url)["X-Amz-Expires"] == str(expires)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        ({"expires": 0}, "expires must be 1 to 604800"),
        ({"expires": 604801}, "expires must be 1 to 604800"),
        ({"expires": -5}, "expires must be 1 to 604800"),
        ({"expires": 60.0}, "expires must be an int"),
        ({"expires": "60"}, "expires must be an int"),
        ({"expires": True}, "expires must be an int"),
        ({"method": "PATCH"}, "method must be one of GET, PUT, HEAD, DELETE, POST"),
        ({"method": None}, "method must be one of"),
        ({"bucket": ""}, "bucket must be a non-empty str"),
        ({"bucket": "a/b"}, "not a valid bucket name"),
        ({"key": ""}, "key must be a non-empty str"),
        ({"key": "k" * 1025}, "at most 1024 bytes"),
        ({"params": {"X-Amz-Expires": "9"}}, "must not hold X-Amz-"),
        ({"params": {"versionId": 3}}, "params must map"),
        ({"headers": {"Content-Type": None}}, "headers must map"),
        ({"headers": "Content-Type: x"}, "headers must be a mapping"),
    ],
)
def test_bad_input_is_refused(call: dict[str, Any], message: str) -> None:
    with pytest.raises(s3wire.ParamError, match=message):
        presigned(call=call)


def botocore_url(
    method: str,
    base: str,
    params: dict[str, str],
    headers: dict[str, str],
    expires: int,
    amz_date: str,
    region: str,
    token: str | None,
) -> str:
    """What botocore's presigner makes of the same request at the same instant."""
    request = AWSRequest(method=method, url=base, params=params, headers=headers)
    auth = botocore_auth.S3SigV4QueryAuth(
        Credentials("AKIDEXAMPLE", SECRET, token), "s3", region, expires=expires
    )
    when = datetime.strptime(amz_date, "%Y%m%dT%H%M%SZ")
    with mock.patch.object(botocore_auth, "get_current_datetime", return_value=when):
        auth.add_auth(request)
    return str(request.url)


@pytest.mark.parametrize(
    ("endpoint", "options", "host", "path_prefix"),
    [
        ("http://127.0.0.1:7480", {}, "127.0.0.1:7480", "/bkt/"),
        ("http://s3wire.test:7480", {"addressing_style": "virtual"}, "bkt.s3wire.test:7480", "/"),
        ("https://s3.amazonaws.com", {"session_token": "tok"}, "bkt.s3.amazonaws.com", "/"),
    ],
)
@pytest.mark.parametrize(
    ("method", "key", "params", "headers"),
    [
        ("GET", "plain.txt", {}, {}),
        ("GET", "dir/./é 日本+%~.bin", {"versionId": "v/1=", "response-content-type": "a/b"}, {}),
        ("PUT", "up load", {}, {"Content-Type": "text/plain", "x-amz-meta-colour": " blue  sky "}),
        ("DELETE", "k", {"versionId": "3"}, {}),
        ("HEAD", "k", {}, {"Range": "bytes=0-9"}),
    ],
)
def test_signature_matches_botocore(
    endpoint: str,
    options: dict[str, str],
    host: str,
    path_prefix: str,
    method: str,
    key: str,
    params: dict[str, str],
    headers: dict[str, str],
) -> None:
    call = {"method": method, "key": key, "expires": 900, "params": params, "headers": headers}
    ours, _ = presigned(endpoint, call=call, **options)
    scheme = urlsplit(endpoint).scheme
    base = f"{scheme}://{host}{percent_encode(path_prefix + key, '/~')}"
    assert ours.split("?")[0] == base
    amz_date = query_of(ours)["X-Amz-Date"]
    token = options.get("session_token")
    theirs = botocore_url(method, base, params, headers, 900, amz_date, "us-east-1", token)
    assert query_of(ours)["X-Amz-Signature"] == query_of(theirs)["X-Amz-Signature"]
    assert sorted(urlsplit(ours).query.split("&")) == sorted(urlsplit(theirs).query.split("&"))
