"""Bucket configurations (spec/bucket-config/): CORS, lifecycle, policy, website, logging,
notifications, Requester Pays, Transfer Acceleration and location, checked by reading back what
was written (and sending back what was read).

A test of operations that moto has too runs on the main server when it has them
(capabilities.py), else on moto; what the main server lacks is asked of it where asking is safe,
and its refusal asserted. Requester Pays and the policy status, which moto lacks, run on the main
server.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from typing import Any
from urllib.parse import urlencode

import pytest
import servers
from capabilities import supports, target
from cleanup import empty_and_delete

import s3wire

CORS = ("PutBucketCors", "GetBucketCors", "DeleteBucketCors")
LIFECYCLE = (
    "PutBucketLifecycleConfiguration",
    "GetBucketLifecycleConfiguration",
    "DeleteBucketLifecycle",
)
LIFECYCLE_DEPRECATED = ("PutBucketLifecycle", "GetBucketLifecycle", "DeleteBucketLifecycle")
POLICY = ("PutBucketPolicy", "GetBucketPolicy", "DeleteBucketPolicy")
WEBSITE = ("PutBucketWebsite", "GetBucketWebsite", "DeleteBucketWebsite")
NOTIFICATION = ("PutBucketNotificationConfiguration", "GetBucketNotificationConfiguration")
NOTIFICATION_DEPRECATED = ("PutBucketNotification", "GetBucketNotification")
ACCELERATE = ("PutBucketAccelerateConfiguration", "GetBucketAccelerateConfiguration")


class Target:
    """A client of a server that has the operations asked for, and that server."""

    def __init__(
        self, client: s3wire.Client, server: servers.S3Server, made: list[tuple[Any, str]]
    ) -> None:
        self.client = client
        self.server = server
        self.kind = server.kind
        self._made = made

    def new_bucket(self) -> str:
        """A fresh bucket, emptied and deleted after the test."""
        name = f"s3wire-cfg-{uuid.uuid4().hex[:8]}"
        self.client.create_bucket(bucket=name).raise_for_status()
        self.adopt(name)
        return name

    def adopt(self, name: str) -> None:
        """Empty and delete this bucket after the test."""
        self._made.append((self.client, name))


@pytest.fixture
def on(
    request: pytest.FixtureRequest,
    s3_server: servers.S3Server,
    addressing: str,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Callable[..., Target]]:
    """on(*operations): a Target on the main server if it has them all, else on moto.

    Asking for `monkeypatch` here keeps moto_data's name resolution until the cleanup below is
    done; asking for `addressing` runs the test once per style.
    """
    made: list[tuple[Any, str]] = []
    with ExitStack() as stack:

        def make(*operations: str) -> Target:
            server = target(s3_server, lambda: request.getfixturevalue("moto_server"), *operations)
            if server is s3_server:
                client: s3wire.Client = request.getfixturevalue("client")
            else:
                data = request.getfixturevalue("moto_data")
                client = stack.enter_context(s3wire.Client(data))
            return Target(client, server, made)

        yield make
        for client, name in reversed(made):
            empty_and_delete(client, name)


def error_code(answer: s3wire.Response[Any, Any]) -> str:
    code: str = answer.response["Error"]["Code"]
    return code


# --- CORS -------------------------------------------------------------------------------------


def test_cors_put_get_delete(on: Callable[..., Target]) -> None:
    t = on(*CORS)
    client, bucket = t.client, t.new_bucket()
    missing = client.get_bucket_cors(bucket=bucket)
    assert missing.status == 404
    assert error_code(missing) == "NoSuchCORSConfiguration"

    rules: list[dict[str, Any]] = [
        {
            "ID": "uploads",
            "AllowedHeader": ["*"],
            "AllowedMethod": ["GET", "PUT"],
            "AllowedOrigin": ["https://a.example", "https://b.example"],
            "ExposeHeader": ["ETag"],
            "MaxAgeSeconds": 300,
        },
        {"AllowedMethod": ["GET"], "AllowedOrigin": ["*"]},
    ]
    put = client.put_bucket_cors(bucket=bucket, cors_rules=rules)
    assert put.status == 200, put.response
    got = client.get_bucket_cors(bucket=bucket).raise_for_status()
    # the list members are lists even when absent or single
    assert got.response["CORSConfiguration"]["CORSRule"] == [
        rules[0],
        {**rules[1], "AllowedHeader": [], "ExposeHeader": []},
    ]

    # what was read back can be sent again as is
    again = client.put_bucket_cors(
        bucket=bucket, cors_rules=got.response["CORSConfiguration"]["CORSRule"]
    )
    again.raise_for_status()
    assert client.get_bucket_cors(bucket=bucket).response == got.response

    deleted = client.delete_bucket_cors(bucket=bucket)
    assert deleted.status == 204, deleted.response
    gone = client.get_bucket_cors(bucket=bucket)
    assert gone.status == 404
    assert error_code(gone) == "NoSuchCORSConfiguration"


def test_cors_rules_are_checked_before_sending(client: s3wire.Client) -> None:
    with pytest.raises(s3wire.ParamError, match="AllowedMethods"):
        client.put_bucket_cors(
            bucket="never-sent",
            cors_rules=[{"AllowedMethods": ["GET"], "AllowedOrigin": ["*"]}],  # type: ignore[typeddict-unknown-key]
        )
    with pytest.raises(s3wire.ParamError, match="MaxAgeSeconds"):
        client.put_bucket_cors(
            bucket="never-sent",
            cors_rules=[{"AllowedMethod": ["GET"], "AllowedOrigin": ["*"], "MaxAgeSeconds": "60"}],  # type: ignore[typeddict-item]
        )


# --- lifecycle --------------------------------------------------------------------------------


def by_id(rules: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {rule["ID"]: rule for rule in rules}


def test_lifecycle_configuration_put_get_delete(on: Callable[..., Target]) -> None:
    t = on(*LIFECYCLE)
    client, bucket = t.client, t.new_bucket()
    missing = client.get_bucket_lifecycle_configuration(bucket=bucket)
    assert missing.status == 404
    assert error_code(missing) == "NoSuchLifecycleConfiguration"

    rules: list[dict[str, Any]] = [
        {
            "ID": "expire-logs",
            "Filter": {"Prefix": "logs/"},
            "Status": "Enabled",
            "Expiration": {"Days": 30},
            "NoncurrentVersionExpiration": {"NoncurrentDays": 5},
            "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 2},
        },
        {
            "ID": "cool-down",
            "Filter": {"Tag": {"Key": "tier", "Value": "cold"}},
            "Status": "Disabled",
            "Transition": [{"Days": 30, "StorageClass": "STANDARD_IA"}],
        },
        {
            "ID": "dated",
            "Filter": {
                "And": {
                    "Prefix": "tmp/",
                    "Tag": [{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}],
                }
            },
            "Status": "Enabled",
            "Expiration": {"Date": dt.datetime(2030, 1, 1, tzinfo=dt.timezone.utc)},
        },
    ]
    put = client.put_bucket_lifecycle_configuration(bucket=bucket, rules=rules)
    assert put.status == 200, put.response
    got = client.get_bucket_lifecycle_configuration(bucket=bucket).raise_for_status()
    answered = by_id(got.response["LifecycleConfiguration"]["Rule"])
    assert set(answered) == {"expire-logs", "cool-down", "dated"}
    for rule in rules[:2]:
        # the list members are lists even when absent
        assert answered[rule["ID"]] == {"Transition": [], "NoncurrentVersionTransition": [], **rule}
    dated = answered["dated"]
    assert dated["Expiration"]["Date"].startswith("2030-01-01T00:00:00")  # .000Z on radosgw
    tags = [{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}]
    if t.kind == "radosgw":
        # radosgw 16 answers And's Prefix beside it, not in it (S3 would refuse that form)
        assert dated["Filter"] == {"Prefix": "tmp/", "And": {"Tag": tags}}
    else:
        assert dated["Filter"] == {"And": {"Prefix": "tmp/", "Tag": tags}}

    deleted = client.delete_bucket_lifecycle(bucket=bucket)
    assert deleted.status == 204, deleted.response
    gone = client.get_bucket_lifecycle_configuration(bucket=bucket)
    assert gone.status == 404
    assert error_code(gone) == "NoSuchLifecycleConfiguration"


def test_lifecycle_in_the_original_format(on: Callable[..., Target]) -> None:
    t = on(*LIFECYCLE_DEPRECATED, "GetBucketLifecycleConfiguration")
    client, bucket = t.client, t.new_bucket()
    rule = {
        "ID": "old-style",
        "Prefix": "old/",
        "Status": "Enabled",
        "Expiration": {"Days": 3},
        "Transition": {"Days": 1, "StorageClass": "STANDARD_IA"},
    }
    put = client.put_bucket_lifecycle(bucket=bucket, rules=[rule])  # type: ignore[list-item]
    assert put.status == 200, put.response
    got = client.get_bucket_lifecycle(bucket=bucket).raise_for_status()
    assert got.response["LifecycleConfiguration"]["Rule"] == [rule]  # one Transition: a dict
    # the same rule read the current way: Transition is a list there
    (current,) = client.get_bucket_lifecycle_configuration(bucket=bucket).response[
        "LifecycleConfiguration"
    ]["Rule"]
    assert current["Transition"] == [rule["Transition"]]
    assert current["Prefix"] == "old/"
    client.delete_bucket_lifecycle(bucket=bucket).raise_for_status()


# --- policy -----------------------------------------------------------------------------------


def public_read_policy(bucket: str) -> dict[str, Any]:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "public-read",
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{bucket}/*",
            }
        ],
    }


def test_policy_put_get_delete(on: Callable[..., Target]) -> None:
    t = on(*POLICY)
    client, bucket = t.client, t.new_bucket()
    missing = client.get_bucket_policy(bucket=bucket)
    assert missing.status == 404
    assert error_code(missing) == "NoSuchBucketPolicy"

    policy = public_read_policy(bucket)
    put = client.put_bucket_policy(bucket=bucket, policy=json.dumps(policy))
    assert put.status in (200, 204), put.response  # AWS and radosgw 16 answer 204, moto 200
    got = client.get_bucket_policy(bucket=bucket).raise_for_status()
    assert got.response == {}  # the JSON text is the body, not XML
    assert json.loads(got.body) == policy

    deleted = client.delete_bucket_policy(bucket=bucket)
    assert deleted.status in (200, 204), deleted.response  # AWS 204; radosgw 16 200
    assert client.get_bucket_policy(bucket=bucket).status == 404


def test_policy_status_follows_the_policy(client: s3wire.Client, bucket: str) -> None:
    private = client.get_bucket_policy_status(bucket=bucket).raise_for_status()
    assert private.response == {"PolicyStatus": {"IsPublic": False}}
    policy = json.dumps(public_read_policy(bucket))
    client.put_bucket_policy(bucket=bucket, policy=policy).raise_for_status()
    public = client.get_bucket_policy_status(bucket=bucket).raise_for_status()
    assert public.response == {"PolicyStatus": {"IsPublic": True}}
    client.delete_bucket_policy(bucket=bucket).raise_for_status()
    after = client.get_bucket_policy_status(bucket=bucket).raise_for_status()
    assert after.response == {"PolicyStatus": {"IsPublic": False}}


@pytest.mark.parametrize("addressing", ["path"])
def test_policy_status_on_a_server_without_it(moto_data: s3wire.ConnectionData) -> None:
    """moto 5 answers ?policyStatus with the bucket's listing: the capability table says so."""
    assert not supports("moto", "GetBucketPolicyStatus")
    with s3wire.Client(moto_data) as client:
        bucket = f"s3wire-cfg-{uuid.uuid4().hex[:8]}"
        client.create_bucket(bucket=bucket).raise_for_status()
        try:
            answer = client.get_bucket_policy_status(bucket=bucket)
            assert "PolicyStatus" not in answer.response
            assert answer.response["ListBucketResult"]["Name"] == bucket
        finally:
            client.delete_bucket(bucket=bucket).raise_for_status()


