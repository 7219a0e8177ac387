"""ACLs, Object Lock, S3 Select, object attributes, restores and the directory-bucket operations
(spec/acl.yaml, object-lock.yaml, select.yaml, object-misc.yaml, directory-buckets.yaml), checked
by their data.

What radosgw 16 has runs on it in both addressing styles; what it lacks runs on moto (the capability
table says which), and radosgw's real answer to what it lacks is asserted where asking is safe. That
includes two hazards: both servers take a PUT ?renameObject or an object's PUT ?encryption for a
plain PutObject, so those are only ever sent to throwaway objects.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests
import servers
from capabilities import supports
from cleanup import empty_and_delete

import s3wire

ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"
AUTHENTICATED_USERS = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"
FRUIT_CSV = b"name,colour,n\napple,red,3\nbanana,yellow,12\ncherry,red,7\n"
MISSING_ON_BOTH = (
    "GetObjectTorrent",
    "RenameObject",
    "UpdateObjectEncryption",
    "CreateSession",
    "ListDirectoryBuckets",
    "WriteGetObjectResponse",
)


def grants(answer: s3wire.Response[Any, Any]) -> list[tuple[str, str, str]]:
    """An ACL answer's grants as sorted (grantee type, ID or URI, permission) triples."""
    found = []
    for grant in answer.response["AccessControlPolicy"]["AccessControlList"]["Grant"]:
        grantee = grant["Grantee"]
        who = grantee.get("ID") or grantee.get("URI") or grantee.get("EmailAddress", "")
        found.append((grantee["@xsi:type"], who, grant["Permission"]))
    return sorted(found)


def anonymous_get(server: servers.S3Server, path: str) -> requests.Response:
    """An unsigned GET of a path-style URL: what anyone on the network could read."""
    return requests.get(f"{server.url}{path}", timeout=10)


@pytest.fixture
def second(client_for: Callable[..., s3wire.Client]) -> Iterator[tuple[s3wire.Client, str]]:
    """(client, fresh bucket) on moto, for the operations the main server lacks."""
    client = client_for("GetObjectAttributes", "RestoreObject")
    name = f"s3wire-misc-{uuid.uuid4().hex[:8]}"
    client.create_bucket(bucket=name).raise_for_status()
    yield client, name
    empty_and_delete(client, name)


@pytest.fixture
def on_radosgw(s3_server: servers.S3Server) -> None:
    """Skip a test that asserts radosgw's own answers when the server is something else."""
    if s3_server.kind != "radosgw":
        pytest.skip(f"this asserts radosgw's answers; the server is {s3_server.kind}")


# --- ACLs ----------------------------------------------------------------------------------------


def test_bucket_acl_canned_headers_and_policy_round_trip(
    client: s3wire.Client, bucket: str, s3_server: servers.S3Server
) -> None:
    original = client.get_bucket_acl(bucket=bucket)
    assert original.status == 200, original.response
    policy = original.response["AccessControlPolicy"]
    owner = policy["Owner"]["ID"]
    assert owner
    # a new bucket: its owner, and one grant, FULL_CONTROL to the owner; one grant is still a list
    assert policy["AccessControlList"]["Grant"] == [
        {
            "Grantee": {
                "@xsi:type": "CanonicalUser",
                "ID": owner,
                "DisplayName": policy["Owner"]["DisplayName"],
            },
            "Permission": "FULL_CONTROL",
        }
    ]
    assert anonymous_get(s3_server, f"/{bucket}").status_code == 403

    # a canned ACL: everyone may list the bucket now
    client.put_object(bucket=bucket, key="k", body=b"data").raise_for_status()
    assert client.put_bucket_acl(bucket=bucket, acl="public-read").status == 200
    assert grants(client.get_bucket_acl(bucket=bucket)) == [
        ("CanonicalUser", owner, "FULL_CONTROL"),
        ("Group", ALL_USERS, "READ"),
    ]
    listed = anonymous_get(s3_server, f"/{bucket}")
    assert listed.status_code == 200
    assert b"<Key>k</Key>" in listed.content

    # the policy read at first, sent back unchanged ("@xsi:type" included), undoes it
    put = client.put_bucket_acl(bucket=bucket, access_control_policy=policy)
    assert put.status == 200, put.response
    assert client.get_bucket_acl(bucket=bucket).response == original.response
    assert anonymous_get(s3_server, f"/{bucket}").status_code == 403

    # a policy with more grants, written as dicts keyed like the answer
    more = {
        "Owner": {"ID": owner},
        "AccessControlList": {
            "Grant": [
                {
                    "Grantee": {"@xsi:type": "CanonicalUser", "ID": owner},
                    "Permission": "FULL_CONTROL",
                },
                {
                    "Grantee": {"@xsi:type": "Group", "URI": AUTHENTICATED_USERS},
                    "Permission": "READ_ACP",
                },
                {"Grantee": {"@xsi:type": "Group", "URI": ALL_USERS}, "Permission": "READ"},
            ]
        },
    }
    client.put_bucket_acl(bucket=bucket, access_control_policy=more).raise_for_status()
    assert grants(client.get_bucket_acl(bucket=bucket)) == [
        ("CanonicalUser", owner, "FULL_CONTROL"),
        ("Group", ALL_USERS, "READ"),
        ("Group", AUTHENTICATED_USERS, "READ_ACP"),
    ]

    # grant headers replace the whole ACL too
    client.put_bucket_acl(
        bucket=bucket, grant_full_control=f'id="{owner}"', grant_write_acp=f'uri="{ALL_USERS}"'
    ).raise_for_status()
    assert grants(client.get_bucket_acl(bucket=bucket)) == [
        ("CanonicalUser", owner, "FULL_CONTROL"),
        ("Group", ALL_USERS, "WRITE_ACP"),
    ]

    client.put_bucket_acl(bucket=bucket, acl="private").raise_for_status()
    assert client.get_bucket_acl(bucket=bucket).response == original.response


