"""Temporary credentials that expire during a multipart upload_file are refreshed on the way,
and the upload completes (the real server accepts any session token with its keys: each fetch
gives a new token, so the requests show when the keys changed)."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest
import servers

import s3wire
from s3wire._auth.refreshing import RefreshingProvider
from s3wire.credentials_api import Credentials
from s3wire.transport import Urllib3Transport

MIB = 1024 * 1024
LIFETIME = 2.0  # seconds each set of keys lives


class Slow(Urllib3Transport):
    """The real transport, a little slower, recording each request's session token."""

    def __init__(self) -> None:
        super().__init__(connect_timeout=5, read_timeout=30, verify=True)
        self.tokens: list[str] = []
        self._lock = threading.Lock()

    def send(self, method: str, url: str, headers: dict[str, str], *args: Any, **kw: Any) -> Any:
        with self._lock:
            self.tokens.append(headers.get("x-amz-security-token", ""))
        time.sleep(0.4)
        return super().send(method, url, headers, *args, **kw)


@pytest.mark.parametrize("addressing", ["path"])
def test_keys_expiring_mid_upload_are_refreshed(
    s3_server: servers.S3Server, bucket: str, tmp_path: Path
) -> None:
    fetched: list[float] = []

    def fetch() -> Credentials:
        fetched.append(time.time())
        token = f"session-{len(fetched)}"
        return Credentials(
            s3_server.access_key, s3_server.secret_key, token, time.time() + LIFETIME
        )

    provider = RefreshingProvider(fetch, "test keys", advisory=1.5, mandatory=1.0)
    source = tmp_path / "big"
    source.write_bytes(bytes(range(256)) * (16 * MIB // 256))
    transport = Slow()
    data = {"url": s3_server.url, "region": s3_server.region, "addressing_style": "path"}
    with s3wire.Client(data, transport=transport, credentials=provider) as client:
        answer = client.upload_file(bucket, "big", source, part_size=5 * MIB, concurrency=2)
        assert answer.status == 200
        head = client.head_object(bucket=bucket, key="big")
    assert head.fields["content_length"] == 16 * MIB
    assert len(fetched) >= 2  # the keys were renewed during the upload
    assert len(set(transport.tokens)) >= 2
    assert transport.tokens[0] == "session-1"
