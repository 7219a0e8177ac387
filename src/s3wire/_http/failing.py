"""What the transports' failures share: a call's deadline, and text and causes cleaned of
query strings (presigned URLs hold signatures)."""

from __future__ import annotations

import re
import time

from ..errors import TransportTimeoutError

_QUERY = re.compile(r"\?[^\s'\")]*")


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
    return _QUERY.sub("?...", text)
