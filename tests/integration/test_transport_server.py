"""The transport against the real server: a file that grows while it is uploaded, and a client
shared across a fork."""

from __future__ import annotations

import base64
import hashlib
import io
import os

import s3wire

DATA = os.urandom(700 * 1024)  # three of the transport's reads
# What the file gains while it is sent: the start of a request, which the server would take the
# connection's next request into (as a header's value) if it went out after the declared body.
STRAY = b"DELETE /stray HTTP/1.1\r\nX-Stray: "


class GrowingAfterFirstRead(io.BytesIO):
    """A file another writer appends to right after the uploader's first read."""

    grown = False

    def read(self, size: int | None = -1) -> bytes:
        data = super().read(size)
        if not self.grown:
            self.grown = True
            position = self.tell()
            self.seek(0, io.SEEK_END)
            self.write(STRAY)
            self.seek(position)
        return data


def test_a_file_growing_while_uploaded_stores_its_declared_bytes(
    client: s3wire.Client, bucket: str
) -> None:
    client.put_object(bucket=bucket, key="other", body=b"the other object").raise_for_status()
    md5 = base64.b64encode(hashlib.md5(DATA).digest()).decode()  # nothing reads the file first
    body = GrowingAfterFirstRead(DATA)
    client.put_object(bucket=bucket, key="k", body=body, content_md5=md5).raise_for_status()
    # The next requests on the same connection get their own answers.
    assert client.get_object(bucket=bucket, key="other").raise_for_status().body == (
        b"the other object"
    )
    assert client.get_object(bucket=bucket, key="k").raise_for_status().body == DATA


def test_a_client_shared_across_a_fork_gives_each_process_its_own_answers(
    client: s3wire.Client, bucket: str
) -> None:
    bodies = {f"k{n}": os.urandom(1000 + n) for n in range(60)}
    for key, data in bodies.items():
        client.put_object(bucket=bucket, key=key, body=data).raise_for_status()

    def wrong_bodies() -> list[str]:
        wrong = []
        for key, data in bodies.items():
            try:
                got = client.get_object(bucket=bucket, key=key)
            except s3wire.S3wireError as error:
                wrong.append(f"{key}: {error}")
                continue
            if (got.status, got.body) != (200, data):
                wrong.append(f"{key}: {got.status}")
        return wrong

    assert wrong_bodies() == []  # the pool holds connections now
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover (the child's result is its exit status)
        code = 1
        try:
            os.close(write)
            os.read(read, 1)  # start with the parent
            code = 0 if wrong_bodies() == [] else 3
        finally:
            os._exit(code)
    os.close(read)
    os.write(write, b"go")
    wrong = wrong_bodies()
    os.close(write)
    _, status = os.waitpid(child, 0)
    assert (wrong, os.waitstatus_to_exitcode(status)) == ([], 0)
