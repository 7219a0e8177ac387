"""The exact requests of the bucket configuration operations (spec/bucket-config/), and how their
answers parse, without a server: what the test servers lack or answer differently from S3."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from recording import Recorder, botocore_authorization, client_with, md5, sent

import s3wire

NS = 'xmlns="http://s3.amazonaws.com/doc/2006-03-01/"'
XML = '<?xml version="1.0" encoding="UTF-8"?>\n'


def test_put_bucket_accelerate_configuration_request() -> None:
    recorder = Recorder()
    client_with(recorder).put_bucket_accelerate_configuration(bucket="bkt", status="Enabled")
    method, url, headers, body = sent(recorder)
    assert (method, url) == ("PUT", "http://127.0.0.1:7480/bkt?accelerate=")
    assert (
        body
        == (
            f"{XML}<AccelerateConfiguration {NS}><Status>Enabled</Status></AccelerateConfiguration>"
        ).encode()
    )
    assert headers["Content-Type"] == "application/xml"
    assert "Content-MD5" not in headers  # S3 does not ask for one here
    assert headers["Authorization"] == botocore_authorization(
        method, url, headers, body, "us-east-1"
    )


def test_get_bucket_accelerate_configuration_parses_s3s_answer() -> None:
    """moto names the root element differently; this is S3's answer."""
    answer = (
        f"{XML}<AccelerateConfiguration {NS}><Status>Suspended</Status></AccelerateConfiguration>"
    )
    recorder = Recorder(200, answer.encode(), **{"x-amz-request-charged": "requester"})
    got = client_with(recorder).get_bucket_accelerate_configuration(
        bucket="bkt", request_payer="requester"
    )
    method, url, headers, _ = sent(recorder)
    assert (method, url) == ("GET", "http://127.0.0.1:7480/bkt?accelerate=")
    assert headers["x-amz-request-payer"] == "requester"
    assert got.response == {"AccelerateConfiguration": {"Status": "Suspended"}}
    assert got.fields == {"request_charged": "requester"}


def test_put_bucket_request_payment_request() -> None:
    recorder = Recorder()
    client_with(recorder).put_bucket_request_payment(bucket="bkt", payer="Requester")
    method, url, headers, body = sent(recorder)
    assert (method, url) == ("PUT", "http://127.0.0.1:7480/bkt?requestPayment=")
    assert (
        body
        == (
            f"{XML}<RequestPaymentConfiguration {NS}><Payer>Requester</Payer>"
            "</RequestPaymentConfiguration>"
        ).encode()
    )
    assert headers["Content-MD5"] == md5(body)


def test_put_bucket_policy_sends_the_text_with_its_md5() -> None:
    recorder = Recorder(204)
    policy = '{"Version": "2012-10-17", "Statement": [{"Sid": "é"}]}'
    client_with(recorder).put_bucket_policy(
        bucket="bkt", policy=policy, confirm_remove_self_bucket_access=True
    )
    method, url, headers, body = sent(recorder)
    assert (method, url) == ("PUT", "http://127.0.0.1:7480/bkt?policy=")
    assert body == policy.encode("utf-8")
    assert headers["Content-MD5"] == md5(body)
    assert headers["x-amz-confirm-remove-self-bucket-access"] == "true"
    assert "Content-Type" not in headers  # a text payload, not an XML body


def test_get_bucket_policy_keeps_the_json_as_the_body() -> None:
    policy = b'{"Version":"2012-10-17","Statement":[]}'
    got = client_with(Recorder(200, policy)).get_bucket_policy(bucket="bkt")
    assert got.response == {}
    assert got.body == policy


def test_put_bucket_lifecycle_configuration_body() -> None:
    recorder = Recorder()
    client_with(recorder).put_bucket_lifecycle_configuration(
        bucket="bkt",
        rules=[
            {
                "ID": "r1",
                "Filter": {"And": {"Prefix": "a/", "Tag": [{"Key": "k", "Value": "v"}]}},
                "Status": "Enabled",
                "Expiration": {"Date": dt.datetime(2030, 1, 1, tzinfo=dt.timezone.utc)},
                "Transition": [
                    {"Days": 30, "StorageClass": "STANDARD_IA"},
                    {"Days": 90, "StorageClass": "GLACIER"},
                ],
            },
            {"Filter": {}, "Status": "Disabled", "Expiration": {"ExpiredObjectDeleteMarker": True}},
        ],
        transition_default_minimum_object_size="varies_by_storage_class",
    )
    method, url, headers, body = sent(recorder)
    assert (method, url) == ("PUT", "http://127.0.0.1:7480/bkt?lifecycle=")
    # the elements in the shape's order (S3's), whatever the order of the dicts' keys
    assert (
        body
        == (
            f"{XML}<LifecycleConfiguration {NS}>"
            "<Rule><Expiration><Date>2030-01-01T00:00:00.000Z</Date></Expiration><ID>r1</ID>"
            "<Filter><And><Prefix>a/</Prefix><Tag><Key>k</Key><Value>v</Value></Tag></And></Filter>"
            "<Status>Enabled</Status>"
            "<Transition><Days>30</Days><StorageClass>STANDARD_IA</StorageClass></Transition>"
            "<Transition><Days>90</Days><StorageClass>GLACIER</StorageClass></Transition></Rule>"
            "<Rule><Expiration><ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker>"
            "</Expiration><Filter></Filter><Status>Disabled</Status></Rule>"
            "</LifecycleConfiguration>"
        ).encode()
    )
    assert headers["Content-MD5"] == md5(body)
    assert headers["x-amz-transition-default-minimum-object-size"] == "varies_by_storage_class"