def test_object_acl_by_version(
    client: s3wire.Client, bucket: str, s3_server: servers.S3Server
) -> None:
    client.put_bucket_versioning(bucket=bucket, status="Enabled").raise_for_status()
    old = client.put_object(bucket=bucket, key="doc.txt", body=b"old").raise_for_status()
    new = client.put_object(bucket=bucket, key="doc.txt", body=b"new").raise_for_status()
    old_version, new_version = old.fields["version_id"], new.fields["version_id"]
    original = client.get_object_acl(bucket=bucket, key="doc.txt")
    assert original.status == 200, original.response
    owner = original.response["AccessControlPolicy"]["Owner"]["ID"]
    assert grants(original) == [("CanonicalUser", owner, "FULL_CONTROL")]
    old_url = f"/{bucket}/doc.txt?versionId={old_version}"
    assert anonymous_get(s3_server, old_url).status_code == 403

    # public-read on the old version only
    put = client.put_object_acl(
        bucket=bucket, key="doc.txt", version_id=old_version, acl="public-read"
    )
    assert put.status == 200, put.response
    public = client.get_object_acl(bucket=bucket, key="doc.txt", version_id=old_version)
    assert grants(public) == [
        ("CanonicalUser", owner, "FULL_CONTROL"),
        ("Group", ALL_USERS, "READ"),
    ]
    current = client.get_object_acl(bucket=bucket, key="doc.txt", version_id=new_version)
    assert current.response == original.response
    read = anonymous_get(s3_server, old_url)
    assert (read.status_code, read.content) == (200, b"old")
    assert anonymous_get(s3_server, f"/{bucket}/doc.txt").status_code == 403

    # the policy read back, sent unchanged, closes it again
    client.put_object_acl(
        bucket=bucket,
        key="doc.txt",
        version_id=old_version,
        access_control_policy=original.response["AccessControlPolicy"],
    ).raise_for_status()
    closed = client.get_object_acl(bucket=bucket, key="doc.txt", version_id=old_version)
    assert closed.response == original.response
    assert anonymous_get(s3_server, old_url).status_code == 403

    # grant headers on the current version
    client.put_object_acl(
        bucket=bucket,
        key="doc.txt",
        grant_full_control=f'id="{owner}"',
        grant_read=f'uri="{ALL_USERS}"',
    ).raise_for_status()
    assert grants(client.get_object_acl(bucket=bucket, key="doc.txt")) == [
        ("CanonicalUser", owner, "FULL_CONTROL"),
        ("Group", ALL_USERS, "READ"),
    ]
    read = anonymous_get(s3_server, f"/{bucket}/doc.txt")
    assert (read.status_code, read.content) == (200, b"new")

    missing = client.get_object_acl(bucket=bucket, key="absent")
    assert missing.status == 404
    assert missing.response["Error"]["Code"] == "NoSuchKey"
    for version in (old_version, new_version):
        client.delete_object(bucket=bucket, key="doc.txt", version_id=version).raise_for_status()


