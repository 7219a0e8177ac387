"""ObjectArgs: what a caller sets on a transfer's object (headers stored with it, storage class,
ACL, tags, server-side encryption, requester-pays, expected owner), checked once and mapped onto
the generated operations' keyword arguments for each request of the transfer.

Which request gets what: CreateMultipartUpload and PutObject the whole set; UploadPart,
CompleteMultipartUpload, HeadObject and every GetObject the SSE-C key, request-payer and expected
owner (`each_request`); AbortMultipartUpload request-payer and expected owner.
"""

from __future__ import annotations

import base64
import json
import mimetypes
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from .._generated.records import (
    ACL_VALUES,
    REQUEST_PAYER_VALUES,
    SERVER_SIDE_ENCRYPTION_VALUES,
    STORAGE_CLASS_VALUES,
    Acl,
    RequestPayer,
    ServerSideEncryption,
    StorageClass,
)
from .._wire import Timestamp
from ..errors import ParamError
from ..integrity import base64_digest

SSE_C_KEY_BYTES = 32  # SSE-C is AES-256: a 256-bit key
_TEXT_FIELDS = (
    "cache_control",
    "content_disposition",
    "content_encoding",
    "content_language",
    "sse_kms_key_id",
    "expected_bucket_owner",
)
_CHOICES: dict[str, tuple[str, ...]] = {
    "storage_class": STORAGE_CLASS_VALUES,
    "acl": ACL_VALUES,
    "server_side_encryption": SERVER_SIDE_ENCRYPTION_VALUES,
    "request_payer": REQUEST_PAYER_VALUES,
}


@dataclass(frozen=True, kw_only=True)
class ObjectArgs:
    """Options for upload_file, download_file, copy_file and the folder helpers, as boto3's
    ExtraArgs but typed and checked when built (ParamError naming the field).

    tagging becomes the URL-encoded x-amz-tagging header (content type and metadata are
    upload_file's own keywords).
    sse_customer_key (SSE-C) is the raw 32-byte key (bytes, or text encoded as UTF-8): it is
    base64-encoded and its MD5 computed here, and it never appears in a repr or an error.
    copy_source_sse_customer_key is the SSE-C key of a copy's source object.
    """

    cache_control: str | None = None
    content_disposition: str | None = None
    content_encoding: str | None = None
    content_language: str | None = None
    expires: Timestamp | None = None
    storage_class: StorageClass | None = None
    acl: Acl | None = None
    tagging: Mapping[str, str] | None = None
    server_side_encryption: ServerSideEncryption | None = None
    sse_kms_key_id: str | None = None
    sse_kms_encryption_context: Mapping[str, str] | None = None
    bucket_key_enabled: bool | None = None
    sse_customer_key: bytes | str | None = field(default=None, repr=False)
    copy_source_sse_customer_key: bytes | str | None = field(default=None, repr=False)
    request_payer: RequestPayer | None = None
    expected_bucket_owner: str | None = None

    def __post_init__(self) -> None:
        for name in _TEXT_FIELDS:
            value = getattr(self, name)
            if value is not None and not isinstance(value, str):
                raise ParamError(f"{name} must be a str, not {type(value).__name__}")
        for name, allowed in _CHOICES.items():
            value = getattr(self, name)
            if value is not None and value not in allowed:
                raise ParamError(f"{name} must be one of {', '.join(allowed)}, not {value!r}")
        if self.bucket_key_enabled is not None and not isinstance(self.bucket_key_enabled, bool):
            raise ParamError("bucket_key_enabled must be a bool")
        _check_pairs("tagging", self.tagging, key_limit=128, value_limit=256)
        _check_pairs(
            "sse_kms_encryption_context",
            self.sse_kms_encryption_context,
            key_limit=None,
            value_limit=None,
        )
        _customer_key("sse_customer_key", self.sse_customer_key)
        _customer_key("copy_source_sse_customer_key", self.copy_source_sse_customer_key)
        if self.sse_customer_key is not None and self.server_side_encryption is not None:
            raise ParamError("sse_customer_key and server_side_encryption exclude each other")

    def creating(self) -> dict[str, Any]:
        """Keyword arguments for PutObject and CreateMultipartUpload."""
        kwargs: dict[str, Any] = {
            "cache_control": self.cache_control,
            "content_disposition": self.content_disposition,
            "content_encoding": self.content_encoding,
            "content_language": self.content_language,
            "expires": self.expires,
            "storage_class": self.storage_class,
            "acl": self.acl,
            "tagging": _query(self.tagging) if self.tagging else None,
            "server_side_encryption": self.server_side_encryption,
            "sse_kms_key_id": self.sse_kms_key_id,
            "sse_kms_encryption_context": _kms_context(self.sse_kms_encryption_context),
            "bucket_key_enabled": self.bucket_key_enabled,
        }
        return {**_present(kwargs), **self.each_request()}

    def each_request(self) -> dict[str, Any]:
        """Keyword arguments for UploadPart, CompleteMultipartUpload, HeadObject and GetObject:
        the SSE-C key, request-payer and expected owner."""
        return {**self.abort_args(), **_sse_c("", self.sse_customer_key)}

    def abort_args(self) -> dict[str, Any]:
        """Keyword arguments for AbortMultipartUpload: request-payer and expected owner."""
        return _present(
            {
                "request_payer": self.request_payer,
                "expected_bucket_owner": self.expected_bucket_owner,
            }
        )

    def copy_source(self) -> dict[str, Any]:
        """Keyword arguments naming a copy source's SSE-C key (CopyObject, UploadPartCopy)."""
        return _sse_c("copy_source_", self.copy_source_sse_customer_key)

    def source_reads(self) -> dict[str, Any]:
        """Keyword arguments for the HeadObject of a copy's source: its SSE-C key, request-payer
        and expected owner."""
        return {**self.abort_args(), **_sse_c("", self.copy_source_sse_customer_key)}


