"""The groups `s3wire --help` lists commands in, in order, with their headings.

A generated command's group is a fact of the catalog (its file's or its entry's `group:` key,
checked by codegen); a handwritten command names its own.
"""

from __future__ import annotations

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
