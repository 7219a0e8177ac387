"""ListObjectsV2 against the real server: typed values, lists, pages, prefixes."""

from __future__ import annotations

import s3wire


def test_empty_bucket_lists_empty_lists(client: s3wire.Client, bucket: str) -> None:
    result = client.list_objects_v2(bucket=bucket).response["ListBucketResult"]
    assert result["Contents"] == []
    assert result["CommonPrefixes"] == []
    assert result["KeyCount"] == 0
    assert result["IsTruncated"] is False


def test_a_single_object_is_a_list_with_typed_values(client: s3wire.Client, bucket: str) -> None:
    client.put_object(bucket=bucket, key="only", body=b"12345").raise_for_status()
    result = client.list_objects_v2(bucket=bucket).response["ListBucketResult"]
    assert isinstance(result["Contents"], list)
    assert len(result["Contents"]) == 1
    item = result["Contents"][0]
    assert item["Key"] == "only"
    assert item["Size"] == 5
    assert isinstance(item["LastModified"], str)
    assert item["LastModified"][4] == "-"
    assert result["KeyCount"] == 1
    assert result["MaxKeys"] == 1000
    assert result["IsTruncated"] is False
    assert result["Name"] == bucket


def test_pages_follow_continuation_tokens(client: s3wire.Client, bucket: str) -> None:
    keys = [f"k{i:02d}" for i in range(7)]
    for key in keys:
        client.put_object(bucket=bucket, key=key, body=key.encode()).raise_for_status()
    seen: list[str] = []
    token = None
    pages = 0
    while True:
        result = client.list_objects_v2(
            bucket=bucket, max_keys=3, continuation_token=token
        ).response["ListBucketResult"]
        pages += 1
        seen.extend(item["Key"] for item in result["Contents"])
        if not result["IsTruncated"]:
            break
        token = result["NextContinuationToken"]
    assert seen == keys
    assert pages == 3


def test_prefix_delimiter_and_start_after(client: s3wire.Client, bucket: str) -> None:
    for key in ["a/1", "a/2", "b/1", "top"]:
        client.put_object(bucket=bucket, key=key, body=b"").raise_for_status()
    rolled = client.list_objects_v2(bucket=bucket, delimiter="/").response["ListBucketResult"]
    assert [p["Prefix"] for p in rolled["CommonPrefixes"]] == ["a/", "b/"]
    assert [c["Key"] for c in rolled["Contents"]] == ["top"]

    under_a = client.list_objects_v2(bucket=bucket, prefix="a/").response["ListBucketResult"]
    assert [c["Key"] for c in under_a["Contents"]] == ["a/1", "a/2"]

    after = client.list_objects_v2(bucket=bucket, start_after="a/2").response["ListBucketResult"]
    assert [c["Key"] for c in after["Contents"]] == ["b/1", "top"]

    owned = client.list_objects_v2(bucket=bucket, fetch_owner=True).response["ListBucketResult"]
    assert owned["Contents"][0]["Owner"]["ID"]
