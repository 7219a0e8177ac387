"""Exact requests of the bucket configurations no test server has (analytics, metrics,
Intelligent-Tiering, ABAC, S3 Metadata, inventory deletion), and of the Put operations of the rest
of the group; answers in S3's own form parsed and paged.

Each request is checked against a literal expectation (method, URL, headers, body bytes), its
signature against botocore's signer, and its query, headers and body against botocore's own
serializer of S3's model given the same configuration.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit
from xml.etree.ElementTree import canonicalize

import botocore.session
import pytest
from botocore.model import ListShape, Shape, StructureShape
from botocore.serialize import create_serializer
from recording import Pages, Recorder, botocore_authorization, client_with, md5

import s3wire
from s3wire.codegen.catalog import load_catalog
from s3wire.transport_api import Body

ROOT = Path(__file__).resolve().parents[2]

NS = 'xmlns="http://s3.amazonaws.com/doc/2006-03-01/"'
DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'
OWNER = "123456789012"
GROUP_FILES = {
    f"bucket-config/{name}.yaml"
    for name in (
        "analytics",
        "inventory",
        "metrics",
        "intelligent-tiering",
        "replication",
        "ownership-controls",
        "public-access-block",
        "abac",
        "metadata",
    )
}

# --- configurations, as the caller writes them and as S3 answers them ---------------------------

ANNOTATION_TABLE = {
    "ConfigurationState": "ENABLED",
    "EncryptionConfiguration": {"SseAlgorithm": "aws:kms", "KmsKeyArn": "arn:k"},
    "Role": f"arn:aws:iam::{OWNER}:role/annotations",
}

ANALYTICS = {
    "Id": "report 1",
    "Filter": {
        "And": {
            "Prefix": "logs/",
            "Tag": [{"Key": "team", "Value": "s3"}, {"Key": "env", "Value": "prod & test"}],
        }
    },
    "StorageClassAnalysis": {
        "DataExport": {
            "OutputSchemaVersion": "V_1",
            "Destination": {
                "S3BucketDestination": {
                    "Format": "CSV",
                    "BucketAccountId": OWNER,
                    "Bucket": "arn:aws:s3:::exports",
                    "Prefix": "analytics/",
                }
            },
        }
    },
}
ANALYTICS_XML = (
    f"<AnalyticsConfiguration {NS}><Id>report 1</Id><Filter><And><Prefix>logs/</Prefix>"
    "<Tag><Key>team</Key><Value>s3</Value></Tag><Tag><Key>env</Key><Value>prod &amp; test</Value>"
    "</Tag></And></Filter><StorageClassAnalysis><DataExport><OutputSchemaVersion>V_1"
    "</OutputSchemaVersion><Destination><S3BucketDestination><Format>CSV</Format>"
    f"<BucketAccountId>{OWNER}</BucketAccountId><Bucket>arn:aws:s3:::exports</Bucket>"
    "<Prefix>analytics/</Prefix></S3BucketDestination></Destination></DataExport>"
    "</StorageClassAnalysis></AnalyticsConfiguration>"
)

METRICS = {
    "Id": "hot",
    "Filter": {
        "And": {
            "Prefix": "img/",
            "Tag": [{"Key": "tier", "Value": "hot"}],
            "AccessPointArn": "arn:aws:s3:us-east-1:123456789012:accesspoint/ap",
        }
    },
}
METRICS_XML = (
    f"<MetricsConfiguration {NS}><Id>hot</Id><Filter><And><Prefix>img/</Prefix>"
    "<Tag><Key>tier</Key><Value>hot</Value></Tag>"
    "<AccessPointArn>arn:aws:s3:us-east-1:123456789012:accesspoint/ap</AccessPointArn>"
    "</And></Filter></MetricsConfiguration>"
)

TIERING = {
    "Id": "archive",
    "Filter": {"Tag": {"Key": "cold", "Value": "yes"}},
    "Status": "Enabled",
    "Tiering": [
        {"Days": 90, "AccessTier": "ARCHIVE_ACCESS"},
        {"Days": 180, "AccessTier": "DEEP_ARCHIVE_ACCESS"},
    ],
}
TIERING_XML = (
    f"<IntelligentTieringConfiguration {NS}><Id>archive</Id><Filter><Tag><Key>cold</Key>"
    "<Value>yes</Value></Tag></Filter><Status>Enabled</Status><Tiering><Days>90</Days>"
    "<AccessTier>ARCHIVE_ACCESS</AccessTier></Tiering><Tiering><Days>180</Days>"
    "<AccessTier>DEEP_ARCHIVE_ACCESS</AccessTier></Tiering></IntelligentTieringConfiguration>"
)

INVENTORY = {
    "Destination": {
        "S3BucketDestination": {
            "AccountId": OWNER,
            "Bucket": "arn:aws:s3:::reports",
            "Format": "Parquet",
            "Prefix": "inv",
        }
    },
    "IsEnabled": True,
    "Filter": {"Prefix": "data/"},
    "Id": "weekly",
    "IncludedObjectVersions": "Current",
    "OptionalFields": {"Field": ["Size"]},
    "Schedule": {"Frequency": "Weekly"},
}
INVENTORY_XML = (
    f"<InventoryConfiguration {NS}><Destination><S3BucketDestination>"
    f"<AccountId>{OWNER}</AccountId><Bucket>arn:aws:s3:::reports</Bucket><Format>Parquet</Format>"
    "<Prefix>inv</Prefix></S3BucketDestination></Destination><IsEnabled>true</IsEnabled>"
    "<Filter><Prefix>data/</Prefix></Filter><Id>weekly</Id>"
    "<IncludedObjectVersions>Current</IncludedObjectVersions><OptionalFields><Field>Size</Field>"
    "</OptionalFields><Schedule><Frequency>Weekly</Frequency></Schedule></InventoryConfiguration>"
)

REPLICATION_RULES: list[Any] = [
    {
        "ID": "all",
        "Priority": 1,
        "Filter": {"Prefix": ""},
        "Status": "Enabled",
        "SourceSelectionCriteria": {"SseKmsEncryptedObjects": {"Status": "Enabled"}},
        "Destination": {
            "Bucket": "arn:aws:s3:::copy",
            "Account": OWNER,
            "StorageClass": "GLACIER_IR",
            "AccessControlTranslation": {"Owner": "Destination"},
            "EncryptionConfiguration": {"ReplicaKmsKeyID": "arn:aws:kms:us-east-1:1:key/k"},
            "ReplicationTime": {"Status": "Enabled", "Time": {"Minutes": 15}},
            "Metrics": {"Status": "Enabled", "EventThreshold": {"Minutes": 15}},
        },
        "DeleteMarkerReplication": {"Status": "Enabled"},
    },
]
REPLICATION_XML = (
    f"<ReplicationConfiguration {NS}><Role>arn:aws:iam::1:role/r</Role><Rule><ID>all</ID>"
    "<Priority>1</Priority><Filter><Prefix></Prefix></Filter><Status>Enabled</Status>"
    "<SourceSelectionCriteria><SseKmsEncryptedObjects><Status>Enabled</Status>"
    "</SseKmsEncryptedObjects></SourceSelectionCriteria><Destination>"
    f"<Bucket>arn:aws:s3:::copy</Bucket><Account>{OWNER}</Account>"
    "<StorageClass>GLACIER_IR</StorageClass><AccessControlTranslation><Owner>Destination</Owner>"
    "</AccessControlTranslation><EncryptionConfiguration>"
    "<ReplicaKmsKeyID>arn:aws:kms:us-east-1:1:key/k</ReplicaKmsKeyID></EncryptionConfiguration>"
    "<ReplicationTime><Status>Enabled</Status><Time><Minutes>15</Minutes></Time>"
    "</ReplicationTime><Metrics><Status>Enabled</Status><EventThreshold><Minutes>15</Minutes>"
    "</EventThreshold></Metrics></Destination><DeleteMarkerReplication><Status>Enabled</Status>"
    "</DeleteMarkerReplication></Rule></ReplicationConfiguration>"
)

KMS_KEY = "arn:aws:kms:us-east-1:123456789012:key/tables"
JOURNAL = {
    "RecordExpiration": {"Expiration": "ENABLED", "Days": 30},
    "EncryptionConfiguration": {"SseAlgorithm": "aws:kms", "KmsKeyArn": KMS_KEY},
}
INVENTORY_TABLE = {
    "ConfigurationState": "ENABLED",
    "EncryptionConfiguration": {"SseAlgorithm": "AES256"},
}
METADATA_XML = (
    f"<MetadataConfiguration {NS}><JournalTableConfiguration><RecordExpiration>"
    "<Expiration>ENABLED</Expiration><Days>30</Days></RecordExpiration><EncryptionConfiguration>"
    f"<SseAlgorithm>aws:kms</SseAlgorithm><KmsKeyArn>{KMS_KEY}</KmsKeyArn>"
    "</EncryptionConfiguration></JournalTableConfiguration><InventoryTableConfiguration>"
    "<ConfigurationState>ENABLED</ConfigurationState><EncryptionConfiguration>"
    "<SseAlgorithm>AES256</SseAlgorithm></EncryptionConfiguration></InventoryTableConfiguration>"
    "</MetadataConfiguration>"
)
TABLE_BUCKET = "arn:aws:s3tables:us-east-1:123456789012:bucket/meta"

# --- the requests ------------------------------------------------------------------------------


@dataclass
class Case:
    """One call and the request it must make.

    `query` is the encoded query string; `xml` the body after the XML declaration (None: no
    body); `boto` botocore's input for the same request, its payload member keyed by element
    names as s3wire's parameters are (converted for botocore by `to_botocore`).
    """

    call: Callable[[s3wire.Client], Any]
    method: str
    query: str
    xml: str | None = None
    md5: bool = False
    headers: dict[str, str] = field(default_factory=dict)
    boto: dict[str, Any] = field(default_factory=dict)


def owner_header() -> dict[str, str]:
    return {"x-amz-expected-bucket-owner": OWNER}


CASES: dict[str, Case] = {
    # analytics
    "PutBucketAnalyticsConfiguration": Case(
        lambda c: c.put_bucket_analytics_configuration(
            bucket="bkt",
            id="report 1",
            analytics_configuration=ANALYTICS,  # type: ignore[arg-type]
            expected_bucket_owner=OWNER,
        ),
        "PUT",
        "analytics=&id=report%201",
        ANALYTICS_XML,
        headers=owner_header(),
        boto={
            "Id": "report 1",
            "AnalyticsConfiguration": ANALYTICS,
            "ExpectedBucketOwner": OWNER,
        },
    ),
    "GetBucketAnalyticsConfiguration": Case(
        lambda c: c.get_bucket_analytics_configuration(bucket="bkt", id="report 1"),
        "GET",
        "analytics=&id=report%201",
        boto={"Id": "report 1"},
    ),
    "DeleteBucketAnalyticsConfiguration": Case(
        lambda c: c.delete_bucket_analytics_configuration(
            bucket="bkt", id="report 1", expected_bucket_owner=OWNER
        ),
        "DELETE",
        "analytics=&id=report%201",
        headers=owner_header(),
        boto={"Id": "report 1", "ExpectedBucketOwner": OWNER},
    ),
    "ListBucketAnalyticsConfigurations": Case(
        lambda c: c.list_bucket_analytics_configurations(bucket="bkt", continuation_token="t/1 +"),
        "GET",
        "analytics=&continuation-token=t%2F1%20%2B",
        boto={"ContinuationToken": "t/1 +"},
    ),
    # inventory
    "PutBucketInventoryConfiguration": Case(
        lambda c: c.put_bucket_inventory_configuration(
            bucket="bkt",
            id="weekly",
            inventory_configuration=INVENTORY,  # type: ignore[arg-type]
        ),
        "PUT",
        "id=weekly&inventory=",
        INVENTORY_XML,
        boto={"Id": "weekly", "InventoryConfiguration": INVENTORY},
    ),
    "DeleteBucketInventoryConfiguration": Case(
        lambda c: c.delete_bucket_inventory_configuration(
            bucket="bkt", id="weekly", expected_bucket_owner=OWNER
        ),
        "DELETE",
        "id=weekly&inventory=",
        headers=owner_header(),
        boto={"Id": "weekly", "ExpectedBucketOwner": OWNER},
    ),
    # metrics
    "PutBucketMetricsConfiguration": Case(
        lambda c: c.put_bucket_metrics_configuration(
            bucket="bkt",
            id="hot",
            metrics_configuration=METRICS,  # type: ignore[arg-type]
        ),
        "PUT",
        "id=hot&metrics=",
        METRICS_XML,
        boto={"Id": "hot", "MetricsConfiguration": METRICS},
    ),
    "GetBucketMetricsConfiguration": Case(
        lambda c: c.get_bucket_metrics_configuration(bucket="bkt", id="hot"),
        "GET",
        "id=hot&metrics=",
        boto={"Id": "hot"},
    ),
    "DeleteBucketMetricsConfiguration": Case(
        lambda c: c.delete_bucket_metrics_configuration(bucket="bkt", id="hot"),
        "DELETE",
        "id=hot&metrics=",
        boto={"Id": "hot"},
    ),
    "ListBucketMetricsConfigurations": Case(
        lambda c: c.list_bucket_metrics_configurations(
            bucket="bkt", continuation_token="abc", expected_bucket_owner=OWNER
        ),
        "GET",
        "continuation-token=abc&metrics=",
        headers=owner_header(),
        boto={"ContinuationToken": "abc", "ExpectedBucketOwner": OWNER},
    ),
    # Intelligent-Tiering
    "PutBucketIntelligentTieringConfiguration": Case(
        lambda c: c.put_bucket_intelligent_tiering_configuration(
            bucket="bkt",
            id="archive",
            intelligent_tiering_configuration=TIERING,  # type: ignore[arg-type]
        ),
        "PUT",
        "id=archive&intelligent-tiering=",
        TIERING_XML,
        boto={"Id": "archive", "IntelligentTieringConfiguration": TIERING},
    ),
    "GetBucketIntelligentTieringConfiguration": Case(
        lambda c: c.get_bucket_intelligent_tiering_configuration(bucket="bkt", id="archive"),
        "GET",
        "id=archive&intelligent-tiering=",
        boto={"Id": "archive"},
    ),
    "DeleteBucketIntelligentTieringConfiguration": Case(
        lambda c: c.delete_bucket_intelligent_tiering_configuration(bucket="bkt", id="archive"),
        "DELETE",
        "id=archive&intelligent-tiering=",
        boto={"Id": "archive"},
    ),
    "ListBucketIntelligentTieringConfigurations": Case(
        lambda c: c.list_bucket_intelligent_tiering_configurations(bucket="bkt"),
        "GET",
        "intelligent-tiering=",
    ),
    # replication, ownership, Block Public Access (their servers run them; the bytes checked here)
    "PutBucketReplication": Case(
        lambda c: c.put_bucket_replication(
            bucket="bkt", role="arn:aws:iam::1:role/r", rules=REPLICATION_RULES, token="lock-tok"
        ),
        "PUT",
        "replication=",
        REPLICATION_XML,
        md5=True,
        headers={"x-amz-bucket-object-lock-token": "lock-tok"},
        boto={
            "ReplicationConfiguration": {
                "Role": "arn:aws:iam::1:role/r",
                "Rule": REPLICATION_RULES,
            },
            "Token": "lock-tok",
        },
    ),
    "PutBucketOwnershipControls": Case(
        lambda c: c.put_bucket_ownership_controls(bucket="bkt", object_ownership="ObjectWriter"),
        "PUT",
        "ownershipControls=",
        f"<OwnershipControls {NS}><Rule><ObjectOwnership>ObjectWriter</ObjectOwnership></Rule>"
        "</OwnershipControls>",
        md5=True,
        boto={"OwnershipControls": {"Rule": [{"ObjectOwnership": "ObjectWriter"}]}},
    ),
    "PutPublicAccessBlock": Case(
        lambda c: c.put_public_access_block(
            bucket="bkt", block_public_acls=True, restrict_public_buckets=False
        ),
        "PUT",
        "publicAccessBlock=",
        f"<PublicAccessBlockConfiguration {NS}><BlockPublicAcls>true</BlockPublicAcls>"
        "<RestrictPublicBuckets>false</RestrictPublicBuckets></PublicAccessBlockConfiguration>",
        md5=True,
        boto={
            "PublicAccessBlockConfiguration": {
                "BlockPublicAcls": True,
                "RestrictPublicBuckets": False,
            }
        },
    ),
    # ABAC
    "PutBucketAbac": Case(
        lambda c: c.put_bucket_abac(bucket="bkt", abac_status="Enabled"),
        "PUT",
        "abac=",
        f"<AbacStatus {NS}><Status>Enabled</Status></AbacStatus>",
        boto={"AbacStatus": {"Status": "Enabled"}},
    ),
    "GetBucketAbac": Case(
        lambda c: c.get_bucket_abac(bucket="bkt", expected_bucket_owner=OWNER),
        "GET",
        "abac=",
        headers=owner_header(),
        boto={"ExpectedBucketOwner": OWNER},
    ),
    # S3 Metadata
    "CreateBucketMetadataConfiguration": Case(
        lambda c: c.create_bucket_metadata_configuration(
            bucket="bkt",
            journal_table_configuration=JOURNAL,  # type: ignore[arg-type]
            inventory_table_configuration=INVENTORY_TABLE,  # type: ignore[arg-type]
        ),
        "POST",
        "metadataConfiguration=",
        METADATA_XML,
        md5=True,
        boto={
            "MetadataConfiguration": {
                "JournalTableConfiguration": JOURNAL,
                "InventoryTableConfiguration": INVENTORY_TABLE,
            }
        },
    ),
    "GetBucketMetadataConfiguration": Case(
        lambda c: c.get_bucket_metadata_configuration(bucket="bkt"),
        "GET",
        "metadataConfiguration=",
    ),
    "DeleteBucketMetadataConfiguration": Case(
        lambda c: c.delete_bucket_metadata_configuration(bucket="bkt", expected_bucket_owner=OWNER),
        "DELETE",
        "metadataConfiguration=",
        headers=owner_header(),
        boto={"ExpectedBucketOwner": OWNER},
    ),
    "CreateBucketMetadataTableConfiguration": Case(
        lambda c: c.create_bucket_metadata_table_configuration(
            bucket="bkt", table_bucket_arn=TABLE_BUCKET, table_name="journal_1"
        ),
        "POST",
        "metadataTable=",
        f"<MetadataTableConfiguration {NS}><S3TablesDestination>"
        f"<TableBucketArn>{TABLE_BUCKET}</TableBucketArn><TableName>journal_1</TableName>"
        "</S3TablesDestination></MetadataTableConfiguration>",
        md5=True,
        boto={
            "MetadataTableConfiguration": {
                "S3TablesDestination": {"TableBucketArn": TABLE_BUCKET, "TableName": "journal_1"}
            }
        },
    ),
    "GetBucketMetadataTableConfiguration": Case(
        lambda c: c.get_bucket_metadata_table_configuration(bucket="bkt"),
        "GET",
        "metadataTable=",
    ),
    "DeleteBucketMetadataTableConfiguration": Case(
        lambda c: c.delete_bucket_metadata_table_configuration(bucket="bkt"),
        "DELETE",
        "metadataTable=",
    ),
    "UpdateBucketMetadataInventoryTableConfiguration": Case(
        lambda c: c.update_bucket_metadata_inventory_table_configuration(
            bucket="bkt",
            inventory_table_configuration={"ConfigurationState": "DISABLED"},
            expected_bucket_owner=OWNER,
        ),
        "PUT",
        "metadataInventoryTable=",
        f"<InventoryTableConfiguration {NS}><ConfigurationState>DISABLED</ConfigurationState>"
        "</InventoryTableConfiguration>",
        md5=True,
        headers=owner_header(),
        boto={
            "InventoryTableConfiguration": {"ConfigurationState": "DISABLED"},
            "ExpectedBucketOwner": OWNER,
        },
    ),
    "UpdateBucketMetadataJournalTableConfiguration": Case(
        lambda c: c.update_bucket_metadata_journal_table_configuration(
            bucket="bkt", record_expiration={"Expiration": "ENABLED", "Days": 7}
        ),
        "PUT",
        "metadataJournalTable=",
        f"<JournalTableConfiguration {NS}><RecordExpiration><Expiration>ENABLED</Expiration>"
        "<Days>7</Days></RecordExpiration></JournalTableConfiguration>",
        md5=True,
        boto={
            "JournalTableConfiguration": {"RecordExpiration": {"Expiration": "ENABLED", "Days": 7}}
        },
    ),
    "UpdateBucketMetadataAnnotationTableConfiguration": Case(
        lambda c: c.update_bucket_metadata_annotation_table_configuration(
            bucket="bkt",
            annotation_table_configuration=ANNOTATION_TABLE,
            expected_bucket_owner=OWNER,
        ),
        "PUT",
        "metadataAnnotationTable=",
        f"<AnnotationTableConfiguration {NS}><ConfigurationState>ENABLED</ConfigurationState>"
        "<EncryptionConfiguration><SseAlgorithm>aws:kms</SseAlgorithm><KmsKeyArn>arn:k</KmsKeyArn>"
        f"</EncryptionConfiguration><Role>arn:aws:iam::{OWNER}:role/annotations</Role>"
        "</AnnotationTableConfiguration>",
        md5=True,
        headers=owner_header(),
        boto={"AnnotationTableConfiguration": ANNOTATION_TABLE, "ExpectedBucketOwner": OWNER},
    ),
}

# Where each request is sent: path-style to a local server, virtual-hosted to AWS.
ENDPOINTS = {
    "path": ("http://127.0.0.1:7480", "us-east-1", "http://127.0.0.1:7480/bkt"),
    "virtual": (
        "https://s3.eu-west-1.amazonaws.com",
        "eu-west-1",
        "https://bkt.s3.eu-west-1.amazonaws.com/",
    ),
}


def send(case: Case, endpoint: str) -> tuple[str, str, dict[str, str], Body]:
    url, region, _ = ENDPOINTS[endpoint]
    recorder = Recorder(204)
    case.call(client_with(recorder, url, region=region))
    ((method, sent_url, headers, body),) = recorder.sent
    return method, sent_url, headers, body


def test_every_operation_no_server_has_is_checked_here() -> None:
    untested = {
        op.name
        for op in load_catalog(ROOT / "spec").operations
        if op.source.removeprefix("spec/") in GROUP_FILES and not op.servers
    }
    assert len(untested) == 24
    assert untested <= set(CASES), sorted(untested - set(CASES))


@pytest.mark.parametrize("endpoint", sorted(ENDPOINTS))
@pytest.mark.parametrize("operation", sorted(CASES))
def test_exact_request(operation: str, endpoint: str) -> None:
    case = CASES[operation]
    method, url, headers, body = send(case, endpoint)
    _, region, base = ENDPOINTS[endpoint]
    assert method == case.method
    assert url == f"{base}?{case.query}"
    for name, value in case.headers.items():
        assert headers[name] == value
    if case.xml is None:
        assert body is None
        assert "Content-Type" not in headers
        assert "Content-MD5" not in headers
        payload = b""
    else:
        assert body == DECLARATION + case.xml.encode()
        assert headers["Content-Type"] == "application/xml"
        payload = body
        assert headers.get("Content-MD5") == (md5(payload) if case.md5 else None)
    assert headers["x-amz-content-sha256"] == hashlib.sha256(payload).hexdigest()
    signed = headers["Authorization"].split("SignedHeaders=")[1].split(",")[0].split(";")
    assert {name.lower() for name in case.headers} <= set(signed)
    assert headers["Authorization"] == botocore_authorization(method, url, headers, payload, region)


# --- the same requests as botocore serializes S3's model ----------------------------------------


def element_name(member_name: str, shape: Shape) -> str:
    """The XML element a member is written as (a flattened list: its items' name)."""
    if isinstance(shape, ListShape) and shape.serialization.get("flattened"):
        item = shape.member.serialization.get("name")
        if item is not None:
            return str(item)
    return str(shape.serialization.get("name", member_name))


def to_botocore(value: Any, shape: Shape) -> Any:
    """A value keyed by XML element names (as s3wire takes it), keyed by botocore's members."""
    if isinstance(shape, StructureShape):
        members = {
            element_name(name, member): (name, member) for name, member in shape.members.items()
        }
        return {members[key][0]: to_botocore(item, members[key][1]) for key, item in value.items()}
    if isinstance(shape, ListShape):
        items = (
            value
            if shape.serialization.get("flattened")
            else value[str(shape.member.serialization.get("name", "member"))]
        )
        return [to_botocore(item, shape.member) for item in items]
    return value


@pytest.mark.parametrize("operation", sorted(CASES))
def test_request_matches_botocore_serializer(operation: str) -> None:
    case = CASES[operation]
    model = botocore.session.get_session().get_service_model("s3").operation_model(operation)
    params = {"Bucket": "bkt"}
    for name, value in case.boto.items():
        member = model.input_shape.members[name]
        params[name] = to_botocore(value, member) if isinstance(member, StructureShape) else value
    expected = create_serializer("rest-xml").serialize_to_request(params, model)
    method, url, headers, body = send(case, "path")
    assert method == expected["method"]
    path, _, fixed = expected["url_path"].partition("?")
    assert urlsplit(url).path == path
    theirs = set(parse_qsl(fixed, keep_blank_values=True)) | set(expected["query_string"].items())
    assert set(parse_qsl(urlsplit(url).query, keep_blank_values=True)) == theirs
    for name, value in expected["headers"].items():
        assert headers[name] == value
    if body is None:
        assert not expected["body"]
    else:  # the same XML, written alike (botocore writes an empty element as <a />)
        assert isinstance(body, bytes)
        assert canonicalize(body.decode()) == canonicalize(expected["body"].decode())


# --- answers in S3's form ----------------------------------------------------------------------


@dataclass
class Config:
    """A configuration S3 answers with a Get and takes back with the Put."""

    get: Callable[[s3wire.Client], s3wire.Response[Any, Any]]
    put: Callable[[s3wire.Client, Any], s3wire.Response[Any, Any]]
    root: str
    value: dict[str, Any]
    xml: str


CONFIGS = {
    "analytics": Config(
        lambda c: c.get_bucket_analytics_configuration(bucket="b", id="report 1"),
        lambda c, v: c.put_bucket_analytics_configuration(
            bucket="b", id="report 1", analytics_configuration=v
        ),
        "AnalyticsConfiguration",
        ANALYTICS,
        ANALYTICS_XML,
    ),
    "metrics": Config(
        lambda c: c.get_bucket_metrics_configuration(bucket="b", id="hot"),
        lambda c, v: c.put_bucket_metrics_configuration(
            bucket="b", id="hot", metrics_configuration=v
        ),
        "MetricsConfiguration",
        METRICS,
        METRICS_XML,
    ),
    "intelligent-tiering": Config(
        lambda c: c.get_bucket_intelligent_tiering_configuration(bucket="b", id="archive"),
        lambda c, v: c.put_bucket_intelligent_tiering_configuration(
            bucket="b", id="archive", intelligent_tiering_configuration=v
        ),
        "IntelligentTieringConfiguration",
        TIERING,
        TIERING_XML,
    ),
    "inventory": Config(
        lambda c: c.get_bucket_inventory_configuration(bucket="b", id="weekly"),
        lambda c, v: c.put_bucket_inventory_configuration(
            bucket="b", id="weekly", inventory_configuration=v
        ),
        "InventoryConfiguration",
        INVENTORY,
        INVENTORY_XML,
    ),
}


@pytest.mark.parametrize("kind", sorted(CONFIGS))
def test_a_configuration_read_back_is_typed_and_goes_straight_back(kind: str) -> None:
    config = CONFIGS[kind]
    got = config.get(client_with(Recorder(200, config.xml.encode())))
    assert got.response == {config.root: config.value}  # ints ints, bools bools, lists lists
    recorder = Recorder(200)
    config.put(client_with(recorder), got.response[config.root]).raise_for_status()
    ((_, _, _, body),) = recorder.sent
    assert body == DECLARATION + config.xml.encode()


def test_one_repeated_element_still_answers_a_list() -> None:
    xml = (
        "<IntelligentTieringConfiguration><Id>a</Id><Status>Disabled</Status><Filter><And>"
        "<Tag><Key>k</Key><Value>v</Value></Tag></And></Filter><Tiering><Days>90</Days>"
        "<AccessTier>ARCHIVE_ACCESS</AccessTier></Tiering></IntelligentTieringConfiguration>"
    )
    got = client_with(Recorder(200, xml.encode())).get_bucket_intelligent_tiering_configuration(
        bucket="b", id="a"
    )
    config = got.response["IntelligentTieringConfiguration"]
    assert config["Tiering"] == [{"Days": 90, "AccessTier": "ARCHIVE_ACCESS"}]
    assert config["Filter"]["And"]["Tag"] == [{"Key": "k", "Value": "v"}]


LISTINGS = {
    "list_bucket_analytics_configurations": (
        "ListBucketAnalyticsConfigurationResult",
        "AnalyticsConfiguration",
    ),
    "list_bucket_inventory_configurations": (
        "ListInventoryConfigurationsResult",
        "InventoryConfiguration",
    ),
    "list_bucket_metrics_configurations": (
        "ListMetricsConfigurationsResult",
        "MetricsConfiguration",
    ),
    "list_bucket_intelligent_tiering_configurations": (
        "ListBucketIntelligentTieringConfigurationsOutput",
        "IntelligentTieringConfiguration",
    ),
}


@pytest.mark.parametrize("method", sorted(LISTINGS))
def test_listings_page_by_continuation_token(method: str) -> None:
    root, item = LISTINGS[method]
    first = (
        f"<{root} {NS}><IsTruncated>true</IsTruncated>"
        "<NextContinuationToken>t/2</NextContinuationToken>"
        f"<{item}><Id>a</Id></{item}><{item}><Id>b</Id></{item}></{root}>"
    )
    last = (
        f"<{root} {NS}><IsTruncated>false</IsTruncated><ContinuationToken>t/2</ContinuationToken>"
        f"<{item}><Id>c</Id></{item}></{root}>"
    )
    transport = Pages(first, last)
    pages = list(client_with(transport).paginate(method, bucket="b"))
    assert [page.response[root]["IsTruncated"] for page in pages] == [True, False]
    assert [[c["Id"] for c in page.response[root][item]] for page in pages] == [["a", "b"], ["c"]]
    queries = [dict(parse_qsl(urlsplit(url).query)) for _, url, _, _ in transport.sent]
    assert [q.get("continuation-token") for q in queries] == [None, "t/2"]
    empty = client_with(Pages(f"<{root}><IsTruncated>false</IsTruncated></{root}>"))
    assert getattr(empty, method)(bucket="b").response == {root: {"IsTruncated": False, item: []}}


def test_metadata_answers_are_typed() -> None:
    xml = (
        f"<GetBucketMetadataConfigurationResult {NS}><MetadataConfigurationResult>"
        "<DestinationResult><TableBucketType>aws</TableBucketType>"
        f"<TableBucketArn>{TABLE_BUCKET}</TableBucketArn><TableNamespace>b_bkt</TableNamespace>"
        "</DestinationResult><JournalTableConfigurationResult><TableStatus>ACTIVE</TableStatus>"
        "<TableName>journal</TableName><TableArn>arn:t</TableArn><RecordExpiration>"
        "<Expiration>ENABLED</Expiration><Days>30</Days></RecordExpiration>"
        "</JournalTableConfigurationResult><InventoryTableConfigurationResult>"
        "<ConfigurationState>ENABLED</ConfigurationState><TableStatus>FAILED</TableStatus>"
        "<Error><ErrorCode>AccessDenied</ErrorCode><ErrorMessage>no</ErrorMessage></Error>"
        "</InventoryTableConfigurationResult></MetadataConfigurationResult>"
        "</GetBucketMetadataConfigurationResult>"
    )
    got = client_with(Recorder(200, xml.encode())).get_bucket_metadata_configuration(bucket="b")
    result = got.response["GetBucketMetadataConfigurationResult"]["MetadataConfigurationResult"]
    journal = result["JournalTableConfigurationResult"]
    assert journal["RecordExpiration"] == {"Expiration": "ENABLED", "Days": 30}
    assert result["InventoryTableConfigurationResult"]["Error"] == {
        "ErrorCode": "AccessDenied",
        "ErrorMessage": "no",
    }
    assert result["DestinationResult"]["TableBucketArn"] == TABLE_BUCKET

    xml = (
        f"<GetBucketMetadataTableConfigurationResult {NS}><MetadataTableConfigurationResult>"
        f"<S3TablesDestinationResult><TableBucketArn>{TABLE_BUCKET}</TableBucketArn>"
        "<TableName>journal_1</TableName><TableArn>arn:t</TableArn>"
        "<TableNamespace>aws_s3_metadata</TableNamespace></S3TablesDestinationResult>"
        "</MetadataTableConfigurationResult><Status>CREATING</Status>"
        "</GetBucketMetadataTableConfigurationResult>"
    )
    answer = client_with(Recorder(200, xml.encode())).get_bucket_metadata_table_configuration(
        bucket="b"
    )
    table = answer.response["GetBucketMetadataTableConfigurationResult"]
    assert table["Status"] == "CREATING"
    assert table["MetadataTableConfigurationResult"]["S3TablesDestinationResult"] == {
        "TableBucketArn": TABLE_BUCKET,
        "TableName": "journal_1",
        "TableArn": "arn:t",
        "TableNamespace": "aws_s3_metadata",
    }


def test_abac_answer() -> None:
    xml = f"<AbacStatus {NS}><Status>Disabled</Status></AbacStatus>"
    got = client_with(Recorder(200, xml.encode())).get_bucket_abac(bucket="b")
    assert got.response == {"AbacStatus": {"Status": "Disabled"}}


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda c: c.put_bucket_abac(bucket="b", abac_status="On"),
            "abac_status must be one of",
        ),
        (
            lambda c: c.put_bucket_intelligent_tiering_configuration(
                bucket="b",
                id="a",
                intelligent_tiering_configuration={"Id": "a", "Tiering": {"Days": 90}},
            ),
            r"intelligent_tiering_configuration.Tiering must be a list",
        ),
        (
            lambda c: c.put_bucket_intelligent_tiering_configuration(
                bucket="b",
                id="a",
                intelligent_tiering_configuration={"Id": "a", "Tiering": [{"Days": "90"}]},
            ),
            r"intelligent_tiering_configuration.Tiering\[0\].Days must be an int",
        ),
        (
            lambda c: c.put_bucket_metrics_configuration(
                bucket="b", id="a", metrics_configuration={"Id": "a", "Filters": {}}
            ),
            r"metrics_configuration has unknown key\(s\) \['Filters'\]",
        ),
        (
            lambda c: c.update_bucket_metadata_journal_table_configuration(
                bucket="b", record_expiration={"Expiration": "ENABLED", "Days": True}
            ),
            r"record_expiration.Days must be an int",
        ),
        (
            lambda c: c.create_bucket_metadata_table_configuration(bucket="b", table_name="t"),
            "table_bucket_arn",
        ),
    ],
)
def test_bad_configurations_are_refused_before_sending(call: Any, message: str) -> None:
    recorder = Recorder()
    with pytest.raises((s3wire.ParamError, TypeError), match=message):
        call(client_with(recorder))
    assert recorder.sent == []
