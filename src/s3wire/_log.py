"""The s3wire logger's DEBUG lines: logging is imported when there is something to say, not by
building a client."""

from __future__ import annotations


def debug(message: str, *args: object) -> None:
    """Log to the s3wire logger at DEBUG."""
    import logging

    logging.getLogger("s3wire").debug(message, *args)
