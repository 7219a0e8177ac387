"""The options the transfer commands share: --concurrency, --quiet, --no-progress and
--no-fsync, and cp's options of the stored object (add_object_options, object_args)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from ..limits import DEFAULT_CONCURRENCY
from .errors import UsageError
from .options import parse_map
from .progressbar import ProgressBar

if TYPE_CHECKING:
    from ..transfer.objectargs import ObjectArgs


def add_transfer_options(
    parser: argparse.ArgumentParser, *, files: bool = False, downloads: bool = True
) -> None:
    """--concurrency (parallel requests; with `files`, files at a time), --quiet (no
    progress bar; with `files`, no line per file either), --no-progress, and for a command
    that `downloads`, --no-fsync (the connection's fsync_downloads off: connection.resolve)."""
    parser.add_argument(
        "--concurrency",
        type=int,
        default=DEFAULT_CONCURRENCY,
        metavar="N",
        help=f"{'Files' if files else 'Parts or ranges'} sent at once "
        f"[default: {DEFAULT_CONCURRENCY}].",
    )
    parser.add_argument(
        "--quiet",
        action="store_true",
        help="Print only errors and warnings."
        if files
        else "No progress bar (there is none anyway when stderr is not a terminal).",
    )
    parser.add_argument(
        "--no-progress",
        dest="progress",
        action="store_false",
        help="No progress display on stderr (there is none anyway when it is not a terminal).",
    )
    if downloads:
        parser.add_argument(
            "--no-fsync",
            dest="fsync",
            action="store_false",
            help="Do not sync a downloaded file to disk before its rename: faster for many or "
            "big files, but a crash or power loss soon after may leave it empty or zeroed.",
        )


def progress_bar(args: argparse.Namespace) -> ProgressBar:
    """The one-file progress bar, unless --quiet or --no-progress."""
    return ProgressBar(quiet=args.quiet or not args.progress)


def add_object_options(parser: argparse.ArgumentParser) -> None:
    """The stored object's options, named as `aws s3 cp` names them: --content-type, --metadata,
    the headers stored with it, --storage-class, --acl, encryption (--sse, --sse-kms-key-id,
    --sse-c with --sse-c-key, --sse-c-copy-source-key), --request-payer, --expected-bucket-owner."""
    group = parser.add_argument_group("object options")
    group.add_argument(
        "--content-type",
        metavar="TYPE",
        help='The uploaded object\'s media type [default: guessed from the file name; "": none].',
    )
    group.add_argument(
        "--metadata",
        type=parse_pairs,
        metavar="KEY=VALUE,...|JSON",
        help='User metadata (x-amz-meta-*): k=v,k2=v2 or {"k": "v"}.',
    )
    for name, what in _HEADERS:
        group.add_argument(f"--{name}", metavar="VALUE", help=f"{what} stored with the object.")
    group.add_argument("--expires", metavar="TIMESTAMP", help="The object's Expires (ISO 8601).")
    group.add_argument("--storage-class", metavar="CLASS", help="STANDARD, STANDARD_IA, ...")
    group.add_argument("--acl", metavar="ACL", help="A canned ACL: private, public-read, ...")
    group.add_argument(
        "--sse",
        nargs="?",
        const="AES256",
        metavar="AES256|aws:kms",
        help="Server-side encryption [AES256 when given with no value].",
    )
    group.add_argument("--sse-kms-key-id", metavar="KEY_ID", help="The KMS key for aws:kms.")
    group.add_argument(
        "--sse-c",
        nargs="?",
        const="AES256",
        choices=("AES256",),
        help="Encrypt (or read) with a key of your own (SSE-C), given by --sse-c-key.",
    )
    for name, whose in (("sse-c-key", "the object"), ("sse-c-copy-source-key", "a copy's source")):
        group.add_argument(
            f"--{name}",
            type=parse_key,
            metavar="fileb://FILE|KEY",
            help=f"The 32-byte SSE-C key of {whose}: raw bytes in a file (fileb://), or text.",
        )
    group.add_argument(
        "--request-payer",
        nargs="?",
        const="requester",
        choices=("requester",),
        help="Accept the charges of a requester-pays bucket.",
    )
    group.add_argument(
        "--expected-bucket-owner", metavar="ACCOUNT", help="Refuse a bucket owned by another."
    )


_HEADERS = (
    ("cache-control", "Cache-Control"),
    ("content-disposition", "Content-Disposition"),
    ("content-encoding", "Content-Encoding"),
    ("content-language", "Content-Language"),
)


def object_args(args: argparse.Namespace) -> ObjectArgs:
    """The options of add_object_options as an ObjectArgs (checked: ParamError names a bad one)."""
    from ..transfer.objectargs import ObjectArgs

    if args.sse_c_key is not None and args.sse_c is None:
        raise UsageError("--sse-c-key needs --sse-c")
    if args.sse_c is not None and args.sse_c_key is None:
        raise UsageError("--sse-c needs --sse-c-key")
    return ObjectArgs(
        cache_control=args.cache_control,
        content_disposition=args.content_disposition,
        content_encoding=args.content_encoding,
        content_language=args.content_language,
        expires=args.expires,
        storage_class=args.storage_class,
        acl=args.acl,
        server_side_encryption=args.sse,
        sse_kms_key_id=args.sse_kms_key_id,
        sse_customer_key=args.sse_c_key,
        copy_source_sse_customer_key=args.sse_c_copy_source_key,
        request_payer=args.request_payer,
        expected_bucket_owner=args.expected_bucket_owner,
    )


def parse_pairs(text: str) -> dict[str, str]:
    """KEY=VALUE,KEY2=VALUE2, or a JSON object of strings (inline or @FILE)."""
    if text.lstrip().startswith(("{", "@")):
        return parse_map(text)
    pairs: dict[str, str] = {}
    for item in text.split(","):
        name, equals, value = item.partition("=")
        if not equals or not name:
            raise argparse.ArgumentTypeError(f"expected KEY=VALUE, not {item!r}")
        pairs[name] = value
    return pairs


def parse_key(text: str) -> bytes:
    """An SSE-C key: the bytes of a file given as fileb://PATH, else the text's UTF-8 bytes.
    The key itself is never echoed in an error."""
    if not text.startswith("fileb://"):
        return text.encode()
    path = text[len("fileb://") :]
    try:
        with open(path, "rb") as file:
            return file.read()
    except OSError as exc:
        raise argparse.ArgumentTypeError(f"cannot read {path}: {exc.strerror}") from None
