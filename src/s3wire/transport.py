"""The transports' public names: s3wire.transport.SocketTransport, s3wire's own HTTP/1.1 on
sockets (the default), and s3wire.transport.Urllib3Transport (urllib3's pools:
`Client(data, transport=Urllib3Transport(...))`; the socket transport's requests through a
proxy go through one). Their code lives in the HTTP layer (s3wire._http); the protocol they
meet is s3wire.transport_api.Transport."""

from ._http.socket_transport import SocketTransport
from ._http.transport import Urllib3Transport

__all__ = ["SocketTransport", "Urllib3Transport"]
