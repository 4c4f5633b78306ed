"""Progress for long commands: Click's bar on a terminal, plain lines otherwise, or nothing."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import click

STAGES = {"read": "Đọc hồ sơ", "rate": "Xếp loại", "write": "Ghi kết quả"}


@contextmanager
def progress_reporter(quiet: bool) -> Iterator[Callable[[str, int, int], None]]:
    """A ``progress(stage, done, total)`` callback suited to where the output goes."""
    if quiet:
        yield lambda stage, done, total: None
        return
    if not sys.stderr.isatty():
        last: dict[str, int] = {}

        def plain(stage: str, done: int, total: int) -> None:
            # one line when a stage starts and one when it ends: logs stay short
            if (done == 0 or done == total) and last.get(stage) != done:
                last[stage] = done
                click.echo(f"{STAGES.get(stage, stage)}: {done}/{total}", err=True)

        yield plain
        return
    bars: dict[str, Any] = {}

    def bar(stage: str, done: int, total: int) -> None:
        if stage not in bars:
            bars[stage] = click.progressbar(
                length=max(total, 1), label=STAGES.get(stage, stage), file=sys.stderr
            )
            bars[stage].__enter__()
        b = bars[stage]
        b.update(done - b.pos)
        if done >= total:
            b.__exit__(None, None, None)

    try:
        yield bar
    finally:
        for b in bars.values():
            if not b.finished:
                b.__exit__(None, None, None)
