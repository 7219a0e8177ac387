"""Checking that object data arrived intact, and digests that let S3 check what it receives:
the one home of s3wire's digests (digest_of, base64_digest, stream_digest: MD5, SHA-1,
SHA-256, SHA-512, CRC32, CRC32C, CRC64NVME), of the checksum headers an upload carries
(upload_digests) and of the stream helpers they read with (stream_chunks; bytes_left).

A whole-object answer (200, no Content-Range) of an operation whose body is data (GetObject)
is checked, as its bytes arrive, against every full-object checksum it carries
(x-amz-checksum-crc32, -crc32c, -crc64nvme, -sha1, -sha256, -sha512, -md5) and against the
ETag when it is an object's MD5 (a single-part upload without SSE-KMS or SSE-C encryption).
A composite checksum (a multipart upload's: "<base64>-<parts>", x-amz-checksum-type COMPOSITE;
or, with no type, any checksum of an object whose ETag is a multipart one) is a checksum of
the parts' checksums: it cannot be checked from the bytes alone, and is skipped, as is every
checksum of a range or a part (206).
"""

from __future__ import annotations

import io
import re
import zlib
from collections.abc import Iterable, Iterator, Mapping
from typing import IO, Protocol

from ._log import debug
from .errors import ChecksumError
from .localfile import local_file

_MD5_ETAG = r'"?([0-9a-fA-F]{32})"?'  # matched whole; compiled by re on first use
_MULTIPART_ETAG = r'(W/)?"?[0-9a-fA-F]{32}-[0-9]+"?'  # the same
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


# The checksums S3 stores (lowercase, as in x-amz-checksum-<name>) that s3wire computes.
CHECKSUMS = ("crc32", "crc32c", "crc64nvme", "sha1", "sha256", "sha512", "md5")
# Those it computes when the native checksums (the crc extra, awscrt) are installed.
NATIVE_CHECKSUMS = ("xxhash64", "xxhash3", "xxhash128")
_COMPUTED = frozenset(CHECKSUMS)


# The checksums hashlib computes.
_HASHLIB = frozenset({"md5", "sha1", "sha256", "sha512"})
# The size of each digest, in bytes.
_SIZES = {
    "crc32": 4,
    "crc32c": 4,
    "crc64nvme": 8,
    "sha1": 20,
    "sha256": 32,
    "sha512": 64,
    "md5": 16,
    "xxhash64": 8,
    "xxhash3": 8,
    "xxhash128": 16,
}


