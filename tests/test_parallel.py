"""Tasks here and in forked helpers: results in task order, errors as one after another."""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import time

import pytest

from pipeline.parallel import WorkerLostError, forked_processes, in_parallel, shared, usable_cpus


def _scaled(task: int) -> tuple[int, int]:
    return task * shared()["factor"], os.getpid()


def _fails_from_three(task: int) -> int:
    if task >= 3:
        raise ValueError(f"task {task} failed")
    return task


@pytest.mark.parametrize("jobs", [1, 2, 8])
def test_results_come_back_in_task_order_with_the_shared_data(jobs: int) -> None:
    tasks = [5, 1, 4, 2, 3, 0]
    results = in_parallel(_scaled, tasks, jobs, {"factor": 10})
    assert [value for value, _ in results] == [50, 10, 40, 20, 30, 0]
    pids = {pid for _, pid in results}
    if jobs == 1:
        assert pids == {os.getpid()}
    else:  # no more processes than asked for
        assert 1 <= len(pids) <= min(jobs, len(tasks))
    assert shared() is None  # cleared after the call


def _together(task: int) -> int:
    """Wait until the other process holds a task too, then do what the task says."""
    barrier, main_pid, helpers_do = shared()
    barrier.wait(timeout=60)
    if os.getpid() == main_pid:
        return os.getpid()
    if helpers_do == "die":
        os.kill(os.getpid(), signal.SIGKILL)  # as the system does to a process out of memory
    if helpers_do == "raise":
        raise ValueError(f"task {task} failed in a helper")
    if helpers_do == "unpicklable":
        return lambda: None  # type: ignore[return-value]
    return os.getpid()


def _run_together(helpers_do: str) -> list[int]:
    barrier = multiprocessing.get_context("fork").Barrier(2)
    return in_parallel(_together, [0, 1], 2, (barrier, os.getpid(), helpers_do))


def test_this_process_and_a_helper_run_tasks_at_the_same_time() -> None:
    pids = _run_together("return")  # neither passes the barrier before the other holds a task
    assert os.getpid() in pids
    assert len(set(pids)) == 2


def test_a_helper_that_dies_is_reported_not_waited_for() -> None:
    with pytest.raises(WorkerLostError, match="exit code -9"):
        _run_together("die")
    assert shared() is None


def test_a_helpers_error_is_raised_here_with_its_traceback_as_a_note() -> None:
    with pytest.raises(ValueError, match="failed in a helper") as raised:
        _run_together("raise")
    notes = "".join(raised.value.__notes__)
    assert "raised in worker process" in notes
    assert "_together" in notes  # the helper's traceback, which pickling drops


def test_a_result_that_cannot_be_sent_back_is_an_error() -> None:
    with pytest.raises(RuntimeError, match="could not be sent back"):
        _run_together("unpicklable")


@pytest.mark.parametrize("jobs", [1, 2])
def test_the_first_failing_task_in_order_raises(jobs: int) -> None:
    with pytest.raises(ValueError, match="task 4 failed"):
        in_parallel(_fails_from_three, [0, 4, 1, 3], jobs)
    assert shared() is None


def _signals_done(task: int) -> tuple[int, int]:
    done, order = shared()
    order.append(task)  # seen only where this process runs the task
    done.set()
    return task, os.getpid()


def test_meanwhile_is_done_here_while_a_helper_takes_tasks() -> None:
    done, order, waited = multiprocessing.get_context("fork").Event(), [], []

    def meanwhile() -> None:  # runs until a helper has finished a task
        waited.append(done.wait(timeout=30))
        order.append("meanwhile")

    results = in_parallel(_signals_done, [0, 1, 2, 3], 2, (done, order), meanwhile)
    assert [task for task, _ in results] == [0, 1, 2, 3]
    assert waited == [True]  # the helper worked while this process was busy
    assert results[0][1] == os.getpid()  # the first task is this process's, taken at the start
    assert results[1][1] != os.getpid()  # so the helper took the next
    assert order[0] == "meanwhile"  # and this process ran tasks only after it


@pytest.mark.parametrize("jobs", [2, 8])
def test_the_first_task_runs_here(jobs: int) -> None:
    results = in_parallel(_scaled, [7, 1, 2, 3], jobs, {"factor": 1})
    assert results[0] == (7, os.getpid())


def _signals_and_fails(task: int) -> int:
    done, order = shared()
    order.append(task)  # seen only where this process runs the task
    if task:
        done.set()
        raise ValueError(f"task {task} failed")
    return task


def test_the_first_task_is_not_started_after_a_helper_s_task_raised() -> None:
    done, order = multiprocessing.get_context("fork").Event(), []

    def meanwhile() -> None:  # runs until the helper's task has raised and the helper ended
        assert done.wait(timeout=30)
        deadline = time.monotonic() + 30
        while multiprocessing.active_children() and time.monotonic() < deadline:
            time.sleep(0.01)

    with pytest.raises(ValueError, match="task 1 failed"):
        in_parallel(_signals_and_fails, [0, 1], 2, (done, order), meanwhile)
    assert order == []  # this process ran no task: not even the first, which it had taken


def test_meanwhile_is_done_first_with_one_process() -> None:
    order: list[object] = []
    results = in_parallel(
        _signals_done, [0, 1], 1, (multiprocessing.Event(), order), lambda: order.append("m")
    )
    assert order == ["m", 0, 1]
    assert results == [(0, os.getpid()), (1, os.getpid())]


def test_no_tasks_and_one_task_run_here() -> None:
    assert in_parallel(_scaled, [], 4, {"factor": 2}) == []
    assert in_parallel(_scaled, [3], 4, {"factor": 2}) == [(6, os.getpid())]


def test_usable_cpus_counts_the_cpus_this_process_may_use(monkeypatch) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 3, 5}, raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 8)
    assert usable_cpus() == 3  # the affinity, not the machine's 8
    monkeypatch.delattr(os, "sched_getaffinity")  # as on macOS and Windows
    assert usable_cpus() == 8
    monkeypatch.setattr(os, "cpu_count", lambda: None)  # unknown: at least one
    assert usable_cpus() == 1


def test_off_linux_every_task_runs_here(monkeypatch) -> None:
    monkeypatch.setattr(sys, "platform", "linux")
    assert forked_processes(4) == 4
    monkeypatch.setattr(sys, "platform", "darwin")  # no safe fork: one process
    assert forked_processes(4) == 1
    results = in_parallel(_scaled, [1, 2, 3], 4, {"factor": 1})
    assert results == [(1, os.getpid()), (2, os.getpid()), (3, os.getpid())]
