"""S3 servers for s3wire's tests, demo and benchmarks.

Three kinds of server:

* ``radosgw``: a throw-away Ceph radosgw started by ``scripts/radosgw.sh`` (needs the Debian
  packages, which the script installs as root). A real S3 implementation that checks every
  signature; the reference target for signing, presigning and data-integrity tests.
* ``moto``: moto's S3 emulator in a child process, with authentication off. Broader API coverage,
  no root needed, but it is an emulator.
* ``external``: any server named by the ``S3WIRE_TEST_*`` environment variables.
"""

from __future__ import annotations

import atexit
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "S3Server",
    "external_server_from_env",
    "free_port",
    "grant_admin_caps",
    "start_moto",
    "start_radosgw",
    "stop_process",
    "stop_radosgw",
]

REGION = "us-east-1"
RADOSGW_SCRIPT = Path(__file__).resolve().parent / "radosgw.sh"
RADOSGW_DEFAULT_PORT = 7480
RADOSGW_DEFAULT_ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE"
RADOSGW_DEFAULT_SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
RADOSGW_DEFAULT_DNS_NAME = "s3wire.test"
RADOSGW_SCRIPT_TIMEOUT = 600.0  # install may run apt-get; start itself gives up after 60 s
MOTO_START_TIMEOUT = 20.0
LOCAL_HOSTS = ("127.0.0.1", "localhost", ".s3wire.test")


@dataclass(frozen=True)
class S3Server:
    """Where a test S3 server is and how to sign requests for it."""

    url: str  # e.g. "http://127.0.0.1:7480", no trailing slash
    access_key: str
    secret_key: str
    region: str  # "us-east-1"
    dns_name: str | None  # radosgw's `rgw dns name` for virtual-hosted-style tests; None for moto
    kind: str  # "radosgw" | "moto" | "external"

    def __repr__(self) -> str:
        return (
            f"S3Server(url={self.url!r}, access_key={self.access_key!r}, secret_key='***', "
            f"region={self.region!r}, dns_name={self.dns_name!r}, kind={self.kind!r})"
        )


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _bypass_proxy_for_local_hosts() -> None:
    """Make sure no HTTP proxy from the environment sits between the tests and local servers."""
    for name in ("NO_PROXY", "no_proxy"):
        entries = [e.strip() for e in os.environ.get(name, "").split(",") if e.strip()]
        entries += [host for host in LOCAL_HOSTS if host not in entries]
        os.environ[name] = ",".join(entries)


