"""Character references to the characters XML 1.0 cannot carry (S3 writes keys holding controls
so) parse as those characters, in text and attributes; nothing else is read that was not."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from s3wire import ResponseError, xmljson
from s3wire._generated.records import LIST_MULTIPART_UPLOADS, LIST_OBJECTS_V2
from s3wire.xmljson import NOT_XML, Schema, parse

# The code points XML 1.0 forbids even as references, but for NUL (still refused).
UNCARRIED = [*range(0x1, 0x9), 0xB, 0xC, *range(0xE, 0x20), 0xFFFE, 0xFFFF]
NS = 'xmlns="http://s3.amazonaws.com/doc/2006-03-01/"'
ITEM: Schema = {"@id": (False, "str"), "Key": (False, "str")}
SCHEMAS: dict[str, Schema] = {"Root": {"Item": (True, ITEM), "Token": (False, "str")}}


def page_schemas() -> dict[str, Schema]:
    """The schemas the client parses a ListObjectsV2 or ListMultipartUploads answer with."""
    found: dict[str, Schema] = {}
    for operation in (LIST_OBJECTS_V2, LIST_MULTIPART_UPLOADS):
        assert operation.response_root and operation.response_schema
        found[operation.response_root] = operation.response_schema
    return found


@st.composite
def reference(draw: st.DrawFn, code: int) -> str:
    """A character reference to `code`, as a server may write it: hex or decimal, any case,
    maybe with leading zeros."""
    zeros = "0" * draw(st.integers(0, 3))
    if draw(st.booleans()):
        return f"&#{zeros}{code};"
    digits = f"{code:x}"
    return f"&#x{zeros}{digits.upper() if draw(st.booleans()) else digits};"


# What else element text and attribute values hold: markup characters, whitespace XML changes,
# non-ASCII, and the private use characters next to the stand-ins.
OTHERS = st.sampled_from("a Z0/%+&<>\"'\t\n\r\x7f\x85\u2028é日\ue000\U0010fefe\U0010ff40😀")
TEXTS = st.text(st.sampled_from([chr(code) for code in UNCARRIED]) | OTHERS, max_size=12)
MARKUP = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"}
IN_ATTRIBUTES = {**MARKUP, '"': "&quot;", "\t": "&#9;", "\n": "&#10;"}


@st.composite
def written(draw: st.DrawFn, text: str, escapes: dict[str, str]) -> str:
    """`text` as XML writes it, each character XML cannot carry as a reference."""
    parts = []
    for char in text:
        if ord(char) in UNCARRIED:
            parts.append(draw(reference(ord(char))))
        else:
            parts.append(escapes.get(char, char))
    return "".join(parts)


@st.composite
def documents(draw: st.DrawFn) -> tuple[bytes, dict[str, object]]:
    """A document with items (an id attribute and a Key) and a Token, and what it parses to."""
    items = draw(st.lists(st.tuples(TEXTS, TEXTS), max_size=3))
    token = draw(TEXTS)
    body = "".join(
        f'<Item id="{draw(written(name, IN_ATTRIBUTES))}"><Key>{draw(written(key, MARKUP))}'
        "</Key></Item>"
        for name, key in items
    )
    body += f"<Token>{draw(written(token, MARKUP))}</Token>"
    declaration = draw(st.sampled_from(["", '<?xml version="1.0" encoding="UTF-8"?>']))
    data = f"{declaration}<Root {NS}>{body}</Root>".encode()
    expected = {"Item": [{"Key": key, "@id": name} for name, key in items], "Token": token}
    return data, {"Root": expected}


@settings(max_examples=300, deadline=None, derandomize=True)
@given(document=documents())
def test_any_text_written_with_references_parses_back_to_itself(
    document: tuple[bytes, dict[str, object]],
) -> None:
    data, expected = document
    assert parse(data, SCHEMAS, must_be_xml=True) == expected


@settings(max_examples=100, deadline=None, derandomize=True)
@given(text=TEXTS.filter(lambda text: any(ord(char) in UNCARRIED for char in text)))
def test_a_latin_1_body_reads_its_references_too(text: str) -> None:
    body = f"<Root><Token>\xe9{''.join(f'&#{ord(char)};' for char in text)}</Token></Root>"
    data = ('<?xml version="1.0" encoding="ISO-8859-1"?>' + body).encode("latin-1")
    assert parse(data, SCHEMAS) == {"Root": {"Item": [], "Token": "\xe9" + text}}


def test_radosgw_pages_ending_on_a_control_character_parse() -> None:
    listing = (
        f'<?xml version="1.0" encoding="UTF-8"?><ListBucketResult {NS}><EncodingType>url'
        "</EncodingType><Name>b</Name><MaxKeys>1</MaxKeys><IsTruncated>true</IsTruncated>"
        "<Contents><Key>a%01</Key><Size>1</Size></Contents>"
        "<ContinuationToken>a&#x07;b</ContinuationToken>"
        "<NextContinuationToken>a&#x1f;&#x0b;z</NextContinuationToken><KeyCount>1</KeyCount>"
        "<StartAfter>a&#7;b</StartAfter></ListBucketResult>"
    )
    result = parse(listing.encode(), page_schemas(), must_be_xml=True)["ListBucketResult"]
    assert result["Contents"][0]["Key"] == "a%01"
    assert result["ContinuationToken"] == "a\x07b"
    assert result["NextContinuationToken"] == "a\x1f\x0bz"
    assert result["StartAfter"] == "a\x07b"
    assert result["KeyCount"] == 1
    uploads = (
        f"<ListMultipartUploadsResult {NS}><NextKeyMarker>u&#x07;p</NextKeyMarker>"
        "<IsTruncated>false</IsTruncated><Upload><Key>u%07p</Key><UploadId>2~x</UploadId>"
        "</Upload></ListMultipartUploadsResult>"
    )
    answer = parse(uploads.encode(), page_schemas(), must_be_xml=True)
    assert answer["ListMultipartUploadsResult"]["NextKeyMarker"] == "u\x07p"


@pytest.mark.parametrize(
    ("inner", "text"),
    [
        ("<![CDATA[&#x07;]]>", "&#x07;"),  # no reference inside a CDATA section
        ("<![CDATA[&#x10FF07;]]>", "&#x10FF07;"),
        ("a<!-- &#x07; -->b", "ab"),
        ("a<?pi &#x07;?>b", "ab"),
        ("&#x9;&#xA;&#xD;&#x20;&#x31;", "\t\n\r 1"),
    ],
)
def test_literal_sections_and_other_references_keep_their_meaning(inner: str, text: str) -> None:
    data = f"<Root><Token>{inner}</Token><Item id='&#x1;'/></Root>".encode()
    assert parse(data, SCHEMAS)["Root"]["Token"] == text


@pytest.mark.parametrize(
    "body",
    [
        "<Root><Token>a\x07b &#x07;</Token></Root>",  # a raw control is no XML
        "<Root><Token>&#0; &#x07;</Token></Root>",
        "<Root><Token>&#x0; &#00;</Token></Root>",
        "<Root><Token>&#xD800; &#x07;</Token></Root>",
        "<Root><Token>&#X07;</Token></Root>",  # XML writes the x in lower case
        "<Root><Token>&#x110000; &#x07;</Token></Root>",
        "<Root><Token>&#99999999999999999999999; &#x07;</Token></Root>",
        "<Root><Token>&#x07;</Token><Item id='&#x1;'></Root>",  # not well-formed
        "<Root>&#x07;<Token/></Root>&#x07;",  # text after the root element
        "<Root><Token>\U0010ff07 &#x07;</Token></Root>",  # a stand-in would be misread
        "<Root><Token>&#x10ff07; &#x07;</Token></Root>",
        "<Root><Token>&#1113863; &#x07;</Token></Root>",
        "<Root><Token>&#x10FF3F; &#x07;</Token></Root>",
        "<Root><Token>&#x07;</Token><![CDATA[\U0010ff07]]></Root>",
    ],
)
def test_what_xml_refuses_stays_refused(body: str) -> None:
    data = body.encode()
    assert parse(data, SCHEMAS) == {NOT_XML: body}
    with pytest.raises(ResponseError, match="it is not XML"):
        parse(data, SCHEMAS, must_be_xml=True)


def test_a_utf_16_body_is_not_rewritten() -> None:
    data = "<Root><Token>&#x07;</Token></Root>".encode("utf-16")
    assert NOT_XML in parse(data, SCHEMAS)


@pytest.mark.parametrize(
    ("body", "refusal"),
    [
        ('<!DOCTYPE Root [<!ENTITY e "x">]><Root><Token>&#x07;&e;</Token></Root>', "DTDForbidden"),
        ('<!DOCTYPE Root SYSTEM "http://h/x.dtd"><Root><Token>&#x07;</Token></Root>', "DTD"),
        ('<?xml version="1.0" encoding="no-such"?><Root><Token>&#x07;</Token></Root>', "no-such"),
    ],
)
def test_dtds_and_odd_encodings_stay_refused(body: str, refusal: str) -> None:
    with pytest.raises(ResponseError, match=refusal):
        parse(body.encode(), SCHEMAS)


def test_well_formed_answers_take_the_one_pass_path_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    def never(data: bytes) -> bytes | None:
        raise AssertionError("a well-formed answer was scanned for references")

    monkeypatch.setattr(xmljson, "_with_stand_ins", never)
    data = b"<Root><Token>a&#13;&#x9;&amp;\xf4\x8f\xbc\x87</Token></Root>"
    assert parse(data, SCHEMAS) == {"Root": {"Item": [], "Token": "a\r\t&\U0010ff07"}}
