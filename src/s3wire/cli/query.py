"""--query: one value picked out of an answer by a dotted path (`response.X.Contents.0.Key`)."""

from __future__ import annotations

from typing import Any

from .errors import UsageError


def select(value: Any, path: str) -> Any:
    """The value at a dotted path: names pick mapping keys (exactly, else ignoring case, as
    header names go), integers pick list items (-1 the last). UsageError when nothing is there."""
    walked: list[str] = []
    for step in path.split("."):
        value = _step(value, step, ".".join(walked) or "the answer")
        walked.append(step)
    return value


def _step(value: Any, step: str, where: str) -> Any:
    if isinstance(value, dict):
        if step in value:
            return value[step]
        folded = {str(key).lower(): key for key in value}
        if step.lower() in folded:
            return value[folded[step.lower()]]
        known = ", ".join(map(str, value)) or "nothing"
        raise UsageError(f"--query: no {step!r} in {where} (it has: {known})")
    if isinstance(value, list):
        try:
            return value[int(step)]
        except ValueError:
            raise UsageError(f"--query: {where} is a list: give an index, not {step!r}") from None
        except IndexError:
            raise UsageError(f"--query: {where} has {len(value)} item(s), no item {step}") from None
    raise UsageError(f"--query: {where} is a single value, it has no {step!r}")
