"""The proxy the environment names for a request (HTTP_PROXY, HTTPS_PROXY, ALL_PROXY, NO_PROXY),
chosen as requests chose it."""

from __future__ import annotations

import os
import sys


def proxy_for(scheme: str, netloc: str) -> str | None:
    """The proxy the environment names for this scheme and host, as requests chose it: none
    when NO_PROXY covers the host. Where only the environment can name one (not macOS or
    Windows, whose system settings urllib.request reads too) and it names none, urllib.request
    (a tenth of a command's start-up) is not imported."""
    if sys.platform not in ("darwin", "win32") and not any(
        name.lower().endswith("_proxy") and name.lower() != "no_proxy" and value
        for name, value in os.environ.items()
    ):
        return None
    import urllib.request

    proxies = urllib.request.getproxies()
    proxy = proxies.get(scheme) or proxies.get("all")
    if not proxy or urllib.request.proxy_bypass(netloc):
        return None
    return proxy if "://" in proxy else f"http://{proxy}"
