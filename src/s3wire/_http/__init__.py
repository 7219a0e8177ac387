"""The HTTP layer under the client: the default Transport (socket_transport.SocketTransport)
on http1, s3wire's own sans-I/O HTTP/1.1, and its asyncio twin
async_transport.AsyncSocketTransport (the async client's; importing it imports asyncio, and it
speaks to proxies itself: proxy_hop), with what those two share (socket_common);
transport.Urllib3Transport, which the socket transport hands requests through a proxy to, the
urllib3 glue it imports on its first request (pools), and the filter that keeps secrets out
of log records (logredact); what all the transports share (bodies, failing, proxies).

Its public faces live outside: the Transport protocol in s3wire.transport_api, and
SocketTransport and Urllib3Transport under s3wire.transport. The answer sinks (s3wire.sink)
stay beside the client: the generated operations name sink.Writable.
"""
