"""The exact requests of the operations neither test server has (torrents, renames, object
encryption updates, directory-bucket sessions and listings, Object Lambda answers), and of the
request bodies that matter most for the others (ACLs with their xsi:type attributes, Object Lock,
S3 Select), with S3's answers parsed: checked without a server, signatures against botocore's."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import pytest
from recording import (
    SESSION_TOKEN,
    Pages,
    Recorder,
    botocore_authorization,
    client_with,
    express_authorization,
    md5,
    sent,
    session_answer,
)

import s3wire
from s3wire.testing import Answer, MockTransport, Request

NS = 'xmlns="http://s3.amazonaws.com/doc/2006-03-01/"'
XSI = 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
XML = '<?xml version="1.0" encoding="UTF-8"?>\n'
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()
WHEN = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)
DIRECTORY_BUCKET = "bkt--usw2-az1--x-s3"
ZONAL_URL = "https://s3express-usw2-az1.us-west-2.amazonaws.com"


def check_signature(
    recorder: Recorder, region: str = "us-east-1", service: str = "s3"
) -> dict[str, str]:
    """The request's headers, once its Authorization and payload hash are checked."""
    method, url, headers, body = sent(recorder)
    assert headers["x-amz-content-sha256"] == hashlib.sha256(body).hexdigest()
    assert f"/{region}/{service}/aws4_request" in headers["Authorization"]
    assert headers["Authorization"] == botocore_authorization(
        method, url, headers, body, region, service
    )
    return headers


# --- operations neither test server has ----------------------------------------------------------


def test_get_object_torrent_request_and_payload() -> None:
    torrent = b"d8:announce35:udp://tracker.example:80/announce4:infod6:lengthi5eee"
    recorder = Recorder(200, torrent, **{"x-amz-request-charged": "requester"})
    answer = client_with(recorder).get_object_torrent(
        bucket="bkt", key="movies/a b.mp4", request_payer="requester", expected_bucket_owner="1234"
    )
    method, url, headers, body = sent(recorder)
    assert (method, url, body) == (
        "GET",
        "http://127.0.0.1:7480/bkt/movies/a%20b.mp4?torrent=",
        b"",
    )
    assert headers["x-amz-request-payer"] == "requester"
    assert headers["x-amz-expected-bucket-owner"] == "1234"
    check_signature(recorder)
    # the torrent file is data, kept as bytes and not parsed
    assert (answer.status, answer.body, answer.response) == (200, torrent, {})
    assert answer.fields == {"request_charged": "requester"}


def test_rename_object_request() -> None:
    def zonal(request: Request) -> Answer:
        return session_answer() if "session" in request.query else Answer()

    recorder = MockTransport(zonal)
    client = client_with(recorder, "https://s3.us-west-2.amazonaws.com", region="us-west-2")
    client.rename_object(
        bucket=DIRECTORY_BUCKET,
        key="new name.txt",
        rename_source=f"/{DIRECTORY_BUCKET}/old%20name.txt",
        destination_if_none_match="*",
        destination_if_unmodified_since=WHEN,
        source_if_match='"0123abcd"',
        source_if_modified_since=WHEN,
        client_token="retry-1",
    )
    create, (method, url, headers, body) = recorder.requests
    assert "session" in create.query
    assert method == "PUT"
    assert url == (
        f"https://{DIRECTORY_BUCKET}.s3express-usw2-az1.us-west-2.amazonaws.com"
        "/new%20name.txt?renameObject="
    )
    assert not body
    assert "Content-Type" not in headers
    assert {
        k: v for k, v in headers.items() if k.lower().startswith(("x-amz-r", "if-", "x-amz-c"))
    } == {
        "x-amz-rename-source": f"/{DIRECTORY_BUCKET}/old%20name.txt",
        "If-None-Match": "*",
        "If-Unmodified-Since": "Fri, 02 Jan 2026 03:04:05 GMT",
        "x-amz-rename-source-if-match": '"0123abcd"',
        "x-amz-rename-source-if-modified-since": "Fri, 02 Jan 2026 03:04:05 GMT",
        "x-amz-client-token": "retry-1",
        "x-amz-content-sha256": EMPTY_SHA256,
    }
    assert headers["x-amz-s3session-token"] == SESSION_TOKEN
    assert headers["Authorization"] == express_authorization(recorder.last)


