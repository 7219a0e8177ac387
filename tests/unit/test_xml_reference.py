"""The one-pass parser against a plain reference: ElementTree builds the whole tree (refusing a
DOCTYPE, as the parser does), then a recursive walk types it by the schema. On any document both
give the same dicts (same types, same key order), the same NotXml text, or the same refusal."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from s3wire import ResponseError
from s3wire._generated import shapes
from s3wire._generated.records import OPERATIONS
from s3wire.xmljson import MAX_DEPTH, NOT_XML, XSI_NAMESPACE, Schema, parse

REFUSED = "refused to parse the answer's XML: "


class _Doctype(Exception):
    pass


class _NoDoctype(ET.TreeBuilder):
    def doctype(self, name: str, pubid: str | None, system: str | None) -> None:
        raise _Doctype


def reference(data: bytes, schemas: Mapping[str, Schema]) -> dict[str, Any]:
    parser = ET.XMLParser(target=_NoDoctype())
    try:
        parser.feed(data)
        root = parser.close()
    except _Doctype:
        raise ResponseError(REFUSED + "DTDForbidden") from None
    except ET.ParseError:
        return {NOT_XML: data.decode("utf-8", errors="replace")}
    except (LookupError, ValueError) as exc:
        raise ResponseError(REFUSED + str(exc)) from None
    name = _local(root.tag)
    return {name: _walk(root, schemas.get(name), 1)}


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _walk(element: ET.Element, schema: Schema | None, depth: int) -> Any:
    """An element's value: text, or a dict of its children (typed where the schema says)."""
    if len(element) == 0 and schema is None:
        return element.text or ""
    if len(element) and depth >= MAX_DEPTH:
        raise ResponseError(REFUSED + "nested too deeply")
    result: dict[str, Any] = {}
    for child in element:
        name = _local(child.tag)
        member = schema.get(name) if schema is not None else None
        if member is None:
            value = _walk(child, None, depth + 1)
            if name not in result:
                result[name] = value
            elif isinstance(result[name], list):
                result[name].append(value)
            else:
                result[name] = [result[name], value]
            continue
        is_list, kind = member
        if isinstance(kind, str):
            value = _typed(child.text or "", kind)
        else:
            value = _walk(child, kind, depth + 1)
        if is_list:
            result.setdefault(name, []).append(value)
        else:
            result[name] = value
    for name, (is_list, _) in (schema or {}).items():
        if name.startswith("@"):
            prefix, _, attribute = name[1:].rpartition(":")
            key = f"{{{XSI_NAMESPACE}}}{attribute}" if prefix == "xsi" else attribute
            if key in element.attrib:
                result[name] = element.attrib[key]
        elif is_list and name not in result:
            result[name] = []
    return result


def _typed(text: str, kind: str) -> Any:
    if kind == "int" and text:
        try:
            return int(text)
        except ValueError:
            return text
    if kind == "bool" and text.strip().lower() in ("true", "false"):
        return text.strip().lower() == "true"
    return text


def outcome(read: Any, data: bytes, schemas: Mapping[str, Schema]) -> str:
    """What a parser makes of a document, as comparable text (repr keeps types and key order)."""
    try:
        return repr(read(data, schemas))
    except ResponseError as refusal:
        return f"ResponseError({refusal})"


# --- documents: mostly well-formed answers made of their schema's names, some broken or hostile

GRANTEE: Schema = {"@xsi:type": (False, "str"), "@id": (False, "str"), "ID": (False, "str")}
ACL: Schema = {"AccessControlList": (False, {"Grant": (True, {"Grantee": (False, GRANTEE)})})}
SCHEMA_SETS: list[dict[str, Schema]] = [
    {},
    {"AccessControlPolicy": ACL, "Error": shapes.ERROR_XML},
    *(
        {op.response_root: op.response_schema, "Error": shapes.ERROR_XML}
        for op in OPERATIONS.values()
        if op.response_root and op.response_schema
    ),
]
# Schema sets with typed scalars, lists and attributes at several depths: drawn about four
# times in five (FAVOURITES * 36 against the others once each).
FAVOURITES = [
    {"AccessControlPolicy": ACL},
    *(
        {op.response_root: op.response_schema}
        for name, op in OPERATIONS.items()
        if name in ("list_objects_v2", "list_object_versions", "list_parts", "get_bucket_acl")
        and op.response_root
        and op.response_schema
    ),
]
NAMESPACES = (
    ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
    ' xmlns:s3="http://s3.amazonaws.com/doc/2006-03-01/"'
)


def names_in(schemas: Mapping[str, Schema]) -> list[str]:
    """The element names a set of schemas declares, at any depth, and two it does not."""
    names, seen = {"Other", "s3:Key"}, set()
    todo = list(schemas.values())
    while todo:
        schema = todo.pop()
        if id(schema) in seen:
            continue
        seen.add(id(schema))
        for name, (_, kind) in schema.items():
            if not name.startswith("@"):
                names.add(name)
            if not isinstance(kind, str):
                todo.append(kind)
    return sorted(names)


xml_chars = st.characters(
    blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff"
) | st.sampled_from("\t\n\r")


