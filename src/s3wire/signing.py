"""AWS Signature Version 4 signing for S3: Authorization headers and presigned query strings.

Paths are signed as sent (no dot-segment normalisation), as S3 requires. hashlib and hmac are
imported by the first signature, not by building a client.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING
from urllib.parse import quote

from .errors import ParamError

if TYPE_CHECKING:
    from datetime import datetime

ALGORITHM = "AWS4-HMAC-SHA256"
EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"  # of b""
UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD"
MAX_PRESIGN_EXPIRES = 7 * 24 * 3600

# Headers that proxies or the HTTP stack may add, drop or rewrite: never signed by sign_headers.
_UNSIGNED_HEADERS = frozenset(
    {"user-agent", "expect", "transfer-encoding", "content-length", "connection", "x-amzn-trace-id"}
)
# Headers whose values the signer itself supplies (names lowercased): sign_headers ignores
# given copies; a client refuses them (validate.header_fields).
SIGNER_HEADERS = frozenset(
    {
        "authorization",
        "host",
        "x-amz-date",
        "x-amz-content-sha256",
        "x-amz-security-token",
        "x-amz-s3session-token",
    }
)
# Where a session token goes: STS's temporary credentials, or an S3 Express session's.
SECURITY_TOKEN = "x-amz-security-token"
S3_SESSION_TOKEN = "x-amz-s3session-token"
_SKIPPED_HEADERS = _UNSIGNED_HEADERS | SIGNER_HEADERS
_KEY_CACHE_SIZE = 4
_AMZ_DATE = "%Y%m%dT%H%M%SZ"


def uri_encode(value: str, *, keep_slash: bool = False) -> str:
    """SigV4 URI encoding: UTF-8 bytes, A-Z a-z 0-9 - . _ ~ unescaped, everything else %XX
    uppercase; '/' kept only if keep_slash."""
    # quote() always leaves exactly the unreserved set (letters, digits, "-._~") unescaped.
    return quote(value, safe="/" if keep_slash else "")


def encode_path(raw_path: str) -> str:
    """Encode a raw (decoded) path like '/bucket/dir/a b+c%.txt' once, keeping '/' -- S3 style,
    no dot-segment normalisation, no double encoding. An empty path becomes '/'."""
    return quote(raw_path, safe="/") or "/"


def canonical_query(pairs: Iterable[tuple[str, str]]) -> str:
    """Encode each key and value with uri_encode, sort by encoded key then encoded value, join
    as k=v&k=v (a key with empty value gives 'k=')."""
    encoded = sorted((quote(k, safe=""), quote(v, safe="")) for k, v in pairs)
    return "&".join([f"{k}={v}" for k, v in encoded])


def canonical_headers(headers: Iterable[tuple[str, str]]) -> tuple[str, str]:
    """Return (canonical header block, signed header list) for exactly the headers given.

    Names are lowercased; values are trimmed with inner whitespace runs collapsed to one space;
    repeated names are joined with ',' in the given order; names are sorted.
    """
    merged: dict[str, list[str]] = {}
    for name, value in headers:
        merged.setdefault(name.lower(), []).append(" ".join(value.split()))
    names = sorted(merged)
    block = "".join([f"{name}:{','.join(merged[name])}\n" for name in names])
    return block, ";".join(names)


def canonical_request(
    method: str,
    encoded_path: str,
    query: str,
    header_block: str,
    signed_headers: str,
    payload_hash: str,
) -> str:
    """Assemble the canonical request from its already-canonical parts."""
    return f"{method}\n{encoded_path}\n{query}\n{header_block}\n{signed_headers}\n{payload_hash}"


def string_to_sign(amz_date: str, scope: str, canonical_req: str) -> str:
    """Return the string to sign for a canonical request at amz_date (YYYYMMDDTHHMMSSZ)."""
    import hashlib

    digest = hashlib.sha256(canonical_req.encode()).hexdigest()
    return f"{ALGORITHM}\n{amz_date}\n{scope}\n{digest}"


def signing_key(secret_key: str, datestamp: str, region: str, service: str) -> bytes:
    """Derive the SigV4 signing key for a date (YYYYMMDD), region and service."""
    import hmac

    key = hmac.digest(f"AWS4{secret_key}".encode(), datestamp.encode(), "sha256")
    key = hmac.digest(key, region.encode(), "sha256")
    key = hmac.digest(key, service.encode(), "sha256")
    return hmac.digest(key, b"aws4_request", "sha256")


def format_amz_date(now: datetime | None = None) -> str:
    """Format now (default: the current time; naive means UTC) as YYYYMMDDTHHMMSSZ."""
    if now is None:
        return time.strftime(_AMZ_DATE, time.gmtime())
    if now.tzinfo is not None:
        from datetime import timezone  # loaded already: the caller made a datetime

        now = now.astimezone(timezone.utc)
    return now.strftime(_AMZ_DATE)


def _items(headers: Mapping[str, str] | Iterable[tuple[str, str]]) -> Iterable[tuple[str, str]]:
    return headers.items() if isinstance(headers, Mapping) else headers


class Signer:
    """Signs requests for one set of credentials, region and service."""

    __slots__ = (
        "_keys",
        "_secret_key",
        "_session_token",
        "_token_header",
        "access_key",
        "region",
        "service",
    )

    def __init__(
        self,
        access_key: str,
        secret_key: str,
        region: str,
        service: str = "s3",
        session_token: str | None = None,
        token_header: str = SECURITY_TOKEN,
    ) -> None:
        """`token_header` is where the session token goes (S3_SESSION_TOKEN for an S3 Express
        session's keys)."""
        self.access_key = access_key
        self.region = region
        self.service = service
        self._secret_key = secret_key
        self._session_token = session_token or None
        self._token_header = token_header
        self._keys: dict[str, bytes] = {}

    def __repr__(self) -> str:
        return (
            f"Signer(access_key={self.access_key!r}, region={self.region!r}, "
            f"service={self.service!r})"
        )

    def for_scope(self, region: str, service: str) -> Signer:
        """A signer with the same keys for another region or service (this one if the same)."""
        if (region, service) == (self.region, self.service):
            return self
        return Signer(
            self.access_key,
            self._secret_key,
            region,
            service,
            self._session_token,
            self._token_header,
        )

    def scope(self, datestamp: str) -> str:
        """Return the credential scope (without access key) for a date (YYYYMMDD)."""
        return f"{datestamp}/{self.region}/{self.service}/aws4_request"

    def signature(self, text: str, datestamp: str) -> str:
        """Return the hex signature of a string to sign, with the signing key cached per date."""
        import hmac

        key = self._keys.get(datestamp)
        if key is None:
            if len(self._keys) >= _KEY_CACHE_SIZE:
                self._keys.clear()
            key = signing_key(self._secret_key, datestamp, self.region, self.service)
            self._keys[datestamp] = key
        return hmac.digest(key, text.encode(), "sha256").hex()

    def authorization(
        self,
        method: str,
        encoded_path: str,
        query: str,
        headers: Iterable[tuple[str, str]],
        payload_hash: str,
        amz_date: str,
    ) -> str:
        """Return the Authorization header value signing exactly `headers` (which must already
        include host and x-amz-date)."""
        block, signed = canonical_headers(headers)
        creq = canonical_request(method, encoded_path, query, block, signed, payload_hash)
        datestamp = amz_date[:8]
        scope = self.scope(datestamp)
        signature = self.signature(string_to_sign(amz_date, scope, creq), datestamp)
        return (
            f"{ALGORITHM} Credential={self.access_key}/{scope}, "
            f"SignedHeaders={signed}, Signature={signature}"
        )

    def sign_headers(
        self,
        method: str,
        host: str,
        encoded_path: str,
        query: str,
        headers: Mapping[str, str] | Iterable[tuple[str, str]],
        payload_hash: str,
        *,
        now: datetime | None = None,
    ) -> dict[str, str]:
        """Return the headers to add to the request: Authorization, x-amz-date,
        x-amz-content-sha256 (= payload_hash) and, with a session token, x-amz-security-token
        (or the signer's token_header).

        `host` is the Host header value (with ':port' when non-default); `query` is the
        canonical query string (see canonical_query), signed as-is. Every given header is signed
        except user-agent, expect, transfer-encoding, content-length, connection and
        x-amzn-trace-id; given values of the headers the signer supplies (SIGNER_HEADERS, any
        case) are ignored: merge the answer in place of them.
        """
        amz_date = format_amz_date(now)
        added = {"x-amz-date": amz_date, "x-amz-content-sha256": payload_hash}
        if self._session_token is not None:
            added[self._token_header] = self._session_token
        to_sign = [(k, v) for k, v in _items(headers) if k.lower() not in _SKIPPED_HEADERS]
        to_sign.append(("host", host))
        to_sign.extend(added.items())
        added["Authorization"] = self.authorization(
            method, encoded_path, query, to_sign, payload_hash, amz_date
        )
        return added

    def presign(
        self,
        method: str,
        host: str,
        encoded_path: str,
        query_pairs: Iterable[tuple[str, str]],
        expires: int,
        *,
        headers: Mapping[str, str] | Iterable[tuple[str, str]] | None = None,
        payload_hash: str = UNSIGNED_PAYLOAD,
        now: datetime | None = None,
    ) -> str:
        """Return the full query string to append after '?' for a presigned URL.

        It holds the given pairs plus the X-Amz-* authentication parameters, canonically encoded
        and sorted, then '&X-Amz-Signature=...'. Signed headers are host plus all of `headers`
        (a given host header is ignored); the requester must send exactly those values.
        """
        if not 1 <= expires <= MAX_PRESIGN_EXPIRES:
            raise ParamError(f"expires must be 1..{MAX_PRESIGN_EXPIRES} seconds, got {expires}")
        amz_date = format_amz_date(now)
        datestamp = amz_date[:8]
        scope = self.scope(datestamp)
        to_sign = [("host", host)]
        if headers is not None:
            to_sign += [(k, v) for k, v in _items(headers) if k.lower() != "host"]
        block, signed = canonical_headers(to_sign)
        pairs = list(query_pairs)
        pairs += [
            ("X-Amz-Algorithm", ALGORITHM),
            ("X-Amz-Credential", f"{self.access_key}/{scope}"),
            ("X-Amz-Date", amz_date),
            ("X-Amz-Expires", str(expires)),
            ("X-Amz-SignedHeaders", signed),
        ]
        if self._session_token is not None:
            pairs.append(("X-Amz-Security-Token", self._session_token))
        query = canonical_query(pairs)
        creq = canonical_request(method, encoded_path, query, block, signed, payload_hash)
        signature = self.signature(string_to_sign(amz_date, scope, creq), datestamp)
        return f"{query}&X-Amz-Signature={signature}"
