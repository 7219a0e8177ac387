"""The HTTP layer under the client: the default Transport (transport.Urllib3Transport), the
urllib3 glue it imports on its first request (pools), and the filter that keeps secrets out of
urllib3's log records (logredact); the opt-in socket_transport.SocketTransport on http1,
s3wire's own sans-I/O HTTP/1.1, and its asyncio twin async_transport.AsyncSocketTransport (for
the async client; importing it imports asyncio, and it speaks to proxies itself: proxy_hop),
with what those two share (socket_common); what all the transports share (bodies, failing,
proxies).

Its public faces live outside: the Transport protocol in s3wire.transport_api, and
Urllib3Transport and SocketTransport under s3wire.transport. The answer sinks (s3wire.sink)
stay beside the client: the generated operations name sink.Writable.
"""
