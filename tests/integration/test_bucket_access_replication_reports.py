"""Bucket configurations of access, replication and reports: Block Public Access, ownership
controls, replication, inventory, checked by their data on the servers that have them; and
radosgw's real answers to the ones it lacks (analytics, inventory, metrics, Intelligent-Tiering,
ownership controls, ABAC, S3 Metadata).

radosgw 16 does not know most of these subresources: a GET of one answers the object listing and
a DELETE of one deletes the bucket (204 when it is empty). So only PUT, POST and GET are ever sent
to radosgw for them, and never DELETE. moto has no DELETE ?inventory either (it deletes the
bucket too): DeleteBucketInventoryConfiguration is never sent to a server. Operations that
neither server has are checked request by request in
tests/unit/test_bucket_access_replication_reports_requests.py.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import servers
from capabilities import supports
from cleanup import empty_and_delete

import s3wire

PUBLIC_ACCESS_BLOCK = ("PutPublicAccessBlock", "GetPublicAccessBlock", "DeletePublicAccessBlock")
OWNERSHIP = (
    "PutBucketOwnershipControls",
    "GetBucketOwnershipControls",
    "DeleteBucketOwnershipControls",
)
REPLICATION = ("PutBucketReplication", "GetBucketReplication", "DeleteBucketReplication")
# DeleteBucketInventoryConfiguration is left out: no test server has it (see the module doc).
INVENTORY = (
    "PutBucketInventoryConfiguration",
    "GetBucketInventoryConfiguration",
    "ListBucketInventoryConfigurations",
)
ALL_OFF = {
    "BlockPublicAcls": False,
    "IgnorePublicAcls": False,
    "BlockPublicPolicy": False,
    "RestrictPublicBuckets": False,
}

ClientFor = Callable[..., s3wire.Client]


def new_name(kind: str) -> str:
    return f"s3wire-{kind}-{uuid.uuid4().hex[:8]}"


@contextmanager
def scratch_bucket(client: s3wire.Client, kind: str) -> Iterator[str]:
    """A new empty bucket, emptied and deleted afterwards."""
    name = new_name(kind)
    client.create_bucket(bucket=name).raise_for_status()
    try:
        yield name
    finally:
        empty_and_delete(client, name)


def only_on_radosgw(server: servers.S3Server) -> None:
    if server.kind != "radosgw":
        pytest.skip(f"this asserts radosgw's own answers; the server is {server.kind}")


# --- Block Public Access -------------------------------------------------------------------------


def test_public_access_block_put_get_delete(
    client: s3wire.Client, bucket: str, s3_server: servers.S3Server
) -> None:
    on_radosgw = s3_server.kind == "radosgw"
    if on_radosgw:
        assert supports("radosgw", *PUBLIC_ACCESS_BLOCK)

    def switches() -> dict[str, Any]:
        """The four switches as the server answers them."""
        got = client.get_public_access_block(bucket=bucket)
        assert got.status == 200, got.response
        if on_radosgw:
            # radosgw 16 names the root BlockPublicAccessBlockConfiguration (S3 says
            # PublicAccessBlockConfiguration, and it has no namespace either): the catalog's
            # shape does not apply, so the switches come back as the text "true" or "false".
            answer: dict[str, Any] = dict(got.response)
            assert set(answer) == {"BlockPublicAccessBlockConfiguration"}
            raw = answer["BlockPublicAccessBlockConfiguration"]
            assert set(raw.values()) <= {"true", "false"}
            return {name: value == "true" for name, value in raw.items()}
        return dict(got.response["PublicAccessBlockConfiguration"])

    if on_radosgw:
        # radosgw answers a bucket that never had the switches set with all four off, where S3
        # answers 404 NoSuchPublicAccessBlockConfiguration
        assert switches() == ALL_OFF
    else:
        never = client.get_public_access_block(bucket=bucket)
        assert never.status == 404
        assert never.response["Error"]["Code"] == "NoSuchPublicAccessBlockConfiguration"

    put = client.put_public_access_block(
        bucket=bucket, block_public_acls=True, ignore_public_acls=False, block_public_policy=True
    )
    assert put.status == 200, put.response
    # the switch not sent (RestrictPublicBuckets) is off
    assert switches() == {**ALL_OFF, "BlockPublicAcls": True, "BlockPublicPolicy": True}

    # a put replaces all four
    client.put_public_access_block(
        bucket=bucket,
        block_public_acls=False,
        ignore_public_acls=True,
        block_public_policy=False,
        restrict_public_buckets=True,
    ).raise_for_status()
    assert switches() == {**ALL_OFF, "IgnorePublicAcls": True, "RestrictPublicBuckets": True}

    deleted = client.delete_public_access_block(bucket=bucket)
    assert deleted.status in (200, 204), deleted.response  # S3 answers 204; radosgw 16 200
    if on_radosgw:
        assert switches() == ALL_OFF  # gone: radosgw again answers all four off
    else:
        gone = client.get_public_access_block(bucket=bucket)
        assert gone.status == 404
        assert gone.response["Error"]["Code"] == "NoSuchPublicAccessBlockConfiguration"
    assert client.head_bucket(bucket=bucket).status == 200


def test_public_access_block_typed_on_moto(moto_client: s3wire.Client) -> None:
    """The answer under S3's own root, typed by the catalog (radosgw's root differs)."""
    client = moto_client
    with scratch_bucket(client, "pab") as bucket:
        never = client.get_public_access_block(bucket=bucket)
        assert never.status == 404
        assert never.response["Error"]["Code"] == "NoSuchPublicAccessBlockConfiguration"

        client.put_public_access_block(
            bucket=bucket, block_public_acls=True, restrict_public_buckets=True
        ).raise_for_status()
        got = client.get_public_access_block(bucket=bucket).raise_for_status()
        assert got.response == {
            "PublicAccessBlockConfiguration": {
                **ALL_OFF,
                "BlockPublicAcls": True,
                "RestrictPublicBuckets": True,
            }
        }

        deleted = client.delete_public_access_block(bucket=bucket)
        assert deleted.status == 204, deleted.response
        gone = client.get_public_access_block(bucket=bucket)
        assert gone.status == 404
        assert gone.response["Error"]["Code"] == "NoSuchPublicAccessBlockConfiguration"


# --- Ownership controls --------------------------------------------------------------------------


def test_ownership_controls_put_get_delete(client_for: ClientFor) -> None:
    client = client_for(*OWNERSHIP)
    with scratch_bucket(client, "own") as bucket:
        never = client.get_bucket_ownership_controls(bucket=bucket)
        assert never.status == 404
        assert never.response["Error"]["Code"] == "OwnershipControlsNotFoundError"

        put = client.put_bucket_ownership_controls(
            bucket=bucket, object_ownership="BucketOwnerEnforced"
        )
        assert put.status == 200, put.response
        got = client.get_bucket_ownership_controls(bucket=bucket).raise_for_status()
        # one rule, still a list
        assert got.response == {
            "OwnershipControls": {"Rule": [{"ObjectOwnership": "BucketOwnerEnforced"}]}
        }

        client.put_bucket_ownership_controls(
            bucket=bucket, object_ownership="ObjectWriter"
        ).raise_for_status()
        rules = client.get_bucket_ownership_controls(bucket=bucket).response["OwnershipControls"]
        assert rules["Rule"] == [{"ObjectOwnership": "ObjectWriter"}]

        deleted = client.delete_bucket_ownership_controls(bucket=bucket)
        assert deleted.status == 204, deleted.response
        gone = client.get_bucket_ownership_controls(bucket=bucket)
        assert gone.status == 404
        assert gone.response["Error"]["Code"] == "OwnershipControlsNotFoundError"
        assert client.head_bucket(bucket=bucket).status == 200


def test_ownership_controls_refuses_an_unknown_setting(client: s3wire.Client) -> None:
    with pytest.raises(s3wire.ParamError, match="object_ownership"):
        client.put_bucket_ownership_controls(
            bucket="never-sent",
            object_ownership="Everyone",  # type: ignore[arg-type]
        )


# --- Replication ---------------------------------------------------------------------------------

ROLE = "arn:aws:iam::123456789012:role/s3wire-replication"


def test_replication_put_get_delete(client_for: ClientFor) -> None:
    client = client_for(*REPLICATION)
    with (
        scratch_bucket(client, "repl-src") as bucket,
        scratch_bucket(client, "repl-dst") as destination,
    ):
        never = client.get_bucket_replication(bucket=bucket)
        assert never.status == 404
        assert never.response["Error"]["Code"] == "ReplicationConfigurationNotFoundError"

        arn = f"arn:aws:s3:::{destination}"
        rules: list[Any] = [
            {
                "ID": "logs",
                "Priority": 1,
                "Filter": {"Prefix": "logs/"},
                "Status": "Enabled",
                "Destination": {"Bucket": arn, "StorageClass": "STANDARD_IA"},
                "DeleteMarkerReplication": {"Status": "Disabled"},
            },
            {
                "ID": "tagged",
                "Priority": 2,
                "Filter": {
                    "And": {
                        "Prefix": "data/",
                        "Tag": [{"Key": "copy", "Value": "yes"}, {"Key": "team", "Value": "s3"}],
                    }
                },
                "Status": "Disabled",
                "Destination": {"Bucket": arn},
                "DeleteMarkerReplication": {"Status": "Disabled"},
            },
        ]
        # like S3, moto wants versioning on the source first
        unversioned = client.put_bucket_replication(bucket=bucket, role=ROLE, rules=rules)
        assert unversioned.status == 400
        assert unversioned.response["Error"]["Code"] == "InvalidRequest"

        client.put_bucket_versioning(bucket=bucket, status="Enabled").raise_for_status()
        put = client.put_bucket_replication(bucket=bucket, role=ROLE, rules=rules)
        assert put.status == 200, put.response
        got = client.get_bucket_replication(bucket=bucket).raise_for_status()
        config = got.response["ReplicationConfiguration"]
        assert config["Role"] == ROLE
        assert [rule["ID"] for rule in config["Rule"]] == ["logs", "tagged"]
        assert [rule["Priority"] for rule in config["Rule"]] == [1, 2]  # ints
        assert [rule["Status"] for rule in config["Rule"]] == ["Enabled", "Disabled"]
        assert [rule["Destination"] for rule in config["Rule"]] == [
            {"Bucket": arn, "StorageClass": "STANDARD_IA"},
            {"Bucket": arn},
        ]
        for rule in config["Rule"]:
            assert rule["DeleteMarkerReplication"] == {"Status": "Disabled"}
            # moto answers every rule's Filter as an empty Prefix, whatever was sent
            assert rule["Filter"] == {"Prefix": ""}

        # a put replaces the whole configuration; one rule is still a list
        client.put_bucket_replication(bucket=bucket, role=ROLE, rules=rules[1:]).raise_for_status()
        again = client.get_bucket_replication(bucket=bucket).raise_for_status()
        assert [rule["ID"] for rule in again.response["ReplicationConfiguration"]["Rule"]] == [
            "tagged"
        ]

        deleted = client.delete_bucket_replication(bucket=bucket)
        assert deleted.status == 204, deleted.response
        gone = client.get_bucket_replication(bucket=bucket)
        assert gone.status == 404
        assert gone.response["Error"]["Code"] == "ReplicationConfigurationNotFoundError"
        assert client.head_bucket(bucket=bucket).status == 200


def test_replication_on_radosgw(
    client: s3wire.Client, bucket: str, s3_server: servers.S3Server
) -> None:
    """radosgw 16 knows ?replication, but the test server's zonegroup has no sync policy."""
    only_on_radosgw(s3_server)
    assert not supports("radosgw", *REPLICATION)
    client.put_bucket_versioning(bucket=bucket, status="Enabled").raise_for_status()
    rule: Any = {
        "ID": "r",
        "Priority": 1,
        "Filter": {"Prefix": ""},
        "Status": "Enabled",
        "Destination": {"Bucket": f"arn:aws:s3:::{bucket}"},
        "DeleteMarkerReplication": {"Status": "Disabled"},
    }
    refused = client.put_bucket_replication(bucket=bucket, role=ROLE, rules=[rule])
    assert refused.status == 405
    assert refused.response["Error"]["Code"] == "MethodNotAllowed"
    # without a configuration it answers an empty one, where S3 answers 404
    # ReplicationConfigurationNotFoundError
    got = client.get_bucket_replication(bucket=bucket)
    assert got.status == 200
    assert got.response == {"ReplicationConfiguration": {"Role": "", "Rule": []}}
    # a known subresource: the DELETE removes nothing and leaves the bucket alone (200, not 204)
    deleted = client.delete_bucket_replication(bucket=bucket)
    assert deleted.status == 200
    assert client.head_bucket(bucket=bucket).status == 200


