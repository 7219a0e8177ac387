"""s3wire.testing: a Client over MockTransport, checked through public names only."""

from __future__ import annotations

import concurrent.futures
import io
from typing import Any

import pytest
from recording import SECRET, botocore_authorization, md5

import s3wire
from s3wire.errors import ParamError
from s3wire.testing import Answer, MockTransport, Request

URL = "http://127.0.0.1:7480"


def client_over(transport: MockTransport, **options: Any) -> s3wire.Client:
    return s3wire.Client(
        url=URL,
        access_key="AKIDEXAMPLE",
        secret_key=SECRET,
        region="us-east-1",
        transport=transport,
        **options,
    )


def test_a_client_over_the_mock_sends_the_exact_signed_request() -> None:
    transport = MockTransport(Answer(200, {"ETag": '"e"'}))
    with client_over(transport) as client:
        answer = client.put_object(
            bucket="bkt", key="a b/c", body=b"data", metadata={"k": "v"}, content_md5=md5(b"data")
        )
    assert (answer.status, answer.fields["etag"]) == (200, '"e"')
    (request,) = transport.requests
    assert (request.method, request.url, request.body) == ("PUT", f"{URL}/bkt/a%20b/c", b"data")
    assert (request.path, request.query) == ("/bkt/a%20b/c", {})
    headers = dict(request.headers)
    assert set(headers) == {
        "Authorization",
        "Content-MD5",
        "Host",
        "x-amz-content-sha256",
        "x-amz-date",
        "x-amz-meta-k",
    }
    assert headers["Host"] == "127.0.0.1:7480"
    assert headers["x-amz-meta-k"] == "v"
    assert headers["Content-MD5"] == md5(b"data")
    expected = botocore_authorization("PUT", request.url, headers, b"data", "us-east-1")
    assert headers["Authorization"] == expected
    assert transport.closed  # the client closed the transport it was given