def _answers_http(url: str, timeout: float = 2.0) -> bool:
    """True when something at ``url`` answers HTTP, whatever the status code."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=timeout):
            return True
    except urllib.error.HTTPError:
        return True  # an error status is an answer
    except (OSError, ValueError):
        return False


def _run_radosgw_script(command: str, env: dict[str, str]) -> str:
    try:
        result = subprocess.run(
            ["bash", str(RADOSGW_SCRIPT), command],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            timeout=RADOSGW_SCRIPT_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        output = exc.output.decode(errors="replace") if isinstance(exc.output, bytes) else ""
        raise RuntimeError(
            f"{RADOSGW_SCRIPT.name} {command} timed out after {RADOSGW_SCRIPT_TIMEOUT:.0f} s:\n"
            f"{output}"
        ) from exc
    output = result.stdout.decode(errors="replace")
    if result.returncode != 0:
        raise RuntimeError(
            f"{RADOSGW_SCRIPT.name} {command} failed (exit {result.returncode}):\n{output}"
        )
    return output


def start_radosgw(port: int | None = None) -> S3Server:
    """Install (if needed) and start the throw-away radosgw; returns once it serves S3 requests.

    Settings come from the ``S3WIRE_RGW_*`` environment variables that ``scripts/radosgw.sh``
    reads; ``port`` overrides ``S3WIRE_RGW_PORT``. Starting again restarts with empty storage.
    Raises RuntimeError, with the script's output, when the server cannot be started.
    """
    _bypass_proxy_for_local_hosts()
    env = dict(os.environ)
    if port is not None:
        env["S3WIRE_RGW_PORT"] = str(port)
    _run_radosgw_script("install", env)
    _run_radosgw_script("start", env)
    actual_port = int(env.get("S3WIRE_RGW_PORT") or RADOSGW_DEFAULT_PORT)
    return S3Server(
        url=f"http://127.0.0.1:{actual_port}",
        access_key=env.get("S3WIRE_RGW_ACCESS_KEY") or RADOSGW_DEFAULT_ACCESS_KEY,
        secret_key=env.get("S3WIRE_RGW_SECRET_KEY") or RADOSGW_DEFAULT_SECRET_KEY,
        region=REGION,
        dns_name=env.get("S3WIRE_RGW_DNS_NAME") or RADOSGW_DEFAULT_DNS_NAME,
        kind="radosgw",
    )


def stop_radosgw() -> None:
    """Stop the radosgw started by start_radosgw() and delete its data."""
    _run_radosgw_script("stop", dict(os.environ))


def grant_admin_caps(server: S3Server) -> None:
    """Give the server's user the admin API's read capabilities (``radosgw.sh admin-caps``): a
    radosgw of ``scripts/radosgw.sh``, whose state directory ``S3WIRE_RGW_DIR`` names."""
    _run_radosgw_script("admin-caps", {**os.environ, "S3WIRE_RGW_ACCESS_KEY": server.access_key})


def _moto_command(port: int) -> list[str]:
    executable = shutil.which("moto_server")
    if executable is None:
        return [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)]
    return [executable, "-H", "127.0.0.1", "-p", str(port)]


def start_moto(port: int | None = None) -> tuple[S3Server, subprocess.Popen[bytes]]:
    """Start moto's S3 emulator (``pip install 'moto[server]'``) on 127.0.0.1.

    Authentication is off, so any credentials work. Stop it with ``stop_process(proc)`` (it is
    also stopped when the Python process exits normally).
    Raises RuntimeError, with the server's output, if it does not answer within 20 s.
    """
    _bypass_proxy_for_local_hosts()
    port = free_port() if port is None else port
    url = f"http://127.0.0.1:{port}"
    if _answers_http(f"{url}/"):
        raise RuntimeError(f"port {port} is already in use by another HTTP server")
    # moto logs every request; the log is kept (in an unlinked file) only to explain a failed start
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(
            _moto_command(port), stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + MOTO_START_TIMEOUT
        while not _answers_http(f"{url}/"):
            exited = proc.poll() is not None
            if exited or time.monotonic() > deadline:
                stop_process(proc)
                log.seek(0)
                output = log.read().decode(errors="replace")
                why = f"exited with status {proc.returncode}" if exited else "did not answer"
                raise RuntimeError(f"moto server on port {port} {why}:\n{output}")
            time.sleep(0.05)
    atexit.register(stop_process, proc)  # in case the caller never gets to stop it
    server = S3Server(
        url=url,
        access_key="testing",
        secret_key="testing",
        region=REGION,
        dns_name=None,
        kind="moto",
    )
    return server, proc


def stop_process(proc: subprocess.Popen[bytes], timeout: float = 5.0) -> None:
    """Terminate a server process, killing it if it does not exit within ``timeout`` seconds."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def external_server_from_env() -> S3Server | None:
    """The server named by ``S3WIRE_TEST_ENDPOINT`` and friends, or None when it is unset."""
    endpoint = os.environ.get("S3WIRE_TEST_ENDPOINT", "").strip()
    if not endpoint:
        return None
    _bypass_proxy_for_local_hosts()
    return S3Server(
        url=endpoint.rstrip("/"),
        access_key=os.environ.get("S3WIRE_TEST_ACCESS_KEY", ""),
        secret_key=os.environ.get("S3WIRE_TEST_SECRET_KEY", ""),
        region=os.environ.get("S3WIRE_TEST_REGION") or REGION,
        dns_name=os.environ.get("S3WIRE_TEST_DNS_NAME") or None,
        kind="external",
    )
