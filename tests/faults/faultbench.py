"""What the fault bench's tests share (tests import it, not conftest, whose name is ambiguous
in a run that also collects tests/integration): timeouts, a client factory, the run's counts."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import servers

import s3wire
from s3wire.transport import SocketTransport, Urllib3Transport
from s3wire.transport_api import Body, Headers, Sink, Transport

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

# The transports the hostile-server tests run over, by name.
TRANSPORTS: dict[str, type[Urllib3Transport | SocketTransport]] = {
    "urllib3": Urllib3Transport,
    "socket": SocketTransport,
}


@dataclass
class Chosen:
    """The transport that clients made by the tests' factories use (a fixture sets it)."""

    kind: str = "urllib3"


TRANSPORT = Chosen()


def transport_of(data: Mapping[str, Any]) -> Transport:
    """A transport of the chosen kind with the connection data's settings."""
    return TRANSPORTS[TRANSPORT.kind](
        connect_timeout=data["connect_timeout"],
        read_timeout=data["read_timeout"],
        verify=data["verify"],
        max_answer_bytes=data["max_answer_bytes"],
        total_timeout=data["total_timeout"],
    )


class RetryLog(logging.Handler):
    """Collects the s3wire logger's "retrying ..." records."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if message.startswith("retrying"):
            self.messages.append(message)


class Watched:
    """The real transport (of the chosen kind), calling `before(method, url, headers, body)`
    ahead of each send.

    It is made with a client's default timeouts and verify unless `options` say otherwise.
    """

    def __init__(self, before: Callable[[str, str, dict[str, str], Body], None], **options: Any):
        settings = {"connect_timeout": 10.0, "read_timeout": 60.0, "verify": True, **options}
        self.inner = TRANSPORTS[TRANSPORT.kind](**settings)
        self.before = before

    def send(
        self,
        method: str,
        url: str,
        headers: dict[str, str],
        body: Body,
        sink: Sink | None = None,
        *,
        deadline: float | None = None,
    ) -> tuple[int, Headers, bytes]:
        self.before(method, url, headers, body)
        return self.inner.send(method, url, headers, body, sink, deadline=deadline)

    def close(self) -> None:
        self.inner.close()


def connect(
    url: str, server: servers.S3Server, transport: Transport | None = None, **options: Any
) -> s3wire.Client:
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
        ),
        transport=transport,
    )
