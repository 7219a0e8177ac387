"""What a credential provider is: where a Client gets the keys it signs each request with.

`Client(data, credentials=...)` takes any object with these two methods; without one, the
client signs with the connection data's keys (StaticCredentials). The chain of
s3wire.credentials builds providers that refresh temporary credentials before they expire.
"""

from __future__ import annotations

from typing import Final, Protocol


class Credentials:
    """One set of keys; `expires_at` (seconds since the epoch, UTC) is None for long-term keys.

    Read-only. The repr shows the access key's first four characters only, never the secret or
    the token.
    """

    __slots__ = ("access_key", "expires_at", "secret_key", "session_token")
    access_key: Final[str]
    secret_key: Final[str]
    session_token: Final[str | None]
    expires_at: Final[float | None]

    def __init__(
        self,
        access_key: str,
        secret_key: str,
        session_token: str | None = None,
        expires_at: float | None = None,
    ) -> None:
        self.access_key = access_key
        self.secret_key = secret_key
        self.session_token = session_token
        self.expires_at = expires_at

    def __repr__(self) -> str:
        token = ", session_token=<hidden>" if self.session_token else ""
        return (
            f"Credentials(access_key='{self.access_key[:4]}...', secret_key=<hidden>{token}, "
            f"expires_at={self.expires_at!r})"
        )


class CredentialProvider(Protocol):
    """Gives the credentials to sign with; must be safe to call from several threads.

    `get` answers the current credentials (fetching new ones first when they are about to
    expire); `refresh` fetches new ones now, and is called once when S3 answers that the
    credentials a request was signed with have expired (ExpiredToken).
    """

    def get(self) -> Credentials: ...

    def refresh(self) -> Credentials: ...


class StaticCredentials:
    """A provider of one fixed set of keys (the connection data's)."""

    __slots__ = ("_credentials",)

    def __init__(self, credentials: Credentials) -> None:
        self._credentials = credentials

    def get(self) -> Credentials:
        """The keys, always the same."""
        return self._credentials

    def ready(self) -> Credentials:
        """The keys (never any I/O: see `ready` below)."""
        return self._credentials

    def refresh(self) -> Credentials:
        """The keys, always the same: fixed keys cannot be renewed."""
        return self._credentials

    def __repr__(self) -> str:
        return f"StaticCredentials({self._credentials!r})"


def ready(provider: CredentialProvider) -> Credentials | None:
    """The provider's credentials when it can give them without I/O (its own `ready()`
    answers them: fixed keys, or temporary ones far from their end), else None: the async
    client then calls `get` off the event loop."""
    answer = getattr(provider, "ready", None)
    found = answer() if callable(answer) else None
    return found if isinstance(found, Credentials) else None
