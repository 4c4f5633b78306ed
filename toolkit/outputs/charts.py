"""Geometry of the report's inline SVG charts, computed here so templates only draw."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from toolkit.model import LEVELS
from toolkit.outputs.numbers import format_int, format_percent

#: SVG user units; the chart scales to its container (viewBox) so these are proportions
CHART_WIDTH = 640
LABEL_WIDTH = 150
BAR_HEIGHT = 26
BAR_GAP = 10


@dataclass(frozen=True)
class Bar:
    """One horizontal bar: its level, position, length and the text beside it."""

    code: str
    name: str
    y: float
    width: float
    text: str


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    label_width: int
    bar_height: int
    bars: tuple[Bar, ...]
    #: the chart as a sentence, for screen readers and for the print-out's caption
    description: str


@dataclass(frozen=True)
class Segment:
    """A piece of a 100 % stacked bar, in percent of its width."""

    code: str
    x: float
    width: float
    text: str


def level_bars(levels: Sequence[int], rated: int) -> BarChart:
    """Bars of the members per level, longest for the largest count, shares over ``rated``."""
    room = CHART_WIDTH - LABEL_WIDTH - 170  # keep space for the value text
    top = max(levels) if levels and max(levels) else 1
    bars = []
    for i, (level, n) in enumerate(zip(LEVELS, levels, strict=True)):
        share = n / rated if rated else 0.0
        bars.append(
            Bar(
                code=level.value,
                name=level.full_name,
                y=BAR_GAP + i * (BAR_HEIGHT + BAR_GAP),
                width=round(room * n / top, 2),
                text=f"{format_int(n)} ({format_percent(share)})",
            )
        )
    description = "; ".join(f"{b.code}: {b.text}" for b in bars)
    return BarChart(
        width=CHART_WIDTH,
        height=BAR_GAP + len(bars) * (BAR_HEIGHT + BAR_GAP),
        label_width=LABEL_WIDTH,
        bar_height=BAR_HEIGHT,
        bars=tuple(bars),
        description=f"Số đảng viên theo mức xếp loại — {description}",
    )


def stacked(levels: Sequence[int] | None) -> tuple[Segment, ...]:
    """A cell's distribution as one 100 % bar (empty when nobody has a level)."""
    if not levels:
        return ()
    total = sum(levels)
    if not total:
        return ()
    segments = []
    x = 0.0
    for level, n in zip(LEVELS, levels, strict=True):
        if not n:
            continue
        width = 100 * n / total
        segments.append(
            Segment(level.value, round(x, 3), round(width, 3), f"{level.value}: {format_int(n)}")
        )
        x += width
    return tuple(segments)
