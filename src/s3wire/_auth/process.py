"""credential_process: a program that prints credentials as JSON (Version 1, AccessKeyId,
SecretAccessKey, optional SessionToken and Expiration), run again before an Expiration.

Messages name the program and its exit status; its output and its arguments (either may hold
a secret) are never shown.
"""

from __future__ import annotations

import shlex
import subprocess
import time
from collections.abc import Mapping

from ..credentials_api import Credentials
from ..errors import CredentialsError
from . import http
from .keys import credentials_from

PROCESS_TIMEOUT = 60.0  # seconds a credential_process may take
_NAMES = ("AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration")


class CredentialProcess:
    """Runs the command for each fetch (a callable for RefreshingProvider)."""

    def __init__(self, command: str, environ: Mapping[str, str]) -> None:
        self._command = command
        self._environ = dict(environ)
        words = command.split(maxsplit=1)
        self.source = f"credential_process {words[0] if words else ''!r}"

    def __repr__(self) -> str:
        return f"CredentialProcess({self.source!r})"

    def __call__(self) -> Credentials:
        done, problem = self._run()
        if done is None:
            raise CredentialsError(self.source, f"could not run: {problem}")
        if done.returncode != 0:
            raise CredentialsError(
                self.source,
                f"exited with status {done.returncode} (its output is not shown: run it "
                "yourself to see why)",
            )
        try:
            answer = http.json_object(self.source, done.stdout)
        except CredentialsError:
            answer = {}
        if answer.get("Version") != 1:
            raise CredentialsError(self.source, "must print a JSON object with Version 1")
        if not all(isinstance(answer.get(n), str) and answer.get(n) for n in _NAMES[:2]):
            raise CredentialsError(self.source, "printed no AccessKeyId and SecretAccessKey")
        made = credentials_from(answer, self.source, _NAMES)
        if made.expires_at is not None and made.expires_at <= time.time():
            raise CredentialsError(
                self.source, f"printed credentials expired at {str(answer['Expiration'])[:40]}"
            )
        return made

    def _run(self) -> tuple[subprocess.CompletedProcess[bytes] | None, str]:
        """(the finished process, "") or (None, why it could not run). Nothing is raised from
        here: an exception would carry the command line, or the output read so far."""
        try:
            done = subprocess.run(
                shlex.split(self._command),
                capture_output=True,
                env=self._environ,
                timeout=PROCESS_TIMEOUT,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return None, f"it ran more than {PROCESS_TIMEOUT:g} s"
        except OSError as exc:
            return None, exc.strerror or type(exc).__name__
        except ValueError:
            return None, "its command line does not split (an unclosed quote?) or holds a NUL byte"
        return done, ""
