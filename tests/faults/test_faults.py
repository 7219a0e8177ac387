"""The fault bench: s3wire through a fault-injecting proxy in front of radosgw.

Every transient fault is survived with the right data; a permanent one ends in a clear error
after the retry budget; a multipart upload either completes with the right bytes or is aborted;
no call ever answers success with wrong data.
"""

from __future__ import annotations

import hashlib
import io
import os
import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import servers
from faultbench import BENCH, DELAY, MIB, connect
from proxy import Fault, FaultProxy

import s3wire
from s3wire.errors import ChecksumError

SMALL = os.urandom(64 * 1024)
BIG = os.urandom(11 * MIB + 12345)  # three parts of 5 MiB; three ranges in a download

TRANSIENT = {
    "reset": Fault("reset"),
    "reset-after-server-acted": Fault("reset_after"),
    "delay": Fault("delay", seconds=DELAY),
    "500-InternalError": Fault("error", 500, "InternalError"),
    "503-SlowDown-Retry-After": Fault("error", 503, "SlowDown", retry_after="0"),
    "502-html": Fault("error", 502, "Bad Gateway", body=b"<html>bad gateway</html>"),
    "429": Fault("error", 429, "TooManyRequests"),
    "400-RequestTimeout": Fault("error", 400, "RequestTimeout"),
    "truncate": Fault("truncate"),
    "drop-mid-stream": Fault("drop"),
    "corrupt": Fault("corrupt"),
}
BODY_FAULTS = {"truncate", "drop-mid-stream"}  # they need an answer with a body
CODE_FAULTS = {"400-RequestTimeout"}  # retried for its code, which a HEAD answer cannot carry


@dataclass(frozen=True)
class Scenario:
    """A workload: `run` (through the proxy) checks its own result; `target` is the request the
    fault hits; `body` says whether that request's answer has a body, `verified` whether a
    corrupted body is caught (an object read whole, with its MD5 ETag)."""

    run: Callable[[s3wire.Client, s3wire.Client, str, Path], None]
    method: str
    target: str
    body: bool = False
    verified: bool = False


def put_bytes(client: s3wire.Client, direct: s3wire.Client, bucket: str, _: Path) -> None:
    client.put_object(bucket=bucket, key="k", body=SMALL).raise_for_status()
    assert direct.get_object(bucket=bucket, key="k").body == SMALL


def put_stream(client: s3wire.Client, direct: s3wire.Client, bucket: str, _: Path) -> None:
    stream = io.BytesIO(b"skipped" + SMALL)
    stream.seek(7)  # sent from here, and rewound to here for each retry
    client.put_object(bucket=bucket, key="k", body=stream).raise_for_status()
    assert direct.get_object(bucket=bucket, key="k").body == SMALL


def get_object(client: s3wire.Client, direct: s3wire.Client, bucket: str, _: Path) -> None:
    direct.put_object(bucket=bucket, key="k", body=SMALL).raise_for_status()
    assert client.get_object(bucket=bucket, key="k").raise_for_status().body == SMALL


def get_into_file(client: s3wire.Client, direct: s3wire.Client, bucket: str, tmp: Path) -> None:
    """Streamed into a file after bytes of its own: a retry rewrites from there, once."""
    direct.put_object(bucket=bucket, key="k", body=SMALL).raise_for_status()
    with open(tmp / "out", "wb") as out:
        out.write(b"header")
        answer = client.get_object(bucket=bucket, key="k", into=out).raise_for_status()
    assert answer.body == b""
    assert (tmp / "out").read_bytes() == b"header" + SMALL


def head_object(client: s3wire.Client, direct: s3wire.Client, bucket: str, _: Path) -> None:
    direct.put_object(bucket=bucket, key="k", body=SMALL).raise_for_status()
    head = client.head_object(bucket=bucket, key="k").raise_for_status()
    assert head.fields["content_length"] == len(SMALL)
    assert head.fields["etag"] == f'"{hashlib.md5(SMALL).hexdigest()}"'


