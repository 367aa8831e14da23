"""One command at a time in a project: an operating-system lock on ``.collab-eval.lock``.

Two runs writing one project at once would each swap folders the other is replacing, and each
take the other's staging folders for a killed run's (issue 27: of two runs started one after
the other, one failed and every processed file was gone). So ``run`` (and ``init`` and
``example``, which write a project's settings and exports) hold an exclusive lock on the
project's lock file while they work, and a second command on the project stops at once, saying
which process holds it.

The lock is the system's (``flock`` on Linux and macOS, ``msvcrt.locking`` on Windows), not the
file's existence: it is released when its process ends however it ends (``kill -9`` too), so a
killed run never leaves a project locked, and the file itself stays (gitignored). The file holds
the holder's process id, machine, command and start time, for the message; it is emptied when
the lock is released. Forked helper processes share the lock: it is held until the last of them
has ended, as they may still be writing.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pipeline.config import LOCK_FILENAME
from pipeline.errors import InputError

__all__ = ["project_lock"]

#: Where ``msvcrt.locking`` locks the file on Windows: a byte past what the file holds, since
#: Windows' locks keep other processes from reading the bytes they cover.
_WINDOWS_LOCK_OFFSET = 2**20


@contextmanager
def project_lock(root: Path, command: str) -> Iterator[None]:
    """Hold the project's lock while the block runs; refuse at once if another process holds it.

    Parameters
    ----------
    root
        The project folder; it must exist. The lock file is ``root / LOCK_FILENAME``.
    command
        What this process does (``run``), written in the file for another command's message.

    Raises
    ------
    InputError
        Another process holds the lock: the message names the lock file and, as far as the file
        says, that process's id, machine, command and start time, and what to do.
    """
    path = root / LOCK_FILENAME
    fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o666)
    try:
        if not _locked(fd):
            os.lseek(fd, 0, os.SEEK_SET)
            raise _held_by(path, os.read(fd, 4096).decode("utf-8", "replace"))
        started = dt.datetime.now().astimezone().replace(microsecond=0).isoformat()
        holder = (
            f"pid {os.getpid()} on {socket.gethostname()}, "
            f"`collab-eval {command}`, started {started}\n"
        )
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, holder.encode("utf-8"))
        try:
            yield
        finally:
            os.ftruncate(fd, 0)  # a later reader of the file finds no holder named
    finally:
        os.close(fd)  # releases the lock, as the process's end would


def _locked(fd: int) -> bool:
    """Take the exclusive lock on the open file ``fd`` without waiting; False if it is held."""
    if sys.platform == "win32":  # pragma: no cover - Windows only
        import msvcrt

        os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _held_by(path: Path, holder: str) -> InputError:
    """The error of a command that finds the project's lock held; ``holder`` is the file's text."""
    holder = holder.strip()
    who = f"({holder})" if holder else "(it is just starting)"
    stop = f"stop it (kill {holder.split()[1]})" if holder.startswith("pid ") else "stop it"
    return InputError.single(
        f"another collab-eval command is working on this project {who}",
        file=path,
        hint=f"wait until it has finished, or {stop}; the lock is released as soon as that "
        "command ends, also when it is killed. Two commands writing one project at once would "
        "mix or delete each other's outputs",
    )
