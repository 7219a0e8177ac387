"""What a command is given to run (Context) and how a handwritten command is declared."""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import stat
import sys
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import TracebackType
from typing import IO, TYPE_CHECKING, Literal

from ..client import Client
from . import connection
from .errors import UsageError
from .output import Output

if TYPE_CHECKING:
    from ..transport_api import Transport

STDIN = "-"


class Context:
    """A command's parsed options, its connection (built on first use, over `transport` if
    given) and open files.

    Use it as a context manager: leaving it closes the client and the files it opened.
    """

    def __init__(
        self,
        args: argparse.Namespace,
        environ: Mapping[str, str],
        transport: Transport | None = None,
    ) -> None:
        self.args = args
        self._environ = environ
        self._transport = transport
        self._stack = contextlib.ExitStack()
        self._client: Client | None = None
        self._stdin_taken_by: str | None = None

    @property
    def output(self) -> Output:
        """How to print: --output and --query, for the commands that take them."""
        return Output(getattr(self.args, "output", None), getattr(self.args, "query", None))

    def client(self, client_class: type[Client] = Client) -> Client:
        """The client for the connection options (connection.resolve); a plugin's command asks
        for its client class (the first call decides)."""
        if self._client is None:
            data, keys = connection.resolve(self.args, self._environ, self.open_input)
            client = client_class(data, transport=self._transport, credentials=keys)
            self._client = self._stack.enter_context(client)
        return self._client

    def open_input(self, path: str, option: str) -> IO[bytes]:
        """A file opened for binary reading, or stdin for "-" (which only one option may use)."""
        if path == STDIN:
            if self._stdin_taken_by is not None:
                raise UsageError(f"{option} and {self._stdin_taken_by} cannot both read stdin (-)")
            self._stdin_taken_by = option
            return sys.stdin.buffer
        try:
            return self._stack.enter_context(open(path, "rb"))
        except OSError as exc:
            raise UsageError(f"{option} {path}: cannot read: {exc.strerror}") from None

    def open_payload(self, path: str, option: str) -> IO[bytes]:
        """A request body to stream from a file, or from stdin for "-".

        S3 needs a body's length before it arrives, so a pipe is first copied to a temporary
        file (the client sends an empty one as b"", with its Content-Length).
        """
        file = self.open_input(path, option)
        if not _is_regular_file(file):
            spool = self._stack.enter_context(tempfile.TemporaryFile())  # noqa: SIM115
            shutil.copyfileobj(file, spool)
            spool.seek(0)
            file = spool
        return file

    def __enter__(self) -> Context:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._stack.close()


def _is_regular_file(file: IO[bytes]) -> bool:
    """Whether a file is a regular file (whose size is known), not a pipe or terminal."""
    try:
        return stat.S_ISREG(os.fstat(file.fileno()).st_mode)
    except (OSError, ValueError):  # io.UnsupportedOperation is both
        return False


@dataclass(frozen=True)
class Handwritten:
    """A command written by hand; register it in s3wire.cli.commands.HANDWRITTEN.

    `add_arguments` adds its options; `run` does the work and answers the exit code. `group`
    is its heading in `s3wire --help` (see groups.GROUPS); `example` ends its --help. A command
    that `connects` also takes --data and --profile (see Context.client). `prints` says what
    --output and --query apply to: an S3 "answer", a shortcut's "items", or nothing ("none").
    """

    name: str
    help: str
    add_arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[Context], int]
    group: str
    example: str
    connects: bool = True
    prints: Literal["answer", "items", "none"] = "answer"
