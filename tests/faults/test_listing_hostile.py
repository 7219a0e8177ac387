"""Listings from a hostile server: a page repeating its continuation token forever, or a 200
that is no listing, stop every helper and CLI command that lists with an s3wire error."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from test_security import Canned, client_of

import s3wire
from s3wire.cli.main import main

LOOPING = (
    b"<ListBucketResult><IsTruncated>true</IsTruncated>"
    b"<NextContinuationToken>again</NextContinuationToken>"
    b"<Contents><Key>k</Key><Size>1</Size><LastModified>2024-05-01T12:00:00.000Z</LastModified>"
    b"</Contents></ListBucketResult>"
)
NOT_A_LISTING = b"<ListBucketResult><Contents>text</Contents></ListBucketResult>"


def finishes(work: Callable[[], object], seconds: float = 20) -> BaseException | None:
    """What work raised (None if nothing), failing the test if it is still running after
    `seconds` (a listing that never ends)."""
    raised: list[BaseException] = []

    def run() -> None:
        try:
            work()
        except BaseException as exc:  # handed to the test
            raised.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), "the listing did not stop"
    return raised[0] if raised else None


@pytest.mark.parametrize(
    ("body", "error"), [(LOOPING, s3wire.RepeatedTokenError), (NOT_A_LISTING, s3wire.ResponseError)]
)
def test_the_folder_helpers_stop(tmp_path: Path, body: bytes, error: type[Exception]) -> None:
    with Canned(200, body) as server, client_of(server.url) as client:
        for work in (
            lambda: client.download_dir("bkt", "", tmp_path / "down"),
            lambda: client.upload_dir(tmp_path, "bkt"),
        ):
            assert isinstance(finishes(work), error)
        assert server.requests <= 6


@pytest.mark.parametrize("body", [LOOPING, NOT_A_LISTING])
@pytest.mark.parametrize(
    "argv",
    [["ls", "s3://bkt/"], ["ls", "s3://bkt", "--recursive"], ["rm", "s3://bkt/", "--recursive"]],
)
def test_the_cli_listings_stop(
    body: bytes, argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with Canned(200, body) as server:
        environment = {
            "S3WIRE_URL": server.url,
            "S3WIRE_ACCESS_KEY": "AKIDEXAMPLE",
            "S3WIRE_SECRET_KEY": "secret",
            "S3WIRE_REGION": "us-east-1",
        }
        with pytest.MonkeyPatch.context() as patch:
            for name, value in environment.items():
                patch.setenv(name, value)
            codes: list[int] = []
            assert finishes(lambda: codes.append(main(argv))) is None
    assert codes == [3]  # an answer s3wire refuses to read
    assert "Traceback" not in capsys.readouterr().err
