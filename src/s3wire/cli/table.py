"""--output table: rows of a listing as aligned columns, anything else as path/value pairs."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Listing:
    """Where an answer's rows are (lists under its root element) and the columns to show.

    With several lists (versions and delete markers), a first column `Type` says which.
    """

    root: str
    lists: tuple[str, ...]
    columns: tuple[str, ...]


LISTINGS: tuple[Listing, ...] = (
    Listing("ListAllMyBucketsResult", ("Buckets.Bucket",), ("Name", "CreationDate")),
    Listing("ListAllMyDirectoryBucketsResult", ("Buckets.Bucket",), ("Name", "CreationDate")),
    Listing("ListBucketResult", ("Contents",), ("Key", "Size", "LastModified", "StorageClass")),
    Listing(
        "ListVersionsResult",
        ("Version", "DeleteMarker"),
        ("Key", "VersionId", "IsLatest", "Size", "LastModified"),
    ),
    Listing("ListPartsResult", ("Part",), ("PartNumber", "Size", "ETag", "LastModified")),
    Listing("ListMultipartUploadsResult", ("Upload",), ("Key", "UploadId", "Initiated")),
)


def listing_rows(response: Mapping[str, Any]) -> list[dict[str, Any]] | None:
    """The rows of a listing answer's `response` (see LISTINGS), or None for other answers."""
    for listing in LISTINGS:
        body = response.get(listing.root)
        if not isinstance(body, dict):
            continue
        rows: list[dict[str, Any]] = []
        for path in listing.lists:
            for item in _items(body, path):
                row: dict[str, Any] = {}
                if len(listing.lists) > 1:
                    row["Type"] = path.rsplit(".", 1)[-1]
                row.update({column: item.get(column) for column in listing.columns})
                rows.append(row)
        return rows
    return None


def _items(body: Mapping[str, Any], path: str) -> list[dict[str, Any]]:
    value: Any = body
    for name in path.split("."):
        value = value.get(name) if isinstance(value, dict) else None
    if isinstance(value, dict):
        value = [value]  # an answer parsed without the catalog's shape
    return [item for item in value or () if isinstance(item, dict)]


def render(value: Any) -> str:
    """A table: a list of objects as columns (the fields holding a single value in some row),
    a list of values as one column, an object as path/value rows; a single value as itself."""
    if isinstance(value, list) and all(isinstance(item, dict) for item in value):
        columns = list(dict.fromkeys(k for row in value for k, v in row.items() if _is_scalar(v)))
        return _grid(columns, [[row.get(c) for c in columns] for row in value])
    if isinstance(value, list):
        return _grid(["Value"], [[item] for item in value])
    if isinstance(value, dict):
        return _grid(["Path", "Value"], [[path, item] for path, item in _flatten(value, "")])
    return cell(value)


def _flatten(value: Any, prefix: str) -> Iterator[tuple[str, Any]]:
    """(dotted path, value) for each leaf, with the same paths as --query takes."""
    if isinstance(value, dict | list) and value:
        pairs = value.items() if isinstance(value, dict) else enumerate(value)
        for key, item in pairs:
            yield from _flatten(item, f"{prefix}.{key}" if prefix else str(key))
    else:
        yield prefix, value


def _grid(columns: list[str], rows: list[list[Any]]) -> str:
    texts = [[cell(value) for value in row] for row in rows]
    numeric = [
        bool(rows) and all(isinstance(row[i], int | float) or row[i] is None for row in rows)
        for i in range(len(columns))
    ]
    widths = [max([len(c), *(len(row[i]) for row in texts)]) for i, c in enumerate(columns)]

    def line(values: list[str]) -> str:
        parts = [
            value.rjust(width) if right else value.ljust(width)
            for value, width, right in zip(values, widths, numeric, strict=True)
        ]
        return "  ".join(parts).rstrip()

    rule = ["-" * width for width in widths]
    return "\n".join([line(columns), line(rule), *(line(row) for row in texts)])


def cell(value: Any) -> str:
    """A value as table text: booleans true/false, None empty, control characters escaped."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = json.dumps(value, ensure_ascii=False) if isinstance(value, dict | list) else str(value)
    return text.encode("unicode_escape").decode("ascii") if not text.isprintable() else text


def _is_scalar(value: Any) -> bool:
    return value is not None and not isinstance(value, dict | list)
