"""The upward summary in the pattern of HD 03-HD/TVĐU Mẫu 15A/15B (domain.md N10), as data.

Two tables, one for party members and one for party organizations (chi bộ), each with one row
per organization type and a "Tổng cộng" row; columns Tổng số | HTXSNV | HTTNV | HTNV | KHTNV |
Chưa xếp loại | % HTXSNV/HTTNV | % HTXSNV/(HTXSNV+HTTNV) | Ghi chú, under a row of column
numbers. The workbook, the report and (later) the .docx body render these same rows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from toolkit.model import NotRatedReason
from toolkit.rollup.combine import RollupResult
from toolkit.rollup.tally import TypeTally, ratio

#: the columns after TT and Đối tượng
HEADERS: tuple[str, ...] = (
    "TT",
    "Đối tượng",
    "Tổng số",
    "HTXSNV",
    "HTTNV",
    "HTNV",
    "KHTNV",
    "Chưa xếp loại",
    "% HTXSNV/HTTNV",
    "% HTXSNV/(HTXSNV+HTTNV)",
    "Ghi chú",
)
TOTAL_LABEL = "Tổng cộng"
NO_TYPE = "(chưa ghi loại hình)"


@dataclass(frozen=True)
class SummaryRow:
    """One row: the group, its counts, both ratios (None without a denominator), a note."""

    number: str
    subject: str
    total: int
    levels: tuple[int, ...]
    unrated: int
    htxs_over_htt: Fraction | None
    htxs_over_good: Fraction | None
    note: str

    @property
    def cells(self) -> tuple[object, ...]:
        """The row's values in ``HEADERS`` order (ratios as exact fractions or None)."""
        return (
            self.number,
            self.subject,
            self.total,
            *self.levels,
            self.unrated,
            self.htxs_over_htt,
            self.htxs_over_good,
            self.note,
        )


@dataclass(frozen=True)
class SummaryTable:
    """One table of the upward summary (Mẫu 15A: members; 15B: organizations)."""

    form: str
    title: str
    rows: tuple[SummaryRow, ...]
    total: SummaryRow

    @property
    def headers(self) -> tuple[str, ...]:
        return HEADERS

    @property
    def numbers(self) -> tuple[str, ...]:
        """The row of column numbers under the headers: (1) … (11)."""
        return tuple(f"({n})" for n in range(1, len(HEADERS) + 1))


def upward_summary(result: RollupResult) -> tuple[SummaryTable, SummaryTable]:
    """The members' and the organizations' tables of this level (for every renderer)."""
    return _members(result.types), _organizations(result)


def unrated_rows(result: RollupResult) -> tuple[tuple[str, int], ...]:
    """Members counted "Chưa xếp loại", by reason: each reason not to rate, then those rated
    whose level is still open (a tie or no level carried, for the competent level)."""
    c = result.counts
    reasons = tuple((r.label, n) for r, n in zip(NotRatedReason, c.not_rated, strict=True))
    return (*reasons, ("Chưa xác định mức xếp loại", c.undecided))


def _row(number: str, subject: str, levels: tuple[int, ...], unrated: int, note: str) -> SummaryRow:
    xs, good = levels[0], levels[1]
    return SummaryRow(
        number=number,
        subject=subject,
        total=sum(levels) + unrated,
        levels=levels,
        unrated=unrated,
        htxs_over_htt=ratio(xs, good),
        htxs_over_good=ratio(xs, xs + good),
        note=note,
    )


def _members(types: Mapping[str, TypeTally]) -> SummaryTable:
    rows = []
    for n, (key, t) in enumerate(types.items(), start=1):
        note = f"{t.proposed_members} theo đề xuất" if t.proposed_members else ""
        rows.append(_row(str(n), key or NO_TYPE, t.members.levels, t.members.unrated, note))
    proposed = sum(t.proposed_members for t in types.values())
    return SummaryTable(
        form="15A",
        title="Kết quả đánh giá, xếp loại chất lượng đảng viên",
        rows=tuple(rows),
        total=_total(rows, f"{proposed} theo đề xuất" if proposed else ""),
    )


def _organizations(result: RollupResult) -> SummaryTable:
    over = {c.org_type: c for c in result.ceilings if c.over}
    rows = []
    for n, (key, t) in enumerate(result.types.items(), start=1):
        notes = []
        if key in over:
            notes.append(f"vượt tỷ lệ (tối đa {over[key].ceiling})")
        if t.proposed_organizations:
            notes.append(f"{t.proposed_organizations} theo đề xuất")
        org = t.organizations
        rows.append(_row(str(n), key or NO_TYPE, org.levels, org.unrated, "; ".join(notes)))
    proposed = sum(t.proposed_organizations for t in result.types.values())
    return SummaryTable(
        form="15B",
        title="Kết quả đánh giá, xếp loại chất lượng tổ chức đảng (chi bộ)",
        rows=tuple(rows),
        total=_total(rows, f"{proposed} theo đề xuất" if proposed else ""),
    )


def _total(rows: list[SummaryRow], note: str) -> SummaryRow:
    levels = tuple(sum(r.levels[i] for r in rows) for i in range(4))
    return _row("", TOTAL_LABEL, levels, sum(r.unrated for r in rows), note)
