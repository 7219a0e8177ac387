"""Following a listing's pages by the catalog's pagination rules (client.paginate)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from ._generated.operations import OPERATIONS, GeneratedOperations
from .errors import ParamError, RepeatedTokenError
from .operation import Pagination
from .response import Response

Page = Response[Any, Any]
_LAST = "[-1]"


def pages(
    client: GeneratedOperations, operation_name: str, params: dict[str, Any]
) -> Iterator[Page]:
    """The pages of a paginated operation, named as its method ("list_objects_v2").

    Checks the name at once (ParamError when unknown or not paginated); the requests are sent
    as the pages are consumed.
    """
    operation = OPERATIONS.get(operation_name)
    if operation is None:
        raise ParamError(f"unknown operation {operation_name!r}; known: {', '.join(OPERATIONS)}")
    if operation.paginate is None:
        paginated = ", ".join(name for name, op in OPERATIONS.items() if op.paginate)
        raise ParamError(f"{operation_name} does not paginate; these do: {paginated}")
    call: Callable[..., Page] = getattr(client, operation_name)
    return follow(call, operation.paginate, params, name=operation.name)


def follow(
    call: Callable[..., Page], pagination: Pagination, params: Mapping[str, Any], *, name: str
) -> Iterator[Page]:
    """Call `call(**params)` for each page, passing on the tokens each answer gives.

    Stops after the last page, and after an error answer (status >= 300), which is yielded.
    Raises RepeatedTokenError when an answer's tokens were already sent (the server is looping).
    """
    params = dict(params)
    seen = {_sent_tokens(pagination, params)}
    while True:
        page = call(**params)
        yield page
        if page.status >= 300 or not _has_more(pagination, page.response):
            return
        tokens = next_tokens(pagination, page.response)
        if not tokens:
            return
        key = tuple(sorted(tokens.items()))
        if key in seen:
            names = ", ".join(tokens)
            raise RepeatedTokenError(f"{name} answered the same {names} twice; stopped paging")
        seen.add(key)
        for param, _ in pagination.tokens:
            params.pop(param, None)
        params.update(tokens)


def next_tokens(pagination: Pagination, answer: Mapping[str, Any]) -> dict[str, Any]:
    """The next page's parameters: for each token, the first of its paths with a value (typed
    as the answer has it, like ListParts' int part number marker)."""
    tokens: dict[str, Any] = {}
    for param, paths in pagination.tokens:
        for path in paths:
            value = lookup(answer, path)
            if value is not None and value != "":
                tokens[param] = value
                break
    return tokens


def lookup(answer: Mapping[str, Any], path: str) -> Any:
    """The value at a dotted path ("Root.Contents[-1].Key"), or None when any step is missing."""
    node: Any = answer
    for step in path.split("."):
        name = step.removesuffix(_LAST)
        node = node.get(name) if isinstance(node, Mapping) else None
        if step.endswith(_LAST) and isinstance(node, list):
            node = node[-1] if node else None
        if node is None:
            return None
    return node


def _has_more(pagination: Pagination, answer: Mapping[str, Any]) -> bool:
    if pagination.more is None:
        return True
    more = lookup(answer, pagination.more)
    return more is True or (isinstance(more, str) and more.lower() == "true")


def _sent_tokens(pagination: Pagination, params: Mapping[str, Any]) -> tuple[tuple[str, Any], ...]:
    sent = {param: params[param] for param, _ in pagination.tokens if params.get(param)}
    return tuple(sorted(sent.items()))