def test_put_bucket_website_body() -> None:
    recorder = Recorder()
    client_with(recorder).put_bucket_website(
        bucket="bkt",
        index_document={"Suffix": "index.html"},
        error_document={"Key": "404.html"},
        routing_rules=[
            {"Condition": {"KeyPrefixEquals": "a&b/"}, "Redirect": {"ReplaceKeyWith": "c.html"}}
        ],
    )
    _, _, headers, body = sent(recorder)
    assert (
        body
        == (
            f"{XML}<WebsiteConfiguration {NS}>"
            "<ErrorDocument><Key>404.html</Key></ErrorDocument>"
            "<IndexDocument><Suffix>index.html</Suffix></IndexDocument>"
            "<RoutingRules><RoutingRule><Condition><KeyPrefixEquals>a&amp;b/</KeyPrefixEquals>"
            "</Condition><Redirect><ReplaceKeyWith>c.html</ReplaceKeyWith></Redirect></RoutingRule>"
            "</RoutingRules></WebsiteConfiguration>"
        ).encode()
    )
    assert headers["Content-MD5"] == md5(body)


def test_put_bucket_notification_configuration_body() -> None:
    recorder = Recorder()
    client_with(recorder).put_bucket_notification_configuration(
        bucket="bkt",
        notification_configuration={
            "QueueConfiguration": [
                {"Id": "q", "Queue": "arn:aws:sqs:us-east-1:1:q", "Event": ["s3:ObjectCreated:*"]}
            ],
            "CloudFunctionConfiguration": [
                {
                    "CloudFunction": "arn:aws:lambda:us-east-1:1:function:f",
                    "Event": ["s3:ObjectRemoved:*"],
                    "Filter": {"S3Key": {"FilterRule": [{"Name": "suffix", "Value": ".jpg"}]}},
                }
            ],
            "EventBridgeConfiguration": {},
        },
        skip_destination_validation=True,
    )
    method, url, headers, body = sent(recorder)
    assert (method, url) == ("PUT", "http://127.0.0.1:7480/bkt?notification=")
    assert (
        body
        == (
            f"{XML}<NotificationConfiguration {NS}>"
            "<QueueConfiguration><Id>q</Id><Queue>arn:aws:sqs:us-east-1:1:q</Queue>"
            "<Event>s3:ObjectCreated:*</Event></QueueConfiguration>"
            "<CloudFunctionConfiguration><CloudFunction>arn:aws:lambda:us-east-1:1:function:f"
            "</CloudFunction><Event>s3:ObjectRemoved:*</Event><Filter><S3Key><FilterRule>"
            "<Name>suffix</Name><Value>.jpg</Value></FilterRule></S3Key></Filter>"
            "</CloudFunctionConfiguration>"
            "<EventBridgeConfiguration></EventBridgeConfiguration>"
            "</NotificationConfiguration>"
        ).encode()
    )
    assert headers["x-amz-skip-destination-validation"] == "true"


def test_an_empty_notification_configuration_is_still_sent() -> None:
    """S3 turns notifications off with an empty configuration: the body must not be dropped."""
    recorder = Recorder()
    client_with(recorder).put_bucket_notification_configuration(
        bucket="bkt", notification_configuration={}
    )
    _, _, headers, body = sent(recorder)
    assert body == f"{XML}<NotificationConfiguration {NS}></NotificationConfiguration>".encode()
    assert headers["Content-Type"] == "application/xml"


def test_get_bucket_notification_configuration_parses_every_kind() -> None:
    answer = (
        f"{XML}<NotificationConfiguration {NS}>"
        "<TopicConfiguration><Id>t</Id><Topic>arn:t</Topic><Event>s3:ObjectCreated:*</Event>"
        "</TopicConfiguration>"
        "<CloudFunctionConfiguration><Id>f</Id><CloudFunction>arn:f</CloudFunction>"
        "<Event>e1</Event><Event>e2</Event></CloudFunctionConfiguration>"
        "<EventBridgeConfiguration/></NotificationConfiguration>"
    )
    got = client_with(Recorder(200, answer.encode())).get_bucket_notification_configuration(
        bucket="bkt"
    )
    assert got.response == {
        "NotificationConfiguration": {
            "TopicConfiguration": [{"Id": "t", "Topic": "arn:t", "Event": ["s3:ObjectCreated:*"]}],
            "QueueConfiguration": [],
            "CloudFunctionConfiguration": [
                {"Id": "f", "CloudFunction": "arn:f", "Event": ["e1", "e2"]}
            ],
            "EventBridgeConfiguration": {},
        }
    }


