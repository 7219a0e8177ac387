"""What the fault bench's tests share (tests import it, not conftest, whose name is ambiguous
in a run that also collects tests/integration): timeouts, a client factory, the run's counts."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import servers

import s3wire

MIB = 1024 * 1024
READ_TIMEOUT = 1.0  # seconds; the proxy's `delay` fault holds answers longer than this
DELAY = 1.5


@dataclass
class Bench:
    """What the fault bench did in this run."""

    scenarios: int = 0
    faults: int = 0
    retries: int = 0
    right: int = 0  # calls under random faults that answered the right data
    failed: int = 0  # calls under random faults that raised an s3wire error


BENCH = Bench()


class RetryLog(logging.Handler):
    """Collects the s3wire logger's "retrying ..." records."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if message.startswith("retrying"):
            self.messages.append(message)


def connect(url: str, server: servers.S3Server, **options: Any) -> s3wire.Client:
    """A path-style client of `url` with the server's keys; tiny retry delays unless told."""
    settings: dict[str, Any] = {
        "addressing_style": "path",
        "part_size": 5 * MIB,
        "read_timeout": READ_TIMEOUT,
        "connect_timeout": READ_TIMEOUT,
        "retry_base_delay": 0.001,
        "retry_max_delay": 0.01,
    }
    settings.update(options)
    return s3wire.Client(
        s3wire.get_data_structure(
            url, server.access_key, server.secret_key, server.region, **settings
        )
    )