def test_replication_refuses_a_bad_rule_before_sending(client: s3wire.Client) -> None:
    with pytest.raises(s3wire.ParamError, match=r"rules\[0\] has unknown key"):
        client.put_bucket_replication(bucket="never-sent", role=ROLE, rules=[{"Rule": "x"}])  # type: ignore[typeddict-unknown-key]
    with pytest.raises(s3wire.ParamError, match=r"rules\[0\]\.Priority must be an int"):
        client.put_bucket_replication(bucket="never-sent", role=ROLE, rules=[{"Priority": "1"}])  # type: ignore[typeddict-item]


# --- Inventory -----------------------------------------------------------------------------------


def inventory(config_id: str, destination: str, **changes: Any) -> Any:
    """An inventory configuration to a bucket, keyed as the Get answers it."""
    config: dict[str, Any] = {
        "Destination": {
            "S3BucketDestination": {
                "AccountId": "123456789012",
                "Bucket": f"arn:aws:s3:::{destination}",
                "Format": "CSV",
                "Prefix": "reports",
            }
        },
        "IsEnabled": True,
        "Filter": {"Prefix": "data/"},
        "Id": config_id,
        "IncludedObjectVersions": "All",
        "OptionalFields": {"Field": ["Size", "ETag", "StorageClass"]},
        "Schedule": {"Frequency": "Weekly"},
    }
    config.update(changes)
    return {key: value for key, value in config.items() if value is not None}


