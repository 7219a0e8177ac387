"""Presigned URLs: links that let anyone holding one make one kind of request until it expires."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from .. import validate
from .._wire import prefixed
from ..errors import ParamError
from ..signing import MAX_PRESIGN_EXPIRES, Signer, encode_path
from .prepare import check_bucket, locate

if TYPE_CHECKING:
    from ..config import Settings

METHODS = ("GET", "PUT", "HEAD", "DELETE", "POST")
_AUTH_PREFIX = "x-amz-"


def presigned_url(
    settings: Settings,
    signer: Signer,
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
    check_bucket(bucket)
    validate.object_key(key)
    signed = prefixed(headers or {}, "", "headers")
    validate.header_fields(signed)
    query = prefixed(params or {}, "", "params")
    if any(name.lower().startswith(_AUTH_PREFIX) for name in query):
        raise ParamError("params must not hold X-Amz-* names; the signature adds its own")
    place = locate(settings, bucket, key)
    if place.express_session:
        raise ParamError(
            f"presigned URLs for S3 Express directory bucket {bucket!r} are not supported: "
            "they need a CreateSession session's keys"
        )
    if place.signing_region is not None:
        signer = signer.for_scope(place.signing_region, place.signing_name or signer.service)
    host, path = place.host, encode_path(place.path)
    signature = signer.presign(verb, host, path, query.items(), expires, headers=signed)
    return f"{settings.scheme}://{host}{path}?{signature}"


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