# --- website ----------------------------------------------------------------------------------


def test_website_is_refused_by_radosgw(
    client: s3wire.Client, bucket: str, s3_server: servers.S3Server
) -> None:
    if s3_server.kind != "radosgw":
        pytest.skip(f"this asserts radosgw's refusal; the server is {s3_server.kind}")
    assert not supports("radosgw", *WEBSITE)
    refused = client.put_bucket_website(bucket=bucket, index_document={"Suffix": "index.html"})
    assert refused.status == 405
    assert error_code(refused) == "MethodNotAllowed"
    assert client.get_bucket_website(bucket=bucket).status == 405


def test_website_put_get_delete(on: Callable[..., Target]) -> None:
    t = on(*WEBSITE)
    client, bucket = t.client, t.new_bucket()
    missing = client.get_bucket_website(bucket=bucket)
    assert missing.status == 404
    assert error_code(missing) == "NoSuchWebsiteConfiguration"

    routing: list[dict[str, Any]] = [
        {
            "Condition": {"KeyPrefixEquals": "docs/"},
            "Redirect": {"ReplaceKeyPrefixWith": "documents/", "HttpRedirectCode": "301"},
        },
        {
            "Condition": {"HttpErrorCodeReturnedEquals": "404"},
            "Redirect": {
                "HostName": "example.com",
                "Protocol": "https",
                "ReplaceKeyWith": "x.html",
            },
        },
    ]
    put = client.put_bucket_website(
        bucket=bucket,
        index_document={"Suffix": "index.html"},
        error_document={"Key": "error.html"},
        routing_rules=routing,  # type: ignore[arg-type]
    )
    assert put.status == 200, put.response
    got = client.get_bucket_website(bucket=bucket).raise_for_status()
    assert got.response == {
        "WebsiteConfiguration": {
            "IndexDocument": {"Suffix": "index.html"},
            "ErrorDocument": {"Key": "error.html"},
            "RoutingRules": {"RoutingRule": routing},
        }
    }

    client.put_bucket_website(
        bucket=bucket, redirect_all_requests_to={"HostName": "example.com", "Protocol": "https"}
    ).raise_for_status()
    redirected = client.get_bucket_website(bucket=bucket).raise_for_status()
    assert redirected.response == {
        "WebsiteConfiguration": {
            "RedirectAllRequestsTo": {"HostName": "example.com", "Protocol": "https"}
        }
    }

    deleted = client.delete_bucket_website(bucket=bucket)
    assert deleted.status == 204, deleted.response
    assert client.get_bucket_website(bucket=bucket).status == 404