def escaped(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")


texts = st.one_of(
    st.sampled_from(["", "42", "-1", " 7 ", "+5", "1_0", "٣", "1e3", "true", " FALSE ", "yes"]),
    st.sampled_from(["a<!--c-->b", "<![CDATA[<x>]]>", "&amp;&#x31;", "a<?pi?>b", "x&#13;\r\n"]),
    st.text(xml_chars, max_size=8).map(escaped),
)
SCALAR_TEXTS = {
    "int": st.sampled_from(["42", "-1", " 7 ", "+5", "1_0", "٣", "1e3", "", "x"]) | texts,
    "bool": st.sampled_from(["true", "false", " TRUE ", "False", "yes", ""]) | texts,
}
attribute_values = st.text(xml_chars, max_size=6).map(escaped) | st.just("CanonicalUser")


def element(name: str, attributes: dict[str, str], content: str) -> str:
    attrs = "".join(f' {key}="{value}"' for key, value in attributes.items())
    return f"<{name}{attrs}>{content}</{name}>"


@st.composite
def content(draw: st.DrawFn, schema: Schema | None, names: list[str], depth: int = 1) -> str:
    """An element's content, in any order: most elements its schema declares (with their
    declared attributes, list members maybe twice), others it does not, text between them; a
    scalar sometimes gets a child too."""
    declared = [name for name in schema or {} if not name.startswith("@")]
    chosen = [name for name in declared if draw(st.integers(0, 3))]
    chosen = draw(st.permutations(chosen + draw(st.lists(st.sampled_from(names), max_size=2))))
    parts = [draw(texts) if draw(st.integers(0, 3)) == 0 else ""]
    for name in chosen if depth <= 4 else ():
        member = (schema or {}).get(name)
        kind = None if member is None else member[1]
        for _ in range(2 if member and member[0] and draw(st.booleans()) else 1):
            attributes = ["id"]
            if kind is not None and not isinstance(kind, str):
                attributes += [key[1:] for key in kind if key.startswith("@")]
            if isinstance(kind, str):
                inner = draw(SCALAR_TEXTS.get(kind, texts))
                if draw(st.integers(0, 5)) == 0:
                    inner += element("Other", {}, draw(texts)) + draw(texts)
            else:
                inner = draw(content(kind, names, depth + 1))
            attrs = {key: draw(attribute_values) for key in attributes if draw(st.booleans())}
            parts.append(element(name, attrs, inner))
            parts.append(draw(texts) if draw(st.integers(0, 3)) == 0 else "")
    return "".join(parts)


prologs = st.sampled_from(
    [
        *("", '<?xml version="1.0" encoding="UTF-8"?>\n', "<!-- c -->", " \n") * 4,
        *('<?xml version="1.0" encoding="latin-1"?>', '<?xml version="1.0" encoding="utf-32"?>'),
        *('<?xml version="1.0" encoding="rot13"?>', '<?xml version="1.0" encoding="no-such"?>'),
        '<!DOCTYPE a [<!ENTITY lol "lol">]>',
        '<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/hostname">]>',
        '<?xml version="1.0" standalone="no"?>',
    ]
)
endings = st.sampled_from(["", "", "", "\n", "<!-- t -->", "junk", "<b/>", "&lol;"])


@st.composite
def answers(draw: st.DrawFn) -> tuple[bytes, dict[str, Schema]]:
    """A document and the schemas it is parsed with (its root mostly one of theirs)."""
    schemas = draw(st.sampled_from(FAVOURITES * 36 + SCHEMA_SETS))
    names = names_in(schemas)
    root = draw(st.sampled_from([*schemas, *schemas, *schemas, "Other"]))
    default = draw(st.sampled_from(["", ' xmlns="http://s3.amazonaws.com/doc/2006-03-01/"']))
    inner = draw(content(schemas.get(root), names))
    text = f"{draw(prologs)}<{root}{default}{NAMESPACES}>{inner}</{root}>{draw(endings)}"
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8", "utf-16", "latin-1"]))
    try:
        return text.encode(encoding), schemas
    except UnicodeEncodeError:
        return text.encode("utf-8"), schemas


@settings(max_examples=400, deadline=None, derandomize=True)
@given(answer=answers(), cut=st.integers(0, 400))
def test_the_one_pass_parser_matches_the_reference(
    answer: tuple[bytes, dict[str, Schema]], cut: int
) -> None:
    data, schemas = answer
    assert outcome(parse, data, schemas) == outcome(reference, data, schemas)
    cut_short = data[: len(data) * cut // 400]
    assert outcome(parse, cut_short, schemas) == outcome(reference, cut_short, schemas)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(data=st.binary(max_size=200), schemas=st.sampled_from(SCHEMA_SETS))
def test_random_bytes_match_the_reference(data: bytes, schemas: dict[str, Schema]) -> None:
    assert outcome(parse, data, schemas) == outcome(reference, data, schemas)


@pytest.mark.parametrize("depth", range(MAX_DEPTH - 2, MAX_DEPTH + 3))
@pytest.mark.parametrize("name", ["a", "Owner"])
def test_nesting_at_the_depth_limit_matches_the_reference(depth: int, name: str) -> None:
    data = f"<Root>{f'<{name}>' * (depth - 1)}x{f'</{name}>' * (depth - 1)}</Root>".encode()
    schemas: dict[str, Schema] = {"Root": {"Owner": (False, shapes.OWNER_XML)}}
    assert outcome(parse, data, schemas) == outcome(reference, data, schemas)
