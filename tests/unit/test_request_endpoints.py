"""Per-request endpoints on AWS: access point ARNs and S3 Express directory buckets (zonal
endpoints with CreateSession sessions, the s3express-control endpoint), sent where botocore's
endpoint rules say and signed as botocore signs them."""

from __future__ import annotations

import concurrent.futures
from typing import Any
from urllib.parse import urlsplit

import pytest
from botocore.endpoint_provider import EndpointProvider
from botocore.loaders import create_loader
from hypothesis import given, settings
from hypothesis import strategies as st
from recording import (
    SECRET,
    SESSION_SECRET,
    SESSION_TOKEN,
    botocore_authorization,
    express_authorization,
    session_answer,
)

import s3wire
from s3wire._request.endpoints import Options
from s3wire.credentials import aws_endpoint
from s3wire.errors import CredentialsError, ParamError
from s3wire.testing import Answer, MockTransport, Request

REGION = "us-west-2"
EXPRESS = "data--usw2-az1--x-s3"
ZONAL = f"https://{EXPRESS}.s3express-usw2-az1.us-west-2.amazonaws.com"
ARN = "arn:aws:s3:us-west-2:123456789012:accesspoint/myap"
_LOADER = create_loader()
ORACLE = EndpointProvider(
    _LOADER.load_service_model("s3", "endpoint-rule-set-1"), _LOADER.load_data("partitions")
)


def by_kind(request: Request, data: bytes = b"data", seconds: float = 300.0) -> Answer:
    """A server of one directory bucket: CreateSession, or the object."""
    if "session" in request.query:
        return session_answer(seconds)
    return Answer(200, {"Content-Length": str(len(data))}, data)


def aws_client(transport: MockTransport, url: str | None = None, **options: Any) -> s3wire.Client:
    region = options.pop("region", REGION)
    return s3wire.Client(
        url=url or f"https://s3.{region}.amazonaws.com",
        access_key="AKIDEXAMPLE",
        secret_key=SECRET,
        region=region,
        transport=transport,
        **options,
    )


def test_a_directory_bucket_read_makes_a_session_and_signs_with_it() -> None:
    transport = MockTransport(by_kind)
    with aws_client(transport) as client:
        answer = client.get_object(bucket=EXPRESS, key="a b")
        again = client.get_object(bucket=EXPRESS, key="c")
    assert (answer.status, answer.body, again.body) == (200, b"data", b"data")
    create, first, second = transport.requests
    assert create.url == f"{ZONAL}/?session="
    assert "x-amz-s3session-token" not in create.headers
    assert "/s3express/aws4_request" in create.headers["Authorization"]
    expected = botocore_authorization(
        "GET", create.url, dict(create.headers), b"", REGION, "s3express"
    )
    assert create.headers["Authorization"] == expected
    assert first.url == f"{ZONAL}/a%20b"
    assert first.headers["x-amz-s3session-token"] == SESSION_TOKEN
    assert "x-amz-security-token" not in first.headers
    assert first.headers["Authorization"].startswith("AWS4-HMAC-SHA256 Credential=ASIASESSION/")
    assert first.headers["Authorization"] == express_authorization(first)
    assert second.headers["Authorization"] == express_authorization(second)


def test_a_session_near_its_end_is_made_anew() -> None:
    transport = MockTransport(lambda request: by_kind(request, seconds=30))
    with aws_client(transport) as client:
        client.head_object(bucket=EXPRESS, key="k")
        client.head_object(bucket=EXPRESS, key="k")
    assert ["session" in r.query for r in transport.requests] == [True, False, True, False]


def test_an_expired_session_is_made_anew_and_the_request_sent_again() -> None:
    expired = Answer(400, {}, b"<Error><Code>ExpiredToken</Code><Message>gone</Message></Error>")
    transport = MockTransport(session_answer(), expired, session_answer(), Answer(200, {}, b"ok"))
    with aws_client(transport) as client:
        answer = client.get_object(bucket=EXPRESS, key="k")
    assert (answer.status, answer.body) == (200, b"ok")
    assert ["session" in r.query for r in transport.requests] == [True, False, True, False]


