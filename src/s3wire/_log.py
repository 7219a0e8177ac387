"""s3wire's log lines: logging is imported when there is something to say, not by building a
client or starting the command line; a DEBUG line is dropped at once when nothing has imported
logging (nothing can have configured a handler or a level that would show it)."""

from __future__ import annotations

import sys

CREDENTIALS = "s3wire.credentials"  # the logger of the credential chain and its refreshes


def debug(message: str, *args: object, logger: str = "s3wire") -> None:
    """Log to `logger` (the s3wire logger unless named) at DEBUG."""
    if "logging" in sys.modules:
        _emit(10, logger, message, args)


def warning(message: str, *args: object, logger: str = "s3wire") -> None:
    """Log to `logger` (the s3wire logger unless named) at WARNING."""
    _emit(30, logger, message, args)


def _emit(level: int, logger: str, message: str, args: tuple[object, ...]) -> None:
    import logging

    logging.getLogger(logger).log(level, message, *args)
