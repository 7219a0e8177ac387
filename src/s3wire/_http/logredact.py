"""Secrets kept out of urllib3's log records: the values of signing query parameters and of
Authorization / session-token fields are replaced by *** in each record, the line itself kept.

urllib3 logs every request line at DEBUG (`"GET /b/k?X-Amz-Signature=... HTTP/1.1" 200 5`), so a
presigned URL sent through s3wire would put its signature, credential and session token in the
log. Importing this module puts one filter on each of urllib3's loggers; the HTTP layer
(`_http`) imports it, so the filter is in place before s3wire's first request.
"""

from __future__ import annotations

import logging
import re
from urllib.parse import unquote

REDACTED = "***"
# Compared lowercased and percent-decoded: SigV4 query signing, SigV2's Signature, and the
# session tokens (a bucket's S3 Express session token too).
SECRET_NAMES = frozenset(
    {
        "x-amz-signature",
        "x-amz-credential",
        "x-amz-security-token",
        "x-amz-s3session-token",
        "signature",
        "authorization",
    }
)
# name=value inside a query string (or anything shaped like one).
_QUERY_FIELD = re.compile(r"(?P<lead>[?&;]|^)(?P<name>[^=&;?\s\"'#]+)=(?P<value>[^&;\s\"'#]*)")
# name: value or 'name': 'value', as headers are printed; the value runs to a quote or line end.
# The SSE-C keys (a customer's encryption key, and a copy source's) are secrets too.
_HEADER_FIELD = re.compile(
    r"(?i)(?P<name>\b(?:authorization|x-amz-security-token|x-amz-s3session-token"
    r"|x-amz-(?:copy-source-)?server-side-encryption-customer-key)['\"]?\s*:\s*)"
    r"(?P<quote>['\"]?)(?P<value>[^'\"\r\n]+)"
)


def redact(text: str) -> str:
    """`text` with the value of every secret query parameter and header replaced by ***."""
    text = _QUERY_FIELD.sub(_query_field, text)
    return _HEADER_FIELD.sub(lambda m: f"{m['name']}{m['quote']}{REDACTED}", text)


def _query_field(match: re.Match[str]) -> str:
    if unquote(match["name"]).lower() not in SECRET_NAMES or not match["value"]:
        return match[0]
    return f"{match['lead']}{match['name']}={REDACTED}"


class RedactingFilter(logging.Filter):
    """Rewrites a record whose message holds a secret; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a malformed call: left for the handler to report
            return True
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True


_FILTER = RedactingFilter()


def install(prefix: str = "urllib3") -> None:
    """Add the filter (once) to the logger `prefix` and every logger under it that exists now."""
    manager = logging.Logger.manager
    names = [prefix] + [name for name in manager.loggerDict if name.startswith(prefix + ".")]
    for name in names:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)


install()
