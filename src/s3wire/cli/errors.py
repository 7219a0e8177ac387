"""Exit codes, the usage error, and keeping secrets out of error messages."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

EXIT_OK = 0  # a 2xx answer (or 304 Not Modified); get-data-structure succeeded
EXIT_ERROR_ANSWER = 1  # S3 answered with an error (4xx, 5xx, a redirect); its JSON is printed
EXIT_USAGE = 2  # bad usage: options, connection data, unreadable or unwritable files
EXIT_NO_ANSWER = 3  # no usable answer: a network failure or an answer s3wire refuses to parse
EXIT_INTERRUPTED = 130  # Ctrl-C (SIGINT), as shells report it; nothing half-written is left

SECRET_ENV = ("S3WIRE_SECRET_KEY", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN")
# Options whose values are or may be secrets (misspelt ones included, harmless ones too), matched
# whole; trailing whitespace is allowed, so "--secret-key\n" still marks its value a secret.
_SECRET_OPTION = re.compile(r"--[\w-]*(secret|token|customer-key)[\w-]*\s*")


class UsageError(Exception):
    """Bad usage; main prints the message (on one line, prefixed by `prog`) and exits 2."""

    def __init__(self, message: str, prog: str = "s3wire") -> None:
        super().__init__(message)
        self.prog = prog


def secret_values(argv: Iterable[str], environ: Mapping[str, str]) -> set[str]:
    """The secrets in the command line and the environment, to be kept out of messages."""
    found = {environ[name] for name in SECRET_ENV if environ.get(name)}
    previous = ""
    for arg in argv:
        name, equals, value = arg.partition("=")
        if equals and _SECRET_OPTION.fullmatch(name):
            found.add(value)
        elif _SECRET_OPTION.fullmatch(previous):
            found.add(arg)
        previous = arg
    return {value for value in found if value}


def redact(message: str, secrets: Iterable[str]) -> str:
    """The message with every secret replaced by ***, longest first."""
    for secret in sorted(secrets, key=len, reverse=True):
        message = message.replace(secret, "***")
    return message
