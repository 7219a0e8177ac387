"""What usually causes an S3 error answer or a connection failure: one line after the error.

The hints are fixed text (never anything from the answer, the command line or the settings),
so they cannot carry a secret.
"""

from __future__ import annotations

import sys
from typing import Any

from ..errors import S3Error
from ..response import Response

_ENDPOINT = "the endpoint URL (--endpoint-url, S3WIRE_URL, AWS_ENDPOINT_URL, the profile's)"

# By the error code of the answer (for a HEAD, which answers no code, the one s3wire names).
ERROR_HINTS: dict[str, str] = {
    "SignatureDoesNotMatch": (
        "the signature did not match: usually the secret key (S3WIRE_SECRET_KEY, "
        "AWS_SECRET_ACCESS_KEY, the profile's), the region (--region), or this machine's clock"
    ),
    "InvalidAccessKeyId": (
        "the server does not know the access key: check it (S3WIRE_ACCESS_KEY, AWS_ACCESS_KEY_ID) "
        "or the profile (--profile, AWS_PROFILE), and that the endpoint is the key's server"
    ),
    "AccessDenied": (
        "usually the key's permissions (its IAM policy), the bucket's policy or ACL, or keys of "
        "another account than the bucket's"
    ),
    "Forbidden": (
        "a 403 without a code (HEAD answers none): usually the key's permissions, a bucket "
        "policy, or the keys, region or clock the request was signed with"
    ),
    "NoSuchBucket": (
        f"check the bucket's name, and the region (--region) or {_ENDPOINT}: the bucket may be "
        "on another server"
    ),
    "NotFound": (
        "a 404 without a code (HEAD answers none): check the name of the bucket (and key), "
        "and the region or endpoint"
    ),
    "NoSuchKey": (
        "check the key: keys are case-sensitive, a leading / is part of the key, and the "
        "object may have been deleted"
    ),
    "ExpiredToken": (
        "the session credentials have expired: get fresh ones (for an SSO profile: aws sso "
        "login --profile NAME)"
    ),
    "RequestTimeTooSkewed": (
        "this machine's clock is more than 15 minutes off the server's: set it right (NTP)"
    ),
    "PermanentRedirect": (
        "the bucket is in another region: give it with --region (the answer's "
        "x-amz-bucket-region header names it), or use that region's endpoint"
    ),
    "AuthorizationHeaderMalformed": (
        "usually the region: the request was signed for one that is not the bucket's (--region)"
    ),
}

# By the class of a connection failure or of its cause (an OSError), matched by name to leave
# ssl unimported until a connection needs it; the first that fits.
FAILURE_HINTS: tuple[tuple[str, str], ...] = (
    ("ConnectTimeoutError", f"nothing answered in time: check the host and port of {_ENDPOINT}"),
    (
        "ConnectionRefusedError",
        f"nothing listens at that address: check the host and port of {_ENDPOINT}, and that "
        "the server runs",
    ),
    ("gaierror", f"the host name does not resolve: check {_ENDPOINT}, and the network's DNS"),
    (
        "SSLCertVerificationError",
        "the server's TLS certificate does not verify: check the endpoint's host name, or give "
        "a CA bundle (AWS_CA_BUNDLE, the profile's ca_bundle)",
    ),
    (
        "SSLError",
        f"the TLS handshake failed: check the scheme (http or https) and port of {_ENDPOINT}",
    ),
)


def for_code(code: str) -> str | None:
    """The hint for an S3 error code, if there is one."""
    return ERROR_HINTS.get(code)


def for_response(response: Response[Any, Any]) -> str | None:
    """The hint for an error answer (None for a success)."""
    try:
        response.raise_for_status()
    except S3Error as exc:
        return for_code(exc.code)
    return None


def for_failure(exc: BaseException) -> str | None:
    """The hint for a request that got no answer, by the failure or what caused it."""
    names: set[str] = set()
    cause: BaseException | None = exc
    while cause is not None:
        names.update(cls.__name__ for cls in type(cause).__mro__)
        cause = cause.__cause__
    return next((hint for name, hint in FAILURE_HINTS if name in names), None)


def show(hint: str | None) -> None:
    """Print a hint on stderr, after the error it is about (nothing for None)."""
    if hint is not None:
        print(f"s3wire: hint: {hint}", file=sys.stderr)
