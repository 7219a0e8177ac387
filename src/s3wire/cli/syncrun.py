"""Running a multi-file command (sync, cp/mv --recursive): what to transfer and delete, done
`concurrency` files at a time, each file's line printed and each failure reported, the rest
carried on."""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import IO

from .._generated.records import ObjectIdentifier
from ..client import Client
from ..errors import S3wireError
from ..transfer import savefile
from ..transfer.dirsync import folder_prefix, key_segments
from ..transfer.files import check_concurrency, save_object
from ..transfer.objectargs import ObjectArgs
from ..transfer.progress import ProgressCallback
from ..transfer.workers import run_parallel
from . import bulk, samecontent, sizes, synctree
from .filters import Filter, included
from .progressbar import FilesProgress
from .s3uri import S3Path
from .synctree import Entry, Links

Place = str | S3Path  # a local folder, or an S3 prefix (taken as a folder)
Job = tuple[Entry, Entry | None]  # a source file, and its copy when only its content can tell


@dataclass(frozen=True)
class Plan:
    """What a run does. compare: only what is new or changed (sync), else everything; checksum:
    same-sized files compared by content where an ETag or checksum tells (samecontent); delete:
    the destination's files the source lacks; move: each source file once copied; progress:
    the display on a terminal (never with quiet or dryrun)."""

    compare: bool = False
    checksum: bool = False
    size_only: bool = False
    exact_timestamps: bool = False
    delete: bool = False
    move: bool = False
    dryrun: bool = False
    quiet: bool = False
    progress: bool = True
    filters: Sequence[Filter] = ()
    links: Links = "follow"
    concurrency: int = 1
    extra: ObjectArgs = field(default_factory=ObjectArgs)
    content_type: str | None = None
    metadata: Mapping[str, str] | None = None


@dataclass
class Tally:
    """What a run did."""

    transferred: int = 0
    size: int = 0
    deleted: int = 0
    unchanged: int = 0
    failed: int = 0


def changed(source: Entry, destination: Entry, plan: Plan, download: bool) -> bool:
    """Whether a file differs from its copy: by size, else (without size_only) when the source
    is newer to the second, or for a download with exact_timestamps when the times differ."""
    if source.size != destination.size:
        return True
    if plan.size_only:
        return False
    if plan.exact_timestamps and download:
        return int(source.mtime) != int(destination.mtime)
    return int(source.mtime) > int(destination.mtime)


def shown(place: Place, relative: str) -> str:
    """How a line names a file: an S3 path, or a local path as `aws s3` shows it (its folder
    relative to the current one)."""
    if isinstance(place, S3Path):
        return str(S3Path(place.bucket, folder_prefix(place.key) + relative))
    path = os.path.join(place, *relative.split("/")) if relative else place
    folder, name = os.path.split(path)
    try:
        return os.path.join(os.path.relpath(folder or os.curdir), name)
    except ValueError:  # another drive, on Windows
        return os.path.abspath(path)


