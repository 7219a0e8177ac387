"""upload-file: store a local file, in one PUT or as a multipart upload above the part size."""

from __future__ import annotations

import argparse

from ...config import UPLOAD_CHECKSUMS
from ..command import Context, Handwritten
from ..options import parse_map
from ..output import print_response
from ..transfer_options import add_transfer_options, progress_bar


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """--bucket, --key, --source, and optional content type and metadata."""
    required = parser.add_argument_group("required options")
    required.add_argument("--bucket", required=True, help="The bucket's name.")
    required.add_argument("--key", required=True, help="The object's key.")
    required.add_argument("--source", required=True, metavar="FILE|-", help="The file to send.")
    parser.add_argument("--content-type", help="Media type stored with the object.")
    parser.add_argument(
        "--metadata", type=parse_map, metavar="JSON|@FILE", help='User metadata: {"k": "v"}.'
    )
    parser.add_argument(
        "--checksum",
        choices=UPLOAD_CHECKSUMS,
        help="Each part's checksum: an x-amz-checksum-* algorithm, or md5 (Content-MD5 only) "
        "[default: the connection's checksum_algorithm, crc32].",
    )
    add_transfer_options(parser, downloads=False)


def run(context: Context) -> int:
    """Upload; print the final answer (PutObject or CompleteMultipartUpload)."""
    args = context.args
    source = context.open_input(args.source, "--source")
    bar = progress_bar(args)
    response = context.client().upload_file(
        args.bucket,
        args.key,
        source,
        content_type=args.content_type,
        metadata=args.metadata,
        concurrency=args.concurrency,
        checksum=args.checksum,
        progress=bar,
    )
    bar.finish()
    return print_response(response, context.output)


COMMAND = Handwritten(
    name="upload-file",
    help="Upload a file: one PUT below the part size, else parallel parts (aborted on failure).",
    add_arguments=add_arguments,
    run=run,
    group="transfers",
    example="s3wire upload-file --bucket my-bucket --key path/to/key --source ./file.bin",
)
