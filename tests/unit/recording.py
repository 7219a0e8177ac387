"""What the exact-request unit tests share: s3wire.testing's MockTransport in place of the network,
a client that sends through it, and botocore's signer (an independent SigV4 implementation) as
the oracle for each request's signature.

tests/unit has no __init__.py, so pytest puts it on sys.path: `from recording import Recorder`.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import hashlib
import os
import time
from typing import Any
from unittest import mock

import pytest
from botocore import auth as botocore_auth
from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

import s3wire
from s3wire.cli.main import main
from s3wire.testing import Answer, MockTransport, Request
from s3wire.transport_api import Transport

SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
# The keys of the S3 Express sessions session_answer gives.
SESSION_SECRET = "sessionSECRETsessionSECRETsessionSECRET00"
SESSION_TOKEN = "sessionTOKENsessionTOKEN"


class Recorder(MockTransport):
    """A MockTransport answering every request with one canned response."""

    def __init__(self, status: int = 200, content: bytes = b"", **headers: str) -> None:
        super().__init__(Answer(status, headers, content))

    @property
    def sent(self) -> list[Request]:
        """The requests sent, in order: (method, url, headers, body bytes) each."""
        return self.requests


class Pages(Recorder):
    """A transport answering 200 with one canned XML body per request, in order."""

    def __init__(self, *bodies: str) -> None:
        MockTransport.__init__(self, *(Answer(body=body.encode()) for body in bodies))


def client_with(
    transport: Transport, url: str = "http://127.0.0.1:7480", **options: Any
) -> s3wire.Client:
    """A client of `url` (region us-east-1 unless given) whose requests go to `transport`."""
    region = options.pop("region", "us-east-1")
    data = s3wire.get_data_structure(url, "AKIDEXAMPLE", SECRET, region, **options)
    return s3wire.Client(data, transport=transport)


def cli_through(
    monkeypatch: pytest.MonkeyPatch, namespace: dict[str, Any], transport: Transport
) -> None:
    """Make `main` in a test module's namespace (its globals()) run the CLI over `transport`."""
    monkeypatch.setitem(namespace, "main", functools.partial(main, transport=transport))


def sent(recorder: Recorder) -> tuple[str, str, dict[str, str], bytes]:
    """The one request the recorder has seen, its body as bytes (b"" for none)."""
    ((method, url, headers, body),) = recorder.sent
    assert body is None or isinstance(body, bytes)
    return method, url, headers, body or b""


def md5(body: bytes) -> str:
    """The Content-MD5 value of a body."""
    return base64.b64encode(hashlib.md5(body).digest()).decode()


def botocore_authorization(
    method: str,
    url: str,
    headers: dict[str, str],
    body: bytes,
    region: str,
    service: str = "s3",
) -> str:
    """What botocore's S3 signer makes of the same request, at the same instant."""
    signed = {k: v for k, v in headers.items() if k.lower() != "authorization"}
    when = dt.datetime.strptime(signed["x-amz-date"], "%Y%m%dT%H%M%SZ")
    request = AWSRequest(method=method, url=url, headers=signed, data=body)
    # botocore reads the clock through botocore.auth.get_current_datetime.
    with mock.patch.object(botocore_auth, "get_current_datetime", return_value=when):
        S3SigV4Auth(Credentials("AKIDEXAMPLE", SECRET), service, region).add_auth(request)
    return str(request.headers["Authorization"])


def session_answer(seconds: float = 300.0, token: str = SESSION_TOKEN) -> Answer:
    ends = dt.datetime.fromtimestamp(time.time() + seconds, dt.timezone.utc)
    body = (
        '<?xml version="1.0" encoding="UTF-8"?><CreateSessionResult '
        'xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Credentials>'
        f"<SessionToken>{token}</SessionToken><SecretAccessKey>{SESSION_SECRET}</SecretAccessKey>"
        f"<AccessKeyId>ASIASESSION</AccessKeyId><Expiration>{ends:%Y-%m-%dT%H:%M:%SZ}</Expiration>"
        "</Credentials></CreateSessionResult>"
    )
    return Answer(200, {}, body.encode())


def express_authorization(request: Request, region: str = "us-west-2") -> str:
    """botocore's S3 Express signature (session keys, x-amz-s3session-token) of a request."""
    signed = {k: v for k, v in request.headers.items() if k.lower() != "authorization"}
    when = dt.datetime.strptime(signed["x-amz-date"], "%Y%m%dT%H%M%SZ")
    theirs = AWSRequest(method=request.method, url=request.url, headers=signed, data=b"")
    keys = Credentials("ASIASESSION", SESSION_SECRET, SESSION_TOKEN)
    auth = botocore_auth.S3ExpressAuth(keys, "s3express", region, identity_cache=None)
    with mock.patch.object(botocore_auth, "get_current_datetime", return_value=when):
        auth.add_auth(theirs)
    return str(theirs.headers["Authorization"])


def disk_events(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What a download asks of the disk, in order: "writeback" (a range handed to the disk,
    posix_fadvise), "fsync", "replace NAME" (the rename into place)."""
    events: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        events.append("fsync")
        real_fsync(fd)

    def replace(src: Any, dst: Any, **kwargs: Any) -> None:
        events.append(f"replace {dst}")
        real_replace(src, dst, **kwargs)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    if hasattr(os, "posix_fadvise"):
        real_fadvise = os.posix_fadvise

        def fadvise(fd: int, offset: int, length: int, advice: int) -> None:
            events.append("writeback")
            real_fadvise(fd, offset, length, advice)

        monkeypatch.setattr(os, "posix_fadvise", fadvise)
    return events