def list_objects(client: s3wire.Client, direct: s3wire.Client, bucket: str, _: Path) -> None:
    for key in ("a", "b/c"):
        direct.put_object(bucket=bucket, key=key, body=b"x").raise_for_status()
    listing = client.list_objects_v2(bucket=bucket).raise_for_status()
    assert [item["Key"] for item in listing.response["ListBucketResult"]["Contents"]] == [
        "a",
        "b/c",
    ]


def delete_object(client: s3wire.Client, direct: s3wire.Client, bucket: str, _: Path) -> None:
    direct.put_object(bucket=bucket, key="k", body=b"x").raise_for_status()
    client.delete_object(bucket=bucket, key="k").raise_for_status()
    assert direct.head_object(bucket=bucket, key="k").status == 404


def upload_file(client: s3wire.Client, direct: s3wire.Client, bucket: str, _: Path) -> None:
    client.upload_file(bucket, "big", io.BytesIO(BIG))
    assert direct.get_object(bucket=bucket, key="big").body == BIG
    assert uploads_left(direct, bucket) == []


def download_small(client: s3wire.Client, direct: s3wire.Client, bucket: str, tmp: Path) -> None:
    direct.put_object(bucket=bucket, key="k", body=SMALL).raise_for_status()
    client.download_file(bucket, "k", tmp / "out")
    assert (tmp / "out").read_bytes() == SMALL


def download_ranged(client: s3wire.Client, direct: s3wire.Client, bucket: str, tmp: Path) -> None:
    direct.put_object(bucket=bucket, key="big", body=BIG).raise_for_status()
    client.download_file(bucket, "big", tmp / "out")
    assert (tmp / "out").read_bytes() == BIG


SCENARIOS = {
    "put-bytes": Scenario(put_bytes, "PUT", r"/k$"),
    "put-stream": Scenario(put_stream, "PUT", r"/k$"),
    "get-object": Scenario(get_object, "GET", r"/k$", body=True, verified=True),
    "get-into-file": Scenario(get_into_file, "GET", r"/k$", body=True, verified=True),
    "head-object": Scenario(head_object, "HEAD", r"/k$"),
    "list-objects": Scenario(list_objects, "GET", r"list-type=2", body=True),
    "delete-object": Scenario(delete_object, "DELETE", r"/k$"),
    "upload-part-2": Scenario(upload_file, "PUT", r"partNumber=2"),
    "complete-multipart": Scenario(upload_file, "POST", r"uploadId=", body=True),
    "download-small": Scenario(download_small, "GET", r"/k$", body=True, verified=True),
    "download-range": Scenario(download_ranged, "GET", r"/big$", body=True),
}


def applicable(fault: str, scenario: Scenario) -> bool:
    if fault == "corrupt":
        return scenario.verified
    if fault in CODE_FAULTS and scenario.method == "HEAD":
        return False
    return scenario.body or fault not in BODY_FAULTS


CASES = [
    pytest.param(fault, name, id=f"{name}:{fault}")
    for name, scenario in SCENARIOS.items()
    for fault in TRANSIENT
    if applicable(fault, scenario)
]


def uploads_left(client: s3wire.Client, bucket: str) -> list[str]:
    listing = client.list_multipart_uploads(bucket=bucket).raise_for_status()
    return [
        upload["UploadId"] for upload in listing.response["ListMultipartUploadsResult"]["Upload"]
    ]


@pytest.mark.parametrize(("fault", "name"), CASES)
def test_a_transient_fault_is_survived_with_the_right_data(
    fault: str,
    name: str,
    client: s3wire.Client,
    direct: s3wire.Client,
    proxy: FaultProxy,
    bucket: str,
    retries: list[str],
    tmp_path: Path,
) -> None:
    scenario = SCENARIOS[name]
    proxy.add(TRANSIENT[fault], scenario.method, scenario.target)
    scenario.run(client, direct, bucket, tmp_path)
    assert [kind for kind, _, _ in proxy.injected] == [TRANSIENT[fault].kind]
    assert retries, "the fault was survived without a retry?"


