"""Retries, redirects and integrity checks as the client performs them, against a scripted
transport; each request's signature is checked against botocore's signer."""

from __future__ import annotations

import contextlib
import hashlib
import io
import itertools
import logging
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from recording import Recorder, botocore_authorization, client_with, md5
from requests.structures import CaseInsensitiveDict

import s3wire
from s3wire import signing, testing
from s3wire._http.transport import Urllib3Transport
from s3wire.errors import ArgumentError, ChecksumError
from s3wire.transport_api import Body, Sink

Answer = tuple[int, CaseInsensitiveDict[str], bytes]
OK: Answer = (200, CaseInsensitiveDict(), b"")


def error(status: int, code: str, **headers: str) -> Answer:
    body = f"<Error><Code>{code}</Code><Message>m</Message><Region>eu-west-1</Region></Error>"
    return status, CaseInsensitiveDict(headers), body.encode()


class Script(Recorder):
    """Answers each request with the script's next step (the last step repeats): an answer, or
    an exception to raise. A streamed body is read, as the network would."""

    def __init__(self, *steps: Answer | Exception) -> None:
        super().__init__()
        self.steps = list(steps)

    def send(
        self, method: str, url: str, headers: dict[str, str], body: Body, sink: Sink | None = None
    ) -> Answer:
        data = body.read() if isinstance(body, io.IOBase) else body
        if isinstance(body, Fragile):
            body.locked = True
        self.sent.append((method, url, dict(headers), data))
        step = self.steps.pop(0) if len(self.steps) > 1 else self.steps[0]
        if isinstance(step, Exception):
            raise step
        return testing.Answer(*step).deliver(method, sink)


class Fragile(io.BytesIO):
    """A stream that cannot seek any more once it has been sent."""

    locked = False

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        if self.locked:
            raise OSError("not seekable any more")
        return super().seek(offset, whence)


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The waits between tries, recorded instead of slept."""
    waited: list[float] = []
    monkeypatch.setattr("s3wire._base.time.sleep", waited.append)
    return waited


@pytest.fixture
def ticking_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each signature one second after the previous one."""
    seconds: Iterator[int] = itertools.count()
    monkeypatch.setattr(
        signing, "format_amz_date", lambda now=None: f"20240506T0708{next(seconds):02d}Z"
    )


def check_signed(script: Script, region: str = "us-east-1") -> None:
    for method, url, headers, body in script.sent:
        assert headers["Authorization"] == botocore_authorization(
            method, url, headers, body or b"", region
        )


def test_transient_answers_are_tried_again_each_time_signed_afresh(
    sleeps: list[float], ticking_clock: None
) -> None:
    script = Script(error(503, "SlowDown"), error(500, "InternalError"), OK)
    answer = client_with(script).put_object(bucket="bkt", key="k", body=b"data")
    assert (answer.status, answer.attempts, len(script.sent), len(sleeps)) == (200, 3, 3, 2)
    dates = [headers["x-amz-date"] for _, _, headers, _ in script.sent]
    assert len(set(dates)) == 3
    check_signed(script)
    assert all(0 <= wait <= 20 for wait in sleeps)


def test_retry_after_is_waited_for(sleeps: list[float]) -> None:
    script = Script(error(503, "SlowDown", **{"Retry-After": "3"}), OK)
    client_with(script, retry_base_delay=0).get_object(bucket="bkt", key="k")
    assert sleeps == [3]


def test_network_failures_are_tried_again(sleeps: list[float]) -> None:
    script = Script(s3wire.TransportError("reset"), ChecksumError("damaged"), OK)
    answer = client_with(script).list_objects_v2(bucket="bkt")
    assert (answer.status, answer.attempts, len(sleeps)) == (200, 3, 2)


