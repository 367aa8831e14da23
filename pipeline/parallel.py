"""Run independent tasks of a run (rounds, report pages) on every core the machine gives.

The workers are forked, so they inherit the run's data (:func:`shared`) instead of having it
sent to them; only the tasks (small keys) and their results cross between processes. Results
come back in task order, so the outputs are the same bytes for any number of workers. Off Linux
(no ``fork`` on Windows, an unsafe one on macOS) or with one worker the tasks run in this
process, one after another. A task must not call :func:`in_parallel` itself: pool workers
cannot have workers of their own.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

__all__ = ["in_parallel", "shared", "usable_cpus"]

T = TypeVar("T")
R = TypeVar("R")

#: What the tasks of the running :func:`in_parallel` share; set only while it runs.
_SHARED: Any = None


def in_parallel(
    function: Callable[[T], R], tasks: Sequence[T], jobs: int, data: object = None
) -> list[R]:
    """``[function(task) for task in tasks]``, in up to ``jobs`` forked worker processes.

    Parameters
    ----------
    function
        A module-level function (it is named to the workers, not sent); it reads ``data``
        through :func:`shared`.
    tasks
        Small picklable keys, each one unit of work; the largest first balances the workers.
    jobs
        The most processes to use; 1 runs every task here.
    data
        What every task needs, inherited by the workers when they are forked.

    Returns
    -------
    list
        The results in the order of ``tasks``. The first task (in that order) that raised
        raises here, as it would have run one after another.
    """
    global _SHARED
    _SHARED = data
    try:
        workers = min(jobs, len(tasks))
        if workers <= 1 or not sys.platform.startswith("linux"):
            return [function(task) for task in tasks]
        with multiprocessing.get_context("fork").Pool(workers, _ignore_interrupt) as pool:
            return list(pool.imap(function, tasks))  # raises the first failed task's error
    finally:
        _SHARED = None


def shared() -> Any:
    """The ``data`` of the :func:`in_parallel` call running the current task."""
    return _SHARED


def usable_cpus() -> int:
    """The CPUs this process may run on (its affinity on Linux), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _ignore_interrupt() -> None:
    """Leave Ctrl-C to the main process, which stops the workers and says what happened."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
