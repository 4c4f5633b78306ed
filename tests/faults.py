"""A command of the CLI run in a real child process that can be stopped at a chosen moment of
writing its outputs: killed (SIGKILL) at a moment of the swap, made to wait there, made to swap
in two renames as other systems do, or a file of its outputs cut short by a kill or a full
disk. Used by the trust tests of ``aggregate`` and ``rollup``."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import toolkit

SOURCE = Path(toolkit.__file__).resolve().parents[1]

#: run in the child before the CLI.
#: KILL_AT: a moment of ``staging.MOMENTS``; WAIT_FOR: a file to wait for once the staging
#: folder is made; NO_EXCHANGE: no one-step exchange of folders; BREAK_WRITING: a part of an
#: output's path (``van-ban/``, ``quyet-dinh.xlsx``): the first such document or decisions
#: workbook is written, cut to half its size, then the process is killed (BREAK_HOW=kill, the
#: default) or the write fails as on a full disk (BREAK_HOW=full-disk)
PREAMBLE = """
import errno, os, signal, sys, time
from pathlib import Path
from toolkit.outputs import staging
at, wait_for = os.environ.get("KILL_AT"), os.environ.get("WAIT_FOR")
def reached(moment):
    if moment == at:
        os.kill(os.getpid(), signal.SIGKILL)
    if wait_for and moment == "staging-created":
        deadline = time.monotonic() + 120
        while not Path(wait_for).exists() and time.monotonic() < deadline:
            time.sleep(0.05)
staging.reached = reached
if os.environ.get("NO_EXCHANGE"):
    staging._exchange = lambda first, second: False
broken, how = os.environ.get("BREAK_WRITING"), os.environ.get("BREAK_HOW", "kill")
if broken:
    from toolkit.outputs import write_all
    def cut_short(write):
        def written_then_cut_short(*args, **kwargs):
            write(*args, **kwargs)
            target = Path(kwargs.get("target") or args[1])
            if broken not in target.as_posix():
                return
            os.truncate(target, target.stat().st_size // 2)
            if how == "kill":
                os.kill(os.getpid(), signal.SIGKILL)
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(target))
        return written_then_cut_short
    write_all.write_document = cut_short(write_all.write_document)
    write_all.write_decisions_sheets = cut_short(write_all.write_decisions_sheets)
from toolkit.cli import main
main()
"""

FAULTS = ("KILL_AT", "WAIT_FOR", "NO_EXCHANGE", "BREAK_WRITING", "BREAK_HOW")


def command(name: str, *args: str | Path) -> list[str]:
    """``xeploai NAME ARGS…`` as a child process runs it, with the faults of its environment."""
    return [sys.executable, "-c", PREAMBLE, name, *(str(a) for a in args)]


def environment(**extra: str) -> dict[str, str]:
    """This process's environment without any fault, plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if k not in FAULTS}
    env["PYTHONPATH"] = str(SOURCE)
    env.update(extra)
    return env


def run_cli(name: str, *args: str | Path, **env: str) -> subprocess.CompletedProcess[str]:
    """Run ``xeploai NAME ARGS…`` to its end (or its kill)."""
    return subprocess.run(
        command(name, *args),
        env=environment(**env),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
