"""What an exception carries, for the tests that no secret rides on one (tests/ is on sys.path:
`from carried import carried_text`)."""

from __future__ import annotations

import traceback
from collections.abc import Iterator


def linked(exc: BaseException | None) -> Iterator[BaseException]:
    """The exception and every exception linked to it: causes and contexts, shown or not."""
    queue: list[BaseException | None] = [exc]
    seen: list[BaseException] = []
    while queue:
        current = queue.pop(0)
        if current is None or any(current is known for known in seen):
            continue
        seen.append(current)
        yield current
        queue += [current.__cause__, current.__context__]


def carried_text(exc: BaseException) -> str:
    """Its traceback as printed, and the str, repr, args and attributes of it and of every
    exception linked to it."""
    texts = ["".join(traceback.format_exception(exc))]
    for each in linked(exc):
        texts += [str(each), repr(each), repr(each.args), repr(vars(each))]
    return "\n".join(texts)
