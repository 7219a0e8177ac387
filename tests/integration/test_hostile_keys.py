"""Keys and body text that XML would normalise reach the server exactly: DeleteObjects on 'a\\rb'
deletes that object and no other, and tags holding CR, CRLF and TAB read back as they were put."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import s3wire

# Keys an XML parser would read as one another, were CR not sent as a character reference.
LOOKALIKES = ["a\rb", "a\nb", "a\r\nb", "a\n\nb", "a\tb", "a b"]


@pytest.fixture
def lookalikes(client: s3wire.Client, bucket: str) -> Iterator[list[str]]:
    """The LOOKALIKES, each holding its own name; whichever are left are deleted one by one (the
    bucket fixture's cleanup lists keys, which a listing without encoding-type=url would give back
    with CR read as LF)."""
    for key in LOOKALIKES:
        client.put_object(bucket=bucket, key=key, body=key.encode()).raise_for_status()
    yield LOOKALIKES
    for key in LOOKALIKES:
        client.delete_object(bucket=bucket, key=key).raise_for_status()


def remaining(client: s3wire.Client, bucket: str) -> list[str]:
    return [key for key in LOOKALIKES if client.head_object(bucket=bucket, key=key).status == 200]


def test_delete_objects_deletes_exactly_the_key_given(
    client: s3wire.Client, bucket: str, lookalikes: list[str]
) -> None:
    answer = client.delete_objects(bucket=bucket, objects=[{"key": "a\rb"}]).raise_for_status()
    result = answer.response["DeleteResult"]
    assert [deleted["Key"] for deleted in result["Deleted"]] == ["a\rb"]
    assert result["Error"] == []
    assert remaining(client, bucket) == [key for key in lookalikes if key != "a\rb"]


def test_delete_objects_with_crlf_and_tab_keys(
    client: s3wire.Client, bucket: str, lookalikes: list[str]
) -> None:
    gone = ["a\r\nb", "a\tb"]
    answer = client.delete_objects(bucket=bucket, objects=[{"key": key} for key in gone])
    deleted = answer.raise_for_status().response["DeleteResult"]["Deleted"]
    assert sorted(item["Key"] for item in deleted) == sorted(gone)
    assert remaining(client, bucket) == [key for key in lookalikes if key not in gone]
    assert client.get_object(bucket=bucket, key="a\nb").body == b"a\nb"


def test_tags_with_cr_crlf_and_tab_round_trip(client: s3wire.Client, bucket: str) -> None:
    tags = {"k\r": "v\r\n\tx", "k\n": "a\rb", "tab\tkey": "x\ny", "plain": ""}
    client.put_object(bucket=bucket, key="tagged", body=b"x").raise_for_status()
    client.put_object_tagging(bucket=bucket, key="tagged", tags=tags).raise_for_status()
    got = client.get_object_tagging(bucket=bucket, key="tagged").raise_for_status()
    read = {tag["Key"]: tag["Value"] for tag in got.response["Tagging"]["TagSet"]["Tag"]}
    assert read == tags


def test_text_xml_cannot_carry_is_refused_before_sending(
    client: s3wire.Client, bucket: str
) -> None:
    with pytest.raises(s3wire.ParamError, match=r"^objects\[1\]\.key holds U\+0001"):
        client.delete_objects(bucket=bucket, objects=[{"key": "ok"}, {"key": "a\x01b"}])
    with pytest.raises(s3wire.ParamError, match=r"^key must not hold NUL"):
        client.put_object(bucket=bucket, key="a\x00b", body=b"x")
