"""The exceptions s3wire raises; all derive from S3wireError. Plus its one warning category."""

from __future__ import annotations

from collections.abc import Mapping


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
    not verify, a malformed URL); `attempts` is how many tries were made in all.
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


class ConnectError(TransportError):
    """No connection could be made: refused, a host name that does not resolve, a TLS handshake
    that failed (a certificate that does not verify among them), a proxy that refused. Nothing
    of the request reached the server."""


class TransportTimeoutError(TransportError):
    """A wait ran out: connect_timeout, read_timeout (waiting for the answer or for its next
    bytes), or the call's total_timeout (then not retryable). Not the builtin TimeoutError:
    that is an OSError, which s3wire raises only for local files (LocalFileError)."""


class ConnectTimeoutError(ConnectError, TransportTimeoutError):
    """The connection was not made within connect_timeout: both a ConnectError and a
    TransportTimeoutError."""


class IncompleteAnswerError(TransportError):
    """The answer began but did not arrive whole: a body shorter than its Content-Length, a
    broken chunked body, a connection dropped or reset mid-answer (a stall past read_timeout
    is a TransportTimeoutError)."""


class ChecksumError(TransportError):
    """An answer's body does not match its checksum (x-amz-checksum-*, or an MD5 ETag): damaged
    in transit. Retried like any transport failure; never returned as data."""


class CredentialsError(S3wireError):
    """A credential source failed when asked for keys: an instance metadata service, container
    endpoint, STS, SSO portal or credential_process that could not be reached or answered
    something unusable. The message names the source and what went wrong, never a secret,
    token or key; `source` is the source's name (such as "instance metadata")."""

    def __init__(self, source: str, problem: str) -> None:
        super().__init__(f"{source}: {problem}")
        self.source = source


class ResponseError(S3wireError):
    """The server answered something s3wire refuses to parse (for example XML with a DTD)."""


class RepeatedTokenError(ResponseError):
    """A listing answered a page token it had answered before: following it would loop forever."""


class LocalFileError(S3wireError, OSError):
    """A local file or folder s3wire reads or writes for the caller failed: missing, not
    permitted, not a folder, disk full. Also an OSError with the failure's `errno` and
    `strerror`; `filename` is the file the message names. The failing call's own OSError is
    the `__cause__` (its filename may be a temporary file's, relative to an open folder).

    `str()` says what s3wire was doing: "download_file: cannot write /x/y: No space left on
    device". Build it with `s3wire.localfile.local_file`.
    """

    def __init__(self, doing: str, path: str | None, original: OSError) -> None:
        strerror = original.strerror or str(original) or type(original).__name__
        filename = original.filename if path is None else path
        super().__init__(original.errno, strerror, filename)
        self.message = f"{doing} {filename if filename is not None else 'a file'}: {strerror}"

    def __str__(self) -> str:
        return self.message


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


class NoSuchKeyError(S3Error):
    """S3Error for the code NoSuchKey: the object does not exist (a GET; a HEAD answers no
    code, so it raises a plain S3Error with code NotFound)."""


class NoSuchBucketError(S3Error):
    """S3Error for the code NoSuchBucket."""


class NoSuchUploadError(S3Error):
    """S3Error for the code NoSuchUpload: the multipart upload was completed, aborted or never
    made."""


class PreconditionFailedError(S3Error):
    """S3Error for the code PreconditionFailed: a condition did not hold (If-Match or
    If-Unmodified-Since on a read or a copy, If-Match or If-None-Match on a write)."""


class AccessDeniedError(S3Error):
    """S3Error for the code AccessDenied."""


# The S3Error class of each error code that has one of its own; any other code is a plain S3Error.
S3_ERROR_CLASSES: Mapping[str, type[S3Error]] = {
    "NoSuchKey": NoSuchKeyError,
    "NoSuchBucket": NoSuchBucketError,
    "NoSuchUpload": NoSuchUploadError,
    "PreconditionFailed": PreconditionFailedError,
    "AccessDenied": AccessDeniedError,
}


def s3_error(
    *,
    status: int,
    code: str,
    message: str,
    request_id: str | None,
    resource: str | None,
    attempts: int = 1,
) -> S3Error:
    """The S3Error for an error answer, of the class its code has (S3_ERROR_CLASSES)."""
    error_class = S3_ERROR_CLASSES.get(code, S3Error)
    return error_class(
        status=status,
        code=code,
        message=message,
        request_id=request_id,
        resource=resource,
        attempts=attempts,
    )


class InsecureTransportWarning(UserWarning):
    """TLS certificate verification was turned off (verify=False)."""
