"""Byte counts as `aws s3` prints them for people: 1 Byte, 512 Bytes, 1.5 KiB, 2.0 MiB."""

from __future__ import annotations

_UNITS = ("KiB", "MiB", "GiB", "TiB", "PiB", "EiB")


def human(size: int) -> str:
    """size in Bytes below 1,024, else in the largest binary unit it reaches, one decimal."""
    if size == 1:
        return "1 Byte"
    if size < 1024:
        return f"{size} Bytes"
    value = float(size)
    for unit in _UNITS:
        value /= 1024
        if value < 1024 or unit == _UNITS[-1]:
            return f"{value:.1f} {unit}"
    raise AssertionError("unreachable")
