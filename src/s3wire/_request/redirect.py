"""Region redirects: S3 saying that a bucket lives in another region than the one signed for."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from ..response import Response
from .answer import ERROR_ROOT, error_code

REDIRECT_CODES = frozenset({"PermanentRedirect", "TemporaryRedirect"})
# Patterns as text, compiled by `re` on first use (redirects are rare): importing compiles none.
_HOST = r"[a-z0-9.-]+"  # a DNS name, as urlsplit answers it: lowercased
_REGION = r"[a-z0-9][a-z0-9-]{0,62}"  # matched whole
# An AWS S3 endpoint, optionally after a bucket: s3.amazonaws.com, s3.eu-west-1.amazonaws.com,
# s3-eu-west-1.amazonaws.com, s3.dualstack.eu-west-1.amazonaws.com, s3-fips.us-east-1... Searched
# for, so it ends with \Z: "$" would also match before a trailing newline.
_AWS_ENDPOINT = (
    r"(?P<lead>^|\.)(?P<service>s3(?:-fips)?(?:\.dualstack)?)(?:[.-][a-z]{2}(?:-[a-z]+)+-\d+)?"
    r"(?P<tail>\.amazonaws\.com(?:\.cn)?(?::\d+)?)\Z"
)


def region_to_follow(answer: Response[Any, Any], signed_for: str) -> str | None:
    """The region to sign for instead, when the answer says the bucket lives in another region,
    named in its x-amz-bucket-region header or its body's Region: a 301 or 307
    (PermanentRedirect, TemporaryRedirect), a 400 AuthorizationHeaderMalformed, or a 301, 307 or
    400 with no error body at all (a HEAD's answer). None otherwise."""
    code = error_code(answer)
    if code:
        redirect = answer.status in (301, 307) and code in REDIRECT_CODES
        if not redirect and not (answer.status == 400 and code == "AuthorizationHeaderMalformed"):
            return None
    elif answer.status not in (301, 307, 400):
        return None
    named = answer.headers.get("x-amz-bucket-region")
    error = answer.response.get(ERROR_ROOT)
    if not named and isinstance(error, Mapping):
        named = error.get("Region")
    region = str(named or "").strip()
    if region == signed_for or not re.fullmatch(_REGION, region):
        return None
    return region


def host_for_region(host: str, region: str) -> str:
    """The host for a region: AWS endpoints get the region's endpoint (a virtual-hosted bucket
    kept in front); any other server's host stays as it is."""
    match = re.search(_AWS_ENDPOINT, host)
    if match is None:
        return host
    lead, service, tail = match["lead"], match["service"], match["tail"]
    return f"{host[: match.start()]}{lead}{service}.{region}{tail}"


def temporary_host(answer: Response[Any, Any], scheme: str, host: str) -> str | None:
    """The host a 307 Temporary Redirect sends the request to, when both it and `host` are AWS
    S3 endpoints and the scheme stays the same (a new bucket's name not yet in DNS everywhere);
    None otherwise: a signed request never follows a redirect off AWS, nor to plain http."""
    if answer.status != 307:
        return None
    location = answer.headers.get("Location") or ""
    try:
        split = urlsplit(location.strip())
        port = split.port
    except ValueError:
        return None
    moved = split.hostname or ""
    if split.scheme != scheme or moved == host.partition(":")[0].lower():
        return None
    if re.search(_AWS_ENDPOINT, moved) is None or re.search(_AWS_ENDPOINT, host) is None:
        return None
    if not re.fullmatch(_HOST, moved):
        return None
    return moved if port is None else f"{moved}:{port}"
