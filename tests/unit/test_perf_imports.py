"""Start-up stays light: what `import s3wire` and building a client load (never timed)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"
# Heavy modules, and what only some calls need: none is loaded before a call needs it.
NEVER_AT_START = (
    "requests",
    "urllib3",
    "http.client",
    "ssl",
    "defusedxml",
    "xml.parsers.expat",
    "xml.etree.ElementTree",
    "xml.sax",
    "email.utils",
    "difflib",
    "s3wire.credentials",
    "s3wire._auth",  # the credential sources: from_env imports them
    "s3wire._generated.shape_types",
    "s3wire.testing",
    "s3wire.transport_api",  # the Transport protocol: type checkers need it, a client does not
    "s3wire.transfer",  # the transfer package: a transfer imports it when asked for
    "s3wire._http.pools",  # the urllib3 glue: the first request imports it
    "s3wire._request.target",  # Client.request's URL checks: its first call imports them
    "s3wire._request.presign",  # presigned URLs: the first one imports it
    "random",  # the retry jitter: the first retry imports it
    "math",
    "asyncio",  # the async client's: s3wire.AsyncClient imports it
    "s3wire.async_client",
    "s3wire._generated.async_operations",
    "s3wire._request.endpoints",  # access point ARNs and directory buckets: their first request
    "s3wire._auth.express",
    "s3wire.codegen",  # the generator and its dependencies: build time only
    "yaml",
    "jinja2",
)
# What the first request needs, not building a client: hashing and dates are imported then,
# and no module on the way builds its classes with dataclasses (which loads inspect, ast, dis).
FIRST_REQUEST = ("hashlib", "hmac", "datetime", "dataclasses", "inspect")
MAKE_CLIENT = (
    "import s3wire\n"
    "s3wire.Client(url='http://127.0.0.1:1', access_key='a', secret_key='b', region='r')"
)


def loaded_after(code: str, **environ: str) -> set[str]:
    """The modules a fresh interpreter holds after running code (with `environ` set)."""
    probe = f"import json, sys\n{code}\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(SRC), **environ},
    )
    return set(json.loads(out.stdout))


def test_importing_s3wire_loads_nothing_heavy() -> None:
    loaded = loaded_after("import s3wire")
    assert not loaded & {*NEVER_AT_START, "s3wire._generated.operations", "s3wire.client"}


def test_building_a_client_opens_no_connection_stack() -> None:
    loaded = loaded_after(MAKE_CLIENT)
    assert "s3wire._generated.operations" in loaded
    assert not loaded & set(NEVER_AT_START)


def test_building_a_client_leaves_hashing_and_dates_to_the_first_request() -> None:
    added = loaded_after(MAKE_CLIENT) - loaded_after("pass")  # whatever the site loads aside
    assert not added & set(FIRST_REQUEST)


# What the credential sources other than the environment need, logging, and dataclasses (which
# loads inspect, ast and dis): from_env with keys in the environment loads none of them.
OTHER_SOURCES = (
    "s3wire._auth.sso",
    "s3wire._auth.container",
    "s3wire._auth.imds",
    "s3wire._auth.process",
    "s3wire._auth.sts",  # assume role and web identity
    "subprocess",
    "tempfile",
    "logging",
    "dataclasses",
    "inspect",
)


def test_from_env_with_keys_in_the_environment_loads_no_other_source(tmp_path: Path) -> None:
    keys = {"AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "secret"}
    code = "import s3wire\ns3wire.Client.from_env(url='http://127.0.0.1:1', region='r')"
    loaded = loaded_after(code, HOME=str(tmp_path), **keys)
    assert "s3wire._auth.chain" in loaded
    assert not loaded & set(OTHER_SOURCES)


# Patterns compiled when a client is built: only those every request checks with. Compiling a
# pattern costs 50 us to 6 ms (a class over all of Unicode); the rest are compiled on first use.
COMPILED_AT_START = {"s3wire/validate.py", "s3wire/config.py"}


def test_building_a_client_compiles_only_the_patterns_every_request_uses() -> None:
    probe = (
        "import json, re, sys\n"
        "compile_, where = re._compile, set()\n"
        "def spy(pattern, flags):\n"
        "    where.add(sys._getframe(2).f_code.co_filename)  # who called re.compile\n"
        "    return compile_(pattern, flags)\n"
        "re._compile = spy\n"
        f"{MAKE_CLIENT}\n"
        "print(json.dumps(sorted(where)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(SRC)},
    )
    ours = {
        "/".join(Path(name).parts[-2:])
        for name in json.loads(out.stdout)
        if Path(name).is_relative_to(SRC)
    }
    assert ours <= COMPILED_AT_START


def test_public_names_resolve_lazily_to_their_modules() -> None:
    import s3wire
    from s3wire import errors

    assert s3wire.ParamError is errors.ParamError
    assert set(s3wire.__all__) <= set(dir(s3wire))
    for name in s3wire.__all__:
        assert getattr(s3wire, name) is not None


def test_response_typeddicts_are_there_when_asked_for() -> None:
    from s3wire._generated import shape_types, shapes
    from s3wire._generated.shapes import Object

    assert Object is shape_types.Object
    assert shapes.ListObjectsV2Output.__optional_keys__ >= {"ListBucketResult", "Error"}
    assert isinstance(shapes.LIST_OBJECTS_V2_RESULT_XML, dict)
    with pytest.raises(AttributeError, match="NoSuchShape"):
        shapes.NoSuchShape  # noqa: B018


def test_no_proxy_named_no_urllib_request() -> None:
    """With no *_proxy variable, choosing a request's proxy imports nothing (urllib.request
    and http.client are a tenth of a command's start-up)."""
    code = "from s3wire._http.proxies import proxy_for\nassert proxy_for('http', 'h:80') is None"
    loaded = loaded_after(code)  # its environment holds PYTHONPATH alone
    assert "urllib.request" not in loaded and "http.client" not in loaded


def test_the_transfer_workers_need_no_concurrent_futures() -> None:
    """run_parallel's threads are plain ones: concurrent.futures imports logging and queue."""
    code = (
        "from s3wire.transfer.workers import run_parallel\n"
        "done = []\n"
        "run_parallel(4, iter(range(10)), done.append)\n"
        "assert sorted(done) == list(range(10))"
    )
    assert not loaded_after(code) & {"concurrent.futures", "logging", "queue"}
