"""Rows the writers render: plain tuples of text and numbers, built once from the results.

The summary workbook, the per-cell workbooks and the HTML report are renderings of the same
rows, so they cannot disagree. Rows hold only ``str``, ``int``, ``float``, ``bool`` and ``None``
so that they cross to worker processes cheaply. Levels are their codes ("HTXSNV"), labels are
Vietnamese; shares are floats in 0–1 (the writers format them).

A cell is in one of five states: "ok", "warnings" or "errors" (rated, with the worst of its
problems), "rejected" (its files have errors: listed with its problems, never rated) or
"missing" (sent nothing usable). Only the first three have numbers.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

from toolkit.model import LEVELS, NotRatedReason

LEVEL_CODES: tuple[str, ...] = tuple(level.value for level in LEVELS)
REASONS: tuple[NotRatedReason, ...] = tuple(NotRatedReason)

STATUS_LABELS: Mapping[str, str] = {
    "ok": "Không có vấn đề",
    "warnings": "Có cảnh báo",
    "errors": "Có lỗi",
    "rejected": "Có lỗi – chưa tổng hợp",
    "missing": "Chưa nộp",
}
STATUS_TONES: Mapping[str, str] = {
    "ok": "",
    "warnings": "warning",
    "errors": "error",
    "rejected": "error",
    "missing": "missing",
}
#: states of a cell that has no results (no numbers, no members)
UNRATED: frozenset[str] = frozenset({"rejected", "missing"})
#: the two ratios, labelled apart: the ceiling is measured against HTTNV alone (QĐ 366 Điều
#: 11.1), while local summary forms print HTXSNV over "HTTNV and above" (HD 03-HD/TVĐU Mẫu 15A)
RATIO_LABEL = "Tỷ lệ HTXSNV/HTTNV"
RATIO_OF_GOOD_LABEL = "Tỷ lệ HTXSNV/(HTXSNV+HTTNV)"


class CellLine(NamedTuple):
    """One cell of the per-cell summary; the numbers are None for a missing or rejected cell."""

    code: str
    name: str
    kind: str
    org_type: str
    parent_code: str
    grassroots_code: str
    status: str
    roster: int | None
    #: not rated, in ``REASONS`` order
    not_rated: tuple[int, ...] | None
    rated: int | None
    undecided: int | None
    #: counts in LEVELS order
    levels: tuple[int, ...] | None
    #: shares over rated members in LEVELS order
    shares: tuple[float, ...] | None
    quota_ratio: float | None
    quota_ceiling: int | None
    quota_over: int | None
    quota_status: str
    quota_tone: str
    level: str
    errors: int
    warnings: int
    #: relative path of the cell's result workbook, None for a missing cell
    file: str | None
    #: the competent level's decision on the cell's own level ("" while only proposed)
    decided: str = ""
    #: HTXSNV ÷ (HTXSNV + HTTNV), what local summary forms print (quota_ratio is ÷ HTTNV)
    quota_ratio_of_good: float | None = None


class MemberLine(NamedTuple):
    """One member of the detail tables."""

    cell_code: str
    member_id: str
    full_name: str
    membership: str
    is_head: bool
    #: 2A / 2B / 2C: the 2025 subject type (Mẫu 2A/2B/2C)
    subject_type: str
    self_level: str
    self_score: float | None
    not_rated: str
    votes: tuple[int, ...] | None
    blank: int | None
    denominator: int | None
    shares: tuple[float, ...] | None
    outcome: str
    carried: str
    caps: str
    proposed: str
    decided: str
    explanation: str
    errors: int
    warnings: int
    #: the decision that set ``decided`` ("Quyết định số … ngày …"), "" while only proposed
    decision: str = ""
    #: ballots that chose "Chưa đánh giá, xếp loại" for the member, and those invalid for
    #: the member (ballot version 2, HD 03-HD/TVĐU Mẫu 11)
    unrated_votes: int | None = None
    invalid_votes: int | None = None

    @property
    def tone(self) -> str:
        return "error" if self.errors else "warning" if self.warnings else ""


class QuotaLine(NamedTuple):
    """HTXSNV against the ceiling in one scope."""

    scope_code: str
    scope_name: str
    deciding: bool
    severity: str
    n_htxsnv: int
    n_httnv: int
    ceiling: int
    over: int
    ratio: float | None
    status: str
    tone: str
    #: HTXSNV ÷ (HTXSNV + HTTNV) ("xuất sắc trong số tốt trở lên"); ``ratio`` is ÷ HTTNV
    ratio_of_good: float | None = None
    #: how the ceiling was reached: "20%", "25% được cho phép theo …", ", làm tròn từ 0,5 lên"
    basis: str = ""


class CandidateLine(NamedTuple):
    """One HTXSNV candidate of a scope's ranking."""

    scope_code: str
    deciding: bool
    rank: int
    member_id: str
    full_name: str
    cell_code: str
    share: float
    score: float | None
    within_ceiling: bool