def test_acl_policy_is_checked_before_sending(client: s3wire.Client) -> None:
    with pytest.raises(s3wire.ParamError, match="unknown key"):
        client.put_bucket_acl(
            bucket="never-sent",
            access_control_policy={"Owner": {"ID": "x"}, "Grants": []},  # type: ignore[arg-type]
        )
    with pytest.raises(s3wire.ParamError, match="acl must be one of"):
        client.put_object_acl(bucket="never-sent", key="k", acl="everyone")  # type: ignore[arg-type]


# --- Object Lock ---------------------------------------------------------------------------------


@pytest.fixture
def lock_bucket(client: s3wire.Client) -> Iterator[str]:
    """A fresh bucket with Object Lock; every version is unlocked and deleted afterwards."""
    name = f"s3wire-lock-{uuid.uuid4().hex[:8]}"
    created = client.create_bucket(bucket=name, object_lock_enabled_for_bucket=True)
    assert created.status == 200, created.response
    yield name
    listing = client.list_object_versions(bucket=name).raise_for_status()
    result = listing.response["ListVersionsResult"]
    for entry in result["Version"] + result["DeleteMarker"]:
        key, version = entry["Key"], entry["VersionId"]
        client.put_object_legal_hold(
            bucket=name, key=key, version_id=version, legal_hold={"Status": "OFF"}
        )
        client.delete_object(
            bucket=name, key=key, version_id=version, bypass_governance_retention=True
        ).raise_for_status()
    client.delete_bucket(bucket=name).raise_for_status()


