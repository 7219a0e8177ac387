"""client.paginate against the real server: every key once, page by page."""

from __future__ import annotations

import s3wire

KEYS = [f"k{i:02d}" for i in range(7)]


def put_keys(client: s3wire.Client, bucket: str) -> None:
    for key in KEYS:
        client.put_object(bucket=bucket, key=key, body=key.encode()).raise_for_status()


def test_list_objects_v2_pages(client: s3wire.Client, bucket: str) -> None:
    put_keys(client, bucket)
    pages = list(client.paginate("list_objects_v2", bucket=bucket, max_keys=3))
    assert [page.status for page in pages] == [200, 200, 200]
    contents = [page.response["ListBucketResult"]["Contents"] for page in pages]
    assert [[item["Key"] for item in page] for page in contents] == [KEYS[:3], KEYS[3:6], KEYS[6:]]


def test_list_objects_v1_pages(client: s3wire.Client, bucket: str) -> None:
    put_keys(client, bucket)
    pages = list(client.paginate("list_objects", bucket=bucket, max_keys=3))
    keys = [item["Key"] for page in pages for item in page.response["ListBucketResult"]["Contents"]]
    assert (len(pages), keys) == (3, KEYS)


def test_list_buckets(client: s3wire.Client, bucket: str) -> None:
    names = [
        item["Name"]
        for page in client.paginate("list_buckets", max_buckets=1)
        for item in page.raise_for_status().response["ListAllMyBucketsResult"]["Buckets"]["Bucket"]
    ]
    assert bucket in names
    assert len(names) == len(set(names))


def test_an_error_answer_ends_the_pages(client: s3wire.Client) -> None:
    pages = list(client.paginate("list_objects_v2", bucket="s3wire-no-such-bucket-here"))
    assert [page.status for page in pages] == [404]
    assert pages[0].response["Error"]["Code"] == "NoSuchBucket"
