"""Parameter values checked and formatted for the wire, including list-of-dict parameters."""

from __future__ import annotations

import datetime as dt

import pytest

from s3wire import ParamError, _wire

PART_FIELDS: tuple[_wire.Field, ...] = (
    ("part_number", "int", True),
    ("etag", "str", True),
    ("checksum", "str", False),
)


def test_records_are_checked_and_formatted() -> None:
    parts = [{"part_number": 1, "etag": '"a"'}, {"part_number": 2, "etag": '"b"', "checksum": None}]
    assert _wire.records(parts, PART_FIELDS, "parts") == [
        {"part_number": "1", "etag": '"a"'},
        {"part_number": "2", "etag": '"b"'},
    ]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("not a list", r"parts must be a list of dicts, not str"),
        ({"part_number": 1}, r"parts must be a list of dicts, not dict"),
        ([1], r"parts\[0\] must be a dict, not int"),
        ([{"part_number": 1}], r"parts\[0\] needs 'etag'"),
        ([{"part_number": "1", "etag": "e"}], r"parts\[0\]\.part_number must be an int"),
        ([{"part_number": 1, "etag": "e", "PartNumber": 1}], r"unknown key\(s\) \['PartNumber'\]"),
    ],
)
def test_bad_records_name_the_item_and_rule(value: object, message: str) -> None:
    with pytest.raises(ParamError, match=message):
        _wire.records(value, PART_FIELDS, "parts")


def test_entries_from_a_map() -> None:
    assert _wire.entries({"k": "v", "a b": "c&d"}, "tags") == [
        {"key": "k", "value": "v"},
        {"key": "a b", "value": "c&d"},
    ]
    with pytest.raises(ParamError, match="tags must map non-empty str keys to str values"):
        _wire.entries({"k": 1}, "tags")


def test_scalars() -> None:
    assert _wire.integer(5, "n") == "5"
    assert _wire.boolean(False, "b") == "false"
    with pytest.raises(ParamError, match="n must be an int, not bool"):
        _wire.integer(True, "n")
    with pytest.raises(ParamError, match="s must be one of a, b; got 'c'"):
        _wire.choice("c", ("a", "b"), "s")
    when = dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    assert _wire.http_date(when, "t") == "Tue, 02 Jan 2024 01:04:05 GMT"
