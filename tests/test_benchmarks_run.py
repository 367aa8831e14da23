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


def test_the_bound_and_the_floor_read_every_row_of_every_export(tmp_path) -> None:
    raw = tmp_path / "data" / "raw"
    for round_id, rows in (("2024", 3), ("2025", 2)):
        (raw / round_id).mkdir(parents=True)
        lines = ["respondent,AMB1,email"] + [f"{i},{i % 2 + 1},p{i}@x.nl" for i in range(rows)]
        (raw / round_id / "lisse.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (raw / "2025" / "notes.txt").write_text("not an export\n", encoding="utf-8")
    for reader in (*run.CSV_READERS, run.BOUND_READER):
        job = {"reader": reader, "root": str(tmp_path), "fmt": "csv", "repeat": 2}
        result = run._floor(job)
        assert result["rows"] == 5, reader
        assert result["seconds"] >= 0 and result["peak"] > 0


def test_the_bound_is_not_a_floor() -> None:
    size = {
        "floor_pandas_pyarrow": {"seconds": 3.0},
        "floor_pyarrow": {"seconds": 2.0},
        f"floor_{run.BOUND_READER}": {"seconds": 1.0},  # faster than the floors: not taken
    }
    assert run._floor_best(size) == 2.0
    assert run._bound(size) == 1.0