def test_the_budget_is_max_attempts(sleeps: list[float]) -> None:
    script = Script(error(503, "SlowDown"))
    answer = client_with(script, max_attempts=3).list_objects_v2(bucket="bkt")
    assert (answer.status, answer.attempts, len(script.sent)) == (503, 3, 3)
    with pytest.raises(s3wire.S3Error, match=r"503 SlowDown: m \(after 3 attempts\)"):
        answer.raise_for_status()
    head = client_with(script, max_attempts=3).head_bucket(bucket="bkt")  # an answer with no body
    with pytest.raises(s3wire.S3Error, match=r"503 HTTP503 \(after 3 attempts\)"):
        head.raise_for_status()

    failing = Script(s3wire.TransportError("GET request failed: reset"))
    with pytest.raises(s3wire.TransportError) as raised:
        client_with(failing, max_attempts=2).get_object(bucket="bkt", key="k")
    assert str(raised.value) == "GET request failed: reset (after 2 attempts)"
    assert (raised.value.attempts, len(failing.sent)) == (2, 2)


@pytest.mark.parametrize(
    "step",
    [
        error(404, "NoSuchKey"),
        error(403, "AccessDenied"),
        error(400, "InvalidArgument"),
        error(501, "NotImplemented"),
        s3wire.TransportError("certificate verify failed", retryable=False),
        (500, CaseInsensitiveDict(), b'<!DOCTYPE x [<!ENTITY a "b">]><Error>&a;</Error>'),
    ],
)
def test_final_answers_are_not_tried_again(step: Answer | Exception, sleeps: list[float]) -> None:
    script = Script(step)
    with contextlib.suppress(s3wire.S3wireError):
        client_with(script).get_object(bucket="bkt", key="k")
    assert (len(script.sent), sleeps) == (1, [])


def test_a_streamed_body_is_rewound_to_where_it_started(sleeps: list[float]) -> None:
    stream = io.BytesIO(b"skip" + b"payload")
    stream.seek(4)
    script = Script(s3wire.TransportError("reset"), error(503, "SlowDown"), OK)
    client_with(script).put_object(bucket="bkt", key="k", body=stream)
    assert [body for _, _, _, body in script.sent] == [b"payload"] * 3
    assert {headers["Content-MD5"] for _, _, headers, _ in script.sent} == {md5(b"payload")}
    assert {headers["x-amz-content-sha256"] for _, _, headers, _ in script.sent} == {
        "UNSIGNED-PAYLOAD"
    }


def test_a_body_that_cannot_be_rewound_is_not_sent_again(
    sleeps: list[float], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, "s3wire")
    script = Script(error(503, "SlowDown"))
    answer = client_with(script).put_object(bucket="bkt", key="k", body=Fragile(b"once"))
    assert (answer.status, answer.attempts, len(script.sent)) == (503, 1, 1)
    failing = Script(s3wire.TransportError("reset"))
    with pytest.raises(s3wire.TransportError):
        client_with(failing).put_object(bucket="bkt", key="k", body=Fragile(b"once"))
    assert len(failing.sent) == 1
    assert "cannot be rewound" in caplog.text


def test_each_retry_is_logged_at_debug_without_query_or_headers(
    sleeps: list[float], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, "s3wire")
    script = Script(error(503, "SlowDown"), OK)
    client_with(script).upload_part(
        bucket="bkt", key="a b", upload_id="UPLOAD-ID", part_number=1, body=b"x"
    )
    (record,) = caplog.records
    assert (record.name, record.levelno) == ("s3wire", logging.DEBUG)
    assert record.getMessage().startswith("retrying PUT /bkt/a%20b (try 2 of 4) in ")
    assert record.getMessage().endswith(": 503 SlowDown")
    assert "UPLOAD-ID" not in caplog.text


def test_a_region_redirect_is_followed_once_re_signed(sleeps: list[float]) -> None:
    moved = error(301, "PermanentRedirect", **{"x-amz-bucket-region": "eu-west-1"})
    script = Script(moved, OK)
    client = client_with(script, "https://s3.us-east-1.amazonaws.com")
    assert client.get_object(bucket="bkt", key="k").status == 200
    (_, first, _, _), (_, second, headers, _) = script.sent
    assert urlsplit(first).netloc == "bkt.s3.us-east-1.amazonaws.com"
    assert urlsplit(second).netloc == "bkt.s3.eu-west-1.amazonaws.com"
    assert "/eu-west-1/s3/aws4_request" in headers["Authorization"]
    assert headers["Authorization"] == botocore_authorization(
        "GET", second, headers, b"", "eu-west-1"
    )

    again = Script(moved)
    assert client_with(again).get_object(bucket="bkt", key="k").status == 301
    assert len(again.sent) == 2  # followed once, not twice