# --- logging ----------------------------------------------------------------------------------


def test_logging_on_radosgw_is_off_and_cannot_be_set(
    client: s3wire.Client, bucket: str, s3_server: servers.S3Server
) -> None:
    if s3_server.kind != "radosgw":
        pytest.skip(f"this asserts radosgw's answers; the server is {s3_server.kind}")
    assert supports("radosgw", "GetBucketLogging")
    assert not supports("radosgw", "PutBucketLogging")
    off = client.get_bucket_logging(bucket=bucket).raise_for_status()
    assert off.response == {"BucketLoggingStatus": {}}
    status = {"LoggingEnabled": {"TargetBucket": bucket, "TargetPrefix": "logs/"}}
    refused = client.put_bucket_logging(bucket=bucket, bucket_logging_status=status)  # type: ignore[arg-type]
    assert refused.status == 405
    assert error_code(refused) == "MethodNotAllowed"


def without_empty_grantee_members(enabled: Any) -> dict[str, Any]:
    """A LoggingEnabled answer without the empty grantee members moto 5 answers (S3 leaves them
    out)."""
    grants = [
        {**grant, "Grantee": {k: v for k, v in grant["Grantee"].items() if v}}
        for grant in enabled["TargetGrants"]["Grant"]
    ]
    return {**enabled, "TargetGrants": {"Grant": grants}}