def parse_time(text: str) -> dt.datetime:
    """An ISO 8601 answer, to the second (radosgw writes nanoseconds)."""
    return dt.datetime.strptime(text[:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=dt.timezone.utc)


def test_object_lock_configuration(client: s3wire.Client, bucket: str, lock_bucket: str) -> None:
    # a bucket created without Object Lock has none, and radosgw 16 cannot add it later (AWS can
    # turn it on for a versioned bucket)
    plain = client.get_object_lock_configuration(bucket=bucket)
    assert plain.status == 404
    assert plain.response["Error"]["Code"] == "ObjectLockConfigurationNotFoundError"
    refused = client.put_object_lock_configuration(
        bucket=bucket, object_lock_configuration={"ObjectLockEnabled": "Enabled"}
    )
    assert refused.status == 409
    assert refused.response["Error"]["Code"] == "InvalidBucketState"

    # created with it: enabled, without a default retention, and versioned for good
    got = client.get_object_lock_configuration(bucket=lock_bucket)
    assert got.status == 200, got.response
    assert got.response == {"ObjectLockConfiguration": {"ObjectLockEnabled": "Enabled"}}
    versioning = client.get_bucket_versioning(bucket=lock_bucket).response
    assert versioning["VersioningConfiguration"]["Status"] == "Enabled"
    suspend = client.put_bucket_versioning(bucket=lock_bucket, status="Suspended")
    assert suspend.status == 409

    for rule in (
        {"DefaultRetention": {"Mode": "COMPLIANCE", "Years": 1}},
        {"DefaultRetention": {"Mode": "GOVERNANCE", "Days": 1}},
    ):
        config = {"ObjectLockEnabled": "Enabled", "Rule": rule}
        put = client.put_object_lock_configuration(
            bucket=lock_bucket, object_lock_configuration=config
        )
        assert put.status == 200, put.response
        got = client.get_object_lock_configuration(bucket=lock_bucket)
        assert got.response == {"ObjectLockConfiguration": config}  # Days, Years typed int

    # a version written now gets the default: GOVERNANCE for a day
    before = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    client.put_object(bucket=lock_bucket, key="k", body=b"kept").raise_for_status()
    head = client.head_object(bucket=lock_bucket, key="k").raise_for_status()
    assert head.fields["object_lock_mode"] == "GOVERNANCE"
    retention = client.get_object_retention(bucket=lock_bucket, key="k").raise_for_status()
    assert retention.response["Retention"]["Mode"] == "GOVERNANCE"
    until = parse_time(retention.response["Retention"]["RetainUntilDate"])
    assert before + dt.timedelta(days=1) <= until <= before + dt.timedelta(days=1, minutes=1)

    # both Days and Years is malformed; the configuration read back can be sent back
    both = {"DefaultRetention": {"Mode": "GOVERNANCE", "Days": 1, "Years": 1}}
    malformed = client.put_object_lock_configuration(
        bucket=lock_bucket,
        object_lock_configuration={"ObjectLockEnabled": "Enabled", "Rule": both},
    )
    assert malformed.status == 400
    assert malformed.response["Error"]["Code"] == "MalformedXML"
    client.put_object_lock_configuration(
        bucket=lock_bucket, object_lock_configuration=got.response["ObjectLockConfiguration"]
    ).raise_for_status()

    # no Rule: no default retention any more
    client.put_object_lock_configuration(
        bucket=lock_bucket, object_lock_configuration={"ObjectLockEnabled": "Enabled"}
    ).raise_for_status()
    got = client.get_object_lock_configuration(bucket=lock_bucket)
    assert got.response == {"ObjectLockConfiguration": {"ObjectLockEnabled": "Enabled"}}


def test_object_retention_governance(client: s3wire.Client, lock_bucket: str) -> None:
    version = client.put_object(bucket=lock_bucket, key="k", body=b"v1").fields["version_id"]
    # no retention yet: radosgw answers 404 ObjectLockConfigurationNotFoundError (AWS answers
    # 404 NoSuchObjectLockConfiguration)
    none = client.get_object_retention(bucket=lock_bucket, key="k")
    assert none.status == 404
    assert none.response["Error"]["Code"] == "ObjectLockConfigurationNotFoundError"

    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    in_two_days = now + dt.timedelta(days=2)
    put = client.put_object_retention(
        bucket=lock_bucket,
        key="k",
        retention={"Mode": "GOVERNANCE", "RetainUntilDate": in_two_days},
    )
    assert put.status == 200, put.response
    got = client.get_object_retention(bucket=lock_bucket, key="k", version_id=version)
    assert got.response["Retention"]["Mode"] == "GOVERNANCE"
    # radosgw answers nanoseconds: "2026-01-02T03:04:05.000000000Z"
    assert parse_time(got.response["Retention"]["RetainUntilDate"]) == in_two_days
    head = client.head_object(bucket=lock_bucket, key="k").raise_for_status()
    assert head.fields["object_lock_mode"] == "GOVERNANCE"

    # the version cannot be deleted, nor its retention shortened, without the bypass
    locked = client.delete_object(bucket=lock_bucket, key="k", version_id=version)
    assert locked.status == 403
    assert locked.response["Error"]["Code"] == "AccessDenied"
    shorter = {"Mode": "GOVERNANCE", "RetainUntilDate": now + dt.timedelta(days=1)}
    refused = client.put_object_retention(bucket=lock_bucket, key="k", retention=shorter)
    assert refused.status == 403
    # extending is always allowed; the date read back (a str) can be sent back as it is
    longer = {"Mode": "GOVERNANCE", "RetainUntilDate": now + dt.timedelta(days=3)}
    client.put_object_retention(bucket=lock_bucket, key="k", retention=longer).raise_for_status()
    client.put_object_retention(
        bucket=lock_bucket,
        key="k",
        retention=got.response["Retention"],
        bypass_governance_retention=True,
    ).raise_for_status()
    again = client.get_object_retention(bucket=lock_bucket, key="k").raise_for_status()
    assert parse_time(again.response["Retention"]["RetainUntilDate"]) == in_two_days
    past = {"Mode": "GOVERNANCE", "RetainUntilDate": now - dt.timedelta(days=1)}
    in_the_past = client.put_object_retention(
        bucket=lock_bucket, key="k", retention=past, bypass_governance_retention=True
    )
    assert in_the_past.status == 400

    deleted = client.delete_object(
        bucket=lock_bucket, key="k", version_id=version, bypass_governance_retention=True
    )
    assert deleted.status == 204, deleted.response


def test_object_retention_compliance_expires(client: s3wire.Client, lock_bucket: str) -> None:
    version = client.put_object(bucket=lock_bucket, key="c", body=b"c").fields["version_id"]
    until = dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=2)
    client.put_object_retention(
        bucket=lock_bucket, key="c", retention={"Mode": "COMPLIANCE", "RetainUntilDate": until}
    ).raise_for_status()
    got = client.get_object_retention(bucket=lock_bucket, key="c").raise_for_status()
    assert got.response["Retention"]["Mode"] == "COMPLIANCE"
    # in COMPLIANCE mode even the bypass does not help, nor a change of mode
    forced = client.delete_object(
        bucket=lock_bucket, key="c", version_id=version, bypass_governance_retention=True
    )
    assert forced.status == 403
    weaker = client.put_object_retention(
        bucket=lock_bucket,
        key="c",
        retention={"Mode": "GOVERNANCE", "RetainUntilDate": until},
        bypass_governance_retention=True,
    )
    assert weaker.status == 403
    time.sleep(max(0.0, (until - dt.datetime.now(dt.timezone.utc)).total_seconds()) + 1.0)
    deleted = client.delete_object(bucket=lock_bucket, key="c", version_id=version)
    assert deleted.status == 204, deleted.response


