"""AsyncClient's transfers against the in-memory fake S3 of test_transfer: parts and ranges as
tasks within the concurrency, the sync helpers' checks, aborts (on cancellation too), file I/O
off the event loop, progress."""

from __future__ import annotations

import asyncio
import hashlib
import inspect
import io
import os
import threading
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import parse_qs, quote, unquote, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from recording import SECRET, disk_events
from requests.structures import CaseInsensitiveDict
from test_transfer import ABORT, COMPLETE, CREATE, PART, PART_PUT, Answer, FakeS3

import s3wire
from s3wire.testing import Answer as Canned
from s3wire.testing import AsyncMockTransport, HeldSink, Request
from s3wire.transfer import async_workers
from s3wire.transport_api import AsyncSink, Body

T = TypeVar("T")
HEAD = "HEAD"


class AsyncFake:
    """An AsyncTransport over a sync fake S3: each request waits `delay` seconds on the loop
    (so that tasks overlap), then is answered by the fake; counts the most in flight. A
    request of a kind in `hold` waits until `release` is set."""

    def __init__(self, fake: FakeS3, delay: float = 0.005, hold: str | None = None) -> None:
        self.fake, self.delay, self.hold = fake, delay, hold
        self.in_flight = self.most = 0
        self.release = asyncio.Event()
        self.held = 0

    async def send(
        self,
        method: str,
        url: str,
        headers: dict[str, str],
        body: Body,
        sink: AsyncSink | None = None,
        *,
        deadline: float | None = None,
    ) -> tuple[int, Any, bytes]:
        self.in_flight += 1
        self.most = max(self.most, self.in_flight)
        try:
            await asyncio.sleep(self.delay)
            if self.hold is not None and kind(method, url) == self.hold:
                self.held += 1
                await self.release.wait()
            if body is not None and not isinstance(body, bytes):  # read off the loop, as the
                body = await asyncio.to_thread(body.read)  # real transport reads it
            held = HeldSink()
            answered = self.fake.send(method, url, headers, body, held if sink else None)
            if sink is not None:
                await held.pour(answered, sink)
            return answered
        finally:
            self.in_flight -= 1

    async def close(self) -> None:
        pass


def kind(method: str, url: str) -> str:
    query = parse_qs(urlsplit(url).query, keep_blank_values=True)
    return f"{method} {','.join(sorted(query))}".strip()


def run(work: Callable[[], Awaitable[T]]) -> T:
    async def main() -> T:
        return await work()

    return asyncio.run(main())


def client_of(transport: AsyncFake, **options: Any) -> s3wire.AsyncClient:
    return s3wire.AsyncClient(
        url="http://127.0.0.1:7480",
        access_key="AKIDEXAMPLE",
        secret_key=SECRET,
        region="us-east-1",
        part_size=PART,
        retry_base_delay=0,
        transport=transport,
        **options,
    )


async def cancel_when_held(transport: AsyncFake, count: int, work: Awaitable[object]) -> None:
    """Run work as a task, cancel it once `count` requests are held, expect CancelledError."""
    task = asyncio.ensure_future(work)
    while transport.held < count:
        await asyncio.sleep(0.01)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


def source(tmp_path: Path, size: int) -> tuple[Path, bytes]:
    data = os.urandom(size)
    path = tmp_path / "source.bin"
    path.write_bytes(data)
    return path, data


def test_the_async_transfers_take_the_sync_ones_arguments() -> None:
    for name in ("upload_file", "download_file", "copy_file", "upload_dir", "download_dir"):
        ours = inspect.signature(getattr(s3wire.AsyncClient, name)).parameters
        theirs = inspect.signature(getattr(s3wire.Client, name)).parameters
        assert [(p.name, p.kind, p.default) for p in ours.values()] == [
            (p.name, p.kind, p.default) for p in theirs.values()
        ]
        assert inspect.iscoroutinefunction(getattr(s3wire.AsyncClient, name))


