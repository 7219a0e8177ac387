"""What the transports' failures share: a verify setting checked, a call's deadline, the errors
of an answer too big or of the wrong length, of a network failure on s3wire's own sockets, and
text and causes cleaned of query strings (presigned URLs hold signatures)."""

from __future__ import annotations

import os
import re
import sys
import time
import warnings

from ..errors import (
    ConnectError,
    ConnectTimeoutError,
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


def network_failure(
    method: str,
    url: str,
    due: Deadline | None,
    doing: str,
    exc: OSError,
    reading: bool,
    *,
    kind: str = "ConnectionError",
    retry: bool = True,
) -> TransportError:
    """A failure of s3wire's own sockets (sync or asyncio) as the TransportError of its kind
    (see pools.Kind for urllib3's), its cause a clean copy of the OSError; once the time is
    up, the deadline's error. `reading`: bytes of the answer had arrived."""
    if due is not None and due.passed():
        return due.spent()
    error_class: type[TransportError]
    if kind == "ConnectTimeout":
        error_class = ConnectTimeoutError
    elif kind == "ReadTimeout":
        error_class = TransportTimeoutError
    elif reading:
        error_class = IncompleteAnswerError
    elif kind in ("NewConnection", "SSLError"):
        error_class = ConnectError
    else:
        error_class = TransportError
    name = "ConnectionError" if kind == "NewConnection" else kind
    error = error_class(f"{method} {doing}: {describe(name, exc, url)}", retryable=retry)
    error.__cause__ = clean(exc)
    return error


def connect_failure(method: str, url: str, due: Deadline | None, exc: OSError) -> TransportError:
    """A failure to make a connection: a timeout, a TLS failure (not retryable when the
    certificate is refused), or another network failure."""
    kind, retry = "NewConnection", True
    tls = sys.modules.get("ssl")  # imported when a connection is made over TLS
    if isinstance(exc, TimeoutError):
        kind = "ConnectTimeout"
    elif tls is not None and isinstance(exc, tls.SSLError):
        kind, retry = "SSLError", "certificate" not in str(exc).lower()
    return network_failure(method, url, due, "request failed", exc, False, kind=kind, retry=retry)


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
