"""A few worker threads taking jobs one at a time; the first failure stops them all."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
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
    else:  # plain threads: concurrent.futures would import logging and queue at every start
        threads = [threading.Thread(target=work, name=f"s3wire_{n}") for n in range(concurrency)]
        for thread in threads:
            thread.start()
        try:
            for thread in threads:
                thread.join()
        except BaseException as exc:  # KeyboardInterrupt while waiting: stop taking jobs
            with lock:
                failures.append(exc)
            for thread in threads:  # the running jobs finish (a file is closed, a part sent)
                thread.join()
            raise
    if failures:
        raise failures[0]
