"""Run independent tasks of a run (rounds, report pages) on every core the machine gives.

This process takes tasks itself, beside helper processes forked for the call: the helpers
inherit the run's data (:func:`shared`) instead of having it sent to them, and only the tasks
(small keys) and the helpers' results cross between processes. This process takes the first
task, so that its result need not be sent (put the task with the largest result first); each
process then takes the next task as soon as it is free, and the results come back in task order,
so the outputs are the same bytes for any number of processes. Off Linux (no ``fork`` on
Windows, an unsafe one on macOS) or with one process the tasks run here, one after another. A
task must not call :func:`in_parallel` itself.

Why this process works too, rather than a pool of workers only: a run calls :func:`in_parallel`
four times (load, clean, compute, write), and each forked process touches afresh the pages of
the libraries it uses (copied on write) and fills its own caches. This process has them
already; forking one process fewer per call made the example's run about 5% faster.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
import traceback
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection, wait
from typing import Any, TypeVar

__all__ = ["WorkerLostError", "forked_processes", "in_parallel", "shared", "usable_cpus"]

T = TypeVar("T")
R = TypeVar("R")

#: What the tasks of the running :func:`in_parallel` share; set only while it runs.
_SHARED: Any = None


class WorkerLostError(RuntimeError):
    """A helper process ended without finishing its task (killed, or out of memory)."""


def in_parallel(
    function: Callable[[T], R],
    tasks: Sequence[T],
    jobs: int,
    data: object = None,
    meanwhile: Callable[[], object] | None = None,
) -> list[R]:
    """``[function(task) for task in tasks]``, in up to ``jobs`` processes (this one included).

    Parameters
    ----------
    function
        A module-level function; it reads ``data`` through :func:`shared`.
    tasks
        Small keys, each one unit of work; the largest first balances the processes. The first
        runs in this process, so its result is not sent between processes.
    jobs
        The most processes to use; 1 runs every task here.
    data
        What every task needs, inherited by the helpers when they are forked.
    meanwhile
        Work this process needs done for later calls (such as an import), done here once the
        helpers have started, before this process takes a task: the helpers take more tasks
        meanwhile. With one process it is done first.

    Returns
    -------
    list
        The results in the order of ``tasks``. The first task (in that order) that raised
        raises here, as it would have run one after another; no task is started after one
        has raised.

    Raises
    ------
    WorkerLostError
        A helper process died in a task (such as killed by the system for lack of memory).
    """
    global _SHARED
    _SHARED = data
    try:
        processes = min(forked_processes(jobs), len(tasks))
        if processes <= 1:
            if meanwhile:
                meanwhile()
            return [function(task) for task in tasks]
        return _with_helpers(function, tasks, processes - 1, meanwhile)
    finally:
        _SHARED = None


def forked_processes(jobs: int) -> int:
    """How many processes :func:`in_parallel` uses for ``jobs``: that many on Linux, else 1."""
    return jobs if sys.platform.startswith("linux") else 1


def shared() -> Any:
    """The ``data`` of the :func:`in_parallel` call running the current task."""
    return _SHARED


def usable_cpus() -> int:
    """The CPUs this process may run on (its affinity on Linux), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


#: A task's outcome: whether it returned, and what it returned or raised.
_Outcome = tuple[bool, Any]


