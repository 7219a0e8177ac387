"""Presigned URLs: links that let anyone holding one make one kind of request until it expires."""

from __future__ import annotations

from collections.abc import Mapping

from . import validate
from ._base import BaseClient, _check_bucket, _check_key
from ._wire import prefixed
from .errors import ParamError
from .signing import MAX_PRESIGN_EXPIRES, encode_path

METHODS = ("GET", "PUT", "HEAD", "DELETE", "POST")
_AUTH_PREFIX = "x-amz-"


def presigned_url(
    client: BaseClient,
    method: str,
    bucket: str,
    key: str,
    expires: int = 3600,
    headers: Mapping[str, str] | None = None,
    params: Mapping[str, str] | None = None,
) -> str:
    """A URL for `method` on bucket/key, valid for `expires` seconds (1 to 604800).

    `params` are extra query parameters (versionId, response-content-type, ...), `headers` the
    headers the requester promises to send, with these values (they are signed; checked as a
    request's headers are, so none of host, authorization, x-amz-date...). The URL holds
    a signature: treat it as a secret for as long as it is valid.
    """
    verb = _check_method(method)
    _check_expires(expires)
    _check_bucket(bucket)
    _check_key(key)
    signed = prefixed(headers or {}, "", "headers")
    validate.header_fields(signed)
    query = prefixed(params or {}, "", "params")
    if any(name.lower().startswith(_AUTH_PREFIX) for name in query):
        raise ParamError("params must not hold X-Amz-* names; the signature adds its own")
    host, raw_path = client._locate(bucket, key)
    path = encode_path(raw_path)
    signature = client._signer_for(client.region)[1].presign(
        verb, host, path, query.items(), expires, headers=signed
    )
    return f"{client._scheme}://{host}{path}?{signature}"


def _check_method(method: object) -> str:
    verb = method.upper() if isinstance(method, str) else method
    if verb not in METHODS:
        raise ParamError(f"method must be one of {', '.join(METHODS)}; got {method!r}")
    return str(verb)


def _check_expires(expires: object) -> None:
    if isinstance(expires, bool) or not isinstance(expires, int):
        raise ParamError(f"expires must be an int (seconds), not {type(expires).__name__}")
    if not 1 <= expires <= MAX_PRESIGN_EXPIRES:
        raise ParamError(
            f"expires must be 1 to {MAX_PRESIGN_EXPIRES} seconds (7 days); got {expires}"
        )
