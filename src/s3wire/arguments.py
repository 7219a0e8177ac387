"""Calls whose arguments do not fit the method: ArgumentError (a ParamError naming the problem,
and still the TypeError Python raises) instead of a bare TypeError."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar, cast

from .errors import ArgumentError

T = TypeVar("T")
_CO_COROUTINE = 0x80  # inspect.CO_COROUTINE: the function is an `async def`


def checked(method: Callable[..., T]) -> Callable[..., T]:
    """The method, raising ArgumentError (a ParamError and a TypeError) for arguments it does
    not take; an `async def` stays one (the error is raised when it is called)."""

    @functools.wraps(method)
    def call(*args: Any, **kwargs: Any) -> T:
        try:
            return method(*args, **kwargs)
        except TypeError:
            problem = _problem(method, args, kwargs)
            if problem is None:
                raise
            raise ArgumentError(f"{method.__name__}: {problem}") from None

    if not getattr(method, "__code__", None) or not method.__code__.co_flags & _CO_COROUTINE:
        return call

    @functools.wraps(method)
    async def call_async(*args: Any, **kwargs: Any) -> Any:
        return await cast("Awaitable[Any]", call(*args, **kwargs))

    return cast("Callable[..., T]", call_async)


def _problem(
    method: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]
) -> str | None:
    """What is wrong with the arguments for the method's signature, or None if they fit."""
    import inspect  # read a signature only when a call went wrong

    signature = inspect.signature(method)
    try:
        signature.bind(*args, **kwargs)
    except TypeError as exc:
        problem = str(exc)
        unknown = [name for name in kwargs if name not in signature.parameters]
        if unknown:
            import difflib  # only a call that goes wrong needs it

            close = difflib.get_close_matches(unknown[0], list(signature.parameters), n=1)
            if close:
                problem += f" (did you mean {close[0]!r}?)"
        return problem
    return None
