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
    part_size_for,
)
from .objectargs import ObjectArgs
from .progress import Progress, ProgressCallback
from .workers import run_parallel


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
    check_concurrency(concurrency)
    extra = checked_args(extra)
    head = client.head_object(
        bucket=src_bucket, key=src_key, version_id=version_id, **extra.source_reads()
    ).raise_for_status()
    size = head.fields.get("content_length")
    if not isinstance(size, int):
        raise ResponseError("HeadObject answered no Content-Length")
    etag = head.fields.get("etag")
    source: CopySourceParts = {"bucket": src_bucket, "key": src_key}
    if version_id is not None:
        source["version_id"] = version_id
    meter = Progress(size, progress)
    if size <= threshold:
        copied = client.copy_object(
            bucket=dst_bucket,
            key=dst_key,
            copy_source=source,
            copy_source_if_match=etag,
            tagging_directive="REPLACE" if extra.tagging else None,
            **extra.creating(),
            **extra.copy_source(),
        ).raise_for_status()
        meter.add(size)
        return copied
    chosen = part_size_for(size, part_size or client.part_size)  # at most 5 GiB
    created = client.create_multipart_upload(
        bucket=dst_bucket,
        key=dst_key,
        content_type=head.fields.get("content_type"),
        metadata=head.fields.get("metadata") or None,
        **extra.creating(),
    ).raise_for_status()
    upload_id = created.response["InitiateMultipartUploadResult"]["UploadId"]
    upload = MultipartUpload(client, dst_bucket, dst_key, upload_id, ("md5",), extra)
    parts: list[CompletedPart] = []

    def copy_range(piece: tuple[int, tuple[int, int, str | None]]) -> None:
        number, (_, length, byte_range) = piece
        answer = client.upload_part_copy(
            bucket=dst_bucket,
            key=dst_key,
            upload_id=upload_id,
            part_number=number,
            copy_source=source,
            copy_source_range=byte_range,
            copy_source_if_match=etag,
            **extra.each_request(),
            **extra.copy_source(),
        ).raise_for_status()
        part_etag = answer.response.get("CopyPartResult", {}).get("ETag")
        if not isinstance(part_etag, str):
            raise ResponseError("UploadPartCopy answered no ETag")
        parts.append({"part_number": number, "etag": part_etag})
        meter.add(length)

    try:
        pieces = list(enumerate(byte_ranges(size, chosen), start=1))
        run_parallel(min(concurrency, len(pieces)), iter(pieces), copy_range)
        return upload.complete(parts)
    except BaseException:
        upload.abort()
        raise
