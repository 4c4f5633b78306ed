"""The upward summary in the pattern of HD 03-HD/TVĐU Mẫu 15A/15B (domain.md N10), as data.

Tables for party members and for party organizations (chi bộ), each with one row per
organization type and a "Tổng cộng" row; columns Tổng số | HTXSNV | HTTNV | HTNV | KHTNV |
Chưa xếp loại | % HTXSNV/HTTNV | % HTXSNV/(HTXSNV+HTTNV) | Ghi chú, under a row of column
numbers. Where the packages record the 2025 subject types, a third table counts the members
by subject type (Mẫu 2A/2B/2C): Mẫu 15A's own rows are such groups of persons ("Đối tượng",
each person under the first group that applies), which a row per organization type is not, so
they get a table of their own rather than rows in the members' table, where every member
would be counted twice. The workbook, the report and the .docx body render these same rows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from toolkit.model import NotRatedReason, SubjectType
from toolkit.rollup.combine import RollupResult
from toolkit.rollup.tally import GroupCounts, SubjectTally, TypeTally, ratio

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
NO_SUBJECT = "Chưa ghi đối tượng"
#: the members' table's note when no package recorded a subject type
NO_SUBJECTS_NOTE = "không có số liệu theo đối tượng (Mẫu 2A/2B/2C): các gói không ghi"


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


def upward_summary(result: RollupResult) -> tuple[SummaryTable, ...]:
    """The members' and the organizations' tables of this level, then the members by subject
    type where any package recorded it (for every renderer)."""
    subjects = result.subjects
    if not subjects.recorded:
        return _members(result.types, NO_SUBJECTS_NOTE), _organizations(result)
    return _members(result.types), _organizations(result), _by_subject(subjects)


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


def _members(types: Mapping[str, TypeTally], note: str = "") -> SummaryTable:
    rows = []
    for n, (key, t) in enumerate(types.items(), start=1):
        rows.append(
            _row(
                str(n),
                key or NO_TYPE,
                t.members.levels,
                t.members.unrated,
                _proposed(t.proposed_members),
            )
        )
    proposed = sum(t.proposed_members for t in types.values())
    return SummaryTable(
        form="15A",
        title="Kết quả đánh giá, xếp loại chất lượng đảng viên",
        rows=tuple(rows),
        total=_total(rows, "; ".join(n for n in (_proposed(proposed), note) if n)),
    )


def _by_subject(subjects: SubjectTally) -> SummaryTable:
    """Members by subject type, in the forms' order; those whose type no package recorded
    are a row of their own, never spread over the types."""
    groups: list[tuple[str, GroupCounts, str]] = [
        (t.label, g, _proposed(g.proposed))
        for t, g in zip(SubjectType, subjects.types, strict=True)
    ]
    unknown = subjects.unknown
    if unknown.total:
        note = "; ".join(n for n in ("gói không ghi đối tượng", _proposed(unknown.proposed)) if n)
        groups.append((NO_SUBJECT, unknown, note))
    rows = [
        _row(str(n), label, g.levels, g.unrated, note)
        for n, (label, g, note) in enumerate(groups, start=1)
    ]
    proposed = sum(g.proposed for _, g, _ in groups)
    return SummaryTable(
        form="15A-ĐT",
        title="Kết quả đánh giá, xếp loại chất lượng đảng viên theo đối tượng",
        rows=tuple(rows),
        total=_total(rows, _proposed(proposed)),
    )


def _proposed(n: int) -> str:
    return f"{n} theo đề xuất" if n else ""


def _organizations(result: RollupResult) -> SummaryTable:
    over = {c.org_type: c for c in result.ceilings if c.over}
    rows = []
    for n, (key, t) in enumerate(result.types.items(), start=1):
        notes = []
        if key in over:
            notes.append(f"vượt tỷ lệ (tối đa {over[key].ceiling})")
        if t.proposed_organizations:
            notes.append(_proposed(t.proposed_organizations))
        org = t.organizations
        rows.append(_row(str(n), key or NO_TYPE, org.levels, org.unrated, "; ".join(notes)))
    proposed = sum(t.proposed_organizations for t in result.types.values())
    return SummaryTable(
        form="15B",
        title="Kết quả đánh giá, xếp loại chất lượng tổ chức đảng (chi bộ)",
        rows=tuple(rows),
        total=_total(rows, _proposed(proposed)),
    )


def _total(rows: list[SummaryRow], note: str) -> SummaryRow:
    levels = tuple(sum(r.levels[i] for r in rows) for i in range(4))
    return _row("", TOTAL_LABEL, levels, sum(r.unrated for r in rows), note)
