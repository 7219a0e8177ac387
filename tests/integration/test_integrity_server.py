"""Checksums against real servers: a byte damaged on the way up is refused by radosgw, one
damaged on the way down is caught by s3wire; moto (which stores flexible checksums) gives
them back with x-amz-checksum-mode, and a wrong one it answers is caught.

radosgw 16 (pacific) ignores every x-amz-checksum-* header: it stores none, answers none, and
takes a wrong one (asserted below). What it checks is the Content-MD5 of a streamed body and
the x-amz-content-sha256 of a signed one, which is why s3wire sends both of those off AWS.
"""

from __future__ import annotations

import asyncio
import base64
import io
import os
import uuid
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cleanup import empty_and_delete

import s3wire
from s3wire.errors import ChecksumError
from s3wire.integrity import base64_digest
from s3wire.transport import Urllib3Transport
from s3wire.transport_api import Body, Sink

MIB = 1024 * 1024
DATA = os.urandom(100_000)


def flipped(data: bytes) -> bytes:
    """The bytes with one bit of the middle one flipped."""
    middle = len(data) // 2
    return data[:middle] + bytes([data[middle] ^ 0x10]) + data[middle + 1 :]


class Damaging:
    """The real transport, with one byte of each request body (`up`) or answer body (`down`)
    damaged after signing: what a faulty link or proxy would do."""

    def __init__(self, *, up: bool = False, down: bool = False) -> None:
        self.inner = Urllib3Transport(connect_timeout=10, read_timeout=60, verify=True)
        self.up, self.down = up, down

    def send(
        self,
        method: str,
        url: str,
        headers: dict[str, str],
        body: Body,
        sink: Sink | None = None,
        **deadline: Any,
    ) -> tuple[int, Any, bytes]:
        if self.up and body is not None:
            data = body if isinstance(body, bytes) else body.read()
            body = flipped(data)
        status, answer_headers, content = self.inner.send(
            method, url, headers, body, sink, **deadline
        )
        if self.down and content:
            content = flipped(content)
        return status, answer_headers, content

    def close(self) -> None:
        self.inner.close()


@pytest.fixture
def damaging_client(
    request: pytest.FixtureRequest, data: s3wire.ConnectionData
) -> Iterator[s3wire.Client]:
    way = request.param
    with s3wire.Client(dict(data, max_attempts=1), transport=Damaging(**{way: True})) as client:
        yield client


@pytest.mark.parametrize("damaging_client", ["up"], indirect=True)
@pytest.mark.parametrize("streamed", [False, True], ids=["signed bytes", "streamed"])
def test_radosgw_refuses_a_body_damaged_on_the_way_up(
    client: s3wire.Client, damaging_client: s3wire.Client, bucket: str, streamed: bool
) -> None:
    body: bytes | io.BytesIO = io.BytesIO(DATA) if streamed else DATA
    answer = damaging_client.put_object(bucket=bucket, key="k", body=body)
    assert answer.status == 400
    code = answer.response["Error"]["Code"]
    assert code == ("BadDigest" if streamed else "XAmzContentSHA256Mismatch")
    assert client.head_object(bucket=bucket, key="k").status == 404


@pytest.mark.parametrize("damaging_client", ["down"], indirect=True)
def test_a_body_damaged_on_the_way_down_is_caught(
    client: s3wire.Client, damaging_client: s3wire.Client, bucket: str
) -> None:
    client.put_object(bucket=bucket, key="k", body=DATA).raise_for_status()
    with pytest.raises(ChecksumError, match="ETag"):
        damaging_client.get_object(bucket=bucket, key="k")


def test_radosgw_16_ignores_flexible_checksums(client: s3wire.Client, bucket: str) -> None:
    """Why a streamed body carries its Content-MD5 too off AWS: radosgw 16 takes a wrong
    x-amz-checksum-crc32 and answers none, even when asked (x-amz-checksum-mode)."""
    taken = client.put_object(bucket=bucket, key="k", body=DATA, checksum_crc32="AAAAAA==")
    assert taken.status == 200
    got = client.get_object(bucket=bucket, key="k")
    assert got.body == DATA
    assert not [name for name in got.headers if name.lower().startswith("x-amz-checksum")]


# --- moto: checksums stored and answered ----------------------------------------------------------


@pytest.fixture
def moto_bucket(moto_client: s3wire.Client) -> Iterator[str]:
    name = f"s3wire-crc-{uuid.uuid4().hex[:10]}"
    moto_client.create_bucket(bucket=name).raise_for_status()
    yield name
    empty_and_delete(moto_client, name)


@pytest.mark.parametrize("algorithm", ["CRC32", "CRC32C", "CRC64NVME", "SHA1", "SHA256"])
def test_moto_round_trip_of_each_checksum(
    moto_data: s3wire.ConnectionData, moto_bucket: str, algorithm: str
) -> None:
    with s3wire.Client(dict(moto_data, checksum_algorithm=algorithm)) as client:
        client.put_object(bucket=moto_bucket, key="k", body=DATA).raise_for_status()
        got = client.get_object(bucket=moto_bucket, key="k").raise_for_status()
    assert got.body == DATA
    header = f"x-amz-checksum-{algorithm.lower()}"
    assert got.headers[header] == base64_digest((DATA,), algorithm.lower())


