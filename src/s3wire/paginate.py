"""Following a listing's pages by the catalog's pagination rules (client.paginate), and the
entries of every page of the object, version and upload listings (objects, versions, uploads)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping
from typing import Any, NamedTuple
from urllib.parse import unquote_plus

from ._generated.operations import GeneratedOperations
from ._generated.records import OPERATIONS
from .errors import ParamError, RepeatedTokenError, ResponseError
from .operation import Pagination
from .response import Response

Page = Response[Any, Any]
_LAST = "[-1]"


def pages(client: object, operation_name: str, params: dict[str, Any]) -> Iterator[Page]:
    """The pages of a paginated operation, named as its method ("list_objects_v2").

    Checks the name at once (ParamError when unknown or not paginated); the requests are sent
    as the pages are consumed.
    """
    operation = paginated(operation_name)
    call: Callable[..., Page] = getattr(client, operation_name)
    return follow(call, operation.paginate, params, name=operation.name)


def paginated(operation_name: str) -> PaginatedOperation:
    """The operation of that method name, which paginates; ParamError otherwise."""
    operation = OPERATIONS.get(operation_name)
    if operation is None:
        raise ParamError(f"unknown operation {operation_name!r}; known: {', '.join(OPERATIONS)}")
    if operation.paginate is None:
        names = ", ".join(name for name, op in OPERATIONS.items() if op.paginate)
        raise ParamError(f"{operation_name} does not paginate; these do: {names}")
    return PaginatedOperation(operation.name, operation.paginate)


class PaginatedOperation(NamedTuple):
    """An operation's name and its pagination rules."""

    name: str
    paginate: Pagination


def follow(
    call: Callable[..., Page], pagination: Pagination, params: Mapping[str, Any], *, name: str
) -> Iterator[Page]:
    """Call `call(**params)` for each page, passing on the tokens each answer gives.

    Stops after the last page, and after an error answer (status >= 300), which is yielded.
    Raises RepeatedTokenError when an answer's tokens were already sent (the server is looping).
    """
    paging = Paging(pagination, params, name)
    while True:
        page = call(**paging.params)
        yield page
        if not paging.advance(page):
            return


class Paging:
    """Where a walk through a listing's pages stands: the next page's `params`, and after
    each page whether there is another (no I/O: the sync and async walks share it)."""

    __slots__ = ("_name", "_pagination", "_seen", "params")

    def __init__(self, pagination: Pagination, params: Mapping[str, Any], name: str) -> None:
        self._pagination, self._name = pagination, name
        self.params = dict(params)
        self._seen = {_sent_tokens(pagination, self.params)}

    def advance(self, page: Page) -> bool:
        """Whether another page follows this one (its tokens now in `params`). False after
        the last page or an error answer; RepeatedTokenError for tokens already sent."""
        pagination = self._pagination
        if page.status >= 300 or not _has_more(pagination, page.response):
            return False
        tokens = next_tokens(pagination, page.response)
        if not tokens:
            return False
        key = tuple(sorted(tokens.items()))
        if key in self._seen:
            names = ", ".join(tokens)
            raise RepeatedTokenError(
                f"{self._name} answered the same {names} twice; stopped paging"
            )
        self._seen.add(key)
        for param, _ in pagination.tokens:
            self.params.pop(param, None)
        self.params.update(tokens)
        return True


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


class Listing(NamedTuple):
    """What a listing's answer holds: its root element, its lists of entries (each with the
    field that holds a key), the fields echoing a parameter, and the next page's key marker.
    Asked with encoding-type=url, S3 percent-encodes all of these."""

    method: str
    root: str
    lists: tuple[tuple[str, str], ...]
    echoes: tuple[tuple[str, str], ...]
    markers: tuple[str, ...] = ()


_PREFIXES = ("CommonPrefixes", "Prefix")
_ECHOES = (("Prefix", "prefix"), ("Delimiter", "delimiter"))
OBJECTS = Listing(
    "list_objects_v2",
    "ListBucketResult",
    (_PREFIXES, ("Contents", "Key")),
    (*_ECHOES, ("StartAfter", "start_after")),
)
VERSIONS = Listing(
    "list_object_versions",
    "ListVersionsResult",
    (_PREFIXES, ("Version", "Key"), ("DeleteMarker", "Key")),
    (*_ECHOES, ("KeyMarker", "key_marker")),
    ("NextKeyMarker",),
)
UPLOADS = Listing(
    "list_multipart_uploads",
    "ListMultipartUploadsResult",
    (_PREFIXES, ("Upload", "Key")),
    (*_ECHOES, ("KeyMarker", "key_marker")),
    ("NextKeyMarker",),
)


