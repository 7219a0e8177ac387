"""The checksums S3 takes beyond zlib's and hashlib's: CRC32C and CRC64NVME, and the XXHASH
family, as update/digest objects.

awscrt (the `crc` extra, the package botocore uses) computes them when it is installed,
imported by the first such checksum. Without it `tables`, s3wire's pure-Python fallback,
computes the CRCs: correct, but slow (about 8 MB/s against awscrt's 26,000:
bench/checksums.py); the XXHASHes are then not computed (`has_xxhash` says so).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..errors import ParamError
from . import tables

Update = Callable[[bytes, int], int]
# algorithm -> (its size in bytes, awscrt.checksums' function name, the fallback)
_CRCS: dict[str, tuple[int, str, Update]] = {
    "crc32c": (4, "crc32c", tables.crc32c),
    "crc64nvme": (8, "crc64nvme", tables.crc64nvme),
}
_found: dict[str, Update] = {}
# algorithm -> the awscrt.checksums.XXHash constructor of it (awscrt 0.24 and later)
_XXHASHES = {
    "xxhash64": "new_xxhash64",
    "xxhash3": "new_xxhash3_64",
    "xxhash128": "new_xxhash3_128",
}


class Crc:
    """A CRC behind the update/digest face of hashlib's objects."""

    __slots__ = ("_size", "_update", "value")

    def __init__(self, update: Update, size: int) -> None:
        self._update = update
        self._size = size
        self.value = 0

    def update(self, data: bytes | memoryview) -> None:
        self.value = self._update(data, self.value)  # type: ignore[arg-type]

    def digest(self) -> bytes:
        return self.value.to_bytes(self._size, "big")


def is_crc(algorithm: str) -> bool:
    """Whether the algorithm is one of this package's CRCs."""
    return algorithm in _CRCS


def new_crc(algorithm: str) -> Crc:
    """A fresh CRC32C or CRC64NVME, native when awscrt is installed."""
    size, _, _ = _CRCS[algorithm]
    return Crc(function(algorithm), size)


def native() -> bool:
    """Whether the native package (awscrt) computes the CRCs."""
    return function("crc32c") is not tables.crc32c


def function(algorithm: str) -> Update:
    """The update(data, crc) -> crc of an algorithm: awscrt's if installed, else the fallback."""
    found = _found.get(algorithm)
    if found is None:
        _, name, fallback = _CRCS[algorithm]
        try:
            from awscrt import checksums
        except ImportError:
            found = fallback
        else:
            found = getattr(checksums, name)
        _found[algorithm] = found
    return found


class XXHash:
    """An awscrt XXHash behind the update/digest face of hashlib's objects."""

    __slots__ = ("_digest", "_native")

    def __init__(self, native: Any) -> None:
        self._native = native
        self._digest: bytes | None = None

    def update(self, data: bytes | memoryview) -> None:
        self._native.update(data)

    def digest(self) -> bytes:
        if self._digest is None:  # awscrt finalizes once
            self._digest = bytes(self._native.finalize())
        return self._digest


def is_xxhash(algorithm: str) -> bool:
    """Whether the algorithm is one of the XXHASH family (xxhash64, xxhash3, xxhash128)."""
    return algorithm in _XXHASHES


def has_xxhash() -> bool:
    """Whether the XXHASHes can be computed here (an awscrt with XXHash is installed)."""
    return _xxhash_type() is not None


def new_xxhash(algorithm: str) -> XXHash:
    """A fresh XXHASH of that name; ParamError when awscrt cannot compute it here."""
    found = _xxhash_type()
    if found is None:
        raise ParamError(f"{algorithm} needs the native checksums: pip install 's3wire[crc]'")
    return XXHash(getattr(found, _XXHASHES[algorithm])())


def _xxhash_type() -> Any:
    try:
        from awscrt import checksums
    except ImportError:
        return None
    return getattr(checksums, "XXHash", None)
