"""A small YAML emitter for JSON-like data (dicts, lists, str, int, float, bool, None).

Block style; a string is written plain only when it cannot be read back as anything else,
otherwise double-quoted with JSON's escapes (a subset of YAML's). No PyYAML at run time.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from typing import Any

_PLAIN = re.compile(r"[A-Za-z_][A-Za-z0-9_./ -]*")
# YAML 1.1 booleans and null (any case): plain, they would not read back as strings.
_RESERVED = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null"})
# Characters YAML does not allow as they are, or reads as line breaks, in a quoted string.
_UNSAFE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]"
)


def dump(value: Any) -> str:
    """The YAML text of a JSON-like value, ending with a newline."""
    return "\n".join(_lines(value)) + "\n"


def _lines(value: Any) -> Iterator[str]:
    if isinstance(value, dict) and value:
        for key, item in value.items():
            yield from _entry(f"{scalar(str(key))}:", item)
    elif isinstance(value, list) and value:
        for item in value:
            yield from _entry("-", item)
    else:
        yield scalar(value)


def _entry(head: str, item: Any) -> Iterator[str]:
    """A mapping entry or a list item: inline when scalar or empty, else nested below."""
    if isinstance(item, dict | list) and item:
        nested = list(_lines(item))
        if head == "-":
            yield f"- {nested[0]}"
            yield from (f"  {line}" for line in nested[1:])
        else:
            yield head
            yield from (f"  {line}" for line in nested)
    else:
        yield f"{head} {scalar(item)}"


def scalar(value: Any) -> str:
    """One value on one line: null, true/false, a number, or a string (quoted when needed)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return ".nan"
        if math.isinf(value):
            return ".inf" if value > 0 else "-.inf"
        text = repr(value)  # YAML 1.1 wants a dot in a float: 1e+300 is written 1.0e+300
        return text.replace("e", ".0e") if "e" in text and "." not in text else text
    if isinstance(value, dict):
        return "{}"
    if isinstance(value, list):
        return "[]"
    text = str(value)
    if _PLAIN.fullmatch(text) and not text.endswith(" ") and text.lower() not in _RESERVED:
        return text
    quoted = json.dumps(text, ensure_ascii=False)
    return _UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", quoted)
