"""Where a bucket's requests go on AWS: S3's endpoint rules over the partitions of
spec/endpoints.yaml (FIPS, dual-stack, accelerate, the global endpoint, access point ARNs, S3
Express zonal endpoints), and custom endpoints. Pure: no I/O."""

from __future__ import annotations

import ipaddress
import re
from typing import NamedTuple
from urllib.parse import urlsplit

from .._generated.endpoints import DEFAULT_PARTITION, GLOBAL_REGION_NAME, PARTITIONS, Partition
from ..errors import ParamError

_LABEL = re.compile(r"[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?")  # matched whole
_VIRTUAL = re.compile(r"[a-z0-9][a-z0-9-]{1,61}[a-z0-9]")  # matched whole
_EXPRESS = re.compile(r"[a-z0-9][a-z0-9.-]*--(?P<az>[a-z0-9-]+)--x-s3")  # matched whole
_ACCESS_POINT = re.compile(
    r"arn:(?P<partition>[\w-]+):s3:(?P<region>[\w-]*):(?P<account>\d{12}):accesspoint[/:]"
    r"(?P<name>[a-zA-Z0-9-]{1,63})"
)


class Endpoint(NamedTuple):
    """Where one request goes: `scheme://host{path_prefix}/...`, signed for `signing_region`
    (and `signing_name`); `virtual` when the bucket is in the host (not in the path);
    `express_session` when it is signed with an S3 Express session's keys (CreateSession)."""

    scheme: str
    host: str
    path_prefix: str
    signing_region: str
    virtual: bool
    signing_name: str = "s3"
    express_session: bool = False


class Options(NamedTuple):
    """The endpoint settings of the connection data."""

    region: str
    url: str | None = None  # a custom endpoint, else None (AWS's)
    use_fips: bool = False
    use_dualstack: bool = False
    use_accelerate: bool = False
    force_path_style: bool = False
    use_global_endpoint: bool = False  # us_east_1_regional_endpoint = legacy
    use_arn_region: bool = False


def partition_of(region: str) -> Partition:
    """The partition a region belongs to (the default one for a region no pattern matches)."""
    for partition in PARTITIONS:
        if region in partition.extra_regions or re.fullmatch(partition.regions, region):
            return partition
    return next(p for p in PARTITIONS if p.name == DEFAULT_PARTITION)


def is_express(bucket: str) -> bool:
    """Whether a bucket name is an S3 Express directory bucket's (NAME--AZID--x-s3)."""
    return bucket.endswith("--x-s3") and _EXPRESS.fullmatch(bucket) is not None


def resolve(options: Options, bucket: str | None, directory_bucket: str | None = None) -> Endpoint:
    """The endpoint of a request for `bucket` (None: a service request such as ListBuckets).

    `directory_bucket` is the operation's catalog flag for S3 Express directory buckets
    (s3wire.operation.Operation). Raises ParamError for combinations S3's rules refuse."""
    if not _LABEL.fullmatch(options.region) and not options.url:
        raise ParamError(f"region {options.region!r} is not a valid DNS name")
    if options.use_accelerate and options.use_fips:
        raise ParamError("use_accelerate cannot be combined with use_fips")
    if options.url and options.use_dualstack:
        raise ParamError("use_dualstack cannot be combined with a custom endpoint url")
    if options.url and options.use_accelerate:
        raise ParamError("use_accelerate cannot be combined with a custom endpoint url")
    if options.url and options.use_fips:
        raise ParamError("use_fips cannot be combined with a custom endpoint url")
    if bucket is not None and bucket.startswith("arn:"):
        return _access_point(options, bucket)
    control = directory_bucket == "control" and not options.url
    if control and (bucket is None or is_express(bucket)):
        return _express_control(options, bucket)
    if bucket is not None and not options.url and (express := _EXPRESS.fullmatch(bucket)):
        return _express(options, bucket, express["az"], directory_bucket is None)
    if options.url:
        return _custom(options, bucket, directory_bucket)
    return _aws(options, bucket)


def _aws(options: Options, bucket: str | None) -> Endpoint:
    region = options.region
    partition = partition_of(region)
    signing = partition.global_region if region == GLOBAL_REGION_NAME else region
    suffix = partition.dns_suffix
    virtual = (
        bucket is not None and _virtual_hostable(bucket, False) and not options.force_path_style
    )
    if options.use_accelerate and bucket is not None:
        if not virtual:
            raise ParamError(
                f"bucket {bucket!r} cannot use use_accelerate: accelerate needs a DNS-compatible "
                "name without dots, in virtual-host style"
            )
        if not partition.accelerate:
            raise ParamError(f"use_accelerate is not available in region {region!r}")
        accel = "s3-accelerate.dualstack" if options.use_dualstack else "s3-accelerate"
        return Endpoint("https", f"{bucket}.{accel}.{suffix}", "", signing, True)
    fips = _fips(options)
    dualstack = ".dualstack" if options.use_dualstack else ""
    plain = not options.use_fips and not options.use_dualstack
    if plain and (
        region == GLOBAL_REGION_NAME or (options.use_global_endpoint and region == "us-east-1")
    ):
        base = f"s3.{suffix}"
    else:
        name = signing if region == GLOBAL_REGION_NAME else region
        base = f"s3{fips}{dualstack}.{name}.{suffix}"
    host = f"{bucket}.{base}" if virtual else base
    return Endpoint("https", host, "", signing, virtual)