def test_rename_object_needs_its_source() -> None:
    with pytest.raises(TypeError, match="rename_source"):
        client_with(Recorder()).rename_object(bucket="b", key="k")  # type: ignore[call-arg]


def test_update_object_encryption_request() -> None:
    recorder = Recorder(200, b"", **{"x-amz-request-charged": "requester"})
    arn = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    answer = client_with(recorder, "https://s3.us-east-1.amazonaws.com").update_object_encryption(
        bucket="bkt",
        key="report.csv",
        kms_key_arn=arn,
        bucket_key_enabled=True,
        version_id="v/1",
        request_payer="requester",
    )
    method, url, headers, body = sent(recorder)
    assert (method, url) == (
        "PUT",
        "https://bkt.s3.us-east-1.amazonaws.com/report.csv?encryption=&versionId=v%2F1",
    )
    assert (
        body
        == (
            f"{XML}<ObjectEncryption {NS}><SSE-KMS><KMSKeyArn>{arn}</KMSKeyArn>"
            "<BucketKeyEnabled>true</BucketKeyEnabled></SSE-KMS></ObjectEncryption>"
        ).encode()
    )
    assert headers["Content-Type"] == "application/xml"
    assert headers["Content-MD5"] == md5(body)  # S3 requires a checksum of this body
    assert headers["x-amz-request-payer"] == "requester"
    check_signature(recorder)
    assert answer.fields == {"request_charged": "requester"}

    # without the optional member, only the key's ARN is sent
    recorder = Recorder()
    client_with(recorder).update_object_encryption(bucket="bkt", key="k", kms_key_arn=arn)
    assert (
        sent(recorder)[3]
        == (
            f"{XML}<ObjectEncryption {NS}><SSE-KMS><KMSKeyArn>{arn}</KMSKeyArn></SSE-KMS>"
            "</ObjectEncryption>"
        ).encode()
    )


def test_create_session_request_and_credentials() -> None:
    answer_xml = (
        f"{XML}<CreateSessionResult {NS}><Credentials>"
        "<SessionToken>token/abc</SessionToken><SecretAccessKey>secret+key</SecretAccessKey>"
        "<AccessKeyId>ASIAEXAMPLE</AccessKeyId><Expiration>2026-01-02T03:09:05Z</Expiration>"
        "</Credentials></CreateSessionResult>"
    )
    recorder = Recorder(
        200,
        answer_xml.encode(),
        **{
            "x-amz-server-side-encryption": "aws:kms",
            "x-amz-server-side-encryption-aws-kms-key-id": "key-1",
            "x-amz-server-side-encryption-bucket-key-enabled": "true",
        },
    )
    client = client_with(
        recorder, ZONAL_URL, region="us-west-2", service="s3express", addressing_style="virtual"
    )
    answer = client.create_session(
        bucket=DIRECTORY_BUCKET,
        session_mode="ReadOnly",
        server_side_encryption="aws:kms",
        sse_kms_key_id="key-1",
        sse_kms_encryption_context="eyJhIjoiYiJ9",
        bucket_key_enabled=True,
    )
    method, url, headers, body = sent(recorder)
    assert (method, body) == ("GET", b"")
    assert url == f"https://{DIRECTORY_BUCKET}.s3express-usw2-az1.us-west-2.amazonaws.com/?session="
    assert headers["x-amz-create-session-mode"] == "ReadOnly"
    assert headers["x-amz-server-side-encryption"] == "aws:kms"
    assert headers["x-amz-server-side-encryption-aws-kms-key-id"] == "key-1"
    assert headers["x-amz-server-side-encryption-context"] == "eyJhIjoiYiJ9"
    assert headers["x-amz-server-side-encryption-bucket-key-enabled"] == "true"
    check_signature(recorder, "us-west-2", "s3express")
    assert answer.response == {
        "CreateSessionResult": {
            "Credentials": {
                "SessionToken": "token/abc",
                "SecretAccessKey": "secret+key",
                "AccessKeyId": "ASIAEXAMPLE",
                "Expiration": "2026-01-02T03:09:05Z",
            }
        }
    }
    assert answer.fields == {
        "server_side_encryption": "aws:kms",
        "sse_kms_key_id": "key-1",
        "bucket_key_enabled": True,
    }
    with pytest.raises(s3wire.ParamError, match="session_mode must be one of"):
        client.create_session(bucket=DIRECTORY_BUCKET, session_mode="WriteOnly")  # type: ignore[arg-type]


