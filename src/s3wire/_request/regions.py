"""The region each bucket was found in, remembered for a client's life: no I/O.

After a region redirect, the next request for that bucket is signed for (and, on AWS, sent
to) its region from the first try. At most LIMIT buckets are remembered: the memory starts
over when full.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import redirect

if TYPE_CHECKING:
    from .attempts import Attempts
    from .prepare import Prepared

LIMIT = 512


class BucketRegions:
    """bucket name -> region, as redirects named them; safe to share between threads."""

    __slots__ = ("_regions",)

    def __init__(self) -> None:
        self._regions: dict[str, str] = {}

    def start(self, request: Prepared, default: str) -> str:
        """The region to sign a request's first try for; its host is moved to that region's
        endpoint when it is not `default` (AWS hosts only: others stay as they are)."""
        if request.signing_region is not None:  # fixed by its endpoint (an access point ARN)
            return request.signing_region
        region = None if request.bucket is None else self._regions.get(request.bucket)
        if region is None or region == default:
            return default
        request.host = redirect.host_for_region(request.host, region)
        return region

    def learn(self, request: Prepared, attempts: Attempts) -> None:
        """Remember the region a redirect named for the request's bucket."""
        region, bucket = attempts.redirected_to, request.bucket
        if region is None or bucket is None:
            return
        if len(self._regions) >= LIMIT:
            self._regions.clear()
        self._regions[bucket] = region
