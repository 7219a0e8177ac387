"""The entry point: parse the command line, run the command, turn failures into exit codes."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..errors import (
    LocalFileError,
    ParamError,
    ResponseError,
    S3Error,
    S3wireError,
    TransportError,
)
from . import hints
from .command import Context
from .errors import (
    EXIT_ERROR_ANSWER,
    EXIT_INTERRUPTED,
    EXIT_NO_ANSWER,
    EXIT_OK,
    EXIT_USAGE,
    UsageError,
    redact,
    secret_values,
)
from .parser import parse

if TYPE_CHECKING:
    from ..transport_api import Transport


def main(argv: Sequence[str] | None = None, *, transport: Transport | None = None) -> int:
    """Run `s3wire ARGS...` (argv defaults to sys.argv[1:]); answer the exit status.

    The command's requests go through `transport` when given (s3wire.testing.MockTransport in
    tests), as with Client(data, transport=...)."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    secrets = secret_values(arguments, os.environ)
    try:
        try:
            args = parse(arguments)
        except SystemExit as exc:  # --help printed
            return exc.code if isinstance(exc.code, int) else EXIT_OK
        with Context(args, os.environ, transport) as context:
            status: int = args.run(context)
            return status
    except UsageError as exc:
        _error(exc.prog, str(exc), secrets)
        return EXIT_USAGE
    except (ParamError, LocalFileError) as exc:  # bad input; a local file s3wire could not use
        _error("s3wire", str(exc), secrets)
        return EXIT_USAGE
    except S3Error as exc:  # raised by the transfer commands, which make several requests
        _error("s3wire", str(exc), secrets)
        hints.show(hints.for_code(exc.code))
        return EXIT_ERROR_ANSWER
    except TransportError as exc:
        _error("s3wire", str(exc), secrets)
        hints.show(hints.for_failure(exc))
        return EXIT_NO_ANSWER
    except (ResponseError, S3wireError) as exc:
        _error("s3wire", str(exc), secrets)
        return EXIT_NO_ANSWER
    except OSError as exc:  # a local file that cannot be read or written
        _error("s3wire", f"{exc.filename or 'a file'}: {exc.strerror or exc}", secrets)
        return EXIT_USAGE
    except KeyboardInterrupt:  # the transfers under way finished or their files removed
        _error("s3wire", "interrupted", secrets)
        return EXIT_INTERRUPTED


def _error(prog: str, message: str, secrets: set[str]) -> None:
    """One line on stderr, with any secret masked."""
    line = " ".join(redact(message, secrets).split())
    print(f"{prog}: error: {line}", file=sys.stderr)
