"""Parameter kinds: what a parameter of each catalog `type:` is in Python, on the wire and on the
command line. The templates ask a parameter's kind; nothing else tests a type's name.

Adding a kind is one entry of KINDS. Its run-time halves are named, not written, here: `encoder`
is a function of s3wire._wire (value, name) -> wire text that checks the value, and `cli` a parser
of s3wire.cli.options.KINDS.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .model import schema_constant

if TYPE_CHECKING:
    from .model import Location, Param


@dataclass(frozen=True)
class Kind:
    """One kind of parameter.

    `annotation`: the method's type for it; `encoder`: the s3wire._wire function giving its wire
    form (None: passed as it is); `cli`: the command line's parser; `locations`: where it may
    go; `written`: the catalog may name it as a `type:`; `items`: it describes its items (a
    TypedDict); `repeats`: a body element is repeated for each of its items with `$each`;
    `enum`: it may list its allowed values; `formats`: the `timestamp_format`s it takes, each
    with its encoder (the first the default).
    """

    name: str
    annotation: str
    encoder: str | None
    cli: str
    locations: tuple[Location, ...]
    written: bool = True
    items: bool = False
    repeats: bool = False
    enum: bool = False
    formats: tuple[tuple[str, str], ...] = ()

    def py_type(self, param: Param) -> str:
        """The type of the method's parameter."""
        return param.enum_type if param.enum else self.annotation

    def wire(self, param: Param) -> str:
        """The expression that checks the parameter's value and gives its wire form."""
        if self.encoder is None:
            return param.name
        return f"_wire.{self.encoder}({param.name}, {param.name!r})"

    def shown(self, param: Param) -> str:
        """The type as the reference docs show it."""
        return self.name


class _Text(Kind):
    """str: as is, or one of its enum's values; a payload is sent as UTF-8."""

    def wire(self, param: Param) -> str:
        text = (
            f"_wire.choice({param.name}, {param.enum_values}, {param.name!r})"
            if param.enum
            else super().wire(param)
        )
        return f"{text}.encode()" if param.location == "payload" else text


class _Timestamp(Kind):
    """A datetime (or str), written in the parameter's timestamp_format."""

    def wire(self, param: Param) -> str:
        encoder = dict(self.formats)[param.timestamp_format]
        return f"_wire.{encoder}({param.name}, {param.name!r})"


class _Map(Kind):
    """str -> str: one header per entry under a prefix, or {key, value} items of a body."""

    def wire(self, param: Param) -> str:
        if param.location == "header_prefix":
            return f"_wire.prefixed({param.name}, {param.wire!r}, {param.name!r})"
        return f"_wire.entries({param.name}, {param.name!r})"


class _Records(Kind):
    """A list of dicts whose fields the catalog describes (its items' TypedDict)."""

    def py_type(self, param: Param) -> str:
        assert param.items is not None  # the catalog checks a list has its items
        return f"Sequence[{param.items.name}]"

    def wire(self, param: Param) -> str:
        assert param.items is not None
        return f"_wire.records({param.name}, {param.items.constant}, {param.name!r})"


class _Shaped(Kind):
    """Dicts keyed by XML element names, as a structure of shapes.yaml (or a list of them)."""

    def _base(self, param: Param, module: str) -> str:
        assert param.shape is not None  # the catalog gives a shape-typed parameter its shape
        return f"{module}{param.shape.struct}" if param.shape.struct else param.shape.scalar or ""

    def py_type(self, param: Param) -> str:
        base = self._base(param, "shapes.")
        base = "Timestamp" if base == "timestamp" else base
        return f"Sequence[{base}]" if param.shape and param.shape.is_list else base

    def wire(self, param: Param) -> str:
        assert param.shape is not None
        ref = param.shape
        schema = f"shapes.{schema_constant(ref.struct)}" if ref.struct else repr(ref.scalar)
        return f"_wire.shaped({param.name}, ({ref.is_list}, {schema}), {param.name!r})"

    def shown(self, param: Param) -> str:
        base = self._base(param, "")
        return f"list[{base}]" if param.shape and param.shape.is_list else base


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        _Text("str", "str", "text", "str", ("query", "header", "payload", "xml"), enum=True),
        Kind("int", "int", "integer", "int", ("query", "header", "xml")),
        Kind("bool", "bool", "boolean", "bool", ("query", "header", "xml")),
        _Timestamp(
            "timestamp",
            "Timestamp",
            None,
            "timestamp",
            ("query", "header", "xml"),
            formats=(("http-date", "http_date"), ("iso8601", "iso_timestamp")),
        ),
        _Map("map", "Mapping[str, str]", None, "map", ("header_prefix", "xml"), repeats=True),
        Kind("bytes", "Payload", None, "bytes", ("payload",)),
        _Records("list", "", None, "list", ("xml",), items=True, repeats=True),
        Kind("copy_source", "CopySource", "copy_source", "copy_source", ("query", "header", "xml")),
        _Shaped("shape", "", None, "shape", ("xml",), written=False),
    )
}


def kind_of(param: Param) -> Kind:
    """A checked parameter's kind."""
    return KINDS[param.type]