def test_inventory_put_get_list(client_for: ClientFor) -> None:
    client = client_for(*INVENTORY)
    with (
        scratch_bucket(client, "inv-src") as bucket,
        scratch_bucket(client, "inv-dst") as destination,
    ):
        never = client.get_bucket_inventory_configuration(bucket=bucket, id="weekly")
        assert never.status == 404
        # S3 answers NoSuchConfiguration
        assert never.response["Error"]["Code"] == "NoSuchInventoryConfig"

        weekly = inventory("weekly", destination)
        put = client.put_bucket_inventory_configuration(
            bucket=bucket, id="weekly", inventory_configuration=weekly
        )
        assert put.status == 200, put.response
        got = client.get_bucket_inventory_configuration(bucket=bucket, id="weekly")
        assert got.status == 200, got.response
        # typed: IsEnabled a bool, OptionalFields.Field a list
        assert got.response == {"InventoryConfiguration": weekly}

        daily = inventory(
            "daily",
            destination,
            IsEnabled=False,
            Filter=None,
            # (moto garbles a single optional field: it answers ["S", "i", "z", "e"] for ["Size"])
            OptionalFields={"Field": ["Size", "LastModifiedDate"]},
            Schedule={"Frequency": "Daily"},
            IncludedObjectVersions="Current",
        )
        client.put_bucket_inventory_configuration(
            bucket=bucket, id="daily", inventory_configuration=daily
        ).raise_for_status()
        got = client.get_bucket_inventory_configuration(bucket=bucket, id="daily")
        config = got.raise_for_status().response["InventoryConfiguration"]
        # moto answers IncludedObjectVersions All whatever was sent
        assert config == {**daily, "IncludedObjectVersions": "All"}

        # the configuration read back goes straight back in
        client.put_bucket_inventory_configuration(
            bucket=bucket, id="weekly", inventory_configuration=weekly
        ).raise_for_status()

        listed = client.list_bucket_inventory_configurations(bucket=bucket)
        assert listed.status == 200, listed.response
        # moto names the root ListBucketInventoryConfigurationsResponse (S3:
        # ListInventoryConfigurationsResult), so the catalog's shape does not apply and the
        # values stay untyped; its OptionalFields are garbled in listings, so only Ids compared
        answer: dict[str, Any] = dict(listed.response)
        (root,) = answer
        assert root == "ListBucketInventoryConfigurationsResponse"
        page = answer[root]
        assert page["IsTruncated"] == "false"
        assert sorted(item["Id"] for item in page["InventoryConfiguration"]) == ["daily", "weekly"]
        # with no IsTruncated where the catalog looks, paging stops after the first page
        pages = list(client.paginate("list_bucket_inventory_configurations", bucket=bucket))
        assert len(pages) == 1
        # (no DELETE ?inventory: moto has none and would delete the bucket instead)


