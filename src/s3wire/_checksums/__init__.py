"""The CRCs S3 takes beyond zlib's CRC32: CRC32C and CRC64NVME, as update/digest objects.

awscrt (the `crc` extra, the package botocore uses) computes them when it is installed,
imported by the first such checksum; else `tables`, s3wire's pure-Python fallback, does:
correct, but slow (about 8 MB/s against awscrt's 26,000: bench/checksums.py).
"""

from __future__ import annotations

from collections.abc import Callable

from . import tables

Update = Callable[[bytes, int], int]
# algorithm -> (its size in bytes, awscrt.checksums' function name, the fallback)
_CRCS: dict[str, tuple[int, str, Update]] = {
    "crc32c": (4, "crc32c", tables.crc32c),
    "crc64nvme": (8, "crc64nvme", tables.crc64nvme),
}
_found: dict[str, Update] = {}


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
