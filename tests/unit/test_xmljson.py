"""XML to dicts, driven by schemas; request bodies from templates; hostile XML refused."""

from __future__ import annotations

import pytest

from s3wire import ResponseError, _wire
from s3wire._generated import shapes
from s3wire._generated.records import CREATE_BUCKET, LIST_OBJECTS_V2
from s3wire.xmljson import MAX_DEPTH, NOT_XML, XmlElement, parse, render

NS = 'xmlns="http://s3.amazonaws.com/doc/2006-03-01/"'


def listing(contents: str) -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><ListBucketResult {NS}>'
        "<Name>b</Name><KeyCount>1</KeyCount><MaxKeys>1000</MaxKeys>"
        f"<IsTruncated>false</IsTruncated>{contents}</ListBucketResult>"
    ).encode()


def schemas() -> dict[str, object]:
    assert LIST_OBJECTS_V2.response_root is not None
    return {LIST_OBJECTS_V2.response_root: LIST_OBJECTS_V2.response_schema}


def test_one_element_list_is_a_list_and_scalars_are_typed() -> None:
    body = listing(
        "<Contents><Key>k</Key><Size>42</Size><LastModified>2024-01-02T03:04:05.000Z"
        "</LastModified><Owner><ID>o</ID></Owner></Contents>"
    )
    result = parse(body, schemas())["ListBucketResult"]  # type: ignore[arg-type]
    assert result["Contents"] == [
        {
            "Key": "k",
            "Size": 42,
            "LastModified": "2024-01-02T03:04:05.000Z",
            "Owner": {"ID": "o"},
            "ChecksumAlgorithm": [],
        }
    ]
    assert result["KeyCount"] == 1
    assert result["IsTruncated"] is False
    assert result["CommonPrefixes"] == []


def test_empty_and_undeclared_elements() -> None:
    body = listing("<Prefix/><Surprise>x</Surprise><Twice>1</Twice><Twice>2</Twice>")
    result = parse(body, schemas())["ListBucketResult"]  # type: ignore[arg-type]
    assert result["Prefix"] == ""
    assert result["Surprise"] == "x"
    assert result["Twice"] == ["1", "2"]


def test_unparseable_numbers_are_kept_as_text() -> None:
    result = parse(listing(""), schemas())  # type: ignore[arg-type]
    bad = parse(listing("").replace(b"<KeyCount>1", b"<KeyCount>many"), schemas())  # type: ignore[arg-type]
    assert result["ListBucketResult"]["KeyCount"] == 1
    assert bad["ListBucketResult"]["KeyCount"] == "many"


def test_error_body_uses_the_error_shape() -> None:
    body = b"<Error><Code>NoSuchKey</Code><Message>gone</Message><RequestId>r1</RequestId></Error>"
    assert parse(body, {"Error": shapes.ERROR_XML}) == {
        "Error": {"Code": "NoSuchKey", "Message": "gone", "RequestId": "r1"}
    }


def test_text_that_is_not_xml() -> None:
    assert parse(b"<html>oops", {}) == {"NotXml": "<html>oops"}


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<Error><Code>&lol2;</Code></Error>"""
XXE = b"""<?xml version="1.0"?>
<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><Error><Code>&xxe;</Code></Error>"""
DTD_ONLY = b"""<?xml version="1.0"?><!DOCTYPE Error SYSTEM "http://example.com/x.dtd"><Error/>"""


@pytest.mark.parametrize("hostile", [BILLION_LAUGHS, XXE, DTD_ONLY])
def test_hostile_xml_is_refused(hostile: bytes) -> None:
    with pytest.raises(ResponseError, match="refused"):
        parse(hostile, {"Error": shapes.ERROR_XML})


def test_long_text_arrives_whole() -> None:
    key = "k" * 20_000 + "&amp;<![CDATA[<]]>" + "é" * 10_000
    body = listing(
        f"<Contents><Key>{key}</Key></Contents><Contents><Key>{key}<x/>y</Key></Contents>"
    )
    contents = parse(body, schemas())["ListBucketResult"]["Contents"]  # type: ignore[arg-type]
    whole = "k" * 20_000 + "&<" + "é" * 10_000
    assert [item["Key"] for item in contents] == [whole, whole]  # the text before any child


def test_nesting_deeper_than_the_limit_is_refused() -> None:
    def nested(depth: int, inner: str = "x") -> bytes:
        return f"<Root>{'<a>' * (depth - 1)}{inner}{'</a>' * (depth - 1)}</Root>".encode()

    innermost = parse(nested(MAX_DEPTH), {})["Root"]
    for _ in range(MAX_DEPTH - 2):
        innermost = innermost["a"]
    assert innermost == {"a": "x"}
    with pytest.raises(ResponseError, match="nested too deeply"):
        parse(nested(MAX_DEPTH + 1), {})
    # A malformed document is not XML, however deep; what nests inside a scalar is skipped.
    assert parse(nested(MAX_DEPTH + 1)[:-1], {}) == {NOT_XML: nested(MAX_DEPTH + 1)[:-1].decode()}
    deep_in_key = listing(f"<Contents><Key>k{'<a>' * 5000}{'</a>' * 5000}</Key></Contents>")
    contents = parse(deep_in_key, schemas())["ListBucketResult"]["Contents"]  # type: ignore[arg-type]
    assert contents[0]["Key"] == "k"


def test_request_body_is_rendered_and_escaped() -> None:
    assert CREATE_BUCKET.request_body is not None
    body = render(CREATE_BUCKET.request_body, {"location_constraint": "a<b&c"})
    assert body == (
        b'<?xml version="1.0" encoding="UTF-8"?>\n'
        b'<CreateBucketConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">'
        b"<LocationConstraint>a&lt;b&amp;c</LocationConstraint></CreateBucketConfiguration>"
    )


def test_request_body_without_values_is_not_sent() -> None:
    assert CREATE_BUCKET.request_body is not None
    assert render(CREATE_BUCKET.request_body, {"location_constraint": None}) is None


GRANTEE = {"@xsi:type": (False, "str"), "ID": (False, "str"), "URI": (False, "str")}
GRANT = {"Grantee": (False, GRANTEE), "Permission": (False, "str")}
ACL = {"AccessControlList": (False, {"Grant": (True, GRANT)})}


def test_declared_attributes_are_read_and_written_back() -> None:
    body = (
        b'<AccessControlPolicy xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><AccessControlList>'
        b'<Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        b'xsi:type="CanonicalUser"><ID>abc</ID></Grantee><Permission>READ</Permission></Grant>'
        b"</AccessControlList></AccessControlPolicy>"
    )
    policy = parse(body, {"AccessControlPolicy": ACL})["AccessControlPolicy"]  # type: ignore[dict-item]
    grants = policy["AccessControlList"]["Grant"]
    assert grants == [
        {"Grantee": {"ID": "abc", "@xsi:type": "CanonicalUser"}, "Permission": "READ"}
    ]

    template = XmlElement(
        "AccessControlPolicy", children=(XmlElement("AccessControlList", value="acl"),)
    )
    acl = _wire.shaped(policy["AccessControlList"], (False, ACL["AccessControlList"][1]), "acl")
    rendered = render(template, {"acl": acl})
    assert rendered is not None
    assert rendered.endswith(
        b'<AccessControlList><Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
        b' xsi:type="CanonicalUser"><ID>abc</ID></Grantee><Permission>READ</Permission></Grant>'
        b"</AccessControlList></AccessControlPolicy>"
    )
