"""No log record of s3wire's requests, from any logger at any level, holds a signature, a
credential scope, a session token or an Authorization value; the request lines are still there."""

from __future__ import annotations

import logging
from urllib.parse import parse_qs, quote, urlsplit

import pytest
import servers

import s3wire

KEY = "logged/a b.txt"
TOKEN = "FwoGZXIvYXdzEXAMPLE-session-token/with+odd=chars"


def secrets_of(url: str, server: servers.S3Server) -> list[str]:
    """What a presigned URL holds that must not be logged, raw and as the URL carries it."""
    query = parse_qs(urlsplit(url).query)
    found = [server.secret_key, "AWS4-HMAC-SHA256 Credential"]
    for name in ("X-Amz-Signature", "X-Amz-Credential", "X-Amz-Security-Token"):
        for value in query.get(name, []):
            found += [value, quote(value, safe="")]
    return found


def assert_clean(caplog: pytest.LogCaptureFixture, secrets: list[str], path: str) -> None:
    messages = [record.getMessage() for record in caplog.records]
    for message in messages:
        for secret in secrets:
            assert secret not in message
    assert any(path in message and "X-Amz-Signature=***" in message for message in messages)


def test_a_presigned_get_through_request_is_logged_without_its_signature(
    client: s3wire.Client,
    bucket: str,
    s3_server: servers.S3Server,
    caplog: pytest.LogCaptureFixture,
) -> None:
    client.put_object(bucket=bucket, key=KEY, body=b"logged bytes").raise_for_status()
    url = client.presigned_url("GET", bucket, KEY, expires=300)
    caplog.set_level(logging.DEBUG)
    client.request("GET", url)
    assert_clean(caplog, secrets_of(url, s3_server), quote(KEY))


def test_a_session_token_is_never_logged(
    data: s3wire.ConnectionData,
    bucket: str,
    s3_server: servers.S3Server,
    caplog: pytest.LogCaptureFixture,
) -> None:
    with s3wire.Client({**data, "session_token": TOKEN}) as client:
        url = client.presigned_url("GET", bucket, KEY, expires=300)
        caplog.set_level(logging.DEBUG)
        client.list_objects_v2(bucket=bucket)
        client.request("GET", url)
    secrets = [*secrets_of(url, s3_server), TOKEN, quote(TOKEN, safe="")]
    assert TOKEN in parse_qs(urlsplit(url).query)["X-Amz-Security-Token"]
    assert_clean(caplog, secrets, quote(KEY))
    assert any("list-type=2" in record.getMessage() for record in caplog.records)
