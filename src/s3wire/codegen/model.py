"""Plain records for a checked catalog: what the templates read."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

FieldType = Literal["str", "int", "bool"]
Location = Literal["query", "header", "header_prefix", "payload", "xml"]
Scalar = Literal["str", "int", "bool", "timestamp"]


def snake(name: str) -> str:
    """PutObject -> put_object, ListObjectsV2 -> list_objects_v2."""
    name = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)
    name = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", name)
    return name.lower()


def pascal(name: str) -> str:
    """storage_class -> StorageClass."""
    return "".join(part.capitalize() for part in name.split("_"))


def upper_snake(name: str) -> str:
    """ListObjectsV2 -> LIST_OBJECTS_V2."""
    return snake(name).upper()


def schema_constant(struct: str) -> str:
    """The module constant holding a structure's parse schema: Owner -> OWNER_XML."""
    return upper_snake(struct) + "_XML"


@dataclass(frozen=True)
class TypeRef:
    """A response member's type: a scalar, a named structure, or a list of either."""

    scalar: Scalar | None = None
    struct: str | None = None
    is_list: bool = False


@dataclass(frozen=True)
class Struct:
    """A response structure: element name -> type; `name` is its TypedDict's name."""

    name: str
    members: tuple[tuple[str, TypeRef], ...]

    @property
    def identifiers(self) -> bool:
        """Whether every member name can be a class attribute (attributes, "@...", cannot)."""
        return all(element.isidentifier() for element, _ in self.members)

    @property
    def schema_name(self) -> str:
        """Name of the module constant holding its parse schema."""
        return schema_constant(self.name)


@dataclass(frozen=True)
class Record:
    """The dicts a list parameter holds: field name -> type, some required; `name` is its type."""

    name: str
    fields: tuple[tuple[str, FieldType, bool], ...]

    @property
    def constant(self) -> str:
        """Name of the module constant describing its fields to the runtime."""
        return upper_snake(self.name) + "_FIELDS"

    @property
    def required(self) -> tuple[tuple[str, FieldType, bool], ...]:
        """The fields every item must have."""
        return tuple(f for f in self.fields if f[2])

    @property
    def optional(self) -> tuple[tuple[str, FieldType, bool], ...]:
        """The fields an item may leave out (or set to None)."""
        return tuple(f for f in self.fields if not f[2])


@dataclass(frozen=True)
class Param:
    """One operation parameter and where it goes on the wire."""

    name: str
    location: Location
    wire: str
    type: str = "str"  # a kind of codegen.kinds
    required: bool = False
    default: str | int | bool | None = None
    default_from: str | None = None
    omit: tuple[str, ...] = ()
    enum: tuple[str, ...] = ()
    items: Record | None = None
    shape: TypeRef | None = None
    timestamp_format: str = ""  # for a kind with formats (timestamp)
    doc: str = ""

    @property
    def enum_type(self) -> str:
        """Name of the Literal alias of an enum parameter."""
        return pascal(self.name)

    @property
    def enum_values(self) -> str:
        """Name of the tuple constant of an enum parameter's values."""
        return upper_snake(self.name) + "_VALUES"


@dataclass(frozen=True)
class XmlNode:
    """An element of a request body template: a value leaf, or children; maybe repeated.

    `value` names a parameter, or ".field" of the current item inside an `each` element;
    `each` names the list or map parameter the element is repeated for.
    """

    tag: str
    value: str | None = None
    children: tuple[XmlNode, ...] = ()
    each: str | None = None


@dataclass(frozen=True)
class ResponseField:
    """A response header surfaced as a named value."""

    name: str
    header: str
    kind: Literal["str", "int", "bool", "map"]


@dataclass(frozen=True)
class Pagination:
    """How to ask for the next page: which parameters take which answer values, while `more`."""

    more: str | None
    tokens: tuple[tuple[str, tuple[str, ...]], ...]


@dataclass(frozen=True)
class Operation:
    """One S3 operation, checked."""

    name: str
    doc: str
    http: str
    target: Literal["service", "bucket", "object"]
    source: str
    group: str = ""
    query: tuple[tuple[str, str], ...] = ()
    params: tuple[Param, ...] = ()
    request_body: XmlNode | None = None
    content_md5: bool = False
    request_checksum: bool = False
    response_checksum: bool = False
    creates_bucket: bool = False
    directory_bucket: str | None = None
    error_in_200: bool = False
    response_root: str | None = None
    response_struct: str | None = None
    response_payload: bool = False
    fields: tuple[ResponseField, ...] = ()
    paginate: Pagination | None = None
    servers: tuple[str, ...] = ()
    deprecated: str | None = None
    path: str = "/"
    host_prefix: str | None = None
    response_event_stream: bool = False

    @property
    def method_name(self) -> str:
        """The Python method name."""
        return snake(self.name)

    @property
    def constant(self) -> str:
        """The module constant holding the runtime Operation."""
        return upper_snake(self.name)

    @property
    def cli_name(self) -> str:
        """The CLI subcommand."""
        return self.method_name.replace("_", "-")


def mixin_of(source: str) -> str:
    """A catalog file's mixin class: spec/bucket-config/cors.yaml -> BucketConfigCorsOperations."""
    stem = source.split("/", 1)[1].removesuffix(".yaml")
    return pascal(stem.replace("/", "_").replace("-", "_")) + "Operations"


@dataclass(frozen=True)
class SpecFile:
    """One catalog file of operations: they become the methods of one mixin class."""

    source: str
    operations: tuple[Operation, ...]

    @property
    def class_name(self) -> str:
        """The mixin class's name, e.g. BucketConfigCorsOperations."""
        return mixin_of(self.source)


@dataclass
class Catalog:
    """Every operation and response structure of the catalog."""

    operations: list[Operation] = field(default_factory=list)
    structs: list[Struct] = field(default_factory=list)

    def enums(self) -> list[Param]:
        """One parameter per distinct enum (by parameter name), sorted."""
        found = {p.name: p for op in self.operations for p in op.params if p.enum}
        return [found[name] for name in sorted(found)]

    def records(self) -> list[Record]:
        """Every list parameter's item type, once each, sorted by name."""
        found = {p.items.name: p.items for op in self.operations for p in op.params if p.items}
        return [found[name] for name in sorted(found)]

    def files(self) -> list[SpecFile]:
        """The catalog files that hold operations, sorted by path, each with its operations."""
        sources = sorted({op.source for op in self.operations})
        return [
            SpecFile(source, tuple(op for op in self.operations if op.source == source))
            for source in sources
        ]

    def struct(self, name: str) -> Struct:
        """The structure named `name`."""
        return next(s for s in self.structs if s.name == name)
