"""Tasks in forked workers: results in task order, errors as one after another, shared data."""

from __future__ import annotations

import os

import pytest

from pipeline.parallel import in_parallel, shared, usable_cpus


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
    else:  # forked workers, no more than asked for
        assert os.getpid() not in pids
        assert 1 <= len(pids) <= min(jobs, len(tasks))
    assert shared() is None  # cleared after the call


@pytest.mark.parametrize("jobs", [1, 2])
def test_the_first_failing_task_in_order_raises(jobs: int) -> None:
    with pytest.raises(ValueError, match="task 4 failed"):
        in_parallel(_fails_from_three, [0, 4, 1, 3], jobs)
    assert shared() is None


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