def directory_page(names: list[str], token: str | None) -> str:
    buckets = "".join(
        f"<Bucket><Name>{name}</Name><CreationDate>2026-01-02T03:04:05.000Z</CreationDate>"
        f"<BucketRegion>us-west-2</BucketRegion></Bucket>"
        for name in names
    )
    more = f"<ContinuationToken>{token}</ContinuationToken>" if token else ""
    return (
        f"{XML}<ListAllMyDirectoryBucketsResult {NS}><Buckets>{buckets}</Buckets>{more}"
        "</ListAllMyDirectoryBucketsResult>"
    )


def test_list_directory_buckets_requests_and_pages() -> None:
    transport = Pages(
        directory_page(["a--usw2-az1--x-s3"], "t/1"),
        directory_page(["b--usw2-az1--x-s3", "c--use1-az4--x-s3"], None),
    )
    client = client_with(transport, "https://s3express-control.us-west-2.amazonaws.com")
    pages = list(client.paginate("list_directory_buckets", max_directory_buckets=1))
    urls = [url for _, url, _, _ in transport.sent]
    assert urls == [
        "https://s3express-control.us-west-2.amazonaws.com/?max-directory-buckets=1",
        "https://s3express-control.us-west-2.amazonaws.com/"
        "?continuation-token=t%2F1&max-directory-buckets=1",
    ]
    for method, url, headers, body in transport.sent:
        assert (method, body) == ("GET", None)
        assert headers["Authorization"] == botocore_authorization(
            method, url, headers, b"", "us-east-1", "s3"
        )
    names = [
        [
            bucket["Name"]
            for bucket in page.response["ListAllMyDirectoryBucketsResult"]["Buckets"]["Bucket"]
        ]
        for page in pages
    ]
    assert names == [["a--usw2-az1--x-s3"], ["b--usw2-az1--x-s3", "c--use1-az4--x-s3"]]  # lists
    first = pages[0].response["ListAllMyDirectoryBucketsResult"]
    assert first["ContinuationToken"] == "t/1"
    assert first["Buckets"]["Bucket"][0]["BucketRegion"] == "us-west-2"


def test_write_get_object_response_request() -> None:
    recorder = Recorder()
    client = client_with(
        recorder, "https://s3-object-lambda.us-east-1.amazonaws.com", service="s3-object-lambda"
    )
    client.write_get_object_response(
        request_route="io-a1c1d5c1",
        request_token="token/xyz+1",
        body=b"TRANSFORMED",
        status_code=206,
        content_range="bytes 0-10/100",
        content_type="text/plain",
        etag='"abc"',
        metadata={"colour": "blue"},
        last_modified=WHEN,
        object_lock_retain_until_date=WHEN,
        object_lock_mode="GOVERNANCE",
        delete_marker=False,
        parts_count=3,
        storage_class="STANDARD_IA",
        checksum_crc32="AAAAAA==",
    )
    method, url, headers, body = sent(recorder)
    assert method == "POST"
    # the route goes in front of the host and in its own header; the path is fixed
    assert (
        url == "https://io-a1c1d5c1.s3-object-lambda.us-east-1.amazonaws.com/WriteGetObjectResponse"
    )
    assert headers["Host"] == "io-a1c1d5c1.s3-object-lambda.us-east-1.amazonaws.com"
    assert body == b"TRANSFORMED"
    forwarded = {
        k: v
        for k, v in headers.items()
        if k.startswith(("x-amz-fwd", "x-amz-meta", "x-amz-request-"))
    }
    assert forwarded == {
        "x-amz-request-route": "io-a1c1d5c1",
        "x-amz-request-token": "token/xyz+1",
        "x-amz-fwd-status": "206",
        "x-amz-fwd-header-Content-Range": "bytes 0-10/100",
        "x-amz-fwd-header-Content-Type": "text/plain",
        "x-amz-fwd-header-ETag": '"abc"',
        "x-amz-meta-colour": "blue",
        "x-amz-fwd-header-Last-Modified": "Fri, 02 Jan 2026 03:04:05 GMT",
        # this one date is ISO 8601 in S3's model, unlike the HTTP dates of the others
        "x-amz-fwd-header-x-amz-object-lock-retain-until-date": "2026-01-02T03:04:05.000Z",
        "x-amz-fwd-header-x-amz-object-lock-mode": "GOVERNANCE",
        "x-amz-fwd-header-x-amz-delete-marker": "false",
        "x-amz-fwd-header-x-amz-mp-parts-count": "3",
        "x-amz-fwd-header-x-amz-storage-class": "STANDARD_IA",
        "x-amz-fwd-header-x-amz-checksum-crc32": "AAAAAA==",
    }
    assert "Content-Type" not in headers  # the object's type is forwarded, not this body's
    check_signature(recorder, "us-east-1", "s3-object-lambda")


