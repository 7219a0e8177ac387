"""The exceptions s3wire raises; all derive from S3wireError. Plus its one warning category."""

from __future__ import annotations


class S3wireError(Exception):
    """Base class of every exception raised by s3wire."""


class ParamError(S3wireError, ValueError):
    """Bad input, refused before anything is sent; the message names the parameter and the rule."""


class ArgumentError(ParamError, TypeError):
    """A call's arguments do not fit the method: an unknown or missing parameter, or one given
    by position. Also a TypeError, which Python raises for such calls."""


class TransportError(S3wireError):
    """The request did not get a complete, intact answer: connection failure, timeout, truncated
    or damaged body.

    `retryable` is False for failures that trying again cannot mend (a TLS certificate that does
    not verify, a URL requests refuses); `attempts` is how many tries were made in all.
    """

    def __init__(self, message: str, *, retryable: bool = True) -> None:
        super().__init__(message)
        self.message = message
        self.retryable = retryable
        self.attempts = 1

    def __str__(self) -> str:
        if self.attempts > 1:
            return f"{self.message} (after {self.attempts} attempts)"
        return self.message


class ChecksumError(TransportError):
    """An answer's body does not match its checksum (x-amz-checksum-*, or an MD5 ETag): damaged
    in transit. Retried like any transport failure; never returned as data."""


class ResponseError(S3wireError):
    """The server answered something s3wire refuses to parse (for example XML with a DTD)."""


class RepeatedTokenError(ResponseError):
    """A listing answered a page token it had answered before: following it would loop forever."""


class S3Error(S3wireError):
    """An S3 error answer (4xx/5xx), raised only by `Response.raise_for_status()`.

    `attempts` is how many tries the request took (more than 1 when a transient error such as
    503 SlowDown outlasted the retry budget).
    """

    def __init__(
        self,
        *,
        status: int,
        code: str,
        message: str,
        request_id: str | None,
        resource: str | None,
        attempts: int = 1,
    ) -> None:
        self.status = status
        self.code = code
        self.message = message
        self.request_id = request_id
        self.resource = resource
        self.attempts = attempts
        detail = f"{status} {code}"
        if message:
            detail += f": {message}"
        if resource:
            detail += f" (resource {resource})"
        if request_id:
            detail += f" [request id {request_id}]"
        if attempts > 1:
            detail += f" (after {attempts} attempts)"
        super().__init__(detail)


class InsecureTransportWarning(UserWarning):
    """TLS certificate verification was turned off (verify=False)."""