def test_inventory_refuses_unknown_keys_before_sending(client: s3wire.Client) -> None:
    with pytest.raises(s3wire.ParamError, match="inventory_configuration has unknown key"):
        client.put_bucket_inventory_configuration(
            bucket="never-sent",
            id="x",
            inventory_configuration={"Enabled": True},  # type: ignore[typeddict-unknown-key]
        )


# --- What radosgw 16 lacks: its real answers ------------------------------------------------------

# Each call radosgw does not know that is safe to send (never a DELETE), with the answer expected.
UNKNOWN_TO_RADOSGW: dict[str, tuple[Callable[[s3wire.Client, str], Any], int, str]] = {
    "PutBucketAnalyticsConfiguration": (
        lambda c, b: c.put_bucket_analytics_configuration(
            bucket=b,
            id="a",
            analytics_configuration={"Id": "a", "StorageClassAnalysis": {}},
        ),
        400,
        "InvalidArgument",
    ),
    "PutBucketInventoryConfiguration": (
        lambda c, b: c.put_bucket_inventory_configuration(
            bucket=b, id="i", inventory_configuration=inventory("i", b)
        ),
        400,
        "InvalidArgument",
    ),
    "PutBucketMetricsConfiguration": (
        lambda c, b: c.put_bucket_metrics_configuration(
            bucket=b, id="m", metrics_configuration={"Id": "m"}
        ),
        400,
        "InvalidArgument",
    ),
    "PutBucketIntelligentTieringConfiguration": (
        lambda c, b: c.put_bucket_intelligent_tiering_configuration(
            bucket=b,
            id="t",
            intelligent_tiering_configuration={
                "Id": "t",
                "Status": "Enabled",
                "Tiering": [{"Days": 90, "AccessTier": "ARCHIVE_ACCESS"}],
            },
        ),
        400,
        "InvalidArgument",
    ),
    "PutBucketOwnershipControls": (
        lambda c, b: c.put_bucket_ownership_controls(
            bucket=b, object_ownership="BucketOwnerEnforced"
        ),
        400,
        "InvalidArgument",
    ),
    "PutBucketAbac": (
        lambda c, b: c.put_bucket_abac(bucket=b, abac_status="Enabled"),
        400,
        "InvalidArgument",
    ),
    "CreateBucketMetadataConfiguration": (
        lambda c, b: c.create_bucket_metadata_configuration(
            bucket=b,
            journal_table_configuration={"RecordExpiration": {"Expiration": "DISABLED"}},
        ),
        501,
        "NotImplemented",
    ),
    "CreateBucketMetadataTableConfiguration": (
        lambda c, b: c.create_bucket_metadata_table_configuration(
            bucket=b,
            table_bucket_arn="arn:aws:s3tables:us-east-1:123456789012:bucket/tables",
            table_name="journal",
        ),
        501,
        "NotImplemented",
    ),
    "UpdateBucketMetadataInventoryTableConfiguration": (
        lambda c, b: c.update_bucket_metadata_inventory_table_configuration(
            bucket=b, inventory_table_configuration={"ConfigurationState": "DISABLED"}
        ),
        400,
        "InvalidArgument",
    ),
    "UpdateBucketMetadataJournalTableConfiguration": (
        lambda c, b: c.update_bucket_metadata_journal_table_configuration(
            bucket=b, record_expiration={"Expiration": "ENABLED", "Days": 7}
        ),
        400,
        "InvalidArgument",
    ),
}