@pytest.mark.parametrize("route", ["", "a.b", "a/b", "ünï"])
def test_write_get_object_response_route_must_be_a_host_label(route: str) -> None:
    recorder = Recorder()
    with pytest.raises(s3wire.ParamError, match="request_route"):
        client_with(recorder).write_get_object_response(request_route=route, request_token="t")
    assert recorder.sent == []


def test_write_get_object_response_error_answer() -> None:
    recorder = Recorder()
    client_with(
        recorder, "https://s3-object-lambda.us-east-1.amazonaws.com"
    ).write_get_object_response(
        request_route="r1",
        request_token="t",
        status_code=403,
        error_code="AccessDenied",
        error_message="not for you",
    )
    method, url, headers, body = sent(recorder)
    assert (method, body) == ("POST", b"")
    assert url == "https://r1.s3-object-lambda.us-east-1.amazonaws.com/WriteGetObjectResponse"
    assert headers["x-amz-fwd-status"] == "403"
    assert headers["x-amz-fwd-error-code"] == "AccessDenied"
    assert headers["x-amz-fwd-error-message"] == "not for you"


# --- S3's answers where moto's differ -----------------------------------------------------------


def test_get_object_attributes_request_and_s3s_answer() -> None:
    """moto names the root GetObjectAttributesOutput and lists no parts; this is S3's answer."""
    answer_xml = (
        f"{XML}<GetObjectAttributesResponse {NS}><ETag>0123abcd-2</ETag>"
        "<Checksum><ChecksumSHA256>n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=</ChecksumSHA256>"
        "<ChecksumType>COMPOSITE</ChecksumType></Checksum>"
        "<ObjectParts><PartsCount>2</PartsCount><PartNumberMarker>0</PartNumberMarker>"
        "<NextPartNumberMarker>1</NextPartNumberMarker><MaxParts>1</MaxParts>"
        "<IsTruncated>true</IsTruncated>"
        "<Part><PartNumber>1</PartNumber><Size>5242880</Size>"
        "<ChecksumSHA256>aaaa</ChecksumSHA256></Part></ObjectParts>"
        "<StorageClass>STANDARD</StorageClass><ObjectSize>6291456</ObjectSize>"
        "</GetObjectAttributesResponse>"
    )
    recorder = Recorder(
        200,
        answer_xml.encode(),
        **{"Last-Modified": "Fri, 02 Jan 2026 03:04:05 GMT", "x-amz-version-id": "v1"},
    )
    got = client_with(recorder).get_object_attributes(
        bucket="bkt",
        key="big.bin",
        object_attributes="ETag,Checksum,ObjectParts,StorageClass,ObjectSize",
        max_parts=1,
        part_number_marker=0,
        version_id="v1",
    )
    method, url, headers, _ = sent(recorder)
    assert (method, url) == ("GET", "http://127.0.0.1:7480/bkt/big.bin?attributes=&versionId=v1")
    assert headers["x-amz-object-attributes"] == "ETag,Checksum,ObjectParts,StorageClass,ObjectSize"
    assert headers["x-amz-max-parts"] == "1"
    assert headers["x-amz-part-number-marker"] == "0"
    check_signature(recorder)
    attributes = got.response["GetObjectAttributesResponse"]
    assert attributes["ObjectSize"] == 6291456
    assert attributes["Checksum"]["ChecksumType"] == "COMPOSITE"
    parts = attributes["ObjectParts"]
    assert (parts["PartsCount"], parts["MaxParts"], parts["IsTruncated"]) == (2, 1, True)
    assert parts["Part"] == [{"PartNumber": 1, "Size": 5242880, "ChecksumSHA256": "aaaa"}]
    assert got.fields == {"last_modified": "Fri, 02 Jan 2026 03:04:05 GMT", "version_id": "v1"}