def test_a_malformed_authorization_naming_a_region_is_followed(sleeps: list[float]) -> None:
    script = Script(error(400, "AuthorizationHeaderMalformed"), OK)
    client = client_with(script)
    assert client.list_objects_v2(bucket="bkt").status == 200
    (_, first, _, _), (_, second, headers, _) = script.sent
    assert first == second  # another server's host stays
    assert headers["Authorization"] == botocore_authorization(
        "GET", second, headers, b"", "eu-west-1"
    )
    client.list_objects_v2(bucket="bkt")  # the next call: signed for the bucket's region
    assert "/eu-west-1/s3/aws4_request" in script.sent[2][2]["Authorization"]
    client.list_objects_v2(bucket="other")  # another bucket: the connection's region
    assert "/us-east-1/s3/aws4_request" in script.sent[3][2]["Authorization"]


def test_a_buckets_region_is_remembered_from_the_first_try(sleeps: list[float]) -> None:
    moved = (400, CaseInsensitiveDict({"x-amz-bucket-region": "eu-west-1"}), b"")  # a HEAD's
    script = Script(moved, OK, OK, OK)
    client = client_with(script, "https://s3.us-east-1.amazonaws.com")
    assert client.head_object(bucket="bkt", key="k").status == 200
    assert client.get_object(bucket="bkt", key="k").status == 200
    assert client.get_object(bucket="new", key="k").status == 200
    hosts = [urlsplit(url).netloc for _, url, _, _ in script.sent]
    assert hosts == [
        "bkt.s3.us-east-1.amazonaws.com",
        "bkt.s3.eu-west-1.amazonaws.com",
        "bkt.s3.eu-west-1.amazonaws.com",  # one request: no redirect this time
        "new.s3.us-east-1.amazonaws.com",
    ]
    scopes = [headers["Authorization"].split("/")[2] for _, _, headers, _ in script.sent]
    assert scopes == ["us-east-1", "eu-west-1", "eu-west-1", "us-east-1"]


def test_remembered_regions_are_bounded(sleeps: list[float]) -> None:
    from s3wire._request import regions

    moved = error(301, "PermanentRedirect", **{"x-amz-bucket-region": "eu-west-1"})
    count = regions.LIMIT + 1
    script = Script(*[answer for _ in range(count + 1) for answer in (moved, OK)])
    client = client_with(script, "https://s3.us-east-1.amazonaws.com")
    for index in range(count):
        client.get_object(bucket=f"bkt{index}", key="k")
    client.get_object(bucket="bkt0", key="k")  # forgotten when the memory started over
    hosts = [urlsplit(url).netloc for _, url, _, _ in script.sent[-2:]]
    assert hosts == ["bkt0.s3.us-east-1.amazonaws.com", "bkt0.s3.eu-west-1.amazonaws.com"]


@pytest.mark.parametrize(
    ("location", "followed"),
    [
        ("https://bkt.s3-eu-west-1.amazonaws.com/k", "bkt.s3-eu-west-1.amazonaws.com"),
        ("https://bkt.s3.us-east-1.amazonaws.com:8443/k", "bkt.s3.us-east-1.amazonaws.com:8443"),
        ("http://bkt.s3-eu-west-1.amazonaws.com/k", None),  # never to plain http
        ("https://evil.example.com/k", None),  # never off AWS
        ("https://bkt.s3.amazonaws.com.evil.example/k", None),
        ("https://[::1]:99999/k", None),
        ("", None),
    ],
)
def test_a_temporary_redirect_is_followed_between_aws_hosts_only(
    sleeps: list[float], location: str, followed: str | None
) -> None:
    body = b"<Error><Code>TemporaryRedirect</Code><Message>m</Message></Error>"
    temporary = (307, CaseInsensitiveDict({"Location": location}), body)
    script = Script(temporary, OK)
    client = client_with(script, "https://s3.amazonaws.com")
    answer = client.get_object(bucket="bkt", key="k")
    hosts = [urlsplit(url).netloc for _, url, _, _ in script.sent]
    if followed is None:
        assert (answer.status, hosts) == (307, ["bkt.s3.amazonaws.com"])
    else:
        assert (answer.status, hosts) == (200, ["bkt.s3.amazonaws.com", followed])
        assert script.sent[1][2]["Host"] == followed


