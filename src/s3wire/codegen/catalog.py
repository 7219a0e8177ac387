"""Load spec/*.yaml and check it; every problem is reported with its file and entry."""

from __future__ import annotations

import keyword
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .kinds import KINDS
from .model import (
    Catalog,
    Location,
    Operation,
    Pagination,
    Param,
    Record,
    ResponseField,
    Scalar,
    Struct,
    TypeRef,
    XmlNode,
    mixin_of,
    pascal,
    snake,
)

SHAPES_FILE = "shapes.yaml"
PARAMS_FILE = "params.yaml"
FIELDS_FILE = "response-headers.yaml"
SHARED_FILES = (SHAPES_FILE, PARAMS_FILE, FIELDS_FILE)
ENDPOINTS_FILE = "endpoints.yaml"  # the partitions (codegen.render), not operations
COMMON = "common"
ERROR_SHAPE = "Error"

OPERATION_KEYS = {
    "doc",
    "http",
    "target",
    "query",
    "params",
    "request_body",
    "content_md5",
    "request_checksum",
    "response_checksum",
    "creates_bucket",
    "directory_bucket",
    "response",
    "paginate",
    "servers",
    "deprecated",
    "path",
    "host_prefix",
    "group",
}
# What directory_bucket takes: how an S3 Express directory bucket's request goes (botocore's
# staticContextParams UseS3ExpressControlEndpoint and DisableS3ExpressSessionAuth).
DIRECTORY_BUCKET = ("control", "no_session")
# A file's own keys (lowercase, never an operation's name) apply to each of its operations.
FILE_KEYS = {"group"}
# The groups `s3wire --help` lists an operation's command under (s3wire.cli.groups heads them).
GROUPS = ("buckets", "objects", "multipart", "configuration")
_FILE_NAME = re.compile(r"[a-z][a-z0-9-]*(/[a-z][a-z0-9-]*)*\.yaml")
REQUIRED_OPERATION_KEYS = ("doc", "http", "target")
RESPONSE_KEYS = {"body", "payload", "event_stream", "error_in_200", "headers"}
PARAM_KEYS = {
    "query",
    "header",
    "header_prefix",
    "payload",
    "xml",
    "type",
    "required",
    "default",
    "default_from",
    "omit",
    "enum",
    "items",
    "timestamp_format",
    "doc",
}
LOCATIONS: tuple[Location, ...] = ("query", "header", "header_prefix", "payload", "xml")
# The kind of an xml parameter whose type names a shape of shapes.yaml (or list[...] of one).
SHAPED = "shape"
RECORD_KEYS = {"name", "fields", "required"}
RECORD_FIELD_TYPES = ("str", "int", "bool")
MAP_ITEM_FIELDS = ("key", "value")
PAGINATE_KEYS = {"more", "tokens"}
SCALARS: tuple[Scalar, ...] = ("str", "int", "bool", "timestamp")
FIELD_KINDS = ("str", "int", "bool", "map")
METHODS = ("GET", "PUT", "POST", "DELETE", "HEAD")
# The test servers an operation can be seen working on (see tests/integration/capabilities.py).
SERVERS = ("radosgw", "moto")
TARGETS = ("service", "bucket", "object")
# Implied by the target, or taken by the generated method's locals or the CLI's own options.
MAX_STRUCT_NAME = 68  # inline structures are named parent + element; "class Name(TypedDict, ...):"
# must fit in a line, so deeper ones get a shape of their own
RESERVED_PARAMS = {"bucket", "key", "self", "query", "headers", "data", "out", "help", "into"}
# Names the generated operations module defines or imports; an enum's Literal alias must differ.
MODULE_NAMES = {
    "BaseClient",
    "GeneratedOperations",
    "Literal",
    "Mapping",
    "Operation",
    "Payload",
    "Response",
    "ResponseField",
    "Timestamp",
}
SETTINGS_DEFAULTS = {"region"}
# Matched whole (fullmatch): "$" would also match before a final newline.
_OPERATION_NAME = re.compile(r"[A-Z][A-Za-z0-9]+")
_PARAM_NAME = re.compile(r"[a-z][a-z0-9_]*")
# An element name, or an attribute written "@name" / "@xsi:name" (a str, as XML attributes are).
_ELEMENT_NAME = re.compile(r"([A-Za-z][A-Za-z0-9_-]*|@(xsi:)?[A-Za-z][A-Za-z0-9_]*)")
_RECORD_NAME = re.compile(r"[A-Z][A-Za-z0-9]+")
_PATH = re.compile(r"[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*(\[-1\])?)*")
_FIXED_PATH = re.compile(r"/[A-Za-z0-9._~/-]*")
_PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\}")
_LIST = re.compile(r"list\[(.+)\]")