# --- request bodies of the operations the servers have ------------------------------------------


def test_put_bucket_acl_body_writes_grantee_types_as_xsi_attributes() -> None:
    policy: Any = {
        "Owner": {"ID": "owner-id", "DisplayName": "Owner"},
        "AccessControlList": {
            "Grant": [
                {
                    "Grantee": {
                        "@xsi:type": "CanonicalUser",
                        "ID": "owner-id",
                        "DisplayName": "Owner",
                    },
                    "Permission": "FULL_CONTROL",
                },
                {
                    "Grantee": {
                        "@xsi:type": "AmazonCustomerByEmail",
                        "EmailAddress": "a&b@example.com",
                    },
                    "Permission": "WRITE_ACP",
                },
                {
                    "Grantee": {
                        "@xsi:type": "Group",
                        "URI": "http://acs.amazonaws.com/groups/s3/LogDelivery",
                    },
                    "Permission": "WRITE",
                },
            ]
        },
    }
    recorder = Recorder()
    client_with(recorder).put_bucket_acl(bucket="bkt", access_control_policy=policy)
    method, url, headers, body = sent(recorder)
    assert (method, url) == ("PUT", "http://127.0.0.1:7480/bkt?acl=")
    assert (
        body
        == (
            f"{XML}<AccessControlPolicy {NS}>"
            "<Owner><ID>owner-id</ID><DisplayName>Owner</DisplayName></Owner><AccessControlList>"
            f'<Grant><Grantee {XSI} xsi:type="CanonicalUser"><ID>owner-id</ID>'
            "<DisplayName>Owner</DisplayName></Grantee><Permission>FULL_CONTROL</Permission></Grant>"
            f'<Grant><Grantee {XSI} xsi:type="AmazonCustomerByEmail">'
            "<EmailAddress>a&amp;b@example.com</EmailAddress></Grantee>"
            "<Permission>WRITE_ACP</Permission></Grant>"
            f'<Grant><Grantee {XSI} xsi:type="Group">'
            "<URI>http://acs.amazonaws.com/groups/s3/LogDelivery</URI></Grantee>"
            "<Permission>WRITE</Permission></Grant>"
            "</AccessControlList></AccessControlPolicy>"
        ).encode()
    )
    assert headers["Content-MD5"] == md5(body)
    check_signature(recorder)


def test_put_object_acl_canned_sends_no_body() -> None:
    recorder = Recorder()
    client_with(recorder).put_object_acl(
        bucket="bkt",
        key="k",
        acl="bucket-owner-full-control",
        grant_read='id="abc"',
        version_id="v1",
    )
    method, url, headers, body = sent(recorder)
    assert (method, url, body) == ("PUT", "http://127.0.0.1:7480/bkt/k?acl=&versionId=v1", b"")
    assert headers["x-amz-acl"] == "bucket-owner-full-control"
    assert headers["x-amz-grant-read"] == 'id="abc"'
    assert "Content-MD5" not in headers and "Content-Type" not in headers
    check_signature(recorder)


def test_object_lock_request_bodies() -> None:
    recorder = Recorder()
    client = client_with(recorder)
    client.put_object_lock_configuration(
        bucket="bkt",
        object_lock_configuration={
            "ObjectLockEnabled": "Enabled",
            "Rule": {"DefaultRetention": {"Mode": "COMPLIANCE", "Years": 7}},
        },
        token="tok",
    )
    client.put_object_retention(
        bucket="bkt",
        key="k",
        retention={"Mode": "GOVERNANCE", "RetainUntilDate": WHEN},
        bypass_governance_retention=True,
    )
    client.put_object_legal_hold(bucket="bkt", key="k", legal_hold={"Status": "ON"}, version_id="v")
    bodies = [body for _, _, _, body in recorder.sent]
    assert bodies == [
        (
            f"{XML}<ObjectLockConfiguration {NS}><ObjectLockEnabled>Enabled</ObjectLockEnabled>"
            "<Rule><DefaultRetention><Mode>COMPLIANCE</Mode><Years>7</Years></DefaultRetention>"
            "</Rule></ObjectLockConfiguration>"
        ).encode(),
        (
            f"{XML}<Retention {NS}><Mode>GOVERNANCE</Mode>"
            "<RetainUntilDate>2026-01-02T03:04:05.000Z</RetainUntilDate></Retention>"
        ).encode(),
        f"{XML}<LegalHold {NS}><Status>ON</Status></LegalHold>".encode(),
    ]
    urls = [url for _, url, _, _ in recorder.sent]
    assert urls == [
        "http://127.0.0.1:7480/bkt?object-lock=",
        "http://127.0.0.1:7480/bkt/k?retention=",
        "http://127.0.0.1:7480/bkt/k?legal-hold=&versionId=v",
    ]
    for _, _, headers, body in recorder.sent:
        assert isinstance(body, bytes)
        assert headers["Content-MD5"] == md5(body)  # S3 requires one on all three
    assert recorder.sent[0][2]["x-amz-bucket-object-lock-token"] == "tok"
    assert recorder.sent[1][2]["x-amz-bypass-governance-retention"] == "true"


