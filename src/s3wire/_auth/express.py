"""S3 Express sessions: the short-lived keys CreateSession gives for a directory bucket's zonal
endpoint, kept per bucket and made anew a minute before they end. No I/O: the client's loop
sends CreateSession when `cached` has nothing, and gives the answer to `store`.
"""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING, Any, NamedTuple

from ..credentials_api import Credentials
from ..errors import CredentialsError
from ..signing import S3_SESSION_TOKEN, Signer
from .expiry import parse_timestamp

if TYPE_CHECKING:
    from ..response import Response

LIMIT = 256  # buckets a client keeps a session for (the memory starts over when full)
RENEW_BEFORE = 60.0  # seconds before its end that a session is made anew (they last 5 min)
_SOURCE = "S3 Express CreateSession"


class _Session(NamedTuple):
    base: Credentials  # the client's keys it was made with
    keys: Credentials
    signer: Signer


class ExpressSessions:
    """Directory bucket -> its session's keys and signer; safe to share between threads."""

    __slots__ = ("_lock", "_sessions")

    def __init__(self) -> None:
        self._sessions: dict[str, _Session] = {}
        self._lock = threading.Lock()  # held by the sync loop while it makes a session

    @property
    def lock(self) -> threading.Lock:
        """Held while a session is made, so that threads make one between them, not one each."""
        return self._lock

    def cached(self, bucket: str, base: Credentials, now: float | None = None) -> Signer | None:
        """The signer of the bucket's session, if one was made with `base` and lasts more than
        RENEW_BEFORE seconds yet; None when a CreateSession is to be sent."""
        session = self._sessions.get(bucket)
        if session is None or session.base is not base:
            return None
        left = (session.keys.expires_at or 0.0) - (time.time() if now is None else now)
        return session.signer if left > RENEW_BEFORE else None

    def store(
        self, bucket: str, base: Credentials, answer: Response[Any, Any], region: str
    ) -> Signer:
        """The signer of the session a CreateSession answer (2xx) gives, kept for the bucket.
        CredentialsError when the answer holds no keys."""
        keys = session_keys(answer)
        signer = Signer(
            keys.access_key,
            keys.secret_key,
            region,
            "s3express",
            keys.session_token,
            S3_SESSION_TOKEN,
        )
        if len(self._sessions) >= LIMIT:
            self._sessions.clear()
        self._sessions[bucket] = _Session(base, keys, signer)
        return signer

    def forget(self, bucket: str) -> None:
        """Drop a bucket's session (S3 answered that it expired)."""
        self._sessions.pop(bucket, None)


def session_keys(answer: Response[Any, Any]) -> Credentials:
    """The keys of a CreateSession answer; CredentialsError naming what is missing."""
    result = (
        answer.response.get("CreateSessionResult") if isinstance(answer.response, dict) else None
    )
    found = result.get("Credentials") if isinstance(result, dict) else None
    if not isinstance(found, dict):
        raise CredentialsError(_SOURCE, "its answer holds no Credentials")
    values = {name: found.get(name) for name in ("AccessKeyId", "SecretAccessKey", "SessionToken")}
    lacking = [name for name, value in values.items() if not isinstance(value, str) or not value]
    if lacking:
        raise CredentialsError(_SOURCE, f"its answer lacks {', '.join(lacking)}")
    return Credentials(
        str(values["AccessKeyId"]),
        str(values["SecretAccessKey"]),
        str(values["SessionToken"]),
        parse_timestamp(found.get("Expiration"), _SOURCE),
    )
