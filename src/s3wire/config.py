"""Connection data: building and checking it, and where a bucket's requests go."""

from __future__ import annotations

import re
from typing import Any, Final
from urllib.parse import urlsplit

from . import validate
from ._generated.endpoints import PARTITIONS
from .errors import ParamError

MIB = 1024 * 1024
DEFAULT_PART_SIZE = 20 * MIB
# An answer read into memory holds at most this much: far above a 1000-key listing (a few MiB
# at most) and the objects one reads whole; objects bigger than this are streamed into files.
DEFAULT_MAX_ANSWER_BYTES = 256 * MIB
MIN_ANSWER_BYTES = 64 * 1024  # room for any error answer and listing page
MAX_ATTEMPTS_LIMIT = 20
MAX_CONNECTIONS = 1024  # per host: far above what a server takes from one client
# The longest timeout or delay: 68 years, within what sockets, time_t and locks can wait for.
MAX_SECONDS = 2**31
ADDRESSING_STYLES = ("auto", "path", "virtual")
# request_checksum_calculation and response_checksum_validation, botocore's values.
CHECKSUM_WHEN = ("when_supported", "when_required")
# checksum_algorithm: what an upload's x-amz-checksum-* is, as S3 names it (docs/integrity.md).
CHECKSUM_ALGORITHMS = ("CRC32", "CRC32C", "CRC64NVME", "SHA1", "SHA256")
# What upload_file's checksum= takes: those, lowercase, or "md5" (Content-MD5 only).
UPLOAD_CHECKSUMS = ("md5", *(name.lower() for name in CHECKSUM_ALGORITHMS))
SECRET_FIELDS = frozenset({"secret_key", "session_token"})
_USERINFO = r"//[^/?#]*@"  # for messages only: compiled by re on first use
_REGION = re.compile(r"[A-Za-z0-9._-]+")  # matched whole
_DNS_BUCKET = re.compile(r"[a-z0-9][a-z0-9-]{1,61}[a-z0-9]")  # matched whole
# What a url's path prefix (a gateway behind a reverse proxy) is made of: URL-unreserved
# characters, sent as written and signed so.
_PREFIX_CHARACTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
DEFAULT_PORTS = {"http": 80, "https": 443}


class ConnectionData(dict[str, Any]):
    """The connection data: a plain JSON-serialisable dict whose repr hides the secrets."""

    def __repr__(self) -> str:
        shown = {k: ("***" if k in SECRET_FIELDS and v else v) for k, v in self.items()}
        return f"ConnectionData({shown!r})"


# The settings, in the order the connection data lists them.
SETTING_NAMES = (
    "url",
    "access_key",
    "secret_key",
    "region",
    "service",
    "addressing_style",
    "part_size",
    "session_token",
    "connect_timeout",
    "read_timeout",
    "total_timeout",
    "max_answer_bytes",
    "verify",
    "max_attempts",
    "retry_base_delay",
    "retry_max_delay",
    "request_checksum_calculation",
    "response_checksum_validation",
    "checksum_algorithm",
    "use_arn_region",
    "max_connections",
    "fsync_downloads",
)


