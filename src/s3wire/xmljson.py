"""XML to JSON-ready dicts (driven by the catalog's shapes) and request bodies from templates."""

from __future__ import annotations

import contextlib
import re
from collections import Counter
from collections.abc import Callable, Mapping
from typing import Any, Final, Literal, TypeAlias

from .errors import ParamError, ResponseError

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
_SHOWN = 40  # characters of a body that is not XML quoted in a ResponseError
XSI_NAMESPACE = "http://www.w3.org/2001/XMLSchema-instance"
S3_NAMESPACE = "http://s3.amazonaws.com/doc/2006-03-01/"
XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'


def parse(
    data: bytes, schemas: Mapping[str, Schema], *, must_be_xml: bool = False
) -> dict[str, Any]:
    """Parse an XML answer into {root: content}, typed by the schema named after its root element.

    One pass of defusedxml's expat parser, whose tags go straight to a builder that makes the
    dicts as elements close (see _read). A
    body that is not XML at all comes back as {"NotXml": text}, or with `must_be_xml` (a success
    answer) is refused with ResponseError; so is XML with a DTD or entities, in an encoding expat
    cannot read, or nested more than MAX_DEPTH elements deep. Character references to the
    controls XML 1.0 cannot carry, which S3 writes for keys holding them, are read as those
    characters: expat refuses such a body, which is then read again through stand-ins (see
    _with_stand_ins), so that every other answer costs nothing more.
    """
    # Imported by the first answer to parse.
    from defusedxml.ElementTree import ParseError

    try:
        return _read(data, _Builder(schemas))
    except ParseError:
        pass
    readable = _with_stand_ins(data)
    if readable is not None:
        with contextlib.suppress(ParseError):
            return _read(readable, _RestoringBuilder(schemas))
    if must_be_xml:
        raise ResponseError(_not_xml(data)) from None
    return {NOT_XML: data.decode("utf-8", errors="replace")}


def _read(data: bytes, builder: _Builder) -> dict[str, Any]:
    """The builder's dicts of a document: ParseError if it is not XML, ResponseError if refused.

    defusedxml's parser keeps all it installs on its expat parser: the refusals (DOCTYPE, entity
    declarations, external references), the check of undefined entities, buffered character
    data (handed to the builder's `data`) and the translation of expat's errors. Only the tags
    go to the builder directly, with expat's names ("uri}local") and attribute dicts: the
    Python callbacks of ElementTree's parser, which rename each tag "{uri}local" and copy its
    attributes before calling the target, cost as much as expat and the builder together.
    """
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import DefusedXMLParser

    parser = DefusedXMLParser(target=builder, forbid_dtd=True)
    expat = parser.parser
    expat.ordered_attributes = False
    expat.StartElementHandler = builder.start
    expat.EndElementHandler = builder.end
    try:
        parser.feed(data)
        root: dict[str, Any] = parser.close()
    except DefusedXmlException as exc:  # DTDForbidden, EntitiesForbidden, ...
        raise ResponseError(f"refused to parse the answer's XML: {type(exc).__name__}") from None
    except (LookupError, ValueError) as exc:  # an unknown or multi-byte declared encoding
        raise ResponseError(f"refused to parse the answer's XML: {exc}") from None
    return root


# Character references to the code points XML 1.0 forbids even as references, and which S3 keys
# may hold: the C0 controls but NUL, TAB, LF and CR, and U+FFFE, U+FFFF. radosgw writes them so
# (`&#x07;`) in the fields it does not URL-encode (NextContinuationToken, NextKeyMarker, an
# upload's Key), and AWS documents such keys as written in XML entity codes. NUL stays refused:
# no S3 key holds it (s3wire refuses to send one), and a NUL in a string is trouble downstream.
_UNCARRIED = (*range(0x1, 0x9), 0xB, 0xC, *range(0xE, 0x20), 0xFFFE, 0xFFFF)
# Each is read through a stand-in that XML can carry, from a block of plane 16's private use
# area (U+10FF00-U+10FF3F, all UTF-8 "F4 8F BC xx") that answers hardly ever hold: a reference to
# the character becomes a reference to its stand-in, which the builder maps back. (Reading the
# references some other way would mean a second XML parser, or expat's handling of markup
# done again by hand; this keeps expat, defusedxml's checks and the one-pass builder as they are.)
_STAND_IN_BLOCK = range(0x10FF00, 0x10FF40)
_STAND_IN_BYTES = "\U0010ff00".encode()[:3]
_STAND_IN = {code: _STAND_IN_BLOCK[index] for index, code in enumerate(_UNCARRIED)}
_RESTORE = {stand_in: code for code, stand_in in _STAND_IN.items()}  # for str.translate
# What is scanned for, in document order: CDATA sections, comments and processing instructions
# (the XML declaration too), whose "&#" is no reference and which are kept as they are; and
# character references (leading zeros dropped; longer numbers are no code point of these).
# (Patterns used rarely are kept as text, compiled by `re` on first use and cached there:
# importing the module compiles nothing.)
_REFERENCE_OR_LITERAL = (
    rb"(?s)<!\[CDATA\[.*?\]\]>|<!--.*?-->|<\?.*?\?>|&#(?:x0*([0-9A-Fa-f]{1,6})|0*([0-9]{1,7}));"
)