def test_object_legal_hold(client: s3wire.Client, bucket: str, lock_bucket: str) -> None:
    first = client.put_object(bucket=lock_bucket, key="k", body=b"1").fields["version_id"]
    second = client.put_object(bucket=lock_bucket, key="k", body=b"2").fields["version_id"]
    # never held: radosgw answers 404 ObjectLockConfigurationNotFoundError
    never = client.get_object_legal_hold(bucket=lock_bucket, key="k")
    assert never.status == 404
    assert never.response["Error"]["Code"] == "ObjectLockConfigurationNotFoundError"

    put = client.put_object_legal_hold(
        bucket=lock_bucket, key="k", version_id=first, legal_hold={"Status": "ON"}
    )
    assert put.status == 200, put.response
    held = client.get_object_legal_hold(bucket=lock_bucket, key="k", version_id=first)
    assert held.response == {"LegalHold": {"Status": "ON"}}
    old = client.head_object(bucket=lock_bucket, key="k", version_id=first).raise_for_status()
    assert old.fields["object_lock_legal_hold_status"] == "ON"
    # only that version: the current one is free
    current = client.get_object_legal_hold(bucket=lock_bucket, key="k", version_id=second)
    assert current.status == 404
    # a hold stops even a delete with the governance bypass
    for bypass in (None, True):
        refused = client.delete_object(
            bucket=lock_bucket, key="k", version_id=first, bypass_governance_retention=bypass
        )
        assert refused.status == 403
    assert client.get_object(bucket=lock_bucket, key="k", version_id=first).body == b"1"

    # the answer read back can be sent back
    client.put_object_legal_hold(
        bucket=lock_bucket, key="k", version_id=first, legal_hold={"Status": "OFF"}
    ).raise_for_status()
    off = client.get_object_legal_hold(bucket=lock_bucket, key="k", version_id=first)
    assert off.response == {"LegalHold": {"Status": "OFF"}}
    client.put_object_legal_hold(
        bucket=lock_bucket, key="k", version_id=first, legal_hold=off.response["LegalHold"]
    ).raise_for_status()
    deleted = client.delete_object(bucket=lock_bucket, key="k", version_id=first)
    assert deleted.status == 204, deleted.response

    missing = client.put_object_legal_hold(
        bucket=lock_bucket, key="absent", legal_hold={"Status": "ON"}
    )
    assert missing.status == 404
    assert missing.response["Error"]["Code"] == "NoSuchKey"
    # a bucket without Object Lock: 400 InvalidRequest
    client.put_object(bucket=bucket, key="k", body=b"x").raise_for_status()
    unlocked = client.put_object_legal_hold(bucket=bucket, key="k", legal_hold={"Status": "ON"})
    assert unlocked.status == 400
    assert unlocked.response["Error"]["Code"] == "InvalidRequest"


# --- S3 Select -----------------------------------------------------------------------------------


