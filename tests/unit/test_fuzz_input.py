"""Bad input is refused before anything is sent, with a ParamError naming the parameter and the
rule; random keys, headers and query values either are refused so or are signed exactly as
botocore's signer (an independent SigV4 implementation) signs the request sent."""

from __future__ import annotations

import string
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st
from recording import Recorder, client_with
from test_retry_requests import botocore_authorization

import s3wire

BAD_BUCKETS = {
    "": "bucket must be a non-empty str",
    "a b": "not a valid bucket name: 1 to 255",
    "a/b": "not a valid bucket name: 1 to 255",
    "é": "not a valid bucket name: 1 to 255",
    "a" * 256: "not a valid bucket name: 1 to 255",
}
# Names only S3's rules for new buckets refuse: legacy buckets may have them.
LEGACY_BUCKETS = {
    "ab": "3 to 63 lowercase",
    "My_Bucket": "3 to 63 lowercase",
    "-bucket": "starting and ending with a letter or digit",
    "bucket.": "starting and ending with a letter or digit",
    "a" * 64: "3 to 63 lowercase",
    "a..b": "no '..'",
    "192.168.1.10": "not an IP address",
}


@pytest.mark.parametrize("name", [*BAD_BUCKETS, *LEGACY_BUCKETS])
def test_creating_a_bucket_follows_s3s_naming_rules(name: str) -> None:
    recorder = Recorder()
    message = BAD_BUCKETS.get(name) or LEGACY_BUCKETS[name]
    with pytest.raises(s3wire.ParamError, match=message):
        client_with(recorder).create_bucket(bucket=name)
    assert recorder.sent == []


@pytest.mark.parametrize("name", BAD_BUCKETS)
def test_no_request_names_an_impossible_bucket(name: str) -> None:
    recorder = Recorder()
    client = client_with(recorder)
    for call in (
        lambda: client.list_objects_v2(bucket=name),
        lambda: client.get_object(bucket=name, key="k"),
        lambda: client.presigned_url("GET", name, "k"),
    ):
        with pytest.raises(s3wire.ParamError, match="bucket"):
            call()
    assert recorder.sent == []


@pytest.mark.parametrize("name", LEGACY_BUCKETS)
def test_legacy_bucket_names_are_reached_path_style_only(name: str) -> None:
    recorder = Recorder()
    client_with(recorder).get_object(bucket=name, key="k")
    client_with(recorder, "https://s3.amazonaws.com").get_object(bucket=name, key="k")
    assert [urlsplit(url).path for _, url, _, _ in recorder.sent] == [f"/{name}/k"] * 2
    virtual = client_with(recorder, addressing_style="virtual")
    with pytest.raises(s3wire.ParamError, match=LEGACY_BUCKETS[name]):
        virtual.get_object(bucket=name, key="k")
    with pytest.raises(s3wire.ParamError, match=LEGACY_BUCKETS[name]):
        virtual.presigned_url("GET", name, "k")
    assert len(recorder.sent) == 2


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda c: c.get_object(bucket="bkt", key=""), "key must be a non-empty str"),
        (lambda c: c.get_object(bucket="bkt", key=None), "key must be a non-empty str"),
        (lambda c: c.get_object(bucket="bkt", key="é" * 513), "at most 1024 bytes .* 1026"),
        (lambda c: c.get_object(bucket="bkt", key="a\ud800"), "key must be valid Unicode"),
        (lambda c: c.presigned_url("GET", "bkt", "k" * 1025), "at most 1024 bytes"),
        (lambda c: c.list_objects_v2(bucket="bkt", prefix="\udfff"), "'prefix' must be valid"),
        (
            lambda c: c.put_object(bucket="bkt", key="k", metadata={"a": "café"}),
            "header x-amz-meta-a must be printable ASCII",
        ),
        (
            lambda c: c.put_object(bucket="bkt", key="k", metadata={"a b": "x"}),
            "header name 'x-amz-meta-a b' is not an HTTP token",
        ),
        (
            lambda c: c.put_object(bucket="bkt", key="k", metadata={"A": "1", "a": "2"}),
            "given twice",
        ),
        (
            lambda c: c.put_object(bucket="bkt", key="k", content_type="text/plain\r\nX-Y: z"),
            "header Content-Type must be printable ASCII",
        ),
        (lambda c: c.get_object(bucket="bkt", key="k", part_number=0), "part_number must be 1 to"),
        (
            lambda c: c.upload_part(bucket="bkt", key="k", upload_id="u", part_number=10001),
            "part_number must be 1 to 10000; got 10001",
        ),
        (
            lambda c: c.complete_multipart_upload(
                bucket="bkt", key="k", upload_id="u", parts=[{"part_number": -1, "etag": "e"}]
            ),
            r"parts\[0\].part_number must be 1 to 10000",
        ),
        (lambda c: c.presigned_url("GET", "bkt", "k", expires=0), "expires must be 1 to"),
        (lambda c: c.presigned_url("GET", "bkt", "k", expires=604801), "expires must be 1 to"),
        (lambda c: c.list_objects_v2(bucket="bkt", max_keys="1"), "max_keys must be an int"),
        (lambda c: c.list_objects_v2(bucket="bkt", prefixx="a"), "unexpected keyword"),
    ],
)
def test_bad_input_is_refused_naming_the_parameter(call: Any, message: str) -> None:
    recorder = Recorder()
    with pytest.raises(s3wire.ParamError, match=message):
        call(client_with(recorder))
    assert recorder.sent == []


