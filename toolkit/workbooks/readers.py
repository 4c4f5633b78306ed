"""Reader processes: one file can never end a run.

A reader process may die while it reads (the out-of-memory killer, a parser that aborts, a
``kill``): the pool that ran it breaks, and which of its files did it is not known. Each file it
had not returned is then read again in a process of its own (``read_alone``), a few at a time:
the files that read well are used, and a file whose own reader dies too is reported by name
(``crashed_reading``), with its cell if the reader had told it. Every reader process dies with
the process that started it (Linux), so none is left reading, or holding a terminal open, after
a run that ended.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from toolkit.workbooks.read import crashed_reading, peek_identity

#: prctl(2)'s PR_SET_PDEATHSIG: the signal a process gets when its parent dies
_PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int) -> None:
    """Have this process killed when ``parent`` (the process that started it) dies; on Linux
    (elsewhere, nothing is done). A pool's initializer: an orphaned reader would go on reading
    its files, and keep the terminal open, after the run had ended."""
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return
    prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the line above
        os._exit(1)


def read_alone(
    paths: Sequence[Path], read: Callable[[Path], Any], processes: int
) -> list[tuple[Any, bool]]:
    """``read(path)`` for each path, each in a process of its own, ``processes`` at a time:
    (what it returned, True), or (the ``crashed_reading`` of the file, False) when its process
    died. In ``paths`` order."""
    context = multiprocessing.get_context("fork")  # the reader inherits what ``read`` needs
    results: list[tuple[Any, bool] | None] = [None] * len(paths)
    waiting = list(enumerate(paths))
    running: dict[Connection, tuple[int, Any, list[tuple[str, Any]]]] = {}
    while waiting or running:
        while waiting and len(running) < max(processes, 1):
            index, path = waiting.pop(0)
            receive, send = context.Pipe(duplex=False)
            process = context.Process(target=_alone, args=(path, read, send, os.getpid()))
            process.start()
            send.close()  # only the reader holds it now: its death is an end of file here
            running[receive] = (index, process, [])
        for connection in wait(list(running)):
            assert isinstance(connection, Connection)
            index, process, said = running[connection]
            try:
                said.append(connection.recv())
                continue
            except EOFError:
                pass
            connection.close()
            process.join()
            del running[connection]
            results[index] = _outcome(paths[index], said, process.exitcode)
    return [result for result in results if result is not None]


def _outcome(path: Path, said: list[tuple[str, Any]], exitcode: int | None) -> tuple[Any, bool]:
    told = dict(said)
    if "read" in told:
        return told["read"], True
    try:
        how = signal.Signals(-(exitcode or 0)).name
    except ValueError:
        how = f"mã thoát / exit code {exitcode}"
    return crashed_reading(path, told.get("identity"), how), False


def _alone(path: Path, read: Callable[[Path], Any], send: Connection, parent: int) -> None:
    """A lone reader: the file's identity first (the cell it is for, should reading it all end
    this process), then the whole reading."""
    die_with_parent(parent)
    send.send(("identity", peek_identity(path)))
    send.send(("read", read(path)))
    send.close()