class Settings:
    """Checked connection settings (read-only); build with `Settings.from_data`."""

    __slots__ = (*SETTING_NAMES, "_place")
    url: Final[str]
    access_key: Final[str]
    secret_key: Final[str]
    region: Final[str]
    service: Final[str]
    addressing_style: Final[str]
    part_size: Final[int]
    session_token: Final[str | None]
    connect_timeout: Final[float]
    read_timeout: Final[float]
    total_timeout: Final[float | None]
    max_answer_bytes: Final[int]
    verify: Final[bool | str]
    max_attempts: Final[int]
    retry_base_delay: Final[float]
    retry_max_delay: Final[float]
    request_checksum_calculation: Final[str]
    response_checksum_validation: Final[str]
    checksum_algorithm: Final[str]
    use_arn_region: Final[bool]
    max_connections: Final[int]
    fsync_downloads: Final[bool]
    _place: tuple[str, str, str, bool]  # _url_parts, once read

    def __init__(
        self,
        url: str,
        access_key: str,
        secret_key: str,
        region: str,
        service: str = "s3",
        addressing_style: str = "auto",
        part_size: int = DEFAULT_PART_SIZE,
        session_token: str | None = None,
        connect_timeout: float = 10.0,
        read_timeout: float = 60.0,
        total_timeout: float | None = None,
        max_answer_bytes: int = DEFAULT_MAX_ANSWER_BYTES,
        verify: bool | str = True,
        max_attempts: int = 4,
        retry_base_delay: float = 0.5,
        retry_max_delay: float = 20.0,
        request_checksum_calculation: str = "when_supported",
        response_checksum_validation: str = "when_supported",
        checksum_algorithm: str = "CRC32",
        use_arn_region: bool = False,
        max_connections: int = 10,
        fsync_downloads: bool = True,
    ) -> None:
        self.url = url
        self.access_key = access_key
        self.secret_key = secret_key
        self.region = region
        self.service = service
        self.addressing_style = addressing_style
        self.part_size = part_size
        self.session_token = session_token
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self.total_timeout = total_timeout
        self.max_answer_bytes = max_answer_bytes
        self.verify = verify
        self.max_attempts = max_attempts
        self.retry_base_delay = retry_base_delay
        self.retry_max_delay = retry_max_delay
        self.request_checksum_calculation = request_checksum_calculation
        self.response_checksum_validation = response_checksum_validation
        self.checksum_algorithm = checksum_algorithm
        self.use_arn_region = use_arn_region
        self.max_connections = max_connections
        self.fsync_downloads = fsync_downloads

    @classmethod
    def from_data(cls, data: Any, *, keys_optional: bool = False) -> Settings:
        """Check connection data (a mapping, as from get_data_structure) and build Settings.

        With `keys_optional` (a client given a credential provider) access_key and secret_key
        may be absent; they are "" then.
        """
        if not hasattr(data, "keys"):
            raise ParamError(f"connection data must be a mapping, not {type(data).__name__}")
        unknown = sorted(map(str, set(data.keys()) - set(SETTING_NAMES)))
        if unknown:
            raise ParamError(
                f"unknown connection option(s): {', '.join(unknown)}; "
                f"known: {', '.join(sorted(SETTING_NAMES))}"
            )
        needed = (
            ("url", "region") if keys_optional else ("url", "access_key", "secret_key", "region")
        )
        missing = [name for name in needed if not data.get(name)]
        if missing:
            raise ParamError(f"connection data needs non-empty: {', '.join(missing)}")
        if keys_optional:
            data = {"access_key": "", "secret_key": "", **data}
            if bool(data["access_key"]) != bool(data["secret_key"]):
                raise ParamError("access_key and secret_key go together: only one of them is set")
        settings = cls(**data)
        settings._check()
        return settings

    def to_data(self) -> ConnectionData:
        """The connection data these settings were built from, defaults filled in."""
        return ConnectionData({name: getattr(self, name) for name in SETTING_NAMES})

    def _check(self) -> None:
        for name in ("url", "access_key", "secret_key", "region", "service"):
            if not isinstance(getattr(self, name), str):
                raise ParamError(f"{name} must be a str")
        blank = next((i for i, c in enumerate(self.url) if c.isspace() or not c.isprintable()), -1)
        if blank >= 0:  # urlsplit would drop a tab or line break silently
            raise ParamError(f"url holds white space or a control character at index {blank}")
        if not _REGION.fullmatch(self.region):
            raise ParamError(
                "region must be letters, digits, '.', '-' and '_' (it goes in the signature's "
                f"scope and in host names); got {self.region[:64]!r}"
            )
        try:
            split = urlsplit(self.url)
        except ValueError as exc:
            raise ParamError(f"url is not a URL ({exc}); got {_shown_url(self.url)!r}") from None
        if split.scheme not in DEFAULT_PORTS or not split.hostname:
            raise ParamError(
                "url must look like http(s)://host[:port][/path-prefix]; got "
                f"{_shown_url(self.url)!r}"
            )
        if split.query or split.fragment or "?" in self.url or "#" in self.url:
            raise ParamError(
                f"url must not carry a query or fragment; got {_shown_url(self.url)!r}"
            )
        _check_path_prefix(split.path, self.url)
        if split.username or split.password:
            raise ParamError("url must not carry credentials; use access_key and secret_key")
        try:
            split.port  # noqa: B018 (urlsplit checks the port only when asked)
        except ValueError:
            raise ParamError(f"url has a bad port: {_shown_url(self.url)!r}") from None
        if self.addressing_style not in ADDRESSING_STYLES:
            raise ParamError(f"addressing_style must be one of {', '.join(ADDRESSING_STYLES)}")
        if isinstance(self.part_size, bool) or not isinstance(self.part_size, int):
            raise ParamError("part_size must be an int (bytes)")
        if not 5 * MIB <= self.part_size <= 5 * 1024 * MIB:
            raise ParamError("part_size must be between 5 MiB and 5 GiB (S3's part limits)")
        for name in ("connect_timeout", "read_timeout"):
            if not _seconds(getattr(self, name)) or getattr(self, name) == 0:
                raise ParamError(f"{name} must be a positive number of seconds")
        if self.total_timeout is not None and (
            not _seconds(self.total_timeout) or self.total_timeout == 0
        ):
            raise ParamError("total_timeout must be a positive number of seconds, or None (off)")
        answer = self.max_answer_bytes
        if isinstance(answer, bool) or not isinstance(answer, int) or answer < MIN_ANSWER_BYTES:
            raise ParamError(f"max_answer_bytes must be an int, at least {MIN_ANSWER_BYTES} bytes")
        connections = self.max_connections
        if isinstance(connections, bool) or not isinstance(connections, int):
            raise ParamError("max_connections must be an int (connections per host)")
        if not 1 <= connections <= MAX_CONNECTIONS:
            raise ParamError(f"max_connections must be 1 to {MAX_CONNECTIONS}; got {connections}")
        for name in ("use_arn_region", "fsync_downloads"):
            if not isinstance(getattr(self, name), bool):
                raise ParamError(f"{name} must be a bool")
        if not isinstance(self.verify, bool | str):
            raise ParamError("verify must be a bool or the path of a CA bundle")
        self._check_retries()
        self._check_checksums()
        self._check_credentials()

    def _check_checksums(self) -> None:
        for name in ("request_checksum_calculation", "response_checksum_validation"):
            if getattr(self, name) not in CHECKSUM_WHEN:
                raise ParamError(f"{name} must be one of {', '.join(CHECKSUM_WHEN)}")
        if self.checksum_algorithm not in CHECKSUM_ALGORITHMS:
            raise ParamError(f"checksum_algorithm must be one of {', '.join(CHECKSUM_ALGORITHMS)}")

    def _check_credentials(self) -> None:
        """What goes in the headers (keys, token, region, service) can be sent; the secret key
        has no control characters. Described when bad, never quoted (they may be secrets)."""
        for name in ("access_key", "region", "service"):
            validate.header_value(getattr(self, name), name)
        if self.session_token is not None:
            validate.header_value(self.session_token, "session_token")
        validate.secret_text(self.secret_key, "secret_key")

    def _check_retries(self) -> None:
        attempts = self.max_attempts
        if isinstance(attempts, bool) or not isinstance(attempts, int):
            raise ParamError("max_attempts must be an int (tries in all, the first included)")
        if not 1 <= attempts <= MAX_ATTEMPTS_LIMIT:
            raise ParamError(f"max_attempts must be 1 to {MAX_ATTEMPTS_LIMIT}; got {attempts}")
        for name in ("retry_base_delay", "retry_max_delay"):
            if not _seconds(getattr(self, name)):
                raise ParamError(f"{name} must be a number of seconds, 0 or more")

    @property
    def scheme(self) -> str:
        """http or https."""
        return self._url_parts()[0]

    def _url_parts(self) -> tuple[str, str, str, bool]:
        """The url's scheme, Host header, path prefix and whether it is AWS's, read once (every
        request asks for them)."""
        try:
            return self._place
        except AttributeError:
            split = urlsplit(self.url)
            hostname = split.hostname or ""
            netloc = host_header(split.scheme, hostname, split.port)
            self._place = (split.scheme, netloc, split.path, hostname.endswith(AWS_DOMAINS))
            return self._place

    @property
    def upload_checksum(self) -> str | None:
        """The algorithm of the checksum an upload carries (lowercase, "crc32"), or None when
        only operations that require a digest get one (when_required)."""
        if self.request_checksum_calculation == "when_required":
            return None
        return self.checksum_algorithm.lower()

    @property
    def trailing_checksums(self) -> bool:
        """Whether a streamed upload goes aws-chunked with a trailing checksum: over https to
        AWS's endpoints (which take it; many other servers do not)."""
        return self.scheme == "https" and self.on_aws

    @property
    def on_aws(self) -> bool:
        """Whether the endpoint is AWS's (which checks x-amz-checksum-* itself)."""
        return self._url_parts()[3]

    @property
    def netloc(self) -> str:
        """host[:port] as the Host header carries it (the port only when not the default)."""
        return self._url_parts()[1]

    @property
    def path_prefix(self) -> str:
        """The url's path as written ("/s3", "/s3/"; "" or "/" for none) that every request's
        path starts with (see _request.prepare.locate)."""
        return self._url_parts()[2]

    def uses_virtual_host(self, bucket: str) -> bool:
        """Whether requests for this bucket name it in the host rather than the path."""
        if self.addressing_style != "auto":
            return self.addressing_style == "virtual"
        host = urlsplit(self.url).hostname or ""
        if not host.endswith(AWS_DOMAINS):  # an IP address never does
            return False
        return bool(_DNS_BUCKET.fullmatch(bucket)) and "--" not in bucket

    def __repr__(self) -> str:
        return (
            f"Settings(url={self.url!r}, region={self.region!r}, service={self.service!r}, "
            f"access_key={self.access_key!r}, addressing_style={self.addressing_style!r})"
        )


