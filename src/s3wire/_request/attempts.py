"""What to do after each try of one request: no I/O, so the sync and async loops share it.

A loop sends, then asks `Attempts` what the answer (`after_answer`) or the failure
(`after_failure`) calls for: a `Step` that returns the answer, raises the failure, or sends
again after `delay` seconds (signed for another region after a region redirect, or with
renewed credentials after ExpiredToken).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from .._log import debug
from ..errors import TransportError
from . import redirect
from .answer import error_code

if TYPE_CHECKING:
    from ..response import Response
    from .prepare import Prepared
    from .retry import RetryPolicy

# The codes S3 answers when the credentials a request was signed with have expired.
EXPIRED_CODES = frozenset({"ExpiredToken", "ExpiredTokenException", "TokenRefreshRequired"})


class Step:
    """One decision: `answer` to return, or `error` to raise, or else send again: after
    `delay` seconds (a retry), or at once (a redirect; `refresh_credentials` first, when they
    had expired)."""

    __slots__ = ("answer", "delay", "error", "refresh_credentials")

    def __init__(
        self,
        answer: Response[Any, Any] | None = None,
        error: TransportError | None = None,
        delay: float | None = None,
        refresh_credentials: bool = False,
    ) -> None:
        self.answer = answer
        self.error = error
        self.delay = delay
        self.refresh_credentials = refresh_credentials


class Attempts:
    """The tries of one request: the retry budget, the total_timeout deadline, and at most
    one region redirect, one temporary redirect (307) between AWS hosts and one credential
    refresh (none when the credentials are not `renewable`). `region` is the region to sign
    the next try for; `redirected_to` is set once a redirect named the bucket's region."""

    __slots__ = (
        "deadline",
        "moved",
        "policy",
        "redirected_to",
        "refreshed",
        "region",
        "request",
        "total_timeout",
        "tries",
    )

    def __init__(
        self,
        request: Prepared,
        policy: RetryPolicy,
        region: str,
        total_timeout: float | None,
        *,
        renewable: bool = False,
    ) -> None:
        self.request = request
        self.policy = policy
        self.region = region
        self.total_timeout = total_timeout
        self.deadline = None if total_timeout is None else time.monotonic() + total_timeout
        self.tries = 1
        self.redirected_to: str | None = None
        self.moved = False  # a 307 was followed to another AWS host
        self.refreshed = not renewable  # fixed keys: an ExpiredToken answer is final

    def after_answer(self, answer: Response[Any, Any]) -> Step:
        """Return the answer, or send again: to the bucket's region, with renewed credentials,
        or after a wait when the answer is transient and the budget allows."""
        answer.attempts = self.tries
        request = self.request
        region = None
        if self.redirected_to is None and request.signing_region is None:
            region = redirect.region_to_follow(answer, self.region)
        if region is not None and request.rewind():
            debug(
                "following a redirect of %s %s to region %s", request.method, request.path, region
            )
            self.redirected_to = self.region = region
            request.host = redirect.host_for_region(request.host, region)
            return Step()
        moved = (
            None if self.moved else redirect.temporary_host(answer, request.scheme, request.host)
        )
        if moved is not None and request.rewind():
            debug(
                "following a temporary redirect of %s %s to %s", request.method, request.path, moved
            )
            self.moved, request.host = True, moved
            return Step()
        expired = answer.status in (400, 401, 403) and error_code(answer) in EXPIRED_CODES
        if expired and not self.refreshed and request.rewind():
            debug("the credentials of %s %s expired: renewing them", request.method, request.path)
            self.refreshed = True
            return Step(refresh_credentials=True)
        reason = self.policy.reason(answer)
        if reason is None or not self._may_retry():
            return Step(answer=answer)
        delay = self._delay(answer.headers.get("Retry-After"), reason)
        return Step(answer=answer) if delay is None else self._again(delay)

    def after_failure(self, failure: TransportError) -> Step:
        """Raise the failure, or send again after a wait when it is retryable and the budget
        and the deadline allow."""
        failure.attempts = self.tries
        if not (failure.retryable and self._may_retry()):
            return Step(error=failure)
        delay = self._delay(None, failure.message)
        if delay is None:
            return Step(error=self._out_of_time(failure))
        return self._again(delay)

    def _again(self, delay: float) -> Step:
        self.tries += 1
        return Step(delay=delay)

    def _may_retry(self) -> bool:
        """Whether the budget allows another try, and the body could be rewound for it."""
        return self.tries < self.policy.max_attempts and self.request.rewind()

    def _delay(self, retry_after: str | None, reason: str) -> float | None:
        """The wait before the next try, said at DEBUG (the path only: no query, no headers);
        None when the wait would end past the deadline."""
        request = self.request
        delay = self.policy.delay(self.tries, retry_after)
        if self.deadline is not None and time.monotonic() + delay >= self.deadline:
            debug(
                "not retrying %s %s: total_timeout leaves no time for another try: %s",
                request.method,
                request.path,
                reason,
            )
            return None
        debug(
            "retrying %s %s (try %d of %d) in %.3f s: %s",
            request.method,
            request.path,
            self.tries + 1,
            self.policy.max_attempts,
            delay,
            reason,
        )
        return delay

    def _out_of_time(self, failure: TransportError) -> TransportError:
        """The last try's failure, of its kind and cause, when total_timeout leaves no time
        for another."""
        error = type(failure)(
            f"{failure.message}; total_timeout ({self.total_timeout} s) leaves no time for "
            "another try",
            retryable=False,
        )
        error.attempts = failure.attempts
        error.__cause__ = failure.__cause__
        return error