def test_logging_on_off(on: Callable[..., Target]) -> None:
    t = on("PutBucketLogging", "GetBucketLogging")
    client, bucket = t.client, t.new_bucket()
    assert client.get_bucket_logging(bucket=bucket).response == {"BucketLoggingStatus": {}}

    # the log bucket lets S3's log delivery group write (S3 also takes a bucket policy)
    logs = f"s3wire-cfg-{uuid.uuid4().hex[:8]}"
    client.create_bucket(bucket=logs, acl="log-delivery-write").raise_for_status()
    t.adopt(logs)
    reader = "75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a"
    grants: list[dict[str, Any]] = [
        {
            "Grantee": {
                "@xsi:type": "Group",
                "URI": "http://acs.amazonaws.com/groups/global/AuthenticatedUsers",
            },
            "Permission": "READ",
        },
        {"Grantee": {"@xsi:type": "CanonicalUser", "ID": reader}, "Permission": "FULL_CONTROL"},
    ]
    enabled = {
        "TargetBucket": logs,
        "TargetPrefix": f"{bucket}/",
        "TargetGrants": {"Grant": grants},
    }
    put = client.put_bucket_logging(
        bucket=bucket,
        bucket_logging_status={"LoggingEnabled": enabled},  # type: ignore[typeddict-item]
    )
    assert put.status == 200, put.response
    got = client.get_bucket_logging(bucket=bucket).raise_for_status()
    answered = got.response["BucketLoggingStatus"]["LoggingEnabled"]
    # each grantee keeps its xsi:type; moto 5 adds the members it leaves empty
    assert without_empty_grantee_members(answered) == enabled

    # the status read back can be sent again as is
    client.put_bucket_logging(
        bucket=bucket, bucket_logging_status=got.response["BucketLoggingStatus"]
    ).raise_for_status()
    again = client.get_bucket_logging(bucket=bucket).raise_for_status()
    assert (
        without_empty_grantee_members(again.response["BucketLoggingStatus"]["LoggingEnabled"])
        == enabled
    )

    # an empty status turns logging off
    off = client.put_bucket_logging(bucket=bucket, bucket_logging_status={})
    assert off.status == 200, off.response
    assert client.get_bucket_logging(bucket=bucket).response == {"BucketLoggingStatus": {}}


