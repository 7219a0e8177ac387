"""S3WireFile: what S3WireFileSystem.open answers, reading with ranged GETs, writing with one
PUT (small files) or a multipart upload that is aborted unless the file is closed cleanly."""

from __future__ import annotations

import contextlib
from types import TracebackType
from typing import TYPE_CHECKING, Any

from fsspec.asyn import sync
from fsspec.spec import AbstractBufferedFile

from ..errors import ParamError
from .multipart import MIN_PART_SIZE, MultipartUpload

if TYPE_CHECKING:
    from .filesystem import S3WireFileSystem


class S3WireFile(AbstractBufferedFile):  # type: ignore[misc]
    """A buffered file over one object: "rb", "wb" or "xb" (exclusive: refused when the key
    exists). Writing sends each `block_size` of data as a part; leaving a `with` block by an
    exception, or dropping the file unclosed, aborts the upload and writes nothing."""

    fs: S3WireFileSystem

    def __init__(self, fs: S3WireFileSystem, path: str, mode: str = "rb", **kwargs: Any) -> None:
        if mode not in ("rb", "wb", "xb"):
            raise ParamError(f"S3WireFile opens in rb, wb or xb mode, not {mode!r}")
        block_size = kwargs.get("block_size")
        if mode != "rb" and block_size is not None and block_size < MIN_PART_SIZE:
            raise ParamError(f"a writer's block_size is at least {MIN_PART_SIZE} bytes (S3's)")
        self._upload: MultipartUpload | None = None
        self._held: bytes | None = None  # a small file's bytes until commit (autocommit off)
        super().__init__(fs, path, mode, **kwargs)

    def _fetch_range(self, start: int, end: int) -> bytes:
        """Bytes of the object as it was when opened (its ETag): PreconditionFailedError once
        it has been replaced, rather than bytes of two versions."""
        etag = self.details.get("ETag") or None
        data: bytes = self.fs.cat_file(self.path, start=start, end=end, if_match=etag)
        return data

    def _initiate_upload(self) -> None:
        """A multipart upload when the data outgrows a block (else one PUT at the end)."""
        if not self.forced:
            self._upload = sync(self.fs.loop, self._start)

    async def _start(self) -> MultipartUpload:
        bucket, key = self.fs.split_path(self.path)
        return await MultipartUpload.start(await self.fs.client(), bucket, key)

    def _upload_chunk(self, final: bool = False) -> bool:
        data = self.buffer.getvalue()
        if self._upload is None:
            self._held = data
        elif data:
            sync(self.fs.loop, self._upload.send, data)
        if final and self.autocommit:
            self.commit()
        return True

    def commit(self) -> None:
        """Make the object: the held bytes' PUT, or the multipart upload's completion."""
        exclusive = self.mode == "xb"
        if self._upload is not None:
            sync(self.fs.loop, self._upload.complete, exclusive)
            self._upload = None
        elif self._held is not None:
            mode = "create" if exclusive else "overwrite"
            self.fs.pipe_file(self.path, self._held, mode=mode)
            self._held = None

    def discard(self) -> None:
        """Drop what was written: the multipart upload is aborted."""
        upload, self._upload, self._held = self._upload, None, None
        if upload is not None:
            sync(self.fs.loop, upload.abort)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if exc_type is not None and self.writable():
            self._abandon()
        else:
            self.close()

    def __del__(self) -> None:
        if not self.closed and self.writable():
            # At garbage collection nothing can be told: the abort is a best effort.
            with contextlib.suppress(Exception):
                self._abandon()
        elif not self.closed:
            self.close()

    def _abandon(self) -> None:
        """Close without writing the object."""
        try:
            self.discard()
        finally:
            self.closed = True