def _custom(options: Options, bucket: str | None, directory_bucket: str | None) -> Endpoint:
    split = urlsplit(options.url or "")
    host = split.netloc
    prefix = split.path.rstrip("/")
    express = bucket is not None and _EXPRESS.fullmatch(bucket) is not None
    virtual = (
        bucket is not None
        and (express or not options.force_path_style)
        and not _is_ip(split.hostname or "")
        and _virtual_hostable(bucket, split.scheme == "http" and not express)
    )
    if express and not virtual:
        raise ParamError(f"S3 Express directory bucket {bucket!r} cannot be a host name label")
    if virtual:
        host = f"{bucket}.{host}"
    region = options.region
    control = bucket is None and directory_bucket == "control"  # ListDirectoryBuckets
    if region == GLOBAL_REGION_NAME and not express and not control:
        region = partition_of(region).global_region
    if express:
        session = directory_bucket != "no_session"
        return Endpoint(split.scheme, host, prefix, region, virtual, "s3express", session)
    if control:
        return Endpoint(split.scheme, host, prefix, region, virtual, "s3express")
    return Endpoint(split.scheme, host, prefix, region, virtual)


def _access_point(options: Options, arn: str) -> Endpoint:
    match = _ACCESS_POINT.fullmatch(arn)
    if match is None:
        raise ParamError(f"bucket {arn!r} is not an access point ARN s3wire supports")
    if options.use_accelerate or options.force_path_style:
        raise ParamError("access point ARNs cannot be used with use_accelerate or path style")
    region = match["region"]
    partition = partition_of(options.region)
    if not region or not _LABEL.fullmatch(region):
        raise ParamError(f"access point ARN {arn!r} has no valid region")
    if match["partition"] != partition.name:
        raise ParamError(
            f"access point ARN partition {match['partition']!r} is not the client's "
            f"({partition.name!r} for region {options.region!r})"
        )
    if region != options.region and not options.use_arn_region:
        raise ParamError(
            f"access point ARN region {region!r} differs from the client's {options.region!r}; "
            "set use_arn_region to use it"
        )
    label = f"{match['name']}-{match['account']}"
    if options.url:
        split = urlsplit(options.url)
        return Endpoint(
            split.scheme, f"{label}.{split.netloc}", split.path.rstrip("/"), region, True
        )
    fips = _fips(options)
    dualstack = ".dualstack" if options.use_dualstack else ""
    host = f"{label}.s3-accesspoint{fips}{dualstack}.{region}.{partition_of(region).dns_suffix}"
    return Endpoint("https", host, "", region, True)


def _express(options: Options, bucket: str, zone: str, session: bool) -> Endpoint:
    """A directory bucket's zonal endpoint, signed with a session's keys when `session`."""
    if options.use_accelerate:
        raise ParamError("S3 Express directory buckets cannot be used with use_accelerate")
    fips = _fips(options)
    dualstack = ".dualstack" if options.use_dualstack else ""
    suffix = partition_of(options.region).dns_suffix
    base = f"s3express{fips}-{zone}{dualstack}.{options.region}.{suffix}"
    if not _virtual_hostable(bucket, False):
        raise ParamError(
            f"S3 Express directory bucket {bucket!r} cannot be a host name label (no dots)"
        )
    return Endpoint("https", f"{bucket}.{base}", "", options.region, True, "s3express", session)


def _express_control(options: Options, bucket: str | None) -> Endpoint:
    """The region's s3express-control endpoint (bucket management), path-style."""
    if options.use_accelerate and bucket is not None:
        raise ParamError("S3 Express directory buckets cannot be used with use_accelerate")
    fips = _fips(options)
    dualstack = ".dualstack" if options.use_dualstack else ""
    suffix = partition_of(options.region).dns_suffix
    host = f"s3express-control{fips}{dualstack}.{options.region}.{suffix}"
    return Endpoint("https", host, "", options.region, False, "s3express")


def _fips(options: Options) -> str:
    """The "-fips" of a host name label when FIPS is asked for, refused where S3 has none."""
    if not options.use_fips:
        return ""
    if not partition_of(options.region).fips:
        raise ParamError(f"use_fips is not available in region {options.region!r}")
    return "-fips"


def _virtual_hostable(bucket: str, allow_dots: bool) -> bool:
    """Whether a bucket name can be a host name label (labels, with dots only over http)."""
    if _is_ip(bucket):
        return False
    if allow_dots and "." in bucket:
        return len(bucket) <= 63 and all(
            _VIRTUAL.fullmatch(p) or (len(p) > 0 and _LABEL.fullmatch(p) and p == p.lower())
            for p in bucket.split(".")
        )
    return bool(_VIRTUAL.fullmatch(bucket))


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True