# --- notifications ----------------------------------------------------------------------------


@pytest.fixture
def topic_arn() -> Iterator[Callable[[Target], str]]:
    """topic_arn(target): an SNS topic's ARN that the target's server accepts in notifications.

    radosgw checks that the topic exists: it is made with radosgw's SNS-style API (on the S3
    endpoint) and removed afterwards. moto does not check.
    """
    made: list[tuple[s3wire.Client, str]] = []

    def make(t: Target) -> str:
        if t.kind != "radosgw":
            return f"arn:aws:sns:us-east-1:123456789012:s3wire-{uuid.uuid4().hex[:8]}"
        form = {
            "Action": "CreateTopic",
            "Name": f"s3wire-{uuid.uuid4().hex[:8]}",
            "push-endpoint": "http://127.0.0.1:9/",  # never called: nothing is written
        }
        answer = t.client.request(
            "POST",
            "/",
            body=urlencode(form).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        ).raise_for_status()
        arn: str = answer.response["CreateTopicResponse"]["CreateTopicResult"]["TopicArn"]
        made.append((t.client, arn))
        return arn

    yield make
    for client, arn in made:
        body = urlencode({"Action": "DeleteTopic", "TopicArn": arn}).encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        client.request("POST", "/", body=body, headers=headers).raise_for_status()


