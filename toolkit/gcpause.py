"""Python's cycle collector kept out of bulk work that makes no reference cycles.

Reading a city's returns and writing its outputs build hundreds of thousands of small objects
that live until the end of the run. The collector walks all of them each time the heap grows
by a quarter, and finds nothing to free (the readings, results and rows hold no cycles):
seconds for a city. And a forked process whose collector walks the objects it inherited writes
to (so copies) every page of its parent's memory.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """No collector passes inside the block; the collector as it was after it."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


@contextmanager
def frozen() -> Iterator[None]:
    """Every object that exists on entry out of the collector's sight inside the block
    (``gc.freeze``), so that the processes forked there never walk, so copy, them; unfrozen
    after it, unless an outer block froze them first (it unfreezes them)."""
    thaw = gc.get_freeze_count() == 0
    gc.freeze()
    try:
        yield
    finally:
        if thaw:
            gc.unfreeze()
