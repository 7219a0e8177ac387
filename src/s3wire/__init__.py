"""s3wire: a typed S3 client generated from a declarative catalog of the S3 API."""

from ._generated.operations import CompletedPart, ObjectIdentifier
from .client import Client
from .config import ConnectionData, get_data_structure
from .credentials import MissingSettingsError, connection_data
from .errors import (
    ArgumentError,
    ChecksumError,
    InsecureTransportWarning,
    ParamError,
    RepeatedTokenError,
    ResponseError,
    S3Error,
    S3wireError,
    TransportError,
)
from .response import Response

__all__ = [
    "ArgumentError",
    "ChecksumError",
    "Client",
    "CompletedPart",
    "ConnectionData",
    "InsecureTransportWarning",
    "MissingSettingsError",
    "ObjectIdentifier",
    "ParamError",
    "RepeatedTokenError",
    "Response",
    "ResponseError",
    "S3Error",
    "S3wireError",
    "TransportError",
    "connection_data",
    "get_data_structure",
]
__version__ = "0.1.0"
