"""What the transports' failures share: a verify setting checked, a call's deadline, the errors
of an answer too big or of the wrong length, and text and causes cleaned of query strings
(presigned URLs hold signatures)."""

from __future__ import annotations

import os
import re
import time
import warnings

from ..errors import (
    IncompleteAnswerError,
    InsecureTransportWarning,
    ParamError,
    ResponseError,
    TransportError,
    TransportTimeoutError,
)

_QUERY = r"\?[^\s'\")]*"  # for messages only: compiled by re on first use


def check_verify(verify: bool | str, stacklevel: int) -> None:
    """Refuse a `verify` naming no CA bundle; warn (InsecureTransportWarning) when it is False,
    `stacklevel` frames above the caller."""
    if isinstance(verify, str) and not os.path.exists(verify):
        raise ParamError(f"verify names no CA bundle file or directory: {verify!r}")
    if verify is False:
        warnings.warn(
            "s3wire: TLS certificate verification is off (verify=False); anyone on the "
            "network path can read and change this client's traffic",
            InsecureTransportWarning,
            stacklevel=stacklevel + 1,
        )


def too_big(method: str, url: str, most: int, why: str) -> ResponseError:
    """The error of an answer over max_answer_bytes (`most`)."""
    return ResponseError(
        f"{method} answer is larger than max_answer_bytes ({most} bytes): {why} "
        f"(url: {no_query(url)}); read big objects with get_object(into=...) or "
        "download_file, or raise max_answer_bytes in the connection data"
    )


def wrong_length(method: str, received: int, expected: int) -> TransportError:
    """The error of a body whose length is not its Content-Length."""
    if received < expected:
        return IncompleteAnswerError(
            f"{method} answer was cut short: {received} of {expected} bytes arrived"
        )
    return TransportError(
        f"{method} answer is longer than its Content-Length: {received} of {expected} bytes arrived"
    )


class Deadline:
    """When a call's time is up (time.monotonic()), and the total_timeout that set it."""

    __slots__ = ("_at", "_method", "_total")

    def __init__(self, at: float, total: float | None, method: str) -> None:
        self._at, self._total, self._method = at, total, method

    def left(self) -> float:
        """Seconds left; a TransportTimeoutError (not retryable) when none are."""
        left = self._at - time.monotonic()
        if left <= 0:
            raise self.spent()
        return left

    def passed(self) -> bool:
        """Whether the time is up."""
        return time.monotonic() >= self._at

    def spent(self) -> TransportTimeoutError:
        """The error of a call out of time."""
        return TransportTimeoutError(
            f"{self._method} call ran out of its total_timeout ({self._total} s)",
            retryable=False,
        )


def clean(error: OSError) -> OSError:
    """A copy of an OSError with its type, errno and text, queries cut ("?..."): no traceback,
    nothing linked, no other attribute (urllib3's exceptions hold the URL, query and all)."""
    args = tuple(no_query(arg) if isinstance(arg, str) else arg for arg in error.args)
    if all(isinstance(arg, int | str) for arg in args):
        try:
            return type(error)(*args)
        except TypeError:  # a constructor of its own
            pass
    return OSError(error.errno, no_query(error.strerror or str(error)))


def describe(kind: str, exc: BaseException, url: str) -> str:
    """The failure's kind and message, and the URL, without any query string (presigned URLs
    hold signatures)."""
    return no_query(f"{kind}: {exc} (url: {url})")


def no_query(text: str) -> str:
    """The text with any query string cut to "?..." (presigned URLs hold signatures)."""
    return re.sub(_QUERY, "?...", text)
