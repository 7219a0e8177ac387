"""Response: the {status, response, headers} answer of every call."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from types import TracebackType
from typing import Any, Generic, TypeVar

from .errors import s3_error

BodyT = TypeVar("BodyT", bound=Mapping[str, Any])
FieldsT = TypeVar("FieldsT", bound=Mapping[str, Any])


class Response(Generic[BodyT, FieldsT]):
    """An S3 answer: HTTP status, the XML body as a dict, headers, and raw bytes (empty when
    the call streamed its data into a file object: `into=`).

    `fields` holds the response headers the catalog names, typed (`etag`, `content_length`,
    `metadata`, ...). A 4xx/5xx answer is returned like any other; `raise_for_status()` turns it
    into an S3Error. `attempts` is how many tries it took (1 unless a transient failure was
    retried). `error_in_body` is True for a 2xx answer whose body is an S3 error: operations
    whose catalog entry says error_in_200 (CompleteMultipartUpload, the copy operations) can
    fail after answering 200.
    """

    __slots__ = ("attempts", "body", "error_in_body", "fields", "headers", "response", "status")

    def __init__(
        self,
        *,
        status: int,
        response: BodyT,
        headers: Mapping[str, str],
        body: bytes,
        fields: FieldsT,
        attempts: int = 1,
        error_in_body: bool = False,
    ) -> None:
        self.status = status
        self.response = response
        self.headers = headers
        self.body = body
        self.fields = fields
        self.attempts = attempts
        self.error_in_body = error_in_body

    @property
    def ok(self) -> bool:
        """True for a 2xx answer, unless its body is an S3 error (`error_in_body`)."""
        return 200 <= self.status < 300 and not self.error_in_body

    def raise_for_status(self) -> Response[BodyT, FieldsT]:
        """Raise S3Error for an error answer (4xx, 5xx, a redirect); return self otherwise.
        The class is the one its code has (NoSuchKeyError, ...: errors.S3_ERROR_CLASSES).

        304 Not Modified (a conditional read that found nothing new) is not an error.
        """
        if self.ok or self.status == 304:
            return self
        error: Mapping[str, Any] = self.response.get("Error") or {}
        code = error.get("Code") or _code_for_status(self.status)
        raise s3_error(
            status=self.status,
            code=str(code),
            message=str(error.get("Message") or ""),
            request_id=error.get("RequestId") or self.headers.get("x-amz-request-id"),
            resource=error.get("Resource") or None,
            attempts=self.attempts,
        )

    async def stream(self) -> AsyncIterator[bytes]:
        """The body's bytes as they arrive (AsyncClient's `stream=True` answers); for any
        other answer, its `body` in one piece."""
        if self.body:
            yield self.body

    async def read(self) -> bytes:
        """The whole body: `stream()` joined."""
        return b"".join([chunk async for chunk in self.stream()])

    async def aclose(self) -> None:
        """Drop what a streamed answer has not read yet (nothing for any other)."""

    async def __aenter__(self) -> Response[BodyT, FieldsT]:
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        await self.aclose()

    def to_dict(self) -> dict[str, Any]:
        """Exactly {"status", "response", "headers"}, JSON-serialisable."""
        return {"status": self.status, "response": self.response, "headers": dict(self.headers)}

    def __repr__(self) -> str:
        return f"<Response status={self.status} response={self.response!r}>"


def _code_for_status(status: int) -> str:
    """A code for answers without a body (HEAD), named like S3's own."""
    return {
        400: "BadRequest",
        403: "Forbidden",
        404: "NotFound",
        301: "PermanentRedirect",
        307: "TemporaryRedirect",
        412: "PreconditionFailed",
    }.get(status, f"HTTP{status}")
