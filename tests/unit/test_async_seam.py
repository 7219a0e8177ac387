"""The request builder is a seam an async client stands on: an asyncio loop written over
s3wire._request alone (as the sync loop in _base is) retries, follows a redirect and answers
the same Response, without editing any of it."""

from __future__ import annotations

import asyncio
from typing import Any

from recording import SECRET, botocore_authorization

import s3wire
from s3wire._generated import shapes
from s3wire._generated.records import GET_OBJECT
from s3wire._request import prepare
from s3wire._request.answer import read_answer
from s3wire._request.attempts import Attempts
from s3wire._request.retry import RetryPolicy
from s3wire.config import Settings
from s3wire.signing import Signer
from s3wire.testing import Answer, MockTransport

SLOW_DOWN = b"<Error><Code>SlowDown</Code><Message>m</Message></Error>"
MOVED = b"<Error><Code>PermanentRedirect</Code><Message>m</Message></Error>"


async def exchange(
    transport: MockTransport, request: prepare.Prepared
) -> s3wire.Response[Any, Any]:
    """The sync loop's walk with await: sign, send, decide, sleep."""
    policy = RetryPolicy(max_attempts=4, base_delay=0.001, max_delay=0.001)
    attempts = Attempts(request, policy, "us-east-1", None)
    while True:
        signer = Signer("AKIDEXAMPLE", SECRET, attempts.region)
        url, headers = request.signed(signer)
        await asyncio.sleep(0)  # an async transport's send would be awaited here
        sent = transport.send(request.method, url, headers, request.body, request.sink)
        step = attempts.after_answer(read_answer(request, *sent, shapes.ERROR_XML))
        if step.answer is not None:
            return step.answer
        if step.delay is not None:
            await asyncio.sleep(step.delay)


def test_an_async_loop_over_the_request_builder_retries_and_follows_redirects() -> None:
    data = s3wire.get_data_structure(
        "https://s3.us-east-1.amazonaws.com", "AKIDEXAMPLE", SECRET, "us-east-1"
    )
    request = prepare.for_operation(Settings.from_data(data), GET_OBJECT, bucket="bkt", key="k")
    transport = MockTransport(
        Answer(503, {}, SLOW_DOWN),
        Answer(301, {"x-amz-bucket-region": "eu-west-1"}, MOVED),
        Answer(200, {}, b"data"),
    )
    answer = asyncio.run(exchange(transport, request))
    assert (answer.status, answer.body, answer.attempts) == (200, b"data", 2)
    urls = [sent.url for sent in transport.requests]
    assert urls == [
        "https://bkt.s3.us-east-1.amazonaws.com/k",
        "https://bkt.s3.us-east-1.amazonaws.com/k",
        "https://bkt.s3.eu-west-1.amazonaws.com/k",
    ]
    last = transport.requests[-1]
    assert last.headers["Authorization"] == botocore_authorization(
        "GET", last.url, dict(last.headers), b"", "eu-west-1"
    )
