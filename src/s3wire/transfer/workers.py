"""A few worker threads taking jobs one at a time; the first failure stops them all."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

Job = TypeVar("Job")


def run_parallel(concurrency: int, jobs: Iterator[Job], do: Callable[[Job], object]) -> None:
    """Run do(job) for every job on up to `concurrency` threads.

    A worker takes its next job (under a lock, so `jobs` may read a stream) only when it is free:
    at most `concurrency` jobs exist at any time. After the first exception (from `jobs` or `do`)
    no job is taken; the running ones finish, then that exception is raised. With one worker,
    everything runs in the calling thread.
    """
    lock = threading.Lock()
    failures: list[BaseException] = []

    def work() -> None:
        while True:
            with lock:
                if failures:
                    return
                try:
                    job = next(jobs, None)
                except BaseException as exc:
                    failures.append(exc)
                    return
            if job is None:
                return
            try:
                do(job)
            except BaseException as exc:
                with lock:
                    failures.append(exc)
                return
            del job  # before taking the next one: a job may hold a whole part

    if concurrency <= 1:
        work()
    else:
        with ThreadPoolExecutor(concurrency, thread_name_prefix="s3wire") as pool:
            try:
                for future in [pool.submit(work) for _ in range(concurrency)]:
                    future.result()
            except BaseException as exc:  # KeyboardInterrupt while waiting: stop taking jobs
                with lock:
                    failures.append(exc)
                raise
    if failures:
        raise failures[0]
