"""A client given a credential provider signs each try with the provider's current keys, and an
ExpiredToken answer makes it refresh them once and try again (s3wire.testing.MockTransport)."""

from __future__ import annotations

import io

import pytest

import s3wire
from s3wire.credentials_api import Credentials
from s3wire.testing import Answer, MockTransport

URL = "http://127.0.0.1:9"
EXPIRED = (
    b"<?xml version='1.0' encoding='UTF-8'?><Error><Code>ExpiredToken</Code>"
    b"<Message>The provided token has expired.</Message></Error>"
)


class Rotating:
    """A provider whose keys are KEY1, KEY2, ...: `refresh` moves to the next."""

    def __init__(self) -> None:
        self.refreshes = 0
        self._keys = Credentials("KEY1", "secret1", "token1")

    def get(self) -> Credentials:
        return self._keys

    def refresh(self) -> Credentials:
        self.refreshes += 1
        n = self.refreshes + 1
        self._keys = Credentials(f"KEY{n}", f"secret{n}", f"token{n}")
        return self._keys


def key_of(request: s3wire.testing.Request) -> str:
    return request.headers["Authorization"].split("Credential=")[1].split("/")[0]


def client_with(provider: Rotating, *steps: Answer) -> tuple[s3wire.Client, MockTransport]:
    transport = MockTransport(*steps)
    client = s3wire.Client(url=URL, region="us-east-1", transport=transport, credentials=provider)
    return client, transport


def test_keys_come_from_the_provider_and_connection_data_needs_none() -> None:
    provider = Rotating()
    client, transport = client_with(provider, Answer(200))
    client.head_bucket(bucket="b")
    assert key_of(transport.last) == "KEY1"
    assert transport.last.headers["x-amz-security-token"] == "token1"
    provider.refresh()
    client.head_bucket(bucket="b")
    assert key_of(transport.last) == "KEY2"


def test_an_expired_token_answer_refreshes_once_and_retries() -> None:
    provider = Rotating()
    client, transport = client_with(provider, Answer(400, body=EXPIRED), Answer(200))
    answer = client.put_object(bucket="b", key="k", body=io.BytesIO(b"data"))
    assert answer.status == 200
    assert provider.refreshes == 1
    assert [key_of(r) for r in transport.requests] == ["KEY1", "KEY2"]
    assert transport.requests[1].body == b"data"  # the stream was rewound


def test_a_second_expired_answer_is_returned_not_looped_on() -> None:
    provider = Rotating()
    client, transport = client_with(provider, Answer(400, body=EXPIRED))
    answer = client.get_object(bucket="b", key="k")
    assert answer.status == 400 and answer.response["Error"]["Code"] == "ExpiredToken"
    assert provider.refreshes == 1 and len(transport.requests) == 2


def test_without_a_provider_an_expired_answer_is_just_answered() -> None:
    transport = MockTransport(Answer(400, body=EXPIRED))
    client = s3wire.Client(
        url=URL, access_key="AKID", secret_key="s", region="us-east-1", transport=transport
    )
    assert client.get_object(bucket="b", key="k").status == 400
    assert len(transport.requests) == 1


def test_presigned_urls_use_the_provider_keys() -> None:
    provider = Rotating()
    client, _ = client_with(provider)
    assert "KEY1%2F" in client.presigned_url("GET", bucket="b", key="k", expires=60)


def test_without_a_provider_the_keys_are_still_required() -> None:
    with pytest.raises(s3wire.ParamError, match="access_key, secret_key"):
        s3wire.Client(url=URL, region="us-east-1")
    with pytest.raises(s3wire.ParamError, match="credential provider"):
        s3wire.Client(url=URL, region="us-east-1", credentials="AKID")  # type: ignore[arg-type]
