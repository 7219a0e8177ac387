"""Which test server supports what: the one place that says so.

Keys are S3 operations, or "Operation(parameter)" for one feature of an operation. A test of a
feature the main server lacks is not skipped: it asserts that server's real answer where asking is
safe, and runs the feature on a server that has it (see `target`).
"""

from __future__ import annotations

from collections.abc import Callable

import servers

CAPABILITIES: dict[str, dict[str, bool]] = {
    # radosgw 16 answers PutBucketEncryption with 400 InvalidArgument. It does not know the
    # ?encryption subresource at all: GET answers an object listing and DELETE deletes the bucket.
    "PutBucketEncryption": {"radosgw": False, "moto": True},
    "GetBucketEncryption": {"radosgw": False, "moto": True},
    "DeleteBucketEncryption": {"radosgw": False, "moto": True},
    # radosgw 16 reads x-amz-copy-if-match and friends, not the x-amz-copy-source-if-* headers S3
    # defines, so it copies whatever they say; moto checks x-amz-copy-source-if-none-match only.
    "CopyObject(copy_source_if_none_match)": {"radosgw": False, "moto": True},
}


def supports(kind: str, *features: str) -> bool:
    """Whether a server of this kind ("radosgw", "moto", ...) has every feature; unknown: no."""
    return all(CAPABILITIES[feature].get(kind, False) for feature in features)


def target(
    main: servers.S3Server, second: Callable[[], servers.S3Server], *features: str
) -> servers.S3Server:
    """The main test server if it has every feature, else the second target (started on demand)."""
    if supports(main.kind, *features):
        return main
    other = second()
    if not supports(other.kind, *features):
        raise AssertionError(f"no test server supports {', '.join(features)}")
    return other
