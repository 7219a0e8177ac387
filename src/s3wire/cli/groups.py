"""The groups `s3wire --help` lists commands in, and which group each generated command is in.

The catalog has no group key, so a generated command's group comes from its name (first rule
that matches) or, failing that, from what its operation acts on.
"""

from __future__ import annotations

import re

from .._generated.records import OPERATIONS
from .spec import Command

# (name, heading), in the order the help shows them.
GROUPS: tuple[tuple[str, str], ...] = (
    ("shortcuts", "shortcuts (like `aws s3`)"),
    ("buckets", "buckets"),
    ("objects", "objects"),
    ("multipart", "multipart uploads"),
    ("configuration", "bucket configuration"),
    ("links", "links"),
    ("transfers", "transfers"),
    ("setup", "connection and raw requests"),
)
RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r".*multipart.*|.*-parts?(-.*)?"), "multipart"),
    (re.compile(r"(create|delete|head|list)(-directory)?-buckets?|create-session"), "buckets"),
    (re.compile(r".*-bucket-.*|.*-configuration|.*-public-access-block"), "configuration"),
    (re.compile(r".*-objects?(-.*)?"), "objects"),
)
BY_TARGET = {"service": "buckets", "bucket": "configuration", "object": "objects"}


def group_of(command: Command) -> str:
    """The group of a generated command."""
    for pattern, group in RULES:
        if pattern.fullmatch(command.name):
            return group
    return BY_TARGET[OPERATIONS[command.method].target]
