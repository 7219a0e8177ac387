"""A raw request's target: `Client.request`'s method, path or URL, checked and placed (no I/O).

A path goes to the connection's host, under its url's path prefix; a URL to the host it names,
which must be the connection's (or a bucket's virtual host under it) unless the caller allows
another, and never over http when the connection is https.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING
from urllib.parse import SplitResult, parse_qsl, unquote, urlsplit

from .. import validate
from ..config import DEFAULT_PORTS, host_header
from ..errors import ParamError
from ..signing import canonical_query, encode_path
from .prepare import Payload, Prepared, payload_body, under_prefix

if TYPE_CHECKING:
    from ..config import Settings

_HOST_NAME = re.compile(r"[a-z0-9._-]+")  # as urlsplit answers it: lowercased


def raw_request(
    settings: Settings,
    method: str,
    path_or_url: str,
    body: Payload | None,
    headers: Mapping[str, str] | None,
    *,
    allow_other_host: bool,
) -> Prepared:
    """The request Client.request sends (see its docstring for the rules)."""
    verb = validate.http_method(method)
    validate.text(path_or_url, "path_or_url")
    _check_no_controls(path_or_url)
    if "#" in path_or_url:
        raise ParamError(
            "path_or_url holds '#', which starts a URL fragment that is never sent; write "
            "'%23' for a '#' in a key"
        )
    if headers is not None and not isinstance(headers, Mapping):
        raise ParamError(f"headers must be a mapping of str to str, not {type(headers).__name__}")
    split = _split_url(path_or_url)
    scheme, host = settings.scheme, settings.netloc
    path = unquote(split.path) or "/"
    if split.scheme or split.netloc:
        scheme, host = _url_target(settings, split, allow_other_host)
    elif not path_or_url.startswith("/"):
        raise ParamError("path_or_url must start with '/' or be an http(s) URL")
    else:  # a path is under the connection's path prefix; a URL is sent as it is
        path = under_prefix(settings.path_prefix, path)
    pairs = parse_qsl(split.query, keep_blank_values=True)
    return Prepared(
        verb,
        None,
        scheme,
        host,
        encode_path(path),
        canonical_query(pairs),
        dict(headers or {}),
        None if body is None else payload_body(body),
    )


def _url_target(settings: Settings, split: SplitResult, allow_other_host: bool) -> tuple[str, str]:
    """The scheme and Host header a URL names, checked against the connection."""
    scheme, hostname, port = _url_parts(split)
    if scheme == "http" and settings.scheme == "https":
        raise ParamError(
            "path_or_url is an http URL on an https connection: refused, it would send the "
            "signature (and any session token) in plain text"
        )
    own = urlsplit(settings.url)
    own_host, own_port = own.hostname or "", own.port or DEFAULT_PORTS[own.scheme]
    is_own = port == own_port and (hostname == own_host or hostname.endswith("." + own_host))
    if not allow_other_host and not is_own:
        raise ParamError(
            f"path_or_url names host {host_header(scheme, hostname, None)} port {port}, not "
            f"the connection's ({host_header(own.scheme, own_host, None)} port {own_port}, "
            "or a bucket under it); pass allow_other_host=True to send the request there"
        )
    return scheme, host_header(scheme, hostname, port)


def _check_no_controls(path_or_url: str) -> None:
    """No control characters: URL parsing would drop some of them (tab, CR, LF) silently."""
    bad = next((i for i, c in enumerate(path_or_url) if ord(c) < 0x20 or ord(c) == 0x7F), None)
    if bad is not None:
        raise ParamError(
            f"path_or_url holds a control character at index {bad}: percent-encode it "
            "(for example %0A for a line break)"
        )


def _split_url(path_or_url: str) -> SplitResult:
    try:
        return urlsplit(path_or_url)
    except ValueError:
        raise ParamError("path_or_url is not a path or URL (a bracket is unclosed)") from None


def _url_parts(split: SplitResult) -> tuple[str, str, int]:
    """A URL's scheme, host name (lowercased, IPv6 without brackets) and port."""
    if split.scheme not in DEFAULT_PORTS or not split.hostname:
        raise ParamError("path_or_url must be a path or an http(s) URL with a host")
    if split.username is not None or split.password is not None:
        raise ParamError("path_or_url must not carry credentials (user:password@)")
    try:
        port = split.port
    except ValueError:
        raise ParamError("path_or_url has a bad port") from None
    hostname = split.hostname
    if ":" not in hostname and not _HOST_NAME.fullmatch(hostname):
        raise ParamError(
            f"path_or_url names a bad host name {hostname!r}: letters, digits, '.', '-' and '_'"
        )
    return split.scheme, hostname, port or DEFAULT_PORTS[split.scheme]
