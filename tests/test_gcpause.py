"""The collector kept out of bulk work: paused inside a block, and what the block built aged
at once, so that no collection after it walks all of it to free nothing."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

from toolkit.gcpause import collector_paused, frozen


def _rows(n: int) -> list[list[int]]:
    return [[i] for i in range(n)]  # lists: objects the collector tracks


@contextmanager
def _collections() -> Iterator[list[int]]:
    """The generation of every collection that starts inside the block."""
    seen: list[int] = []

    def heard(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            seen.append(info["generation"])

    gc.callbacks.append(heard)
    try:
        yield seen
    finally:
        gc.callbacks.remove(heard)


def test_no_collection_inside_a_paused_block_and_the_collector_as_it_was_after() -> None:
    assert gc.isenabled()
    with _collections() as seen, collector_paused():
        assert not gc.isenabled()
        _rows(5_000)
    assert seen == []
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()  # left disabled, as it was
    finally:
        gc.enable()


#: objects the runtime keeps frozen of its own (Python 3.12 starts with a few hundred)
RUNTIME_FROZEN = gc.get_freeze_count()


def test_what_a_paused_block_built_goes_to_the_oldest_generation_unexamined() -> None:
    with _collections() as seen:
        with collector_paused():
            rows = _rows(20_000)
        # a few more objects: left young, the rows would make these start a collection now
        after = _rows(100)
    assert seen == [] and after
    young = {id(o) for generation in (0, 1) for o in gc.get_objects(generation)}
    assert not any(id(row) in young for row in rows[::500])
    if RUNTIME_FROZEN == 0:  # aged, not frozen (else they stay frozen: never walked either)
        assert any(o is rows for o in gc.get_objects(2)) and gc.get_freeze_count() == 0


def test_inside_a_frozen_block_what_a_paused_block_built_stays_frozen_with_the_rest() -> None:
    with frozen():
        before = gc.get_freeze_count()
        with collector_paused():
            rows = _rows(5_000)
        assert gc.get_freeze_count() >= before + len(rows)  # the outer block thaws them
    if RUNTIME_FROZEN == 0:
        assert gc.get_freeze_count() == 0
        assert any(o is rows for o in gc.get_objects(2))
