"""Connection data: building, checking, hiding secrets, addressing."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

import s3wire
from s3wire.config import Settings

SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"


def make(url: str = "http://127.0.0.1:7480", **options: object) -> s3wire.ConnectionData:
    return s3wire.get_data_structure(url, "AKIDEXAMPLE", SECRET, "us-east-1", **options)


def test_data_structure_is_json_and_round_trips() -> None:
    data = make(part_size=8 * 1024 * 1024)
    loaded = json.loads(json.dumps(data))
    assert loaded["secret_key"] == SECRET
    assert loaded["part_size"] == 8 * 1024 * 1024
    assert loaded["service"] == "s3"
    assert loaded["addressing_style"] == "auto"
    assert s3wire.Client(loaded).data == data


def test_secret_never_in_repr() -> None:
    data = make(session_token="TOKEN-SECRET")
    client = s3wire.Client(data)
    for text in (repr(data), str(data), repr(client), repr(Settings.from_data(data))):
        assert SECRET not in text
        assert "TOKEN-SECRET" not in text


def test_client_from_keywords() -> None:
    client = s3wire.Client(url="http://h:1", access_key="a", secret_key="s", region="r")
    assert repr(client) == "Client(url='http://h:1', region='r')"
    with pytest.raises(s3wire.ParamError, match="not both"):
        s3wire.Client(make(), region="x")


@pytest.mark.parametrize(
    ("url", "options", "message"),
    [
        ("storage.example.com", {}, "http"),
        ("ftp://host", {}, "http"),
        ("http://", {}, "http"),
        ("http://host/a/../b", {}, "path"),
        ("http://host/a%20b", {}, "path"),
        ("http://host?x=1", {}, "query"),
        ("http://user:pw@host", {}, "credentials"),
        ("http://host:99999", {}, "port"),
        ("http://host", {"addressing_style": "dns"}, "addressing_style"),
        ("http://host", {"part_size": 1024}, "part_size"),
        ("http://host", {"read_timeout": 0}, "read_timeout"),
        ("http://host", {"chunk_size": 5}, "unknown connection option"),
    ],
)
def test_bad_data_is_refused_with_the_field_named(
    url: str, options: dict[str, object], message: str
) -> None:
    with pytest.raises(s3wire.ParamError, match=message) as raised:
        make(url, **options)
    assert SECRET not in str(raised.value)


def test_empty_fields_are_named() -> None:
    with pytest.raises(s3wire.ParamError, match="access_key, secret_key"):
        s3wire.get_data_structure("http://h", "", "", "us-east-1")
    with pytest.raises(s3wire.ParamError, match="mapping"):
        s3wire.Client(["not", "a", "mapping"])  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("url", "style", "bucket", "virtual"),
    [
        ("https://s3.eu-west-1.amazonaws.com", "auto", "my-bucket", True),
        ("https://s3.eu-west-1.amazonaws.com", "auto", "my.dotted.bucket", False),
        ("https://s3.eu-west-1.amazonaws.com", "auto", "Upper", False),
        ("http://127.0.0.1:7480", "auto", "my-bucket", False),
        ("http://localhost:7480", "auto", "my-bucket", False),
        ("https://minio.example.com", "auto", "my-bucket", False),
        ("http://127.0.0.1:7480", "virtual", "my-bucket", True),
        ("https://s3.amazonaws.com", "path", "my-bucket", False),
    ],
)
def test_addressing(url: str, style: str, bucket: str, virtual: bool) -> None:
    settings = Settings.from_data(make(url, addressing_style=style))
    assert settings.uses_virtual_host(bucket) is virtual


@pytest.mark.parametrize(
    ("url", "netloc"),
    [
        ("http://127.0.0.1:7480", "127.0.0.1:7480"),
        ("http://host:80", "host"),
        ("https://host:443", "host"),
        ("https://host:8443", "host:8443"),
        ("http://[::1]:7480", "[::1]:7480"),
    ],
)
def test_host_carries_a_non_default_port(url: str, netloc: str) -> None:
    assert Settings.from_data(make(url)).netloc == netloc


@given(
    at=st.integers(min_value=0, max_value=len("http://127.0.0.1:7480")),
    blank=st.sampled_from([chr(c) for c in range(0x21)] + ["\x7f", "\x85", "\u2028", "\u3000"]),
)
def test_a_url_with_white_space_or_a_control_character_is_refused(at: int, blank: str) -> None:
    url = "http://127.0.0.1:7480"
    with pytest.raises(s3wire.ParamError, match="url holds white space or a control character"):
        s3wire.get_data_structure(url[:at] + blank + url[at:], "AK", "SK", "us-east-1")


@pytest.mark.parametrize("region", ["us east-1", "us-east-1/s3", "eu\tx", "", "r\u00e9gion"])
def test_a_region_that_cannot_go_in_a_scope_or_host_is_refused(region: str) -> None:
    with pytest.raises(s3wire.ParamError, match="region"):
        s3wire.get_data_structure("http://127.0.0.1:7480", "AK", "SK", region)


@pytest.mark.parametrize("region", ["us-east-1", "default", "cn-north-1", "zone_a", "eu.west"])
def test_regions_of_aws_and_other_servers_are_taken(region: str) -> None:
    data = s3wire.get_data_structure("http://127.0.0.1:7480", "AK", "SK", region)
    assert data["region"] == region


SECONDS_SETTINGS = ("connect_timeout", "read_timeout", "total_timeout", "retry_base_delay")
ANY_NUMBER = st.one_of(
    st.integers(min_value=-(10**400), max_value=10**400),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([2**31, 2**31 + 1, 1e10, 10**400, -0.0, float("nan")]),
)


@given(name=st.sampled_from(SECONDS_SETTINGS), value=ANY_NUMBER)
def test_a_number_of_seconds_builds_a_client_or_is_refused_by_name(name: str, value: float) -> None:
    """Any number: taken when a socket or lock can wait that long (2**31 s at most; a delay may be
    0, a timeout not), else a ParamError naming the setting; never an OverflowError from inside
    (1e10 seconds overflows time_t, 10**400 a float)."""
    lowest_ok = value >= 0 if name == "retry_base_delay" else value > 0
    taken = lowest_ok and value <= 2**31  # False for NaN
    try:
        client = s3wire.Client(make(**{name: value, "retry_max_delay": 2**31}))
    except s3wire.ParamError as refused:
        assert str(refused).startswith(name)
        assert not taken
    else:
        assert taken
        client.close()
