"""rm: delete an object, or (--recursive) every object under a prefix that the filters pass,
1,000 per request."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Iterator
from typing import Any

from ... import paginate
from ..._generated.records import ObjectIdentifier
from ...client import Client
from .. import bulk, s3uri
from ..command import Context, Handwritten
from ..errors import EXIT_ERROR_ANSWER, EXIT_OK, UsageError
from ..filters import add_filter_options, included
from ..output import print_rows
from ..progressbar import FilesProgress


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The s3:// path, and --recursive."""
    parser.add_argument(
        "path", metavar="s3://BUCKET/KEY", help="The object, or with --recursive the prefix."
    )
    parser.add_argument(
        "--recursive",
        action="store_true",
        help="Delete every object whose key starts with the path's key (all of them for "
        "s3://BUCKET), with DeleteObjects in batches of 1,000.",
    )
    parser.add_argument(
        "--dryrun", action="store_true", help="Print what would be deleted; delete nothing."
    )
    parser.add_argument(
        "--only-show-errors",
        "--quiet",
        dest="quiet",
        action="store_true",
        help="With --recursive: no line per object deleted, only errors.",
    )
    parser.add_argument(
        "--no-progress",
        dest="progress",
        action="store_false",
        help="With --recursive: no progress display on stderr (there is none anyway when it "
        "is not a terminal).",
    )
    add_filter_options(parser)


def run(context: Context) -> int:
    """Delete; print `delete: s3://bucket/key` for each object deleted."""
    args = context.args
    where = s3uri.parse(args.path, key=None if args.recursive else True)
    if args.filters and not args.recursive:
        raise UsageError("--exclude and --include need --recursive")
    client = context.client()
    rows: Iterable[dict[str, Any]]
    if not args.recursive:
        if not args.dryrun:
            client.delete_object(bucket=where.bucket, key=where.key).raise_for_status()
        rows = [{"operation": "delete", "path": str(where)}]
        print_rows(rows, context.output, _dryrun_line if args.dryrun else _line)
        return EXIT_OK
    folder = where.key[: where.key.rfind("/") + 1]  # the filters see the keys from here on
    listed = paginate.objects(client, where.bucket, where.key)
    plain = context.output.format is None and context.output.query is None
    display = FilesProgress(quiet=args.quiet or not args.progress or args.dryrun or not plain)
    keys = _counted(
        (
            ObjectIdentifier(key=item["Key"])
            for item in listed
            if included(item["Key"][len(folder) :], args.filters)
        ),
        display,
    )
    if args.dryrun:
        paths = (s3uri.S3Path(where.bucket, item["key"]) for item in keys)
        rows = ({"operation": "delete", "path": str(path)} for path in paths)
        print_rows(rows, context.output, _dryrun_line)
        return EXIT_OK
    failures: list[str] = []
    rows = deletions(client, where.bucket, keys, failures)
    if plain:
        try:
            for row in rows:
                display.ended(0, 0, ok=True)
                if not args.quiet:
                    display.print_above(_line(row), sys.stdout)
        finally:
            display.finish()
    else:
        print_rows(rows, context.output, _line)
    return result_of(failures)


def _counted(
    keys: Iterator[ObjectIdentifier], display: FilesProgress
) -> Iterator[ObjectIdentifier]:
    """The keys, each counted on the display as one to delete; the list whole at their end."""
    for key in keys:
        display.planned(0)
        yield key
    display.listed()


def deletions(
    client: Client, bucket: str, identifiers: Iterable[ObjectIdentifier], failures: list[str]
) -> Iterator[dict[str, Any]]:
    """A row per object deleted; each refusal is added to failures as a message."""
    for item, error in bulk.delete(client, bucket, identifiers):
        path = str(s3uri.S3Path(bucket, item["key"]))
        if error is None:
            row = {"operation": "delete", "path": path}
            version = item.get("version_id")
            if version and version != "null":  # "null": the version of an unversioned write
                row["version_id"] = version
            yield row
        else:
            failures.append(f"{path}: {error.get('Code')}: {error.get('Message', '')}")


def result_of(failures: list[str]) -> int:
    """Report the deletions S3 refused on stderr; the exit status."""
    for failure in failures:
        print(f"s3wire: error: delete failed: {failure}", file=sys.stderr)
    return EXIT_ERROR_ANSWER if failures else EXIT_OK


def _line(row: dict[str, Any]) -> str:
    return f"delete: {row['path']}"


def _dryrun_line(row: dict[str, Any]) -> str:
    return f"(dryrun) delete: {row['path']}"


COMMAND = Handwritten(
    name="rm",
    help="Delete an object, or with --recursive every object under a prefix (--exclude, "
    "--include, --dryrun).",
    add_arguments=add_arguments,
    run=run,
    group="shortcuts",
    example="s3wire rm s3://my-bucket/photos/ --recursive",
    prints="items",
)
