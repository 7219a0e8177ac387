"""A typed tour of the client, checked by `mypy --strict` (nox -s lint), never run.

It proves that an editor and mypy know the shapes of answers: that a listing's Contents is a
list of objects whose Size is an int, that a tag set is a list of {Key, Value}, and that
configurations read back can be passed to the matching Put method unchanged.
"""

from __future__ import annotations

import s3wire
from s3wire._generated import shapes
from s3wire.testing import Answer, MockTransport, Request
from s3wire.transport import Urllib3Transport
from s3wire.transport_api import Body, Headers, Sink, Transport


def tour(client: s3wire.Client) -> None:
    """Calls whose answers mypy types from the catalog."""
    listing = client.list_objects_v2(bucket="b", prefix="logs/", max_keys=100)
    contents: list[shapes.Object] = listing.response["ListBucketResult"]["Contents"]
    size: int = contents[0]["Size"]
    truncated: bool = listing.response["ListBucketResult"]["IsTruncated"]
    modified: str = contents[0]["LastModified"]  # timestamps stay ISO 8601 strings
    etag: str = client.head_object(bucket="b", key="k").fields["etag"]
    length: int = client.head_object(bucket="b", key="k").fields["content_length"]
    metadata: dict[str, str] = client.get_object(bucket="b", key="k").fields["metadata"]

    tags = client.get_bucket_tagging(bucket="b").response["Tagging"]["TagSet"]["Tag"]
    first_tag: str = tags[0]["Key"]

    rules = client.get_bucket_lifecycle_configuration(bucket="b").response[
        "LifecycleConfiguration"
    ]["Rule"]
    client.put_bucket_lifecycle_configuration(bucket="b", rules=rules)

    parts: list[s3wire.CompletedPart] = [{"part_number": 1, "etag": etag}]
    client.complete_multipart_upload(bucket="b", key="k", upload_id="u", parts=parts)
    client.delete_objects(bucket="b", objects=[{"key": "k", "version_id": None}], quiet=True)
    print(size, truncated, modified, length, metadata, first_tag)


class Counting(Urllib3Transport):
    """A transport of one's own: the real one, counting requests (the protocol is structural)."""

    count = 0

    def send(
        self,
        method: str,
        url: str,
        headers: dict[str, str],
        body: Body,
        sink: Sink | None = None,
        *,
        deadline: float | None = None,
    ) -> tuple[int, Headers, bytes]:
        self.count += 1
        return super().send(method, url, headers, body, sink, deadline=deadline)


def transports(data: s3wire.ConnectionData) -> None:
    """transport= takes MockTransport, a transport of one's own, or any Transport."""
    mock = MockTransport(Answer(404), lambda request: Answer(200, body=request.body or b""))
    s3wire.Client(data, transport=mock).close()
    s3wire.Client(url="http://127.0.0.1:7480", transport=mock).close()
    s3wire.Client.from_env(transport=Counting(connect_timeout=1, read_timeout=1, verify=True))
    chosen: Transport = mock
    s3wire.Client(data, transport=chosen)
    recorded: Request = mock.last
    sent: bytes | None = recorded.body
    query: dict[str, str] = recorded.query
    print(sent, query)