class Run:
    """One run from source to destination (at least one of them in S3) by a plan; `verb` names
    the operation in the lines printed (upload, download, copy, move)."""

    def __init__(
        self, client: Client, source: Place, destination: Place, plan: Plan, verb: str
    ) -> None:
        check_concurrency(plan.concurrency)
        self.client, self.plan, self.verb = client, plan, verb
        self.source = _folder_of(source)
        self.destination = _folder_of(destination)
        self.tally = Tally()
        self._lock = threading.Lock()
        self._deletions: list[str] = []  # destination paths to delete (--delete)
        self._moved: list[str] = []  # source keys copied, to delete (mv from S3)
        self._top: int | None = None  # the local destination folder, open
        shows = plan.progress and not plan.quiet and not plan.dryrun
        self.display = FilesProgress(quiet=not shows)

    def run(self) -> Tally:
        """Transfer, then delete; the tally."""
        if isinstance(self.destination, str) and not self.plan.dryrun:
            os.makedirs(self.destination, exist_ok=True)
            self._top = savefile.open_folder(self.destination)
        try:
            run_parallel(self.plan.concurrency, self._jobs(), self._transfer)
            self._delete(self.destination, self._deletions, "delete")
            self._delete(self.source, self._moved, None)
        finally:
            self.display.finish()
            if self._top is not None:
                os.close(self._top)
        return self.tally

    def _side(self, place: Place, links: Links) -> Iterator[Entry]:
        if isinstance(place, S3Path):
            return synctree.objects(self.client, place.bucket, place.key)
        return synctree.files(place, links, self._warn)

    def _jobs(self) -> Iterator[Job]:
        """The source files to transfer (with their copy when their content decides), in
        order; the deletions are noted on the way."""
        plan = self.plan
        source = self._side(self.source, plan.links)
        compared = plan.compare or plan.delete
        destination = self._side(self.destination, "list") if compared else iter(())
        download = isinstance(self.destination, str)
        for relative, src, dst in synctree.together(source, destination):
            if not included(relative, plan.filters):
                continue
            if src is None:
                if plan.delete:
                    self._deletions.append(relative)
            elif dst is None or not plan.compare:
                yield self._planned(src, None)
            elif plan.checksum and src.size == dst.size >= 0:
                yield self._planned(src, dst)
            elif changed(src, dst, plan, download):
                yield self._planned(src, None)
            else:
                with self._lock:
                    self.tally.unchanged += 1
        self.display.listed()

    def _planned(self, src: Entry, dst: Entry | None) -> Job:
        self.display.planned(max(src.size, 0))
        return src, dst

    def _transfer(self, job: Job) -> None:
        """Transfer one file unless its content is its copy's (a failure is reported and
        counted)."""
        entry, copy = job
        relative = entry.relative
        line = f"{self.verb}: {shown(self.source, relative)} to {shown(self.destination, relative)}"
        meter = _Meter(self.display)
        try:
            if copy is not None and self._unchanged(entry, copy):
                with self._lock:
                    self.tally.unchanged += 1
                self.display.ended(max(entry.size, 0), 0, ok=False)
                return
            if not self.plan.dryrun:
                self._copy(entry, meter)
        except (S3wireError, OSError) as exc:
            self.display.ended(max(entry.size, 0), meter.done, ok=False)
            self._fail(f"{self.verb} failed: {line[len(self.verb) + 2 :]}: {_message(exc)}")
            return
        self.display.ended(max(entry.size, 0), meter.done, ok=True)
        self._print(line)
        with self._lock:
            self.tally.transferred += 1
            self.tally.size += max(entry.size, 0)

    def _unchanged(self, source: Entry, copy: Entry) -> bool:
        """Whether a file's copy of the same size holds its bytes (--checksum); where nothing
        tells, whether its size and time say so."""
        src, dst, relative = self.source, self.destination, source.relative
        same: bool | None
        if isinstance(src, S3Path) and isinstance(dst, S3Path):
            same = samecontent.same_objects(source.etag, copy.etag)
        else:  # one side is the local file, the other the object
            local, remote, listed = (src, dst, copy) if isinstance(src, str) else (dst, src, source)
            assert isinstance(local, str) and isinstance(remote, S3Path)
            path = os.path.join(local, *relative.split("/"))
            same = samecontent.same_file(
                self.client,
                remote.bucket,
                remote.key + relative,
                listed.etag,
                listed.size,
                lambda: _read(path),
                self.plan.extra,
            )
        if same is None:
            return not changed(source, copy, self.plan, isinstance(dst, str))
        return same

    def _copy(self, entry: Entry, meter: _Meter) -> None:
        """Upload, download or copy one file; for a move, then delete its source."""
        src, dst, plan = self.source, self.destination, self.plan
        relative = entry.relative
        if isinstance(dst, str):
            assert isinstance(src, S3Path)
            self._download(src, dst, entry, meter.callback)
        elif isinstance(src, str):
            self.client.upload_file(
                dst.bucket,
                dst.key + relative,
                os.path.join(src, *relative.split("/")),
                content_type=plan.content_type,
                metadata=plan.metadata,
                extra=plan.extra,
                concurrency=1,
                progress=meter.callback,
            )
        else:
            self.client.copy_file(
                src.bucket,
                src.key + relative,
                dst.bucket,
                dst.key + relative,
                extra=plan.extra,
                progress=meter.callback,
            )
        if plan.move and isinstance(src, str):
            os.unlink(os.path.join(src, *relative.split("/")))
        elif plan.move:
            with self._lock:
                self._moved.append(relative)

    def _download(
        self, source: S3Path, root: str, entry: Entry, progress: ProgressCallback | None
    ) -> None:
        key = source.key + entry.relative
        segments = key_segments(root, entry.relative, key)
        assert self._top is not None
        folder = savefile.open_below(self._top, segments[:-1], shown(root, entry.relative))
        try:
            save_object(
                self.client,
                source.bucket,
                key,
                folder,
                segments[-1],
                extra=self.plan.extra,
                concurrency=1,
                progress=progress,
                mtime=entry.mtime,
                listed=(entry.size, entry.etag),  # no HeadObject for an object of one GET
            )
        finally:
            os.close(folder)

    def _delete(self, place: Place, relatives: list[str], verb: str | None) -> None:
        """Delete files of one side (S3: in batches of 1,000), printing `verb: PATH` lines."""
        if not relatives:
            return
        if self.plan.dryrun or isinstance(place, str):
            for relative in relatives:
                self._delete_file(place, relative, verb)
            return
        keys = (ObjectIdentifier(key=place.key + relative) for relative in relatives)
        for item, error in bulk.delete(self.client, place.bucket, keys):
            relative = item["key"][len(place.key) :]
            if error is None:
                self._deleted(place, relative, verb)
            else:
                code, text = error.get("Code"), error.get("Message")
                detail = f"{code}: {text}" if text else code
                self._fail(f"delete failed: {shown(place, relative)}: {detail}")

    def _delete_file(self, place: Place, relative: str, verb: str | None) -> None:
        if not self.plan.dryrun:  # a local destination's file: below the folder opened
            assert self._top is not None
            segments = relative.split("/")
            try:
                folder = savefile.open_below(self._top, segments[:-1], shown(place, relative))
                try:
                    os.unlink(segments[-1], dir_fd=folder)
                finally:
                    os.close(folder)
            except (S3wireError, OSError) as exc:
                self._fail(f"delete failed: {shown(place, relative)}: {_message(exc)}")
                return
        self._deleted(place, relative, verb)

    def _deleted(self, place: Place, relative: str, verb: str | None) -> None:
        if verb is not None:
            self._print(f"{verb}: {shown(place, relative)}")
            self.tally.deleted += 1

    def _print(self, line: str) -> None:
        if not self.plan.quiet:
            prefix = "(dryrun) " if self.plan.dryrun else ""
            with self._lock:
                self.display.print_above(prefix + line, sys.stdout)

    def _warn(self, message: str) -> None:
        with self._lock:
            print(f"warning: {message}", file=sys.stderr, flush=True)

    def _fail(self, message: str) -> None:
        with self._lock:
            self.tally.failed += 1
            print(message, file=sys.stderr, flush=True)


