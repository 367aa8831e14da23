"""The project lock: one command at a time in a project, released when its holder dies."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.config import LOCK_FILENAME
from pipeline.errors import InputError
from pipeline.lock import project_lock

_HOLDER = """\
import sys, time
from pathlib import Path
from pipeline.lock import project_lock
with project_lock(Path(sys.argv[1]), "run"):
    print("held", flush=True)
    time.sleep(120)
"""


def test_a_second_holder_is_refused_naming_the_first_until_it_is_killed(tmp_path: Path) -> None:
    with subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(tmp_path)], stdout=subprocess.PIPE, text=True
    ) as holder:
        assert holder.stdout is not None
        assert holder.stdout.readline() == "held\n"
        with pytest.raises(InputError) as caught, project_lock(tmp_path, "run"):
            pytest.fail("the lock was taken twice")
        (problem,) = caught.value.problems
        assert problem.file == tmp_path / LOCK_FILENAME
        assert f"pid {holder.pid} " in problem.message
        assert "`collab-eval run`" in problem.message
        assert f"kill {holder.pid}" in (problem.hint or "")
        os.kill(holder.pid, signal.SIGKILL)  # no clean-up of its own: the system frees the lock
        holder.wait()
    with project_lock(tmp_path, "example"):
        text = (tmp_path / LOCK_FILENAME).read_text(encoding="utf-8")
        assert text.startswith(f"pid {os.getpid()} ") and "`collab-eval example`" in text
    assert (tmp_path / LOCK_FILENAME).read_text(encoding="utf-8") == ""  # no holder named


def test_the_lock_is_released_when_its_block_raises(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError), project_lock(tmp_path, "run"):
        raise RuntimeError
    # held again: a second open of the file, even in this process, is refused
    with project_lock(tmp_path, "run"), pytest.raises(InputError), project_lock(tmp_path, "run"):
        pass
