"""An endpoint URL with a path prefix (a gateway behind a reverse proxy, https://gw.example/s3):
every request's path starts with it and is signed so, as botocore sends and signs it."""

from __future__ import annotations

from typing import Any

import botocore.session
import pytest
from hypothesis import given
from hypothesis import strategies as st
from recording import SECRET, Recorder, botocore_authorization, client_with

import s3wire

GATEWAY = "https://gw.example/s3"
UNRESERVED = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~"
segment = st.text(UNRESERVED, min_size=1, max_size=8).filter(lambda s: s not in (".", ".."))


def botocore_url(endpoint: str, call: str, style: str, **params: Any) -> str:
    """The URL botocore sends for one call on `endpoint` (nothing leaves the process)."""
    config = botocore.config.Config(s3={"addressing_style": style})
    client = botocore.session.get_session().create_client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id="AKIDEXAMPLE",
        aws_secret_access_key=SECRET,
        region_name="us-east-1",
        config=config,
    )
    seen: list[str] = []

    def answer(request: Any, **_: Any) -> None:
        seen.append(request.url)
        raise _Sent

    client.meta.events.register("before-send", answer)
    with pytest.raises(_Sent):
        getattr(client, call)(**params)
    return seen[0]


class _Sent(Exception):
    """Raised once botocore's request is seen: nothing is sent."""


@pytest.mark.parametrize("style", ["path", "virtual"])
@pytest.mark.parametrize(
    ("call", "ours", "params"),
    [
        ("list_buckets", "list_buckets", {}),
        ("head_bucket", "head_bucket", {"bucket": "bkt"}),
        ("get_object", "get_object", {"bucket": "bkt", "key": "dir/a b+c"}),
        ("list_objects_v2", "list_objects_v2", {"bucket": "bkt", "prefix": "p/"}),
    ],
)
@pytest.mark.parametrize("endpoint", [GATEWAY, GATEWAY + "/", "http://s3.local:7480/a/b.c"])
def test_requests_go_under_the_prefix_as_botocore_sends_them(
    endpoint: str, style: str, call: str, ours: str, params: dict[str, str]
) -> None:
    recorder = Recorder()
    with client_with(recorder, endpoint, addressing_style=style) as client:
        getattr(client, ours)(**params)
    (request,) = recorder.sent
    boto = {
        "Bucket": params.get("bucket"),
        "Key": params.get("key"),
        "Prefix": params.get("prefix"),
    }
    expected = botocore_url(endpoint, call, style, **{k: v for k, v in boto.items() if v})
    assert request.url.split("?")[0] == expected.split("?")[0]
    headers = dict(request.headers)
    signed = botocore_authorization(request.method, request.url, headers, b"", "us-east-1")
    assert headers["Authorization"] == signed


def test_raw_requests_and_presigned_urls_carry_the_prefix() -> None:
    recorder = Recorder()
    with client_with(recorder, GATEWAY) as client:
        client.request("GET", "/bkt/k?tagging")
        url = client.presigned_url("GET", bucket="bkt", key="k", expires=60)
        client.request("GET", "https://gw.example/other")  # a URL is sent as it is
    assert [r.url for r in recorder.sent] == [
        "https://gw.example/s3/bkt/k?tagging=",
        "https://gw.example/other",
    ]
    assert url.startswith("https://gw.example/s3/bkt/k?X-Amz-")


@given(st.lists(segment, min_size=1, max_size=4), st.booleans())
def test_any_prefix_of_plain_segments_is_taken(segments: list[str], slash: bool) -> None:
    url = "https://gw.example/" + "/".join(segments) + ("/" if slash else "")
    data = s3wire.get_data_structure(url, "AKIDEXAMPLE", SECRET, "us-east-1")
    recorder = Recorder()
    with s3wire.Client(data, transport=recorder) as client:
        client.get_object(bucket="bkt", key="k")
    assert recorder.sent[0].url == "https://gw.example/" + "/".join(segments) + "/bkt/k"


@given(
    st.lists(segment, max_size=3),
    st.one_of(
        st.sampled_from([".", "..", "", "a%2Fb", "a b", "é", "a;b", "a@b", "a:b", "(x)"]),
        st.characters(exclude_characters=UNRESERVED + "/?#").map(lambda c: f"a{c}"),
    ),
)
def test_a_prefix_with_anything_else_is_refused_by_name(segments: list[str], bad: str) -> None:
    url = "https://gw.example/" + "/".join([*segments, bad, "z"])
    with pytest.raises(s3wire.ParamError, match=r"url(.s path| holds white space)") as raised:
        s3wire.get_data_structure(url, "AKIDEXAMPLE", SECRET, "us-east-1")
    assert SECRET not in str(raised.value)
