"""ClientCore: what the sync and async clients share, with no I/O of its own.

The settings, credential provider and transport; the signers per region and service, the
regions buckets were found in, the S3 Express sessions, the retry policy; building a catalog
operation's request (s3wire._request.prepare) and the attempts at it. BaseClient (s3wire._base)
and AsyncBaseClient (s3wire._async_base) are the two loops over it, one with time.sleep and
one with await.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import FunctionType
from typing import TYPE_CHECKING, Any, ClassVar

from . import arguments, xmljson
from ._request import prepare
from ._request.attempts import Attempts
from ._request.regions import BucketRegions
from ._request.retry import RetryPolicy
from .config import ConnectionData, Settings
from .credentials_api import Credentials, StaticCredentials
from .errors import ParamError
from .signing import Signer

if TYPE_CHECKING:
    from ._auth.express import ExpressSessions
    from .credentials_api import CredentialProvider
    from .operation import Operation
    from .sink import AsyncBodySink, Writable

Payload = prepare.Payload
_SIGNER_CACHE = 64  # regions a client keeps a signer for (redirects can name many)


class ClientCore:
    """The request machinery both client loops stand on; see Client and AsyncClient."""

    _ERROR_SCHEMA: ClassVar[xmljson.Schema] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """Public methods of subclasses (the operations, sync or async) refuse unknown or
        missing parameters with ArgumentError: a ParamError naming them, and still a
        TypeError."""
        super().__init_subclass__(**kwargs)
        for name, member in list(vars(cls).items()):
            if isinstance(member, FunctionType) and not name.startswith("_"):
                setattr(cls, name, arguments.checked(member))

    def __init__(self, settings: Settings, credentials: CredentialProvider | None) -> None:
        """Requests are signed with `credentials`' keys, by default the settings' own."""
        self._settings = settings
        # Fixed keys cannot be renewed: an ExpiredToken answer is final then.
        self._renewable = not isinstance(credentials, StaticCredentials | None)
        if credentials is None:
            keys = Credentials(settings.access_key, settings.secret_key, settings.session_token)
            credentials = StaticCredentials(keys)
        self._credentials = credentials
        self._regions = BucketRegions()
        self._express: ExpressSessions | None = None  # made by the first directory bucket's
        self._signers: dict[tuple[str, str], tuple[Credentials, Signer]] = {}
        self._retry = RetryPolicy(
            settings.max_attempts, settings.retry_base_delay, settings.retry_max_delay
        )

    @property
    def data(self) -> ConnectionData:
        """The connection data this client uses (its repr hides the secrets)."""
        return self._settings.to_data()

    @property
    def region(self) -> str:
        """The region this client signs for (the connection data's)."""
        return self._settings.region

    @property
    def part_size(self) -> int:
        """The part size transfers use unless given another (the connection data's)."""
        return self._settings.part_size

    @property
    def fsync_downloads(self) -> bool:
        """Whether a downloaded file is synced to disk before its rename (the connection
        data's; default True)."""
        return self._settings.fsync_downloads

    @property
    def upload_checksum(self) -> str | None:
        """The checksum uploads carry ("crc32", ...; the connection's checksum_algorithm), or
        None when request_checksum_calculation is when_required (docs/integrity.md)."""
        return self._settings.upload_checksum

    @property
    def md5_with_checksum(self) -> bool:
        """Whether a streamed upload carries its Content-MD5 beside its checksum: yes but on
        AWS's endpoints, as some servers ignore x-amz-checksum-* (docs/integrity.md)."""
        return not self._settings.on_aws

    @property
    def trailing_checksums(self) -> bool:
        """Whether a streamed upload's checksum goes in an aws-chunked trailer (over https to
        AWS), computed as the body is sent: the body is read once."""
        return self._settings.trailing_checksums

    @property
    def asks_checksums(self) -> bool:
        """Whether reads ask for the object's stored checksums (response_checksum_validation
        is when_supported)."""
        return self._settings.response_checksum_validation == "when_supported"

    def _presign(
        self,
        method: str,
        bucket: str,
        key: str,
        expires: int,
        headers: Mapping[str, str] | None,
        params: Mapping[str, str] | None,
    ) -> str:
        """A presigned URL (see Client.presigned_url); no I/O but the credentials' own."""
        signer = self._signer(self._settings.region, None, self._credentials.get())
        from ._request import presign  # imported by the first presigned URL, not at start

        return presign.presigned_url(
            self._settings, signer, method, bucket, key, expires, headers, params
        )

    def _raw_request(
        self,
        method: str,
        path_or_url: str,
        body: Payload | None,
        headers: Mapping[str, str] | None,
        allow_other_host: bool,
    ) -> prepare.Prepared:
        """Client.request's request, checked and placed (see _request.target)."""
        from ._request import target  # imported by the first raw request, not at start

        return target.raw_request(
            self._settings, method, path_or_url, body, headers, allow_other_host=allow_other_host
        )

    def __repr__(self) -> str:
        settings = self._settings
        return f"{type(self).__name__}(url={settings.url!r}, region={settings.region!r})"

    def _prepare(
        self,
        operation: Operation,
        *,
        bucket: str | None = None,
        key: str | None = None,
        query: list[tuple[str, str]] | None = None,
        headers: dict[str, str] | None = None,
        payload: Payload | None = None,
        xml: xmljson.BodyValues | None = None,
        host_prefix: str = "",
        into: Writable | AsyncBodySink | None = None,
    ) -> prepare.Prepared:
        """One catalog operation's request, ready to sign (see _request.prepare)."""
        return prepare.for_operation(
            self._settings,
            operation,
            bucket=bucket,
            key=key,
            query=query,
            headers=headers,
            payload=payload,
            xml=xml,
            host_prefix=host_prefix,
            into=into,
        )

    def _attempts(self, request: prepare.Prepared) -> Attempts:
        """The tries of one request, as _request.attempts decides them."""
        return Attempts(
            request,
            self._retry,
            self._regions.start(request, self._settings.region),
            self._settings.total_timeout,
            renewable=self._renewable or request.express_session,
        )

    def _signer(self, region: str, service: str | None, keys: Credentials) -> Signer:
        """A signer for `region` and `service` (None: the connection's) with these credentials
        (renewed ones get a new one)."""
        scope = (region, service or self._settings.service)
        cached = self._signers.get(scope)
        if cached is not None and cached[0] is keys:
            return cached[1]
        if len(self._signers) >= _SIGNER_CACHE:
            self._signers.clear()
        signer = Signer(keys.access_key, keys.secret_key, *scope, keys.session_token)
        self._signers[scope] = (keys, signer)
        return signer

    def _sessions(self) -> ExpressSessions:
        """The S3 Express sessions of this client's directory buckets."""
        if self._express is None:
            from ._auth.express import ExpressSessions

            self._express = ExpressSessions()
        return self._express

    def _session_ended(self, request: prepare.Prepared) -> None:
        """S3 said a directory bucket's session expired: the next try makes another."""
        if self._express is not None and request.bucket is not None:
            self._express.forget(request.bucket)


def create_session() -> Operation:
    """CreateSession, the operation that makes an S3 Express session (from the catalog)."""
    from ._generated.records import CREATE_SESSION  # by the first directory bucket's request

    return CREATE_SESSION


def settings_for(
    data: Mapping[str, Any] | None, options: Mapping[str, Any], credentials: object
) -> Settings:
    """A client's settings from its connection data or keyword options (not both), checked;
    keys may be absent when a credential provider is given."""
    if data is not None and options:
        raise ParamError("pass either connection data or keyword options, not both")
    if credentials is not None and not callable(getattr(credentials, "get", None)):
        raise ParamError(
            "credentials must be a credential provider (s3wire.credentials_api), not "
            f"{type(credentials).__name__}"
        )
    return Settings.from_data(
        data if data is not None else options, keys_optional=credentials is not None
    )


def check_transport(transport: Any) -> Any:
    """A transport= value: None (the default one) or an object with send() and close()."""
    if transport is None or all(
        callable(getattr(transport, name, None)) for name in ("send", "close")
    ):
        return transport
    raise ParamError(
        "transport must have send() and close() (see s3wire.transport_api), "
        f"not {type(transport).__name__}"
    )