def test_a_large_file_goes_up_in_parts_then_is_completed(tmp_path: Path) -> None:
    path, data = source(tmp_path, 2 * PART + 7)
    fake = FakeS3()
    transport = AsyncFake(fake)
    answer = run(lambda: client_of(transport).upload_file("b", "k", path))
    assert answer.status == 200
    assert fake.kinds() == [CREATE, PART_PUT, PART_PUT, PART_PUT, COMPLETE]
    assert fake.data == data
    complete = fake.sent[-1][3] or b""
    places = [complete.index(f"<PartNumber>{n}</PartNumber>".encode()) for n in (1, 2, 3)]
    assert places == sorted(places)  # listed in order


def test_a_small_file_or_stream_goes_up_in_one_put(tmp_path: Path) -> None:
    path, data = source(tmp_path, 1000)
    fake = FakeS3()
    run(lambda: client_of(AsyncFake(fake)).upload_file("b", "k", path))
    assert (fake.kinds(), fake.data) == (["PUT"], data)
    assert fake.sent[0][2]["Content-Type"] == "application/octet-stream"


def test_a_stream_that_cannot_seek_goes_up_part_by_part() -> None:
    data = os.urandom(PART + 10)

    fake = FakeS3()
    run(lambda: client_of(AsyncFake(fake)).upload_file("b", "k", Unseekable(data)))
    assert fake.kinds() == [CREATE, PART_PUT, PART_PUT, COMPLETE]
    assert fake.data == data


def test_parts_in_flight_stay_within_the_concurrency(tmp_path: Path) -> None:
    path, _ = source(tmp_path, 6 * PART)
    transport = AsyncFake(FakeS3(), delay=0.2)
    run(lambda: client_of(transport).upload_file("b", "k", path, concurrency=2))
    assert transport.most == 2
    transport = AsyncFake(FakeS3(), delay=0.2)
    run(lambda: client_of(transport).upload_file("b", "k", path, concurrency=4))
    assert transport.most == 4


def test_ranges_in_flight_stay_within_the_concurrency(tmp_path: Path) -> None:
    transport = AsyncFake(FakeS3(os.urandom(5 * PART)), delay=0.2)
    run(lambda: client_of(transport).download_file("b", "k", tmp_path / "o", concurrency=3))
    assert transport.most == 3
    assert (tmp_path / "o").read_bytes() == transport.fake.data


def test_a_failed_part_aborts_the_upload(tmp_path: Path) -> None:
    path, _ = source(tmp_path, 3 * PART)
    fake = FakeS3(fail={3: 403})  # the second part: refused, not tried again
    with pytest.raises(s3wire.S3Error):
        run(lambda: client_of(AsyncFake(fake)).upload_file("b", "k", path, concurrency=1))
    assert fake.kinds()[-1] == ABORT
    assert COMPLETE not in fake.kinds()


def test_a_failed_part_cancels_the_parts_in_flight_then_aborts(tmp_path: Path) -> None:
    path, _ = source(tmp_path, 4 * PART)
    fake = FakeS3(fail={2: 403})
    transport = AsyncFake(fake, delay=0.05)
    with pytest.raises(s3wire.S3Error):
        run(lambda: client_of(transport).upload_file("b", "k", path, concurrency=4))
    assert fake.kinds()[-1] == ABORT
    assert transport.in_flight == 0


def test_a_cancelled_upload_is_aborted_then_cancelled(tmp_path: Path) -> None:
    path, _ = source(tmp_path, 3 * PART)
    fake = FakeS3()
    transport = AsyncFake(fake, hold=PART_PUT)

    run(lambda: cancel_when_held(transport, 3, client_of(transport).upload_file("b", "k", path)))
    assert fake.kinds() == [CREATE, ABORT]  # the held parts never reached the fake
    assert transport.in_flight == 0


