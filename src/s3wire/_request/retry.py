"""The retry policy: which answers are worth another try, and how long to wait before it."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Final

from ..response import Response
from .answer import error_code

if TYPE_CHECKING:
    import datetime as dt

RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})
# Statuses whose error code decides: 400 (RequestTimeout, BadDigest, ...) and 409
# (OperationAborted); so does an error inside a 2xx (Response.error_in_body: CompleteMultipartUpload
# and the copy operations can fail after answering 200).
CODE_STATUSES = frozenset({400, 409})
# S3 error codes worth another try.
TRANSIENT_CODES = frozenset(
    {
        # throttling
        "SlowDown",
        "Throttling",
        "ThrottlingException",
        "RequestThrottled",
        "TooManyRequestsException",
        "RequestLimitExceeded",
        "BandwidthLimitExceeded",
        # the server's trouble, or a conflict it asks to retry
        "InternalError",
        "ServiceUnavailable",
        "RequestTimeout",
        "PriorRequestNotComplete",
        "OperationAborted",
        # the request body arrived short or damaged: sending it again mends it
        "BadDigest",
        "XAmzContentSHA256Mismatch",
        "IncompleteBody",
    }
)


def _uniform(low: float, high: float) -> float:
    """random.uniform, imported at the first retry: building a client does not load random."""
    import random

    return random.uniform(low, high)


class RetryPolicy:
    """Up to `max_attempts` tries in all; before try n+1, a random wait in
    [0, min(max_delay, base_delay * 2**(n-1))] ("full jitter"), or longer if the server asked
    (Retry-After), never more than max_delay."""

    __slots__ = ("base_delay", "max_attempts", "max_delay", "uniform")
    max_attempts: Final[int]
    base_delay: Final[float]
    max_delay: Final[float]
    uniform: Final[Callable[[float, float], float]]

    def __init__(
        self,
        max_attempts: int,
        base_delay: float,
        max_delay: float,
        uniform: Callable[[float, float], float] | None = None,
    ) -> None:
        self.max_attempts = max_attempts
        self.base_delay = base_delay
        self.max_delay = max_delay
        self.uniform = uniform or _uniform

    def reason(self, answer: Response[Any, Any]) -> str | None:
        """Why this answer is worth another try ("503 SlowDown"), or None when it is final."""
        code = error_code(answer)
        decides = answer.status in CODE_STATUSES or answer.error_in_body
        transient = code in TRANSIENT_CODES and decides
        if transient or answer.status in RETRYABLE_STATUSES:
            return f"{answer.status} {code or 'HTTP error'}"
        return None

    def delay(self, tries: int, retry_after: str | None = None) -> float:
        """Seconds to wait after `tries` failed tries, honouring a Retry-After header value."""
        ceiling = min(self.max_delay, self.base_delay * 2 ** (tries - 1))
        wait = self.uniform(0.0, ceiling)
        asked = retry_after_seconds(retry_after)
        if asked is not None:
            wait = max(wait, asked)
        return min(wait, self.max_delay)


def retry_after_seconds(value: str | None, now: dt.datetime | None = None) -> float | None:
    """A Retry-After header value (seconds, or an HTTP date) in seconds from now; None if absent
    or unreadable."""
    if not value:
        return None
    text = value.strip()
    if text.isascii() and text.isdigit():
        return float(text)
    import datetime as dt  # only a dated Retry-After needs these
    from email.utils import parsedate_to_datetime

    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return max(0.0, (when - (now or dt.datetime.now(dt.timezone.utc))).total_seconds())
