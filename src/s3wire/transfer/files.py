"""Whole-file transfers: upload_file (one PUT, or parallel parts) and download_file (parallel
ranged GETs into a temporary file).

Both hold at most `concurrency` parts in memory whatever the file's size, and leave nothing
behind when they fail: an upload aborts its multipart upload, a download deletes its temporary
file and leaves the destination as it was.
"""

from __future__ import annotations

import contextlib
import io
import os
import stat
import warnings
from collections.abc import Iterator, Mapping
from typing import IO, Any, Generic, Literal, NamedTuple, TypeVar, cast

from .._checksums.combine import COMBINABLE
from .._core import ClientCore
from .._generated.operations import GeneratedOperations
from .._generated.records import ChecksumAlgorithm, CompletedPart
from ..config import UPLOAD_CHECKSUMS
from ..errors import ParamError, ResponseError, S3wireError
from ..integrity import (
    ObjectCheck,
    base64_digests,
    bytes_left,
    full_object_checksums,
    stream_chunks,
)
from ..limits import DEFAULT_CONCURRENCY
from ..localfile import local_file
from ..response import Response
from . import savefile
from .composite import composite_check
from .filewindow import DownloadWindow, FileWindow
from .objectargs import NO_ARGS, ObjectArgs, check_metadata, content_type_for
from .progress import Progress, ProgressCallback
from .rangecheck import Range, RangeCheck, spans
from .workers import run_parallel

Source = str | os.PathLike[str] | IO[bytes]
Checksum = Literal["md5", "crc32", "crc32c", "crc64nvme", "sha1", "sha256"]
_ALGORITHM_NAMES: dict[str, ChecksumAlgorithm] = {
    "crc32": "CRC32",
    "crc32c": "CRC32C",
    "crc64nvme": "CRC64NVME",
    "sha1": "SHA1",
    "sha256": "SHA256",
}
# The checksums S3 combines only over the whole object (FULL_OBJECT), not part by part.
FULL_OBJECT_ONLY = frozenset({"crc64nvme"})
Part = bytes | FileWindow  # a part read into memory, or a window of a file read when sent
MAX_PARTS = 10_000
MIB = 1024 * 1024
MIN_PART, MAX_PART = 5 * MIB, 5 * 1024 * MIB
# Ranges are not S3 parts (streamed, they cost no memory): small ones spread the work evenly
# over the threads, and a range that fails is fetched again at little cost.
DOWNLOAD_RANGE = 8 * MIB


def upload_file(
    client: GeneratedOperations,
    bucket: str,
    key: str,
    source: Source,
    *,
    content_type: str | None = None,
    metadata: Mapping[str, str] | None = None,
    extra: ObjectArgs | None = None,
    concurrency: int = DEFAULT_CONCURRENCY,
    part_size: int | None = None,
    checksum: Checksum | None = None,
    progress: ProgressCallback | None = None,
) -> Response[Any, Any]:
    """Store a file (a path or a binary file object, read from its current position).

    Smaller than the part size (`part_size`, else the connection's): one streamed PutObject.
    Otherwise a multipart upload whose parts go up on `concurrency` threads, each read only
    when a thread is free to send it; the part size grows so that no upload needs more than
    10,000 parts. Each part (and a single PutObject) carries its checksum: `checksum`
    ("crc32", "crc32c", "crc64nvme", "sha1", "sha256": x-amz-checksum-*, declared on
    CreateMultipartUpload and listed in CompleteMultipartUpload; "md5": Content-MD5 only),
    else the connection's (client.upload_checksum, Content-MD5 when that is None); beside a
    checksum, its Content-MD5 too when client.md5_with_checksum (servers other than AWS, some
    of which ignore x-amz-checksum-*). See docs/integrity.md. The content type is guessed
    from the file's name (mimetypes) unless `content_type` is given ("": none is sent);
    `metadata` goes as x-amz-meta-*; `extra` (ObjectArgs) sets the rest, SSE-C,
    request-payer and expected owner on every request of the upload. On any failure the
    upload is aborted. Error answers raise S3Error; a source that cannot be opened or read,
    LocalFileError. Answers the final PutObject or CompleteMultipartUpload Response.
    """
    plan = plan_upload(client, source, content_type, metadata, extra, concurrency, checksum)
    with local_file("upload_file: cannot read", source), opened(source) as stream:
        size = remaining(stream)
        chosen = part_size_for(size, part_size or client.part_size)
        meter = Progress(size if size is not None else 0, progress)
        if size is not None and size < chosen:
            given = put_digests(stream, plan.digests)
            answer = client.put_object(**plan.put_args(bucket, key, stream, given))
            answer.raise_for_status()
            meter.add(size)
            return answer
        created = client.create_multipart_upload(**plan.create_args(bucket, key))
        upload = MultipartUpload(client, bucket, key, upload_id_of(created), *plan.part_checks())
        try:
            parts: list[CompletedPart] = []

            def send(job: tuple[int, Part]) -> None:
                parts.append(upload.send(*job))
                meter.add(len(job[1]))

            jobs, workers = part_jobs(stream, size, chosen, concurrency)
            run_parallel(workers, jobs, send)
            return upload.complete(parts)
        except BaseException:
            upload.abort()
            raise