def test_select_csv_on_radosgw(client: s3wire.Client, bucket: str, on_radosgw: None) -> None:
    """radosgw 16 speaks an older S3 Select dialect: table `stdin`, `==`, double-quoted strings
    and a closing `;`. It answers one Records event (no Stats nor End), its text wrapped in
    <Payload> and <Records> tags, each record ending with a comma; and it reports a query it
    cannot parse inside a 200 Records event instead of an error."""
    client.put_object(bucket=bucket, key="fruit.csv", body=FRUIT_CSV).raise_for_status()
    csv_in = {"CSV": {"FileHeaderInfo": "IGNORE"}, "CompressionType": "NONE"}

    def select(expression: str, **options: Any) -> s3wire.Response[Any, Any]:
        answer = client.select_object_content(
            bucket=bucket,
            key="fruit.csv",
            expression=expression,
            input_serialization=options.pop("input_serialization", csv_in),
            output_serialization={"CSV": {}},
            **options,
        )
        assert answer.status == 200, answer.body
        return answer

    def records(answer: s3wire.Response[Any, Any]) -> str:
        return "".join(e["Records"]["Payload"] for e in answer.response["Events"] if "Records" in e)

    def wrapped(text: str) -> str:
        return f"\n<Payload>\n<Records>\n<Payload>\n{text}</Payload></Records></Payload>"

    red = select('select _1 from stdin where _2 == "red";')
    assert red.response == {"Events": [{"Records": {"Payload": wrapped("apple,\ncherry,\n\n")}}]}
    by_name = select(
        'select name from stdin where colour == "red";',
        input_serialization={"CSV": {"FileHeaderInfo": "USE"}},
        request_progress={"Enabled": True},
    )
    assert records(by_name) == wrapped("apple,\ncherry,\n\n")
    big = select("select _1,_3 from stdin where int(_3) > 5;", expression_type="SQL")
    assert records(big) == wrapped("banana,12,\ncherry,7,\n\n")
    assert records(select("select count(*) from stdin;")) == wrapped("3,\n")

    # AWS's dialect is not understood
    aws = select("select s._1 from s3object s where s._2 = 'red'")
    assert records(aws) == wrapped("failure -->._1 from s3object s where s._2 = 'red'<---\n")

    missing = client.select_object_content(
        bucket=bucket,
        key="absent.csv",
        expression="select * from stdin;",
        input_serialization=csv_in,
        output_serialization={"CSV": {}},
    )
    assert missing.status == 404


def test_select_csv_and_json_on_moto(moto_client: s3wire.Client) -> None:
    client = moto_client
    bucket = f"s3wire-select-{uuid.uuid4().hex[:8]}"
    client.create_bucket(bucket=bucket).raise_for_status()
    try:
        client.put_object(bucket=bucket, key="fruit.csv", body=FRUIT_CSV).raise_for_status()
        red = client.select_object_content(
            bucket=bucket,
            key="fruit.csv",
            expression="select * from s3object s where s._2 = 'red'",
            input_serialization={"CSV": {"FileHeaderInfo": "IGNORE"}},
            output_serialization={"CSV": {}},
        )
        assert red.status == 200, red.body
        events = red.response["Events"]
        assert events[0] == {"Records": {"Payload": "apple,red,3\ncherry,red,7\n"}}
        assert events[-1] == {"End": {}}
        (stats,) = [e["Stats"]["Stats"] for e in events if "Stats" in e]
        assert int(stats["BytesReturned"]) == len(b"apple,red,3\ncherry,red,7\n")

        as_json = client.select_object_content(
            bucket=bucket,
            key="fruit.csv",
            expression="select s.name from s3object s where s.colour = 'red'",
            input_serialization={"CSV": {"FileHeaderInfo": "USE"}, "CompressionType": "NONE"},
            output_serialization={"JSON": {"RecordDelimiter": "\n"}},
        ).raise_for_status()
        text = "".join(
            e["Records"]["Payload"] for e in as_json.response["Events"] if "Records" in e
        )
        assert text == '{"name":"apple"}\n{"name":"cherry"}\n'
    finally:
        empty_and_delete(client, bucket)


def test_select_input_is_checked_before_sending(client: s3wire.Client) -> None:
    with pytest.raises(s3wire.ParamError, match="FileHeaderInfo"):
        client.select_object_content(
            bucket="never-sent",
            key="k",
            expression="select * from s3object",
            input_serialization={"CSV": {"FileHeaderInfo": 1}},  # type: ignore[typeddict-item]
            output_serialization={"CSV": {}},
        )
    with pytest.raises(s3wire.ParamError, match="expression_type"):
        client.select_object_content(
            bucket="never-sent",
            key="k",
            expression="select * from s3object",
            expression_type="SQL2",  # type: ignore[arg-type]
            input_serialization={"JSON": {"Type": "LINES"}},
            output_serialization={"JSON": {}},
        )


