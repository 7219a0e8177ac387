"""S3WireFile: what S3WireFileSystem.open answers, reading with ranged GETs, writing with one
PUT (small files) or a multipart upload that is aborted unless the file is closed cleanly."""

from __future__ import annotations

import contextlib
import io
from types import TracebackType
from typing import TYPE_CHECKING, Any

from fsspec.asyn import sync
from fsspec.spec import AbstractBufferedFile

from ..errors import ParamError
from ..transfer.files import MIN_PART
from .multipart import Upload

if TYPE_CHECKING:
    from .filesystem import S3WireFileSystem


class S3WireFile(AbstractBufferedFile):  # type: ignore[misc]
    """A buffered file over one object: "rb", "wb" or "xb" (exclusive: refused when the key
    exists). Writing sends each `block_size` of data as a part; leaving a `with` block by an
    exception, or dropping the file unclosed, aborts the upload and writes nothing."""

    fs: S3WireFileSystem
    buffer: io.BytesIO

    def __init__(self, fs: S3WireFileSystem, path: str, mode: str = "rb", **kwargs: Any) -> None:
        if mode not in ("rb", "wb", "xb"):
            raise ParamError(f"S3WireFile opens in rb, wb or xb mode, not {mode!r}")
        block_size = kwargs.get("block_size")
        if mode != "rb" and block_size is not None and block_size < MIN_PART:
            raise ParamError(f"a writer's block_size is at least {MIN_PART} bytes (S3's)")
        self._upload: Upload | None = None
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

    async def _start(self) -> Upload:
        bucket, key = self.fs.split_path(self.path)
        return await Upload.start(await self.fs.client(), bucket, key)

    def _upload_chunk(self, final: bool = False) -> bool:
        """Send the buffer as parts of block_size; what is left of it (less than a block)
        stays buffered, unless this is the last flush: then it is the last part. Answers
        False when it set the buffer and offset itself (fsspec's flush then leaves them)."""
        data = self.buffer.getvalue()
        upload = self._upload
        if upload is not None:
            whole = len(data) if final else len(data) - len(data) % self.blocksize
            try:
                for first in range(0, whole, self.blocksize):
                    part = data[first : min(first + self.blocksize, whole)]
                    sync(self.fs.loop, upload.send, part)
            except BaseException:
                self._abandon()  # a part that failed: the upload is aborted, the file closed
                raise
            self.offset += whole
            self.buffer = io.BytesIO(data[whole:])
            self.buffer.seek(0, io.SEEK_END)
        else:
            self._held = data
        if final and self.autocommit:
            self.commit()
        return upload is None

    def commit(self) -> None:
        """Make the object: the held bytes' PUT, or the multipart upload's completion."""
        exclusive = self.mode == "xb"
        upload, self._upload = self._upload, None
        with self.fs.changing(self.path):  # in a transaction, long after close()
            if upload is not None:
                sync(self.fs.loop, upload.complete, exclusive)  # aborted when it fails
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
