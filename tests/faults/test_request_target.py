"""Client.request() with a full URL, against local servers: the request goes over the scheme the
URL names (or is refused), and only to the connection's host unless another is allowed."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from test_security import EMPTY_LISTING, Canned, client_of
from test_security import certificate as certificate  # the fixtures, for this module's tests
from test_security import https as https

import s3wire


def test_an_https_url_on_an_http_connection_goes_over_tls(https: Canned, certificate: Path) -> None:
    port = urlsplit(https.url).port
    bundle = str(certificate.with_suffix(".crt"))
    with client_of(f"http://127.0.0.1:{port}", verify=bundle, max_attempts=1) as client:
        answer = client.request("GET", f"https://127.0.0.1:{port}/")
    assert (answer.status, https.requests) == (200, 1)


def test_an_http_url_on_an_https_connection_is_refused_before_sending(certificate: Path) -> None:
    with Canned(200, EMPTY_LISTING) as plain:
        port = urlsplit(plain.url).port
        bundle = str(certificate.with_suffix(".crt"))
        with (
            client_of(f"https://127.0.0.1:{port}", verify=bundle) as client,
            pytest.raises(s3wire.ParamError, match="http URL on an https connection"),
        ):
            client.request("GET", f"http://127.0.0.1:{port}/")
        assert plain.requests == 0


def test_another_host_is_reached_only_when_allowed() -> None:
    with Canned(200, EMPTY_LISTING) as other:
        with client_of("http://127.0.0.1:9") as client:
            with pytest.raises(s3wire.ParamError, match="not the connection's"):
                client.request("GET", f"{other.url}/")
            assert other.requests == 0
            assert client.request("GET", f"{other.url}/", allow_other_host=True).status == 200
        assert other.requests == 1