def test_part_numbers_at_the_limits_are_sent() -> None:
    recorder = Recorder()
    client = client_with(recorder)
    for number in (1, 10000):
        client.upload_part(bucket="bkt", key="k", upload_id="u", part_number=number, body=b"x")
    assert len(recorder.sent) == 2


# --- random input ----------------------------------------------------------------------------

any_text = st.text(max_size=12)  # lone surrogates included: they must be refused, not crash
keys = st.one_of(any_text, st.sampled_from(["", ".", "..", "a/../b", "%2F", "a b+c", "k" * 1025]))
header_text = st.one_of(
    st.text(string.printable, max_size=10), any_text, st.sampled_from(["", " x ", "a\tb"])
)
token = st.from_regex(r"[A-Za-z0-9_.-]{1,8}", fullmatch=True)
printable = st.text(string.printable.strip() + " \t", max_size=10)
metadata = st.one_of(
    st.dictionaries(token, printable, max_size=3),  # mostly sendable
    st.dictionaries(st.one_of(token, any_text), header_text, max_size=3),  # mostly not
)


def outcome(call: Any, recorder: Recorder) -> bool:
    """Run a call: False when it was refused with a ParamError (nothing sent), True when it was
    sent; any other exception escapes and fails the test."""
    try:
        call()
    except s3wire.ParamError:
        assert recorder.sent == []
        event("refused")
        return False
    event("sent")
    return True


def check_sent(recorder: Recorder) -> None:
    ((method, url, headers, body),) = recorder.sent
    data = body if isinstance(body, bytes) else b""
    assert headers["Authorization"] == botocore_authorization(method, url, headers, data, "r")


@settings(derandomize=True, max_examples=400, deadline=None)
@given(key=keys, meta=metadata, content_type=st.one_of(st.none(), printable, header_text))
def test_random_keys_and_headers_are_refused_or_signed_right(
    key: str, meta: dict[str, str], content_type: str | None
) -> None:
    recorder = Recorder()
    client = client_with(recorder, region="r")
    call = lambda: client.put_object(  # noqa: E731
        bucket="bkt", key=key, body=b"x", metadata=meta, content_type=content_type
    )
    if outcome(call, recorder):
        check_sent(recorder)
        path = urlsplit(recorder.sent[0][1]).path
        assert unquote(path) == f"/bkt/{key}"  # the key arrives as given, dots and all


@settings(derandomize=True, max_examples=400, deadline=None)
@given(
    prefix=any_text,
    delimiter=st.one_of(st.none(), any_text),
    token=st.one_of(st.none(), any_text),
    version=st.one_of(st.none(), any_text),
)
def test_random_query_values_are_refused_or_signed_right(
    prefix: str, delimiter: str | None, token: str | None, version: str | None
) -> None:
    recorder = Recorder()
    client = client_with(recorder, region="r")
    calls = [
        lambda: client.list_objects_v2(
            bucket="bkt", prefix=prefix, delimiter=delimiter, continuation_token=token
        ),
        lambda: client.get_object(bucket="bkt", key="k", version_id=version),
    ]
    for call in calls:
        recorder.sent.clear()
        if outcome(call, recorder):
            check_sent(recorder)


@settings(derandomize=True, max_examples=300, deadline=None)
@given(bucket=st.one_of(any_text, st.from_regex(r"[a-z0-9.-]{1,70}", fullmatch=True)))
def test_random_bucket_names_are_refused_or_addressed_right(bucket: str) -> None:
    recorder = Recorder()
    client = client_with(recorder, "https://s3.eu-west-1.amazonaws.com", region="r")
    if outcome(lambda: client.head_bucket(bucket=bucket), recorder):
        check_sent(recorder)
        split = urlsplit(recorder.sent[0][1])
        assert split.netloc == f"{bucket}.s3.eu-west-1.amazonaws.com" or split.path == f"/{bucket}"
    recorder.sent.clear()
    if outcome(lambda: client.create_bucket(bucket=bucket), recorder):
        check_sent(recorder)


@settings(derandomize=True, max_examples=300, deadline=None)
@given(
    path=st.lists(
        st.one_of(any_text, st.sampled_from(["%", "%2F", "..", "?", "#", "&"])), max_size=4
    ),
    query=st.lists(st.tuples(any_text, any_text), max_size=3),
    headers=st.one_of(
        st.dictionaries(token, printable, max_size=2),
        st.dictionaries(st.one_of(token, any_text), header_text, max_size=2),
    ),
)
def test_random_generic_requests_are_refused_or_signed_right(
    path: list[str], query: list[tuple[str, str]], headers: dict[str, str]
) -> None:
    recorder = Recorder()
    client = client_with(recorder, region="r")
    target = "/" + "/".join(path) + "?" + "&".join(f"{k}={v}" for k, v in query)
    if outcome(lambda: client.request("GET", target, headers=headers), recorder):
        check_sent(recorder)
