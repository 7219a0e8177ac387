"""HTTP through one pooled requests.Session, sending URLs exactly as they were signed."""

from __future__ import annotations

from typing import IO

import requests
import urllib3.exceptions
from requests.structures import CaseInsensitiveDict

from .errors import TransportError

Body = bytes | IO[bytes] | None


class Transport:
    """Sends requests and reads whole answers; network failures become TransportError."""

    def __init__(self, *, connect_timeout: float, read_timeout: float, verify: bool | str) -> None:
        self._session = requests.Session()
        self._session.headers.clear()
        self._timeout = (connect_timeout, read_timeout)
        self._verify = verify

    def send(
        self, method: str, url: str, headers: dict[str, str], body: Body
    ) -> tuple[int, CaseInsensitiveDict[str], bytes]:
        """Send one request; answer (status, headers, raw body bytes)."""
        prepared = self._session.prepare_request(
            requests.Request(method, url, headers=headers, data=body)
        )
        # requests drops "." and ".." path segments while preparing; S3 keys are literal.
        prepared.url = url
        try:
            answer = self._session.send(
                prepared,
                timeout=self._timeout,
                verify=self._verify,
                allow_redirects=False,
                stream=True,
            )
            # Raw bytes: an object stored with Content-Encoding: gzip is returned as stored.
            content = b"" if method == "HEAD" else answer.raw.read(decode_content=False)
            answer.close()
        except requests.RequestException as exc:
            raise TransportError(f"{method} request failed: {_describe(exc)}") from None
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            raise TransportError(f"{method} answer was cut short: {_describe(exc)}") from None
        expected = answer.headers.get("Content-Length")
        if method != "HEAD" and expected and expected.isdigit() and int(expected) != len(content):
            raise TransportError(
                f"{method} answer was cut short: {len(content)} of {expected} bytes arrived"
            )
        return answer.status_code, answer.headers, content

    def close(self) -> None:
        """Close pooled connections."""
        self._session.close()


def _describe(exc: Exception) -> str:
    """The exception's class and message, without the request URL (presigned URLs hold secrets)."""
    text = str(exc)
    if "?" in text:
        text = text.split("?", 1)[0] + "?...'"
    return f"{type(exc).__name__}: {text}"
