"""A multipart object's composite checksum, checked after a ranged download.

A composite checksum (CRC32, CRC32C, SHA-1, SHA-256 of a multipart upload) is the checksum of
the parts' checksums: it can be checked only with the part boundaries, which GetObjectAttributes
(ObjectParts) lists with each part's own checksum. Where the server does not answer them
(radosgw 16, moto 5), nothing is checked.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Generator, Mapping
from typing import Any

from .._generated.operations import GeneratedOperations
from ..errors import ChecksumError, ResponseError
from ..integrity import composite_checksum, digest_of, new_digest
from ..response import Response

_READ_BACK = 1024 * 1024
_MAX_PARTS = 1000  # S3's most in one GetObjectAttributes answer


class CompositeCheck:
    """The parts (number, size, checksum) of an object and its composite checksum."""

    def __init__(self, algorithm: str, value: str, parts: list[tuple[int, int, str | None]]):
        self.algorithm, self.value, self.parts = algorithm, value, parts

    def verify(self, fd: int, size: int) -> None:
        """Read the file's first `size` bytes back part by part: ChecksumError when a part
        differs from its checksum, or the parts' checksums from the composite one."""
        if sum(length for _, length, _ in self.parts) != size:
            return  # the listing is not of these bytes: nothing can be said
        name, offset, raw = self.algorithm.upper(), 0, b""
        for number, length, expected in self.parts:
            digest = new_digest(self.algorithm)
            for first in range(offset, offset + length, _READ_BACK):
                digest.update(os.pread(fd, min(_READ_BACK, offset + length - first), first))
            value = digest.digest()
            if expected is not None and _b64(value) != expected:
                raise ChecksumError(
                    f"part {number} of the downloaded bytes does not match its {name}"
                )
            raw += value
            offset += length
        if _b64(digest_of((raw,), self.algorithm)) != self.value:
            raise ChecksumError(f"the downloaded bytes do not match the object's composite {name}")


def composite_check(
    client: GeneratedOperations,
    bucket: str,
    key: str,
    head: Mapping[str, str],
    version_id: str | None,
    reads: Mapping[str, Any],
) -> CompositeCheck | None:
    """The check of an object whose HeadObject answered a composite checksum, its parts listed
    by GetObjectAttributes; None when there is none, or the server lists no parts."""
    steps = composite_steps(bucket, key, head, version_id, reads)
    try:
        request = next(steps)
        while True:
            try:
                answer: Response[Any, Any] | None = client.get_object_attributes(**request)
            except ResponseError:  # a server that answers the object instead (radosgw 16)
                answer = None
            request = steps.send(answer)
    except StopIteration as stop:
        found: CompositeCheck | None = stop.value
        return found


Steps = Generator[dict[str, Any], "Response[Any, Any] | None", "CompositeCheck | None"]


def composite_steps(
    bucket: str,
    key: str,
    head: Mapping[str, str],
    version_id: str | None,
    reads: Mapping[str, Any],
) -> Steps:
    """composite_check without I/O: yields each GetObjectAttributes' arguments, is sent its
    answer (None for a ResponseError) and returns the check."""
    found = composite_checksum(head)
    if found is None:
        return None
    algorithm, value = found
    field, etag = f"Checksum{algorithm.upper()}", head.get("ETag", "").strip('"')
    parts: list[tuple[int, int, str | None]] = []
    marker: int | None = None
    while True:
        answer = yield {
            "bucket": bucket,
            "key": key,
            "version_id": version_id,
            "object_attributes": "ETag,ObjectParts",
            "max_parts": _MAX_PARTS,
            "part_number_marker": marker,
            **reads,
        }
        found_root: Any = (
            answer.response.get("GetObjectAttributesResponse") if answer and answer.ok else None
        )
        root: dict[str, Any] = found_root if isinstance(found_root, dict) else {}
        listing = root.get("ObjectParts")
        if not isinstance(listing, dict) or str(root.get("ETag", "")).strip('"') != etag:
            return None  # no parts listed, or they are another object's
        for part in listing.get("Part") or []:
            checksum = part.get(field)
            parts.append((int(part["PartNumber"]), int(part["Size"]), str(checksum or "") or None))
        if str(listing.get("IsTruncated", "")).lower() != "true":
            break
        marker = int(listing["NextPartNumberMarker"])
    parts.sort()
    return CompositeCheck(algorithm, value, parts) if parts else None


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")
