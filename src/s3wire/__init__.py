"""s3wire: a typed S3 client generated from a declarative catalog of the S3 API.

Names are imported when first used (PEP 562): `import s3wire` alone loads nothing heavy, and
`s3wire.Client` loads the operations, not the credential chain (see `connection_data`);
`s3wire.AsyncClient` alone loads asyncio.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._lazy import exports

if TYPE_CHECKING:
    from ._generated.records import CompletedPart, ObjectIdentifier
    from .async_body import AsyncBody
    from .async_client import AsyncClient
    from .client import Client
    from .config import ConnectionData, get_data_structure
    from .credentials import MissingSettingsError, connection_data
    from .errors import (
        AccessDeniedError,
        ArgumentError,
        ChecksumError,
        ConnectError,
        ConnectTimeoutError,
        CredentialsError,
        IncompleteAnswerError,
        InsecureTransportWarning,
        LocalFileError,
        NoSuchBucketError,
        NoSuchKeyError,
        NoSuchUploadError,
        ParamError,
        PreconditionFailedError,
        RepeatedTokenError,
        ResponseError,
        S3Error,
        S3wireError,
        TransportError,
        TransportTimeoutError,
    )
    from .response import Response

_HOMES = {
    "AccessDeniedError": "errors",
    "ArgumentError": "errors",
    "AsyncBody": "async_body",
    "AsyncClient": "async_client",
    "ChecksumError": "errors",
    "Client": "client",
    "CompletedPart": "_generated.records",
    "ConnectError": "errors",
    "ConnectTimeoutError": "errors",
    "ConnectionData": "config",
    "CredentialsError": "errors",
    "IncompleteAnswerError": "errors",
    "InsecureTransportWarning": "errors",
    "LocalFileError": "errors",
    "MissingSettingsError": "credentials",
    "NoSuchBucketError": "errors",
    "NoSuchKeyError": "errors",
    "NoSuchUploadError": "errors",
    "ObjectIdentifier": "_generated.records",
    "ParamError": "errors",
    "PreconditionFailedError": "errors",
    "RepeatedTokenError": "errors",
    "Response": "response",
    "ResponseError": "errors",
    "S3Error": "errors",
    "S3wireError": "errors",
    "TransportError": "errors",
    "TransportTimeoutError": "errors",
    "connection_data": "credentials",
    "get_data_structure": "config",
}
__all__ = [
    "AccessDeniedError",
    "ArgumentError",
    "AsyncBody",
    "AsyncClient",
    "ChecksumError",
    "Client",
    "CompletedPart",
    "ConnectError",
    "ConnectTimeoutError",
    "ConnectionData",
    "CredentialsError",
    "IncompleteAnswerError",
    "InsecureTransportWarning",
    "LocalFileError",
    "MissingSettingsError",
    "NoSuchBucketError",
    "NoSuchKeyError",
    "NoSuchUploadError",
    "ObjectIdentifier",
    "ParamError",
    "PreconditionFailedError",
    "RepeatedTokenError",
    "Response",
    "ResponseError",
    "S3Error",
    "S3wireError",
    "TransportError",
    "TransportTimeoutError",
    "connection_data",
    "get_data_structure",
]
__version__ = "0.1.0"


__getattr__, __dir__ = exports(__name__, _HOMES, globals())