# The DNS domains of AWS's partitions (amazonaws.com, amazonaws.com.cn, c2s.ic.gov, ...).
AWS_DOMAINS = tuple(f".{partition.dns_suffix}" for partition in PARTITIONS)


def host_header(scheme: str, hostname: str, port: int | None) -> str:
    """host[:port] as the Host header carries it: an IPv6 address in brackets, the port only
    when it is not the scheme's default."""
    host = f"[{hostname}]" if ":" in hostname else hostname
    return host if port in (None, DEFAULT_PORTS[scheme]) else f"{host}:{port}"


def _shown_url(url: str) -> str:
    """A URL for a message, any user:password@ in it masked."""
    return re.sub(_USERINFO, "//***@", url)


def _check_path_prefix(path: str, url: str) -> None:
    """A url's path is a prefix of plain segments: percent-escapes, '.' and '..' segments and
    empty ones ('//') are refused, as proxies rewrite them and the signature would not match."""
    segments = path.split("/")[1:]
    if segments and not segments[-1]:
        segments.pop()  # a final "/"
    if any(part in ("", ".", "..") or not _PREFIX_CHARACTERS.issuperset(part) for part in segments):
        raise ParamError(
            "url's path (a prefix every request's path starts with) must be '/'-separated "
            "segments of letters, digits and '-._~' (no '.' or '..' segments, no '//', no "
            f"escapes); got {_shown_url(url)!r}"
        )


