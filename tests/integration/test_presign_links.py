"""Presigned URLs used with plain `requests`, as a browser or curl would, in both styles."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
import requests

import s3wire

KEY = "shared/a b+c ü.txt"


@pytest.fixture
def http() -> Iterator[requests.Session]:
    """A plain HTTP client that ignores proxy settings (the server is local)."""
    with requests.Session() as session:
        session.trust_env = False
        yield session


def test_presigned_get(client: s3wire.Client, bucket: str, http: requests.Session) -> None:
    client.put_object(bucket=bucket, key=KEY, body=b"shared bytes").raise_for_status()
    url = client.presigned_url("GET", bucket, KEY, expires=300)
    answer = http.get(url, timeout=30)
    assert (answer.status_code, answer.content) == (200, b"shared bytes")


def test_presigned_get_with_response_params(
    client: s3wire.Client, bucket: str, http: requests.Session
) -> None:
    client.put_object(bucket=bucket, key=KEY, body=b"x").raise_for_status()
    params = {"response-content-type": "application/x-shared"}
    answer = http.get(client.presigned_url("GET", bucket, KEY, params=params), timeout=30)
    assert answer.status_code == 200
    assert answer.headers["Content-Type"] == "application/x-shared"


def test_presigned_put_with_a_signed_header(
    client: s3wire.Client, bucket: str, http: requests.Session
) -> None:
    headers = {"Content-Type": "text/plain"}
    url = client.presigned_url("PUT", bucket, KEY, headers=headers)
    answer = http.put(url, data=b"uploaded by link", headers=headers, timeout=30)
    assert answer.status_code == 200, answer.text
    got = client.get_object(bucket=bucket, key=KEY).raise_for_status()
    assert (got.body, got.fields["content_type"]) == (b"uploaded by link", "text/plain")


def test_presigned_head_and_delete(
    client: s3wire.Client, bucket: str, http: requests.Session
) -> None:
    client.put_object(bucket=bucket, key=KEY, body=b"12345").raise_for_status()
    head = http.head(client.presigned_url("HEAD", bucket, KEY), timeout=30)
    assert (head.status_code, head.headers["Content-Length"]) == (200, "5")
    assert http.delete(client.presigned_url("DELETE", bucket, KEY), timeout=30).status_code == 204
    assert client.head_object(bucket=bucket, key=KEY).status == 404


def test_a_tampered_url_is_refused(
    client: s3wire.Client, bucket: str, http: requests.Session
) -> None:
    client.put_object(bucket=bucket, key=KEY, body=b"secret").raise_for_status()
    client.put_object(bucket=bucket, key="other", body=b"other").raise_for_status()
    url = client.presigned_url("GET", bucket, KEY)
    flipped = url[:-1] + ("0" if url[-1] != "0" else "1")
    other_key = url.replace("/shared/a%20b%2Bc%20%C3%BC.txt?", "/other?")
    assert other_key != url
    longer = url.replace("X-Amz-Expires=3600", "X-Amz-Expires=7200")
    assert longer != url
    for bad in (flipped, other_key, longer):
        assert http.get(bad, timeout=30).status_code == 403
    assert http.put(url, data=b"overwrite", timeout=30).status_code == 403


def test_an_expired_url_is_refused(
    client: s3wire.Client, bucket: str, http: requests.Session
) -> None:
    client.put_object(bucket=bucket, key=KEY, body=b"brief").raise_for_status()
    url = client.presigned_url("GET", bucket, KEY, expires=1)
    time.sleep(2)
    assert http.get(url, timeout=30).status_code == 403
