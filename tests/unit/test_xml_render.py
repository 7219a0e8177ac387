"""Request bodies carry every text exactly as given, or refuse it: whatever goes into an element or
an attribute reads back unchanged through a real XML parser (expat, by xml.etree), or is refused
with a ParamError naming where it was, before anything is sent."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given
from hypothesis import strategies as st
from recording import Recorder, client_with

import s3wire
from s3wire.xmljson import S3_NAMESPACE, Fragment, XmlElement, render

# Characters around which XML parsers change text or refuse it, mixed into any other character
# (surrogates included).
TRICKY = "\r\n\t \x00\x01\x08\x0b\x0c\x1f\x7f\x85\x9f\u2028\u2029\ud800\udfff\ufffe\uffff&<>\"']"
TEXT = st.text(st.one_of(st.sampled_from(TRICKY), st.characters(exclude_categories=())))
NS = f"{{{S3_NAMESPACE}}}"

# One body of each way a value gets in: a parameter's text, a field of each item of a list
# parameter, and a shaped parameter's attribute and nested (repeated) children.
TEMPLATE = XmlElement(
    "Root",
    children=(
        XmlElement("Plain", value="plain"),
        XmlElement("Item", each="items", children=(XmlElement("Text", value=".text"),)),
        XmlElement("Shaped", value="shaped"),
    ),
)


def xml_can_carry(char: str) -> bool:
    """XML 1.0's Char production, by code point."""
    code = ord(char)
    return (
        code in (0x9, 0xA, 0xD)
        or 0x20 <= code <= 0xD7FF
        or 0xE000 <= code <= 0xFFFD
        or 0x10000 <= code <= 0x10FFFF
    )


def first_refused(values: dict[str, str]) -> str | None:
    """The name of the first value (in body order) holding a character XML cannot carry."""
    for name, value in values.items():
        if not all(xml_can_carry(char) for char in value):
            return name
    return None


@given(plain=TEXT, first=TEXT, second=TEXT, attribute=TEXT, child=TEXT, twin=TEXT)
def test_any_text_reads_back_exactly_or_is_refused_naming_where_it_was(
    plain: str, first: str, second: str, attribute: str, child: str, twin: str
) -> None:
    shaped = Fragment((("@kind", attribute), ("Child", child), ("Twin", twin), ("Twin", twin)))
    values = {"plain": plain, "items": [{"text": first}, {"text": second}], "shaped": shaped}
    in_order = {
        "plain": plain,
        "items[0].text": first,
        "items[1].text": second,
        "shaped.@kind": attribute,
        "shaped.Child": child,
        "shaped.Twin[0]": twin,
    }
    refused = first_refused(in_order)
    if refused is not None:
        with pytest.raises(s3wire.ParamError, match=f"^{re.escape(refused)} holds"):
            render(TEMPLATE, values)
        return
    body = render(TEMPLATE, values)
    assert body is not None
    root = ET.fromstring(body)
    assert root.findtext(f"{NS}Plain") == plain
    assert [item.findtext(f"{NS}Text") for item in root.iter(f"{NS}Item")] == [first, second]
    element = root.find(f"{NS}Shaped")
    assert element is not None
    assert element.get("kind") == attribute
    assert element.findtext(f"{NS}Child") == child
    assert [twin.text or "" for twin in element.iter(f"{NS}Twin")] == [twin, twin]


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("a\rb", "a&#13;b"),
        ("a\r\nb", "a&#13;\nb"),
        ("\r", "&#13;"),
        ("a\nb\tc", "a\nb\tc"),  # kept as they are by XML parsers in element text
        ("a\x85b\u2028c", "a\x85b\u2028c"),  # line ends only to XML 1.1
    ],
)
def test_text_that_xml_would_normalise_is_written_as_references(text: str, written: str) -> None:
    body = render(XmlElement("Root", value="plain"), {"plain": text})
    assert body is not None
    assert f">{written}</Root>".encode() in body


