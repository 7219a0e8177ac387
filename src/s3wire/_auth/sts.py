"""AWS STS's Query API: AssumeRole (signed with the source's credentials, SigV4 service "sts")
and AssumeRoleWithWebIdentity (unsigned). The answer's XML gives the role's credentials; an
error answer's code and message go in the CredentialsError (STS never echoes secrets there)."""

from __future__ import annotations

import hashlib
from urllib.parse import urlencode, urlsplit

from ..credentials_api import Credentials
from ..errors import CredentialsError
from . import http
from .expiry import parse_timestamp
from .keys import check

VERSION = "2011-06-15"
TIMEOUT = 10.0
_FORM = "application/x-www-form-urlencoded; charset=utf-8"


def call(
    source: str,
    action: str,
    params: dict[str, str],
    *,
    endpoint: str,
    region: str,
    signer_credentials: Credentials | None,
) -> Credentials:
    """Call an STS action; the credentials of its answer."""
    from ..signing import Signer

    body = urlencode({"Action": action, "Version": VERSION, **params}).encode()
    headers = {"Content-Type": _FORM}
    if signer_credentials is not None:
        host = urlsplit(endpoint).netloc
        signer = Signer(
            signer_credentials.access_key,
            signer_credentials.secret_key,
            region,
            "sts",
            signer_credentials.session_token,
        )
        digest = hashlib.sha256(body).hexdigest()
        headers.update(signer.sign_headers("POST", host, "/", "", headers, digest))
        headers["Host"] = host
    status, content = http.exchange(source, "POST", endpoint + "/", headers, body, timeout=TIMEOUT)
    fields = _fields(source, content)
    if status != 200:
        code = fields.get("Code") or str(status)
        message = fields.get("Message", "")[:300]
        raise CredentialsError(
            source, f"STS {action} answered {status} {code}: {message}".rstrip(": ")
        )
    keys = fields.get("AccessKeyId"), fields.get("SecretAccessKey")
    if not all(keys):
        raise CredentialsError(source, f"STS {action} answered no credentials")
    expiration = fields.get("Expiration")
    made = Credentials(
        str(keys[0]),
        str(keys[1]),
        fields.get("SessionToken") or None,
        None if expiration is None else parse_timestamp(expiration, source),
    )
    check(made, source)
    return made


def _fields(source: str, content: bytes) -> dict[str, str]:
    """The text of each leaf element, by local name (the first of each name)."""
    from defusedxml import DefusedXmlException, ElementTree

    try:
        root = ElementTree.fromstring(content)
    except (ElementTree.ParseError, DefusedXmlException, LookupError, ValueError):
        if not content:
            return {}
        raise CredentialsError(source, "STS answered something that is not XML") from None
    found: dict[str, str] = {}
    for element in root.iter():
        name = element.tag.rpartition("}")[2]
        if len(element) == 0 and name not in found:
            found[name] = (element.text or "").strip()
    return found
