"""A small S3 in memory, as a MockTransport handler: buckets of objects with ListObjectsV2
(pages of `page` keys), HeadObject, GetObject, PutObject, CopyObject, DeleteObject and
DeleteObjects (refusing keys that hold "locked/"); Last-Modified is the `now` of the write
(tests move it forward)."""

from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit
from xml.sax.saxutils import escape

from s3wire.testing import Answer, MockTransport, Request


@dataclass(frozen=True)
class Stored:
    body: bytes
    modified: float

    @property
    def etag(self) -> str:
        return f'"{hashlib.md5(self.body).hexdigest()}"'


class MemoryS3:
    """The handler; `objects` maps (bucket, key) to what is stored, `log` lists
    (method, key) of the requests on objects."""

    def __init__(self, page: int = 1000) -> None:
        self.objects: dict[tuple[str, str], Stored] = {}
        self.page = page
        self.now = 1_700_000_000.0
        self.log: list[tuple[str, str]] = []

    def transport(self) -> MockTransport:
        return MockTransport(self)

    def put(self, bucket: str, key: str, body: bytes) -> None:
        self.objects[bucket, key] = Stored(body, self.now)

    def keys(self, bucket: str) -> list[str]:
        return sorted(key for b, key in self.objects if b == bucket)

    def __call__(self, request: Request) -> Answer:
        split = urlsplit(request.url)
        bucket, _, key = split.path.lstrip("/").partition("/")
        key = unquote(key)
        query = request.query
        if not key:
            if request.method == "GET" and query.get("list-type") == "2":
                return self._list(bucket, query)
            if request.method == "POST" and "delete" in query:
                return self._delete_many(bucket, request.body or b"")
            raise AssertionError(f"unexpected {request.method} {request.url}")
        self.log.append((request.method, key))
        if request.method == "PUT":
            source = request.headers.get("x-amz-copy-source")
            if source is not None:
                src_bucket, _, src_key = unquote(source).lstrip("/").partition("/")
                self.put(bucket, key, self.objects[src_bucket, src_key].body)
                etag = escape(self.objects[bucket, key].etag)
                xml = f"<CopyObjectResult><ETag>{etag}</ETag></CopyObjectResult>"
                return Answer(200, {}, xml.encode())
            self.put(bucket, key, request.body or b"")
            return Answer(200, {"ETag": self.objects[bucket, key].etag})
        if request.method == "DELETE":
            self.objects.pop((bucket, key), None)
            return Answer(204)
        found = self.objects.get((bucket, key))
        if found is None:
            return Answer(404, {}, b"<Error><Code>NoSuchKey</Code></Error>")
        headers = {
            "ETag": found.etag,
            "Content-Length": str(len(found.body)),
            "Last-Modified": email.utils.formatdate(found.modified, usegmt=True),
        }
        return Answer(200, headers, found.body)

    def _list(self, bucket: str, query: dict[str, str]) -> Answer:
        prefix = query.get("prefix", "")
        after = query.get("continuation-token", "")
        matching = [k for k in self.keys(bucket) if k.startswith(prefix) and k > after]
        page, more = matching[: self.page], len(matching) > self.page
        contents = "".join(
            f"<Contents><Key>{escape(k)}</Key><Size>{len(self.objects[bucket, k].body)}</Size>"
            f"<LastModified>{_iso(self.objects[bucket, k].modified)}</LastModified>"
            f"<ETag>{escape(self.objects[bucket, k].etag)}</ETag></Contents>"
            for k in page
        )
        token = f"<NextContinuationToken>{escape(page[-1])}</NextContinuationToken>" if more else ""
        xml = (
            f"<ListBucketResult><IsTruncated>{str(more).lower()}</IsTruncated>{token}"
            f"<KeyCount>{len(page)}</KeyCount>{contents}</ListBucketResult>"
        )
        return Answer(200, {}, xml.encode())

    def _delete_many(self, bucket: str, body: bytes) -> Answer:
        errors = ""
        for key in re.findall(rb"<Key>(.*?)</Key>", body):
            name = key.decode().replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
            self.log.append(("DELETE", name))
            if "locked/" in name:
                errors += f"<Error><Key>{escape(name)}</Key><Code>AccessDenied</Code></Error>"
            else:
                self.objects.pop((bucket, name), None)
        return Answer(200, {}, f"<DeleteResult>{errors}</DeleteResult>".encode())


def _iso(seconds: float) -> str:
    return dt.datetime.fromtimestamp(seconds, dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