PERMANENT = {
    "503-SlowDown": (Fault("error", 503, "SlowDown"), s3wire.S3Error, "503 SlowDown"),
    "reset": (Fault("reset"), s3wire.TransportError, "ConnectionError"),
    "truncate": (Fault("truncate"), s3wire.IncompleteAnswerError, "cut short"),
    "drop": (Fault("drop"), s3wire.IncompleteAnswerError, "cut short"),
    "corrupt": (Fault("corrupt"), ChecksumError, "do not match the object.s ETag"),
}


@pytest.mark.parametrize("fault", PERMANENT)
def test_a_permanent_fault_ends_in_a_clear_error_after_the_budget(
    fault: str,
    client: s3wire.Client,
    direct: s3wire.Client,
    proxy: FaultProxy,
    bucket: str,
    retries: list[str],
) -> None:
    injected, error, message = PERMANENT[fault]
    direct.put_object(bucket=bucket, key="k", body=SMALL).raise_for_status()
    proxy.add(injected, "GET", r"/k$", times=None)
    with pytest.raises(error, match=message) as raised:
        client.get_object(bucket=bucket, key="k").raise_for_status()
    assert "(after 4 attempts)" in str(raised.value)
    assert len(proxy.injected) == 4
    assert len(retries) == 3


def test_max_attempts_is_the_budget(
    s3_server: servers.S3Server, proxy: FaultProxy, bucket: str, retries: list[str]
) -> None:
    proxy.add(Fault("error", 500, "InternalError"), "PUT", times=None)
    with connect(proxy.url, s3_server, max_attempts=2) as client:
        answer = client.put_object(bucket=bucket, key="k", body=b"x")
    assert (answer.status, answer.attempts, len(proxy.injected), len(retries)) == (500, 2, 2, 1)
    with connect(proxy.url, s3_server, max_attempts=1) as client:
        assert client.put_object(bucket=bucket, key="k", body=b"x").attempts == 1
    assert len(retries) == 1


@pytest.mark.parametrize(
    "fault", [Fault("error", 500, "InternalError"), Fault("reset"), Fault("reset_after")]
)
def test_a_multipart_upload_failing_for_good_is_aborted(
    fault: Fault, client: s3wire.Client, direct: s3wire.Client, proxy: FaultProxy, bucket: str
) -> None:
    proxy.add(fault, "PUT", r"partNumber=2", times=None)
    with pytest.raises(s3wire.S3wireError):
        client.upload_file(bucket, "big", io.BytesIO(BIG))
    assert uploads_left(direct, bucket) == []
    assert direct.head_object(bucket=bucket, key="big").status == 404


@pytest.mark.parametrize("times", [1, None], ids=["once", "always"])
def test_a_big_download_with_a_corrupted_answer_is_refused(
    client: s3wire.Client,
    direct: s3wire.Client,
    proxy: FaultProxy,
    bucket: str,
    tmp_path: Path,
    times: int | None,
) -> None:
    """An object whose only check is its MD5 ETag (which cannot be made of ranges): the Client
    fetches it in one GET, hashed as it arrives, and tries a corrupted answer again; the
    AsyncClient feeds its ranges to the MD5 in order, which finds the damage at the end. A
    download that stays corrupted is refused and the old file stays."""
    direct.put_object(bucket=bucket, key="big", body=BIG).raise_for_status()
    (tmp_path / "out").write_bytes(b"precious")
    proxy.add(Fault("corrupt"), "GET", r"/big$", times=times)
    one_get = isinstance(client, s3wire.Client)
    if one_get and times == 1:
        client.download_file(bucket, "big", tmp_path / "out")
        assert (tmp_path / "out").read_bytes() == BIG
    else:
        with pytest.raises(ChecksumError, match="ETag"):
            client.download_file(bucket, "big", tmp_path / "out")
        assert (tmp_path / "out").read_bytes() == b"precious"
    assert sorted(os.listdir(tmp_path)) == ["out"]
    if one_get:
        assert [kind for kind, *_ in proxy.injected] == ["corrupt"] * (1 if times else 4)


