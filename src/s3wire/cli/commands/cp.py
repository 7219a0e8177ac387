"""cp: copy a file to S3, an object to a file, or an object to another object; with
--recursive, a folder or prefix."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from ...response import Response
from .. import s3uri
from ..command import STDIN, Context, Handwritten
from ..errors import EXIT_ERROR_ANSWER, EXIT_OK, UsageError
from ..output import print_rows
from ..syncrun import Run, summary
from ..transfer_options import add_object_options, add_transfer_options, object_args, progress_bar
from .sync import add_run_options, places, plan_of


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """SRC and DST, and the stored object's options."""
    parser.add_argument(
        "source", metavar="SRC", help="A local file (- for stdin) or s3://BUCKET/KEY."
    )
    parser.add_argument(
        "destination",
        metavar="DST",
        help="A local file or folder (- for stdout) or s3://BUCKET/KEY; a destination ending "
        "in / (or a bucket, or an existing folder) gets the source's file name.",
    )
    add_recursive_options(parser)
    add_object_options(parser)
    add_transfer_options(parser)


def add_recursive_options(parser: argparse.ArgumentParser) -> None:
    """--recursive, and the options that go with it only."""
    parser.add_argument(
        "--recursive",
        action="store_true",
        help="SRC and DST are a folder and a prefix (or two prefixes): every file below SRC, "
        "--concurrency files at a time (with --quiet, no line per file).",
    )
    add_run_options(parser, deletes=None)


def run(context: Context) -> int:
    """Upload, download or copy; print `upload: SRC to DST` (or download, copy)."""
    if context.args.recursive:
        return run_recursive(context, "cp", move=False)
    refuse_recursive_options(context.args)
    row = transfer_one(context)
    if row is not None:  # None: the data went to stdout, which holds nothing else
        print_rows([row], context.output, line)
    return EXIT_OK


def run_recursive(context: Context, command: str, *, move: bool) -> int:
    """cp or mv --recursive: a line per file, then the summary line."""
    args = context.args
    source, destination, verb = places(args, command)
    plan = plan_of(args, move=move)
    tally = Run(context.client(), source, destination, plan, "move" if move else verb).run()
    if not plan.quiet:
        print(summary(tally, plan, command))
    return EXIT_ERROR_ANSWER if tally.failed else EXIT_OK


def refuse_recursive_options(args: argparse.Namespace) -> None:
    """UsageError for an option that needs --recursive."""
    if args.dryrun or args.filters or not args.follow_symlinks:
        raise UsageError("--dryrun, --exclude, --include and --no-follow-symlinks need --recursive")


def transfer_one(context: Context) -> dict[str, Any] | None:
    """Upload, download or copy one file: its row (None when it went to stdout)."""
    args = context.args
    source, destination = args.source, args.destination
    row: dict[str, Any] | None
    if s3uri.is_s3(source) and s3uri.is_s3(destination):
        row = _copy(context, s3uri.parse(source, key=True), s3uri.parse(destination))
    elif s3uri.is_s3(destination):
        row = _upload(context, source, s3uri.parse(destination))
    elif s3uri.is_s3(source):
        row = _download(context, s3uri.parse(source, key=True), destination)
    else:
        raise UsageError(f"{args.command} needs an s3:// path as SRC or DST (or both)")
    return row


def _upload(context: Context, source: str, target: s3uri.S3Path) -> dict[str, Any]:
    if source == STDIN and target.is_folder:
        raise UsageError("cp from stdin (-) needs a destination key, not a folder")
    if os.path.isdir(source):
        command = context.args.command
        raise UsageError(f"{source} is a folder; {command} copies one file without --recursive")
    target = target.child(os.path.basename(source))
    extra = object_args(context.args)
    file = context.open_input(source, "SRC")
    bar = progress_bar(context.args)
    answer = context.client().upload_file(
        target.bucket,
        target.key,
        file,
        content_type=context.args.content_type,  # None: guessed from the file's name
        metadata=context.args.metadata,
        extra=extra,
        concurrency=context.args.concurrency,
        progress=bar,
    )
    bar.finish()
    return {"operation": "upload", "source": source, "destination": str(target), **_etag(answer)}


def _download(context: Context, source: s3uri.S3Path, destination: str) -> dict[str, Any] | None:
    extra = object_args(context.args)
    client = context.client()
    if destination == STDIN:
        got = client.get_object(
            bucket=source.bucket, key=source.key, **extra.each_request()
        ).raise_for_status()
        sys.stdout.buffer.write(got.body)
        sys.stdout.buffer.flush()
        return None
    if os.path.isdir(destination) or destination.endswith(os.sep):
        destination = os.path.join(destination, s3uri.basename(source.key))
    if not os.path.isdir(os.path.dirname(os.path.abspath(destination))):
        raise UsageError(f"cannot write {destination}: its folder does not exist")
    bar = progress_bar(context.args)
    answer = client.download_file(
        source.bucket,
        source.key,
        destination,
        extra=extra,
        concurrency=context.args.concurrency,
        progress=bar,
    )
    bar.finish()
    return {
        "operation": "download",
        "source": str(source),
        "destination": destination,
        **_etag(answer),
    }


def _copy(context: Context, source: s3uri.S3Path, target: s3uri.S3Path) -> dict[str, Any]:
    """A server-side copy: CopyObject, or parallel UploadPartCopy ranges above 5 GiB."""
    target = target.child(s3uri.basename(source.key))
    extra = object_args(context.args)
    bar = progress_bar(context.args)
    answer = context.client().copy_file(
        source.bucket,
        source.key,
        target.bucket,
        target.key,
        extra=extra,
        concurrency=context.args.concurrency,
        progress=bar,
    )
    bar.finish()
    result = answer.response.get("CopyObjectResult") or answer.response.get(
        "CompleteMultipartUploadResult", {}
    )
    etag = {"etag": result["ETag"]} if result.get("ETag") else {}
    return {"operation": "copy", "source": str(source), "destination": str(target), **etag}


def _etag(answer: Response[Any, Any]) -> dict[str, str]:
    etag = answer.fields.get("etag")
    return {"etag": etag} if isinstance(etag, str) else {}


def line(row: dict[str, Any]) -> str:
    """`OPERATION: SRC to DST`."""
    return f"{row['operation']}: {row['source']} to {row['destination']}"


COMMAND = Handwritten(
    name="cp",
    help="Copy a local file to S3, an object to a local file, or an object to another object "
    "(--recursive: every file of a folder or prefix).",
    add_arguments=add_arguments,
    run=run,
    group="shortcuts",
    example="s3wire cp ./cat.jpg s3://my-bucket/photos/",
    prints="items",
)