def test_notification_configuration_put_get_clear(
    on: Callable[..., Target], topic_arn: Callable[[Target], str]
) -> None:
    t = on(*NOTIFICATION)
    client, bucket = t.client, t.new_bucket()
    empty = client.get_bucket_notification_configuration(bucket=bucket).raise_for_status()
    if t.kind == "moto":
        # moto 5 answers an empty configuration under another root element
        assert empty.response == {"GetBucketNotificationResponse": ""}
    else:
        assert empty.response == {
            "NotificationConfiguration": {
                "TopicConfiguration": [],
                "QueueConfiguration": [],
                "CloudFunctionConfiguration": [],
            }
        }

    topic: dict[str, Any] = {
        "Id": "new-photos",
        "Topic": topic_arn(t),
        "Event": ["s3:ObjectCreated:*", "s3:ObjectRemoved:Delete"],
        "Filter": {
            "S3Key": {
                "FilterRule": [
                    {"Name": "prefix", "Value": "photos/"},
                    {"Name": "suffix", "Value": ".jpg"},
                ]
            }
        },
    }
    put = client.put_bucket_notification_configuration(
        bucket=bucket,
        notification_configuration={"TopicConfiguration": [topic]},  # type: ignore[list-item]
    )
    assert put.status == 200, put.response
    got = client.get_bucket_notification_configuration(bucket=bucket).raise_for_status()
    configuration = got.response["NotificationConfiguration"]
    assert configuration == {
        "TopicConfiguration": [topic],
        "QueueConfiguration": [],
        "CloudFunctionConfiguration": [],
    }

    # the configuration read back can be sent again as is
    client.put_bucket_notification_configuration(
        bucket=bucket, notification_configuration=configuration
    ).raise_for_status()
    assert client.get_bucket_notification_configuration(bucket=bucket).response == got.response

    # an empty configuration turns notifications off
    cleared = client.put_bucket_notification_configuration(
        bucket=bucket, notification_configuration={}
    )
    if t.kind == "radosgw":
        # radosgw 16 refuses the empty configuration; its own DELETE ?notification removes them
        assert cleared.status == 400
        assert error_code(cleared) == "MalformedXML"
        client.request("DELETE", f"/{bucket}?notification").raise_for_status()
        after = client.get_bucket_notification_configuration(bucket=bucket)
        assert after.response["NotificationConfiguration"]["TopicConfiguration"] == []
    else:
        assert cleared.status == 200, cleared.response
        after = client.get_bucket_notification_configuration(bucket=bucket)
        assert "TopicConfiguration" not in json.dumps(after.response)


def test_notification_in_the_original_format(
    on: Callable[..., Target], topic_arn: Callable[[Target], str]
) -> None:
    t = on(*NOTIFICATION_DEPRECATED)
    client, bucket = t.client, t.new_bucket()
    topic = {"Id": "old-style", "Event": ["s3:ObjectCreated:*"], "Topic": topic_arn(t)}
    put = client.put_bucket_notification(
        bucket=bucket,
        notification_configuration={"TopicConfiguration": topic},  # type: ignore[typeddict-item]
    )
    assert put.status == 200, put.response
    got = client.get_bucket_notification(bucket=bucket).raise_for_status()
    # one TopicConfiguration, a dict; its events a list even when single
    assert got.response["NotificationConfiguration"]["TopicConfiguration"] == topic
    if t.kind == "radosgw":
        client.request("DELETE", f"/{bucket}?notification").raise_for_status()


# --- Requester Pays ---------------------------------------------------------------------------