# GETs of subresources radosgw does not know: each answers the bucket's object listing.
LISTING_ON_RADOSGW: dict[str, Callable[[s3wire.Client, str], Any]] = {
    "GetBucketAnalyticsConfiguration": lambda c, b: c.get_bucket_analytics_configuration(
        bucket=b, id="a"
    ),
    "ListBucketAnalyticsConfigurations": lambda c, b: c.list_bucket_analytics_configurations(
        bucket=b
    ),
    "GetBucketInventoryConfiguration": lambda c, b: c.get_bucket_inventory_configuration(
        bucket=b, id="i"
    ),
    "ListBucketInventoryConfigurations": lambda c, b: c.list_bucket_inventory_configurations(
        bucket=b
    ),
    "GetBucketMetricsConfiguration": lambda c, b: c.get_bucket_metrics_configuration(
        bucket=b, id="m"
    ),
    "ListBucketMetricsConfigurations": lambda c, b: c.list_bucket_metrics_configurations(bucket=b),
    "GetBucketIntelligentTieringConfiguration": (
        lambda c, b: c.get_bucket_intelligent_tiering_configuration(bucket=b, id="t")
    ),
    "ListBucketIntelligentTieringConfigurations": (
        lambda c, b: c.list_bucket_intelligent_tiering_configurations(bucket=b)
    ),
    "GetBucketOwnershipControls": lambda c, b: c.get_bucket_ownership_controls(bucket=b),
    "GetBucketAbac": lambda c, b: c.get_bucket_abac(bucket=b),
    "GetBucketMetadataConfiguration": lambda c, b: c.get_bucket_metadata_configuration(bucket=b),
    "GetBucketMetadataTableConfiguration": (
        lambda c, b: c.get_bucket_metadata_table_configuration(bucket=b)
    ),
}


