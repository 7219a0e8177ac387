"""The async transfers' tasks: up to `concurrency` jobs at once under a semaphore, and work
that must end before its caller does (file I/O on a worker thread, an abort), whatever
cancels the caller."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Coroutine, Iterable, Iterator
from typing import Any, ParamSpec, TypeVar

Job = TypeVar("Job")
T = TypeVar("T")
P = ParamSpec("P")


async def run_tasks(
    concurrency: int,
    take: Callable[[], Awaitable[Job | None]],
    do: Callable[[Job], Awaitable[object]],
) -> None:
    """Await do(job) for every job that take() answers (None: no more), as up to
    `concurrency` tasks at once.

    A job is taken only when the semaphore has a slot free: at most `concurrency` jobs exist
    at any time. After the first exception (from take or do; a CancelledError out of do too:
    that job did not end) no job is taken, the running tasks are cancelled and awaited to
    their end, and that exception is raised; when the caller is cancelled, the same, then
    CancelledError.
    """
    slots = asyncio.Semaphore(concurrency)
    running: set[asyncio.Task[None]] = set()
    failures: list[BaseException] = []

    async def one(job: Job) -> None:
        try:
            await do(job)
        except BaseException as exc:  # a CancelledError too: a job that did not end is a failure
            failures.append(exc)
        finally:
            slots.release()

    try:
        while True:
            await slots.acquire()
            if failures:
                break
            job = await take()
            if job is None or failures:
                break
            task = asyncio.create_task(one(job))
            running.add(task)
            task.add_done_callback(running.discard)
            del job  # before taking the next one: a job may hold a whole part
        while not failures and (pending := {task for task in running if not task.done()}):
            await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
    finally:
        await _cancel_and_wait(running)
    if failures:
        raise failures[0]


def take_from(jobs: Iterator[Job]) -> Callable[[], Awaitable[Job | None]]:
    """run_tasks' `take` over jobs already in memory."""

    async def take() -> Job | None:
        return next(jobs, None)

    return take


async def off_loop(func: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """func(*args, **kwargs) on a worker thread (asyncio.to_thread), awaited to its end even
    when the caller is cancelled (then CancelledError is raised after it): a write to a file
    descriptor never outlives the code that will close it."""
    return await to_the_end(asyncio.to_thread(func, *args, **kwargs))


async def to_the_end(work: Coroutine[Any, Any, T]) -> T:
    """Await work as a task of its own that a cancellation of the caller does not stop: the
    caller waits for its end, then raises CancelledError."""
    task = asyncio.ensure_future(work)
    try:
        return await asyncio.shield(task)
    except asyncio.CancelledError:
        await _wait_ignoring_cancel((task,))
        if not task.cancelled():
            task.exception()  # retrieved: the cancellation is what the caller raises
        raise


async def _cancel_and_wait(tasks: Iterable[asyncio.Task[None]]) -> None:
    """Cancel the tasks and wait until each has ended (a cancellation meanwhile waits too,
    then is raised)."""
    pending = [task for task in tasks if not task.done()]
    for task in pending:
        task.cancel()
    if await _wait_ignoring_cancel(pending):
        raise asyncio.CancelledError


async def _wait_ignoring_cancel(tasks: Iterable[asyncio.Future[Any]]) -> bool:
    """Wait until every task has ended; whether the waiter was cancelled meanwhile."""
    cancelled = False
    pending = {task for task in tasks if not task.done()}
    while pending:
        try:
            await asyncio.wait(pending)
        except asyncio.CancelledError:
            cancelled = True
        pending = {task for task in pending if not task.done()}
    return cancelled
