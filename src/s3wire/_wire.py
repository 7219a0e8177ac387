"""Checks and formats parameter values for the wire; the generated operations call these."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from typing import TYPE_CHECKING, Literal, TypeAlias, TypedDict

from . import validate
from .errors import ParamError
from .signing import uri_encode
from .xmljson import Fragment, Node, Scalar, Schema

if TYPE_CHECKING:
    import datetime as dt

# datetime is imported by the first timestamp parameter, not by building a client.
Timestamp: TypeAlias = "dt.datetime | str"


class CopySourceParts(TypedDict, total=False):
    """The object to copy from, as parts: bucket and key required, version_id optional."""

    bucket: str
    key: str
    version_id: str | None


CopySource: TypeAlias = "str | CopySourceParts"
# A field of the dicts a list parameter holds: (name, type, required).
Field: TypeAlias = tuple[str, Literal["str", "int", "bool"], bool]


def text(value: object, name: str) -> str:
    """A string parameter, as is."""
    if not isinstance(value, str):
        raise ParamError(f"{name} must be a str, not {type(value).__name__}")
    return value


def choice(value: object, allowed: Collection[str], name: str) -> str:
    """A string parameter that must be one of the catalog's allowed values."""
    if value not in allowed:
        options = ", ".join(sorted(allowed))
        raise ParamError(f"{name} must be one of {options}; got {value!r}")
    return text(value, name)


def integer(value: object, name: str) -> str:
    """An integer parameter, in decimal."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ParamError(f"{name} must be an int, not {type(value).__name__}")
    return str(value)


def boolean(value: object, name: str) -> str:
    """A boolean parameter, as S3 spells it: true or false."""
    if not isinstance(value, bool):
        raise ParamError(f"{name} must be a bool, not {type(value).__name__}")
    return "true" if value else "false"


def http_date(value: object, name: str) -> str:
    """A timestamp parameter as an HTTP date; a str is sent as given."""
    if isinstance(value, str):
        return value
    import datetime as dt

    if not isinstance(value, dt.datetime):
        raise ParamError(f"{name} must be a datetime or str, not {type(value).__name__}")
    if value.tzinfo is None:
        raise ParamError(f"{name} must be timezone-aware (for example datetime.now(timezone.utc))")
    from email.utils import format_datetime  # only timestamp parameters need it

    return format_datetime(value.astimezone(dt.timezone.utc), usegmt=True)


def prefixed(values: object, prefix: str, name: str) -> dict[str, str]:
    """A map parameter sent as one header per entry, each name starting with `prefix`."""
    if not isinstance(values, Mapping):
        raise ParamError(f"{name} must be a mapping of str to str, not {type(values).__name__}")
    headers: dict[str, str] = {}
    for key, value in values.items():
        if not isinstance(key, str) or not key or not isinstance(value, str):
            raise ParamError(f"{name} must map non-empty str keys to str values; got {key!r}")
        headers[prefix + key] = value
    return headers


def host_label(value: object, name: str) -> str:
    """A value that goes into the host name: letters, digits and hyphens."""
    label = text(value, name)
    if not label or not all(c.isascii() and (c.isalnum() or c == "-") for c in label):
        raise ParamError(f"{name} must be letters, digits and hyphens (it goes in the host name)")
    return label


def copy_source(value: object, name: str) -> str:
    """The x-amz-copy-source header: "bucket/key" or {bucket, key, version_id}, key URL-encoded.

    The key is checked as any key is (`validate.object_key`: no NUL, at most 1024 bytes...)."""
    version = None
    if isinstance(value, Mapping):
        unknown = sorted(set(value) - {"bucket", "key", "version_id"})
        if unknown:
            raise ParamError(f"{name} has unknown key(s) {unknown}; known: bucket, key, version_id")
        bucket, key, version = value.get("bucket"), value.get("key"), value.get("version_id")
    elif isinstance(value, str):
        bucket, _, key = value.lstrip("/").partition("/")
    else:
        raise ParamError(f"{name} must be 'bucket/key' or a dict, not {type(value).__name__}")
    if not isinstance(bucket, str) or not bucket or not isinstance(key, str) or not key:
        raise ParamError(f"{name} needs a bucket and a key; got {value!r}")
    validate.object_key(key, f"{name}'s key")
    source = f"/{bucket}/{uri_encode(key, keep_slash=True)}"
    if version is not None:
        source += f"?versionId={uri_encode(text(version, name + '.version_id'))}"
    return source


def shaped(value: object, member: tuple[bool, Scalar | Schema], name: str) -> Node | list[Node]:
    """A parameter shaped like a catalog structure (or a list of them), keyed by XML element
    names as the answers are: checked, and formatted into the body's element tree."""
    is_list, kind = member
    if not is_list:
        return _node(value, kind, name)
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        raise ParamError(f"{name} must be a list, not {type(value).__name__}")
    return [_node(item, kind, f"{name}[{index}]") for index, item in enumerate(value)]


def _node(value: object, kind: Scalar | Schema, name: str) -> Node:
    if isinstance(kind, str):
        return _SHAPED_SCALARS[kind](value, name)
    if not isinstance(value, Mapping):
        raise ParamError(f"{name} must be a dict, not {type(value).__name__}")
    unknown = sorted(set(value) - set(kind))
    if unknown:
        raise ParamError(f"{name} has unknown key(s) {unknown}; known: {list(kind)}")
    children: list[tuple[str, Node]] = []
    for element, member in kind.items():
        if value.get(element) is None:
            continue
        child = shaped(value[element], member, f"{name}.{element}")
        if isinstance(child, list):
            children.extend((element, item) for item in child)
        else:
            children.append((element, child))
    return Fragment(children)


def iso_timestamp(value: object, name: str) -> str:
    """A timestamp inside an XML body, in ISO 8601; a str is sent as given."""
    if isinstance(value, str):
        return value
    import datetime as dt

    if not isinstance(value, dt.datetime) or value.tzinfo is None:
        raise ParamError(f"{name} must be a timezone-aware datetime or a str")
    return value.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def records(values: object, fields: tuple[Field, ...], name: str) -> list[dict[str, str]]:
    """A list parameter of dicts: each checked against its fields and formatted for the body."""
    if isinstance(values, str | bytes | Mapping) or not isinstance(values, Iterable):
        raise ParamError(f"{name} must be a list of dicts, not {type(values).__name__}")
    known = {field for field, _, _ in fields}
    formatted = []
    for index, item in enumerate(values):
        where = f"{name}[{index}]"
        if not isinstance(item, Mapping):
            raise ParamError(f"{where} must be a dict, not {type(item).__name__}")
        unknown = sorted(set(item) - known)
        if unknown:
            raise ParamError(f"{where} has unknown key(s) {unknown}; known: {sorted(known)}")
        record = {}
        for field, kind, required in fields:
            value = item.get(field)
            if value is None:
                if required:
                    raise ParamError(f"{where} needs {field!r}")
                continue
            record[field] = _FORMATS[kind](value, f"{where}.{field}")
        formatted.append(record)
    return formatted


def entries(values: object, name: str) -> list[dict[str, str]]:
    """A map parameter rendered as repeated elements: one {key, value} item per entry."""
    return [{"key": key, "value": value} for key, value in prefixed(values, "", name).items()]


_FORMATS = {"str": text, "int": integer, "bool": boolean}
_SHAPED_SCALARS = {**_FORMATS, "timestamp": iso_timestamp}