def base64_size(algorithm: str) -> int:
    """The length of a digest's base64 form."""
    return 4 * -(-_SIZES[algorithm] // 3)


def new_digest(algorithm: str) -> _Digest:
    """A fresh digest: "crc32" (zlib's), "crc32c", "crc64nvme" or an XXHASH
    (s3wire._checksums), or hashlib's algorithm of that name ("md5", "sha256", ...)."""
    if algorithm == "crc32":
        return _Crc32()
    if algorithm in _HASHLIB:
        import hashlib  # imported by the first request with a body, not at build

        return hashlib.new(algorithm)
    from ._checksums import is_crc, is_xxhash, new_crc, new_xxhash  # by the first such digest

    if is_crc(algorithm):
        return new_crc(algorithm)
    if is_xxhash(algorithm):
        return new_xxhash(algorithm)
    import hashlib

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


def base64_digests(chunks: Iterable[bytes | memoryview], algorithms: Iterable[str]) -> list[str]:
    """Several base64 digests of the same bytes, read once."""
    digests = [new_digest(algorithm) for algorithm in algorithms]
    for chunk in chunks:
        for digest in digests:
            digest.update(chunk)
    return [_base64(digest.digest()) for digest in digests]


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


CHECKSUM_HEADER = "x-amz-checksum-"
CHECKSUM_MODE_HEADER = "x-amz-checksum-mode"  # ENABLED: the answer carries stored checksums
# botocore's header naming the checksum it sent; moto stores a checksum only when it is given.
SDK_ALGORITHM_HEADER = "x-amz-sdk-checksum-algorithm"
# Headers of that prefix that carry no checksum.
_NOT_CHECKSUMS = frozenset(CHECKSUM_HEADER + name for name in ("algorithm", "type", "mode"))


def upload_digests(
    body: bytes | IO[bytes],
    headers: Mapping[str, str],
    *,
    required: bool,
    checksum: str | None,
    md5_with_checksum: bool,
) -> dict[str, str]:
    """The digest headers an upload's body gets, beyond those the caller gave (`headers`):

    - a caller's Content-MD5 or x-amz-checksum-* is kept, and another is added only for a
      streamed body with a checksum but no MD5 when `md5_with_checksum`;
    - `checksum` (an algorithm of CHECKSUMS, or None): x-amz-checksum-<it>; the one checksum
      sent is named in x-amz-sdk-checksum-algorithm, as botocore does;
    - Content-MD5 where the operation requires a digest (`required`) and no checksum is sent,
      and on a streamed body (which is not signed) unless a checksum goes with it and not
      `md5_with_checksum` (a server that ignores x-amz-checksum-* still checks the MD5).
    """
    lowered = {name.lower() for name in headers}
    has_md5 = "content-md5" in lowered
    given = [
        name[len(CHECKSUM_HEADER) :]
        for name in lowered
        if name.startswith(CHECKSUM_HEADER) and name not in _NOT_CHECKSUMS
    ]
    has_checksum = bool(given)
    streamed = not isinstance(body, bytes)
    added: dict[str, str] = {}
    if not (has_md5 or has_checksum) and checksum is not None:
        added[CHECKSUM_HEADER + checksum] = _body_digest(body, checksum)
        given, has_checksum = [checksum], True
    if len(given) == 1 and SDK_ALGORITHM_HEADER not in lowered:
        added[SDK_ALGORITHM_HEADER] = given[0].upper()
    if has_md5:
        return added
    if (required and not has_checksum) or (streamed and (md5_with_checksum or not has_checksum)):
        added["Content-MD5"] = _body_digest(body, "md5")
    return added


def _body_digest(body: bytes | IO[bytes], algorithm: str) -> str:
    if isinstance(body, bytes):
        return base64_digest((body,), algorithm)
    return stream_digest(body, algorithm)


def composite_checksum(headers: Mapping[str, str]) -> tuple[str, str] | None:
    """(algorithm, base64 value without its "-N") of an answer's composite checksum, or None."""
    for algorithm in COMPOSITE_CHECKSUMS:
        value = headers.get(CHECKSUM_HEADER + algorithm, "").strip()
        if value and (composite(value) or not full_object(headers)):
            return algorithm, value.rpartition("-")[0] if composite(value) else value
    return None


# The checksums S3 makes composite ones of (CRC64NVME is full-object only).
COMPOSITE_CHECKSUMS = ("crc32", "crc32c", "sha1", "sha256")


def composite(value: str) -> bool:
    """Whether a checksum header's value is a multipart upload's composite one (ends "-N")."""
    head, dash, parts = value.strip().rpartition("-")
    return bool(dash and head and parts.isdigit())


class ObjectCheck:
    """The checks one answer's bytes must pass, fed as they arrive: every full-object checksum
    the answer gives that s3wire computes (the XXHASHes when awscrt is installed), and the
    ETag when it is an MD5. Nothing is checked for a range (206 or Content-Range), a part, or
    a non-200 answer."""

    __slots__ = ("_digests", "_md5")

    def __init__(self, status: int, headers: Mapping[str, str]) -> None:
        self._digests: list[tuple[str, str, _Digest]] = []
        self._md5: tuple[str, _Digest] | None = None
        if status != 200 or "Content-Range" in headers:
            return
        for algorithm, expected in full_object_checksums(headers):
            self._digests.append((algorithm.upper(), expected, new_digest(algorithm)))
        md5 = md5_etag(headers)
        if md5 is not None:
            self._md5 = (md5, new_digest("md5"))

    def update(self, data: bytes | memoryview) -> None:
        for _, _, digest in self._digests:
            digest.update(data)
        if self._md5 is not None:
            self._md5[1].update(data)

    def __bool__(self) -> bool:
        """Whether there is anything to check."""
        return bool(self._digests) or self._md5 is not None

    def verify(self, what: str = "the object's bytes") -> None:
        """Raise ChecksumError when the bytes fed so far differ from a checksum or the MD5."""
        for name, expected, digest in self._digests:
            if _base64(digest.digest()) != expected:
                raise ChecksumError(f"{what} do not match the object's {name} checksum")
        if self._md5 is not None and self._md5[1].digest().hex() != self._md5[0]:
            raise ChecksumError(f"{what} do not match the object's ETag (MD5)")


def full_object_checksums(headers: Mapping[str, str]) -> list[tuple[str, str]]:
    """(algorithm, base64 value) of each checksum of the whole object's bytes an answer gives
    that s3wire computes: none of a composite checksum."""
    stored = _stored_checksums(headers)
    if not stored or not full_object(headers):
        return []
    return [(name, value.strip()) for name, value in stored if not composite(value)]


def _stored_checksums(headers: Mapping[str, str]) -> list[tuple[str, str]]:
    """(algorithm, value) of each x-amz-checksum-* an answer carries that can be checked here
    (an XXHASH only when awscrt computes it), in one pass over its headers."""
    found: list[tuple[str, str]] = []
    for name, value in headers.items():
        low = name.lower()
        if not low.startswith(CHECKSUM_HEADER) or not value:
            continue
        algorithm = low[len(CHECKSUM_HEADER) :]
        if algorithm in _COMPUTED or (algorithm in NATIVE_CHECKSUMS and _native_xxhash()):
            found.append((algorithm, value))
    return found


def _native_xxhash() -> bool:
    """Whether awscrt computes the XXHASHes here; the debug log says when it does not."""
    from ._checksums import has_xxhash

    if has_xxhash():
        return True
    debug("the answer's XXHASH checksum is not checked: the native checksums are not installed")
    return False


def full_object(headers: Mapping[str, str]) -> bool:
    """Whether the answer's checksums cover the whole object: x-amz-checksum-type says
    FULL_OBJECT, or, when it says nothing, the ETag is not a multipart upload's (moto 5's
    HeadObject answers a composite checksum without its "-N" and without a type)."""
    kind = headers.get("x-amz-checksum-type")
    if kind is not None:
        return kind.strip().upper() == "FULL_OBJECT"
    return not re.fullmatch(_MULTIPART_ETAG, headers.get("ETag", "").strip())


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