class UploadPlan(NamedTuple):
    """What upload_file decided from its arguments, before any I/O: the checksum, whether the
    client sends it in a trailer, the digests each body gets, the options and the attributes
    of the object."""

    checksum: Checksum
    trailing: bool
    digests: tuple[str, ...]
    extra: ObjectArgs
    attributes: dict[str, Any]

    def put_args(
        self, bucket: str, key: str, stream: IO[bytes], given: Mapping[str, str]
    ) -> dict[str, Any]:
        """PutObject's arguments for the rest of the stream, with its digests `given`."""
        return {"bucket": bucket, "key": key, "body": stream, **given, **self.attributes}

    def create_args(self, bucket: str, key: str) -> dict[str, Any]:
        """CreateMultipartUpload's arguments: the checksum declared, the attributes."""
        checksum = self.checksum
        return {
            "bucket": bucket,
            "key": key,
            "checksum_algorithm": None if checksum == "md5" else _ALGORITHM_NAMES[checksum],
            "checksum_type": "FULL_OBJECT" if checksum in FULL_OBJECT_ONLY else None,
            **self.attributes,
        }

    def part_checks(self) -> tuple[tuple[str, ...], ObjectArgs, str | None]:
        """A multipart upload's digests, options and trailer checksum (Multipart's)."""
        return self.digests, self.extra, self.checksum if self.trailing else None


def plan_upload(
    client: ClientCore,
    source: Source,
    content_type: str | None,
    metadata: Mapping[str, str] | None,
    extra: ObjectArgs | None,
    concurrency: int,
    checksum: Checksum | None,
) -> UploadPlan:
    """upload_file's arguments checked (ParamError) and its decisions made."""
    check_concurrency(concurrency)
    if checksum is None:
        checksum = cast(Checksum, client.upload_checksum or "md5")
    if checksum not in UPLOAD_CHECKSUMS:
        raise ParamError(f"checksum must be one of {', '.join(UPLOAD_CHECKSUMS)}; not {checksum!r}")
    # Over https to AWS the client sends the connection's checksum in a trailer, as it reads.
    trailing = client.trailing_checksums and checksum == client.upload_checksum
    digests = () if trailing else _digests_for(checksum, client.md5_with_checksum)
    check_metadata(metadata)
    extra = checked_args(extra)
    attributes = {
        **extra.creating(),
        "content_type": content_type_for(source, content_type),
        "metadata": dict(metadata) if metadata else None,
    }
    return UploadPlan(checksum, trailing, digests, extra, attributes)


def upload_id_of(created: Response[Any, Any]) -> str:
    """The UploadId of a CreateMultipartUpload answer (S3Error for an error answer)."""
    return str(created.raise_for_status().response["InitiateMultipartUploadResult"]["UploadId"])


