"""Refusing bad input before anything is sent: bucket names, keys, headers, query values, parts.

Each check raises ParamError naming the parameter (or the header it becomes) and the rule.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from .errors import ParamError
from .signing import SIGNER_HEADERS

MAX_KEY_BYTES = 1024
MAX_PART_NUMBER = 10_000
# What any S3 server may hold, legacy us-east-1 names included (as botocore allows).
# Patterns are matched whole (fullmatch): "$" would also match before a trailing newline.
_ANY_BUCKET = re.compile(r"[A-Za-z0-9._-]{1,255}")
# S3's rules for new buckets, which also make the name usable as a DNS label.
_NEW_BUCKET = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")
_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
_HEADER_VALUE = re.compile(r"[\t\x20-\x7e]*")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_SHOWN = 64  # characters of a bad value quoted in a message


def bucket_name(name: str, *, strict: bool) -> None:
    """A bucket name: 1 to 255 letters, digits, '.', '-' and '_' (legacy names included); with
    `strict` (creating a bucket, or a name that goes in the host name), S3's rules for new
    buckets: 3 to 63 lowercase letters, digits, '.' and '-', a letter or digit at each end, no
    '..', not an IP address."""
    if not _ANY_BUCKET.fullmatch(name):
        raise ParamError(
            f"bucket {_shown(name)} is not a valid bucket name: 1 to 255 letters, digits, "
            "'.', '-' and '_'"
        )
    if not strict:
        return
    rule = (
        "3 to 63 lowercase letters, digits, '.' and '-', starting and ending with a letter or digit"
    )
    if _NEW_BUCKET.fullmatch(name):
        rule = "no '..'" if ".." in name else "not an IP address" if _is_ip_address(name) else ""
    if rule:
        raise ParamError(f"bucket {_shown(name)} is not a valid bucket name (S3's rules: {rule})")


def object_key(key: object, name: str = "key") -> None:
    """An object key: a non-empty str of valid Unicode, at most 1024 bytes in UTF-8, without NUL.

    NUL ("\\x00") is refused: XML 1.0, which listings and DeleteObjects carry keys in, cannot
    hold it, so no listing could name such an object (radosgw refuses the key with 400). Other
    control characters are keys S3 holds, and are sent. The same rule holds wherever a key or a
    part of one is sent: copy sources (`_wire.copy_source`), query values such as prefix and
    start_after (`query_text`), and DeleteObjects' keys (`xmljson.render`).
    """
    if not isinstance(key, str) or not key:
        raise ParamError(f"{name} must be a non-empty str; got {_shown(key)}")
    if not _is_unicode(key):
        raise ParamError(f"{name} must be valid Unicode text (it holds a lone surrogate)")
    if "\x00" in key:
        raise ParamError(f"{name} must not hold NUL (\\x00, at {key.index(chr(0))}): {_shown(key)}")
    size = len(key.encode("utf-8"))
    if size > MAX_KEY_BYTES:
        raise ParamError(f"{name} must be at most {MAX_KEY_BYTES} bytes in UTF-8; it has {size}")


def header_fields(headers: Mapping[str, str]) -> None:
    """Header names are HTTP tokens, each given once (case aside), none of those the signer
    sets (host, authorization, x-amz-date, x-amz-content-sha256, x-amz-security-token); values
    are printable ASCII (tabs allowed): anything else is not signed as sent, or splits the
    request. A bad value is described (what and where), never quoted: it may be a secret."""
    seen: set[str] = set()
    for name, value in headers.items():
        if not isinstance(name, str) or not _TOKEN.fullmatch(name):
            raise ParamError(f"header name {_shown(name)} is not an HTTP token")
        if name.lower() in SIGNER_HEADERS:
            raise ParamError(f"header {name} is set by the signer for each request: do not give it")
        if name.lower() in seen:
            raise ParamError(f"header {name} is given twice (header names ignore case)")
        seen.add(name.lower())
        header_value(value, f"header {name}")


def text(value: object, name: str) -> None:
    """A str of valid Unicode (no lone surrogates)."""
    if not isinstance(value, str):
        raise ParamError(f"{name} must be a str, not {type(value).__name__}")
    if not _is_unicode(value):
        raise ParamError(f"{name} must be valid Unicode text (it holds a lone surrogate)")


def query_text(pairs: Iterable[tuple[str, str]]) -> None:
    """Query names and values are valid Unicode (no lone surrogates: they have no UTF-8 form)
    without NUL: prefix, start_after, the markers... select keys, which never hold NUL (see
    `object_key`), and a listing echoing such a value is not XML (radosgw writes "&#x00;")."""
    for name, value in pairs:
        if not (_is_unicode(name) and _is_unicode(value)):
            raise ParamError(f"query parameter {_shown(name)} must be valid Unicode text")
        if "\x00" in name or "\x00" in value:
            raise ParamError(f"query parameter {_shown(name)} must not hold NUL (\\x00)")


def part_numbers(pairs: Iterable[tuple[str, str]], values: Mapping[str, object] | None) -> None:
    """Part numbers, in the query (part_number) or in a body's list of parts, are 1 to 10000."""
    for name, value in pairs:
        if name == "partNumber":
            _part_number(value, "part_number")
    for name, items in (values or {}).items():
        if isinstance(items, list):
            for index, item in enumerate(items):
                if isinstance(item, Mapping) and "part_number" in item:
                    _part_number(str(item["part_number"]), f"{name}[{index}].part_number")