def test_request_payment_put_get(client: s3wire.Client, bucket: str) -> None:
    default = client.get_bucket_request_payment(bucket=bucket).raise_for_status()
    assert default.response == {"RequestPaymentConfiguration": {"Payer": "BucketOwner"}}

    put = client.put_bucket_request_payment(bucket=bucket, payer="Requester")
    assert put.status == 200, put.response
    got = client.get_bucket_request_payment(bucket=bucket).raise_for_status()
    assert got.response["RequestPaymentConfiguration"]["Payer"] == "Requester"

    client.put_bucket_request_payment(bucket=bucket, payer="BucketOwner").raise_for_status()
    back = client.get_bucket_request_payment(bucket=bucket).raise_for_status()
    assert back.response["RequestPaymentConfiguration"]["Payer"] == "BucketOwner"


def test_request_payment_payer_is_checked_before_sending(client: s3wire.Client) -> None:
    with pytest.raises(s3wire.ParamError, match="payer"):
        client.put_bucket_request_payment(bucket="never-sent", payer="requester")  # type: ignore[arg-type]


# --- Transfer Acceleration --------------------------------------------------------------------


def test_accelerate_is_refused_by_radosgw(
    client: s3wire.Client, bucket: str, s3_server: servers.S3Server
) -> None:
    """Only the PUT is asserted: radosgw 16 answers GET ?accelerate with the object listing."""
    if s3_server.kind != "radosgw":
        pytest.skip(f"this asserts radosgw's refusal; the server is {s3_server.kind}")
    assert not supports("radosgw", *ACCELERATE)
    refused = client.put_bucket_accelerate_configuration(bucket=bucket, status="Enabled")
    assert refused.status == 400
    assert error_code(refused) == "InvalidArgument"


def test_accelerate_put_get(on: Callable[..., Target]) -> None:
    t = on(*ACCELERATE)
    client, bucket = t.client, t.new_bucket()
    # S3 answers <AccelerateConfiguration>; moto 5 names the root element after the operation
    root = (
        "GetBucketAccelerateConfigurationResponse"
        if t.kind == "moto"
        else "AccelerateConfiguration"
    )
    never = client.get_bucket_accelerate_configuration(bucket=bucket).raise_for_status()
    assert not never.response[root]  # never set: no Status

    for status in ("Enabled", "Suspended"):
        put = client.put_bucket_accelerate_configuration(bucket=bucket, status=status)
        assert put.status == 200, put.response
        got = client.get_bucket_accelerate_configuration(bucket=bucket).raise_for_status()
        assert got.response == {root: {"Status": status}}


# --- location ---------------------------------------------------------------------------------


def test_bucket_location(client: s3wire.Client, bucket: str, s3_server: servers.S3Server) -> None:
    answer = client.get_bucket_location(bucket=bucket).raise_for_status()
    if s3_server.kind == "radosgw":
        # radosgw names its zonegroup: "default" for the test server
        assert answer.response == {"LocationConstraint": "default"}
    else:
        # S3 (and moto) answer an empty LocationConstraint for us-east-1
        assert answer.response == {"LocationConstraint": ""}


@pytest.mark.parametrize("addressing", ["path"])
def test_bucket_location_on_moto(moto_data: s3wire.ConnectionData) -> None:
    with s3wire.Client(moto_data) as client:
        bucket = f"s3wire-cfg-{uuid.uuid4().hex[:8]}"
        client.create_bucket(bucket=bucket).raise_for_status()
        placed = f"s3wire-cfg-{uuid.uuid4().hex[:8]}"
        client.create_bucket(bucket=placed, location_constraint="eu-west-1").raise_for_status()
        try:
            us_east_1 = client.get_bucket_location(bucket=bucket).raise_for_status()
            assert us_east_1.response == {"LocationConstraint": ""}
            elsewhere = client.get_bucket_location(bucket=placed).raise_for_status()
            assert elsewhere.response == {"LocationConstraint": "eu-west-1"}
        finally:
            empty_and_delete(client, bucket)
            empty_and_delete(client, placed)