def _with_helpers(
    function: Callable[[T], R],
    tasks: Sequence[T],
    helpers: int,
    meanwhile: Callable[[], object] | None,
) -> list[R]:
    """Run the tasks here and in ``helpers`` forked processes, each taking the next free task."""
    context = multiprocessing.get_context("fork")
    next_task = context.Value("q", 0)  # the index of the next task to take; its lock guards it
    outcomes: dict[int, _Outcome] = {}
    lost: list[str] = []
    pipes: dict[Connection, multiprocessing.Process] = {}
    first = _claim(next_task, len(tasks))  # this process's, before a helper can take it
    try:
        for _ in range(helpers):
            receiver, sender = context.Pipe(duplex=False)
            process = context.Process(
                target=_help, args=(function, tasks, next_task, sender), daemon=True
            )
            process.start()
            sender.close()
            pipes[receiver] = process
        # the helpers' results are read as they come, so that a helper never waits on a pipe
        # while this process is busy with a task of its own
        collector = threading.Thread(target=_collect, args=(pipes, outcomes, lost, next_task))
        collector.start()
        try:
            if meanwhile:
                meanwhile()
            _take_tasks(function, tasks, next_task, outcomes.__setitem__, first)
        except BaseException:  # interrupted (Ctrl-C): the helpers' work is not wanted
            for process in pipes.values():
                process.terminate()
            raise
        finally:
            collector.join()
    finally:
        for receiver, process in pipes.items():
            process.join()
            receiver.close()
    if lost:
        raise WorkerLostError(
            f"a worker process ended unexpectedly ({lost[0]}), perhaps for lack of memory; "
            "rerun with --jobs 1 to use less"
        )
    for index in sorted(outcomes):
        returned, value = outcomes[index]
        if not returned:
            raise value
    return [outcomes[index][1] for index in range(len(tasks))]


def _take_tasks(
    function: Callable[[T], R],
    tasks: Sequence[T],
    next_task: Any,
    record: Callable[[int, _Outcome], object],
    first: int | None = None,
) -> None:
    """Run ``first`` (a task already claimed), then the next free task until none is left.

    After a task raised, start no more.
    """
    index = _claim(next_task, len(tasks)) if first is None or _stopped(next_task) else first
    while index is not None:
        try:
            record(index, (True, function(tasks[index])))
        except Exception as error:
            record(index, (False, error))
            _stop(next_task)
        index = _claim(next_task, len(tasks))


def _claim(next_task: Any, count: int) -> int | None:
    """The index of the next free task, now taken; None when none is left."""
    with next_task.get_lock():
        index = next_task.value
        if index >= count:
            return None
        next_task.value = index + 1
        return index


def _stopped(next_task: Any) -> bool:
    """Whether a task has raised, so that no more are to be started."""
    with next_task.get_lock():
        return next_task.value == sys.maxsize


def _stop(next_task: Any) -> None:
    """Leave no task for any process to take."""
    with next_task.get_lock():
        next_task.value = sys.maxsize


def _help(function: Callable[[T], R], tasks: Sequence[T], next_task: Any, pipe: Connection) -> None:
    """A helper process: take tasks and send each outcome back, until none is left."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the main process's to handle

    def send(index: int, outcome: _Outcome) -> None:
        returned, value = outcome
        if not returned:  # its traceback is not pickled: keep it as a note for debugging
            trace = "".join(traceback.format_exception(value))
            value.add_note(f"raised in worker process {os.getpid()}:\n{trace}")
        try:
            pipe.send((index, outcome))
        except Exception as error:  # a result or an error that cannot be pickled
            problem = RuntimeError(f"task {index}'s outcome could not be sent back: {error}")
            pipe.send((index, (False, problem)))
            _stop(next_task)

    _take_tasks(function, tasks, next_task, send)
    pipe.close()


def _collect(
    pipes: dict[Connection, multiprocessing.Process],
    outcomes: dict[int, _Outcome],
    lost: list[str],
    next_task: Any,
) -> None:
    """Read the helpers' outcomes until each has closed its pipe; note a helper that died."""
    open_pipes = list(pipes)
    while open_pipes:
        for pipe in wait(open_pipes):
            try:
                index, outcome = pipe.recv()
            except (EOFError, OSError):  # the helper is done, or died
                open_pipes.remove(pipe)
                process = pipes[pipe]
                process.join()
                if process.exitcode:
                    lost.append(f"exit code {process.exitcode}")
                    _stop(next_task)
                continue
            outcomes[index] = outcome
            if not outcome[0]:
                _stop(next_task)
