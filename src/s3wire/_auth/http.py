"""The small HTTP exchanges of credential sources (metadata services, STS, SSO), over s3wire's
own transport; failures are CredentialsError naming the source (and the host, never a query,
header or body: they may hold tokens)."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

from ..errors import CredentialsError, TransportError

MAX_ANSWER_BYTES = 1024 * 1024


def exchange(
    source: str,
    method: str,
    url: str,
    headers: dict[str, str] | None = None,
    body: bytes | None = None,
    *,
    timeout: float = 5.0,
) -> tuple[int, bytes]:
    """Send one request; (status, body). A network failure is a CredentialsError."""
    from .._http.transport import Urllib3Transport  # urllib3 comes with the first request

    transport = Urllib3Transport(
        connect_timeout=timeout,
        read_timeout=timeout,
        verify=True,
        max_answer_bytes=MAX_ANSWER_BYTES,
    )
    try:
        status, _, content = transport.send(method, url, dict(headers or {}), body)
    except TransportError as exc:
        problem = f"{method} to {host_of(url)} failed: {type(exc).__name__}"
        raise CredentialsError(source, problem) from None
    finally:
        transport.close()
    return status, content


def fetch(
    source: str, url: str, headers: dict[str, str], *, attempts: int, timeout: float, what: str
) -> bytes:
    """The body of a GET's 200 answer, tried up to `attempts` times on a 5xx or a network
    failure; else a CredentialsError saying `what` answered (or how it failed)."""
    problem = "no answer"
    for _ in range(attempts):
        try:
            status, body = exchange(source, "GET", url, headers, timeout=timeout)
        except CredentialsError as exc:
            problem = str(exc).removeprefix(f"{source}: ")
            continue
        if status == 200:
            return body
        problem = f"{what} answered {status}"
        if status < 500:
            break
    raise CredentialsError(source, problem)


def json_object(source: str, content: bytes) -> dict[str, Any]:
    """An answer's JSON object; CredentialsError (without the text) when it is not one."""
    try:
        answer = json.loads(content)
    except (ValueError, RecursionError):
        answer = None
    if not isinstance(answer, dict):
        raise CredentialsError(source, "its answer is not a JSON object")
    return answer


def host_of(url: str) -> str:
    """host[:port] of a URL, for messages."""
    try:
        return urlsplit(url).netloc.rpartition("@")[2] or "?"
    except ValueError:
        return "a bad URL"