class CatalogError(Exception):
    """The catalog has problems; the message lists each with its file and entry."""


class _UniqueKeyLoader(yaml.SafeLoader):
    """A YAML loader that refuses a key written twice in one mapping."""


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        seen.add(key)
    loader.flatten_mapping(node)
    return dict(loader.construct_pairs(node))


_UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _construct_mapping,
)


def load_yaml(path: Path) -> dict[str, Any]:
    """One catalog file as a mapping; a duplicate key or bad YAML is a CatalogError."""
    try:
        with path.open(encoding="utf-8") as stream:
            data = yaml.load(stream, Loader=_UniqueKeyLoader)
    except yaml.YAMLError as exc:
        raise CatalogError(f"{path}: {exc}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise CatalogError(f"{path}: the file must hold a mapping of names to entries")
    return data


class _Checker:
    """Builds the Catalog while collecting every problem found."""

    def __init__(self, spec_dir: Path, shared_label: str) -> None:
        self.spec_dir = spec_dir
        self.shared_label = shared_label  # where the shared files are, as messages name them
        self.problems: list[str] = []
        self.structs: dict[str, Struct] = {}
        self.shape_sources: dict[str, Any] = {}
        self.shape_files: dict[str, str] = {}  # a shape's name -> its file, as messages name it
        self.pending: list[str] = []
        self.records: dict[str, tuple[str, Record]] = {}

    def problem(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")

    def common(self, where: str, name: str, table: dict[str, Any], what: str, file: str) -> Any:
        """The shared entry `name` of a table read from `file`; None (a problem) if it has none."""
        if name not in table:
            self.problem(where, f"no common {what} in {self.shared_label}{file}")
            return None
        return table[name]

    def unknown_keys(self, where: str, spec: dict[str, Any], allowed: set[str]) -> None:
        unknown = sorted(set(spec) - allowed)
        if unknown:
            self.problem(where, f"unknown key(s) {', '.join(unknown)}")

    def rel(self, path: Path) -> str:
        return str(Path(self.spec_dir.name) / path.relative_to(self.spec_dir))

    # --- response shapes -------------------------------------------------------------------

    def type_ref(self, where: str, spec: Any, inline_name: str) -> TypeRef | None:
        if isinstance(spec, dict):
            return TypeRef(struct=self.struct(where, inline_name, spec))
        if not isinstance(spec, str):
            self.problem(where, f"a type must be a name or a mapping, not {spec!r}")
            return None
        match = _LIST.fullmatch(spec)
        if match:
            inner = self.type_ref(where, match.group(1).strip(), inline_name)
            if inner is None:
                return None
            if inner.is_list:
                self.problem(where, "lists of lists are not supported")
                return None
            return TypeRef(scalar=inner.scalar, struct=inner.struct, is_list=True)
        if spec in SCALARS:
            return TypeRef(scalar=spec)
        if spec in self.shape_sources:
            return TypeRef(struct=self.shared_struct(spec))
        self.problem(where, f"unknown type {spec!r} (not a scalar nor a shape in {SHAPES_FILE})")
        return None

    def struct(self, where: str, name: str, spec: dict[str, Any]) -> str:
        if len(name) > MAX_STRUCT_NAME:
            self.problem(where, f"an inline structure would be named {name}: make it a shape")
        members: list[tuple[str, TypeRef]] = []
        for element, member_spec in spec.items():
            if not isinstance(element, str) or not _ELEMENT_NAME.fullmatch(element):
                self.problem(where, f"bad element name {element!r}")
                continue
            ref = self.type_ref(f"{where}.{element}", member_spec, name + element.replace("-", ""))
            if ref is not None and element.startswith("@") and (ref.scalar != "str" or ref.is_list):
                self.problem(f"{where}.{element}", "an attribute is a str")
            elif ref is not None:
                members.append((element, ref))
        if name in self.structs and self.structs[name].members != tuple(members):
            self.problem(where, f"two different structures would be named {name}")
        self.structs[name] = Struct(name=name, members=tuple(members))
        return name

    def shared_struct(self, name: str) -> str:
        where = f"{self.shape_files[name]}: {name}"
        if name in self.pending:
            chain = " -> ".join([*self.pending[self.pending.index(name) :], name])
            self.problem(where, f"shapes refer to each other in a cycle: {chain}")
        elif name not in self.structs:
            self.pending.append(name)
            spec = self.shape_sources[name]
            if not isinstance(spec, dict):
                self.problem(where, "a shape must be a mapping")
                self.pending.remove(name)
                return name
            self.struct(where, name, spec)
            self.pending.remove(name)
        return name

    # --- parameters -----------------------------------------------------------------------

    def param(self, where: str, name: Any, spec: Any, common: dict[str, Any]) -> Param | None:
        if not isinstance(name, str) or not _PARAM_NAME.fullmatch(name) or keyword.iskeyword(name):
            self.problem(where, f"parameter name {name!r} must be a snake_case identifier")
            return None
        if name in RESERVED_PARAMS:
            self.problem(
                where,
                f"parameter {name!r} is implied by the target or reserved for generated code",
            )
            return None
        where = f"{where}.{name}"
        if spec == COMMON:
            spec = self.common(where, name, common, f"parameter {name!r}", PARAMS_FILE)
            if spec is None:
                return None
        if not isinstance(spec, dict):
            self.problem(where, "a parameter must be a mapping (or 'common')")
            return None
        self.unknown_keys(where, spec, PARAM_KEYS)
        locations = [loc for loc in LOCATIONS if loc in spec]
        if len(locations) != 1:
            self.problem(where, f"needs exactly one of {', '.join(LOCATIONS)}")
            return None
        location = locations[0]
        wire = spec[location]
        if location in ("payload", "xml"):
            if wire is not True:
                self.problem(where, f"{location} must be true")
            wire = name
        elif not isinstance(wire, str) or not wire:
            self.problem(where, f"{location} must name the wire name")
            return None
        ptype = spec.get("type", "bytes" if location == "payload" else "str")
        written = [name for name, kind in KINDS.items() if kind.written]
        shape = None
        if location == "xml" and isinstance(ptype, str) and ptype not in KINDS:
            shape = self.type_ref(where, ptype, "")
            if shape is None:
                return None
            if shape.scalar and not shape.is_list:
                self.problem(where, f"write type {shape.scalar} without a shape")
            ptype = SHAPED
        elif ptype not in written:
            self.problem(
                where,
                f"type must be one of {', '.join(written)}, "
                "or (for xml) a shape or list[...] of shapes.yaml",
            )
            return None
        kind = KINDS[ptype]
        if location not in kind.locations:
            takes = [name for name in written if location in KINDS[name].locations]
            self.problem(
                where,
                f"type {ptype} goes with {' or '.join(kind.locations)}; "
                f"a {location} parameter is {' or '.join(takes)}",
            )
        items = None
        if kind.items != ("items" in spec):
            self.problem(where, "a list parameter, and only a list parameter, describes its items")
        elif "items" in spec:
            items = self.record(where, spec["items"])
        enum = spec.get("enum", [])
        if not isinstance(enum, list) or (
            enum and (not kind.enum or not all(isinstance(v, str) for v in enum))
        ):
            self.problem(where, "enum lists str values of a str parameter")
            enum = []
        if enum and pascal(name) in MODULE_NAMES:
            self.problem(where, f"its enum type {pascal(name)} would shadow a generated name")
        omit = spec.get("omit", [])
        if not isinstance(omit, list) or not all(isinstance(v, str) for v in omit):
            self.problem(where, "omit lists str values")
            omit = []
        if location != "xml" and ("default_from" in spec or "omit" in spec):
            self.problem(where, "default_from and omit apply only to xml parameters")
        default_from = spec.get("default_from")
        if default_from is not None and default_from not in SETTINGS_DEFAULTS:
            self.problem(
                where, f"default_from must be one of {', '.join(sorted(SETTINGS_DEFAULTS))}"
            )
        self.doc(where, spec.get("doc"))
        doc = spec.get("doc") or ""
        for flag in ("required",):
            if not isinstance(spec.get(flag, False), bool):
                self.problem(where, f"{flag} must be true or false")
        if spec.get("required") and "default" in spec:
            self.problem(where, "a required parameter has no default")
        return Param(
            name=name,
            location=location,
            wire=wire,
            type=ptype,
            required=bool(spec.get("required", False)),
            default=spec.get("default"),
            default_from=default_from,
            omit=tuple(omit),
            enum=tuple(enum),
            items=items,
            shape=shape,
            timestamp_format=self.timestamp_format(where, spec, ptype),
            doc=" ".join(str(doc).split()),
        )

    def doc(self, where: str, doc: Any) -> None:
        """A doc line: non-empty text that can sit inside a Python docstring."""
        if not isinstance(doc, str) or not doc.strip():
            self.problem(where, "needs a doc line")
        elif '"""' in doc or "\\" in doc:
            self.problem(where, 'a doc line may not hold """ or a backslash')

    def timestamp_format(self, where: str, spec: dict[str, Any], ptype: str) -> str:
        """How a timestamp parameter is written: its kind's first format unless it says."""
        formats = [name for name, _ in KINDS[ptype].formats]
        if "timestamp_format" not in spec:
            return formats[0] if formats else ""
        if spec["timestamp_format"] not in formats:
            every = sorted({name for kind in KINDS.values() for name, _ in kind.formats})
            self.problem(where, f"timestamp_format is one of {', '.join(every)}, for a timestamp")
        return str(spec["timestamp_format"])

    def record(self, where: str, spec: Any) -> Record | None:
        """The item type of a list parameter: {name, fields: {field: type}, required: [...]}."""
        where = f"{where}.items"
        if not isinstance(spec, dict) or set(spec) - RECORD_KEYS or "fields" not in spec:
            self.problem(where, "items is {name: Type, fields: {field: type}, required: [field]}")
            return None
        name, fields, required = spec.get("name"), spec["fields"], spec.get("required", [])
        if not isinstance(name, str) or not _RECORD_NAME.fullmatch(name) or name in MODULE_NAMES:
            self.problem(where, "items needs a PascalCase name for its type")
            return None
        if not isinstance(fields, dict) or not fields:
            self.problem(where, "fields maps field names to str, int or bool")
            return None
        bad = [
            f
            for f, t in fields.items()
            if not _PARAM_NAME.fullmatch(str(f)) or t not in RECORD_FIELD_TYPES
        ]
        if bad:
            self.problem(where, f"fields are snake_case names of type str, int or bool: {bad}")
            return None
        if not isinstance(required, list) or set(required) - set(fields):
            self.problem(where, "required lists some of the fields")
            return None
        record = Record(name=name, fields=tuple((f, t, f in required) for f, t in fields.items()))
        first_where, first = self.records.setdefault(name, (where, record))
        if first != record:
            self.problem(where, f"items type {name} differs from the one at {first_where}")
        return record

    def xml_node(
        self,
        where: str,
        tag: str,
        spec: Any,
        xml_params: dict[str, Param],
        item_fields: tuple[str, ...] | None = None,
    ) -> XmlNode | None:
        """One element of a request body template (see spec/README.md)."""
        if isinstance(spec, str) and spec.startswith("$."):
            if item_fields is None:
                self.problem(where, f"{spec} refers to an item outside a $each element")
            elif spec[2:] not in item_fields:
                self.problem(
                    where, f"{spec} is not a field of the items ({', '.join(item_fields)})"
                )
            return XmlNode(tag=tag, value=spec[1:])
        if isinstance(spec, str) and spec.startswith("$"):
            param = xml_params.get(spec[1:])
            if param is None:
                self.problem(where, f"{spec} does not name a parameter declared with xml: true")
            elif KINDS[param.type].repeats:
                self.problem(where, f"{spec} is a {param.type}: repeat an element with $each")
            return XmlNode(tag=tag, value=spec[1:])
        if not isinstance(spec, dict) or not spec:
            self.problem(where, "a body element holds $parameter or a mapping of child elements")
            return None
        each = spec.get("$each")
        if each is not None:
            param = xml_params.get(each)
            if param is None or not KINDS[param.type].repeats:
                self.problem(where, f"$each: {each} must name a list or map xml parameter")
                return None
            if item_fields is not None:
                self.problem(where, "$each elements do not nest")
            item_fields = (
                tuple(f for f, _, _ in param.items.fields) if param.items else MAP_ITEM_FIELDS
            )
        children = [
            self.xml_node(f"{where}.{t}", t, s, xml_params, item_fields)
            for t, s in spec.items()
            if t != "$each"
        ]
        return XmlNode(tag=tag, children=tuple(c for c in children if c is not None), each=each)

    def group(self, where: str, group: Any) -> str:
        """The command group of an operation: its own `group`, else its file's."""
        if group not in GROUPS:
            self.problem(
                where,
                f"group must be one of {', '.join(GROUPS)} (a key of the operation, or of its "
                f"file for all its operations); got {group!r}",
            )
            return ""
        return str(group)

    def spec_file(self, path: Path, mixins: dict[str, str]) -> tuple[str, dict[str, Any]]:
        """A catalog file's name (checked: it names the operations' mixin class) and entries."""
        source = self.rel(path)
        mixin = mixin_of(source)
        if not _FILE_NAME.fullmatch(path.relative_to(self.spec_dir).as_posix()):
            self.problem(source, "a catalog file is named in lowercase-with-hyphens (.yaml)")
        elif mixins.setdefault(mixin, source) != source:
            self.problem(source, f"its operations' class {mixin} would be {mixins[mixin]}'s too")
        return source, load_yaml(path)

    def flag(self, where: str, spec: dict[str, Any], key: str) -> bool:
        """A true/false key, false when absent."""
        value = spec.get(key, False)
        if not isinstance(value, bool):
            self.problem(where, f"{key} must be true or false")
        return value is True

    def directory_bucket(self, where: str, value: object) -> str | None:
        """How a directory bucket's request goes, when not to its zonal endpoint with a session."""
        if value is not None and value not in DIRECTORY_BUCKET:
            self.problem(where, f"directory_bucket must be one of {', '.join(DIRECTORY_BUCKET)}")
            return None
        return None if value is None else str(value)

    def error_in_200(self, where: str, response: dict[str, Any]) -> bool:
        """Whether S3 may answer the operation 200 with an <Error> body (its answer is XML)."""
        flagged = self.flag(where, response, "error_in_200")
        if flagged and (response.get("payload") or response.get("event_stream")):
            self.problem(where, "error_in_200 goes with an XML answer, not payload or event_stream")
        return flagged

    def path(self, where: str, spec: dict[str, Any]) -> str:
        """A service-level operation's fixed path ("/" unless it says otherwise)."""
        path = spec.get("path", "/")
        if not isinstance(path, str) or not _FIXED_PATH.fullmatch(path):
            self.problem(where, "path is a fixed path such as /WriteGetObjectResponse")
        elif path != "/" and spec.get("target") != "service":
            self.problem(where, "only a service-level operation has a fixed path")
        return str(path)

    def host_prefix(self, where: str, prefix: Any, params: tuple[Param, ...]) -> str | None:
        """A prefix of the host, such as "{request_route}.", filled from required parameters."""
        if prefix is None:
            return None
        names = _PLACEHOLDER.findall(prefix) if isinstance(prefix, str) else []
        required = {p.name for p in params if p.required}
        if not names or not prefix.endswith(".") or set(names) - required:
            self.problem(where, "host_prefix is like '{param}.' with required parameters")
        return str(prefix)

    def servers(self, where: str, servers: Any) -> tuple[str, ...]:
        """The test servers the operation was seen working on."""
        if not isinstance(servers, list) or not set(servers) <= set(SERVERS):
            self.problem(where, f"servers lists some of {', '.join(SERVERS)}")
            return ()
        return tuple(servers)

    def deprecated(self, where: str, text: Any) -> str | None:
        """What to use instead of a deprecated operation."""
        if text is not None:
            self.doc(f"{where}: deprecated", text)
        return None if text is None else " ".join(str(text).split())

    def pagination(
        self, where: str, spec: Any, params: tuple[Param, ...], root: str | None
    ) -> Pagination | None:
        """The paginate key: {more: Root.Path, tokens: {param: Root.Path | [Root.Path, ...]}}."""
        where = f"{where}: paginate"
        if not isinstance(spec, dict) or set(spec) - PAGINATE_KEYS or "tokens" not in spec:
            self.problem(where, "paginate is {more: Root.Path, tokens: {parameter: Root.Path}}")
            return None
        if root is None:
            self.problem(where, "only an operation with a response body can paginate")
            return None
        query_params = {p.name for p in params if p.location == "query"}
        paths = [spec["more"]] if "more" in spec else []
        tokens: list[tuple[str, tuple[str, ...]]] = []
        raw_tokens = spec["tokens"] if isinstance(spec["tokens"], dict) else {}
        for param, sources in raw_tokens.items():
            if param not in query_params:
                self.problem(where, f"token {param} is not a query parameter of the operation")
            sources = sources if isinstance(sources, list) else [sources]
            paths.extend(sources)
            tokens.append((param, tuple(str(source) for source in sources)))
        for path in paths:
            if not isinstance(path, str) or not _PATH.fullmatch(path) or path.split(".")[0] != root:
                self.problem(where, f"{path!r} must be a dotted path from {root}")
        if not tokens:
            self.problem(where, "tokens names at least one parameter")
        return Pagination(more=spec.get("more"), tokens=tuple(tokens))

    # --- response headers -------------------------------------------------------------------

    def field(
        self, where: str, name: str, spec: Any, common: dict[str, Any]
    ) -> ResponseField | None:
        where = f"{where}.{name}"
        if spec == COMMON:
            spec = self.common(where, name, common, f"response header {name!r}", FIELDS_FILE)
            if spec is None:
                return None
        if isinstance(spec, str):
            return ResponseField(name=name, header=spec, kind="str")
        if not isinstance(spec, dict) or len(set(spec) & {"header", "header_prefix"}) != 1:
            self.problem(
                where, "a response header is a header name or {header|header_prefix, type}"
            )
            return None
        self.unknown_keys(where, spec, {"header", "header_prefix", "type"})
        kind = spec.get("type", "str")
        if kind not in FIELD_KINDS or (kind == "map") != ("header_prefix" in spec):
            self.problem(where, "type is str, int or bool for a header, map for a header_prefix")
            return None
        return ResponseField(
            name=name, header=spec.get("header") or spec["header_prefix"], kind=kind
        )

    # --- operations -------------------------------------------------------------------------

    def operation(
        self,
        source: str,
        name: Any,
        spec: Any,
        shared: tuple[dict[str, Any], dict[str, Any]],
        file_group: str | None,
    ) -> Operation | None:
        params, fields = shared
        where = f"{source}: {name}"
        if not isinstance(name, str) or not _OPERATION_NAME.fullmatch(name):
            self.problem(where, "an operation is named in PascalCase, as in the S3 API")
            return None
        if not isinstance(spec, dict):
            self.problem(where, "an operation must be a mapping")
            return None
        self.unknown_keys(where, spec, OPERATION_KEYS)
        missing = [key for key in REQUIRED_OPERATION_KEYS if key not in spec]
        if missing:
            self.problem(where, f"missing {', '.join(missing)}")
            return None
        self.doc(where, spec["doc"])
        if spec.get("creates_bucket") and spec.get("target") != "bucket":
            self.problem(where, "creates_bucket goes with target bucket")
        if spec.get("content_md5") and spec.get("request_checksum"):
            self.problem(where, "content_md5 and request_checksum exclude each other")
        if spec.get("response_checksum") and not (spec.get("response") or {}).get("payload"):
            self.problem(where, "response_checksum goes with a data answer (response.payload)")
        if spec["http"] not in METHODS:
            self.problem(where, f"http must be one of {', '.join(METHODS)}")
        if spec["target"] not in TARGETS:
            self.problem(where, f"target must be one of {', '.join(TARGETS)}")
        query = spec.get("query", {})
        if not isinstance(query, dict) or not all(isinstance(v, str) for v in query.values()):
            self.problem(where, 'query maps fixed query keys to str values ("" for a bare key)')
            query = {}
        params_spec = spec.get("params") or {}
        if not isinstance(params_spec, dict):
            self.problem(where, "params must be a mapping of names to parameters")
            params_spec = {}
        checked = [self.param(f"{where}: params", n, s, params) for n, s in params_spec.items()]
        op_params = tuple(p for p in checked if p is not None)
        if sum(p.location == "payload" for p in op_params) > 1:
            self.problem(where, "at most one payload parameter")
        if "request_body" in spec and any(p.location == "payload" for p in op_params):
            self.problem(where, "an operation sends a payload or a request_body, not both")
        xml_params = {p.name: p for p in op_params if p.location == "xml"}
        request_body = None
        if "request_body" in spec:
            body = spec["request_body"]
            if not isinstance(body, dict) or len(body) != 1:
                self.problem(where, "request_body holds exactly one root element")
            else:
                ((root, content),) = body.items()
                request_body = self.xml_node(
                    f"{where}: request_body.{root}", root, content, xml_params
                )
                used = _params_in(request_body) if request_body else set()
                for unused in sorted(set(xml_params) - used):
                    self.problem(where, f"xml parameter {unused} is not used in request_body")
        elif xml_params:
            self.problem(where, "xml parameters need a request_body")
        response = spec.get("response") or {}
        if not isinstance(response, dict):
            self.problem(where, "response must be a mapping")
            response = {}
        headers_spec = response.get("headers") or {}
        if not isinstance(headers_spec, dict):
            self.problem(f"{where}: response", "headers must be a mapping of names to headers")
            headers_spec = {}
        self.unknown_keys(f"{where}: response", response, RESPONSE_KEYS)
        root = struct = None
        if "body" in response:
            body = response["body"]
            if not isinstance(body, dict) or len(body) != 1:
                self.problem(f"{where}: response.body", "holds exactly one root element")
            else:
                ((root, root_spec),) = body.items()
                ref = self.type_ref(f"{where}: response.body.{root}", root_spec, f"{name}Result")
                if ref is not None and (ref.is_list or ref.scalar not in (None, "str")):
                    self.problem(f"{where}: response.body", "the root is a structure or str")
                elif ref is not None:
                    struct = ref.struct
        if not isinstance(response.get("payload", False), bool):
            self.problem(f"{where}: response", "payload must be true or false")
        if sum(bool(response.get(k)) for k in ("body", "payload", "event_stream")) > 1:
            self.problem(f"{where}: response", "body, payload and event_stream exclude each other")
        response_fields = [
            self.field(f"{where}: response.headers", n, s, fields) for n, s in headers_spec.items()
        ]
        return Operation(
            name=name,
            doc=" ".join(str(spec["doc"]).split()),
            http=spec["http"],
            target=spec["target"],
            source=source,
            group=self.group(where, spec.get("group", file_group)),
            query=tuple(query.items()),
            params=op_params,
            request_body=request_body,
            content_md5=self.flag(where, spec, "content_md5"),
            request_checksum=self.flag(where, spec, "request_checksum"),
            response_checksum=self.flag(where, spec, "response_checksum"),
            creates_bucket=self.flag(where, spec, "creates_bucket"),
            directory_bucket=self.directory_bucket(where, spec.get("directory_bucket")),
            response_root=root,
            response_struct=struct,
            response_payload=bool(response.get("payload", False)),
            fields=tuple(f for f in response_fields if f is not None),
            paginate=(
                self.pagination(where, spec["paginate"], op_params, root)
                if "paginate" in spec
                else None
            ),
            path=self.path(where, spec),
            host_prefix=self.host_prefix(where, spec.get("host_prefix"), op_params),
            response_event_stream=self.flag(f"{where}: response", response, "event_stream"),
            error_in_200=self.error_in_200(f"{where}: response", response),
            servers=self.servers(where, spec.get("servers", [])),
            deprecated=self.deprecated(where, spec.get("deprecated")),
        )


def _params_in(node: XmlNode) -> set[str]:
    found = {name for name in (node.value, node.each) if name and not name.startswith(".")}
    for child in node.children:
        found |= _params_in(child)
    return found


@dataclass(frozen=True)
class Base:
    """The catalog another one builds on (s3wire's, for a user's catalog): the folder of its
    shared files, and the method names already taken, each with what takes it."""

    shared_dir: Path
    taken: Mapping[str, str]


def _shared(
    checker: _Checker, spec_dir: Path, base: Base | None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Read the shared files (shapes, common parameters and response headers): a catalog's own,
    or, for one with a base, the base's with the catalog's own additions (optional then)."""
    tables: list[tuple[dict[str, Any], dict[str, str], set[str]]] = []
    for shared in SHARED_FILES:
        table = {} if base is None else load_yaml(base.shared_dir / shared)
        files = dict.fromkeys(table, f"s3wire's {shared}")
        own = spec_dir / shared
        if base is None and not own.is_file():
            raise CatalogError(f"{own}: missing")
        entries = load_yaml(own) if own.is_file() else {}
        for name in entries.keys() & table.keys():
            checker.problem(f"{checker.rel(own)}: {name}", f"s3wire's {shared} has {name} already")
        table.update(entries)
        files.update(dict.fromkeys(entries, checker.rel(own)))
        tables.append((table, files, set(entries)))
    (checker.shape_sources, checker.shape_files, own_shapes), (params, *_), (fields, *_) = tables
    if ERROR_SHAPE not in checker.shape_sources:
        checker.problem(
            f"spec/{SHAPES_FILE}", f"the {ERROR_SHAPE} shape (S3's error body) is required"
        )
    for shape in checker.shape_sources:  # a base's shapes only as the catalog refers to them
        if shape in own_shapes or shape == ERROR_SHAPE:
            checker.shared_struct(shape)
    return params, fields


def load_catalog(spec_dir: Path, base: Base | None = None) -> Catalog:
    """Read and check every catalog file under spec_dir (built on `base`, if given: see Base);
    raise CatalogError listing all problems."""
    checker = _Checker(spec_dir, "spec/" if base is None else "s3wire's or the catalog's ")
    params, fields = _shared(checker, spec_dir, base)
    operations: dict[str, Operation] = {}
    sources: dict[str, str] = {}
    mixins: dict[str, str] = {}
    for path in sorted(spec_dir.rglob("*.yaml")):
        if path.parent == spec_dir and path.name in (*SHARED_FILES, ENDPOINTS_FILE):
            continue
        source, entries = checker.spec_file(path, mixins)
        file_keys = {key: entries[key] for key in FILE_KEYS if key in entries}
        for name, spec in entries.items():
            if name in file_keys:
                continue
            if name in sources:
                checker.problem(
                    f"{source}: {name}", f"duplicate operation (also in {sources[name]})"
                )
                continue
            sources[name] = source
            operation = checker.operation(
                source, name, spec, (params, fields), file_keys.get("group")
            )
            if operation is not None:
                operations[name] = operation
    enums: dict[str, tuple[str, tuple[str, ...]]] = {}
    for operation in operations.values():
        for param in operation.params:
            if param.enum:
                first = enums.setdefault(param.name, (operation.name, param.enum))
                if first[1] != param.enum:
                    checker.problem(
                        f"{operation.source}: {operation.name}: params.{param.name}",
                        f"enum differs from the one in {first[0]}; a parameter name has one enum",
                    )
    methods: dict[str, str] = {}
    for operation in operations.values():
        other = methods.setdefault(operation.method_name, operation.name)
        if other != operation.name:
            checker.problem(operation.source, f"{operation.name} and {other} share a method name")
        if base is not None and operation.method_name in base.taken:
            checker.problem(
                f"{operation.source}: {operation.name}",
                f"its method and command {operation.method_name} would clash with "
                f"{base.taken[operation.method_name]}",
            )
    if checker.problems:
        raise CatalogError("\n".join(checker.problems))
    return Catalog(
        operations=[operations[n] for n in sorted(operations)],
        structs=_dependency_order(checker.structs),
    )


def _dependency_order(structs: dict[str, Struct]) -> list[Struct]:
    ordered: list[Struct] = []
    done: set[str] = set()

    def visit(name: str, trail: tuple[str, ...]) -> None:
        if name in done:
            return
        if name in trail:
            raise CatalogError(
                f"spec: structures refer to each other in a cycle: {' -> '.join(trail)}"
            )
        for _, ref in structs[name].members:
            if ref.struct:
                visit(ref.struct, (*trail, name))
        done.add(name)
        ordered.append(structs[name])

    for name in sorted(structs):
        visit(name, ())
    return ordered


__all__ = ["Catalog", "CatalogError", "load_catalog", "snake"]
