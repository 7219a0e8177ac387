"""The checks of a download fetched in ranges, with no second pass over the file: each range's
digests are computed as its bytes arrive, and once every range is in they are put together
into the object's checksum.

A whole object's CRC (CRC32, CRC32C, CRC64NVME: a full-object checksum) is the combination
of its ranges' CRCs (s3wire._checksums.combine). A composite checksum (a multipart upload's)
is the checksum of its parts' checksums: with the parts known (GetObjectAttributes), no range
crosses a part, each part's checksum is made of its ranges' (a CRC) or is its one range's (a
SHA: then a part comes as one range), checked against the part's own, and the composite made
of them. Other checksums cannot be put together from pieces: such an object comes as one GET,
checked as it arrives (integrity.ObjectCheck).
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import NamedTuple

from .._checksums.combine import COMBINABLE, crc_combine
from ..errors import ChecksumError
from ..integrity import digest_of, new_digest

Range = tuple[int, int, str | None]  # offset, length, Range header (None: the whole object)


class RangeDigests:
    """The digests of one range's bytes, fed as they arrive; `restart` forgets them (the range
    is tried again from its start)."""

    __slots__ = ("_algorithms", "_digests")

    def __init__(self, algorithms: tuple[str, ...]) -> None:
        self._algorithms = algorithms
        self.restart()

    def restart(self) -> None:
        self._digests = [new_digest(algorithm) for algorithm in self._algorithms]

    def update(self, data: bytes | memoryview) -> None:
        for digest in self._digests:
            digest.update(data)

    def values(self) -> tuple[bytes, ...]:
        return tuple(digest.digest() for digest in self._digests)


class Segment(NamedTuple):
    """A stretch of the object that has checksums of its own: the whole object, or a part."""

    first: int
    length: int
    number: int | None  # the part's number; None for the whole object
    expected: tuple[str | None, ...]  # base64, one for each algorithm (None: not known)


class RangeCheck:
    """What the ranges of a download must add up to: the `segments`' checksums (`algorithms`)
    and, for a multipart object's parts, their `composite` checksum (base64, without "-N")."""

    def __init__(
        self, algorithms: tuple[str, ...], segments: list[Segment], composite: str | None = None
    ) -> None:
        self.algorithms, self.segments, self.composite = algorithms, segments, composite
        self.combinable = all(algorithm in COMBINABLE for algorithm in algorithms)
        self.size = sum(segment.length for segment in segments)
        self._arrived: dict[int, tuple[int, tuple[bytes, ...]]] = {}

    @classmethod
    def whole(cls, checksums: list[tuple[str, str]], size: int) -> RangeCheck:
        """The check of an object's full-object CRCs ((algorithm, base64) each)."""
        algorithms = tuple(algorithm for algorithm, _ in checksums)
        expected = tuple(value for _, value in checksums)
        return cls(algorithms, [Segment(0, size, None, expected)])

    @classmethod
    def of_parts(
        cls, algorithm: str, composite: str, parts: list[tuple[int, int, str | None]]
    ) -> RangeCheck:
        """The check of a multipart object's parts ((number, size, base64 or None) each, in
        order) and of their composite checksum."""
        segments, first = [], 0
        for number, length, expected in parts:
            segments.append(Segment(first, length, number, (expected,)))
            first += length
        return cls((algorithm,), segments, composite)

    def pieces(self, range_size: int) -> list[Range]:
        """The ranges to fetch: none crosses a segment; a segment whose checksums combine is
        cut into ranges of at most `range_size`, any other comes whole."""
        found: list[Range] = []
        for segment in self.segments:
            most = range_size if self.combinable else max(segment.length, 1)
            for first, length in spans(segment.first, segment.length, most):
                whole = first == 0 and length == self.size
                found.append(
                    (first, length, None if whole else f"bytes={first}-{first + length - 1}")
                )
        return found

    def digests(self) -> RangeDigests:
        """A range's digests, to feed with its bytes."""
        return RangeDigests(self.algorithms)

    def arrived(self, first: int, length: int, digests: RangeDigests) -> None:
        """The range at `first` arrived whole; its digests are final."""
        self._arrived[first] = (length, digests.values())

    def verify(self) -> None:
        """ChecksumError when a segment's checksum, or the parts' composite, differs."""
        raw = b""
        for segment in self.segments:
            values = self._values(segment)
            for algorithm, value, expected in zip(
                self.algorithms, values, segment.expected, strict=True
            ):
                if expected is not None and _b64(value) != expected:
                    raise ChecksumError(_differs(segment, algorithm.upper()))
            raw += values[0]
        if self.composite is not None:
            algorithm = self.algorithms[0]
            if _b64(digest_of((raw,), algorithm)) != self.composite:
                raise ChecksumError(
                    f"the downloaded bytes do not match the object's composite {algorithm.upper()}"
                )

    def _values(self, segment: Segment) -> tuple[bytes, ...]:
        """A segment's digests: its ranges' CRCs combined in order, or its one range's."""
        at, end = segment.first, segment.first + segment.length
        combined: tuple[bytes, ...] | None = None
        while at < end:
            length, values = self._arrived[at]
            if combined is None:
                combined = values
            else:
                combined = tuple(
                    _combine(algorithm, before, value, length)
                    for algorithm, before, value in zip(
                        self.algorithms, combined, values, strict=True
                    )
                )
            at += length
        return self.digests().values() if combined is None else combined  # empty: none fetched


def spans(first: int, length: int, most: int) -> Iterator[tuple[int, int]]:
    """(offset, length) of the pieces of at most `most` bytes that [first, first + length) is
    cut into, in order (none for an empty stretch)."""
    for at in range(first, first + length, most):
        yield at, min(most, first + length - at)


def _combine(algorithm: str, before: bytes, value: bytes, length: int) -> bytes:
    crc = crc_combine(
        algorithm, int.from_bytes(before, "big"), int.from_bytes(value, "big"), length
    )
    return crc.to_bytes(len(value), "big")


def _differs(segment: Segment, name: str) -> str:
    if segment.number is None:
        return f"the downloaded bytes do not match the object's {name} checksum"
    return f"part {segment.number} of the downloaded bytes does not match its {name}"


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")
