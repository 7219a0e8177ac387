"""sync --checksum: whether a local file holds an object's bytes, as far as its ETag or stored
checksum tells.

A single-part ETag is the object's MD5 (unless SSE-KMS or SSE-C encrypted it, which only
HeadObject tells); a full-object checksum that HeadObject answers (x-amz-checksum-crc32,
-crc64nvme, ...) is compared computed the same way; a multipart ETag ("<md5 of the parts'
MD5s>-N") is computed from the file for each part size that gives N parts among those the usual
tools use. Where none of these can tell, the answer is None (the caller falls back to size and
time)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import IO

from ..client import Client
from ..errors import ChecksumError
from ..integrity import ObjectCheck, digest_of, md5_etag, new_digest, stream_chunks
from ..transfer.files import part_size_for
from ..transfer.objectargs import ObjectArgs

_MIB = 1024 * 1024
_MULTIPART = re.compile(r'"?([0-9a-fA-F]{32})-([0-9]+)"?')
# Part sizes of the usual tools, tried for a multipart ETag (beside the client's own and the
# size over the part count rounded up to a MiB): aws s3's 8 MiB, S3's least, 16 and 64 MiB.
_USUAL_PARTS = (8 * _MIB, 5 * _MIB, 16 * _MIB, 64 * _MIB)

Opener = Callable[[], IO[bytes]]  # opens the local file for reading


def same_file(
    client: Client,
    bucket: str,
    key: str,
    etag: str,
    size: int,
    open_file: Opener,
    extra: ObjectArgs,
) -> bool | None:
    """Whether the local file (of the object's `size`, opened by `open_file`) holds the bytes
    of the object whose listing gave `etag`; None when nothing tells."""
    listed = md5_etag({"ETag": etag})
    if listed is not None and _md5(open_file) == listed:
        return True
    head = client.head_object(
        bucket=bucket, key=key, checksum_mode="ENABLED", **extra.each_request()
    ).raise_for_status()
    if listed is not None and md5_etag(head.headers) == listed:
        return False  # a true MD5, and not the file's
    check = ObjectCheck(200, head.headers)
    if check:
        with open_file() as file:
            for chunk in stream_chunks(file):
                check.update(chunk)
        try:
            check.verify()
        except ChecksumError:
            return False
        return True
    return multipart_match(etag, size, open_file, client.part_size)


def same_objects(source_etag: str, destination_etag: str) -> bool | None:
    """Whether two listed objects hold the same bytes: the same ETag does; two MD5 ETags that
    differ do not; anything else cannot tell (None)."""
    if source_etag.strip('"') == destination_etag.strip('"'):
        return True
    if md5_etag({"ETag": source_etag}) and md5_etag({"ETag": destination_etag}):
        return False
    return None


def multipart_match(etag: str, size: int, open_file: Opener, part_size: int) -> bool | None:
    """Whether a file of `size` bytes has the multipart ETag `etag` for one of the part sizes
    that give its number of parts; None when the ETag is no multipart one or no part size
    gives that number."""
    match = _MULTIPART.fullmatch(etag.strip())
    if match is None:
        return None
    expected, count = match.group(1).lower(), int(match.group(2))
    sizes = list(part_sizes(size, count, part_size))
    if not sizes:
        return None
    return any(multipart_etag(open_file, part) == f"{expected}-{count}" for part in sizes)


def part_sizes(size: int, count: int, part_size: int) -> Iterator[int]:
    """The candidate part sizes that cut `size` bytes into `count` parts, each once."""
    seen: set[int] = set()
    guesses = (part_size_for(size, part_size), *_USUAL_PARTS, -(-size // max(count, 1)))
    for guess in guesses:
        for part in (guess, -(-guess // _MIB) * _MIB):
            if part > 0 and part not in seen and -(-size // part) == count:
                seen.add(part)
                yield part


def multipart_etag(open_file: Opener, part_size: int) -> str:
    """The ETag a multipart upload of the file in parts of `part_size` gets: the MD5 of the
    parts' MD5s, "-" and the number of parts."""
    digests: list[bytes] = []
    with open_file() as file:
        while True:
            part = new_digest("md5")
            left = part_size
            while left and (chunk := file.read(min(left, _MIB))):
                part.update(chunk)
                left -= len(chunk)
            if left == part_size:
                break
            digests.append(part.digest())
    return f"{digest_of(digests).hex()}-{len(digests)}"


def _md5(open_file: Opener) -> str:
    with open_file() as file:
        return digest_of(stream_chunks(file)).hex()
