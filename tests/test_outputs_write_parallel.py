"""Writer processes forked from the run share its plan: every task runs once, nothing is
pickled, and a child's failure is raised in the parent as the same exception."""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Callable
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest

from toolkit.outputs.write_all import _forked

pytestmark = pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(), reason="needs fork (Linux)"
)
FORK = (
    multiprocessing.get_context("fork")
    if "fork" in multiprocessing.get_all_start_methods()
    else None
)


def mark(folder: Path, name: str) -> None:
    """A task: leaves a file named after itself, holding the id of the process that ran it."""
    path = folder / name
    with path.open("x", encoding="utf-8") as fh:  # "x": a task run twice would fail here
        fh.write(str(os.getpid()))


def test_each_task_runs_once_shared_between_the_processes(tmp_path: Path) -> None:
    tasks = [(mark, (tmp_path, f"task-{i:02d}")) for i in range(40)]
    _forked(tasks, 1, lambda: mark(tmp_path, "here"), FORK)
    ran = sorted(p.name for p in tmp_path.iterdir())
    assert ran == sorted([f"task-{i:02d}" for i in range(40)] + ["here"])
    assert (tmp_path / "here").read_text() == str(os.getpid())
    assert multiprocessing.active_children() == []


def test_tasks_are_inherited_not_pickled(tmp_path: Path) -> None:
    # a closure cannot be pickled: a process pool would refuse it, a forked child just runs it
    # (each closure is named when made: a counter shared by closures would be copied into
    # the child, and the child and this process would both count from 0)
    def closure(i: int) -> Callable[[], None]:
        return lambda: mark(tmp_path, f"closure-{i}")

    tasks = [(closure(i), ()) for i in range(3)]
    _forked(tasks, 1, lambda: None, FORK)
    assert len(list(tmp_path.glob("closure-*"))) == 3


def wait_for(path: Path) -> None:
    """This process's own part: slow until the child has taken the first task (and made
    ``path``), so that the first task surely runs in the child."""
    deadline = time.monotonic() + 30
    while not path.exists() and time.monotonic() < deadline:
        time.sleep(0.01)


def test_a_childs_oserror_is_raised_here_as_an_oserror(tmp_path: Path) -> None:
    started = tmp_path / "started"

    def fails() -> None:
        started.touch()
        raise PermissionError(13, "Không có quyền ghi", str(tmp_path / "tong-hop.xlsx"))

    tasks = [(fails, ())] + [(mark, (tmp_path, f"task-{i}")) for i in range(5)]
    with pytest.raises(PermissionError) as raised:
        _forked(tasks, 1, lambda: wait_for(started), FORK)
    assert raised.value.filename == str(tmp_path / "tong-hop.xlsx")
    assert multiprocessing.active_children() == []


def test_a_failure_here_still_waits_for_the_children(tmp_path: Path) -> None:
    def here() -> None:
        raise OSError(28, "Hết chỗ trống trên đĩa")

    tasks = [(mark, (tmp_path, f"task-{i}")) for i in range(5)]
    with pytest.raises(OSError, match="Hết chỗ"):
        _forked(tasks, 1, here, FORK)
    assert multiprocessing.active_children() == []


def test_a_child_killed_without_a_word_breaks_the_run_like_a_pool(tmp_path: Path) -> None:
    started = tmp_path / "started"

    def killed() -> None:
        started.touch()
        os._exit(137)  # what the out-of-memory killer leaves: no exception, an exit code

    tasks = [(killed, ())] + [(mark, (tmp_path, f"task-{i}")) for i in range(5)]
    with pytest.raises(BrokenProcessPool, match="137"):
        _forked(tasks, 1, lambda: wait_for(started), FORK)
    assert multiprocessing.active_children() == []