@pytest.mark.parametrize("operation", sorted(UNKNOWN_TO_RADOSGW))
def test_radosgw_refuses_what_it_lacks(
    operation: str, client: s3wire.Client, bucket: str, s3_server: servers.S3Server
) -> None:
    only_on_radosgw(s3_server)
    assert not supports("radosgw", operation)
    call, status, code = UNKNOWN_TO_RADOSGW[operation]
    client.put_object(bucket=bucket, key="kept", body=b"x").raise_for_status()
    refused = call(client, bucket)
    assert refused.status == status, refused.response
    assert refused.response["Error"]["Code"] == code
    listing = client.list_objects_v2(bucket=bucket).raise_for_status()
    assert [item["Key"] for item in listing.response["ListBucketResult"]["Contents"]] == ["kept"]


@pytest.mark.parametrize("operation", sorted(LISTING_ON_RADOSGW))
def test_radosgw_answers_a_listing_for_what_it_lacks(
    operation: str, client: s3wire.Client, bucket: str, s3_server: servers.S3Server
) -> None:
    only_on_radosgw(s3_server)
    assert not supports("radosgw", operation)
    client.put_object(bucket=bucket, key="kept", body=b"x").raise_for_status()
    answer = LISTING_ON_RADOSGW[operation](client, bucket)
    # not the configuration, nor an error: the subresource is ignored and the objects listed
    assert answer.status == 200
    (root,) = answer.response
    assert root == "ListBucketResult"
    assert answer.response[root]["Name"] == bucket
    assert answer.response[root]["Contents"]["Key"] == "kept"
