"""XML to JSON-ready dicts (driven by the catalog's shapes) and request bodies from templates."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final, Literal, TypeAlias

from .errors import ResponseError

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

    One pass of defusedxml's expat parser, whose target builds the dicts as elements close. A
    body that is not XML at all comes back as {"NotXml": text}; XML with a DTD or entities, in an
    encoding expat cannot read, or nested more than MAX_DEPTH elements deep is refused with
    ResponseError.
    """
    # Imported by the first answer to parse.
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import DefusedXMLParser, ParseError

    parser = DefusedXMLParser(target=_Builder(schemas), forbid_dtd=True)
    try:
        parser.feed(data)
        root: dict[str, Any] = parser.close()
    except DefusedXmlException as exc:  # DTDForbidden, EntitiesForbidden, ...
        raise ResponseError(f"refused to parse the answer's XML: {type(exc).__name__}") from None
    except ParseError:
        return {NOT_XML: data.decode("utf-8", errors="replace")}
    except (LookupError, ValueError) as exc:  # an unknown or multi-byte declared encoding
        raise ResponseError(f"refused to parse the answer's XML: {exc}") from None
    return root


MAX_DEPTH = 100  # elements within elements; S3's answers nest a handful


# How an element's value is made: skipped (inside a scalar, or too deep), its text (str and
# timestamp), a typed scalar, as the schema does not know it (text, or a dict of its
# children), or a structure.
_SKIP, _TEXT_VALUE, _SCALAR, _UNKNOWN, _STRUCT = range(5)
# How it joins its parent's dict: appended to a list, set, or (undeclared) set the first time
# and made a list when it comes again.
_APPEND, _SET, _MERGE = range(3)
# What is fixed for an element by its parent's kind and its name: (how its value is made, its
# kind, its local name, how it joins its parent, the table of its children's _Info by name,
# its declared attributes and lists: ((key, the parser's attribute name or None for a list),
# ...)).
_Info: TypeAlias = (
    "tuple[int, Any, str, int, dict[str, _Info] | None, tuple[tuple[str, str | None], ...]]"
)
# An open element: [its _Info, its children's dict (None until the first), its text, its
# attributes]. A list, for speed.
_Frame: TypeAlias = list[Any]


class _Builder:
    """The parser's target for one answer: each element's value joins its parent as it closes.

    `chunks` gathers the character data since the last tag (`data` is its `append`, called by
    expat directly): at a start tag it is the parent's text if the parent has no child yet (its
    text ends there), at an end tag the closing element's text if it had no child; else it is
    text between elements, dropped.
    """

    __slots__ = ("_stack", "_tables", "_top", "chunks", "data", "root", "too_deep")

    def __init__(self, schemas: Mapping[str, Schema]) -> None:
        self.root: dict[str, Any] = {}
        self.too_deep = False
        self.chunks: list[str] = []
        self.data: Callable[[str], None] = self.chunks.append
        self._tables: dict[int, dict[str, _Info]] = {}  # id(kind) -> its children's _Info
        roots = {name: (False, schema) for name, schema in schemas.items()}
        document: _Info = (_STRUCT, roots, "", _SET, self._table(roots), ())
        self._top: _Frame = [document, self.root, "", None]
        self._stack: list[_Frame] = []

    def start(self, name: str, attributes: dict[str, str]) -> None:
        """A start tag: its parent's text ends, its frame opens."""
        parent = self._top
        chunks = self.chunks
        if parent[1] is None:
            parent[1] = {}
            if chunks:
                parent[2] = "".join(chunks)
        if chunks:
            chunks.clear()
        stack = self._stack
        stack.append(parent)
        table = parent[0][4]
        if table is None or len(stack) > MAX_DEPTH:
            if table is not None:
                self.too_deep = True  # refused once the whole document is read
            self._top = _SKIPPED
            return
        info = table.get(name)
        if info is None:
            info = table[name] = self._info(parent[0][1], name)
        self._top = [info, None, "", attributes]

    def end(self, _: str) -> None:
        """An end tag: the element's value joins its parent's dict."""
        frame = self._top
        parent = self._top = self._stack.pop()
        chunks = self.chunks
        if chunks:
            if frame[1] is None:
                frame[2] = "".join(chunks)
            chunks.clear()
        info = frame[0]
        how = info[0]
        if how == _TEXT_VALUE:
            value: Any = frame[2]
        elif how == _STRUCT:
            value = {} if frame[1] is None else frame[1]
            for key, attribute in info[5]:
                if attribute is None:
                    if key not in value:
                        value[key] = []
                elif attribute in frame[3]:
                    value[key] = frame[3][attribute]
        elif how == _SCALAR:
            value = _scalar(frame[2], info[1])
        elif how == _UNKNOWN:
            value = frame[2] if frame[1] is None else frame[1]
        else:
            return
        siblings = parent[1]
        key = info[2]
        if info[3] == _SET:
            siblings[key] = value
        elif info[3] == _APPEND:
            if key in siblings:
                siblings[key].append(value)
            else:
                siblings[key] = [value]
        elif key not in siblings:
            siblings[key] = value
        elif isinstance(siblings[key], list):
            siblings[key].append(value)
        else:
            siblings[key] = [siblings[key], value]

    def close(self) -> dict[str, Any]:
        """The whole document is read: its dicts, unless it nested too deeply."""
        if self.too_deep:
            raise ResponseError("refused to parse the answer's XML: nested too deeply")
        return self.root

    def _table(self, kind: object) -> dict[str, _Info]:
        table = self._tables.get(id(kind))
        if table is None:
            table = self._tables[id(kind)] = {}
        return table

    def _info(self, kind: Schema | None, name: str) -> _Info:
        """What is fixed for a child called `name` ("{uri}local" or "local") of a `kind` element."""
        local = name.rpartition("}")[2]
        member = kind.get(local) if kind is not None else None
        if member is None:
            return (_UNKNOWN, None, local, _MERGE, self._table(None), ())
        is_list, child = member
        joins = _APPEND if is_list else _SET
        if isinstance(child, str):
            how = _TEXT_VALUE if child in ("str", "timestamp") else _SCALAR
            return (how, child, local, joins, None, ())
        extras = tuple(
            (key, _attribute_key(key) if key.startswith("@") else None)
            for key, (listed, _) in child.items()
            if listed or key.startswith("@")
        )
        return (_STRUCT, child, local, joins, self._table(child), extras)


# The frame of every element inside a scalar or nested too deep: nothing of it is kept.
_SKIPPED: _Frame = [(_SKIP, None, "", _SET, None, ()), {}, "", None]


def _attribute_key(name: str) -> str:
    """The parser's name of an attribute written "@name" or "@xsi:name" ("{uri}name")."""
    prefix, _, local = name[1:].rpartition(":")
    return f"{{{XSI_NAMESPACE}}}{local}" if prefix == "xsi" else local


def _scalar(text: str, kind: Scalar) -> Any:
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
