"""Keys with any character S3 holds (control characters, spaces, %, +, non-ASCII) list,
download and delete as themselves on radosgw, also where a page ends on such a key (radosgw
writes its token or marker as a character reference XML 1.0 forbids, like &#x07;); download_dir
writes nothing through a symlinked folder; the CLI's --out and cp give downloaded files one
mode."""

from __future__ import annotations

import json
import os
import stat
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from test_cli_shortcuts_server import Shell, shell  # noqa: F401 (the fixture)

import s3wire
from s3wire import paginate

KEYS = [
    *(f"odd/{chr(code)}x" for code in range(1, 32)),
    "odd/\x7f",
    "odd/sp ace",
    "odd/pc%41",
    "odd/pl+us",
    "odd/é/ü",
    "odd/日本/a b",
]

UPLOADS = [
    "odd/sp ace+%41/é",
    *(f"odd/up{chr(code)}load" for code in (1, 7, 0xB, 0x1F)),
    "odd/\x7f",
]


def every_page(
    client: s3wire.Client, listing: paginate.Listing, params: dict[str, Any]
) -> list[tuple[str, str]]:
    """(list name, key) of each entry of a listing read one entry a page: every page but the
    last ends on a key, which radosgw names raw in the next page's token or marker."""
    return [(name, entry["Key"]) for name, entry in paginate.entries(client, listing, params)]


@pytest.fixture
def odd_bucket(client: s3wire.Client, bucket: str) -> str:
    """The bucket holding KEYS, each object's body its key; emptied by the test itself."""
    for key in KEYS:
        client.put_object(bucket=bucket, key=key, body=key.encode()).raise_for_status()
    return bucket


def test_every_key_lists_downloads_and_deletes_as_itself(
    client: s3wire.Client,
    odd_bucket: str,
    tmp_path: Path,
    shell: Shell,  # noqa: F811
) -> None:
    listed = [item["Key"] for item in paginate.objects(client, odd_bucket, "odd/")]
    assert sorted(listed) == sorted(KEYS)
    level = list(paginate.objects(client, odd_bucket, "odd/", "/"))
    assert sorted(item["Prefix"] for item in level if "Prefix" in item) == ["odd/é/", "odd/日本/"]
    assert len(level) == len(KEYS) - 2 + 2

    result = client.download_dir(odd_bucket, "odd", tmp_path / "copy")
    assert sorted(result.transferred) == sorted(KEYS)
    for key in KEYS:
        assert (tmp_path / "copy" / key.removeprefix("odd/")).read_bytes() == key.encode()

    shown = json.loads(shell.ok("ls", f"s3://{odd_bucket}/odd/", "--recursive", "--output", "json"))
    assert sorted(row["Key"] for row in shown) == sorted(KEYS)
    shell.ok("rm", f"s3://{odd_bucket}/odd/", "--recursive")
    assert list(paginate.objects(client, odd_bucket)) == []


def test_pages_ending_on_any_key_follow_on_as_themselves(
    client: s3wire.Client, odd_bucket: str
) -> None:
    params = {"bucket": odd_bucket, "prefix": "odd/", "max_keys": 1}
    listed = every_page(client, paginate.OBJECTS, params)
    assert Counter(listed) == Counter(("Contents", key) for key in KEYS)
    first = client.list_objects_v2(bucket=odd_bucket, max_keys=1, encoding_type="url")
    assert first.raise_for_status().response["ListBucketResult"]["NextContinuationToken"] == KEYS[0]
    params = {"bucket": odd_bucket, "start_after": KEYS[6], "max_keys": 1}
    after = every_page(client, paginate.OBJECTS, params)
    assert [key for _, key in after] == sorted(KEYS)[sorted(KEYS).index(KEYS[6]) + 1 :]


@pytest.mark.parametrize("addressing", ["path"])  # over a thousand keys: once is enough
def test_cli_ls_follows_a_page_ending_on_a_control_character(
    client: s3wire.Client,
    bucket: str,
    shell: Shell,  # noqa: F811
) -> None:
    # 1,000 keys "odd/\x07NNNN" come first after six of KEYS: the first page ends on one.
    keys = [*KEYS, *(f"odd/\x07{index:04d}" for index in range(1000))]
    with ThreadPoolExecutor(8) as pool:
        for answer in pool.map(lambda key: client.put_object(bucket=bucket, key=key), keys):
            answer.raise_for_status()
    page = client.list_objects_v2(bucket=bucket, encoding_type="url").raise_for_status()
    assert "\x07" in page.response["ListBucketResult"]["NextContinuationToken"]
    shown = json.loads(shell.ok("ls", f"s3://{bucket}/", "--recursive", "--output", "json"))
    assert Counter(row["Key"] for row in shown) == Counter(keys)
    assert Counter(item["Key"] for item in paginate.objects(client, bucket)) == Counter(keys)


