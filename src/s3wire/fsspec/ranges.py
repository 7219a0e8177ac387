"""The Range header of fsspec's byte ranges: [start, end) as Python slices them."""

from __future__ import annotations


def needs_size(start: int | None, end: int | None) -> bool:
    """Whether the range counts from the end (a negative bound), so needs the object's size."""
    return (start is not None and start < 0) or (end is not None and end < 0)


def header(start: int | None, end: int | None, size: int | None = None) -> str | None:
    """The Range that answers data[start:end]: None for the whole object, "" for no bytes at
    all. `size` is needed when needs_size(start, end)."""
    if start is None and end is None:
        return None
    if needs_size(start, end):
        if size is None:
            raise ValueError("a range from the end needs the object's size")
        start = max(size + start, 0) if start is not None and start < 0 else start
        end = size + end if end is not None and end < 0 else end
    first = start or 0
    if end is None:
        return f"bytes={first}-"
    return "" if end <= first else f"bytes={first}-{end - 1}"
