"""Running a multi-file command (sync, cp/mv --recursive): what to transfer and delete, done
`concurrency` files at a time, each file's line printed and each failure reported, the rest
carried on."""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from .._generated.records import ObjectIdentifier
from ..client import Client
from ..errors import S3wireError
from ..transfer import savefile
from ..transfer.dirsync import folder_prefix, key_segments
from ..transfer.files import check_concurrency, save_object
from ..transfer.objectargs import ObjectArgs
from ..transfer.workers import run_parallel
from . import bulk, sizes, synctree
from .filters import Filter, included
from .s3uri import S3Path
from .synctree import Entry, Links

Place = str | S3Path  # a local folder, or an S3 prefix (taken as a folder)


@dataclass(frozen=True)
class Plan:
    """What a run does. compare: only what is new or changed (sync), else everything; delete:
    the destination's files the source lacks; move: each source file once copied."""

    compare: bool = False
    size_only: bool = False
    exact_timestamps: bool = False
    delete: bool = False
    move: bool = False
    dryrun: bool = False
    quiet: bool = False
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
            if self._top is not None:
                os.close(self._top)
        return self.tally

    def _side(self, place: Place, links: Links) -> Iterator[Entry]:
        if isinstance(place, S3Path):
            return synctree.objects(self.client, place.bucket, place.key)
        return synctree.files(place, links, self._warn)

    def _jobs(self) -> Iterator[Entry]:
        """The source files to transfer, in order; the deletions are noted on the way."""
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
            elif dst is None or not plan.compare or changed(src, dst, plan, download):
                yield src
            else:
                self.tally.unchanged += 1

    def _transfer(self, entry: Entry) -> None:
        """Transfer one file (a failure is reported and counted)."""
        relative = entry.relative
        line = f"{self.verb}: {shown(self.source, relative)} to {shown(self.destination, relative)}"
        if not self.plan.dryrun:
            try:
                self._copy(entry)
            except (S3wireError, OSError) as exc:
                self._fail(f"{self.verb} failed: {line[len(self.verb) + 2 :]}: {_message(exc)}")
                return
        self._print(line)
        with self._lock:
            self.tally.transferred += 1
            self.tally.size += max(entry.size, 0)

    def _copy(self, entry: Entry) -> None:
        """Upload, download or copy one file; for a move, then delete its source."""
        src, dst, plan = self.source, self.destination, self.plan
        relative = entry.relative
        if isinstance(dst, str):
            assert isinstance(src, S3Path)
            self._download(src, dst, entry)
        elif isinstance(src, str):
            self.client.upload_file(
                dst.bucket,
                dst.key + relative,
                os.path.join(src, *relative.split("/")),
                content_type=plan.content_type,
                metadata=plan.metadata,
                extra=plan.extra,
                concurrency=1,
            )
        else:
            self.client.copy_file(
                src.bucket, src.key + relative, dst.bucket, dst.key + relative, extra=plan.extra
            )
        if plan.move and isinstance(src, str):
            os.unlink(os.path.join(src, *relative.split("/")))
        elif plan.move:
            with self._lock:
                self._moved.append(relative)

    def _download(self, source: S3Path, root: str, entry: Entry) -> None:
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
                mtime=entry.mtime,
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
                print(prefix + line, flush=True)

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


def _folder_of(place: Place) -> Place:
    return S3Path(place.bucket, folder_prefix(place.key)) if isinstance(place, S3Path) else place


def _message(exc: BaseException) -> str:
    if isinstance(exc, OSError) and not isinstance(exc, S3wireError) and exc.strerror:
        return f"{exc.filename or 'a file'}: {exc.strerror}"
    return " ".join(str(exc).split())
