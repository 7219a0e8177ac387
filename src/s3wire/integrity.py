"""Checking that object data arrived intact, and digests that let S3 check what it receives.

A whole-object answer (200, no Content-Range) of an operation whose body is data (GetObject)
is checked against every checksum it carries that the standard library can compute:
x-amz-checksum-crc32, -sha1 and -sha256 when they cover the full object, and the ETag when it
is an object's MD5 (a single-part upload without SSE-KMS or SSE-C encryption). Ranges, parts,
composite (multipart) checksums, CRC32C and CRC64NVME are not checked.
"""

from __future__ import annotations

import io
import re
import zlib
from collections.abc import Mapping
from typing import IO

from .errors import ChecksumError

_MD5_ETAG = re.compile(r'^"?([0-9a-fA-F]{32})"?$')
_CHUNK = 1024 * 1024
# The full-object checksums checked: header -> the algorithm (hashlib's name, or zlib's crc32).
_CHECKSUMS = {
    "x-amz-checksum-crc32": "crc32",
    "x-amz-checksum-sha1": "sha1",
    "x-amz-checksum-sha256": "sha256",
}


def check_object(status: int, headers: Mapping[str, str], body: bytes) -> None:
    """Raise ChecksumError when a whole object's bytes differ from a checksum its answer gives."""
    if status != 200 or "Content-Range" in headers:
        return
    import base64  # imported by the first answer checked, not by building a client
    import hashlib

    full_object = headers.get("x-amz-checksum-type", "FULL_OBJECT").upper() == "FULL_OBJECT"
    for header, algorithm in _CHECKSUMS.items():
        expected = headers.get(header)
        if expected and full_object and "-" not in expected:
            if algorithm == "crc32":
                digest = zlib.crc32(body).to_bytes(4, "big")
            else:
                digest = hashlib.new(algorithm, body).digest()
            if base64.b64encode(digest).decode("ascii") != expected.strip():
                raise ChecksumError(f"the object's {header[15:].upper()} checksum does not match")
    md5 = md5_etag(headers)
    if md5 is not None and hashlib.md5(body).hexdigest() != md5:
        raise ChecksumError("the object's bytes do not match its ETag (MD5)")


def md5_etag(headers: Mapping[str, str]) -> str | None:
    """The object's MD5 (lowercase hex) when its ETag is one: not a multipart ETag, not encrypted
    with SSE-KMS or a customer key (whose ETags are not MD5s). None otherwise."""
    match = _MD5_ETAG.match(headers.get("ETag", "").strip())
    if match is None:
        return None
    encryption = headers.get("x-amz-server-side-encryption", "").lower()
    if encryption.startswith("aws:kms") or "x-amz-server-side-encryption-customer-algorithm" in (
        headers
    ):
        return None
    return match.group(1).lower()


def stream_md5(stream: IO[bytes]) -> str:
    """The Content-MD5 value of a seekable stream's remaining bytes; the position is kept."""
    import base64
    import hashlib

    start = stream.tell()
    digest = hashlib.md5()
    for chunk in iter(lambda: stream.read(_CHUNK), b""):
        digest.update(chunk)
    stream.seek(start, io.SEEK_SET)
    return base64.b64encode(digest.digest()).decode("ascii")
