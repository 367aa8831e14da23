"""The benchmark's own measures: the run's core from its progress lines, its process tree."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from benchmarks import run


def test_core_seconds_sum_each_batch_from_loading_to_writing_tables() -> None:
    lines = [
        (0.5, "reading partnership.toml\n"),
        (1.0, "loading round 2024 (3 files)\n"),
        (2.0, "cleaning round 2024\n"),
        (4.0, "scoring and comparing round 2024\n"),
        (6.5, "writing tables, 8 report pages and workbooks\n"),
        (7.0, "  wrote data/processed/2024/\n"),
        (8.0, "loading round 2025 (3 files)\n"),
        (9.0, "loading round 2025, again\n"),  # a batch starts once
        (11.0, "writing tables, 8 report pages and workbooks\n"),
        (12.0, "writing tables, again\n"),  # nothing open: not counted
    ]
    assert run._core_seconds(lines) == pytest.approx((6.5 - 1.0) + (11.0 - 8.0))
    assert run._core_seconds(lines[:2]) is None  # never got to its outputs


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads Linux /proc")
def test_process_tree_finds_children_and_grandchildren() -> None:
    # a child that starts a grandchild and says its pid; both sleep until killed
    script = (
        "import subprocess, sys, time\n"
        "g = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'])\n"
        "print(g.pid, flush=True)\n"
        "time.sleep(60)\n"
    )
    with subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, text=True
    ) as child:
        assert child.stdout is not None
        grandchild = int(child.stdout.readline())
        try:
            found = run._descendants(os.getpid())
            assert {os.getpid(), child.pid, grandchild} <= set(found)
            assert sorted(run._descendants(child.pid)) == sorted([child.pid, grandchild])
            assert sorted(run._process_tree(child.pid)) == sorted([child.pid, grandchild])
        finally:
            os.kill(grandchild, signal.SIGKILL)
            child.kill()
