"""Listing pages read with the tags wired straight from expat to the builder give exactly what
ElementTree's own callbacks gave (the previous path); DTDs and entities are refused as before."""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from typing import Any

import pytest
from defusedxml.ElementTree import DefusedXMLParser, ParseError
from hypothesis import given, settings
from hypothesis import strategies as st

from s3wire import ResponseError, xmljson
from s3wire._generated.records import LIST_OBJECTS_V2
from s3wire.xmljson import NOT_XML, XSI_NAMESPACE, Schema, parse

NS = 'xmlns="http://s3.amazonaws.com/doc/2006-03-01/"'
REFUSED = "refused to parse the answer's XML: "


def schemas() -> dict[str, Schema]:
    assert LIST_OBJECTS_V2.response_root and LIST_OBJECTS_V2.response_schema
    return {LIST_OBJECTS_V2.response_root: LIST_OBJECTS_V2.response_schema}


# --- the previous path: defusedxml's parser calling the builder through ElementTree's callbacks


class _ThroughElementTree:
    """A target for ElementTree's callbacks ("{uri}local" names), handing the builder what
    expat itself reports ("uri}local")."""

    def __init__(self, builder: Any) -> None:
        self.builder = builder
        self.data = builder.data
        self.close = builder.close

    def start(self, name: str, attributes: dict[str, str]) -> None:
        self.builder.start(
            name.lstrip("{"), {key.lstrip("{"): value for key, value in attributes.items()}
        )

    def end(self, name: str) -> None:
        self.builder.end(name.lstrip("{"))


def _read_before(data: bytes, builder: Any) -> dict[str, Any]:
    from defusedxml import DefusedXmlException

    parser = DefusedXMLParser(target=_ThroughElementTree(builder), forbid_dtd=True)
    try:
        parser.feed(data)
        root: dict[str, Any] = parser.close()
    except DefusedXmlException as exc:
        raise ResponseError(REFUSED + type(exc).__name__) from None
    except (LookupError, ValueError) as exc:
        raise ResponseError(REFUSED + str(exc)) from None
    return root


def parse_before(data: bytes, schemas: Mapping[str, Schema]) -> dict[str, Any]:
    """parse() as it was: every tag through ElementTree's pure-Python callbacks."""
    with contextlib.suppress(ParseError):
        return _read_before(data, xmljson._Builder(schemas))
    readable = xmljson._with_stand_ins(data)
    if readable is not None:
        with contextlib.suppress(ParseError):
            return _read_before(readable, xmljson._RestoringBuilder(schemas))
    return {NOT_XML: data.decode("utf-8", errors="replace")}


def outcome(read: Any, data: bytes) -> str:
    """What a parser makes of a page, as comparable text (repr keeps types and key order)."""
    try:
        return repr(read(data, schemas()))
    except ResponseError as refusal:
        return f"ResponseError({refusal})"


# --- generated listing pages ------------------------------------------------------------------

# Any character XML 1.0 carries (astral planes and the stand-ins' block included), and now and
# then one it does not, which S3 writes as a character reference.
CARRIED = st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff")
UNCARRIED = "".join(map(chr, [*range(1, 9), 0xB, 0xC, *range(0xE, 0x20), 0xFFFE, 0xFFFF]))
ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"}
# Keys mostly of carried characters; now and then with uncarried ones (read through stand-ins).
carried = CARRIED | st.sampled_from("\t\n\r\x7f\x85")
texts = st.text(carried, max_size=20) | st.text(carried | st.sampled_from(UNCARRIED), max_size=8)


def _written(text: str) -> str:
    """`text` as XML element content: markup escaped, uncarried characters as references."""
    return "".join(
        f"&#x{ord(char):x};" if char in UNCARRIED else ESCAPES.get(char, char) for char in text
    )


def field(name: str, value: str) -> str:
    return f"<{name}>{_written(value)}</{name}>"


@st.composite
def contents(draw: st.DrawFn) -> str:
    """One <Contents>: a key, and any of the optional fields, in any order."""
    parts = [field("Key", draw(texts))]
    optional = {
        "LastModified": st.just("2026-12-03T09:55:40.609Z"),
        "ETag": st.just('"9dd4e461268c8034f5c8564e155c67a6"'),
        "Size": st.sampled_from(["1", "0", "1099511627776", " 7 ", "x", ""]),
        "StorageClass": st.sampled_from(["STANDARD", "GLACIER"]),
        "ChecksumType": st.just("FULL_OBJECT"),
        "Type": st.just("Normal"),  # radosgw's, not in the schema
    }
    for name, values in optional.items():
        if draw(st.booleans()):
            parts.append(field(name, draw(values)))
    for _ in range(draw(st.integers(0, 2))):
        parts.append(field("ChecksumAlgorithm", draw(st.sampled_from(["CRC32", "CRC64NVME"]))))
    if draw(st.booleans()):
        owner = field("ID", draw(texts)) + (
            field("DisplayName", draw(texts)) if draw(st.booleans()) else ""
        )
        parts.append(f"<Owner>{owner}</Owner>")
    if draw(st.booleans()):
        restore = field("IsRestoreInProgress", draw(st.sampled_from(["true", "False", "no"])))
        parts.append(f"<RestoreStatus>{restore}</RestoreStatus>")
    return "<Contents>" + "".join(draw(st.permutations(parts))) + "</Contents>"


