"""The test tree itself: pytest imports test modules by their file name, so names are unique."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent


def test_test_module_names_are_unique() -> None:
    names = Counter(
        path.name
        for path in TESTS.rglob("*.py")
        if "fixtures" not in path.parts and path.name != "conftest.py"
    )
    assert [name for name, count in names.items() if count > 1] == []