class CellRatingLine(NamedTuple):
    """A cell's own rating: its self-assessment, the vote on it, its conditions."""

    code: str
    name: str
    meeting_date: _dt.date | None
    #: official members convened (less those not counted) and official members present
    convened: int | None
    present: int | None
    self_level: str
    self_score: float | None
    leadership_level: str
    votes: tuple[int, ...] | None
    denominator: int | None
    outcome: str
    level: str
    conditions: str
    conditions_broken: int
    #: the meeting's figures as the count minutes (biên bản kiểm phiếu) record them
    meeting: MeetingFigures | None = None
    #: the competent level's decision on the cell's own level ("" while only proposed)
    decided: str = ""


class MeetingFigures(NamedTuple):
    """A cell's meeting as its ballot workbook records it: who was convened and present, the
    ballots, and the blank votes in the vote on the cell itself."""

    official_total: int
    official_not_counted: int
    present_probationary: int
    method: str
    secret_ballot: bool
    ballots_issued: int
    ballots_returned: int
    ballots_valid: int
    ballots_invalid: int
    cell_blank: int | None


class IssueLine(NamedTuple):
    """One problem, pinned to its file, sheet and cell."""

    severity: str
    severity_label: str
    code: str
    unit_code: str
    unit_name: str
    member_id: str
    member_name: str
    file: str
    sheet: str
    cell: str
    value: str
    message: str
    message_en: str


class InputLine(NamedTuple):
    """One input file for the audit trail."""

    path: str
    sha256: str
    kind: str
    template_version: str
    cell_code: str
    year: int | None
    status: str


@dataclass(frozen=True)
class Digest:
    """Everything the writers render, in the order they render it."""

    year: int
    ruleset_code: str
    ruleset_name: str
    overrides_file: str | None
    overrides: tuple[str, ...]
    uses_scores: bool
    #: the quota ratio as Vietnamese text ("20%")
    quota_percent: str
    parent_code: str
    parent_name: str
    generated_on: _dt.date
    toolkit_version: str
    #: rated, rejected and missing cells, by code
    cells: tuple[CellLine, ...]
    #: cell code → its members in the result's order
    members: Mapping[str, tuple[MemberLine, ...]]
    quotas: tuple[QuotaLine, ...]
    candidates: tuple[CandidateLine, ...]
    cell_ratings: tuple[CellRatingLine, ...]
    #: every issue, sorted; and the same issues by cell code ("" for the district's own)
    issues: tuple[IssueLine, ...]
    issues_by_unit: Mapping[str, tuple[IssueLine, ...]]
    inputs: tuple[InputLine, ...]
    #: grassroots code → name, for grouping cells in the report
    grassroots_names: Mapping[str, str]
    #: the local readings, one line each ("quota.rounding = half_up (mặc định: floor)")
    switches: tuple[str, ...] = ()
    #: cell code → members on the roster, for the cells not rated (rejected or missing)
    unrated_roster: Mapping[str, int] = field(default_factory=dict)
    #: the competent level's decision applied (``aggregate --decisions``), "" while proposed
    decision: str = ""

    @property
    def present_cells(self) -> tuple[CellLine, ...]:
        """The cells rated: those with numbers and members."""
        return tuple(c for c in self.cells if c.status not in UNRATED)

    @property
    def rejected_cells(self) -> tuple[CellLine, ...]:
        """The cells whose files have errors: sent, listed, not rated."""
        return tuple(c for c in self.cells if c.status == "rejected")

    @property
    def missing_cells(self) -> tuple[CellLine, ...]:
        return tuple(c for c in self.cells if c.status == "missing")
