"""sync: make an S3 prefix or a local folder hold what another one holds, transferring only
what is new or changed."""

from __future__ import annotations

import argparse
import os

from ...transfer.dirsync import folder_prefix
from .. import s3uri
from ..command import Context, Handwritten
from ..errors import EXIT_ERROR_ANSWER, EXIT_OK, UsageError
from ..filters import add_filter_options
from ..syncrun import Place, Plan, Run, summary
from ..transfer_options import add_object_options, add_transfer_options, object_args


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """SRC, DST, what counts as changed, --delete, --dryrun, filters, links, object options."""
    parser.add_argument("source", metavar="SRC", help="A local folder or s3://BUCKET[/PREFIX].")
    parser.add_argument(
        "destination", metavar="DST", help="A local folder or s3://BUCKET[/PREFIX]."
    )
    parser.add_argument(
        "--size-only",
        action="store_true",
        help="A file is unchanged when its size is (its time is not looked at).",
    )
    parser.add_argument(
        "--exact-timestamps",
        action="store_true",
        help="Downloading, a same-sized file is unchanged only when its time is the object's "
        "(by default: unless the object is newer).",
    )
    parser.add_argument(
        "--checksum",
        action="store_true",
        help="A same-sized file is unchanged when its content is the object's, as its ETag "
        "(MD5, or a multipart one computed again) or stored checksum tells; where neither "
        "tells, its time decides as without --checksum.",
    )
    add_run_options(parser, deletes="files of DST that SRC lacks (those the filters pass)")
    add_object_options(parser)
    add_transfer_options(parser, files=True)


def add_run_options(parser: argparse.ArgumentParser, *, deletes: str | None) -> None:
    """--delete (when `deletes` says what it deletes), --dryrun, --only-show-errors, the
    filters and the link options: what the multi-file commands share."""
    if deletes is not None:
        parser.add_argument("--delete", action="store_true", help=f"Delete the {deletes}.")
    parser.add_argument(
        "--dryrun", action="store_true", help="Print what would be done; do nothing."
    )
    parser.add_argument(
        "--only-show-errors",
        dest="quiet",
        action="store_true",
        help="Print only errors and warnings (the same as --quiet here).",
    )
    add_filter_options(parser)
    links = parser.add_mutually_exclusive_group()
    links.add_argument(
        "--follow-symlinks",
        dest="follow_symlinks",
        action="store_true",
        default=True,
        help="Follow symbolic links of SRC, except those leading outside it [the default].",
    )
    links.add_argument(
        "--no-follow-symlinks",
        dest="follow_symlinks",
        action="store_false",
        help="Leave SRC's symbolic links out.",
    )


def places(args: argparse.Namespace, command: str) -> tuple[Place, Place, str]:
    """SRC and DST as places, and the verb of their lines; UsageError unless one is in S3 and
    a local SRC is a folder."""
    source: Place = s3uri.parse(args.source) if s3uri.is_s3(args.source) else args.source
    destination: Place = (
        s3uri.parse(args.destination) if s3uri.is_s3(args.destination) else args.destination
    )
    if isinstance(source, str) and isinstance(destination, str):
        raise UsageError(f"{command} needs an s3:// path as SRC or DST (or both)")
    if isinstance(source, s3uri.S3Path) and isinstance(destination, s3uri.S3Path):
        _refuse_overlap(source, destination)
    if isinstance(source, str) and not os.path.isdir(source):
        raise UsageError(f"{source} is not a folder")
    if isinstance(source, str):
        return source, destination, "upload"
    return source, destination, "download" if isinstance(destination, str) else "copy"


def _refuse_overlap(source: s3uri.S3Path, destination: s3uri.S3Path) -> None:
    """UsageError when one prefix holds the other: the copies would land in the source."""
    mine, theirs = folder_prefix(source.key), folder_prefix(destination.key)
    if source.bucket == destination.bucket and (mine.startswith(theirs) or theirs.startswith(mine)):
        raise UsageError(f"{source} and {destination} overlap: one holds the other")


def plan_of(args: argparse.Namespace, **choices: bool) -> Plan:
    """The options of add_run_options and the object options as a Plan."""
    return Plan(
        dryrun=args.dryrun,
        quiet=args.quiet,
        progress=args.progress,
        filters=tuple(args.filters),
        links="follow" if args.follow_symlinks else "skip",
        concurrency=args.concurrency,
        extra=object_args(args),
        content_type=getattr(args, "content_type", None),
        metadata=getattr(args, "metadata", None),
        **choices,
    )


def run(context: Context) -> int:
    """Sync; a line per file transferred or deleted, then the summary line."""
    args = context.args
    source, destination, verb = places(args, "sync")
    plan = plan_of(
        args,
        compare=True,
        checksum=args.checksum,
        size_only=args.size_only,
        exact_timestamps=args.exact_timestamps,
        delete=args.delete,
    )
    tally = Run(context.client(), source, destination, plan, verb).run()
    if not plan.quiet:
        print(summary(tally, plan, "sync"))
    return EXIT_ERROR_ANSWER if tally.failed else EXIT_OK


COMMAND = Handwritten(
    name="sync",
    help="Copy what is new or changed from a folder to an S3 prefix, back, or between prefixes.",
    add_arguments=add_arguments,
    run=run,
    group="shortcuts",
    example="s3wire sync ./photos s3://my-bucket/photos --delete --exclude '*.tmp'",
    prints="none",
)
