"""HTTP through one pooled requests.Session, sending URLs exactly as they were signed."""

from __future__ import annotations

import os
import re
import warnings
from typing import IO

import requests
import urllib3.exceptions
from requests.structures import CaseInsensitiveDict

from .errors import InsecureTransportWarning, ParamError, TransportError

Body = bytes | IO[bytes] | None
_QUERY = re.compile(r"\?[^\s'\")]*")
# Failures of the request itself, not of the network: trying again cannot help.
_PERMANENT = (
    requests.exceptions.InvalidURL,
    requests.exceptions.InvalidHeader,
    requests.exceptions.InvalidSchema,
    requests.exceptions.MissingSchema,
    requests.exceptions.InvalidJSONError,
)


class Transport:
    """Sends requests and reads whole answers; network failures become TransportError.

    `connect_timeout` bounds making a connection, `read_timeout` each wait for the server's next
    bytes (not the whole answer). `verify` is True (the system's CA bundle), a CA bundle path,
    or False (no certificate checks: warned about once, with InsecureTransportWarning).
    """

    def __init__(self, *, connect_timeout: float, read_timeout: float, verify: bool | str) -> None:
        if isinstance(verify, str) and not os.path.exists(verify):
            raise ParamError(f"verify names no CA bundle file or directory: {verify!r}")
        if verify is False:
            warnings.warn(
                "s3wire: TLS certificate verification is off (verify=False); anyone on the "
                "network path can read and change this client's traffic",
                InsecureTransportWarning,
                stacklevel=4,
            )
        self._session = requests.Session()
        self._session.headers.clear()
        self._timeout = (connect_timeout, read_timeout)
        self._verify = verify

    def send(
        self, method: str, url: str, headers: dict[str, str], body: Body
    ) -> tuple[int, CaseInsensitiveDict[str], bytes]:
        """Send one request; answer (status, headers, raw body bytes).

        A body shorter or longer than its Content-Length is a TransportError, like a reset or
        a timeout; TransportError.retryable is False only when trying again cannot help.
        """
        try:
            prepared = self._session.prepare_request(
                requests.Request(method, url, headers=headers, data=body)
            )
            # requests drops "." and ".." path segments while preparing; S3 keys are literal.
            prepared.url = url
            answer = self._session.send(
                prepared,
                timeout=self._timeout,
                verify=self._verify,
                allow_redirects=False,
                stream=True,
            )
        except requests.RequestException as exc:
            raise TransportError(
                f"{method} request failed: {_describe(exc)}", retryable=_retryable(exc)
            ) from None
        except OSError as exc:  # requests' own setup, such as reading the CA bundle
            message = f"{method} request failed: {_describe(exc)}"
            raise TransportError(message, retryable=False) from None
        try:
            # Raw bytes: an object stored with Content-Encoding: gzip is returned as stored.
            content = b"" if method == "HEAD" else answer.raw.read(decode_content=False)
        except (requests.RequestException, urllib3.exceptions.HTTPError, OSError) as exc:
            raise TransportError(f"{method} answer was cut short: {_describe(exc)}") from None
        finally:
            answer.close()
        expected = answer.headers.get("Content-Length", "")
        if (
            method != "HEAD"
            and expected.isascii()
            and expected.isdigit()
            and int(expected) != len(content)
        ):
            raise TransportError(
                f"{method} answer was cut short: {len(content)} of {expected} bytes arrived"
            )
        return answer.status_code, answer.headers, content

    def close(self) -> None:
        """Close pooled connections."""
        self._session.close()


def _retryable(exc: requests.RequestException) -> bool:
    """Whether a failure may go away: not a bad request, not a certificate that fails to verify."""
    if isinstance(exc, _PERMANENT):
        return False
    if isinstance(exc, requests.exceptions.SSLError):
        return "certificate" not in str(exc).lower()
    return True


def _describe(exc: Exception) -> str:
    """The exception's class and message, without any query string (presigned URLs hold
    signatures)."""
    return f"{type(exc).__name__}: {_QUERY.sub('?...', str(exc))}"
