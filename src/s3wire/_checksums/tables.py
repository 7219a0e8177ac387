"""CRC32C and CRC64NVME in pure Python: reflected, table-driven, one byte at a time.

The fallback when no native package is installed. Checked against the published check values
(the CRC of b"123456789"): CRC32C 0xE3069283, CRC64NVME 0xAE8B14860A799888.
"""

from __future__ import annotations

from functools import cache

# Reflected polynomials: CRC-32C (Castagnoli, iSCSI) and CRC-64/NVME.
CRC32C_POLY = 0x82F63B78
CRC64NVME_POLY = 0x9A6C9329AC4BC9B5


@cache
def _table(poly: int) -> tuple[int, ...]:
    table = []
    for byte in range(256):
        value = byte
        for _ in range(8):
            value = (value >> 1) ^ poly if value & 1 else value >> 1
        table.append(value)
    return tuple(table)


def _update(poly: int, bits: int, data: bytes | memoryview, crc: int) -> int:
    """The CRC of the bytes so far (`crc`, 0 at the start) extended with `data`."""
    mask = (1 << bits) - 1
    table = _table(poly)
    value = crc ^ mask
    for byte in bytes(data):
        value = table[(value ^ byte) & 0xFF] ^ (value >> 8)
    return value ^ mask


def crc32c(data: bytes | memoryview, crc: int = 0) -> int:
    """CRC32C of data, continuing from `crc` (the CRC of the bytes before it)."""
    return _update(CRC32C_POLY, 32, data, crc)


def crc64nvme(data: bytes | memoryview, crc: int = 0) -> int:
    """CRC64NVME of data, continuing from `crc` (the CRC of the bytes before it)."""
    return _update(CRC64NVME_POLY, 64, data, crc)
