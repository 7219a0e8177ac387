"""RefreshingProvider: temporary credentials renewed before they expire (advisory window: one
thread tries, failures keep the current keys; mandatory window: everyone waits, failures
raise), once across threads; credential_process run again before its Expiration; secrets
never in a repr or a message."""

from __future__ import annotations

import json
import shlex
import sys
import threading
import time
from pathlib import Path

import pytest
from awsstubs import HttpStub, iso_in
from hypothesis import given, settings
from hypothesis import strategies as st

import s3wire
from s3wire._auth.refreshing import RefreshingProvider
from s3wire.credentials import credential_provider
from s3wire.credentials_api import Credentials


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


class Source:
    """Keys KEY1, KEY2, ... each valid for an hour from the clock; `fail` makes a fetch raise."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.fetches = 0
        self.fail = False

    def __call__(self) -> Credentials:
        self.fetches += 1
        if self.fail:
            raise s3wire.CredentialsError("test source", "down")
        return Credentials(f"KEY{self.fetches}", "secret", "token", self.clock.now + 3600)


def provider() -> tuple[RefreshingProvider, Source, Clock]:
    clock = Clock()
    source = Source(clock)
    return RefreshingProvider(source, "test source", clock=clock), source, clock


def test_fetched_on_first_use_then_kept_while_fresh() -> None:
    refreshing, source, clock = provider()
    assert source.fetches == 0
    assert refreshing.get().access_key == "KEY1"
    clock.now += 3600 - 15 * 60 - 1  # just outside the advisory window
    assert refreshing.get().access_key == "KEY1" and source.fetches == 1


def test_advisory_window_refreshes_and_keeps_the_keys_on_failure() -> None:
    refreshing, source, clock = provider()
    refreshing.get()
    clock.now += 3600 - 12 * 60  # 12 minutes left: advisory
    source.fail = True
    assert refreshing.get().access_key == "KEY1"  # the failure is logged, not raised
    source.fail = False
    assert refreshing.get().access_key == "KEY3"


def test_mandatory_window_must_refresh() -> None:
    refreshing, source, clock = provider()
    refreshing.get()
    clock.now += 3600 - 5 * 60  # 5 minutes left: mandatory
    source.fail = True
    with pytest.raises(s3wire.CredentialsError, match="test source: down"):
        refreshing.get()
    source.fail = False
    assert refreshing.get().access_key == "KEY3"


def test_refresh_fetches_now() -> None:
    refreshing, source, _ = provider()
    refreshing.get()
    assert refreshing.refresh().access_key == "KEY2" and source.fetches == 2


@pytest.mark.parametrize("left", [12 * 60, 5 * 60, -1])
def test_one_fetch_across_eight_threads(left: float) -> None:
    """Eight threads at once, in the advisory or mandatory window or expired: one fetch."""
    clock = Clock()
    fetches = []
    gate = threading.Event()

    def slow() -> Credentials:
        fetches.append(1)
        gate.wait(2)  # every thread is in get() before this fetch ends
        return Credentials(f"KEY{len(fetches)}", "s", None, clock.now + 3600)

    refreshing = RefreshingProvider(slow, "slow", clock=clock)
    gate.set()
    refreshing.get()
    gate.clear()
    clock.now += 3600 - left
    barrier = threading.Barrier(8)
    seen: list[str] = []

    def call() -> None:
        barrier.wait()
        seen.append(refreshing.get().access_key)

    threads = [threading.Thread(target=call) for _ in range(8)]
    for thread in threads:
        thread.start()
    time.sleep(0.3)
    gate.set()
    for thread in threads:
        thread.join(5)
    assert len(fetches) == 2  # the first, and one refresh
    assert len(seen) == 8
    assert refreshing.get().access_key == "KEY2"
    if left > 10 * 60:  # advisory: the others kept signing with the current keys
        assert set(seen) <= {"KEY1", "KEY2"}
    else:
        assert set(seen) == {"KEY2"}


def test_concurrent_refresh_calls_fetch_once() -> None:
    """Eight threads told at once that the keys expired (ExpiredToken): one new fetch."""
    fetches = []

    def slow() -> Credentials:
        fetches.append(1)
        time.sleep(0.2)  # the other threads reach refresh() meanwhile
        return Credentials(f"KEY{len(fetches)}", "s", None, time.time() + 3600)

    refreshing = RefreshingProvider(slow, "slow")
    refreshing.get()
    barrier = threading.Barrier(8)
    seen: list[str] = []

    def call() -> None:
        barrier.wait()
        seen.append(refreshing.refresh().access_key)

    threads = [threading.Thread(target=call) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(5)
    assert len(fetches) == 2 and seen == ["KEY2"] * 8


def process(tmp_path: Path, expires_in: float) -> str:
    """A credential_process printing keys numbered by how often it ran."""
    counter = tmp_path / "runs"
    script = tmp_path / "process.py"
    script.write_text(
        "import json, pathlib, sys\n"
        f"counter = pathlib.Path({str(counter)!r})\n"
        "runs = int(counter.read_text()) + 1 if counter.exists() else 1\n"
        "counter.write_text(str(runs))\n"
        "print(json.dumps({'Version': 1, 'AccessKeyId': f'AKIDPROC{runs}', "
        f"'SecretAccessKey': 's', 'SessionToken': 't', 'Expiration': {iso_in(expires_in)!r}}}))\n",
        encoding="utf-8",
    )
    return f"{shlex.quote(sys.executable)} {shlex.quote(str(script))}"


def test_credential_process_runs_again_before_its_expiration(tmp_path: Path) -> None:
    (tmp_path / ".aws").mkdir()
    command = process(tmp_path, expires_in=8 * 60)  # in the mandatory window at once
    (tmp_path / ".aws" / "config").write_text(f"[default]\ncredential_process = {command}\n")
    environ = {"HOME": str(tmp_path), "AWS_EC2_METADATA_DISABLED": "true"}
    refreshing = credential_provider(environ=environ)
    assert refreshing.get().access_key == "AKIDPROC1"
    assert refreshing.get().access_key == "AKIDPROC2"


def test_long_lived_process_keys_are_kept(tmp_path: Path) -> None:
    (tmp_path / ".aws").mkdir()
    command = process(tmp_path, expires_in=3600)
    (tmp_path / ".aws" / "config").write_text(f"[default]\ncredential_process = {command}\n")
    refreshing = credential_provider(
        environ={"HOME": str(tmp_path)} | {"AWS_EC2_METADATA_DISABLED": "true"}
    )
    assert refreshing.get().access_key == refreshing.get().access_key == "AKIDPROC1"


# --- secrets -------------------------------------------------------------------------------------

secrets = st.text(
    alphabet=st.characters(min_codepoint=33, max_codepoint=126, exclude_characters='"\\'),
    min_size=12,
    max_size=40,
)


@settings(max_examples=30, deadline=None)
@given(secret=secrets, token=secrets)
def test_secrets_never_in_a_repr_or_a_message(secret: str, token: str) -> None:
    """Keys answered with a bad expiration, or with an unusable token, or through the
    container endpoint, never show in the error; nor in the reprs of what holds them."""
    answers = [
        {"AccessKeyId": "ASIAX", "SecretAccessKey": secret, "Token": token, "Expiration": secret},
        {
            "AccessKeyId": "ASIAX",
            "SecretAccessKey": secret,
            "Token": token + "\n",
            "Expiration": iso_in(3600),
        },
        {"AccessKeyId": "ASIAX", "SecretAccessKey": secret + "\x00", "Token": token},
    ]
    for answer in answers:
        body = json.dumps(answer).encode()
        with HttpStub(lambda request, body=body: (200, body)) as stub:
            environ = {
                "AWS_CONTAINER_CREDENTIALS_FULL_URI": stub.url + "/c",
                "HOME": "/nonexistent",
            }
            refreshing = credential_provider(environ=environ)
            with pytest.raises(s3wire.CredentialsError) as caught:
                refreshing.get()
        for text in (str(caught.value), repr(caught.value), repr(refreshing)):
            assert secret not in text and token not in text
    good = json.dumps({"AccessKeyId": "ASIAX", "SecretAccessKey": secret, "Token": token}).encode()
    with HttpStub(lambda request: (200, good)) as stub:
        environ = {"AWS_CONTAINER_CREDENTIALS_FULL_URI": stub.url + "/c", "HOME": "/nonexistent"}
        refreshing = credential_provider(environ=environ)
        keys = refreshing.get()
    assert keys.secret_key == secret
    for text in (repr(keys), repr(refreshing), str(keys)):
        assert secret not in text and token not in text
