"""The seed library's bucket scenarios (tagging, versioning, encryption), checked by their data."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
import servers
from capabilities import supports

import s3wire

ENCRYPTION = ("PutBucketEncryption", "GetBucketEncryption", "DeleteBucketEncryption")
TAGS = {"team": "storage", "cost centre": "42", "ünïcödé": "日本 ✓", "empty": ""}


def tag_dict(answer: s3wire.Response[Any, Any]) -> dict[str, str]:
    """The tag set of a GetBucketTagging answer as key -> value."""
    tags = answer.response["Tagging"]["TagSet"]["Tag"]
    assert isinstance(tags, list)
    return {tag["Key"]: tag["Value"] for tag in tags}


def test_bucket_tagging_put_get_delete(client: s3wire.Client, bucket: str) -> None:
    missing = client.get_bucket_tagging(bucket=bucket)
    assert missing.status == 404
    assert missing.response["Error"]["Code"] == "NoSuchTagSet"

    put = client.put_bucket_tagging(bucket=bucket, tags=TAGS)
    assert put.status in (200, 204), put.response
    got = client.get_bucket_tagging(bucket=bucket)
    assert got.status == 200, got.response
    assert tag_dict(got) == TAGS

    # a put replaces the whole set; a single tag still comes back as a list
    client.put_bucket_tagging(bucket=bucket, tags={"only": "one"}).raise_for_status()
    again = client.get_bucket_tagging(bucket=bucket).raise_for_status()
    assert again.response["Tagging"]["TagSet"]["Tag"] == [{"Key": "only", "Value": "one"}]

    deleted = client.delete_bucket_tagging(bucket=bucket)
    assert deleted.status in (200, 204)  # AWS answers 204; radosgw 16 answers 200
    gone = client.get_bucket_tagging(bucket=bucket)
    assert gone.status == 404
    assert gone.response["Error"]["Code"] == "NoSuchTagSet"


def test_bucket_tagging_refuses_a_bad_map_before_sending(client: s3wire.Client) -> None:
    with pytest.raises(s3wire.ParamError):
        client.put_bucket_tagging(bucket="never-sent", tags={"k": 1})  # type: ignore[dict-item]


def test_bucket_versioning_enable_suspend(client: s3wire.Client, bucket: str) -> None:
    never = client.get_bucket_versioning(bucket=bucket)
    assert never.status == 200
    assert never.response == {"VersioningConfiguration": {}}  # never set: no Status at all

    enabled = client.put_bucket_versioning(bucket=bucket, status="Enabled")
    assert enabled.status == 200, enabled.response
    config = client.get_bucket_versioning(bucket=bucket).response["VersioningConfiguration"]
    assert config["Status"] == "Enabled"
    # radosgw 16 always reports MfaDelete; AWS leaves it out until MFA Delete was configured
    assert config.get("MfaDelete", "Disabled") == "Disabled"

    client.put_bucket_versioning(bucket=bucket, status="Suspended").raise_for_status()
    config = client.get_bucket_versioning(bucket=bucket).response["VersioningConfiguration"]
    assert config["Status"] == "Suspended"

    # versioning stays on an object: two puts of one key made two versions while it was enabled
    client.put_bucket_versioning(bucket=bucket, status="Enabled").raise_for_status()
    first = client.put_object(bucket=bucket, key="k", body=b"1").raise_for_status()
    second = client.put_object(bucket=bucket, key="k", body=b"2").raise_for_status()
    assert first.fields["version_id"] != second.fields["version_id"]
    old = client.get_object(bucket=bucket, key="k", version_id=first.fields["version_id"])
    assert old.body == b"1"
    for put in (first, second):
        client.delete_object(
            bucket=bucket, key="k", version_id=put.fields["version_id"]
        ).raise_for_status()


def test_bucket_encryption_put_is_refused_by_radosgw(
    client: s3wire.Client, bucket: str, s3_server: servers.S3Server
) -> None:
    """Only PutBucketEncryption is asked: on radosgw 16 DELETE ?encryption deletes the bucket."""
    if s3_server.kind != "radosgw":
        pytest.skip(f"this asserts radosgw's refusal; the server is {s3_server.kind}")
    assert not supports("radosgw", "PutBucketEncryption")
    refused = client.put_bucket_encryption(bucket=bucket, sse_algorithm="AES256")
    assert refused.status == 400
    assert refused.response["Error"]["Code"] == "InvalidArgument"
    assert client.head_bucket(bucket=bucket).status == 200  # and the bucket is untouched


@pytest.fixture
def encryption_client(client_for: Callable[..., s3wire.Client]) -> s3wire.Client:
    """A client of a server that has bucket encryption (per the capability table)."""
    return client_for(*ENCRYPTION)


def test_bucket_encryption_put_get_delete(encryption_client: s3wire.Client) -> None:
    client = encryption_client
    bucket = f"s3wire-enc-{uuid.uuid4().hex[:8]}"
    client.create_bucket(bucket=bucket).raise_for_status()
    try:
        listed = client.list_objects_v2(bucket=bucket).raise_for_status()
        assert listed.response["ListBucketResult"]["Name"] == bucket  # the addressing works

        put = client.put_bucket_encryption(
            bucket=bucket, sse_algorithm="AES256", bucket_key_enabled=True
        )
        assert put.status == 200, put.response
        rules = client.get_bucket_encryption(bucket=bucket).raise_for_status()
        assert rules.response["ServerSideEncryptionConfiguration"]["Rule"] == [
            {
                "ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"},
                "BucketKeyEnabled": True,
            }
        ]

        key_id = "arn:aws:kms:us-east-1:123456789012:key/s3wire-test"
        client.put_bucket_encryption(
            bucket=bucket, sse_algorithm="aws:kms", kms_master_key_id=key_id
        ).raise_for_status()
        (rule,) = client.get_bucket_encryption(bucket=bucket).response[
            "ServerSideEncryptionConfiguration"
        ]["Rule"]
        assert rule["ApplyServerSideEncryptionByDefault"] == {
            "SSEAlgorithm": "aws:kms",
            "KMSMasterKeyID": key_id,
        }

        deleted = client.delete_bucket_encryption(bucket=bucket)
        assert deleted.status == 204, deleted.response
        # AWS now keeps SSE-S3 as every bucket's default and answers it here; moto answers 404
        gone = client.get_bucket_encryption(bucket=bucket)
        assert gone.status == 404
        assert gone.response["Error"]["Code"] == "ServerSideEncryptionConfigurationNotFoundError"
        assert client.head_bucket(bucket=bucket).status == 200
    finally:
        client.delete_bucket(bucket=bucket).raise_for_status()


def test_bucket_encryption_refuses_an_unknown_algorithm(client: s3wire.Client) -> None:
    with pytest.raises(s3wire.ParamError, match="sse_algorithm"):
        client.put_bucket_encryption(bucket="never-sent", sse_algorithm="DES")  # type: ignore[arg-type]
