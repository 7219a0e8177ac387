"""copy_file: one CopyObject up to 5 GiB, parallel UploadPartCopy ranges above (S3's limit for
a single copy)."""

from __future__ import annotations

from typing import Any

from .._generated.operations import GeneratedOperations
from .._generated.records import CompletedPart
from .._wire import CopySourceParts
from ..errors import ResponseError
from ..limits import DEFAULT_CONCURRENCY, MAX_COPY
from ..response import Response
from .files import (
    MultipartUpload,
    byte_ranges,
    check_concurrency,
    checked_args,
    content_length,
    part_size_for,
    upload_id_of,
)
from .objectargs import ObjectArgs
from .progress import Progress, ProgressCallback
from .workers import run_parallel

Piece = tuple[int, tuple[int, int, str | None]]  # part number, (offset, length, Range)


def copy_file(
    client: GeneratedOperations,
    src_bucket: str,
    src_key: str,
    dst_bucket: str,
    dst_key: str,
    *,
    version_id: str | None = None,
    extra: ObjectArgs | None = None,
    concurrency: int = DEFAULT_CONCURRENCY,
    part_size: int | None = None,
    threshold: int = MAX_COPY,
    progress: ProgressCallback | None = None,
) -> Response[Any, Any]:
    """Copy an object server-side, pinned to the source's ETag (a source replaced meanwhile
    fails with 412).

    Up to `threshold` bytes (5 GiB, S3's limit): one CopyObject. Above: a multipart upload of
    UploadPartCopy ranges on `concurrency` threads, with the source's content type and
    metadata, aborted on any failure. Error answers raise S3Error. Answers the CopyObject or
    CompleteMultipartUpload Response. `extra` (ObjectArgs): copy_source_sse_customer_key is the
    source's SSE-C key (sent on its HeadObject and as x-amz-copy-source-server-side-encryption-
    customer-*), sse_customer_key the copy's; storage class, ACL, tagging, encryption,
    request-payer and expected owner go on the copy's requests.
    """
    plan = CopyPlan(src_bucket, src_key, dst_bucket, dst_key, version_id, extra, concurrency)
    head = client.head_object(**plan.head_args()).raise_for_status()
    plan.planned(head)
    meter = Progress(plan.size, progress)
    if plan.size <= threshold:
        copied = client.copy_object(**plan.copy_args()).raise_for_status()
        meter.add(plan.size)
        return copied
    pieces = plan.pieces(part_size or client.part_size)
    created = client.create_multipart_upload(**plan.create_args(head))
    upload = MultipartUpload(client, dst_bucket, dst_key, upload_id_of(created), ("md5",), extra)
    parts: list[CompletedPart] = []

    def copy_range(piece: Piece) -> None:
        number, (_, length, byte_range) = piece
        answer = client.upload_part_copy(**plan.part_args(upload.upload_id, number, byte_range))
        parts.append(plan.entry(number, answer))
        meter.add(length)

    try:
        run_parallel(min(concurrency, len(pieces)), iter(pieces), copy_range)
        return upload.complete(parts)
    except BaseException:
        upload.abort()
        raise


class CopyPlan:
    """What a copy decides: its requests' arguments, once HeadObject answered the source's
    size and ETag (`planned`), and the ranges of a multipart copy."""

    def __init__(
        self,
        src_bucket: str,
        src_key: str,
        dst_bucket: str,
        dst_key: str,
        version_id: str | None,
        extra: ObjectArgs | None,
        concurrency: int,
    ) -> None:
        check_concurrency(concurrency)
        self.src_bucket, self.src_key, self.version_id = src_bucket, src_key, version_id
        self.dst_bucket, self.dst_key, self.extra = dst_bucket, dst_key, checked_args(extra)
        self.source: CopySourceParts = {"bucket": src_bucket, "key": src_key}
        if version_id is not None:
            self.source["version_id"] = version_id
        self.size = 0
        self.etag: str | None = None

    def head_args(self) -> dict[str, Any]:
        """The source's HeadObject arguments (its SSE-C key, if any)."""
        return {
            "bucket": self.src_bucket,
            "key": self.src_key,
            "version_id": self.version_id,
            **self.extra.source_reads(),
        }

    def planned(self, head: Response[Any, Any]) -> None:
        """The source's size and ETag, from its HeadObject answer."""
        self.size, self.etag = content_length(head), head.fields.get("etag")

    def copy_args(self) -> dict[str, Any]:
        """The one CopyObject's arguments."""
        return {
            "bucket": self.dst_bucket,
            "key": self.dst_key,
            "copy_source": self.source,
            "copy_source_if_match": self.etag,
            "tagging_directive": "REPLACE" if self.extra.tagging else None,
            **self.extra.creating(),
            **self.extra.copy_source(),
        }

    def create_args(self, head: Response[Any, Any]) -> dict[str, Any]:
        """A multipart copy's CreateMultipartUpload arguments: the source's content type and
        metadata."""
        return {
            "bucket": self.dst_bucket,
            "key": self.dst_key,
            "content_type": head.fields.get("content_type"),
            "metadata": head.fields.get("metadata") or None,
            **self.extra.creating(),
        }

    def pieces(self, part_size: int) -> list[Piece]:
        """The numbered ranges of a multipart copy (parts of at most 5 GiB)."""
        return list(enumerate(byte_ranges(self.size, part_size_for(self.size, part_size)), 1))

    def part_args(self, upload_id: str, number: int, byte_range: str | None) -> dict[str, Any]:
        """One UploadPartCopy's arguments, pinned to the source's ETag."""
        return {
            "bucket": self.dst_bucket,
            "key": self.dst_key,
            "upload_id": upload_id,
            "part_number": number,
            "copy_source": self.source,
            "copy_source_range": byte_range,
            "copy_source_if_match": self.etag,
            **self.extra.each_request(),
            **self.extra.copy_source(),
        }

    def entry(self, number: int, answer: Response[Any, Any]) -> CompletedPart:
        """A copied part's entry for CompleteMultipartUpload (S3Error for an error answer)."""
        part_etag = answer.raise_for_status().response.get("CopyPartResult", {}).get("ETag")
        if not isinstance(part_etag, str):
            raise ResponseError("UploadPartCopy answered no ETag")
        return {"part_number": number, "etag": part_etag}
