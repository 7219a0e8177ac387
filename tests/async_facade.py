"""An AsyncClient driven from the sync integration tests: each of its coroutines runs on one
event loop in a thread of its own, so the scenarios written for Client run unchanged against
AsyncClient (its loop, its AsyncSocketTransport, the real server)."""

from __future__ import annotations

import asyncio
import inspect
import threading
from collections.abc import Coroutine, Iterator
from types import TracebackType
from typing import Any, TypeVar

import s3wire

T = TypeVar("T")


class SyncOverAsync:
    """Client's face over an AsyncClient: `facade.put_object(...)` awaits
    `client.put_object(...)` on the facade's loop and answers its Response."""

    def __init__(self, client: s3wire.AsyncClient) -> None:
        self.async_client = client
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()

    def _run(self, work: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(work, self._loop).result()

    def __getattr__(self, name: str) -> Any:
        member = getattr(self.async_client, name)
        if not inspect.iscoroutinefunction(member):
            return member
        return lambda *args, **kwargs: self._run(member(*args, **kwargs))

    def paginate(self, operation_name: str, **params: Any) -> Iterator[Any]:
        pages = self.async_client.paginate(operation_name, **params)
        while True:
            try:
                yield self._run(pages.__anext__())
            except StopAsyncIteration:
                return

    def close(self) -> None:
        self._run(self.async_client.close())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join()
        self._loop.close()

    def __enter__(self) -> SyncOverAsync:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
