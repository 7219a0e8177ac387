"""The default Transport's public name: s3wire.transport.Urllib3Transport (its code lives in the
HTTP layer, s3wire._http.transport; the protocol it meets is s3wire.transport_api.Transport)."""

from ._http.transport import Urllib3Transport

__all__ = ["Urllib3Transport"]