@pytest.mark.parametrize(
    ("text", "written"),
    [("a\rb", "a&#13;b"), ("a\nb", "a&#10;b"), ("a\tb", "a&#9;b"), ('"', "&quot;")],
)
def test_attributes_that_xml_would_normalise_are_written_as_references(
    text: str, written: str
) -> None:
    body = render(XmlElement("Root", value="shaped"), {"shaped": Fragment((("@kind", text),))})
    assert body is not None
    assert f'kind="{written}"'.encode() in body


def test_delete_objects_sends_a_cr_key_as_a_cr() -> None:
    recorder = Recorder()
    keys = ["a\rb", "a\nb", "a\r\nb", "a\tb"]
    client_with(recorder).delete_objects(bucket="bkt", objects=[{"key": key} for key in keys])
    body = recorder.sent[0][3]
    assert isinstance(body, bytes)
    assert [key.text for key in ET.fromstring(body).iter(f"{NS}Key")] == keys


@pytest.mark.parametrize("char", ["\x00", "\x01", "\x1b", "\ufffe", "\uffff", "\ud800"])
def test_delete_objects_refuses_a_key_xml_cannot_carry_naming_it(char: str) -> None:
    recorder = Recorder()
    objects = [{"key": "fine"}] * 3 + [{"key": f"bad{char}key"}]
    with pytest.raises(s3wire.ParamError) as raised:
        client_with(recorder).delete_objects(bucket="bkt", objects=objects)
    assert str(raised.value).startswith(f"objects[3].key holds U+{ord(char):04X} (at index 3)")
    assert recorder.sent == []


def test_tags_and_shaped_parameters_are_refused_naming_where_the_text_was() -> None:
    recorder = Recorder()
    client = client_with(recorder)
    with pytest.raises(s3wire.ParamError, match=r"^tags\[1\]\.value holds U\+0007"):
        client.put_object_tagging(bucket="bkt", key="k", tags={"a": "fine", "b": "bell\a"})
    tags = [{"Key": "a", "Value": "fine"}, {"Key": "b", "Value": "esc\x1b"}]
    rule = {"ID": "r", "Status": "Enabled", "Filter": {"And": {"Prefix": "p", "Tag": tags}}}
    with pytest.raises(s3wire.ParamError, match=r"^rules\[1\]\.Filter\.And\.Tag\[1\]\.Value"):
        client.put_bucket_lifecycle_configuration(bucket="bkt", rules=[{"ID": "ok"}, rule])
    assert recorder.sent == []


@given(key=TEXT.filter(bool), value=TEXT)
def test_any_tag_is_sent_exactly_or_refused_before_sending(key: str, value: str) -> None:
    recorder = Recorder()
    client = client_with(recorder)
    if first_refused({"key": key, "value": value}) is not None:
        with pytest.raises(s3wire.ParamError, match=r"^tags\[0\]\.(key|value) holds U\+"):
            client.put_object_tagging(bucket="bkt", key="k", tags={key: value})
        assert recorder.sent == []
        return
    client.put_object_tagging(bucket="bkt", key="k", tags={key: value})
    body = recorder.sent[0][3]
    assert isinstance(body, bytes)
    tag = ET.fromstring(body).find(f"{NS}TagSet/{NS}Tag")
    assert tag is not None
    assert (tag.findtext(f"{NS}Key"), tag.findtext(f"{NS}Value") or "") == (key, value)


def test_the_refused_characters_are_exactly_those_outside_xml_char_over_all_of_unicode() -> None:
    """Every code point, once: the listed class of refused characters is the complement of XML
    1.0's Char production (written as the list because the complement compiles slowly)."""
    from s3wire import xmljson

    everything = "".join(map(chr, range(0x110000)))
    refused = set(re.findall(xmljson._NOT_XML_CHAR, everything))
    assert refused == {char for char in everything if not xml_can_carry(char)}