def summary(tally: Tally, plan: Plan, command: str) -> str:
    """The last line: counts of files transferred (with their size), and for sync deleted and
    unchanged; failed."""
    done = f"{tally.transferred} {'to transfer' if plan.dryrun else 'transferred'}"
    parts = [f"{done} ({sizes.human(tally.size)})"]
    if plan.compare:
        parts += [f"{tally.deleted} {'to delete' if plan.dryrun else 'deleted'}"]
        parts += [f"{tally.unchanged} unchanged"]
    if not plan.dryrun:
        parts += [f"{tally.failed} failed"]
    return f"{'(dryrun) ' if plan.dryrun else ''}{command}: {', '.join(parts)}"


class _Meter:
    """One file's bytes, as its transfer reports them, added to the display."""

    def __init__(self, display: FilesProgress) -> None:
        self.display, self.done = display, 0
        self.callback: ProgressCallback | None = self._report if display.enabled else None

    def _report(self, done: int, total: int) -> None:
        self.display.added(done - self.done)
        self.done = done


def _read(path: str) -> IO[bytes]:
    return open(path, "rb")


def _folder_of(place: Place) -> Place:
    return S3Path(place.bucket, folder_prefix(place.key)) if isinstance(place, S3Path) else place


def _message(exc: BaseException) -> str:
    if isinstance(exc, OSError) and not isinstance(exc, S3wireError) and exc.strerror:
        return f"{exc.filename or 'a file'}: {exc.strerror}"
    return " ".join(str(exc).split())
