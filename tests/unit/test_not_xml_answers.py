"""A success answer whose body should be XML and is not is a ResponseError, never a success; an
error answer that is not XML (a proxy's HTML page) is still answered, and so is any answer to a
raw request() (which may be data), and an object's bytes."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from hypothesis import given
from hypothesis import strategies as st
from recording import Recorder, client_with

import s3wire
from s3wire.xmljson import NOT_XML, parse

GARBAGE = [b"plain bytes", b"<html><body>Bad gateway", b"\x00\xff\xfe", b"{}", b"   "]
PROXY_PAGE = b"<html><body><h1>502 Bad Gateway</h1>"


@pytest.mark.parametrize("garbage", GARBAGE)
@pytest.mark.parametrize("status", [200, 204, 206])
def test_a_success_answer_that_is_not_xml_is_refused(status: int, garbage: bytes) -> None:
    client = client_with(Recorder(status, garbage))
    with pytest.raises(s3wire.ResponseError, match=r"it is not XML \(\d+ bytes, starting "):
        client.list_objects_v2(bucket="bkt")
    with pytest.raises(s3wire.ResponseError, match="it is not XML"):
        client.put_object(bucket="bkt", key="k", body=b"x")  # no answer body declared either


@given(garbage=st.binary(min_size=1))
def test_a_success_answer_is_xml_or_refused(garbage: bytes) -> None:
    client = client_with(Recorder(200, garbage))
    try:
        answer = client.list_buckets()
    except s3wire.ResponseError:
        return
    ET.fromstring(garbage)  # answered: then it is XML (by xml.etree's own parse)
    assert len(answer.response) == 1  # {root element: its content}


def test_an_error_answer_that_is_not_xml_is_still_answered() -> None:
    answer = client_with(Recorder(502, PROXY_PAGE)).list_objects_v2(bucket="bkt")
    assert answer.status == 502
    assert answer.response == {NOT_XML: PROXY_PAGE.decode()}
    with pytest.raises(s3wire.S3Error):
        answer.raise_for_status()


def test_data_answers_are_not_read_as_xml() -> None:
    client = client_with(Recorder(200, b"plain bytes"))
    assert client.get_object(bucket="bkt", key="k").body == b"plain bytes"
    raw = client.request("GET", "/bkt/k")
    assert (raw.status, raw.response) == (200, {NOT_XML: "plain bytes"})


def test_an_empty_success_answer_is_fine() -> None:
    assert client_with(Recorder(200, b"")).put_object(bucket="b", key="k", body=b"").ok


def test_parse_refuses_text_only_when_it_must_be_xml() -> None:
    assert parse(PROXY_PAGE, {}) == {NOT_XML: PROXY_PAGE.decode()}
    with pytest.raises(s3wire.ResponseError, match="it is not XML"):
        parse(PROXY_PAGE, {}, must_be_xml=True)