def test_put_bucket_logging_body_writes_the_grantee_type_attribute() -> None:
    recorder = Recorder()
    client_with(recorder).put_bucket_logging(
        bucket="bkt",
        bucket_logging_status={
            "LoggingEnabled": {
                "TargetBucket": "logs",
                "TargetPrefix": "bkt/",
                "TargetGrants": {
                    "Grant": [
                        {
                            "Grantee": {"@xsi:type": "Group", "URI": "http://acs/AllUsers"},
                            "Permission": "READ",
                        }
                    ]
                },
                "TargetObjectKeyFormat": {"SimplePrefix": {}},
            }
        },
    )
    method, url, headers, body = sent(recorder)
    assert (method, url) == ("PUT", "http://127.0.0.1:7480/bkt?logging=")
    assert (
        body
        == (
            f"{XML}<BucketLoggingStatus {NS}><LoggingEnabled><TargetBucket>logs</TargetBucket>"
            "<TargetGrants><Grant><Grantee"
            ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="Group">'
            "<URI>http://acs/AllUsers</URI></Grantee><Permission>READ</Permission></Grant>"
            "</TargetGrants><TargetPrefix>bkt/</TargetPrefix>"
            "<TargetObjectKeyFormat><SimplePrefix></SimplePrefix></TargetObjectKeyFormat>"
            "</LoggingEnabled></BucketLoggingStatus>"
        ).encode()
    )
    assert headers["Content-MD5"] == md5(body)


def test_an_empty_logging_status_is_still_sent() -> None:
    """S3 turns logging off with an empty status: the body must not be dropped."""
    recorder = Recorder()
    client_with(recorder).put_bucket_logging(bucket="bkt", bucket_logging_status={})
    _, _, _, body = sent(recorder)
    assert body == f"{XML}<BucketLoggingStatus {NS}></BucketLoggingStatus>".encode()


def test_get_bucket_logging_keeps_the_grantee_type() -> None:
    answer = (
        f"{XML}<BucketLoggingStatus {NS}><LoggingEnabled><TargetBucket>logs</TargetBucket>"
        '<TargetGrants><Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
        ' xsi:type="CanonicalUser"><ID>abc</ID></Grantee><Permission>WRITE</Permission></Grant>'
        "</TargetGrants><TargetPrefix>p/</TargetPrefix></LoggingEnabled></BucketLoggingStatus>"
    )
    got = client_with(Recorder(200, answer.encode())).get_bucket_logging(bucket="bkt")
    assert got.response == {
        "BucketLoggingStatus": {
            "LoggingEnabled": {
                "TargetBucket": "logs",
                "TargetGrants": {
                    "Grant": [
                        {
                            "Grantee": {"@xsi:type": "CanonicalUser", "ID": "abc"},
                            "Permission": "WRITE",
                        }
                    ]
                },
                "TargetPrefix": "p/",
            }
        }
    }


def test_get_bucket_location_answers_the_region_text() -> None:
    answer = f"{XML}<LocationConstraint {NS}>eu-west-1</LocationConstraint>"
    got = client_with(Recorder(200, answer.encode())).get_bucket_location(bucket="bkt")
    assert got.response == {"LocationConstraint": "eu-west-1"}
    empty = client_with(Recorder(200, f"{XML}<LocationConstraint {NS}/>".encode()))
    assert empty.get_bucket_location(bucket="bkt").response == {"LocationConstraint": ""}


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda c: c.put_bucket_cors(bucket="b", cors_rules={"AllowedMethod": ["GET"]}), "list"),
        (lambda c: c.put_bucket_lifecycle_configuration(bucket="b", rules=[{"Days": 1}]), "Days"),
        (lambda c: c.put_bucket_website(bucket="b", index_document="index.html"), "dict"),
        (
            lambda c: c.put_bucket_notification_configuration(
                bucket="b", notification_configuration={"TopicConfiguration": {"Topic": "t"}}
            ),
            "list",
        ),
        (lambda c: c.put_bucket_policy(bucket="b", policy={"Version": "2012-10-17"}), "str"),
        (lambda c: c.put_bucket_accelerate_configuration(bucket="b", status="On"), "status"),
    ],
)
def test_bad_configurations_are_refused_before_sending(call: Any, message: str) -> None:
    recorder = Recorder()
    with pytest.raises(s3wire.ParamError, match=message):
        call(client_with(recorder))
    assert recorder.sent == []
