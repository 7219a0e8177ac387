"""Client: the connection plus every catalog operation and the handwritten helpers."""

from __future__ import annotations

from collections.abc import Mapping
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from ._base import Payload, _payload
from ._generated.operations import GeneratedOperations
from .config import ConnectionData, Settings
from .errors import ParamError
from .response import Response
from .signing import canonical_query, encode_path


class Client(GeneratedOperations):
    """An S3 client: `Client(data)` with data from get_data_structure, or `Client(url=..., ...)`.

    Every S3 operation is a method named in snake_case taking keyword arguments
    (`client.put_object(bucket="b", key="k", body=b"...")`); each answers a Response.
    Use it as a context manager, or call close(), to release pooled connections.
    """

    def __init__(self, data: Mapping[str, Any] | None = None, /, **options: Any) -> None:
        if data is not None and options:
            raise ParamError("pass either connection data or keyword options, not both")
        super().__init__(Settings.from_data(data if data is not None else options))

    @property
    def data(self) -> ConnectionData:
        """The connection data this client uses (its repr hides the secrets)."""
        settings = self._settings
        return ConnectionData(
            {name: getattr(settings, name) for name in settings.__dataclass_fields__}
        )

    def request(
        self,
        method: str,
        path_or_url: str,
        body: Payload | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Response[dict[str, Any], dict[str, Any]]:
        """Send any signed request: a path like "/bucket/key?tagging", or a full URL.

        The path and query may be given raw or percent-encoded (they are decoded, then encoded
        the SigV4 way, so a literal "%" in a key must be written "%25"). The answer's XML body,
        if any, is parsed without a catalog shape.
        """
        split = urlsplit(path_or_url)
        host = self._netloc
        if split.scheme or split.netloc:
            if split.scheme not in ("http", "https") or not split.netloc:
                raise ParamError(f"path_or_url must be a path or an http(s) URL: {path_or_url!r}")
            host = split.netloc
        elif not path_or_url.startswith("/"):
            raise ParamError(f"path_or_url must start with '/' or be a URL: {path_or_url!r}")
        pairs = parse_qsl(split.query, keep_blank_values=True)
        return self._exchange(
            method.upper(),
            None,
            host,
            encode_path(unquote(split.path) or "/"),
            canonical_query(pairs),
            dict(headers or {}),
            None if body is None else _payload(body),
        )

    def __repr__(self) -> str:
        settings = self._settings
        return f"Client(url={settings.url!r}, region={settings.region!r})"

    def __enter__(self) -> Client:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
