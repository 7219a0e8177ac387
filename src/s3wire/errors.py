"""The exceptions s3wire raises; all derive from S3wireError."""

from __future__ import annotations


class S3wireError(Exception):
    """Base class of every exception raised by s3wire."""


class ParamError(S3wireError, ValueError):
    """Bad input, refused before anything is sent; the message names the parameter and the rule."""


class TransportError(S3wireError):
    """The request did not get a complete answer: connection failure, timeout, truncated body."""


class ResponseError(S3wireError):
    """The server answered something s3wire refuses to parse (for example XML with a DTD)."""


class RepeatedTokenError(ResponseError):
    """A listing answered a page token it had answered before: following it would loop forever."""


class S3Error(S3wireError):
    """An S3 error answer (4xx/5xx), raised only by `Response.raise_for_status()`."""

    def __init__(
        self, *, status: int, code: str, message: str, request_id: str | None, resource: str | None
    ) -> None:
        self.status = status
        self.code = code
        self.message = message
        self.request_id = request_id
        self.resource = resource
        detail = f"{status} {code}"
        if message:
            detail += f": {message}"
        if resource:
            detail += f" (resource {resource})"
        if request_id:
            detail += f" [request id {request_id}]"
        super().__init__(detail)