def _with_stand_ins(data: bytes) -> bytes | None:
    """`data` with each reference to a character of _UNCARRIED made a reference to its stand-in,
    or None when it has no such reference, or cannot be read through stand-ins.

    The rewrite changes nothing else, so nothing but these references is accepted that was not
    before: a raw control byte, a reference to NUL or a surrogate, a DTD or an entity are refused
    as ever. It is not made (the body is parsed as it is, and refused as before) when the body
    already holds a stand-in, raw or as a reference, which would be read back as a control; or
    a NUL byte, as the ASCII markup of a UTF-16 body does (the rewrite is ASCII, as the markup
    of every other encoding expat reads).
    """
    if b"&#" not in data or _STAND_IN_BYTES in data or b"\x00" in data:
        return None
    parts: list[bytes] = []
    done = 0
    for match in re.finditer(_REFERENCE_OR_LITERAL, data):
        hexadecimal, decimal = match.groups()
        if hexadecimal is None and decimal is None:
            continue  # a CDATA section, comment or processing instruction
        code = int(hexadecimal, 16) if hexadecimal is not None else int(decimal)
        if code in _STAND_IN_BLOCK:
            return None
        stand_in = _STAND_IN.get(code)
        if stand_in is not None:
            parts += (data[done : match.start()], b"&#x%X;" % stand_in)
            done = match.end()
    if not parts:
        return None
    parts.append(data[done:])
    return b"".join(parts)


def _not_xml(data: bytes) -> str:
    """Why a body that must be XML and is not is refused: its size and how it starts."""
    start = data[:_SHOWN].decode("utf-8", errors="replace")
    return (
        f"refused to parse the answer's XML: it is not XML ({len(data)} bytes, starting {start!r})"
    )


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
        """What is fixed for a child called `name` ("uri}local" or "local") of a `kind` element."""
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


class _RestoringBuilder(_Builder):
    """The builder of an answer read through stand-ins: each text and attribute value gets its
    characters back."""

    __slots__ = ()

    def __init__(self, schemas: Mapping[str, Schema]) -> None:
        super().__init__(schemas)
        append = self.chunks.append
        self.data = lambda text: append(text if text.isascii() else text.translate(_RESTORE))

    def start(self, name: str, attributes: dict[str, str]) -> None:
        """A start tag, its attribute values restored."""
        if attributes:
            attributes = {key: value.translate(_RESTORE) for key, value in attributes.items()}
        super().start(name, attributes)


# The frame of every element inside a scalar or nested too deep: nothing of it is kept.
_SKIPPED: _Frame = [(_SKIP, None, "", _SET, None, ()), {}, "", None]


def _attribute_key(name: str) -> str:
    """expat's name of an attribute written "@name" or "@xsi:name" ("uri}name")."""
    prefix, _, local = name[1:].rpartition(":")
    return f"{XSI_NAMESPACE}}}{local}" if prefix == "xsi" else local


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
    """Render a request body without the elements whose value is None; None if nothing is left.

    Every text and attribute value reaches the server's parser exactly as given (the characters
    XML's end-of-line and attribute handling would change are written as character references);
    one holding a character XML 1.0 cannot carry is refused with ParamError naming where it was
    ("objects[3].key", "rules[0].Filter.Prefix"), before anything is sent.
    """
    xml = _render(template, values, {}, "")
    if xml is None:
        return None
    tag = template.tag
    opening = f'<{tag} xmlns="{S3_NAMESPACE}">'
    return (XML_DECLARATION + opening + xml[len(tag) + 2 :]).encode("utf-8")