def _seconds(value: object) -> bool:
    """Whether a setting is a number of seconds, 0 to MAX_SECONDS (NaN compares false)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return 0 <= value <= MAX_SECONDS


def get_data_structure(
    url: str, access_key: str, secret_key: str, region: str, service: str = "s3", **options: Any
) -> ConnectionData:
    """Build the connection data every call takes: a JSON-serialisable dict, checked.

    Options: addressing_style ("auto", "path", "virtual"), part_size (bytes, default 20 MiB),
    session_token, connect_timeout (default 10 s), read_timeout (default 60 s), total_timeout
    (a call's whole time, retries included; default None, off), max_answer_bytes (the most an
    answer read into memory may hold, default 256 MiB), verify (bool or CA bundle path),
    max_attempts (tries in all, default 4), retry_base_delay (default 0.5 s)
    and retry_max_delay (default 20 s), see docs/errors.md; request_checksum_calculation and
    response_checksum_validation ("when_supported", the default, or "when_required") and
    checksum_algorithm (default "CRC32"), see docs/integrity.md; use_arn_region (an access
    point ARN's own region is used when it differs from `region`; default False, refused);
    max_connections (per host, default 10: the async client's bound on open connections, and
    the connections the sync client keeps idle between requests); fsync_downloads (default
    True: a downloaded file is synced to disk before it is renamed into place; False skips
    that, faster, but a crash or power loss soon after may leave the file empty or zeroed).
    """
    data = ConnectionData(
        url=url, access_key=access_key, secret_key=secret_key, region=region, service=service
    )
    data.update(options)
    return Settings.from_data(data).to_data()