# --- GetObjectAttributes, RestoreObject (moto) -------------------------------------------------


def test_get_object_attributes(second: tuple[s3wire.Client, str]) -> None:
    client, bucket = second
    data = b"attributes of this object"
    digest = base64.b64encode(hashlib.sha256(data).digest()).decode()
    put = client.put_object(
        bucket=bucket, key="a.txt", body=data, checksum_sha256=digest, storage_class="STANDARD_IA"
    ).raise_for_status()
    got = client.get_object_attributes(
        bucket=bucket, key="a.txt", object_attributes="ETag,Checksum,ObjectSize,StorageClass"
    )
    assert got.status == 200, got.response
    assert got.fields["last_modified"]
    # moto names the root GetObjectAttributesOutput where S3 answers GetObjectAttributesResponse
    # (the root the catalog types), so moto's numbers stay text here
    (root,) = got.response
    attributes = got.response[root]
    assert root in ("GetObjectAttributesResponse", "GetObjectAttributesOutput")
    assert attributes["ETag"] == put.fields["etag"].strip('"')
    assert int(attributes["ObjectSize"]) == len(data)
    assert attributes["StorageClass"] == "STANDARD_IA"
    # moto keeps a checksum only when the SDKs' own x-amz-sdk-checksum-algorithm header names
    # it: s3wire sends it beside the checksum, as botocore does
    assert attributes["Checksum"]["ChecksumSHA256"] == digest

    only_size = client.get_object_attributes(
        bucket=bucket, key="a.txt", object_attributes="ObjectSize"
    ).raise_for_status()
    assert int(only_size.response[root]["ObjectSize"]) == len(data)
    missing = client.get_object_attributes(bucket=bucket, key="absent", object_attributes="ETag")
    assert missing.status == 404
    assert missing.response["Error"]["Code"] == "NoSuchKey"


def test_get_object_attributes_on_radosgw_is_refused_as_not_xml(
    client: s3wire.Client, bucket: str, on_radosgw: None
) -> None:
    """radosgw 16 ignores ?attributes: the GET reads the object (a safe question to ask), and a
    200 whose body is not XML is refused, not answered as a success."""
    assert not supports("radosgw", "GetObjectAttributes")
    client.put_object(bucket=bucket, key="a.txt", body=b"plain bytes").raise_for_status()
    not_xml = r"it is not XML \(11 bytes, starting 'plain bytes'\)"
    with pytest.raises(s3wire.ResponseError, match=not_xml):
        client.get_object_attributes(bucket=bucket, key="a.txt", object_attributes="ETag")


def test_restore_object(second: tuple[s3wire.Client, str]) -> None:
    client, bucket = second
    client.put_object(
        bucket=bucket, key="cold", body=b"frozen", storage_class="GLACIER"
    ).raise_for_status()
    archived = client.get_object(bucket=bucket, key="cold")
    assert archived.status == 403
    assert archived.response["Error"]["Code"] == "InvalidObjectState"

    started = client.restore_object(
        bucket=bucket,
        key="cold",
        restore_request={"Days": 2, "GlacierJobParameters": {"Tier": "Standard"}},
    )
    assert started.status == 202, started.response  # accepted; S3 takes hours, moto no time
    head = client.head_object(bucket=bucket, key="cold").raise_for_status()
    assert head.fields["storage_class"] == "GLACIER"
    assert 'ongoing-request="false"' in head.headers["x-amz-restore"]
    assert client.get_object(bucket=bucket, key="cold").body == b"frozen"
    # asking again while a copy is there changes its days and answers 200
    again = client.restore_object(bucket=bucket, key="cold", restore_request={"Days": 5})
    assert again.status == 200, again.response

    client.put_object(bucket=bucket, key="hot", body=b"warm").raise_for_status()
    refused = client.restore_object(bucket=bucket, key="hot", restore_request={"Days": 1})
    assert refused.status == 403
    assert refused.response["Error"]["Code"] == "InvalidObjectState"


