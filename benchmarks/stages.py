"""Time the pipeline's stages inside a real ``collab-eval run``, without copying its sequence.

The benchmark runs ``pipeline.cli.main(["run", ...])`` in-process, after wrapping the stage
functions wherever a ``pipeline`` module holds them (``load_exports`` in ``pipeline.cli``,
``dimension_scores`` in ``pipeline.compare``, ...). So it times the functions exactly as the CLI
calls them, and keeps doing so while the CLI's sequence changes (``_run_round`` became
``_prepare_round`` and ``_finish_round``; a round's tables are now computed in two parts).

Time is counted per stage *exclusively*, as a profiler does at module granularity: when a compare
function calls a score function, that time counts for score, not twice. Stages:

==============  =========================================================================
load            ``pipeline.load``: ``load_exports``, ``load_rounds``, ``load_export``, and
                ``round_responses`` (a round's files in one table, done in its cleaning task)
clean           ``pipeline.clean``: every public function
score           ``pipeline.score``: every public function (scores, reverse coding, alpha)
compare         ``pipeline.compare``: every public function (statistics, tests, suppression)
write           ``pipeline.write.write_table``: processed tables as CSV and Parquet
report          ``pipeline.report``: every public function (the HTML reports)
tables_xlsx     ``pipeline.write.write_tables_workbook``: ``reports/<round>/tables.xlsx``
==============  =========================================================================

Whatever else the run does (settings, instrument, manifest checksums, summary) is ``other``.

Memory: :func:`max_rss_bytes` is the process's peak so far (``ru_maxrss``), and a sampling
thread records the largest resident size seen while each stage runs (``stage_peak``), so the
stage that makes the peak can be named.
"""

from __future__ import annotations

import functools
import importlib
import os
import resource
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any

__all__ = ["CORE", "OUTPUT", "STAGES", "StageTimer", "max_rss_bytes", "rss_bytes"]

CORE = ("load", "clean", "score", "compare")
OUTPUT = ("write", "report", "tables_xlsx")
STAGES = CORE + OUTPUT

#: stage -> (module, function names); ``None`` means every public function of the module.
_TARGETS: dict[str, tuple[str, tuple[str, ...] | None]] = {
    "load": ("pipeline.load", ("load_exports", "load_rounds", "load_export", "round_responses")),
    "clean": ("pipeline.clean", None),
    "score": ("pipeline.score", None),
    "compare": ("pipeline.compare", None),
    "write": ("pipeline.write", ("write_table",)),
    "report": ("pipeline.report", None),
    "tables_xlsx": ("pipeline.write", ("write_tables_workbook",)),
}


def max_rss_bytes() -> int:
    """The process's peak resident memory so far (Linux reports kibibytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


def rss_bytes() -> int:
    """The process's resident memory now (Linux); elsewhere the peak so far."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return max_rss_bytes()


class StageTimer:
    """Wraps the stage functions; collects exclusive seconds, calls and memory checkpoints."""

    def __init__(self, skip: tuple[str, ...] = ()) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        #: CPU seconds (user + system, all threads) per stage, counted the same way
        self.cpu: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        #: peak memory when the first output stage started: the peak of load..compare
        self.core_peak: int | None = None
        self.skip = skip
        #: stage -> the largest resident memory seen while it ran (innermost stage counts)
        self.stage_peak: dict[str, int] = defaultdict(int)
        self._stack: list[list[Any]] = []
        self._stop = threading.Event()

    def sample(self) -> None:
        """Note the resident memory for the stage running now."""
        stage = self._stack[-1][0] if self._stack else "other"
        self.stage_peak[stage] = max(self.stage_peak[stage], rss_bytes())

    def start_sampling(self, interval: float = 0.02) -> None:
        """Sample memory in a daemon thread until :meth:`stop_sampling`."""

        def loop() -> None:
            while not self._stop.wait(interval):
                self.sample()

        threading.Thread(target=loop, name="rss-sampler", daemon=True).start()

    def stop_sampling(self) -> None:
        """End the sampling thread."""
        self._stop.set()

    def reset(self) -> None:
        """Forget what was counted (between repeats); wrappers stay installed."""
        self.seconds.clear()
        self.cpu.clear()
        self.calls.clear()

    def install(self) -> None:
        """Wrap every target in every loaded ``pipeline`` module that holds it."""
        importlib.import_module("pipeline.cli")  # loads every module the run uses
        for stage, (module_name, names) in _TARGETS.items():
            module = importlib.import_module(module_name)
            if names is None:
                names = tuple(getattr(module, "__all__", ()))
            for name in names:
                original = getattr(module, name, None)
                if not callable(original) or isinstance(original, type):
                    continue
                replacement = self._skipped(stage) if stage in self.skip else None
                wrapped = self._wrap(stage, replacement or original)
                for loaded in list(sys.modules.values()):
                    if not getattr(loaded, "__name__", "").startswith("pipeline"):
                        continue
                    for attribute, value in list(vars(loaded).items()):
                        if value is original:
                            setattr(loaded, attribute, wrapped)

    def missing(self) -> list[str]:
        """Stages that were never called: the hooks no longer match the pipeline."""
        return [s for s in STAGES if s not in self.skip and not self.calls.get(s)]

    @staticmethod
    def _skipped(stage: str) -> Callable[..., None]:
        def skipped(*_args: object, **_kwargs: object) -> None:
            return None

        skipped.__name__ = f"skipped_{stage}"
        return skipped

    def _wrap(self, stage: str, function: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(function)
        def timed(*args: object, **kwargs: object) -> Any:
            if self._stack and self._stack[-1][0] == stage:
                return function(*args, **kwargs)
            if stage in OUTPUT and self.core_peak is None:
                self.core_peak = max_rss_bytes()
            frame: list[Any] = [stage, 0.0, 0.0]  # stage, wall and CPU time of inner stages
            self.sample()
            self._stack.append(frame)
            started, cpu_started = time.perf_counter(), time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                elapsed = time.perf_counter() - started
                cpu = time.process_time() - cpu_started
                self.sample()
                self._stack.pop()
                self.seconds[stage] += elapsed - frame[1]
                self.cpu[stage] += cpu - frame[2]
                self.calls[stage] += 1
                if self._stack:
                    self._stack[-1][1] += elapsed
                    self._stack[-1][2] += cpu

        return timed