class Pipe(io.RawIOBase):
    """A stream that only writes, like a pipe: nothing written to it can be taken back."""

    def __init__(self) -> None:
        self.data = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        self.data += data
        return len(data)


# Not "drop-mid-stream": a reset may discard the half body before any of it is read (nothing
# written yet, so a retry is right then).
@pytest.mark.parametrize("fault", ["truncate", "corrupt"])
def test_a_stream_that_cannot_rewind_is_not_tried_again_once_written(
    fault: str,
    client: s3wire.Client,
    direct: s3wire.Client,
    proxy: FaultProxy,
    bucket: str,
    retries: list[str],
) -> None:
    direct.put_object(bucket=bucket, key="k", body=SMALL).raise_for_status()
    proxy.add(TRANSIENT[fault], "GET", r"/k$")
    pipe = Pipe()
    with pytest.raises(s3wire.TransportError) as raised:
        client.get_object(bucket=bucket, key="k", into=pipe)
    assert raised.value.attempts == 1
    assert retries == []
    assert len(pipe.data) <= len(SMALL) and bytes(pipe.data) != SMALL


CHAOS = ["reset", "reset_after", "error", "truncate", "drop", "corrupt"]


@pytest.mark.parametrize("seed", range(3))
def test_random_faults_never_give_wrong_data(
    seed: int,
    client: s3wire.Client,
    direct: s3wire.Client,
    proxy: FaultProxy,
    bucket: str,
    tmp_path: Path,
) -> None:
    """Half of all requests meet a random fault: each call either answers the right data or
    raises an s3wire error; it never answers success with wrong data, nor leaves a temporary
    file behind."""
    chance = random.Random(seed)
    proxy.chaos = (chance, 0.5, [Fault(kind, 500, "InternalError") for kind in CHAOS])
    outcomes = {"right": 0, "error": 0}
    for step in range(12):
        key, data = f"k{step}", os.urandom(chance.choice([0, 1, 4096, 100_000]))
        for call, check in workload(client, direct, bucket, key, data, tmp_path):
            try:
                call()
            except s3wire.S3wireError:
                outcomes["error"] += 1
                continue
            check()
            outcomes["right"] += 1
    BENCH.right += outcomes["right"]
    BENCH.failed += outcomes["error"]
    assert outcomes["right"] > outcomes["error"], outcomes
    assert len(proxy.injected) >= 10, proxy.injected
    assert not [name for name in os.listdir(tmp_path) if name.endswith(".part")]


def workload(
    client: s3wire.Client, direct: s3wire.Client, bucket: str, key: str, data: bytes, tmp: Path
) -> list[tuple[Callable[[], object], Callable[[], None]]]:
    """(call, check) pairs: a call through the proxy, and how to check its effect directly."""

    def stored() -> None:
        assert direct.get_object(bucket=bucket, key=key).body == data

    def read() -> None:
        assert got[0] == data

    got: list[bytes] = []

    def get() -> None:
        got[:] = [client.get_object(bucket=bucket, key=key).raise_for_status().body]

    def listed() -> None:
        names = [item["Key"] for item in listing[0].response["ListBucketResult"]["Contents"]]
        assert key in names

    listing: list[s3wire.Response[object, object]] = []

    def downloaded() -> None:
        assert (tmp / key).read_bytes() == data

    return [
        (lambda: client.put_object(bucket=bucket, key=key, body=data).raise_for_status(), stored),
        (get, read),
        (lambda: listing.append(client.list_objects_v2(bucket=bucket).raise_for_status()), listed),
        (lambda: client.download_file(bucket, key, tmp / key), downloaded),
    ]
