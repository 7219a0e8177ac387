"""s3wire.AsyncClient: the same surface as Client, generated from the same catalog, sending
the same requests (signed as botocore signs them) through an AsyncTransport."""

from __future__ import annotations

import asyncio
import inspect
import threading
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from recording import SECRET, botocore_authorization, session_answer

import s3wire
from s3wire._generated.async_operations import AsyncGeneratedOperations
from s3wire._generated.operations import GeneratedOperations
from s3wire.credentials_api import Credentials
from s3wire.errors import ArgumentError, ParamError, TransportError
from s3wire.testing import Answer, AsyncMockTransport, MockTransport, Request

URL = "http://127.0.0.1:7480"
T = TypeVar("T")


def run(work: Callable[[], Awaitable[T]]) -> T:
    async def main() -> T:
        return await work()

    return asyncio.run(main())


def async_client(transport: AsyncMockTransport, **options: Any) -> s3wire.AsyncClient:
    return s3wire.AsyncClient(
        url=options.pop("url", URL),
        access_key="AKIDEXAMPLE",
        secret_key=SECRET,
        region=options.pop("region", "us-east-1"),
        transport=transport,
        **options,
    )


def sync_client(transport: MockTransport, **options: Any) -> s3wire.Client:
    return s3wire.Client(
        url=options.pop("url", URL),
        access_key="AKIDEXAMPLE",
        secret_key=SECRET,
        region=options.pop("region", "us-east-1"),
        transport=transport,
        **options,
    )


def public_methods(cls: type) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for base in reversed(cls.__mro__):
        for name, member in vars(base).items():
            if not name.startswith("_") and inspect.isfunction(member):
                found[name] = member
    return found


SYNC = public_methods(GeneratedOperations)
ASYNC = public_methods(AsyncGeneratedOperations)


def test_every_operation_is_an_async_method_with_the_same_signature_and_docstring() -> None:
    """The same but for `stream=True`, last, on the operations whose answer is data."""
    assert len(SYNC) >= 116
    assert sorted(SYNC) == sorted(ASYNC)
    for name, method in SYNC.items():
        twin = ASYNC[name]
        assert inspect.iscoroutinefunction(twin), name
        assert not inspect.iscoroutinefunction(method), name
        ours, theirs = inspect.signature(twin), inspect.signature(method)
        if "into" in theirs.parameters:  # a data answer: AsyncClient may also stream it
            assert list(ours.parameters)[-1] == "stream", name
            assert ours.parameters["stream"].default is False, name
            ours = ours.replace(parameters=list(ours.parameters.values())[:-1])
            assert twin.__doc__ is not None and method.__doc__ is not None
            words = " ".join(twin.__doc__.split())
            assert "stream: Answer as soon as" in words, name
            assert "Its write may be a coroutine function (awaited)." in words, name
            assert "stream:" not in method.__doc__, name
        else:
            assert twin.__doc__ == method.__doc__, name
        assert ours == theirs, name


def test_the_helpers_of_both_clients_match() -> None:
    both = {"request", "paginate", "presigned_url", "from_env", "close"}
    for name in both:
        assert hasattr(s3wire.Client, name) and hasattr(s3wire.AsyncClient, name), name
    assert inspect.iscoroutinefunction(s3wire.AsyncClient.request)
    assert inspect.iscoroutinefunction(s3wire.AsyncClient.close)
    assert not inspect.iscoroutinefunction(s3wire.AsyncClient.presigned_url)


CALLS: list[tuple[str, dict[str, Any]]] = [
    ("put_object", {"bucket": "b", "key": "a b/c", "body": b"data", "metadata": {"k": "v"}}),
    ("get_object", {"bucket": "b", "key": "k", "range": "bytes=0-3"}),
    ("list_objects_v2", {"bucket": "b", "prefix": "p/", "max_keys": 5}),
    (
        "delete_objects",
        {"bucket": "b", "objects": [{"key": "x"}, {"key": "y", "version_id": "v"}], "quiet": True},
    ),
    ("put_bucket_tagging", {"bucket": "b", "tags": {"team": "data"}}),
    ("create_bucket", {"bucket": "new-bucket", "location_constraint": "eu-west-1"}),
    ("list_buckets", {}),
]


@pytest.mark.parametrize(("name", "params"), CALLS, ids=[c[0] for c in CALLS])
def test_each_request_is_the_sync_clients_request(name: str, params: dict[str, Any]) -> None:
    ours = AsyncMockTransport(Answer(200, {}, b""))
    theirs = MockTransport(Answer(200, {}, b""))

    async def call() -> None:
        async with async_client(ours) as client:
            await getattr(client, name)(**params)

    run(call)
    getattr(sync_client(theirs), name)(**params)
    (sent,), (expected,) = ours.requests, theirs.requests
    unsigned = {"authorization", "x-amz-date"}
    assert (sent.method, sent.url, sent.body) == (expected.method, expected.url, expected.body)
    assert {k: v for k, v in sent.headers.items() if k.lower() not in unsigned} == {
        k: v for k, v in expected.headers.items() if k.lower() not in unsigned
    }
    signed = botocore_authorization(
        sent.method, sent.url, dict(sent.headers), sent.body or b"", "us-east-1"
    )
    assert sent.headers["Authorization"] == signed
    assert ours.closed


