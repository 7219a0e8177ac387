"""s3://bucket/key paths, as the shortcut commands take them."""

from __future__ import annotations

from dataclasses import dataclass

from .errors import UsageError

SCHEME = "s3://"


@dataclass(frozen=True)
class S3Path:
    """A bucket and a key (or key prefix); key "" is the bucket itself."""

    bucket: str
    key: str = ""

    def __str__(self) -> str:
        return f"{SCHEME}{self.bucket}/{self.key}" if self.key else f"{SCHEME}{self.bucket}"

    def child(self, name: str) -> S3Path:
        """This path with name appended when it names a "folder" (the bucket, or ends in /)."""
        return S3Path(self.bucket, self.key + name) if self.is_folder else self

    @property
    def is_folder(self) -> bool:
        """Whether the path is a bucket or ends with "/"."""
        return not self.key or self.key.endswith("/")


def is_s3(text: str) -> bool:
    """Whether text is an s3:// path (else a local path)."""
    return text.startswith(SCHEME)


def parse(text: str, *, key: bool | None = None) -> S3Path:
    """An s3://bucket[/key] path; key=True requires a key, key=False forbids one."""
    if not is_s3(text):
        raise UsageError(f"expected an s3://bucket/key path, got {text!r}")
    bucket, _, rest = text[len(SCHEME) :].partition("/")
    if not bucket:
        raise UsageError(f"no bucket in {text!r}")
    if key is True and not rest:
        raise UsageError(f"{text!r} names a bucket; give s3://{bucket}/KEY")
    if key is False and rest:
        raise UsageError(f"{text!r} has a key; give just s3://{bucket}")
    return S3Path(bucket, rest)


def basename(key: str) -> str:
    """The last segment of a key (after its last /)."""
    return key.rstrip("/").rsplit("/", 1)[-1]
