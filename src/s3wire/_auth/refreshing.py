"""A provider that refreshes temporary credentials before they expire, once across threads.

In the advisory window (15 minutes before expiry by default) one thread fetches new
credentials while the others keep signing with the current ones; if that fetch fails, the
current ones are kept and a later call tries again. In the mandatory window (10 minutes, or
expired) every caller waits for new credentials, and a failure is raised.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from .._log import CREDENTIALS, debug, warning
from ..credentials_api import Credentials
from ..errors import S3wireError

ADVISORY_SECONDS = 15 * 60
MANDATORY_SECONDS = 10 * 60


class RefreshingProvider:
    """Credentials from `fetch` (any callable answering Credentials), fetched on first use and
    again as they near `expires_at`; credentials without an expiry are fetched once.

    `source` names where they come from, in logs and the repr.
    """

    def __init__(
        self,
        fetch: Callable[[], Credentials],
        source: str,
        *,
        advisory: float = ADVISORY_SECONDS,
        mandatory: float = MANDATORY_SECONDS,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._fetch = fetch
        self.source = source
        self._advisory = advisory
        self._mandatory = mandatory
        self._clock = clock
        self._current: Credentials | None = None
        self._lock = threading.Lock()

    def get(self) -> Credentials:
        """The current credentials; new ones first when they are about to expire."""
        current = self._current
        if current is None or self._left(current) <= self._mandatory:
            return self._renew(current)
        if self._left(current) > self._advisory:
            return current
        if not self._lock.acquire(blocking=False):
            return current  # another thread is refreshing: these are still good
        try:
            if self._current is not current:
                return self._current or current
            try:
                return self._store(self._fetch())
            except S3wireError as exc:
                warning(
                    "refreshing credentials from %s failed; using the current ones, which "
                    "expire in %.0f s: %s",
                    self.source,
                    self._left(current),
                    exc,
                    logger=CREDENTIALS,
                )
                return current
        finally:
            self._lock.release()

    def ready(self) -> Credentials | None:
        """The current credentials while they are far from their end (before the advisory
        window), with no I/O; None when `get` would fetch (or may)."""
        current = self._current
        if current is None or self._left(current) <= self._advisory:
            return None
        return current

    def refresh(self) -> Credentials:
        """New credentials now (S3 said these expired); when another thread has just fetched
        new ones, those."""
        return self._renew(self._current, forced=True)

    def _renew(self, seen: Credentials | None, *, forced: bool = False) -> Credentials:
        """Fetch under the lock, unless another thread replaced `seen` meanwhile."""
        with self._lock:
            current = self._current
            if current is not None and current is not seen:
                return current
            if not forced and current is not None and self._left(current) > self._mandatory:
                return current
            debug("fetching credentials from %s", self.source, logger=CREDENTIALS)
            return self._store(self._fetch())

    def _store(self, credentials: Credentials) -> Credentials:
        self._current = credentials
        return credentials

    def _left(self, credentials: Credentials) -> float:
        """Seconds until they expire (infinite for long-term keys)."""
        if credentials.expires_at is None:
            return float("inf")
        return credentials.expires_at - self._clock()

    def __repr__(self) -> str:
        return f"RefreshingProvider(source={self.source!r}, current={self._current!r})"
