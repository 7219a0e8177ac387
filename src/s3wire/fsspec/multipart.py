"""A multipart upload as the filesystem's writers use it: start, send parts, complete or abort."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .errors import checked

if TYPE_CHECKING:
    from .._generated.records import CompletedPart
    from ..async_client import AsyncClient

MIN_PART_SIZE = 5 * 1024 * 1024  # S3's least size for every part but the last


class MultipartUpload:
    """One upload in progress: its parts are sent in order, then completed or aborted."""

    def __init__(self, client: AsyncClient, bucket: str, key: str, upload_id: str) -> None:
        self._client = client
        self._bucket = bucket
        self._key = key
        self._upload_id = upload_id
        self._sent = 0
        self._etags: dict[int, str] = {}

    @classmethod
    async def start(cls, client: AsyncClient, bucket: str, key: str) -> MultipartUpload:
        """CreateMultipartUpload for the key."""
        answer = await client.create_multipart_upload(bucket=bucket, key=key)
        checked(answer, f"{bucket}/{key}")
        upload_id = answer.response["InitiateMultipartUploadResult"]["UploadId"]
        return cls(client, bucket, key, str(upload_id))

    async def send(self, data: bytes) -> None:
        """Upload the next part (numbered when called: sends may run concurrently)."""
        self._sent += 1
        number = self._sent
        answer = await self._client.upload_part(
            bucket=self._bucket,
            key=self._key,
            upload_id=self._upload_id,
            part_number=number,
            body=data,
        )
        checked(answer, f"{self._bucket}/{self._key}")
        self._etags[number] = answer.fields["etag"]

    async def complete(self, exclusive: bool = False) -> None:
        """CompleteMultipartUpload (refused with FileExistsS3Error when `exclusive` and the key
        exists); the upload is aborted when completing fails."""
        parts: list[CompletedPart] = [
            {"part_number": number, "etag": self._etags[number]} for number in sorted(self._etags)
        ]
        try:
            answer = await self._client.complete_multipart_upload(
                bucket=self._bucket,
                key=self._key,
                upload_id=self._upload_id,
                parts=parts,
                if_none_match="*" if exclusive else None,
            )
            checked(answer, f"{self._bucket}/{self._key}")
        except BaseException:
            await self.abort()
            raise

    async def abort(self) -> None:
        """AbortMultipartUpload: the parts sent are dropped (an upload already gone is fine)."""
        answer = await self._client.abort_multipart_upload(
            bucket=self._bucket, key=self._key, upload_id=self._upload_id
        )
        if answer.status != 404:
            checked(answer, f"{self._bucket}/{self._key}")
