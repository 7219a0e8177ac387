"""XML to JSON-ready dicts (driven by the catalog's shapes) and request bodies from templates."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final, Literal, TypeAlias

from .errors import ResponseError

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

Scalar: TypeAlias = Literal["str", "int", "bool", "timestamp"]
# A structure: element name -> (is a list, scalar kind or nested structure).
Schema: TypeAlias = Mapping[str, "tuple[bool, Scalar | Schema]"]


class Fragment(tuple[tuple[str, "Node"], ...]):
    """The children of a body element, in order: (element name, content) pairs."""


# Element content: text, or child elements.
Node: TypeAlias = "str | Fragment"
# The values a request body is rendered from: element content (a Node), or a list of the items
# an element is repeated for (dicts for `$each`, Nodes for a list-shaped parameter).
BodyValues: TypeAlias = Mapping[str, object]


class XmlElement:
    """One element of a request body template (read-only).

    `value` names a parameter, or ".field" of the current item; `each` names the list parameter
    the element is repeated for, once per item. An element whose value is None, or whose children
    all are left out, is left out.
    """

    __slots__ = ("children", "each", "tag", "value")
    tag: Final[str]
    value: Final[str | None]
    children: Final[tuple[XmlElement, ...]]
    each: Final[str | None]

    def __init__(
        self,
        tag: str,
        value: str | None = None,
        children: tuple[XmlElement, ...] = (),
        each: str | None = None,
    ) -> None:
        self.tag = tag
        self.value = value
        self.children = children
        self.each = each


NOT_XML = "NotXml"
XSI_NAMESPACE = "http://www.w3.org/2001/XMLSchema-instance"
S3_NAMESPACE = "http://s3.amazonaws.com/doc/2006-03-01/"
XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'


def parse(data: bytes, schemas: Mapping[str, Schema]) -> dict[str, Any]:
    """Parse an XML answer into {root: content}, typed by the schema named after its root element.

    A body that is not XML at all comes back as {"NotXml": text}; XML with a DTD or entities, in
    an encoding expat cannot read, or nested absurdly deep is refused with ResponseError.
    """
    from xml.etree.ElementTree import ParseError  # imported by the first answer to parse

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    try:
        root = fromstring(data, forbid_dtd=True)
    except DefusedXmlException as exc:
        raise ResponseError(f"refused to parse the answer's XML: {type(exc).__name__}") from exc
    except ParseError:
        return {NOT_XML: data.decode("utf-8", errors="replace")}
    except (LookupError, ValueError) as exc:  # an unknown or multi-byte declared encoding
        raise ResponseError(f"refused to parse the answer's XML: {exc}") from None
    name = _local(root.tag)
    try:
        return {name: _convert(root, schemas.get(name))}
    except RecursionError:
        raise ResponseError("refused to parse the answer's XML: nested too deeply") from None


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _convert(element: Element, schema: Schema | None) -> Any:
    if len(element) == 0 and schema is None:
        return element.text or ""
    result: dict[str, Any] = {}
    for child in element:
        name = _local(child.tag)
        member = schema.get(name) if schema is not None else None
        if member is None:
            value = _convert(child, None)
            if name not in result:
                result[name] = value
            elif isinstance(result[name], list):
                result[name].append(value)
            else:
                result[name] = [result[name], value]
            continue
        is_list, kind = member
        value = _convert(child, kind) if not isinstance(kind, str) else _scalar(child.text, kind)
        if is_list:
            result.setdefault(name, []).append(value)
        else:
            result[name] = value
    if schema is not None:
        for name, (is_list, _) in schema.items():
            if name.startswith("@"):
                value = element.get(_attribute_key(name))
                if value is not None:
                    result[name] = value
            elif is_list and name not in result:
                result[name] = []
    return result


def _attribute_key(name: str) -> str:
    """ElementTree's key of an attribute written "@name" or "@xsi:name"."""
    prefix, _, local = name[1:].rpartition(":")
    return f"{{{XSI_NAMESPACE}}}{local}" if prefix == "xsi" else local


def _scalar(text: str | None, kind: Scalar) -> Any:
    if not text:
        return ""
    if kind == "int":
        try:
            return int(text)
        except ValueError:
            return text
    if kind == "bool":
        lowered = text.strip().lower()
        if lowered in ("true", "false"):
            return lowered == "true"
        return text
    return text


def render(template: XmlElement, values: BodyValues) -> bytes | None:
    """Render a request body without the elements whose value is None; None if nothing is left."""
    xml = _render(template, values, {})
    if xml is None:
        return None
    tag = template.tag
    opening = f'<{tag} xmlns="{S3_NAMESPACE}">'
    return (XML_DECLARATION + opening + xml[len(tag) + 2 :]).encode("utf-8")


def _render(element: XmlElement, values: BodyValues, item: Mapping[str, str]) -> str | None:
    if element.each is not None:
        items = values.get(element.each)
        if not isinstance(items, list):
            return None
        parts = [_render_one(element, values, each) for each in items]
        return "".join(part for part in parts if part is not None) or None
    value = values.get(element.value) if element.value else None
    if isinstance(value, list):  # a list-shaped parameter: the element once per item
        return "".join(_element(element.tag, node) for node in value) or None
    return _render_one(element, values, item)


def _render_one(element: XmlElement, values: BodyValues, item: Mapping[str, str]) -> str | None:
    if element.value is not None:
        if element.value.startswith("."):
            value: object = item.get(element.value[1:])
        else:
            value = values.get(element.value)
        return None if value is None else _element(element.tag, value)
    parts = [_render(child, values, item) for child in element.children]
    inner = "".join(part for part in parts if part is not None)
    return f"<{element.tag}>{inner}</{element.tag}>" if inner else None


def _element(tag: str, node: object) -> str:
    """One element holding text, or a Fragment's attributes ("@name") and children."""
    if not isinstance(node, Fragment):
        return f"<{tag}>{_escape(str(node))}</{tag}>"
    attributes = "".join(
        f' {name[1:]}="{_escape(str(value), _ATTRIBUTE)}"'
        for name, value in node
        if name.startswith("@")
    )
    if " xsi:" in attributes:
        attributes = f' xmlns:xsi="{XSI_NAMESPACE}"' + attributes
    inner = "".join(_element(name, child) for name, child in node if not name.startswith("@"))
    return f"<{tag}{attributes}>{inner}</{tag}>"


_TEXT = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"))
_ATTRIBUTE = (*_TEXT, ('"', "&quot;"), ("\n", "&#10;"), ("\r", "&#13;"), ("\t", "&#9;"))


def _escape(text: str, replacements: tuple[tuple[str, str], ...] = _TEXT) -> str:
    """Text made safe for element content (or, with _ATTRIBUTE, a double-quoted attribute)."""
    for char, entity in replacements:
        if char in text:
            text = text.replace(char, entity)
    return text
