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
    """No collector passes inside the block; the collector as it was after it.

    What the block built goes straight to the oldest generation, unexamined: left young, the
    first collection after the block would walk all of it at once (for a city's readings, two
    passes of 0.2 s and 0.26 s in a row, while the other CPU waited), to free nothing.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        _age()
        if collecting:
            gc.enable()


def _age() -> None:
    """Every object the collector tracks moved to its oldest generation, in constant time: a
    freeze and a thaw (``gc.unfreeze`` puts the frozen objects there), which also resets the
    counts that trigger a collection. Inside a ``frozen`` block they stay frozen with the rest
    (they are thawed with it); so they do where something else froze objects first (Python
    3.12 starts with a few hundred of its own), which a thaw must not release."""
    with frozen():
        pass


@contextmanager
def frozen() -> Iterator[None]:
    """Every object that exists on entry out of the collector's sight inside the block
    (``gc.freeze``), so that the processes forked there never walk, so copy, them; unfrozen
    after it, unless an outer block froze them first (it unfreezes them) or the runtime keeps
    objects frozen of its own (``_age``)."""
    thaw = gc.get_freeze_count() == 0
    gc.freeze()
    try:
        yield
    finally:
        if thaw:
            gc.unfreeze()
