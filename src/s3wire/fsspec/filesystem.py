"""S3WireFileSystem: fsspec's AsyncFileSystem over s3wire's AsyncClient."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import os
from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import Any

from fsspec.asyn import AsyncFileSystem, sync_wrapper
from fsspec.callbacks import DEFAULT_CALLBACK, Callback

from .._generated.records import ObjectIdentifier
from ..async_client import AsyncClient
from ..config import DEFAULT_PART_SIZE
from ..errors import ParamError, S3Error, s3_error
from ..limits import MAX_COPY
from . import entries, paths, ranges
from .errors import FileExistsS3Error, FileNotFoundS3Error, checked, translated
from .file import S3WireFile
from .multipart import Upload
from .options import DEFAULT_REGION, client_settings, make_client

DELETE_BATCH = 1000  # the most keys one DeleteObjects takes
PARTS_IN_FLIGHT = 4  # a put_file's parts sent at once (each part_size bytes in memory)


class S3WireFileSystem(AsyncFileSystem):  # type: ignore[misc]
    """S3 buckets and keys as a filesystem, "bucket/key/parts" paths ("s3wire://" URLs).

    storage_options: endpoint_url (or url), key and secret (or access_key and secret_key),
    token (or session_token), region, profile, and every other connection setting
    get_data_structure takes (addressing_style, verify, part_size, timeouts, retries, ...);
    without keys the client comes from AsyncClient.from_env (the AWS chain). Directories are
    the prefixes keys share, as in s3fs: there are no empty ones besides buckets.
    """

    protocol = ("s3wire",)
    root_marker = ""
    async_impl = True
    default_block_size = 8 * 1024 * 1024
    default_cache_type = "readahead"

    def __init__(self, *args: Any, **storage_options: Any) -> None:
        client_settings(storage_options)  # refuses unknown options at once
        super().__init__(*args, **storage_options)
        self._options = dict(storage_options)
        self.default_block_size = storage_options.get("default_block_size", self.default_block_size)
        self.default_cache_type = storage_options.get("default_cache_type", self.default_cache_type)
        self._part_size = int(storage_options.get("part_size") or DEFAULT_PART_SIZE)
        self._copy_threshold = int(storage_options.get("copy_threshold") or MAX_COPY)
        self.version_aware = bool(storage_options.get("version_aware", False))
        self._client: AsyncClient | None = None
        self._client_loop: asyncio.AbstractEventLoop | None = None
        self._signer: AsyncClient | None = None
        self._forgotten = 0  # how many times cached listings were forgotten (invalidate_cache)

    async def client(self) -> AsyncClient:
        """The client of the running event loop (made there: connections belong to a loop)."""
        loop = asyncio.get_running_loop()
        if self._client is None or self._client_loop is not loop:
            self._client = make_client(self._options)
            self._client_loop = loop
        return self._client

    @classmethod
    def _strip_protocol(cls, path: Any) -> Any:
        if isinstance(path, list):
            return [cls._strip_protocol(p) for p in path]
        return paths.strip_protocol(str(path))

    def split_path(self, path: str) -> tuple[str, str]:
        """(bucket, key) of a path or URL."""
        return paths.split(self._strip_protocol(path))

    def _versioned(self, path: str, version_id: str | None = None) -> tuple[str, str | None]:
        """(path, version id) of a path that may name a version ("?versionId=ID", or the
        `version_id` given), which only a version_aware filesystem reads: ParamError else."""
        path = self._strip_protocol(path)
        if self.version_aware:
            path, named = paths.split_version(path)
            version_id = version_id or named
        if version_id is not None and not self.version_aware:
            raise ParamError("version ids need a filesystem made with version_aware=True")
        return path, version_id

    def _unversioned(self, path: str) -> str:
        """A path to write to: ParamError when it names a version (versions are not
        written, only made by writing the key)."""
        path, version_id = self._versioned(path)
        if version_id is not None:
            raise ParamError(f"{path!r}: a version of an object cannot be written")
        return path

    # Listing and information.

    async def _lsdir(self, path: str, refresh: bool = False) -> list[dict[str, Any]]:
        """The entries right under a bucket or prefix (cached in the listings cache)."""
        if not refresh and path in self.dircache:
            cached: list[dict[str, Any]] = self.dircache[path]
            return cached
        forgotten = self._forgotten
        listed = await self._under(path, "list_objects_v2", "Contents", entries.listed)
        if (listed or not paths.split(path)[1]) and forgotten == self._forgotten:
            self.dircache[path] = listed  # no write ended meanwhile
        return listed

    async def _lsversions(self, path: str) -> list[dict[str, Any]]:
        """Every version of the keys right under a bucket or prefix, and its directories; for
        a key's path, that key's versions. Not cached; delete markers are not listed."""
        found = await self._under(path, "list_object_versions", "Version", entries.version)
        if found or not paths.split(path)[1]:
            return found
        own = await self._object_version_info(path)
        if not own:
            raise FileNotFoundS3Error(path)
        return [entries.version(paths.split(path)[0], item) for item in own]

    async def _under(
        self,
        path: str,
        operation: str,
        items: str,
        entry: Callable[[str, dict[str, Any]], dict[str, Any]],
    ) -> list[dict[str, Any]]:
        """The directories and `items` (made entries by `entry`) of a listing `operation` of
        a bucket or prefix with "/" as delimiter: what lies right under it."""
        bucket, key = paths.split(path)
        prefix = key + "/" if key else ""
        client = await self.client()
        found: list[dict[str, Any]] = []
        pages = client.paginate(operation, bucket=bucket, prefix=prefix or None, delimiter="/")
        async for page in pages:
            result = next(iter(checked(page, path).response.values()))  # its root element
            for common in result.get("CommonPrefixes") or []:
                found.append(entries.directory(f"{bucket}/{common['Prefix'].rstrip('/')}"))
            for item in result.get(items) or []:
                if item["Key"] != prefix:  # a folder's own marker key is not in it
                    found.append(entry(bucket, item))
        return found

    async def _object_version_info(self, path: str, **kwargs: Any) -> list[dict[str, Any]]:
        """Every version of the object (ListObjectVersions items: Key, VersionId, IsLatest,
        ETag, Size, LastModified, ...), newest first; version_aware only."""
        if not self.version_aware:
            raise ParamError("object_version_info needs a filesystem made with version_aware=True")
        bucket, key = self._object(paths.split_version(self._strip_protocol(path))[0])
        client = await self.client()
        found: list[dict[str, Any]] = []
        async for page in client.paginate("list_object_versions", bucket=bucket, prefix=key):
            result = checked(page, path).response["ListVersionsResult"]
            found.extend(item for item in result.get("Version") or [] if item["Key"] == key)
        return found

    object_version_info = sync_wrapper(_object_version_info)

    async def _buckets(self) -> list[dict[str, Any]]:
        """Every bucket, as directories."""
        client = await self.client()
        answer = checked(await client.list_buckets(), "")
        buckets = answer.response["ListAllMyBucketsResult"].get("Buckets") or {}
        return [entries.directory(item["Name"]) for item in buckets.get("Bucket") or []]

    async def _ls(
        self,
        path: str,
        detail: bool = True,
        refresh: bool = False,
        versions: bool = False,
        **kwargs: Any,
    ) -> list[Any]:
        """The entries right under a path (a file's own entry for a file's path); with
        `versions` (version_aware only), every version of each key, each with its VersionId."""
        path = self._strip_protocol(path)
        if versions and not self.version_aware:
            raise ParamError("ls(versions=True) needs a filesystem made with version_aware=True")
        if path == "":
            found = await self._buckets()
        elif versions:
            found = await self._lsversions(path)
        else:
            found = await self._lsdir(path, refresh)
            if not found:
                info = await self._info(path)  # FileNotFoundS3Error when nothing is there
                found = [info] if info["type"] == "file" else []
        return found if detail else sorted(entry["name"] for entry in found)

    async def _info(
        self, path: str, version_id: str | None = None, **kwargs: Any
    ) -> dict[str, Any]:
        """The entry of a path: a file (with its VersionId when the bucket keeps versions),
        a directory, or FileNotFoundS3Error. One version of a key (version_aware): by
        `version_id` or a "?versionId=ID" path."""
        path, version_id = self._versioned(path, version_id)
        if path == "":
            return entries.directory("")
        bucket, key = paths.split(path)
        client = await self.client()
        if not key:
            checked(await client.head_bucket(bucket=bucket), path)
            return entries.directory(bucket)
        parent = path.rpartition("/")[0]
        for entry in self.dircache.get(parent) or [] if version_id is None else []:
            if entry["name"] == path:
                found: dict[str, Any] = entry
                return found
        head = await client.head_object(bucket=bucket, key=key, version_id=version_id)
        if head.ok:
            return entries.headed(path, head.fields)
        if head.status != 404 or version_id is not None:
            checked(head, paths.with_version(path, version_id))
        listing = await client.list_objects_v2(
            bucket=bucket, prefix=key + "/", delimiter="/", max_keys=1
        )
        result = checked(listing, path).response["ListBucketResult"]
        if result.get("Contents") or result.get("CommonPrefixes"):
            return entries.directory(path)
        raise FileNotFoundS3Error(path)

    async def _exists(self, path: str, **kwargs: Any) -> bool:
        try:
            await self._info(path)
        except FileNotFoundError:
            return False
        return True

    async def _find(
        self,
        path: str,
        maxdepth: int | None = None,
        withdirs: bool = False,
        detail: bool = False,
        **kwargs: Any,
    ) -> Any:
        path = self._strip_protocol(path)
        bucket, key = paths.split(path)
        if maxdepth is not None or not bucket:
            return await super()._find(
                path, maxdepth=maxdepth, withdirs=withdirs, detail=detail, **kwargs
            )
        prefix = key + "/" if key else ""
        client = await self.client()
        found: dict[str, dict[str, Any]] = {}
        async for page in client.paginate("list_objects_v2", bucket=bucket, prefix=prefix or None):
            if page.status == 404:
                break
            for item in checked(page, path).response["ListBucketResult"].get("Contents") or []:
                entry = entries.listed(bucket, item)
                name = entry["name"].rstrip("/")
                if item["Key"].endswith("/"):
                    if withdirs and name != path:
                        found[name] = entries.directory(name)
                else:
                    found[name] = entry
                if withdirs:
                    for parent in paths.parents(name, path):
                        found.setdefault(parent, entries.directory(parent))
        if withdirs and (found or (not key and await self._exists(path))):
            found[path] = entries.directory(path)
        if not found and key:
            try:
                info = await self._info(path)
            except FileNotFoundError:
                info = {}
            if info.get("type") == "file":
                found[path] = info
        names = sorted(found)
        return {name: found[name] for name in names} if detail else names

    # Reading and writing whole objects.

    async def _cat_file(
        self,
        path: str,
        start: int | None = None,
        end: int | None = None,
        if_match: str | None = None,
        **kwargs: Any,
    ) -> bytes:
        """The object's bytes [start, end); with `if_match` (an ETag), PreconditionFailedError
        when the object is no longer that one. One version (version_aware): `version_id`, or
        a "?versionId=ID" path."""
        path, version_id = self._versioned(path, kwargs.get("version_id"))
        bucket, key = paths.split(path)
        wanted = await self._range(paths.with_version(path, version_id), start, end)
        if wanted == "":
            return b""
        client = await self.client()
        answer = await client.get_object(
            bucket=bucket, key=key, range=wanted, if_match=if_match, version_id=version_id
        )
        if answer.status == 416:  # the range starts at or after the end
            return b""
        if answer.status == 412:
            answer.raise_for_status()  # changed since it was opened: not the same bytes
        return checked(answer, path).body

    async def _range(self, path: str, start: int | None, end: int | None) -> str | None:
        """The Range header for fsspec's [start, end), the size asked for when needed."""
        size = None
        if ranges.needs_size(start, end):
            size = int((await self._info(path))["size"])
        return ranges.header(start, end, size)

    async def _pipe_file(
        self, path: str, value: bytes, mode: str = "overwrite", **kwargs: Any
    ) -> None:
        path = self._unversioned(path)
        bucket, key = self._object(path)
        client = await self.client()
        with self.changing(path):
            answer = await client.put_object(
                bucket=bucket,
                key=key,
                body=bytes(value),
                if_none_match="*" if mode == "create" else None,
            )
            checked(answer, path)

    async def _put_file(
        self,
        lpath: str,
        rpath: str,
        callback: Callback = DEFAULT_CALLBACK,
        mode: str = "overwrite",
        **kwargs: Any,
    ) -> None:
        rpath = self._unversioned(rpath)
        if os.path.isdir(lpath):
            if not paths.split(rpath)[1]:
                await self._makedirs(rpath, exist_ok=True)
            return  # prefixes hold no empty directories
        self._object(rpath)  # ParamError for a bucket's path
        size = os.path.getsize(lpath)
        callback.set_size(size)
        client = await self.client()
        with self.changing(rpath):
            await self._upload(client, lpath, rpath, size, mode == "create", callback)

    async def _upload(
        self,
        client: AsyncClient,
        lpath: str,
        rpath: str,
        size: int,
        exclusive: bool,
        callback: Callback,
    ) -> None:
        """put_file's requests: the client's upload_file (parts as tasks, checksums, abort on
        failure), or for `exclusive` the same with If-None-Match on the PUT or the Complete."""
        bucket, key = self._object(rpath)
        if not exclusive:
            try:
                await client.upload_file(
                    bucket, key, lpath, part_size=self._part_size, progress=_reporter(callback)
                )
            except S3Error as error:
                raise translated(error, rpath) from None
            return
        with open(lpath, "rb") as source:
            if size <= self._part_size:
                answer = await client.put_object(
                    bucket=bucket, key=key, body=source, if_none_match="*"
                )
                checked(answer, rpath)
                callback.relative_update(size)
            else:
                upload = await Upload.start(client, bucket, key)
                sending = upload.send_file(
                    source, size, self._part_size, PARTS_IN_FLIGHT, callback.relative_update
                )
                await upload.aborting(sending)
                await upload.complete(exclusive)

    async def _get_file(
        self, rpath: str, lpath: str, callback: Callback = DEFAULT_CALLBACK, **kwargs: Any
    ) -> None:
        if os.path.isdir(lpath):
            return  # a directory's: fsspec's get made it
        rpath, version_id = self._versioned(rpath, kwargs.get("version_id"))
        bucket, key = self._object(rpath)
        client = await self.client()
        try:  # checked, and put in place only when whole: a good file is never lost
            await client.download_file(
                bucket,
                key,
                lpath,
                version_id=version_id,
                part_size=self._part_size,
                progress=_reporter(callback),
            )
        except S3Error as error:
            raise translated(error, rpath) from None

    async def _cp_file(self, path1: str, path2: str, **kwargs: Any) -> None:
        """A server-side copy (the client's copy_file): one CopyObject up to copy_threshold
        (5 GiB, S3's limit), else UploadPartCopy ranges of part_size, aborted on failure."""
        path1, version_id = self._versioned(path1, kwargs.get("version_id"))
        path2 = self._unversioned(path2)
        source_bucket, source_key = self._object(path1)
        bucket, key = self._object(path2)
        client = await self.client()
        with self.changing(path2):
            try:
                await client.copy_file(
                    source_bucket,
                    source_key,
                    bucket,
                    key,
                    version_id=version_id,
                    part_size=self._part_size,
                    threshold=self._copy_threshold,
                )
            except S3Error as error:
                raise translated(error, path1 if error.status == 404 else path2) from None

    # Removing, and making buckets.

    async def _rm_file(self, path: str, **kwargs: Any) -> None:
        """Delete the object (in a versioned bucket: add a delete marker), or the one version
        a "?versionId=ID" path names (version_aware)."""
        path, version_id = self._versioned(path, kwargs.get("version_id"))
        bucket, key = self._object(path)
        client = await self.client()
        with self.changing(path):
            answer = await client.delete_object(bucket=bucket, key=key, version_id=version_id)
            checked(answer, path)

    async def _rm(
        self,
        path: str | list[str],
        recursive: bool = False,
        maxdepth: int | None = None,
        **kwargs: Any,
    ) -> None:
        given = [path] if isinstance(path, str) else list(path)
        versions = [name for name in given if self._versioned(name)[1] is not None]
        rest = [name for name in given if name not in versions]  # "?" would be a glob there
        expanded = [self._strip_protocol(name) for name in versions]
        if rest:
            expanded += await self._expand_path(rest, recursive=recursive, maxdepth=maxdepth)
        keys: defaultdict[str, set[tuple[str, str | None]]] = defaultdict(set)
        buckets: list[str] = []
        for name in expanded:
            plain, version_id = self._versioned(name)
            bucket, key = paths.split(plain)
            if version_id is not None:
                keys[bucket].add((key, version_id))
            elif key:
                keys[bucket].update(((key, None), (key + "/", None)))  # or a folder's marker
            else:
                buckets.append(bucket)
        with self.changing(*expanded):  # some keys may be gone when a batch fails
            for bucket, names in keys.items():
                ordered = sorted(names, key=lambda name: (name[0], name[1] or ""))
                await asyncio.gather(
                    *(
                        self._delete_keys(bucket, ordered[i : i + DELETE_BATCH])
                        for i in range(0, len(ordered), DELETE_BATCH)
                    )
                )
            client = await self.client()
            for bucket in buckets if recursive else []:
                checked(await client.delete_bucket(bucket=bucket), bucket)

    async def _delete_keys(self, bucket: str, keys: list[tuple[str, str | None]]) -> None:
        """One DeleteObjects of at most 1000 (key, version id or None); the first key it could
        not delete raises."""
        client = await self.client()
        objects: list[ObjectIdentifier] = [
            {"key": key} if version_id is None else {"key": key, "version_id": version_id}
            for key, version_id in keys
        ]
        answer = await client.delete_objects(bucket=bucket, objects=objects, quiet=True)
        result = checked(answer, bucket).response.get("DeleteResult") or {}
        for error in result.get("Error") or []:
            raise s3_error(
                status=answer.status,
                code=str(error.get("Code", "")),
                message=str(error.get("Message", "")),
                request_id=answer.headers.get("x-amz-request-id"),
                resource=f"{bucket}/{error.get('Key', '')}",
            )

    async def _mkdir(self, path: str, create_parents: bool = True, **kwargs: Any) -> None:
        path = self._strip_protocol(path)
        bucket, key = paths.split(path)
        if not bucket:
            raise ParamError("mkdir needs a bucket name")
        if await self._exists(bucket):
            if key:
                return  # prefixes hold no empty directories
            raise FileExistsS3Error(bucket)  # S3 answers 200 to its owner in us-east-1
        if key and not create_parents:
            raise FileNotFoundS3Error(bucket)
        client = await self.client()
        region = kwargs.get("region") or self._options.get("region")
        with self.changing(bucket):
            answer = await client.create_bucket(
                bucket=bucket,
                location_constraint=region if region and region != DEFAULT_REGION else None,
            )
            if answer.status == 409:
                raise FileExistsS3Error(bucket)
            checked(answer, bucket)

    async def _makedirs(self, path: str, exist_ok: bool = False) -> None:
        try:
            await self._mkdir(path, create_parents=True)
        except FileExistsError:
            if not exist_ok:
                raise

    async def _rmdir(self, path: str) -> None:
        path = self._strip_protocol(path)
        bucket, key = paths.split(path)
        if not key:
            client = await self.client()
            with self.changing(bucket):
                checked(await client.delete_bucket(bucket=bucket), bucket)

    def _object(self, path: str) -> tuple[str, str]:
        """(bucket, key) of a path that names an object; ParamError for a bucket's."""
        bucket, key = paths.split(path)
        if not key:
            raise ParamError(f"{path!r} is a bucket, not an object")
        return bucket, key

    # Files, identity, links and the cache.

    def _open(
        self,
        path: str,
        mode: str = "rb",
        block_size: int | None = None,
        autocommit: bool = True,
        cache_options: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> S3WireFile:
        path, version_id = self._versioned(path, kwargs.pop("version_id", None))
        if version_id is not None and mode != "rb":
            raise ParamError(f"{path!r}: a version of an object opens only for reading")
        path = paths.with_version(path, version_id)  # every read of the file names it
        if mode == "xb" and self.exists(path):
            raise FileExistsS3Error(path)
        kwargs.setdefault("cache_type", self.default_cache_type)
        return S3WireFile(
            self,
            path,
            mode,
            block_size=block_size or self.default_block_size,
            autocommit=autocommit,
            cache_options=cache_options,
            **kwargs,
        )

    def modified(self, path: str) -> Any:
        """The object's last modification time (a datetime)."""
        return self.info(path)["LastModified"]

    def ukey(self, path: str) -> str:
        """The object's ETag: it changes when the object does."""
        return str(self.info(path)["ETag"])

    def checksum(self, path: str) -> int:
        """A number from the object's ETag."""
        return int(hashlib.sha256(self.ukey(path).encode()).hexdigest()[:16], 16)

    def sign(self, path: str, expiration: int = 100, **kwargs: Any) -> str:
        """A presigned GET URL for the object, valid `expiration` seconds."""
        bucket, key = self._object(self._strip_protocol(path))
        if self._signer is None:
            self._signer = make_client(self._options)  # opens no connection: no I/O
        return self._signer.presigned_url("GET", bucket, key, expires=expiration)

    def invalidate_cache(self, path: str | None = None) -> None:
        """Forget the cached listings of the path and its parents (all of them: None); a
        listing under way meanwhile is not cached when it ends."""
        self._forgotten += 1
        if path is None:
            self.dircache.clear()
            return
        path = self._strip_protocol(path)
        while True:
            self.dircache.pop(path, None)
            if not path:
                return
            path = path.rpartition("/")[0]

    @contextlib.contextmanager
    def changing(self, *changed: str) -> Iterator[None]:
        """Around every request that writes: when it ends, whether it succeeded or not, the
        cached listings of the paths it may have changed and of their parents are forgotten
        (invalidate_cache), so no listing taken before it ends is answered after."""
        try:
            yield
        finally:
            for path in changed:
                self.invalidate_cache(path)


def _reporter(callback: Callback) -> Callable[[int, int], None]:
    """A transfer helper's progress(done, total) as fsspec's callback."""

    def report(done: int, total: int) -> None:
        callback.set_size(total)
        callback.absolute_update(done)

    return report
