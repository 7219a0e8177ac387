"""copy_file and the folder helpers against recorded answers: requests, and keys refused."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from recording import Pages
from requests.structures import CaseInsensitiveDict
from test_transfer import Answer, FakeS3, client_of

import s3wire
from s3wire.testing import Answer as Canned
from s3wire.testing import MockTransport, Request

MIB = 1024 * 1024
HEAD = {"Content-Length": str(12 * MIB), "ETag": '"abc-2"', "Content-Type": "x/y"}


class CopyFake(FakeS3):
    """HeadObject of a 12 MiB source; CopyObject, UploadPartCopy and the multipart calls."""

    def answer_to(
        self, method: str, query: dict[str, list[str]], headers: dict[str, str], content: bytes
    ) -> Answer:
        if method == "HEAD":
            return 200, CaseInsensitiveDict({**HEAD, "x-amz-meta-a": "1"}), b""
        if method == "PUT" and "partNumber" in query:
            part = query["partNumber"][0]
            xml = f"<CopyPartResult><ETag>&quot;p{part}&quot;</ETag></CopyPartResult>"
            return 200, CaseInsensitiveDict(), xml.encode()
        if method == "PUT":
            return (
                200,
                CaseInsensitiveDict(),
                b"<CopyObjectResult><ETag>e</ETag></CopyObjectResult>",
            )
        return super().answer_to(method, query, headers, content)


def test_a_copy_up_to_the_threshold_is_one_copy_object_pinned_to_the_etag() -> None:
    fake = CopyFake()
    answer = client_of(fake).copy_file("src", "a b", "dst", "k")
    assert answer.response == {"CopyObjectResult": {"ETag": "e"}}
    _, (method, url, headers, _) = fake.sent
    assert (method, urlsplit(url).path) == ("PUT", "/dst/k")
    assert headers["x-amz-copy-source"] == "/src/a%20b"
    assert headers["x-amz-copy-source-if-match"] == '"abc-2"'


def test_a_copy_above_the_threshold_goes_in_parallel_part_copies() -> None:
    fake = CopyFake()
    done: list[tuple[int, int]] = []
    client_of(fake).copy_file(
        "src",
        "k",
        "dst",
        "k2",
        threshold=MIB,
        part_size=5 * MIB,
        progress=lambda *a: done.append(a),
    )
    create = fake.sent[1]
    assert (create[2]["Content-Type"], create[2]["x-amz-meta-a"]) == ("x/y", "1")
    copies = [h for m, u, h, _ in fake.sent if m == "PUT"]
    assert sorted(h["x-amz-copy-source-range"] for h in copies) == [
        f"bytes=0-{5 * MIB - 1}",
        f"bytes={10 * MIB}-{12 * MIB - 1}",
        f"bytes={5 * MIB}-{10 * MIB - 1}",
    ]
    assert all(h["x-amz-copy-source-if-match"] == '"abc-2"' for h in copies)
    complete = fake.sent[-1][3]
    assert complete.index(b'"p1"') < complete.index(b'"p2"') < complete.index(b'"p3"')  # type: ignore[union-attr]
    assert done[-1] == (12 * MIB, 12 * MIB)


def test_a_failed_part_copy_aborts() -> None:
    class Failing(CopyFake):
        def answer_to(self, method: str, query: dict[str, list[str]], *rest: object) -> Answer:
            if query.get("partNumber") == ["2"]:
                return 403, CaseInsensitiveDict(), b"<Error><Code>AccessDenied</Code></Error>"
            return super().answer_to(method, query, *rest)  # type: ignore[arg-type]

    fake = Failing()
    with pytest.raises(s3wire.S3Error, match="AccessDenied"):
        client_of(fake).copy_file("src", "k", "dst", "k2", threshold=MIB)
    method, url, _, _ = fake.sent[-1]
    assert (method, parse_qs(urlsplit(url).query)) == ("DELETE", {"uploadId": ["up-1"]})


def listing(*keys: str) -> str:
    items = "".join(
        f"<Contents><Key>{k}</Key><Size>1</Size><ETag>&quot;x&quot;</ETag>"
        "<LastModified>2024-01-01T00:00:00.000Z</LastModified></Contents>"
        for k in keys
    )
    return f"<ListBucketResult><IsTruncated>false</IsTruncated>{items}</ListBucketResult>"


@pytest.mark.parametrize(
    "key",
    [
        "p/../escape",
        "p/a/../../escape",
        "p//etc/passwd",
        "p/./x",
        "p/a\\..\\b",
        "p/..",
    ],
)
def test_a_key_escaping_the_folder_is_refused_before_anything_is_written(
    tmp_path: Path, key: str
) -> None:
    pages = Pages(listing("p/fine.txt", key))
    with pytest.raises(s3wire.ParamError, match="refusing key"):
        client_of(pages).download_dir("b", "p", tmp_path / "into")
    assert len(pages.sent) == 1  # the listing only
    assert not (tmp_path / "into").exists()
    assert os.listdir(tmp_path) == []


def test_a_nul_byte_is_refused(tmp_path: Path) -> None:
    """XML cannot carry NUL; a key with one (from a URL-encoded listing) is refused all the same."""
    pages = Pages(listing("p/fine.txt", "p/nul%00byte"))
    with pytest.raises(s3wire.ParamError, match=r"refusing key 'p/nul\\x00byte'"):
        client_of(pages).download_dir("b", "p", tmp_path / "into")
    assert len(pages.sent) == 1  # the listing only


def test_folder_markers_are_left_out(tmp_path: Path) -> None:
    pages = Pages(listing("p/folder/"))
    result = client_of(pages).download_dir("b", "p/", tmp_path)
    assert (result.transferred, result.skipped) == ([], [])


def test_upload_dir_needs_a_folder(tmp_path: Path) -> None:
    with pytest.raises(s3wire.ParamError, match="not a folder"):
        client_of(FakeS3()).upload_dir(tmp_path / "missing", "b")


def kms_store(file: Path, mtime_ns: int) -> MockTransport:
    """S3 holding `file`'s object under SSE-KMS, as AWS answers: the listing's ETag looks like an
    MD5 but is none of the bytes; HeadObject names the encryption and the stored mtime."""
    listing = (
        "<ListBucketResult><IsTruncated>false</IsTruncated><Contents><Key>up/a.txt</Key>"
        f"<Size>{file.stat().st_size}</Size><ETag>&quot;{'0' * 32}&quot;</ETag>"
        "<LastModified>2026-01-01T00:00:00.000Z</LastModified></Contents></ListBucketResult>"
    )

    def answer(request: Request) -> Canned:
        if request.method == "GET":
            return Canned(200, {}, listing.encode())
        if request.method == "HEAD":
            headers = {"ETag": f'"{"0" * 32}"', "x-amz-server-side-encryption": "aws:kms"}
            return Canned(200, headers | {"x-amz-meta-s3wire-mtime": str(mtime_ns)})
        return Canned(200, {"ETag": '"e"'})

    return MockTransport(answer)


def test_an_unchanged_file_whose_object_is_encrypted_is_not_uploaded_again(
    tmp_path: Path,
) -> None:
    (tmp_path / "a.txt").write_bytes(b"same bytes")
    stored = (tmp_path / "a.txt").stat().st_mtime_ns
    for mtime_ns, sent in ((stored, []), (stored + 1, ["PUT"])):
        os.utime(tmp_path / "a.txt", ns=(mtime_ns, mtime_ns))
        transport = kms_store(tmp_path / "a.txt", stored)
        client = s3wire.Client(
            url="http://127.0.0.1:9",
            access_key="a",
            secret_key="s",
            region="r",
            transport=transport,
        )
        client.upload_dir(tmp_path, "b", "up")
        assert [r.method for r in transport.requests if r.method not in ("GET", "HEAD")] == sent