def content_type_for(source: object, content_type: str | None) -> str | None:
    """The Content-Type to send: the given one ("": none), or for None the media type that
    mimetypes guesses from the source's name (a path, or a file object's `name`), none when
    it guesses nothing."""
    if content_type is not None:
        if not isinstance(content_type, str):
            kind = type(content_type).__name__
            raise ParamError(f"content_type must be a str or None, not {kind}")
        return content_type or None
    name = source if isinstance(source, str | os.PathLike) else getattr(source, "name", None)
    if not isinstance(name, str | os.PathLike):
        return None
    return mimetypes.guess_type(os.fspath(name), strict=False)[0]


def check_metadata(metadata: Mapping[str, str] | None) -> None:
    """User metadata: str to str, each key a valid header name (sent as x-amz-meta-KEY, which
    S3 stores lowercased) and each value printable ASCII that HTTP carries as it is."""
    _check_pairs("metadata", metadata, key_limit=None, value_limit=None)
    for name in metadata or ():
        if not all(_token_char(c) for c in name):
            raise ParamError(
                f"metadata key {name!r} is not a valid header name "
                "(ASCII letters, digits and !#$%&'*+-.^_`|~ only)"
            )
    seen: set[str] = set()
    for name, value in (metadata or {}).items():
        if name.lower() in seen:
            raise ParamError(f"metadata key {name!r} differs from another only in case")
        seen.add(name.lower())
        if not all(c == "\t" or " " <= c <= "~" for c in value) or value != value.strip(" \t"):
            raise ParamError(
                f"metadata value of key {name!r} must be printable ASCII, "
                "with no space or tab at either end (HTTP would drop them)"
            )


def _present(kwargs: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in kwargs.items() if value is not None}


def _check_pairs(
    name: str,
    pairs: Mapping[str, str] | None,
    *,
    key_limit: int | None,
    value_limit: int | None,
) -> None:
    """A mapping of str to str, each key non-empty and within its limit (characters)."""
    if pairs is None:
        return
    if not isinstance(pairs, Mapping):
        raise ParamError(f"{name} must be a mapping of str to str")
    for key, value in pairs.items():
        if not isinstance(key, str) or not key:
            raise ParamError(f"{name} keys must be non-empty str, not {key!r}")
        if not isinstance(value, str):
            raise ParamError(f"{name} value of key {key!r} must be a str")
        if key_limit is not None and len(key) > key_limit:
            raise ParamError(f"{name} key {key!r} is longer than {key_limit} characters")
        if value_limit is not None and len(value) > value_limit:
            raise ParamError(f"{name} value of key {key!r} is longer than {value_limit} characters")


def _token_char(char: str) -> bool:
    return char.isascii() and (char.isalnum() or char in "!#$%&'*+-.^_`|~")


def _customer_key(name: str, key: bytes | str | None) -> None:
    if key is None:
        return
    if not isinstance(key, bytes | str):
        raise ParamError(f"{name} must be bytes or str")
    if len(_raw(key)) != SSE_C_KEY_BYTES:
        raise ParamError(f"{name} must be {SSE_C_KEY_BYTES} bytes (an AES-256 key)")


def _raw(key: bytes | str) -> bytes:
    return key.encode() if isinstance(key, str) else key


def _sse_c(prefix: str, key: bytes | str | None) -> dict[str, Any]:
    """The three SSE-C arguments (algorithm, base64 key, base64 MD5 of the key), or none."""
    if key is None:
        return {}
    raw = _raw(key)
    return {
        f"{prefix}sse_customer_algorithm": "AES256",
        f"{prefix}sse_customer_key": base64.b64encode(raw).decode(),
        f"{prefix}sse_customer_key_md5": base64_digest((raw,), "md5"),
    }


def _query(pairs: Mapping[str, str]) -> str:
    """Tags as S3 takes them: key=value pairs joined by &, each side percent-encoded."""
    return "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in pairs.items())


def _kms_context(context: Mapping[str, str] | None) -> str | None:
    """The KMS encryption context as S3 takes it: base64 of its JSON."""
    if not context:
        return None
    return base64.b64encode(json.dumps(dict(context)).encode()).decode()


NO_ARGS = ObjectArgs()  # no options: what a transfer sends when given none