def test_the_data_form_and_from_env_take_a_transport_too(monkeypatch: pytest.MonkeyPatch) -> None:
    transport = MockTransport()
    data = s3wire.get_data_structure(URL, "AKIDEXAMPLE", SECRET, "eu-west-1")
    s3wire.Client(data, transport=transport).head_bucket(bucket="bkt")
    for name, value in {
        "AWS_ENDPOINT_URL": URL,
        "AWS_ACCESS_KEY_ID": "AKIDENV",
        "AWS_SECRET_ACCESS_KEY": SECRET,
        "AWS_REGION": "ap-south-1",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
    s3wire.Client.from_env(transport=transport).head_bucket(bucket="bkt")
    first, second = transport.requests
    assert "/eu-west-1/s3/aws4_request" in first.headers["authorization"]
    assert "Credential=AKIDENV/" in second.headers["AUTHORIZATION"]  # any case finds it


def test_answers_come_in_order_and_the_last_repeats() -> None:
    listing = b"<ListAllMyBucketsResult><Buckets/></ListAllMyBucketsResult>"
    transport = MockTransport(Answer(404), Answer(200, {"x-amz-request-id": "R1"}, listing))
    client = client_over(transport)
    statuses = [client.list_buckets().status for _ in range(3)]
    assert statuses == [404, 200, 200]
    assert client.list_buckets().headers["X-Amz-Request-Id"] == "R1"  # looked up in any case
    assert [request.method for request in transport.requests] == ["GET"] * 4


def test_no_step_answers_an_empty_200() -> None:
    transport = MockTransport()
    answer = client_over(transport).delete_object(bucket="bkt", key="k")
    assert (answer.status, answer.body, dict(answer.headers)) == (200, b"", {})
    assert transport.last.body is None  # no body at all, not an empty one


def test_a_handler_answers_each_request_it_is_given() -> None:
    seen: list[Request] = []

    def handler(request: Request) -> Answer:
        seen.append(request)
        return Answer(200, body=request.query["versionId"].encode())

    transport = MockTransport(handler)
    got = client_over(transport).get_object(bucket="bkt", key="k", version_id="v 1")
    assert got.body == b"v 1"
    assert seen == transport.requests
    assert transport.last.url == f"{URL}/bkt/k?versionId=v%201"


def test_a_2xx_body_is_streamed_into_the_sink_and_an_error_is_not() -> None:
    transport = MockTransport(Answer(200, {"Content-Length": "4"}, b"data"))
    into = io.BytesIO()
    answer = client_over(transport).get_object(bucket="bkt", key="k", into=into)
    assert (into.getvalue(), answer.body) == (b"data", b"")
    error = b"<Error><Code>NoSuchKey</Code><Message>m</Message></Error>"
    missing = io.BytesIO()
    answer = client_over(MockTransport(Answer(404, body=error))).get_object(
        bucket="bkt", key="k", into=missing
    )
    assert (answer.status, answer.body, missing.getvalue()) == (404, error, b"")
    assert answer.response["Error"]["Code"] == "NoSuchKey"


def test_a_head_answer_has_no_body() -> None:
    transport = MockTransport(Answer(200, {"Content-Length": "4"}, b"data"))
    answer = client_over(transport).head_object(bucket="bkt", key="k")
    assert (answer.body, answer.fields["content_length"]) == (b"", 4)


def test_a_streamed_body_is_recorded_as_the_bytes_read_from_where_it_stands() -> None:
    body = io.BytesIO(b"skip-this:data")
    body.seek(len(b"skip-this:"))
    transport = MockTransport()
    client_over(transport).put_object(bucket="bkt", key="k", body=body)
    assert transport.last.body == b"data"
    assert transport.last.headers["Content-MD5"] == md5(b"data")


def test_a_transport_error_step_is_retried_like_a_network_failure() -> None:
    transport = MockTransport(s3wire.TransportError("reset", retryable=True), Answer(204))
    answer = client_over(transport, retry_base_delay=0).delete_object(bucket="bkt", key="k")
    assert (answer.status, answer.attempts, len(transport.requests)) == (204, 2, 2)
    lasting = MockTransport(s3wire.TransportError("refused for good", retryable=False))
    with pytest.raises(s3wire.TransportError, match="refused for good") as raised:
        client_over(lasting).delete_object(bucket="bkt", key="k")
    assert (raised.value.attempts, len(lasting.requests)) == (1, 1)


def test_a_handlers_own_exception_propagates_as_it_is_and_is_not_retried() -> None:
    class Boom(Exception):
        pass

    def handler(request: Request) -> Answer:
        raise Boom(request.method)

    transport = MockTransport(handler)
    with pytest.raises(Boom, match="GET") as raised:
        client_over(transport).get_object(bucket="bkt", key="k")
    assert not isinstance(raised.value, s3wire.S3wireError)
    assert len(transport.requests) == 1


def test_a_handler_must_answer_an_answer() -> None:
    transport = MockTransport(lambda request: (200, {}, b""))  # type: ignore[arg-type,return-value]
    with pytest.raises(ParamError, match="handler must return an Answer, not tuple"):
        client_over(transport).list_buckets()


def test_a_step_must_be_an_answer_an_exception_or_a_handler() -> None:
    with pytest.raises(ParamError, match="an Answer, an exception or a handler function, not int"):
        MockTransport(200)  # type: ignore[arg-type]


def test_last_is_the_latest_request() -> None:
    transport = MockTransport()
    with pytest.raises(IndexError):
        _ = transport.last
    client = client_over(transport)
    client.head_bucket(bucket="one")
    client.head_bucket(bucket="two")
    assert transport.last.path == "/two"


@pytest.mark.parametrize("transport", ["http://127.0.0.1:7480", object(), 3])
def test_a_transport_without_send_and_close_is_refused(transport: object) -> None:
    with pytest.raises(ParamError, match=r"transport must have send\(\) and close\(\)"):
        client_over(transport)  # type: ignore[arg-type]


def test_threads_may_share_one_mock() -> None:
    transport = MockTransport(Answer(503), Answer(200))
    client = client_over(transport, retry_base_delay=0)

    def put(n: int) -> int:
        return client.put_object(bucket="bkt", key=f"k{n}", body=b"x").status

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(put, range(200)))
    assert statuses == [200] * 200
    assert len(transport.requests) == 201  # one 503, tried again; every other answer a 200
    assert {r.path for r in transport.requests} == {f"/bkt/k{n}" for n in range(200)}


def test_a_recorded_request_shows_no_signature_or_session_token() -> None:
    transport = MockTransport()
    client = client_over(transport, session_token="TOKEN-SECRET")
    client.get_object(bucket="bkt", key="k")
    client.request("GET", f"{URL}/bkt/k?X-Amz-Signature=SIG-SECRET&x-id=GetObject")
    signatures = [r.headers["Authorization"].rsplit("=", 1)[1] for r in transport.requests]
    for request in transport.requests:
        shown = repr(request) + repr(request.headers) + repr(transport.requests)
        assert "bkt/k" in shown and "***" in shown
        for secret in ("TOKEN-SECRET", "SIG-SECRET", *signatures):
            assert secret not in shown