def part_jobs(
    stream: IO[bytes], size: int | None, part_size: int, concurrency: int
) -> tuple[Iterator[tuple[int, Part]], int]:
    """The parts of the rest of a stream, each read when taken (windows of a regular file,
    else chunks read into memory), and how many workers send them."""
    fd = _regular_file(stream)
    jobs: Iterator[tuple[int, Part]]
    if size is None or fd is None:
        jobs = _chunks(stream, part_size)
    else:
        jobs = _windows(fd, stream.tell(), size, part_size)
    workers = concurrency if size is None else min(concurrency, -(-size // part_size))
    return jobs, workers


def download_file(
    client: GeneratedOperations,
    bucket: str,
    key: str,
    dest: str | os.PathLike[str],
    *,
    version_id: str | None = None,
    extra: ObjectArgs | None = None,
    concurrency: int = DEFAULT_CONCURRENCY,
    part_size: int | None = None,
    progress: ProgressCallback | None = None,
) -> Response[Any, Any]:
    """Save an object to dest, which is replaced only once the whole object has arrived.

    HeadObject first; then one GetObject, or ranged GETs of `part_size` (else the connection's
    part size, up to 8 MiB) on `concurrency` threads, each conditional on the ETag (an object
    replaced meanwhile fails with 412) and streamed in place (pwrite) into a private (0600)
    temporary file of the object's size beside dest: memory holds a chunk per thread, not
    a range.
    Each range must arrive whole, and the bytes are checked as they arrive (ChecksumError),
    never read back: a full-object CRC is made of the ranges' CRCs; a composite checksum
    whose parts GetObjectAttributes lists, of the parts' checksums (no range crosses a part);
    an object whose only checks are an MD5 ETag or a full-object SHA (which cannot be made of
    pieces) comes in one GET, hashed as it arrives (faster here than ranges read back:
    bench/RESULTS.md). The file is synced (unless the connection's fsync_downloads is False)
    and renamed over dest (a symbolic link there is replaced, not followed); it gets the mode
    of the file it replaces, else that of a new file (0666 minus the umask): see
    s3wire.transfer.savefile.
    Error answers raise S3Error; a destination that cannot be written (a missing folder, a
    full disk), LocalFileError, and the temporary file is removed.
    `extra` (ObjectArgs): its SSE-C key, request-payer and expected owner go on the HeadObject
    and every GetObject. Answers the HeadObject Response.
    """
    check_concurrency(concurrency)
    directory, name = os.path.split(os.path.abspath(os.fspath(dest)))
    with local_file("download_file: cannot write", dest):
        folder = savefile.open_folder(directory)
        try:
            return save_object(
                client,
                bucket,
                key,
                folder,
                name,
                version_id=version_id,
                extra=extra,
                concurrency=concurrency,
                part_size=part_size,
                progress=progress,
            )
        finally:
            os.close(folder)


def save_object(
    client: GeneratedOperations,
    bucket: str,
    key: str,
    folder: int,
    name: str,
    *,
    version_id: str | None = None,
    extra: ObjectArgs | None = None,
    concurrency: int = DEFAULT_CONCURRENCY,
    part_size: int | None = None,
    progress: ProgressCallback | None = None,
    mtime: float | None = None,
    listed: tuple[int, str] | None = None,
) -> Response[Any, Any]:
    """download_file into the file `name` of an open folder (a descriptor), every name
    resolved relative to it; `mtime` (seconds), if given, is set before the rename. The
    caller names local failures (local_file): here they are the OSErrors of the calls.
    `listed`: the object's size and ETag as a listing gave them; an object of that size that
    comes in one GET is fetched without the HeadObject (the GET, conditional on the ETag, is
    checked as it arrives) and the GetObject's answer is returned."""
    check_concurrency(concurrency)
    plan = DownloadPlan(
        bucket, key, version_id, checked_args(extra), durable=client.fsync_downloads
    )
    range_size = part_size or min(client.part_size, DOWNLOAD_RANGE)
    head: Response[Any, Any] | None = None
    if listed is None or not plan.listed_as(*listed, range_size):
        head = client.head_object(**plan.head_args(client)).raise_for_status()
        plan.planned(head, range_size)
    meter = Progress(plan.size, progress)
    if plan.lists_parts and head is not None:
        plan.listed(composite_check(client, bucket, key, head.headers, version_id, plan.reads))
    answers: list[Response[Any, Any]] = []
    with savefile.saving(folder, name) as saved:
        fd = saved.fd
        os.ftruncate(fd, plan.size)  # sparse: reserving blocks (fallocate) slows every write

        def fetch(piece: Range) -> None:
            window = plan.window(fd, piece)
            got = client.get_object(**plan.get_args(piece[2]), into=window).raise_for_status()
            plan.arrived(fd, piece, window)
            meter.add(piece[1])
            answers.append(got)

        run_parallel(min(concurrency, len(plan.pieces)), iter(plan.pieces), fetch)
        plan.verify()
        saved.commit(mtime, durable=plan.durable)
    return head if head is not None else answers[0]


class DownloadPlan:
    """What a download decides: its requests' arguments, the ranges it fetches (once
    HeadObject answered: `planned`; and the parts listed: `listed`) and the check of what
    arrived (rangecheck.RangeCheck: None when a single GET checks itself, or nothing can be
    checked). `durable`: the file is synced before its rename (the connection's
    fsync_downloads), and each range handed to the disk as it is written."""

    def __init__(
        self, bucket: str, key: str, version_id: str | None, extra: ObjectArgs, *, durable: bool
    ) -> None:
        self.bucket, self.key, self.version_id = bucket, key, version_id
        self.durable = durable
        self.reads = extra.each_request()
        self.size = self.range_size = 0
        self.etag: str | None = None
        self.pieces: list[Range] = []
        self.check: RangeCheck | None = None
        self.in_order: ObjectCheck | None = None  # fed the ranges in order (planned in_order)

    def head_args(self, client: ClientCore) -> dict[str, Any]:
        """HeadObject's arguments (the object's checksums asked for when the client asks)."""
        return {
            "bucket": self.bucket,
            "key": self.key,
            "version_id": self.version_id,
            "checksum_mode": "ENABLED" if client.asks_checksums else None,
            **self.reads,
        }

    def planned(self, head: Response[Any, Any], range_size: int, *, in_order: bool = False) -> None:
        """The ranges of the object HeadObject answered and their check: its full-object CRCs
        made of the ranges'; an object checked only by what cannot be made of pieces (an MD5
        ETag, a SHA) in one GET, which checks itself as it arrives, or, `in_order` (ranges
        held in memory), in ranges that the caller feeds `in_order` one after the other."""
        self.size, self.etag = content_length(head), head.fields.get("etag")
        self.range_size = part_size_for(self.size, range_size)
        self.pieces = list(byte_ranges(self.size, self.range_size))
        crcs = [item for item in full_object_checksums(head.headers) if item[0] in COMBINABLE]
        whole = ObjectCheck(200, head.headers)
        if len(self.pieces) == 1:
            return
        if crcs:
            self.check = RangeCheck.whole(crcs, self.size)
        elif whole and in_order:
            self.in_order = whole
        elif whole:
            self.pieces = [(0, self.size, None)]

    def listed_as(self, size: int, etag: str, part_size: int) -> bool:
        """Plan from a listing's size and ETag, when the object comes in one GET (then its
        answer's own checks apply); False, nothing planned, when it would not."""
        pieces = list(byte_ranges(size, part_size_for(size, part_size)))
        if not etag or len(pieces) > 1:
            return False
        self.size, self.etag, self.pieces = size, etag, pieces
        return True

    @property
    def lists_parts(self) -> bool:
        """Whether the object's parts are worth listing: ranges with nothing else to check."""
        return self.check is None and self.in_order is None and len(self.pieces) > 1

    def listed(self, check: RangeCheck | None) -> None:
        """The check of the object's parts (composite.composite_check): the ranges then fit
        in the parts. One of other bytes than the object's is not taken."""
        if check is not None and check.size == self.size:
            self.check = check
            self.pieces = check.pieces(self.range_size)

    def get_args(self, byte_range: str | None) -> dict[str, Any]:
        """One GetObject's arguments, conditional on the ETag (an object replaced meanwhile
        fails with 412)."""
        return {
            "bucket": self.bucket,
            "key": self.key,
            "version_id": self.version_id,
            "range": byte_range,
            "if_match": self.etag,
            **self.reads,
        }

    def window(self, fd: int, piece: Range) -> DownloadWindow:
        """Where a range goes in the file, its digests computed on the way when checked."""
        first, length, _ = piece
        digests = None if self.check is None else self.check.digests()
        return DownloadWindow(fd, first, length, digests)

    def arrived(self, fd: int, piece: Range, window: DownloadWindow) -> None:
        """A range written to the file: it must be whole (ResponseError); its digests are
        kept for `verify`, and (`durable`) its bytes go to disk while others arrive."""
        first, length, _ = piece
        if window.tell() != length:
            raise ResponseError(f"got {window.tell()} bytes of {length}")
        if self.check is not None and window.digests is not None:
            self.check.arrived(first, length, window.digests)
        if self.durable:
            _start_writeback(fd, first, length)

    def verify(self) -> None:
        """ChecksumError when the ranges do not add up to the object's checksums (a single GET
        was checked as it arrived)."""
        if self.check is not None:
            self.check.verify()
        if self.in_order is not None:
            self.in_order.verify("the downloaded bytes")


def content_length(head: Response[Any, Any]) -> int:
    """A HeadObject answer's Content-Length (ResponseError when it has none)."""
    size = head.fields.get("content_length")
    if not isinstance(size, int):
        raise ResponseError("HeadObject answered no Content-Length")
    return size


def part_size_for(size: int | None, part_size: int) -> int:
    """The part size to use: `part_size` (5 MiB to 5 GiB), grown to a whole MiB so that `size`
    bytes need no more than 10,000 parts."""
    if isinstance(part_size, bool) or not isinstance(part_size, int):
        raise ParamError("part_size must be an int (bytes)")
    if not MIN_PART <= part_size <= MAX_PART:
        raise ParamError("part_size must be between 5 MiB and 5 GiB (S3's part limits)")
    if size is None or size <= part_size * MAX_PARTS:
        return part_size
    needed = -(-size // MAX_PARTS)
    grown = -(-needed // MIB) * MIB
    if grown > MAX_PART:
        raise ParamError(f"{size} bytes are more than S3's largest object (10,000 parts of 5 GiB)")
    return grown


def checked_args(extra: ObjectArgs | None) -> ObjectArgs:
    """extra, or no options for None; anything else raises ParamError."""
    if extra is None:
        return NO_ARGS
    if not isinstance(extra, ObjectArgs):
        raise ParamError(f"extra must be an ObjectArgs, not {type(extra).__name__}")
    return extra


def check_concurrency(concurrency: int) -> None:
    if isinstance(concurrency, bool) or not isinstance(concurrency, int) or concurrency < 1:
        raise ParamError(f"concurrency must be an int of 1 or more, not {concurrency!r}")


@contextlib.contextmanager
def opened(source: Source) -> Iterator[IO[bytes]]:
    """A path opened for reading (closed afterwards), or the caller's file object as is."""
    if isinstance(source, str | os.PathLike):
        with open(source, "rb") as stream:
            yield stream
    elif hasattr(source, "read"):
        yield source
    else:
        kind = type(source).__name__
        raise ParamError(f"source must be a path or a binary file object, not {kind}")


def remaining(stream: IO[bytes]) -> int | None:
    """Bytes from the current position to the end, or None for a stream that cannot seek."""
    return bytes_left(stream) if stream.seekable() else None


def _digests_for(checksum: Checksum, md5_too: bool) -> tuple[str, ...]:
    """The digests each body gets: the checksum, and the MD5 beside it when `md5_too`."""
    if checksum == "md5" or not md5_too:
        return (checksum,)
    return (checksum, "md5")


def _digest_args(chunks: Iterator[bytes | memoryview], digests: tuple[str, ...]) -> dict[str, str]:
    """The digests of a body (read once) as put_object / upload_part arguments."""
    values = base64_digests(chunks, digests)
    return {
        ("content_md5" if name == "md5" else f"checksum_{name}"): value
        for name, value in zip(digests, values, strict=True)
    }


def put_digests(stream: IO[bytes], digests: tuple[str, ...]) -> dict[str, str]:
    """The digests of the rest of a stream (read, then put back) as put_object arguments; none
    when the client sends its checksum in a trailer as it reads. An empty rest is sent as
    b"", with its Content-Length: S3 refuses chunked uploads (_request.prepare.payload_body)."""
    if not digests:
        return {}
    with local_file("cannot read the body", stream):
        start = stream.tell()
        given = _digest_args(stream_chunks(stream), digests)
        stream.seek(start)
    return given


def _chunks(stream: IO[bytes], part_size: int) -> Iterator[tuple[int, bytes]]:
    """(part number, bytes) of each part: at least one (maybe empty), never an empty one after."""
    number = 0
    while True:
        chunk = _read(stream, part_size)
        if number and not chunk:
            return
        number += 1
        if number > MAX_PARTS:
            raise ParamError(f"the source needs over {MAX_PARTS} parts of part_size {part_size}")
        last = len(chunk) < part_size
        yield number, chunk
        del chunk  # before reading the next: only the workers hold parts
        if last:
            return


def _regular_file(stream: IO[bytes]) -> int | None:
    """The file descriptor of a stream that is a regular file, else None."""
    try:
        fd = stream.fileno()
        return fd if stat.S_ISREG(os.fstat(fd).st_mode) else None
    except (OSError, ValueError, AttributeError):  # io.UnsupportedOperation is both
        return None


def _windows(fd: int, start: int, size: int, part_size: int) -> Iterator[tuple[int, Part]]:
    """(part number, window) of each part of a regular file: read when sent, never held."""
    for number, (first, length, _) in enumerate(byte_ranges(size, part_size), start=1):
        yield number, FileWindow(fd, start + first, length)


def _read(stream: IO[bytes], size: int) -> bytes:
    """Up to size bytes: fewer only at the end of the stream."""
    chunks: list[bytes] = []
    remaining = size
    while remaining:
        chunk = stream.read(remaining)
        if not chunk:
            break
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


ClientT = TypeVar("ClientT")


class Multipart(Generic[ClientT]):
    """One multipart upload's decisions: its requests' arguments, its parts' entries, what a
    failed abort warns; MultipartUpload (here) and the async one send them with `client`."""

    def __init__(
        self,
        client: ClientT,
        bucket: str,
        key: str,
        upload_id: str,
        digests: tuple[str, ...],
        extra: ObjectArgs | None = None,
        answered: str | None = None,
    ) -> None:
        """`digests`: each part's, computed before it is sent; `answered`: the checksum the
        client sends in a trailer, taken from UploadPart's answer for the part's entry."""
        self.client, self.bucket, self.key = client, bucket, key
        self.upload_id, self.digests, self.extra = upload_id, digests, extra or NO_ARGS
        self.answered = answered

    def part_digests(self, part: Part) -> dict[str, str]:
        """A part's digests as UploadPart arguments (a window is read for them)."""
        if not self.digests:
            return {}
        chunks = part.chunks() if isinstance(part, FileWindow) else iter((part,))
        return _digest_args(chunks, self.digests)

    def part_args(self, number: int, part: Part, given: Mapping[str, str]) -> dict[str, Any]:
        """UploadPart's arguments: the body streamed, its digests `given` its integrity check
        (so no SHA-256 of it is computed)."""
        return {
            "bucket": self.bucket,
            "key": self.key,
            "upload_id": self.upload_id,
            "part_number": number,
            "body": cast(IO[bytes], part) if isinstance(part, FileWindow) else io.BytesIO(part),
            **given,
            **self.extra.each_request(),
        }

    def entry(
        self, number: int, given: Mapping[str, str], answer: Response[Any, Any]
    ) -> CompletedPart:
        """A sent part's entry for CompleteMultipartUpload, with its checksum."""
        etag = answer.raise_for_status().fields.get("etag")
        if not isinstance(etag, str):
            raise ResponseError("UploadPart answered no ETag")
        entry: CompletedPart = {"part_number": number, "etag": etag}
        entry.update(
            cast(CompletedPart, {name: v for name, v in given.items() if name != "content_md5"})
        )
        if self.answered is not None:
            value = answer.headers.get(f"x-amz-checksum-{self.answered}")
            if not value:
                raise ResponseError(f"UploadPart answered no x-amz-checksum-{self.answered}")
            entry.update(cast(CompletedPart, {f"checksum_{self.answered}": value}))
        return entry

    def complete_args(
        self, parts: list[CompletedPart], if_none_match: str | None = None
    ) -> dict[str, Any]:
        """CompleteMultipartUpload's arguments, the parts in order; `if_none_match="*"` makes
        the object only where the key is free (412 otherwise)."""
        parts.sort(key=lambda part: part["part_number"])
        return {
            "bucket": self.bucket,
            "key": self.key,
            "upload_id": self.upload_id,
            "parts": parts,
            "if_none_match": if_none_match,
            **self.extra.each_request(),
        }

    def abort_args(self) -> dict[str, Any]:
        """AbortMultipartUpload's arguments."""
        return {
            "bucket": self.bucket,
            "key": self.key,
            "upload_id": self.upload_id,
            **self.extra.abort_args(),
        }

    def aborted(self, answer: Response[Any, Any] | S3wireError) -> None:
        """Warn unless the abort's answer (or failure) says the parts are gone."""
        if isinstance(answer, S3wireError):
            problem = str(answer)
        elif answer.ok or answer.status == 404:
            return
        else:
            problem = f"status {answer.status}"
        warnings.warn(
            f"could not abort multipart upload {self.upload_id} of {self.bucket}/{self.key} "
            f"({problem}); its parts stay stored until it is aborted",
            RuntimeWarning,
            stacklevel=5,
        )


class MultipartUpload(Multipart[GeneratedOperations]):
    """One multipart upload: its parts, its completion, its abort."""

    def send(self, number: int, part: Part) -> CompletedPart:
        """Send one part (tried again on transient failures by the client); answer its entry
        for CompleteMultipartUpload, with its checksum."""
        given = self.part_digests(part)
        answer = self.client.upload_part(**self.part_args(number, part, given))
        return self.entry(number, given, answer)

    def complete(self, parts: list[CompletedPart]) -> Response[Any, Any]:
        """CompleteMultipartUpload with the parts in order; an error answer, an error inside a
        200 too, raises S3Error."""
        return self.client.complete_multipart_upload(**self.complete_args(parts)).raise_for_status()

    def abort(self) -> None:
        """Abort the upload (its parts are deleted); warn if that fails too."""
        try:
            answer: Response[Any, Any] | S3wireError = self.client.abort_multipart_upload(
                **self.abort_args()
            )
        except S3wireError as exc:
            answer = exc
        self.aborted(answer)


def byte_ranges(size: int, part_size: int) -> Iterator[Range]:
    """(offset, length, Range) of each GetObject: no Range (the whole object) when it fits in
    one part."""
    if size <= part_size:
        yield 0, size, None
        return
    for first, length in spans(0, size, part_size):
        yield first, length, f"bytes={first}-{first + length - 1}"


def _start_writeback(fd: int, offset: int, length: int) -> None:
    """Have the kernel start writing a finished range to disk now, so that the fsync before
    the rename has little left to do (Linux: POSIX_FADV_DONTNEED starts the writeback, and
    drops the range's pages from the cache once written). Elsewhere, nothing."""
    if hasattr(os, "posix_fadvise"):
        os.posix_fadvise(fd, offset, length, os.POSIX_FADV_DONTNEED)
