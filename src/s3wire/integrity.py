"""Checking that object data arrived intact, and digests that let S3 check what it receives:
the one home of s3wire's MD5 and CRC32 (digest_of, base64_digest, stream_digest) and of the
stream helpers they read with (stream_chunks; bytes_left, the size of a stream's rest).

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
from collections.abc import Iterable, Iterator, Mapping
from typing import IO, Protocol

from .errors import ChecksumError
from .localfile import local_file

_MD5_ETAG = r'"?([0-9a-fA-F]{32})"?'  # matched whole; compiled by re on first use
# A stream is read this much at a time for its MD5: as fast as bigger reads, and many threads
# hashing small files at once stay light (bench/transfers.py, folders).
_CHUNK = 64 * 1024


class _Crc32:
    """zlib.crc32 behind the update/digest face of hashlib's objects."""

    __slots__ = ("value",)

    def __init__(self) -> None:
        self.value = 0

    def update(self, data: bytes | memoryview) -> None:
        self.value = zlib.crc32(data, self.value)

    def digest(self) -> bytes:
        return self.value.to_bytes(4, "big")


class _Digest(Protocol):
    def update(self, data: bytes | memoryview, /) -> None: ...
    def digest(self) -> bytes: ...


def new_digest(algorithm: str) -> _Digest:
    """A fresh digest: "crc32" (zlib's), or hashlib's algorithm of that name ("md5", ...)."""
    if algorithm == "crc32":
        return _Crc32()
    import hashlib  # imported by the first digest, not by building a client

    return hashlib.new(algorithm)


def digest_of(chunks: Iterable[bytes | memoryview], algorithm: str = "md5") -> bytes:
    """The digest of the bytes `chunks` give, in order (`.hex()` for an ETag's MD5)."""
    digest = new_digest(algorithm)
    for chunk in chunks:
        digest.update(chunk)
    return digest.digest()


def base64_digest(chunks: Iterable[bytes | memoryview], algorithm: str = "md5") -> str:
    """The digest as S3's headers carry it (Content-MD5, x-amz-checksum-crc32): base64."""
    return _base64(digest_of(chunks, algorithm))


def _base64(raw: bytes) -> str:
    import base64

    return base64.b64encode(raw).decode("ascii")


def stream_chunks(stream: IO[bytes]) -> Iterator[bytes]:
    """A stream's bytes from where it stands to its end, a chunk at a time."""
    return iter(lambda: stream.read(_CHUNK), b"")


def bytes_left(stream: IO[bytes]) -> int:
    """How many bytes a stream holds from where it stands to its end (none when it stands past
    the end); the position is kept. A stream that cannot tell or seek raises as it does
    (OSError, ValueError, AttributeError)."""
    start = stream.tell()
    end = stream.seek(0, io.SEEK_END)
    stream.seek(start, io.SEEK_SET)
    return max(0, end - start)


def stream_digest(stream: IO[bytes], algorithm: str = "md5") -> str:
    """The base64 digest of a seekable stream's remaining bytes (a Content-MD5 or
    x-amz-checksum-crc32 value); the position is kept. A failing read is a LocalFileError."""
    with local_file("cannot read the body", stream):
        start = stream.tell()
        value = base64_digest(stream_chunks(stream), algorithm)
        stream.seek(start, io.SEEK_SET)
    return value


# The full-object checksums checked: header -> the algorithm (hashlib's name, or zlib's crc32).
_CHECKSUMS = {
    "x-amz-checksum-crc32": "crc32",
    "x-amz-checksum-sha1": "sha1",
    "x-amz-checksum-sha256": "sha256",
}


class ObjectCheck:
    """The checks one answer's bytes must pass, fed as they arrive: every full-object checksum
    the answer gives that the standard library computes, and the ETag when it is an MD5.
    Nothing is checked for a range (206 or Content-Range), a part, or a non-200 answer."""

    __slots__ = ("_digests", "_md5")

    def __init__(self, status: int, headers: Mapping[str, str]) -> None:
        self._digests: list[tuple[str, str, _Digest]] = []
        self._md5: tuple[str, _Digest] | None = None
        if status != 200 or "Content-Range" in headers:
            return
        full_object = headers.get("x-amz-checksum-type", "FULL_OBJECT").upper() == "FULL_OBJECT"
        for header, algorithm in _CHECKSUMS.items():
            expected = headers.get(header)
            if expected and full_object and "-" not in expected:
                digest = new_digest(algorithm)
                self._digests.append((algorithm.upper(), expected.strip(), digest))
        md5 = md5_etag(headers)
        if md5 is not None:
            self._md5 = (md5, new_digest("md5"))

    def update(self, data: bytes | memoryview) -> None:
        for _, _, digest in self._digests:
            digest.update(data)
        if self._md5 is not None:
            self._md5[1].update(data)

    def verify(self) -> None:
        """Raise ChecksumError when the bytes fed so far differ from a checksum or the MD5."""
        for name, expected, digest in self._digests:
            if _base64(digest.digest()) != expected:
                raise ChecksumError(f"the object's {name} checksum does not match")
        if self._md5 is not None and self._md5[1].digest().hex() != self._md5[0]:
            raise ChecksumError("the object's bytes do not match its ETag (MD5)")


def check_object(status: int, headers: Mapping[str, str], body: bytes) -> None:
    """Raise ChecksumError when a whole object's bytes differ from a checksum its answer gives."""
    check = ObjectCheck(status, headers)
    check.update(body)
    check.verify()


def md5_etag(headers: Mapping[str, str]) -> str | None:
    """The object's MD5 (lowercase hex) when its ETag is one: not a multipart ETag, not encrypted
    with SSE-KMS or a customer key (whose ETags are not MD5s). None otherwise."""
    match = re.fullmatch(_MD5_ETAG, headers.get("ETag", "").strip())
    if match is None:
        return None
    encryption = headers.get("x-amz-server-side-encryption", "").lower()
    if encryption.startswith("aws:kms") or "x-amz-server-side-encryption-customer-algorithm" in (
        headers
    ):
        return None
    return match.group(1).lower()
