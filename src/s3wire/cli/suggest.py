"""Did you mean: the names closest to a mistyped command, option or value, for usage errors."""

from __future__ import annotations

from collections.abc import Iterable

SHOWN = 4  # at most this many names in a suggestion: it stays on one line
# Case aside for ASCII letters only: str.lower() makes some other letters two characters.
_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def distance(a: str, b: str, bound: int | None = None) -> int:
    """The edit distance of two strings: characters changed, dropped, added, or two
    neighbours swapped (optimal string alignment). Past `bound`, bound + 1."""
    beyond = len(a) + len(b) + 1 if bound is None else bound + 1
    if abs(len(a) - len(b)) >= beyond:
        return beyond
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char in enumerate(a, 1):
        row = [i]
        for j, other in enumerate(b, 1):
            cost = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (char != other))
            if i > 1 and j > 1 and char == b[j - 2] and a[i - 2] == other:
                cost = min(cost, previous2[j - 2] + 1)
            row.append(cost)
        if min(row) >= beyond and min(previous) >= beyond:  # a swap looks two rows back
            return beyond
        previous2, previous = previous, row
    return min(previous[-1], beyond)


def _allowed(word: str) -> int:
    """How many edits a suggestion may be from a word: more for longer words (its leading
    dashes, which every option has, not counted)."""
    length = len(word.lstrip("-"))
    return 1 if length <= 4 else 2 if length <= 9 else 3


def closest(word: str, names: Iterable[str]) -> tuple[list[str], int]:
    """The names nearest to `word` (ASCII case aside), and how many there are in all: those
    the fewest edits away if few enough, else those that start with it (if longer than 2
    letters); shortest first, at most SHOWN of them."""
    key, allowed = word.translate(_LOWER), _allowed(word)
    edits = {name: distance(key, name.translate(_LOWER), allowed) for name in names}
    nearest = min(edits.values(), default=None)
    if nearest is not None and nearest <= allowed:
        found = [name for name, count in edits.items() if count == nearest]
    elif len(key.lstrip("-")) > 2:
        found = [name for name in edits if name.translate(_LOWER).startswith(key)]
    else:
        found = []
    found.sort(key=lambda name: (len(name), name))
    return found[:SHOWN], len(found)


def did_you_mean(word: str, names: Iterable[str]) -> str | None:
    """The suggestion "did you mean 'ls'?" of the names closest to a word; None if none is."""
    found, total = closest(word, names)
    if not found:
        return None
    quoted = [f"'{name}'" for name in found]
    listed = quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]
    more = f" (or {total - len(found)} more like them)" if total > len(found) else ""
    return f"did you mean {listed}{more}?"