def test_a_damaged_object_is_fetched_again_never_returned(sleeps: list[float]) -> None:
    good = b"the right bytes"
    etag = CaseInsensitiveDict({"ETag": f'"{hashlib.md5(good).hexdigest()}"'})
    script = Script((200, etag, b"the wrong bytes"), (200, etag, good))
    answer = client_with(script).get_object(bucket="bkt", key="k")
    assert (answer.body, answer.attempts) == (good, 2)
    always = Script((200, etag, b"the wrong bytes"))
    with pytest.raises(ChecksumError, match=r"ETag \(MD5\) \(after 4 attempts\)"):
        client_with(always).get_object(bucket="bkt", key="k")


def test_an_error_inside_a_200_is_tried_again(sleeps: list[float]) -> None:
    done = b"<CompleteMultipartUploadResult><ETag>e</ETag></CompleteMultipartUploadResult>"
    script = Script(error(200, "InternalError"), (200, CaseInsensitiveDict(), done))
    answer = client_with(script).complete_multipart_upload(
        bucket="bkt", key="k", upload_id="u", parts=[{"part_number": 1, "etag": "e"}]
    )
    assert (answer.ok, answer.attempts) == (True, 2)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda c: c.list_objects_v2(bucket="bkt", max_key=1),
            r"'max_key'.*did you mean 'max_keys'",
        ),
        (lambda c: c.put_object(bucket="bkt"), "missing a required argument: 'key'"),
        (lambda c: c.head_bucket("bkt"), "too many positional arguments"),
        (lambda c: c.upload_file("bkt", "k", b"", size=1), "unexpected keyword argument 'size'"),
    ],
)
def test_arguments_that_do_not_fit_raise_argument_error(call: Any, message: str) -> None:
    recorder = Recorder()
    with pytest.raises(ArgumentError, match=message) as raised:
        call(client_with(recorder))
    assert isinstance(raised.value, s3wire.ParamError)
    assert isinstance(raised.value, TypeError)
    assert raised.value.args[0].split(":")[0] in (
        "list_objects_v2",
        "put_object",
        "head_bucket",
        "upload_file",
    )
    assert recorder.sent == []


def test_a_type_error_from_inside_a_call_is_not_mistaken_for_bad_arguments() -> None:
    class Broken(Recorder):
        def send(self, *args: Any) -> Answer:
            raise TypeError("a bug deep inside")

    with pytest.raises(TypeError, match="a bug deep inside") as raised:
        client_with(Broken()).head_bucket(bucket="bkt")
    assert not isinstance(raised.value, s3wire.ParamError)


def test_the_real_transport_tells_lasting_failures_apart(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_PROXY", "*")  # straight to 127.0.0.1:1, where nothing listens
    transport = Urllib3Transport(connect_timeout=1, read_timeout=1, verify=True)
    with pytest.raises(s3wire.TransportError) as refused:
        transport.send("GET", "http://127.0.0.1:1/b?X-Amz-Signature=SIGNATURE", {}, None)
    assert refused.value.retryable
    assert "/b?..." in str(refused.value)
    assert "SIGNATURE" not in str(refused.value)
    with pytest.raises(s3wire.TransportError) as malformed:
        transport.send("GET", "http://[::1/b", {}, None)
    assert not malformed.value.retryable
    with pytest.raises(s3wire.ParamError, match="verify names no CA bundle"):
        Urllib3Transport(connect_timeout=1, read_timeout=1, verify="/no/such/bundle.pem")
