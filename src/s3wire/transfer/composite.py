"""The parts of a multipart object whose checksum is composite, for a ranged download to
check as the parts arrive (rangecheck.RangeCheck.of_parts).

A composite checksum (CRC32, CRC32C, SHA-1, SHA-256 of a multipart upload) is the checksum of
the parts' checksums: it can be checked only with the part boundaries, which GetObjectAttributes
(ObjectParts) lists with each part's own checksum. Where the server does not answer them
(radosgw 16, moto 5), nothing is checked.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .._generated.operations import GeneratedOperations
from ..errors import ResponseError
from ..integrity import composite_checksum
from ..response import Response
from .rangecheck import RangeCheck

_MAX_PARTS = 1000  # S3's most in one GetObjectAttributes answer


def composite_check(
    client: GeneratedOperations,
    bucket: str,
    key: str,
    head: Mapping[str, str],
    version_id: str | None,
    reads: Mapping[str, Any],
) -> RangeCheck | None:
    """The check of an object whose HeadObject answered a composite checksum, its parts listed
    by GetObjectAttributes; None when there is none, or the server lists no parts."""
    listing = PartsListing(bucket, key, head, version_id, reads)
    while (request := listing.request()) is not None:
        try:
            listing.take(client.get_object_attributes(**request))
        except ResponseError:  # a server that answers the object instead (radosgw 16)
            listing.take(None)
    return listing.check()


class PartsListing:
    """composite_check without I/O: `request()` answers the next GetObjectAttributes'
    arguments (None when done), `take` its answer (None for a ResponseError), `check()` the
    outcome."""

    def __init__(
        self,
        bucket: str,
        key: str,
        head: Mapping[str, str],
        version_id: str | None,
        reads: Mapping[str, Any],
    ) -> None:
        self.bucket, self.key, self.version_id, self.reads = bucket, key, version_id, reads
        self.found = composite_checksum(head)
        self.etag = head.get("ETag", "").strip('"')
        self.parts: list[tuple[int, int, str | None]] = []
        self.marker: int | None = None
        self.done = self.found is None

    def request(self) -> dict[str, Any] | None:
        """The next GetObjectAttributes' arguments, or None when the listing is over."""
        if self.done:
            return None
        return {
            "bucket": self.bucket,
            "key": self.key,
            "version_id": self.version_id,
            "object_attributes": "ETag,ObjectParts",
            "max_parts": _MAX_PARTS,
            "part_number_marker": self.marker,
            **self.reads,
        }

    def take(self, answer: Response[Any, Any] | None) -> None:
        """One answer's parts; the listing ends at its last page, or at an answer that lists
        no parts or another object's (then nothing can be checked)."""
        assert self.found is not None
        field = f"Checksum{self.found[0].upper()}"
        found_root: Any = (
            answer.response.get("GetObjectAttributesResponse") if answer and answer.ok else None
        )
        root: dict[str, Any] = found_root if isinstance(found_root, dict) else {}
        listing = root.get("ObjectParts")
        self.done = True
        if not isinstance(listing, dict) or str(root.get("ETag", "")).strip('"') != self.etag:
            self.found = None  # no parts listed, or they are another object's
            return
        for part in listing.get("Part") or []:
            checksum = part.get(field)
            self.parts.append(
                (int(part["PartNumber"]), int(part["Size"]), str(checksum or "") or None)
            )
        if str(listing.get("IsTruncated", "")).lower() == "true":
            self.marker, self.done = int(listing["NextPartNumberMarker"]), False

    def check(self) -> RangeCheck | None:
        """The check of the parts listed, or None when there is nothing to check."""
        if self.found is None or not self.parts:
            return None
        return RangeCheck.of_parts(*self.found, sorted(self.parts))
