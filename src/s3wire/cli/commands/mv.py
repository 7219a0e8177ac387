"""mv: cp, then delete the source; with --recursive, only the files that were copied."""

from __future__ import annotations

import os

from .. import s3uri
from ..command import STDIN, Context, Handwritten
from ..errors import EXIT_OK, UsageError
from ..output import print_rows
from . import cp


def run(context: Context) -> int:
    """Move; print `move: SRC to DST`."""
    args = context.args
    if args.recursive:
        return cp.run_recursive(context, "mv", move=True)
    cp.refuse_recursive_options(args)
    if STDIN in (args.source, args.destination):
        raise UsageError("mv cannot move from stdin or to stdout (-)")
    if s3uri.is_s3(args.source) and s3uri.is_s3(args.destination):
        source = s3uri.parse(args.source, key=True)
        if s3uri.parse(args.destination).child(s3uri.basename(source.key)) == source:
            raise UsageError(f"cannot move {source} onto itself")
    row = cp.transfer_one(context)
    assert row is not None  # only stdout gives none
    if s3uri.is_s3(args.source):
        source = s3uri.parse(args.source, key=True)
        context.client().delete_object(bucket=source.bucket, key=source.key).raise_for_status()
    else:
        os.unlink(args.source)
    print_rows([{**row, "operation": "move"}], context.output, cp.line)
    return EXIT_OK


COMMAND = Handwritten(
    name="mv",
    help="Move a file or object (cp, then delete the source); --recursive: every file of a "
    "folder or prefix, each deleted once copied.",
    add_arguments=cp.add_arguments,
    run=run,
    group="shortcuts",
    example="s3wire mv ./logs s3://my-bucket/logs/ --recursive --exclude '*.tmp'",
    prints="items",
)