def test_a_corrupted_byte_in_a_range_is_caught_and_the_old_file_kept(tmp_path: Path) -> None:
    class Corrupting(FakeS3):
        def answer_to(self, method: str, *rest: Any) -> Answer:
            status, headers, content = super().answer_to(method, *rest)
            if method == "GET" and content and rest[1].get("Range", "").startswith("bytes=0-"):
                content = content[:9] + bytes([content[9] ^ 1]) + content[10:]
            return status, headers, content

    dest = tmp_path / "o"
    dest.write_bytes(b"the good old file")
    fake = Corrupting(os.urandom(2 * PART + 1))
    with pytest.raises(s3wire.ChecksumError, match="ETag"):
        run(lambda: client_of(AsyncFake(fake)).download_file("b", "k", dest))
    assert fake.kinds().count("GET") == 3
    assert dest.read_bytes() == b"the good old file"
    assert os.listdir(tmp_path) == ["o"]


def test_a_corrupted_byte_in_one_get_is_caught_and_the_old_file_kept(tmp_path: Path) -> None:
    class Corrupting(FakeS3):
        def answer_to(self, method: str, *rest: Any) -> Answer:
            status, headers, content = super().answer_to(method, *rest)
            if method == "GET":
                etag = f'"{hashlib.md5(self.data).hexdigest()}"'
                headers = CaseInsensitiveDict(ETag=etag)
                content = bytes([content[0] ^ 1]) + content[1:]
            return status, headers, content

    dest = tmp_path / "o"
    dest.write_bytes(b"old")
    with pytest.raises(s3wire.ChecksumError):
        run(lambda: client_of(AsyncFake(Corrupting(b"x" * 1000))).download_file("b", "k", dest))
    assert dest.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["o"]


@pytest.mark.parametrize("change", [b"x", -1], ids=["longer", "shorter"])
def test_a_range_of_the_wrong_length_is_refused_and_the_old_file_kept(
    tmp_path: Path, change: bytes | int
) -> None:
    class Wrong(FakeS3):
        def answer_to(self, method: str, *rest: Any) -> Answer:
            status, headers, content = super().answer_to(method, *rest)
            if method == "GET" and rest[1].get("Range", "").startswith("bytes=0-"):
                content = content + change if isinstance(change, bytes) else content[:change]
            return status, headers, content

    dest = tmp_path / "o"
    dest.write_bytes(b"old")
    fake = Wrong(os.urandom(2 * PART + 1))
    with pytest.raises(s3wire.ResponseError, match=r"more than|bytes of"):
        run(lambda: client_of(AsyncFake(fake)).download_file("b", "k", dest))
    assert dest.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["o"]


def test_a_download_in_ranges_arrives_whole(tmp_path: Path) -> None:
    fake = FakeS3(os.urandom(2 * PART + 3))
    answer = run(lambda: client_of(AsyncFake(fake)).download_file("b", "k", tmp_path / "o"))
    assert answer.fields["content_length"] == len(fake.data)
    assert fake.kinds() == [HEAD, "GET", "GET", "GET"]
    assert (tmp_path / "o").read_bytes() == fake.data
    assert os.listdir(tmp_path) == ["o"]


def test_a_cancelled_download_leaves_the_old_file(tmp_path: Path) -> None:
    dest = tmp_path / "o"
    dest.write_bytes(b"old")
    transport = AsyncFake(FakeS3(os.urandom(2 * PART + 3)), hold="GET")

    run(lambda: cancel_when_held(transport, 3, client_of(transport).download_file("b", "k", dest)))
    assert dest.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["o"]


def test_progress_counts_every_byte_up_and_down(tmp_path: Path) -> None:
    path, data = source(tmp_path, 2 * PART + 5)
    fake = FakeS3()
    up: list[tuple[int, int]] = []
    down: list[tuple[int, int]] = []

    async def main() -> None:
        client = client_of(AsyncFake(fake))
        await client.upload_file("b", "k", path, progress=lambda *seen: up.append(seen))
        await client.download_file("b", "k", tmp_path / "o", progress=lambda *s: down.append(s))

    run(main)
    for seen in (up, down):
        assert len(seen) == 3
        assert [done for done, _ in seen] == sorted(done for done, _ in seen)
        assert seen[-1] == (len(data), len(data))
    assert {total for _, total in up + down} == {len(data)}