def test_version_and_upload_pages_ending_on_any_key_follow_on(
    client: s3wire.Client, bucket: str
) -> None:
    client.put_bucket_versioning(bucket=bucket, status="Enabled").raise_for_status()
    for key in KEYS:
        client.put_object(bucket=bucket, key=key, body=b"1").raise_for_status()
        client.delete_object(bucket=bucket, key=key).raise_for_status()  # a delete marker
    try:
        listed = every_page(client, paginate.VERSIONS, {"bucket": bucket, "max_keys": 1})
        assert Counter(listed) == Counter(
            (kind, key) for key in KEYS for kind in ("Version", "DeleteMarker")
        )
        started = {}
        for key in UPLOADS:
            answer = client.create_multipart_upload(bucket=bucket, key=key).raise_for_status()
            assert answer.response["InitiateMultipartUploadResult"]["Key"] == key
            started[key] = answer.response["InitiateMultipartUploadResult"]["UploadId"]
        listed = every_page(client, paginate.UPLOADS, {"bucket": bucket, "max_uploads": 1})
        assert Counter(listed) == Counter(("Upload", key) for key in UPLOADS)
        uploads = {item["Key"]: item["UploadId"] for item in paginate.uploads(client, bucket)}
        assert uploads == started
    finally:
        remove_versions_and_uploads(client, bucket)


def remove_versions_and_uploads(client: s3wire.Client, bucket: str) -> None:
    """Abort every upload and delete every version and delete marker (the bucket is left)."""
    for upload in paginate.uploads(client, bucket):
        client.abort_multipart_upload(
            bucket=bucket, key=upload["Key"], upload_id=upload["UploadId"]
        ).raise_for_status()
    for _, item in paginate.versions(client, bucket):
        client.delete_object(
            bucket=bucket, key=item["Key"], version_id=item["VersionId"]
        ).raise_for_status()


def test_download_dir_never_writes_through_a_symlinked_folder(
    client: s3wire.Client, bucket: str, tmp_path: Path
) -> None:
    for key in ("sub/victim", "sub/new", "top.txt"):
        client.put_object(bucket=bucket, key=key, body=b"from S3").raise_for_status()
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "victim").write_bytes(b"keep me")
    dest = tmp_path / "dest"
    dest.mkdir()
    (dest / "sub").symlink_to(outside)
    (dest / "top.txt").symlink_to(outside / "victim")
    with pytest.raises(s3wire.ParamError, match="symbolic link"):
        client.download_dir(bucket, "", dest, concurrency=1)
    assert sorted(os.listdir(outside)) == ["victim"]
    assert (outside / "victim").read_bytes() == b"keep me"
    (dest / "sub").unlink()
    client.download_dir(bucket, "", dest)
    assert not (dest / "top.txt").is_symlink()
    assert (outside / "victim").read_bytes() == b"keep me"
    assert (dest / "sub" / "victim").read_bytes() == b"from S3"


def test_cli_downloads_share_one_mode_rule(
    client: s3wire.Client,
    bucket: str,
    shell: Shell,  # noqa: F811
) -> None:
    client.put_object(bucket=bucket, key="k", body=b"data").raise_for_status()
    umask = os.umask(0o022)
    os.umask(umask)
    for name, command in {
        "out.bin": ["get-object", "--bucket", bucket, "--key", "k", "--out", "out.bin"],
        "cp.bin": ["cp", f"s3://{bucket}/k", "cp.bin"],
        "dl.bin": ["download-file", "--bucket", bucket, "--key", "k", "--dest", "dl.bin"],
    }.items():
        shell.ok(*command)
        created = shell.home / name
        assert stat.S_IMODE(created.stat().st_mode) == 0o666 & ~umask, name
        created.chmod(0o640)
        shell.ok(*command)
        assert stat.S_IMODE(created.stat().st_mode) == 0o640, name
        assert created.read_bytes() == b"data"


def test_rb_force_removes_versions_and_uploads_of_any_key(
    client: s3wire.Client,
    shell: Shell,  # noqa: F811
) -> None:
    name = f"s3wire-odd-{uuid.uuid4().hex[:10]}"
    client.create_bucket(bucket=name).raise_for_status()
    try:
        client.put_bucket_versioning(bucket=name, status="Enabled").raise_for_status()
        for key in KEYS[:3] + KEYS[-4:]:
            client.put_object(bucket=name, key=key, body=b"1").raise_for_status()
            client.delete_object(bucket=name, key=key).raise_for_status()  # a delete marker
        for key in UPLOADS:  # radosgw names the last one raw in NextKeyMarker (&#x07;)
            client.create_multipart_upload(bucket=name, key=key).raise_for_status()
        listed = [(kind, item["Key"]) for kind, item in paginate.versions(client, name)]
        assert sorted(listed) == sorted(
            (kind, key) for key in KEYS[:3] + KEYS[-4:] for kind in ("Version", "DeleteMarker")
        )
        assert sorted(item["Key"] for item in paginate.uploads(client, name)) == sorted(UPLOADS)
        shell.ok("rb", f"s3://{name}", "--force")
        assert client.head_bucket(bucket=name).status == 404
    finally:
        if client.head_bucket(bucket=name).status == 200:
            remove_versions_and_uploads(client, name)
            client.delete_bucket(bucket=name)
