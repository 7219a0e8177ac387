"""The proxy the environment names for a request (HTTP_PROXY, HTTPS_PROXY, ALL_PROXY, NO_PROXY),
chosen as requests chose it."""

from __future__ import annotations


def proxy_for(scheme: str, netloc: str) -> str | None:
    """The proxy the environment names for this scheme and host, as requests chose it: none
    when NO_PROXY covers the host (urllib.request is imported on the first call)."""
    import urllib.request

    proxies = urllib.request.getproxies()
    proxy = proxies.get(scheme) or proxies.get("all")
    if not proxy or urllib.request.proxy_bypass(netloc):
        return None
    return proxy if "://" in proxy else f"http://{proxy}"
