"""A typed tour of the client, checked by `mypy --strict` (nox -s lint), never run.

It proves that an editor and mypy know the shapes of answers: that a listing's Contents is a
list of objects whose Size is an int, that a tag set is a list of {Key, Value}, and that
configurations read back can be passed to the matching Put method unchanged.
"""

from __future__ import annotations

import s3wire
from s3wire._generated import shapes


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