def _render(
    element: XmlElement, values: BodyValues, item: Mapping[str, str], where: str
) -> str | None:
    """An element (repeated for a list); `item` is the current `$each` item, named `where`."""
    if element.each is not None:
        items = values.get(element.each)
        if not isinstance(items, list):
            return None
        parts = [
            _render_one(element, values, each, f"{element.each}[{index}]")
            for index, each in enumerate(items)
        ]
        return "".join(part for part in parts if part is not None) or None
    value = values.get(element.value) if element.value else None
    if isinstance(value, list):  # a list-shaped parameter: the element once per item
        return (
            "".join(
                _element(element.tag, node, f"{element.value}[{index}]")
                for index, node in enumerate(value)
            )
            or None
        )
    return _render_one(element, values, item, where)


def _render_one(
    element: XmlElement, values: BodyValues, item: Mapping[str, str], where: str
) -> str | None:
    if element.value is not None:
        if element.value.startswith("."):
            value: object = item.get(element.value[1:])
            name = where + element.value
        else:
            value, name = values.get(element.value), element.value
        return None if value is None else _element(element.tag, value, name)
    parts = [_render(child, values, item, where) for child in element.children]
    inner = "".join(part for part in parts if part is not None)
    return f"<{element.tag}>{inner}</{element.tag}>" if inner else None


def _element(tag: str, node: object, where: str) -> str:
    """One element holding text, or a Fragment's attributes ("@name") and children; `where`
    names it in a ParamError."""
    if not isinstance(node, Fragment):
        return f"<{tag}>{_escape(_carried(str(node), where))}</{tag}>"
    names = _child_names(node, where)
    attributes = "".join(
        f' {name[1:]}="{_escape(_carried(str(value), named), _ATTRIBUTE)}"'
        for (name, value), named in zip(node, names, strict=True)
        if name.startswith("@")
    )
    if " xsi:" in attributes:
        attributes = f' xmlns:xsi="{XSI_NAMESPACE}"' + attributes
    inner = "".join(
        _element(name, child, named)
        for (name, child), named in zip(node, names, strict=True)
        if not name.startswith("@")
    )
    return f"<{tag}{attributes}>{inner}</{tag}>"


def _child_names(node: Fragment, where: str) -> list[str]:
    """How each child of a Fragment is named in a ParamError: "where.Name", with "[index]"
    among its namesakes when the name repeats."""
    counts = Counter(name for name, _ in node)
    seen: Counter[str] = Counter()
    names = []
    for name, _ in node:
        if counts[name] > 1:
            names.append(f"{where}.{name}[{seen[name]}]")
            seen[name] += 1
        else:
            names.append(f"{where}.{name}")
    return names


# The characters XML 1.0 cannot carry at all, not even as character references: C0 controls but
# TAB, LF and CR, lone surrogates, U+FFFE and U+FFFF. (U+0085 and U+2028 are line ends only to
# XML 1.1: XML 1.0, which the body declares, keeps them as they are.) Listed, not as the
# complement of what XML allows: a negated class over all of Unicode takes 6 ms to compile.
_NOT_XML_CHAR = "[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]"


def _carried(text: str, where: str) -> str:
    """`text`, if XML 1.0 can carry each of its characters; else ParamError naming `where`."""
    bad = re.search(_NOT_XML_CHAR, text)
    if bad is not None:
        raise ParamError(
            f"{where} holds U+{ord(bad.group()):04X} (at index {bad.start()}), which an XML body "
            "cannot carry: XML 1.0 has no form for it, not even a character reference"
        )
    return text


# Element text: markup, and CR (an XML parser reads CR and CRLF as LF). Attributes also: the
# quote, and TAB, LF and CR (a parser reads each as a space).
_TEXT = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("\r", "&#13;"))
_ATTRIBUTE = (*_TEXT, ('"', "&quot;"), ("\n", "&#10;"), ("\t", "&#9;"))


def _escape(text: str, replacements: tuple[tuple[str, str], ...] = _TEXT) -> str:
    """Text made safe for element content (or, with _ATTRIBUTE, a double-quoted attribute)."""
    for char, entity in replacements:
        if char in text:
            text = text.replace(char, entity)
    return text