def test_select_object_content_body() -> None:
    recorder = Recorder()
    client_with(recorder).select_object_content(
        bucket="bkt",
        key="data.csv.gz",
        expression="select s._1 from s3object s where s._2 < '5'",
        input_serialization={
            "CSV": {
                "FileHeaderInfo": "NONE",
                "FieldDelimiter": ";",
                "AllowQuotedRecordDelimiter": False,
            },
            "CompressionType": "GZIP",
        },
        output_serialization={"JSON": {"RecordDelimiter": "\n"}},
        request_progress={"Enabled": True},
        scan_range={"Start": 0, "End": 1023},
    )
    method, url, headers, body = sent(recorder)
    assert (method, url) == ("POST", "http://127.0.0.1:7480/bkt/data.csv.gz?select=&select-type=2")
    assert (
        body
        == (
            f"{XML}<SelectObjectContentRequest {NS}>"
            "<Expression>select s._1 from s3object s where s._2 &lt; '5'</Expression>"
            "<ExpressionType>SQL</ExpressionType>"
            "<RequestProgress><Enabled>true</Enabled></RequestProgress>"
            "<InputSerialization><CSV><FileHeaderInfo>NONE</FileHeaderInfo>"
            "<FieldDelimiter>;</FieldDelimiter>"
            "<AllowQuotedRecordDelimiter>false</AllowQuotedRecordDelimiter></CSV>"
            "<CompressionType>GZIP</CompressionType></InputSerialization>"
            "<OutputSerialization><JSON><RecordDelimiter>\n</RecordDelimiter></JSON>"
            "</OutputSerialization>"
            "<ScanRange><Start>0</Start><End>1023</End></ScanRange>"
            "</SelectObjectContentRequest>"
        ).encode()
    )
    assert "Content-MD5" not in headers
    check_signature(recorder)


def test_restore_object_select_request_body() -> None:
    recorder = Recorder(202, b"", **{"x-amz-restore-output-path": "out/job-1"})
    answer = client_with(recorder).restore_object(
        bucket="bkt",
        key="archive.csv",
        restore_request={
            "Type": "SELECT",
            "Tier": "Bulk",
            "SelectParameters": {
                "InputSerialization": {"CSV": {}, "Parquet": None},
                "ExpressionType": "SQL",
                "Expression": "select * from s3object",
                "OutputSerialization": {"CSV": {}},
            },
            "OutputLocation": {
                "S3": {
                    "BucketName": "results",
                    "Prefix": "out",
                    "UserMetadata": {"MetadataEntry": [{"Name": "job", "Value": "1"}]},
                }
            },
        },
    )
    method, url, _, body = sent(recorder)
    assert (method, url) == ("POST", "http://127.0.0.1:7480/bkt/archive.csv?restore=")
    assert (
        body
        == (
            f"{XML}<RestoreRequest {NS}><Type>SELECT</Type><Tier>Bulk</Tier><SelectParameters>"
            "<InputSerialization><CSV></CSV></InputSerialization><ExpressionType>SQL</ExpressionType>"
            "<Expression>select * from s3object</Expression>"
            "<OutputSerialization><CSV></CSV></OutputSerialization></SelectParameters>"
            "<OutputLocation><S3><BucketName>results</BucketName><Prefix>out</Prefix><UserMetadata>"
            "<MetadataEntry><Name>job</Name><Value>1</Value></MetadataEntry></UserMetadata></S3>"
            "</OutputLocation></RestoreRequest>"
        ).encode()
    )
    assert answer.status == 202
    assert answer.fields == {"restore_output_path": "out/job-1"}
