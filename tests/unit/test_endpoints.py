"""s3wire._request.endpoints against the pinned botocore's S3 endpoint rules, as an oracle."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.endpoint_provider import EndpointProvider
from botocore.loaders import create_loader
from hypothesis import given, settings
from hypothesis import strategies as st

from s3wire._request.endpoints import Endpoint, Options, resolve
from s3wire.errors import ParamError

_LOADER = create_loader()
ORACLE = EndpointProvider(
    _LOADER.load_service_model("s3", "endpoint-rule-set-1"), _LOADER.load_data("partitions")
)
REGIONS = [
    "us-east-1", "us-west-2", "aws-global", "eu-central-1", "cn-north-1", "us-gov-west-1",
    "us-iso-east-1", "us-isob-east-1", "eu-isoe-west-1", "us-isof-south-1", "eusc-de-east-1",
]  # fmt: skip
BUCKETS = [
    None, "mybucket", "my.bucket", "MyBucket", "ab", "a" * 63, "my-bucket-2", "192.168.0.1",
    "arn:aws:s3:us-west-2:123456789012:accesspoint/myap",
    "arn:aws:s3:us-east-1:123456789012:accesspoint:myap",
    "arn:aws-cn:s3:cn-north-1:123456789012:accesspoint/myap",
    "myap-abcdefghijklmnopqrstuvwxyz1234-s3alias", "mybucket--usw2-az1--x-s3",
    "my.data--usw2-az1--x-s3", "data--use1-az4-long--x-s3",
]  # fmt: skip
# IP endpoints stay path-style for every name (botocore puts a dotted name before an IP over http).
URLS = [None, "https://example.com", "http://example.com:8080", "https://gw.example/s3"]


DIRECTORY_FLAGS = [None, "control", "no_session"]
BOTOCORE_FLAGS = {
    "control": "UseS3ExpressControlEndpoint",
    "no_session": "DisableS3ExpressSessionAuth",
}


def oracle(options: Options, bucket: str | None, flag: str | None = None) -> tuple[str, ...]:
    """botocore's URL, signing region, signing name and auth scheme, or ("error",)."""
    params: dict[str, Any] = {
        "Region": options.region,
        "UseFIPS": options.use_fips,
        "UseDualStack": options.use_dualstack,
        "Accelerate": options.use_accelerate,
        "ForcePathStyle": options.force_path_style,
        "UseGlobalEndpoint": options.use_global_endpoint,
        "UseArnRegion": options.use_arn_region,
    }
    if bucket is not None:
        params["Bucket"] = bucket
    if options.url:
        params["Endpoint"] = options.url
    if flag is not None:
        params[BOTOCORE_FLAGS[flag]] = True
    try:
        found = ORACLE.resolve_endpoint(**params)
    except Exception:  # any refusal of the rules
        return ("error",)
    scheme = found.properties["authSchemes"][0]
    return (found.url, scheme["signingRegion"], scheme["signingName"], scheme["name"])


def ours(options: Options, bucket: str | None, flag: str | None = None) -> tuple[str, ...]:
    try:
        found = resolve(options, bucket, flag)
    except ParamError:
        return ("error",)
    path = found.path_prefix if found.virtual or bucket is None else f"{found.path_prefix}/{bucket}"
    scheme = "sigv4-s3express" if found.express_session else "sigv4"
    url = f"{found.scheme}://{found.host}{path}"
    return (url, found.signing_region, found.signing_name, scheme)


def _known_difference(options: Options, bucket: str | None) -> bool:
    """aws-global with accelerate and dual-stack, or a dotted name on a custom http endpoint."""
    if options.region == "aws-global" and options.use_accelerate and options.use_dualstack:
        return True
    return bool(options.url and bucket and "." in bucket and options.region == "aws-global")


@settings(max_examples=600, deadline=None)
@given(
    st.builds(
        Options,
        region=st.sampled_from(REGIONS),
        url=st.sampled_from(URLS),
        use_fips=st.booleans(),
        use_dualstack=st.booleans(),
        use_accelerate=st.booleans(),
        force_path_style=st.booleans(),
        use_global_endpoint=st.booleans(),
        use_arn_region=st.booleans(),
    ),
    st.sampled_from(BUCKETS),
    st.sampled_from(DIRECTORY_FLAGS),
)
def test_agrees_with_botocore(options: Options, bucket: str | None, flag: str | None) -> None:
    if not _known_difference(options, bucket):
        assert ours(options, bucket, flag) == oracle(options, bucket, flag)


@pytest.mark.parametrize(
    ("options", "bucket", "url"),
    [
        (Options("us-east-1"), "b.c", "https://s3.us-east-1.amazonaws.com/b.c"),
        (Options("us-east-1", use_global_endpoint=True), "bkt", "https://bkt.s3.amazonaws.com"),
        (Options("cn-north-1"), "bkt", "https://bkt.s3.cn-north-1.amazonaws.com.cn"),
        (Options("us-iso-east-1"), "bkt", "https://bkt.s3.us-iso-east-1.c2s.ic.gov"),
        (Options("eusc-de-east-1"), "bkt", "https://bkt.s3.eusc-de-east-1.amazonaws.eu"),
        (
            Options("us-west-2", use_fips=True, use_dualstack=True),
            "bkt",
            "https://bkt.s3-fips.dualstack.us-west-2.amazonaws.com",
        ),
        (
            Options("us-west-2", use_accelerate=True, use_dualstack=True),
            "bkt",
            "https://bkt.s3-accelerate.dualstack.amazonaws.com",
        ),
        (Options("us-east-1", "http://127.0.0.1:7480"), "bkt", "http://127.0.0.1:7480/bkt"),
        (Options("us-east-1", "http://127.0.0.1:7480"), "b.c", "http://127.0.0.1:7480/b.c"),
        (Options("us-east-1", "https://gw.example/s3/"), "MyB", "https://gw.example/s3/MyB"),
    ],
)
def test_forms(options: Options, bucket: str, url: str) -> None:
    assert ours(options, bucket)[0] == url


def test_access_point_and_express() -> None:
    arn = "arn:aws:s3:us-west-2:123456789012:accesspoint/myap"
    found = resolve(Options("us-east-1", use_arn_region=True, use_fips=True), arn)
    assert found == Endpoint(
        "https",
        "myap-123456789012.s3-accesspoint-fips.us-west-2.amazonaws.com",
        "",
        "us-west-2",
        True,
    )
    with pytest.raises(ParamError, match="use_arn_region"):
        resolve(Options("us-east-1"), arn)
    with pytest.raises(ParamError, match="use_accelerate"):
        resolve(Options("us-west-2", use_accelerate=True), arn)
    express = resolve(Options("us-west-2"), "data--usw2-az1--x-s3")
    assert express.host == "data--usw2-az1--x-s3.s3express-usw2-az1.us-west-2.amazonaws.com"
    assert express.signing_name == "s3express"


@pytest.mark.parametrize(
    "options",
    [
        Options("us-east-1", use_accelerate=True, use_fips=True),
        Options("cn-north-1", use_fips=True),
        Options("us-east-1", "https://example.com", use_dualstack=True),
    ],
)
def test_refused(options: Options) -> None:
    with pytest.raises(ParamError):
        resolve(options, "bkt")