@st.composite
def pages(draw: st.DrawFn) -> bytes:
    """A ListObjectsV2 page as S3 or radosgw writes it, compact or indented."""
    head = [field("Name", "bucket"), field("Prefix", draw(texts)), field("MaxKeys", "1000")]
    head.append(field("IsTruncated", draw(st.sampled_from(["true", "false"]))))
    for name in ("KeyCount", "Delimiter", "EncodingType", "StartAfter", "ContinuationToken"):
        if draw(st.booleans()):
            head.append(field(name, draw(texts)))
    if draw(st.booleans()):
        head.append(field("NextContinuationToken", draw(texts)))
    items = draw(st.lists(contents(), max_size=6))
    prefixes = [
        f"<CommonPrefixes>{field('Prefix', prefix)}</CommonPrefixes>"
        for prefix in draw(st.lists(texts, max_size=3))
    ]
    gap = draw(st.sampled_from(["", "", "\n  "]))
    body = gap.join([*head, *items, *prefixes])
    declaration = draw(st.sampled_from(['<?xml version="1.0" encoding="UTF-8"?>', ""]))
    return f"{declaration}<ListBucketResult {NS}>{gap}{body}{gap}</ListBucketResult>".encode()


@settings(max_examples=300, deadline=None, derandomize=True)
@given(page=pages(), cut=st.integers(0, 50))
def test_a_listing_page_reads_exactly_as_through_elementtree(page: bytes, cut: int) -> None:
    assert outcome(parse, page) == outcome(parse_before, page)
    cut_short = page[: len(page) * cut // 50]  # a page cut short: not XML, both alike
    assert outcome(parse, cut_short) == outcome(parse_before, cut_short)


def test_attributes_are_matched_by_expats_names() -> None:
    grantee: Schema = {"@xsi:type": (False, "str"), "@id": (False, "str"), "ID": (False, "str")}
    body = (
        f'<Root xmlns:xsi="{XSI_NAMESPACE}"><Grantee xsi:type="Canonical&#10;User" id="7" '
        'type="not this one"><ID>abc</ID></Grantee></Root>'
    ).encode()
    root: dict[str, Schema] = {"Root": {"Grantee": (False, grantee)}}
    expected = {"Root": {"Grantee": {"ID": "abc", "@xsi:type": "Canonical\nUser", "@id": "7"}}}
    assert parse(body, root) == parse_before(body, root) == expected


def test_the_tags_do_not_go_through_elementtrees_callbacks(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def unused(*_: object) -> None:
        raise AssertionError("a tag went through ElementTree's Python callback")

    monkeypatch.setattr(DefusedXMLParser, "_start", unused)
    monkeypatch.setattr(DefusedXMLParser, "_end", unused)
    page = f"<ListBucketResult {NS}><Contents><Key>k</Key></Contents></ListBucketResult>"
    assert parse(page.encode(), schemas())["ListBucketResult"]["Contents"][0]["Key"] == "k"


# --- DTDs and entities: refused as ever, wherever they stand in a page ---------------------

PAGE = f"<ListBucketResult {NS}><Contents><Key>{{key}}</Key></Contents></ListBucketResult>"
HOSTILE = [
    ('<!DOCTYPE ListBucketResult [<!ENTITY e "x">]>' + PAGE.format(key="&e;"), "DTDForbidden"),
    ('<!DOCTYPE ListBucketResult [<!ENTITY e "x">]>' + PAGE.format(key="k"), "DTDForbidden"),
    ('<!DOCTYPE ListBucketResult SYSTEM "http://example.com/x.dtd">' + PAGE, "DTDForbidden"),
    (
        '<!DOCTYPE L [<!ENTITY x SYSTEM "file:///etc/hostname">]>' + PAGE.format(key="&x;"),
        "DTDForbidden",
    ),
    ('<!DOCTYPE L [<!ENTITY x "&#x07;">]>' + PAGE.format(key="&#x07;&x;"), "DTDForbidden"),
]


@pytest.mark.parametrize(("page", "refusal"), HOSTILE)
def test_a_page_with_a_dtd_or_entities_is_refused(page: str, refusal: str) -> None:
    for data in (page.encode(), page.encode("utf-16")):
        with pytest.raises(ResponseError, match=REFUSED + refusal):
            parse(data, schemas(), must_be_xml=True)
        assert outcome(parse, data) == outcome(parse_before, data)


def test_an_undeclared_entity_is_not_xml() -> None:
    data = PAGE.format(key="&e;").encode()
    assert parse(data, schemas()) == {NOT_XML: data.decode()}
    with pytest.raises(ResponseError, match="it is not XML"):
        parse(data, schemas(), must_be_xml=True)
