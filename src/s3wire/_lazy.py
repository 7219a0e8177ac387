"""Public names a package imports from its modules on first use (PEP 562), kept once there."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def exports(
    package: str, homes: Mapping[str, str], namespace: dict[str, Any]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The module `__getattr__` and `__dir__` of `package`, whose public names live in the
    modules `homes` names (name -> module, relative to the package); `namespace` is its
    globals(), where each name is kept once imported."""

    def lazy_getattr(name: str) -> Any:
        home = homes.get(name)
        if home is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f".{home}", package), name)
        namespace[name] = value
        return value

    def lazy_dir() -> list[str]:
        return sorted({*namespace, *homes})

    return lazy_getattr, lazy_dir
