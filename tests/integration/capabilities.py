"""Which test server supports what: the one table the tests consult.

Operations: each catalog entry's `servers` list (the servers the integration tests exercise it
on), read from spec/. Features of an operation that a server lacks although it has the operation
are listed below as "Operation(parameter)". A test of something the main server lacks is not
skipped: it asserts that server's real answer where asking is safe, and runs the feature on a
server that has it (see `target`). docs/operations.md shows the same table, generated from spec/.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import servers

from s3wire.codegen.catalog import SERVERS, load_catalog

ROOT = Path(__file__).resolve().parents[2]

FEATURES: dict[str, dict[str, bool]] = {
    # radosgw 16 reads x-amz-copy-if-match and friends, not the x-amz-copy-source-if-* headers S3
    # defines, so it copies whatever they say; moto checks x-amz-copy-source-if-none-match only.
    "CopyObject(copy_source_if_none_match)": {"radosgw": False, "moto": True},
}

CAPABILITIES: dict[str, dict[str, bool]] = {
    **{
        operation.name: {server: server in operation.servers for server in SERVERS}
        for operation in load_catalog(ROOT / "spec").operations
    },
    **FEATURES,
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