def test_moto_answering_a_wrong_checksum_is_caught(
    moto_client: s3wire.Client, moto_bucket: str, tmp_path: Path
) -> None:
    """moto stores the checksum it is given without checking it: given a wrong one, it answers
    it, and both GetObject and download_file refuse the bytes."""
    wrong = base64.b64encode((zlib.crc32(DATA) ^ 1).to_bytes(4, "big")).decode()
    moto_client.put_object(bucket=moto_bucket, key="k", body=DATA, checksum_crc32=wrong)
    with pytest.raises(ChecksumError, match="CRC32"):
        moto_client.get_object(bucket=moto_bucket, key="k")
    with pytest.raises(ChecksumError, match="CRC32"):
        moto_client.download_file(moto_bucket, "k", tmp_path / "k", part_size=5 * MIB)
    assert os.listdir(tmp_path) == []


def test_moto_multipart_upload_checksum_is_checked_on_the_way_down(
    moto_data: s3wire.ConnectionData, moto_bucket: str, tmp_path: Path
) -> None:
    """upload_file's parts carry CRC32s and moto stores the composite (the CRC32 of the parts'
    CRC32s): GetObject answers it as "<base64>-3" (COMPOSITE), HeadObject without the "-3"
    and without a type; s3wire skips it either way (it cannot be checked from the bytes), and
    download_file still gets every byte right."""
    content = os.urandom(11 * MIB)
    source = tmp_path / "big"
    source.write_bytes(content)
    with s3wire.Client(dict(moto_data, part_size=5 * MIB)) as client:
        client.upload_file(moto_bucket, "big", source)
        head = client.head_object(bucket=moto_bucket, key="big", checksum_mode="ENABLED")
        assert head.headers["ETag"].endswith('-3"')
        crcs = b"".join(
            base64.b64decode(base64_digest((content[at : at + 5 * MIB],), "crc32"))
            for at in range(0, len(content), 5 * MIB)
        )
        assert head.headers["x-amz-checksum-crc32"] == base64_digest((crcs,), "crc32")
        got = client.get_object(bucket=moto_bucket, key="big")
        assert got.headers["x-amz-checksum-crc32"] == base64_digest((crcs,), "crc32") + "-3"
        assert got.headers["x-amz-checksum-type"] == "COMPOSITE"
        assert got.body == content
        client.download_file(moto_bucket, "big", tmp_path / "back")
    assert (tmp_path / "back").read_bytes() == content


def test_moto_decodes_an_aws_chunked_upload_and_keeps_its_trailing_checksum(
    moto_data: s3wire.ConnectionData, moto_bucket: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """aws-chunked goes only over https to AWS; moto (http) is made to get it here, to check
    the wire form against a server that decodes it and stores the trailer's checksum."""
    from s3wire.config import Settings

    monkeypatch.setattr(Settings, "trailing_checksums", property(lambda self: True))
    with s3wire.Client(dict(moto_data, checksum_algorithm="CRC32C")) as client:
        client.put_object(bucket=moto_bucket, key="k", body=io.BytesIO(DATA)).raise_for_status()
        got = client.get_object(bucket=moto_bucket, key="k").raise_for_status()
    assert got.body == DATA
    assert got.headers["x-amz-checksum-crc32c"] == base64_digest((DATA,), "crc32c")


# --- download_file: ranges checked as they arrive, never read back -------------------------------


def _download(data: s3wire.ConnectionData, bucket: str, dest: Path, kind: str) -> None:
    """download_file of key "big" in ranges of 5 MiB, with the Client or the AsyncClient."""
    settings = dict(data, part_size=5 * MIB)
    if kind == "sync":
        with s3wire.Client(settings) as client:
            client.download_file(bucket, "big", dest)
        return

    async def main() -> None:
        async with s3wire.AsyncClient(settings) as aio:
            await aio.download_file(bucket, "big", dest)

    asyncio.run(main())


@pytest.mark.parametrize("kind", ["sync", "async"])
@pytest.mark.parametrize("algorithm", ["crc32", "crc32c", "crc64nvme"])
@pytest.mark.parametrize("right", [True, False], ids=["right", "wrong"])
def test_moto_full_object_crc_is_made_of_the_ranges(
    moto_client: s3wire.Client,
    moto_data: s3wire.ConnectionData,
    moto_bucket: str,
    tmp_path: Path,
    preads: list[int],
    kind: str,
    algorithm: str,
    right: bool,
) -> None:
    """An 11 MiB object stored with its CRC (moto stores the one it is given, right or wrong)
    comes down in three ranges whose CRCs are combined: no read-back, a wrong CRC refused."""
    content = os.urandom(11 * MIB + 3)
    value = base64_digest((content,), algorithm)
    if not right:
        value = base64_digest((content + b"x",), algorithm)
    moto_client.put_object(
        bucket=moto_bucket, key="big", body=content, **{f"checksum_{algorithm}": value}
    ).raise_for_status()
    dest = tmp_path / "back"
    dest.write_bytes(b"old")
    if right:
        _download(moto_data, moto_bucket, dest, kind)
        assert dest.read_bytes() == content
    else:
        with pytest.raises(ChecksumError, match=algorithm.upper()):
            _download(moto_data, moto_bucket, dest, kind)
        assert dest.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["back"]
    assert preads == []


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_radosgw_md5_etag_is_checked_as_the_bytes_arrive(
    client: s3wire.Client,
    data: s3wire.ConnectionData,
    bucket: str,
    tmp_path: Path,
    preads: list[int],
    kind: str,
) -> None:
    """A single-part object (an MD5 ETag, no checksum radosgw 16 keeps) above the range size:
    one GET hashed as it arrives, or (async) the ranges fed to the MD5 in order."""
    content = os.urandom(11 * MIB + 3)
    client.put_object(bucket=bucket, key="big", body=content).raise_for_status()
    dest = tmp_path / "back"
    _download(data, bucket, dest, kind)
    assert dest.read_bytes() == content
    assert preads == []