def test_a_failed_create_session_answers_the_call() -> None:
    denied = Answer(403, {}, b"<Error><Code>AccessDenied</Code><Message>no</Message></Error>")
    transport = MockTransport(denied)
    with aws_client(transport) as client:
        answer = client.get_object(bucket=EXPRESS, key="k")
    assert (answer.status, answer.response["Error"]["Code"]) == (403, "AccessDenied")
    assert len(transport.requests) == 1
    with pytest.raises(s3wire.S3Error):
        answer.raise_for_status()


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (b"<CreateSessionResult/>", "no Credentials"),
        (
            b"<CreateSessionResult><Credentials><AccessKeyId>A</AccessKeyId>"
            b"<SessionToken>T</SessionToken></Credentials></CreateSessionResult>",
            "lacks SecretAccessKey",
        ),
        (
            b"<CreateSessionResult><Credentials><AccessKeyId>A</AccessKeyId><SecretAccessKey>"
            + SESSION_SECRET.encode()
            + b"</SecretAccessKey><SessionToken>T</SessionToken><Expiration>soon</Expiration>"
            b"</Credentials></CreateSessionResult>",
            "Expiration",
        ),
    ],
)
def test_an_unusable_session_answer_is_a_credentials_error(body: bytes, problem: str) -> None:
    client = aws_client(MockTransport(Answer(200, {}, body)))
    with client, pytest.raises(CredentialsError, match=problem) as raised:
        client.get_object(bucket=EXPRESS, key="k")
    assert SESSION_SECRET not in str(raised.value)
    assert SECRET not in str(raised.value)


def test_threads_share_one_session() -> None:
    transport = MockTransport(by_kind)
    with aws_client(transport) as client, concurrent.futures.ThreadPoolExecutor(8) as pool:
        bodies = list(
            pool.map(lambda i: client.get_object(bucket=EXPRESS, key=str(i)).body, range(32))
        )
    assert bodies == [b"data"] * 32
    assert sum("session" in r.query for r in transport.requests) == 1


def test_control_and_no_session_operations_sign_with_the_clients_keys() -> None:
    transport = MockTransport(Answer(200, {}, b""))
    with aws_client(transport) as client:
        client.put_bucket_policy(bucket=EXPRESS, policy="{}")
        client.list_directory_buckets()
        client.copy_object(bucket=EXPRESS, key="k", copy_source=f"{EXPRESS}/src")
    policy, listing, copy = transport.requests
    assert policy.url == f"https://s3express-control.us-west-2.amazonaws.com/{EXPRESS}?policy="
    assert listing.url == "https://s3express-control.us-west-2.amazonaws.com/"
    assert copy.url == f"{ZONAL}/k"
    for request in transport.requests:
        assert "x-amz-s3session-token" not in request.headers
        assert "Credential=AKIDEXAMPLE/" in request.headers["Authorization"]
        assert "/us-west-2/s3express/aws4_request" in request.headers["Authorization"]
    body = transport.requests[0].body or b""
    expected = botocore_authorization(
        "PUT", policy.url, dict(policy.headers), body, REGION, "s3express"
    )
    assert policy.headers["Authorization"] == expected


def test_access_point_arns_go_to_their_host_signed_for_their_region() -> None:
    transport = MockTransport(Answer(200, {}, b"x"))
    with aws_client(transport, url="https://s3-fips.us-west-2.amazonaws.com") as client:
        client.get_object(bucket=ARN, key="k")
        url = client.presigned_url("GET", bucket=ARN, key="k", expires=60)
    (sent,) = transport.requests
    assert sent.url == "https://myap-123456789012.s3-accesspoint-fips.us-west-2.amazonaws.com/k"
    assert sent.headers["Authorization"] == botocore_authorization(
        "GET", sent.url, dict(sent.headers), b"", REGION
    )
    assert url.startswith(
        "https://myap-123456789012.s3-accesspoint-fips.us-west-2.amazonaws.com/k?"
    )
    assert "%2Fus-west-2%2Fs3%2Faws4_request" in url


def test_an_arn_in_another_region_needs_use_arn_region() -> None:
    transport = MockTransport(Answer(200, {}, b""))
    client = aws_client(transport, region="us-east-1")
    with client, pytest.raises(ParamError, match="use_arn_region"):
        client.head_object(bucket=ARN, key="k")
    with aws_client(transport, region="us-east-1", use_arn_region=True) as client:
        client.head_object(bucket=ARN, key="k")
    assert "/us-west-2/s3/aws4_request" in transport.last.headers["Authorization"]
    assert urlsplit(transport.last.url).hostname == (
        "myap-123456789012.s3-accesspoint.us-west-2.amazonaws.com"
    )


