"""Did you mean: the names closest to a mistyped command, option or value, for usage errors."""

from __future__ import annotations

from collections.abc import Iterable

SHOWN = 4  # at most this many names in a suggestion: it stays on one line


def distance(a: str, b: str) -> int:
    """The edit distance of two strings: characters changed, dropped, added, or two
    neighbours swapped (optimal string alignment)."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char in enumerate(a, 1):
        row = [i]
        for j, other in enumerate(b, 1):
            cost = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (char != other))
            if i > 1 and j > 1 and char == b[j - 2] and a[i - 2] == other:
                cost = min(cost, previous2[j - 2] + 1)
            row.append(cost)
        previous2, previous = previous, row
    return previous[-1]


def _allowed(word: str) -> int:
    """How many edits a suggestion may be from a word: more for longer words (its leading
    dashes, which every option has, not counted)."""
    length = len(word.lstrip("-"))
    return 1 if length <= 4 else 2 if length <= 9 else 3


def closest(word: str, names: Iterable[str]) -> tuple[list[str], int]:
    """The names nearest to `word` (case aside), and how many there are in all: those the
    fewest edits away if few enough, else those that start with it (longer than 2 letters);
    shortest first, at most SHOWN of them."""
    lowered = word.lower()
    by_distance: dict[int, list[str]] = {}
    for name in names:
        by_distance.setdefault(distance(lowered, name.lower()), []).append(name)
    nearest = min((d for d in by_distance if d <= _allowed(word)), default=None)
    if nearest is not None:
        found = by_distance[nearest]
    elif len(lowered.lstrip("-")) > 2:
        found = [name for group in by_distance.values() for name in group]
        found = [name for name in found if name.lower().startswith(lowered)]
    else:
        found = []
    found.sort(key=lambda name: (len(name), name))
    return found[:SHOWN], len(found)


def did_you_mean(word: str, names: Iterable[str]) -> str | None:
    """ "did you mean 'ls'?" with the names closest to a word; None if none is close."""
    found, total = closest(word, names)
    if not found:
        return None
    quoted = [f"'{name}'" for name in found]
    listed = quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]
    more = f" (or {total - len(found)} more like them)" if total > len(found) else ""
    return f"did you mean {listed}{more}?"