def _part_number(text: str, name: str) -> None:
    if not (text.isascii() and text.isdigit() and 1 <= int(text) <= MAX_PART_NUMBER):
        raise ParamError(f"{name} must be 1 to {MAX_PART_NUMBER}; got {text}")


def _is_ip_address(name: str) -> bool:
    import ipaddress  # only names that may be addresses are checked

    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def _is_unicode(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _shown(value: object) -> str:
    """A value's repr for a message, cut short."""
    text = repr(value)
    return text if len(text) <= _SHOWN else text[: _SHOWN - 3] + "..."


# --- values that may be secrets: described, never quoted --------------------------------------


def header_value(value: object, name: str) -> None:
    """A value that goes in a header (`name` says which): a str of printable ASCII, tabs allowed.

    The message says what is wrong and where, without the value (it may be a secret).
    """
    if not isinstance(value, str):
        raise ParamError(f"{name} must be a str, not {type(value).__name__}")
    if not _HEADER_VALUE.fullmatch(value):
        index, char = next((i, c) for i, c in enumerate(value) if not _HEADER_VALUE.fullmatch(c))
        raise ParamError(
            f"{name} must be printable ASCII, tabs allowed; it holds {_described(char)} at "
            f"index {index}"
        )


def secret_text(value: str, name: str) -> None:
    """A secret that is signed with but not sent (the secret key): valid Unicode text without
    control characters (a line break read from a file with it, say). Never quoted."""
    if not _is_unicode(value):
        raise ParamError(f"{name} must be valid Unicode text (it holds a lone surrogate)")
    found = _CONTROL.search(value)
    if found:
        raise ParamError(f"{name} holds {_described(found.group())} at index {found.start()}")


def http_method(method: object) -> str:
    """An HTTP method: an HTTP token (GET, PUT, a custom verb...); answered uppercased."""
    if not isinstance(method, str) or not _TOKEN.fullmatch(method):
        raise ParamError(f"method {_shown(method)} is not an HTTP token (GET, PUT, ...)")
    return method.upper()


def _described(char: str) -> str:
    """What a character a header cannot carry is, without showing it."""
    if char in "\r\n":
        return "a line break"
    if char.isascii():
        return f"a control character (U+{ord(char):04X})"
    return "a non-ASCII character"
