"""Secrets in urllib3's log records are redacted (the record kept): the filter s3wire installs
when its HTTP layer is imported."""

from __future__ import annotations

import logging
from collections.abc import Callable
from urllib.parse import quote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import s3wire._http.pools  # noqa: F401  (installs the filter, as the first request does)
from s3wire._http.logredact import REDACTED, SECRET_NAMES, redact

SIGNATURE = "a3f1" * 16
LINE = 'http://h:80 "GET /b/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=%s HTTP/1.1" 200 5'


def test_the_filter_is_on_every_urllib3_logger() -> None:
    names = [name for name in logging.Logger.manager.loggerDict if name.startswith("urllib3.")]
    assert "urllib3.connectionpool" in names
    for name in ["urllib3", *names]:
        logger = logging.getLogger(name)
        assert any(type(f).__name__ == "RedactingFilter" for f in logger.filters), name


def test_a_request_line_is_redacted_and_kept(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    logging.getLogger("urllib3.connectionpool").debug(
        '%s://%s:%s "%s %s %s" %s %s',
        "http",
        "h",
        80,
        "GET",
        f"/b/k?X-Amz-Signature={SIGNATURE}&x=1",
        "HTTP/1.1",
        200,
        5,
    )
    [record] = caplog.records
    assert (
        record.getMessage()
        == f'http://h:80 "GET /b/k?X-Amz-Signature={REDACTED}&x=1 HTTP/1.1" 200 5'
    )


def test_a_record_without_secrets_is_untouched(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    logger = logging.getLogger("urllib3.connectionpool")
    logger.debug("Starting new HTTP connection (%d): %s:%s", 1, "h", 80)
    [record] = caplog.records
    assert (record.msg, record.args) == ("Starting new HTTP connection (%d): %s:%s", (1, "h", 80))


def test_a_record_that_cannot_be_formatted_is_passed_on() -> None:
    logger = logging.getLogger("urllib3.connectionpool")
    record = logger.makeRecord(logger.name, logging.DEBUG, __file__, 1, "%s %s", ("one",), None)
    assert all(f.filter(record) for f in logger.filters if hasattr(f, "filter"))
    assert (record.msg, record.args) == ("%s %s", ("one",))


@pytest.mark.parametrize(
    "text",
    [
        "/b/k?X-Amz-Credential=AKIA%2F20260101%2Fus-east-1%2Fs3%2Faws4_request&a=b",
        "/b/k?a=b&x-amz-security-token=SECRETVALUE",
        "/b/k?X%2DAmz%2DSignature=SECRETVALUE",
        "/b/k?AWSAccessKeyId=AKIA&Signature=SECRETVALUE&Expires=1",
        "{'Authorization': 'AWS4-HMAC-SHA256 Credential=AKIA/x, Signature=SECRETVALUE'}",
        "X-Amz-Security-Token: SECRETVALUE",
        "{'x-amz-server-side-encryption-customer-key': 'SECRETVALUE'}",
        "x-amz-copy-source-server-side-encryption-customer-key: SECRETVALUE",
    ],
)
def test_each_kind_of_secret_is_redacted(text: str) -> None:
    cleaned = redact(text)
    assert "SECRETVALUE" not in cleaned and "20260101" not in cleaned
    assert REDACTED in cleaned


def test_other_query_values_are_kept() -> None:
    text = "/b?list-type=2&prefix=a%2Fb&X-Amz-Date=20260101T000000Z"
    assert redact(text) == text


values = st.text(alphabet="0123456789abc-_.", min_size=1, max_size=8)


@settings(derandomize=True, max_examples=300, deadline=None)
@given(
    name=st.sampled_from(sorted(SECRET_NAMES)),
    case=st.sampled_from([str.lower, str.upper, str.title]),
    encode=st.booleans(),
    secret=st.text(min_size=1).map(lambda text: quote("Q" + text, safe="")),
    before=st.lists(st.tuples(st.sampled_from(["a", "prefix", "X-Amz-Date"]), values), max_size=3),
    after=st.lists(st.tuples(st.sampled_from(["b", "X-Amz-Expires"]), values), max_size=3),
)
def test_any_secret_query_value_is_redacted(
    name: str,
    case: Callable[[str], str],
    encode: bool,
    secret: str,
    before: list[tuple[str, str]],
    after: list[tuple[str, str]],
) -> None:
    shown = "".join(f"%{ord(c):02X}" for c in case(name)) if encode else case(name)
    query = "&".join(f"{k}={v}" for k, v in [*before, (shown, secret), *after])
    cleaned = redact(f'http://h:80 "GET /b/k?{query} HTTP/1.1" 200 5')
    assert "q" not in cleaned.lower()
    assert cleaned == f'http://h:80 "GET /b/k?{query.replace(secret, REDACTED)} HTTP/1.1" 200 5'


def test_an_sse_c_keys_md5_is_kept() -> None:
    text = "{'x-amz-server-side-encryption-customer-key-MD5': 'md5value'}"
    assert redact(text) == text


def test_the_filter_reaches_urllib3_loggers_made_after_the_redaction_module() -> None:
    """s3wire.testing imports the redaction before urllib3 is loaded; the HTTP layer's import
    still puts the filter on every urllib3 logger (it failed when only the first import did)."""
    import subprocess
    import sys

    code = (
        "import logging, s3wire.testing, s3wire._http.pools\n"
        "names = [n for n in logging.Logger.manager.loggerDict if n.startswith('urllib3.')]\n"
        "assert 'urllib3.connectionpool' in names\n"
        "bare = [n for n in names if not any(type(f).__name__ == 'RedactingFilter'"
        " for f in logging.getLogger(n).filters)]\n"
        "assert not bare, bare\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