def test_retries_wait_with_asyncio_and_answers_are_typed() -> None:
    busy = Answer(503, {}, b"<Error><Code>SlowDown</Code></Error>")
    body = b"<ListBucketResult><KeyCount>2</KeyCount></ListBucketResult>"
    transport = AsyncMockTransport(
        busy, TransportError("reset", retryable=True), Answer(200, {}, body)
    )
    answer = run(lambda: async_client(transport, retry_base_delay=0).list_objects_v2(bucket="b"))
    assert answer.response["ListBucketResult"]["KeyCount"] == 2
    assert answer.attempts == 3
    assert len(transport.requests) == 3


def test_an_error_answer_is_answered_and_raise_for_status_raises() -> None:
    missing = Answer(404, {}, b"<Error><Code>NoSuchKey</Code><Message>gone</Message></Error>")
    answer = run(lambda: async_client(AsyncMockTransport(missing)).get_object(bucket="b", key="k"))
    assert answer.status == 404
    with pytest.raises(s3wire.NoSuchKeyError):
        answer.raise_for_status()


def test_bad_arguments_are_refused_when_awaited_by_name() -> None:
    client = async_client(AsyncMockTransport())
    with pytest.raises(ArgumentError, match="nope"):
        run(lambda: client.get_object(bucket="b", key="k", nope=1))  # type: ignore[call-arg]
    with pytest.raises(ParamError, match="does not paginate"):
        client.paginate("get_object", bucket="b")


def test_paginate_is_an_async_iterator_over_every_page() -> None:
    def page(token: str | None, key: str) -> Answer:
        more = f"<NextContinuationToken>{token}</NextContinuationToken>" if token else ""
        truncated = "true" if token else "false"
        body = (
            f"<ListBucketResult><IsTruncated>{truncated}</IsTruncated>{more}"
            f"<Contents><Key>{key}</Key></Contents></ListBucketResult>"
        )
        return Answer(200, {}, body.encode())

    transport = AsyncMockTransport(page("t1", "a"), page("t2", "b"), page(None, "c"))

    async def walk() -> list[str]:
        keys = []
        async for each in async_client(transport).paginate("list_objects_v2", bucket="b"):
            keys += [entry["Key"] for entry in each.response["ListBucketResult"]["Contents"]]
        return keys

    assert run(walk) == ["a", "b", "c"]
    assert [r.query.get("continuation-token") for r in transport.requests] == [None, "t1", "t2"]


class SlowProvider:
    """A provider whose keys must be fetched (never ready), recording the fetching thread."""

    def __init__(self) -> None:
        self.threads: list[threading.Thread] = []

    def get(self) -> Credentials:
        self.threads.append(threading.current_thread())
        return Credentials("AKIDEXAMPLE", SECRET, "token")

    def refresh(self) -> Credentials:
        return self.get()


def test_credentials_that_must_be_fetched_are_fetched_off_the_event_loop() -> None:
    provider = SlowProvider()
    transport = AsyncMockTransport(Answer(200, {}, b""))
    client = s3wire.AsyncClient(
        url=URL, region="us-east-1", transport=transport, credentials=provider
    )
    run(lambda: client.head_bucket(bucket="b"))
    assert provider.threads and threading.main_thread() not in provider.threads
    assert transport.last.headers["x-amz-security-token"] == "token"


def test_tasks_share_one_directory_bucket_session() -> None:
    def zonal(request: Request) -> Answer:
        return session_answer() if "session" in request.query else Answer(200, {}, b"x")

    transport = AsyncMockTransport(zonal)
    client = async_client(transport, url="https://s3.us-west-2.amazonaws.com", region="us-west-2")

    async def many() -> list[bytes]:
        calls = [client.get_object(bucket="d--usw2-az1--x-s3", key=str(i)) for i in range(20)]
        return [answer.body for answer in await asyncio.gather(*calls)]

    assert run(many) == [b"x"] * 20
    assert sum("session" in r.query for r in transport.requests) == 1


def test_importing_s3wire_loads_no_asyncio_until_asked() -> None:
    import subprocess
    import sys

    code = (
        "import sys, s3wire; s3wire.Client(url='http://h:1', access_key='a', secret_key='b', "
        "region='r'); assert 'asyncio' not in sys.modules, 'asyncio'; s3wire.AsyncClient; "
        "assert 'asyncio' in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


@settings(max_examples=50, deadline=None)
@given(st.text(min_size=1, max_size=20), st.binary(max_size=64))
def test_any_key_and_body_go_out_as_the_sync_client_sends_them(key: str, body: bytes) -> None:
    ours, theirs = AsyncMockTransport(), MockTransport()
    try:
        sync_client(theirs).put_object(bucket="b", key=key, body=body)
    except ParamError:
        with pytest.raises(ParamError):
            run(lambda: async_client(ours).put_object(bucket="b", key=key, body=body))
        return
    run(lambda: async_client(ours).put_object(bucket="b", key=key, body=body))
    assert (ours.last.url, ours.last.body) == (theirs.last.url, theirs.last.body)


def test_max_connections_is_a_checked_setting_the_transports_take() -> None:
    data = s3wire.get_data_structure(URL, "AKIDEXAMPLE", SECRET, "us-east-1", max_connections=64)
    assert data["max_connections"] == 64
    for bad in (0, 1025, True, 2.5, "8"):
        with pytest.raises(ParamError, match="max_connections"):
            s3wire.get_data_structure(URL, "AKIDEXAMPLE", SECRET, "us-east-1", max_connections=bad)
