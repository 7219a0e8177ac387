"""s3wire.fsspec without a server: its import stays out of `import s3wire`, the entry point and
extra pyproject.toml declares, storage_options, paths, pickling."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
from importlib import import_module
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import s3wire
from s3wire.fsspec import S3WireFileSystem, paths, ranges
from s3wire.fsspec.errors import FileExistsS3Error, FileNotFoundS3Error, checked
from s3wire.fsspec.options import client_settings, make_client

ROOT = Path(__file__).resolve().parents[2]
KEYS = {
    "endpoint_url": "http://127.0.0.1:1",
    "key": "AKIAIOSFODNN7EXAMPLE",
    "secret": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
}


def test_importing_s3wire_does_not_import_fsspec() -> None:
    probe = "import json, sys, s3wire\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(ROOT / "src")},
    )
    loaded = set(json.loads(out.stdout))
    assert not {name for name in loaded if name.split(".")[0] == "fsspec"}
    assert "s3wire.fsspec" not in loaded


def test_pyproject_declares_the_entry_point_and_the_extra() -> None:
    tomllib = pytest.importorskip("tomllib")  # Python 3.11's
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    target = project["entry-points"]["fsspec.specs"]["s3wire"]
    module, _, name = target.partition(":")
    assert getattr(import_module(module), name) is S3WireFileSystem
    assert any(need.startswith("fsspec") for need in project["optional-dependencies"]["fsspec"])
    assert S3WireFileSystem.protocol == ("s3wire",)


def test_s3fs_option_names_are_the_settings_names() -> None:
    settings, profile = client_settings({**KEYS, "token": "t", "region": "eu-west-1"})
    assert settings == {
        "url": "http://127.0.0.1:1",
        "access_key": KEYS["key"],
        "secret_key": KEYS["secret"],
        "session_token": "t",
        "region": "eu-west-1",
    }
    assert profile is None
    fs_only = {"use_listings_cache": False, "default_block_size": 1, "default_cache_type": "none"}
    assert client_settings({"profile": "dev", **fs_only}) == ({}, "dev")


def test_an_unknown_option_is_refused_when_the_filesystem_is_made() -> None:
    with pytest.raises(s3wire.ParamError, match="colour"):
        S3WireFileSystem(**KEYS, colour="blue", skip_instance_cache=True)


def test_given_keys_make_a_client_without_the_environment_and_no_connection() -> None:
    client = make_client({**KEYS, "addressing_style": "path"})
    assert isinstance(client, s3wire.AsyncClient)
    url = client.presigned_url("GET", "b", "k")
    assert url.startswith("http://127.0.0.1:1/b/k?") and "us-east-1" in url


def test_without_keys_the_aws_chain_is_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDENV")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret")
    monkeypatch.setenv("AWS_REGION", "eu-west-3")
    client = make_client({"endpoint_url": "http://127.0.0.1:1", "addressing_style": "path"})
    url = client.presigned_url("GET", "b", "k")
    assert "AKIDENV" in url and "eu-west-3" in url


def test_the_filesystem_pickles_without_its_client() -> None:
    fs = S3WireFileSystem(**KEYS, addressing_style="path", skip_instance_cache=True)
    fs.sign("b/k")  # makes the signing client
    copy = pickle.loads(pickle.dumps(fs))
    assert isinstance(copy, S3WireFileSystem)
    assert copy.storage_options == fs.storage_options
    assert copy.sign("b/k").startswith("http://127.0.0.1:1/b/k?")


def test_the_filesystem_repr_hides_the_secret() -> None:
    fs = S3WireFileSystem(**KEYS, skip_instance_cache=True)
    assert KEYS["secret"] not in repr(fs)


def test_a_bucket_is_not_an_object() -> None:
    fs = S3WireFileSystem(**KEYS, skip_instance_cache=True)
    with pytest.raises(s3wire.ParamError, match="bucket"):
        fs.sign("s3wire://bucket")


@given(
    protocol=st.sampled_from(["", "s3wire://", "s3://", "s3a://"]),
    bucket=st.from_regex(r"[a-z0-9][a-z0-9.-]{1,20}[a-z0-9]", fullmatch=True),
    parts=st.lists(st.text("abc-_.é ", min_size=1, max_size=5), max_size=4),
    trailing=st.booleans(),
)
def test_paths_split_into_bucket_and_key(
    protocol: str, bucket: str, parts: list[str], trailing: bool
) -> None:
    key = "/".join(parts)
    url = protocol + bucket + ("/" + key if key else "") + ("/" if trailing else "")
    stripped = paths.strip_protocol(url)
    assert paths.split(stripped) == (bucket, key)
    assert S3WireFileSystem._strip_protocol(url) == stripped


@given(
    path=st.text("ab/?=.é", min_size=1, max_size=12).filter(lambda p: "?versionId=" not in p),
    version_id=st.one_of(st.none(), st.text("AZaz09._-", min_size=1, max_size=12)),
)
def test_a_version_id_goes_in_and_out_of_a_path(path: str, version_id: str | None) -> None:
    assert paths.split_version(paths.with_version(path, version_id)) == (path, version_id)


def test_only_a_version_aware_filesystem_takes_version_ids() -> None:
    aware = S3WireFileSystem(**KEYS, version_aware=True, skip_instance_cache=True)
    assert aware._versioned("s3wire://b/k?versionId=v1") == ("b/k", "v1")
    assert aware._versioned("b/k", "v2") == ("b/k", "v2")
    plain = S3WireFileSystem(**KEYS, skip_instance_cache=True)
    assert plain._versioned("b/k?versionId=v1") == ("b/k?versionId=v1", None)  # a key's name
    with pytest.raises(s3wire.ParamError, match="version_aware"):
        plain._versioned("b/k", "v1")
    with pytest.raises(s3wire.ParamError, match="cannot be written"):
        aware._unversioned("b/k?versionId=v1")


def test_parents_lie_between_the_top_and_the_path() -> None:
    assert paths.parents("b/x/y/z", "b") == ["b/x", "b/x/y"]
    assert paths.parents("b/x", "b") == []
    assert paths.parents("b/x/y/z", "b/x") == ["b/x/y"]


def test_error_answers_become_the_exceptions_fsspec_expects() -> None:
    def answer(status: int) -> s3wire.Response[dict[str, object], dict[str, object]]:
        return s3wire.Response(status=status, response={}, headers={}, body=b"", fields={})

    with pytest.raises(FileNotFoundError) as missing:
        checked(answer(404), "b/k")
    assert isinstance(missing.value, FileNotFoundS3Error)
    assert isinstance(missing.value, s3wire.S3wireError)
    with pytest.raises(FileExistsS3Error):
        checked(answer(412), "b/k")
    with pytest.raises(PermissionError):
        checked(answer(403), "b/k")
    with pytest.raises(s3wire.S3Error):
        checked(answer(500), "b/k")
    assert checked(answer(200), "b/k").status == 200


def served(data: bytes, wanted: str | None) -> bytes:
    """What S3 answers a GET with that Range: the bytes a-b (b clipped), or 416 (no bytes)
    when a is at or past the end."""
    if wanted is None:
        return data
    first, _, last = wanted.removeprefix("bytes=").partition("-")
    if int(first) >= len(data):
        return b""  # 416 Requested Range Not Satisfiable: cat_file answers b""
    return data[int(first) : int(last) + 1 if last else None]


bound = st.none() | st.integers(-40, 40)


@given(data=st.binary(max_size=30), start=bound, end=bound)
def test_the_range_header_answers_what_python_slices(
    data: bytes, start: int | None, end: int | None
) -> None:
    wanted = ranges.header(start, end, len(data))
    got = b"" if wanted == "" else served(data, wanted)
    assert got == data[start:end]
    if not ranges.needs_size(start, end):
        assert ranges.header(start, end) == wanted  # no size needed