def test_an_arn_region_redirect_is_not_followed() -> None:
    moved = Answer(
        301,
        {"x-amz-bucket-region": "eu-west-1"},
        b"<Error><Code>PermanentRedirect</Code></Error>",
    )
    transport = MockTransport(moved)
    with aws_client(transport) as client:
        assert client.head_object(bucket=ARN, key="k").status == 301
    assert len(transport.requests) == 1


def test_use_arn_region_is_read_the_aws_way(tmp_path: Any) -> None:
    config = tmp_path / "config"
    config.write_text("[default]\nregion = us-east-1\ns3 =\n  use_arn_region = true\n")
    env = {"AWS_CONFIG_FILE": str(config), "AWS_ACCESS_KEY_ID": "A", "AWS_SECRET_ACCESS_KEY": "S"}
    assert s3wire.connection_data(environ=env)["use_arn_region"] is True
    assert (
        s3wire.connection_data(environ={**env, "AWS_S3_USE_ARN_REGION": "false"})["use_arn_region"]
        is False
    )
    with pytest.raises(ParamError, match="use_arn_region must be true or false"):
        s3wire.connection_data(environ={**env, "AWS_S3_USE_ARN_REGION": "yes"})


def test_presigning_for_a_directory_bucket_is_refused_by_name() -> None:
    with aws_client(MockTransport()) as client, pytest.raises(ParamError, match="S3 Express"):
        client.presigned_url("GET", bucket=EXPRESS, key="k", expires=60)


def test_off_aws_a_name_like_a_directory_bucket_is_an_ordinary_bucket() -> None:
    transport = MockTransport(Answer(200, {}, b""))
    client = s3wire.Client(
        url="http://127.0.0.1:7480",
        access_key="AKIDEXAMPLE",
        secret_key=SECRET,
        region="us-east-1",
        transport=transport,
    )
    client.head_object(bucket=EXPRESS, key="k")
    assert transport.last.url == f"http://127.0.0.1:7480/{EXPRESS}/k"
    assert "x-amz-s3session-token" not in transport.last.headers


OPERATIONS = {  # s3wire call, its arguments, botocore's static context parameter
    "get_object": ({"key": "k"}, None),
    "put_bucket_policy": ({"policy": "{}"}, "UseS3ExpressControlEndpoint"),
    "copy_object": ({"key": "k", "copy_source": "src/k"}, "DisableS3ExpressSessionAuth"),
}
REGIONS = ["us-west-2", "us-east-1", "eu-central-1", "cn-north-1", "us-gov-west-1"]
BUCKETS = [
    EXPRESS,
    "mydata--use1-az4--x-s3",
    ARN,
    "arn:aws:s3:us-east-1:123456789012:accesspoint:other",
    "arn:aws-cn:s3:cn-north-1:123456789012:accesspoint/cnap",
    "plain-bucket",
]


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(REGIONS),
    st.booleans(),
    st.booleans(),
    st.booleans(),
    st.sampled_from(BUCKETS),
    st.sampled_from(sorted(OPERATIONS)),
)
def test_requests_go_where_botocore_resolves_them(
    region: str, fips: bool, dualstack: bool, arn_region: bool, bucket: str, call: str
) -> None:
    """The host and path a client sends to, against botocore's endpoint rules (its URL, key
    appended when virtual-hosted), for AWS endpoints of every FIPS and dual-stack form."""
    params, flag = OPERATIONS[call]
    rules: dict[str, Any] = {
        "Region": region,
        "Bucket": bucket,
        "UseFIPS": fips,
        "UseDualStack": dualstack,
        "UseArnRegion": arn_region,
    }
    if flag:
        rules[flag] = True
    try:
        url = aws_endpoint(region, Options(region, use_fips=fips, use_dualstack=dualstack))
    except ParamError:
        url = None
    try:
        expected = ORACLE.resolve_endpoint(**rules).url
    except Exception:  # the rules refuse it
        expected = None
    transport = MockTransport(lambda request: by_kind(request, data=b""))
    try:
        if url is None:
            raise ParamError("no endpoint")
        with aws_client(transport, url=url, region=region, use_arn_region=arn_region) as client:
            getattr(client, call)(bucket=bucket, **params)
    except ParamError:
        assert expected is None or url is None
        return
    sent = transport.last
    assert expected is not None
    split = urlsplit(expected)
    key = params.get("key")
    path = (split.path.rstrip("/") + (f"/{key}" if key else "")) or "/"
    assert sent.url.split("?")[0] == f"{split.scheme}://{split.netloc}{path}"
