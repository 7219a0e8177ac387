"""ls: the buckets, or the objects under s3://bucket/prefix, every page of them."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from typing import Any

from ... import paginate
from ...errors import ResponseError
from .. import s3uri, sizes
from ..command import Context, Handwritten
from ..errors import EXIT_OK, UsageError
from ..output import print_rows


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """An optional s3:// path, and --recursive."""
    parser.add_argument(
        "path",
        nargs="?",
        metavar="s3://BUCKET[/PREFIX]",
        help="What to list: without it, the buckets.",
    )
    parser.add_argument(
        "--recursive",
        action="store_true",
        help="Every key under the prefix, instead of one level (with PRE lines for folders).",
    )
    parser.add_argument(
        "--human-readable",
        action="store_true",
        help="Sizes as 1.5 KiB, 2.0 MiB (as aws s3 ls) instead of bytes.",
    )
    parser.add_argument(
        "--summarize",
        action="store_true",
        help="End with the number of objects and their total size (Total Objects, Total Size).",
    )


def run(context: Context) -> int:
    """Print one line per bucket, folder or object (or the items in the --output format)."""
    args = context.args
    if args.path is None:
        if args.summarize:
            raise UsageError("--summarize needs an s3:// path")
        print_rows(_buckets(context), context.output, _bucket_line)
        return EXIT_OK
    where = s3uri.parse(args.path)
    folder = where.key[: where.key.rfind("/") + 1]  # keys are shown from here on
    delimiter = None if args.recursive else "/"
    total = Total()
    items = total.counting(_objects(context, where, delimiter))

    def line(row: dict[str, Any]) -> str:
        name = row["Key"] if args.recursive else row["Key"][len(folder) :]
        if row["Type"] == "prefix":
            return f"{'PRE':>30} {name}"
        size = sizes.human(row["Size"] or 0) if args.human_readable else row["Size"]
        return f"{_when(row['LastModified'])} {size:>10} {name}"

    print_rows(items, context.output, line)
    if args.summarize and context.output.format is None and context.output.query is None:
        size = sizes.human(total.size) if args.human_readable else str(total.size)
        print(f"\nTotal Objects: {total.objects}\n   Total Size: {size}")
    return EXIT_OK


class Total:
    """The number of objects and their total size, counted as the rows go by."""

    def __init__(self) -> None:
        self.objects = 0
        self.size = 0

    def counting(self, rows: Iterator[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        """The rows, each object counted."""
        for row in rows:
            if row["Type"] == "object":
                self.objects += 1
                self.size += row["Size"] or 0
            yield row


def _buckets(context: Context) -> Iterator[dict[str, Any]]:
    for page in context.client().paginate("list_buckets"):
        result = page.raise_for_status().response.get("ListAllMyBucketsResult")
        buckets = paginate.lookup(result, "Buckets.Bucket") if isinstance(result, dict) else None
        if not isinstance(result, dict) or not all(
            isinstance(bucket, dict) and isinstance(bucket.get("Name"), str)
            for bucket in buckets or []
        ):
            raise ResponseError("the ListBuckets answer is no ListAllMyBucketsResult of buckets")
        for bucket in buckets or []:  # <Buckets/> parses as ""
            yield {"Name": bucket["Name"], "CreationDate": bucket.get("CreationDate")}


def _objects(
    context: Context, where: s3uri.S3Path, delimiter: str | None
) -> Iterator[dict[str, Any]]:
    for item in paginate.objects(context.client(), where.bucket, where.key, delimiter):
        if "Prefix" in item:
            yield {"Type": "prefix", "Key": item["Prefix"]}
        else:
            yield {
                "Type": "object",
                "Key": item["Key"],
                "Size": item.get("Size"),
                "LastModified": item.get("LastModified"),
                "StorageClass": item.get("StorageClass"),
            }


def _bucket_line(row: dict[str, Any]) -> str:
    return f"{_when(row['CreationDate'])} {row['Name']}"


def _when(timestamp: str | None) -> str:
    """An ISO 8601 time as `YYYY-MM-DD HH:MM:SS` (UTC, as S3 answers it)."""
    return (timestamp or "").replace("T", " ")[:19].ljust(19)


COMMAND = Handwritten(
    name="ls",
    help="List the buckets, or the folders and objects under s3://bucket/prefix (every page).",
    add_arguments=add_arguments,
    run=run,
    group="shortcuts",
    example="s3wire ls s3://my-bucket/photos/ --recursive",
    prints="items",
)