def objects(
    client: GeneratedOperations, bucket: str, prefix: str = "", delimiter: str | None = None
) -> Iterator[dict[str, Any]]:
    """Every object under prefix (its Contents entry: Key, Size, LastModified, ETag, ...) of
    every page of ListObjectsV2; with a delimiter, each common prefix too, as {"Prefix": ...},
    ahead of its page's objects. See entries."""
    params = {"bucket": bucket, "prefix": prefix or None, "delimiter": delimiter}
    for _, entry in entries(client, OBJECTS, params):
        yield entry


def versions(
    client: GeneratedOperations, bucket: str, prefix: str = ""
) -> Iterator[tuple[str, dict[str, Any]]]:
    """("Version" or "DeleteMarker", its entry) of every object version and delete marker
    under prefix. See entries."""
    return entries(client, VERSIONS, {"bucket": bucket, "prefix": prefix or None})


def uploads(client: GeneratedOperations, bucket: str, prefix: str = "") -> Iterator[dict[str, Any]]:
    """Every multipart upload in progress under prefix (its Upload entry: Key, UploadId, ...).
    See entries."""
    for _, entry in entries(client, UPLOADS, {"bucket": bucket, "prefix": prefix or None}):
        yield entry


def entries(
    client: GeneratedOperations, listing: Listing, params: Mapping[str, Any]
) -> Iterator[tuple[str, dict[str, Any]]]:
    """(list name, entry) of every entry of every page, keys decoded: asked with
    encoding-type=url, so that any key S3 holds (control characters included) lists right.

    Pages are followed by `follow` (RepeatedTokenError when a server loops); an error answer
    raises S3Error, an answer without a listing's structure ResponseError.
    """
    operation = OPERATIONS[listing.method]
    assert operation.paginate is not None
    method: Callable[..., Page] = getattr(client, listing.method)

    def call(**sent: Any) -> Page:
        page = method(**sent)
        if page.ok:
            decode(listing, page.response, sent)
        return page

    asked = {**params, "encoding_type": "url"}
    for page in follow(call, operation.paginate, asked, name=operation.name):
        result = page.raise_for_status().response[listing.root]
        for name, _ in listing.lists:
            for entry in result.get(name, []):
                yield name, entry


def decode(listing: Listing, answer: Mapping[str, Any], sent: Mapping[str, Any]) -> None:
    """Decode in place what S3 percent-encoded in a listing's answer, checking its structure
    (ResponseError). An echo equal to what was sent, or a marker equal to a key of the page,
    was sent as is (radosgw does not encode these)."""
    result = answer.get(listing.root)
    if not isinstance(result, dict):
        raise ResponseError(f"the {listing.method} answer holds no {listing.root}")
    keys: set[str] = set()
    for name, field in listing.lists:
        for entry in _entries(listing, result, name, field):
            entry[field] = _unquoted(entry[field])
            keys.add(entry[field])
    for field, param in listing.echoes:
        _decode_field(result, field, (sent[param],) if sent.get(param) else ())
    for field in listing.markers:
        _decode_field(result, field, keys)


def _entries(
    listing: Listing, result: dict[str, Any], name: str, field: str
) -> list[dict[str, Any]]:
    found = result.get(name, [])
    if not isinstance(found, list) or not all(
        isinstance(entry, dict) and isinstance(entry.get(field), str) for entry in found
    ):
        raise ResponseError(f"the {listing.method} answer has {name} entries without a {field}")
    return found


def _decode_field(result: dict[str, Any], field: str, raw: Collection[str]) -> None:
    value = result.get(field)
    if value is None or value in raw:
        return
    if not isinstance(value, str):
        raise ResponseError(f"a listing's {field} is no text: {value!r}")
    result[field] = _unquoted(value)


def _unquoted(text: str) -> str:
    """Text as S3 percent-encodes it (a space as "+"), decoded."""
    try:
        return unquote_plus(text, errors="strict")
    except UnicodeDecodeError:
        raise ResponseError(f"a listing's key is not percent-encoded UTF-8: {text!r}") from None
