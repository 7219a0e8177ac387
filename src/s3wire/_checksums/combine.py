"""The CRC of two stretches of bytes put end to end, from their CRCs and the second's length:
what lets ranges fetched in parallel be checked against a whole object's CRC without reading
them again.

CRC32, CRC32C and CRC64NVME are reflected and start and end with all bits set, so that
crc(A + B) = crc(A) * x^(8 * len(B)) + crc(B), in GF(2)[x] modulo the polynomial P (the ones
at the start and end cancel). In the reflected form a value's top bit is the coefficient of
x^0, and multiplying by x is a shift right that folds P back in when x^(width-1) falls off.
x^(8n) mod P comes from the powers x^(8 * 2^i) by squaring, kept once computed.
"""

from __future__ import annotations

from functools import cache

from .tables import CRC32C_POLY, CRC64NVME_POLY

# algorithm -> (its reflected polynomial, its width in bits)
_POLYNOMIALS = {
    "crc32": (0xEDB88320, 32),
    "crc32c": (CRC32C_POLY, 32),
    "crc64nvme": (CRC64NVME_POLY, 64),
}
COMBINABLE = frozenset(_POLYNOMIALS)


def crc_combine(algorithm: str, first: int, second: int, second_length: int) -> int:
    """The CRC of A + B, from A's CRC (`first`), B's (`second`) and B's length in bytes."""
    poly, width = _POLYNOMIALS[algorithm]
    return _multiply(_shift(algorithm, second_length), first, poly, width) ^ second


def _multiply(a: int, b: int, poly: int, width: int) -> int:
    """a * b modulo P, both in reflected form."""
    product = 0
    bit = 1 << (width - 1)  # x^0
    while a:
        if a & bit:
            product ^= b
            a ^= bit
        bit >>= 1
        b = (b >> 1) ^ poly if b & 1 else b >> 1
    return product


def _shift(algorithm: str, length: int) -> int:
    """x^(8 * length) modulo P, reflected: what multiplies a CRC to move it past `length`
    zero bytes."""
    poly, width = _POLYNOMIALS[algorithm]
    result = 1 << (width - 1)  # x^0
    power = 0
    while length:
        if length & 1:
            result = _multiply(result, _square(algorithm, power), poly, width)
        length >>= 1
        power += 1
    return result


@cache
def _square(algorithm: str, power: int) -> int:
    """x^(8 * 2^power) modulo P, reflected."""
    poly, width = _POLYNOMIALS[algorithm]
    if power == 0:
        return 1 << (width - 1 - 8)  # x^8
    half = _square(algorithm, power - 1)
    return _multiply(half, half, poly, width)