def test_restore_object_on_radosgw_is_not_implemented(
    client: s3wire.Client, bucket: str, on_radosgw: None
) -> None:
    assert not supports("radosgw", "RestoreObject")
    client.put_object(bucket=bucket, key="k", body=b"kept").raise_for_status()
    answer = client.restore_object(bucket=bucket, key="k", restore_request={"Days": 1})
    assert answer.status == 501
    assert answer.response["Error"]["Code"] == "NotImplemented"
    assert client.get_object(bucket=bucket, key="k").body == b"kept"


# --- What neither server has: their real answers, on throwaway buckets ------------------------


@pytest.fixture(params=["radosgw", "moto"])
def lacking(
    request: pytest.FixtureRequest, s3_server: servers.S3Server, addressing: str
) -> tuple[str, s3wire.Client]:
    """(kind, client) of radosgw or moto, neither of which has the operations of MISSING_ON_BOTH."""
    kind = str(request.param)
    assert not any(supports(kind, operation) for operation in MISSING_ON_BOTH)
    if kind == "moto":
        return kind, request.getfixturevalue("moto_client")
    if s3_server.kind != "radosgw":
        pytest.skip(f"this asserts radosgw's answers; the server is {s3_server.kind}")
    return kind, request.getfixturevalue("client")


@pytest.fixture
def throwaway(lacking: tuple[str, s3wire.Client]) -> Iterator[str]:
    """A bucket of nothing but test data on that server, deleted afterwards."""
    _, client = lacking
    name = f"s3wire-throwaway-{uuid.uuid4().hex[:8]}"
    client.create_bucket(bucket=name).raise_for_status()
    yield name
    empty_and_delete(client, name)


def test_rename_object_is_taken_for_a_put(
    lacking: tuple[str, s3wire.Client], throwaway: str
) -> None:
    """Both store an empty object under the new key and leave the old one: not a rename."""
    (_, client), bucket = lacking, throwaway
    client.put_object(bucket=bucket, key="old", body=b"source").raise_for_status()
    answer = client.rename_object(bucket=bucket, key="new", rename_source=f"/{bucket}/old")
    assert answer.status == 200
    assert client.get_object(bucket=bucket, key="old").body == b"source"
    assert client.get_object(bucket=bucket, key="new").body == b""


def test_update_object_encryption_is_taken_for_a_put(
    lacking: tuple[str, s3wire.Client], throwaway: str
) -> None:
    """Both replace the object's bytes with the request's XML: never send it to real data."""
    (_, client), bucket = lacking, throwaway
    client.put_object(bucket=bucket, key="k", body=b"precious").raise_for_status()
    arn = "arn:aws:kms:us-east-1:123456789012:key/s3wire-test"
    answer = client.update_object_encryption(bucket=bucket, key="k", kms_key_arn=arn)
    assert answer.status == 200
    now = client.get_object(bucket=bucket, key="k").body
    assert now.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<ObjectEncryption')
    assert f"<KMSKeyArn>{arn}</KMSKeyArn>".encode() in now


def test_torrent_session_and_directory_listing_are_not_served(
    lacking: tuple[str, s3wire.Client], throwaway: str
) -> None:
    (kind, client), bucket = lacking, throwaway
    client.put_object(bucket=bucket, key="k", body=b"bytes").raise_for_status()
    torrent = client.get_object_torrent(bucket=bucket, key="k")
    if kind == "radosgw":
        # radosgw 16 has ?torrent but not switched on (`rgw torrent flag`): 400 InvalidArgument
        assert torrent.status == 400
        assert torrent.response["Error"]["Code"] == "InvalidArgument"
    else:
        # moto ignores ?torrent and answers the object itself, not a bencoded torrent file
        assert (torrent.status, torrent.body) == (200, b"bytes")

    # GET ?session lists the bucket's objects; GET / lists the general purpose buckets
    session = client.create_session(bucket=bucket)
    assert session.status == 200
    assert "CreateSessionResult" not in session.response
    assert session.response["ListBucketResult"]["Name"] == bucket
    listing = client.list_directory_buckets(max_directory_buckets=1000)
    assert listing.status == 200
    assert "ListAllMyDirectoryBucketsResult" not in listing.response
    buckets = listing.response["ListAllMyBucketsResult"]["Buckets"]["Bucket"]
    names = [buckets["Name"]] if isinstance(buckets, dict) else [b["Name"] for b in buckets]
    assert bucket in names