def test_local_files_are_read_written_synced_and_renamed_off_the_loop(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, _ = source(tmp_path, 2 * PART + 1)
    threads: dict[str, set[int]] = {}
    for name in ("pread", "pwrite", "fsync", "replace", "ftruncate"):
        real = getattr(os, name)

        def spy(*args: Any, _real: Any = real, _name: str = name, **kwargs: Any) -> Any:
            threads.setdefault(_name, set()).add(threading.get_ident())
            return _real(*args, **kwargs)

        monkeypatch.setattr(os, name, spy)

    async def main() -> int:
        client = client_of(AsyncFake(FakeS3()))
        await client.upload_file("b", "k", path)
        await client.download_file("b", "k", tmp_path / "o")
        return threading.get_ident()

    loop_thread = run(main)
    assert set(threads) == {"pread", "pwrite", "fsync", "replace", "ftruncate"}
    assert all(loop_thread not in seen for seen in threads.values()), threads


class Copying(FakeS3):
    """FakeS3 with UploadPartCopy: a part copied from the fake's own object."""

    def answer_to(
        self, method: str, query: dict[str, list[str]], headers: dict[str, str], content: bytes
    ) -> Answer:
        if method == "PUT" and "partNumber" in query and "x-amz-copy-source" in headers:
            etag = f'"{hashlib.md5(self.data).hexdigest()}"'
            assert headers["x-amz-copy-source-if-match"] == etag
            first, last = map(int, headers["x-amz-copy-source-range"][6:].split("-"))
            self.parts[int(query["partNumber"][0])] = self.data[first : last + 1]
            xml = b"<CopyPartResult><ETag>&quot;p&quot;</ETag></CopyPartResult>"
            return 200, CaseInsensitiveDict(), xml
        if method == "PUT" and "x-amz-copy-source" in headers:
            xml = b"<CopyObjectResult><ETag>&quot;c&quot;</ETag></CopyObjectResult>"
            return 200, CaseInsensitiveDict(), xml
        return super().answer_to(method, query, headers, content)


def test_copy_file_copies_in_one_request_up_to_the_threshold() -> None:
    fake = Copying(b"x" * 100)
    answer = run(lambda: client_of(AsyncFake(fake)).copy_file("b", "k", "b2", "k2"))
    assert answer.status == 200
    assert fake.kinds() == [HEAD, "PUT"]


def test_copy_file_copies_ranges_above_the_threshold() -> None:
    data = os.urandom(2 * PART + 1)
    fake = Copying(data)
    seen: list[tuple[int, int]] = []
    run(
        lambda: client_of(AsyncFake(fake)).copy_file(
            "b", "k", "b2", "k2", threshold=PART, progress=lambda *s: seen.append(s)
        )
    )
    assert fake.kinds() == [HEAD, CREATE, PART_PUT, PART_PUT, PART_PUT, COMPLETE]
    assert fake.data == data  # the parts, put together in order
    assert seen[-1] == (len(data), len(data))


def test_a_failed_part_copy_aborts_the_copy() -> None:
    fake = Copying(os.urandom(2 * PART + 1), fail={4: 403})
    with pytest.raises(s3wire.S3Error):
        run(
            lambda: client_of(AsyncFake(fake)).copy_file(
                "b", "k", "b2", "k2", threshold=PART, concurrency=1
            )
        )
    assert fake.kinds()[-1] == ABORT


def test_a_cancelled_task_waits_for_its_file_work_to_end() -> None:
    ended = threading.Event()
    started = threading.Event()

    def slow_write() -> None:
        started.set()
        threading.Event().wait(0.2)
        ended.set()

    async def main() -> None:
        task = asyncio.create_task(async_workers.off_loop(slow_write))
        await asyncio.to_thread(started.wait)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert ended.is_set()  # not before the write had ended

    run(main)


def test_run_tasks_raises_the_first_failure_after_cancelling_the_rest() -> None:
    finished: list[int] = []
    cancelled: list[int] = []
    jobs = iter(range(10))

    async def take() -> int | None:
        return next(jobs, None)

    async def do(job: int) -> None:
        try:
            await asyncio.sleep(0.001 if job == 2 else 0.05)
            if job == 2:
                raise ValueError("job 2")
            finished.append(job)
        except asyncio.CancelledError:
            cancelled.append(job)
            raise

    with pytest.raises(ValueError, match="job 2"):
        run(lambda: async_workers.run_tasks(3, take, do))
    assert (finished, sorted(cancelled)) == ([], [0, 1])
    assert next(jobs) == 3  # no job taken after the failure


class Bucket:
    """One bucket in memory, for the folder helpers: PUT, HEAD, GET and ListObjectsV2."""

    def __init__(self) -> None:
        self.objects: dict[str, bytes] = {}

    def __call__(self, request: Request) -> Canned:
        key = unquote(request.path.partition("/b/")[2])
        if request.method == "GET" and "list-type" in request.query:
            entries = "".join(
                f"<Contents><Key>{quote(k)}</Key><Size>{len(v)}</Size><ETag>{self.etag(k)}</ETag>"
                "<LastModified>2024-05-01T12:00:00.000Z</LastModified></Contents>"
                for k, v in sorted(self.objects.items())
                if k.startswith(request.query.get("prefix", ""))
            )
            return Canned(body=f"<ListBucketResult>{entries}</ListBucketResult>".encode())
        if request.method == "PUT":
            self.objects[key] = request.body or b""
            return Canned(headers={"ETag": self.etag(key)})
        if key not in self.objects:
            return Canned(404)
        headers = {"ETag": self.etag(key), "Content-Length": str(len(self.objects[key]))}
        return Canned(headers=headers, body=self.objects[key])

    def etag(self, key: str) -> str:
        return f'"{hashlib.md5(self.objects[key]).hexdigest()}"'


def test_a_folder_goes_up_and_comes_down_skipping_what_did_not_change(tmp_path: Path) -> None:
    local = tmp_path / "up"
    (local / "sub").mkdir(parents=True)
    files = {"a.txt": b"a", "sub/b.bin": os.urandom(3000), "sub/c d": b""}
    for name, content in files.items():
        (local / name).write_bytes(content)
    bucket = Bucket()
    seen: list[tuple[int, int]] = []

    async def main() -> list[s3wire.transfer.SyncResult]:
        client = s3wire.AsyncClient(
            url="http://127.0.0.1:7480",
            access_key="AKIDEXAMPLE",
            secret_key=SECRET,
            region="us-east-1",
            transport=AsyncMockTransport(bucket),
        )
        return [
            await client.upload_dir(local, "b", "p", progress=lambda *s: seen.append(s)),
            await client.upload_dir(local, "b", "p"),
            await client.download_dir("b", "p", tmp_path / "down", concurrency=2),
            await client.download_dir("b", "p/", tmp_path / "down"),
        ]

    up, up_again, down, down_again = run(main)
    keys = sorted(f"p/{name}" for name in files)
    assert sorted(up.transferred) == keys and up.skipped == []
    assert sorted(up_again.skipped) == keys and up_again.transferred == []
    assert sorted(down.transferred) == keys and sorted(down_again.skipped) == keys
    assert {k[2:]: v for k, v in bucket.objects.items()} == files
    assert {name: (tmp_path / "down" / name).read_bytes() for name in files} == files
    assert seen[-1] == (3001, 3001)


def test_download_dir_refuses_a_key_escaping_the_folder(tmp_path: Path) -> None:
    bucket = Bucket()
    bucket.objects["p/../evil"] = b"x"

    async def main() -> None:
        client = s3wire.AsyncClient(
            url="http://127.0.0.1:7480",
            access_key="AKIDEXAMPLE",
            secret_key=SECRET,
            region="us-east-1",
            transport=AsyncMockTransport(bucket),
        )
        await client.download_dir("b", "p", tmp_path / "down")

    with pytest.raises(s3wire.ParamError, match="refusing key"):
        run(main)
    assert os.listdir(tmp_path) == []


def test_a_job_cancelled_from_inside_fails_the_run_rather_than_going_missing() -> None:
    done: list[int] = []

    async def do(job: int) -> None:
        if job == 1:
            raise asyncio.CancelledError  # as a timeout inside the job may
        await asyncio.sleep(0.01)
        done.append(job)

    async def main() -> None:
        with pytest.raises(asyncio.CancelledError):
            await async_workers.run_tasks(2, async_workers.take_from(iter(range(5))), do)

    run(main)
    assert 4 not in done


def test_an_empty_file_goes_up_and_comes_down(tmp_path: Path) -> None:
    path, _ = source(tmp_path, 0)
    fake = FakeS3(b"old")

    async def main() -> None:
        client = client_of(AsyncFake(fake))
        await client.upload_file("b", "k", path)
        await client.download_file("b", "k", tmp_path / "o")

    run(main)
    assert (fake.kinds(), fake.data) == (["PUT", HEAD, "GET"], b"")
    assert (tmp_path / "o").read_bytes() == b""


def test_a_refused_put_reports_no_progress(tmp_path: Path) -> None:
    path, _ = source(tmp_path, 10)
    seen: list[tuple[int, int]] = []
    with pytest.raises(s3wire.S3Error):
        run(
            lambda: client_of(AsyncFake(FakeS3(fail={1: 403}))).upload_file(
                "b", "k", path, progress=lambda *s: seen.append(s)
            )
        )
    assert seen == []


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    size=st.sampled_from([0, 1, PART - 1, PART, PART + 1, 2 * PART, 2 * PART + 3]),
    concurrency=st.integers(1, 4),
    seekable=st.booleans(),
)
def test_async_transfers_send_what_the_sync_ones_send(
    tmp_path: Path, size: int, concurrency: int, seekable: bool
) -> None:
    data = os.urandom(size)
    path = tmp_path / "s"
    path.write_bytes(data)

    def stream() -> Any:
        return open(path, "rb") if seekable else io.BufferedReader(Unseekable(data))

    sync_fake, async_fake = FakeS3(), FakeS3()
    with stream() as file:
        sync_client(sync_fake).upload_file("b", "k", file, concurrency=concurrency)
    with stream() as file:
        up = client_of(AsyncFake(async_fake, delay=0)).upload_file
        run(lambda: up("b", "k", file, concurrency=concurrency))
    assert async_fake.data == sync_fake.data == data
    assert sorted(async_fake.kinds()) == sorted(sync_fake.kinds())
    down = client_of(AsyncFake(async_fake, delay=0)).download_file
    run(lambda: down("b", "k", tmp_path / "back", concurrency=concurrency))
    assert (tmp_path / "back").read_bytes() == data


class Unseekable(io.RawIOBase):
    """Bytes as a pipe gives them: readable, not seekable."""

    def __init__(self, data: bytes) -> None:
        self.stream = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        return self.stream.readinto(buffer)


def sync_client(fake: FakeS3) -> s3wire.Client:
    return s3wire.Client(
        url="http://127.0.0.1:7480",
        access_key="AKIDEXAMPLE",
        secret_key=SECRET,
        region="us-east-1",
        part_size=PART,
        retry_base_delay=0,
        transport=fake,
    )


@pytest.mark.parametrize("durable", [True, False])
def test_a_download_is_synced_before_its_rename_unless_fsync_downloads_is_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, durable: bool
) -> None:
    events = disk_events(monkeypatch)
    data = os.urandom(2 * PART + 1)
    client = client_of(AsyncFake(FakeS3(data)), fsync_downloads=durable)
    run(lambda: client.download_file("b", "k", tmp_path / "o"))
    handed = ["writeback"] * 3 if durable and hasattr(os, "posix_fadvise") else []  # 3 ranges
    assert events == [*handed, *(["fsync"] if durable else []), "replace o"]
    assert (tmp_path / "o").read_bytes() == data
