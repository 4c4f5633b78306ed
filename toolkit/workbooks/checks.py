"""Checks of a returned file against what the district expects: year, cell, roster, rule-set.

``read.read_workbook`` already checked everything a file can tell about itself. The checks here
need the roster (members missing, added, duplicated, from another cell; official and
probationary counts), the rating year, or the rule-set (quorum, meeting deadline), and
``check_pair`` compares a cell's two workbooks (votes for members who are not rated, rated members
nobody voted on). All are pure functions returning issues.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from toolkit import catalogue
from toolkit.model import (
    Issue,
    Location,
    Member,
    Membership,
    OrgUnit,
    Roster,
    Severity,
    normalize_text,
)
from toolkit.rulebook import RuleSet
from toolkit.workbooks.cellbooks import BallotContent, MemberRow, SelfAssessmentContent, vote_span
from toolkit.workbooks.declarations import Layout, load_declaration
from toolkit.workbooks.identity import roster_hash
from toolkit.workbooks.read import WorkbookReading

#: files from special units may finish by 15 January of the next year (HD 25 §5.1)
GRACE_DAYS_NEXT_YEAR = 15


@dataclass(frozen=True)
class Expectations:
    """What the district expects of a file; anything left None is not checked."""

    roster: Roster | None = None
    year: int | None = None
    rules: RuleSet | None = None
    cell_code: str | None = None
    #: the rating engine will judge these returns: leave it the warnings it derives from the
    #: rule-set itself (quorum, deadline), so that ``aggregate`` reports each problem once
    engine_follows: bool = False
    #: each cell's roster hash, made once (``roster_hash``)
    _hashes: dict[str, str] = field(default_factory=dict, init=False, compare=False, repr=False)

    @property
    def members_by_cell(self) -> dict[str, tuple[Member, ...]]:
        """The roster's members per cell, in roster order (``Roster.by_cell``)."""
        return self.roster.by_cell if self.roster else {}

    @property
    def member_index(self) -> dict[str, Member]:
        return self.roster.by_id if self.roster else {}

    def roster_hash(self, cell: OrgUnit) -> str:
        """The hash a cell's workbooks carry when made from this roster (once per cell)."""
        found = self._hashes.get(cell.code)
        if found is None:
            found = roster_hash(cell, self.members_by_cell.get(cell.code, ()))
            self._hashes[cell.code] = found
        return found


class _Issues:
    def __init__(self, reading: WorkbookReading) -> None:
        self.file = reading.name
        self.unit = reading.identity.cell_code if reading.identity else ""
        self.items: list[Issue] = []

    def add(
        self,
        code: str,
        sheet: str = "",
        ref: str = "",
        *,
        value: object = "",
        member_id: str = "",
        severity: Severity | None = None,
        **params: Any,
    ) -> None:
        self.items.append(
            catalogue.make(
                code,
                location=Location(self.file, sheet, ref),
                value=value,
                unit_code=self.unit,
                member_id=member_id,
                severity=severity,
                **params,
            )
        )


def check_reading(reading: WorkbookReading, expect: Expectations) -> tuple[Issue, ...]:
    """Issues of ``reading`` against the expected year, cell, roster and rules."""
    ident = reading.identity
    if ident is None or ident.kind not in ("self_assessment", "ballot"):
        return ()  # the roster and the decisions workbook are not a cell's returns
    out = _Issues(reading)
    year = expect.year if expect.year is not None else ident.year
    if expect.year is not None and ident.year != expect.year:
        out.add("wrong-year", value=ident.year, expected=expect.year)
    if expect.cell_code is not None and ident.cell_code != expect.cell_code:
        out.add("wrong-cell", value=ident.cell_code, expected=expect.cell_code)
    roster = expect.roster
    members: tuple[Member, ...] | None = None
    if roster is not None:
        cell = roster.tree.units.get(ident.cell_code)
        if cell is None or not cell.kind.is_cell:
            out.add("cell-unknown", value=ident.cell_code)
            return tuple(out.items)
        members = expect.members_by_cell.get(cell.code, ())
        if expect.roster_hash(cell) != ident.roster_hash:
            out.add("roster-changed")
    content = reading.content
    if not isinstance(content, SelfAssessmentContent | BallotContent):
        return tuple(out.items)
    table_key = "members" if isinstance(content, SelfAssessmentContent) else "tally"
    table = load_declaration(ident.kind).layout(table_key, ident.features)
    if members is not None and roster is not None:
        _check_members(out, table, content.rows, members, expect.member_index)
    if isinstance(content, BallotContent):
        meeting = load_declaration("ballot").layout("meeting", ident.features)
        if members is not None:
            _check_counts(out, meeting, content, members)
        if expect.rules is not None and not expect.engine_follows:
            _check_quorum(out, meeting, content, expect.rules)
        if year is not None and expect.year in (None, ident.year):
            rules = None if expect.engine_follows else expect.rules
            _check_date(out, meeting, content, year, rules)
    return tuple(out.items)


def _check_members(
    out: _Issues,
    table: Layout,
    rows: tuple[MemberRow, ...],
    members: tuple[Member, ...],
    everyone: dict[str, Member],
) -> None:
    sheet = table.sheet.name
    expected = {m.member_id: m for m in members}
    seen: dict[str, int] = {}
    for row in rows:
        if row.member_id in seen:
            out.add(
                "member-duplicated",
                sheet,
                table.ref("member_id", row.row),
                value=row.member_id,
                member_id=row.member_id,
                first_row=seen[row.member_id],
            )
            continue
        seen[row.member_id] = row.row
        member = expected.get(row.member_id)
        if member is None:
            elsewhere = everyone.get(row.member_id)
            if elsewhere is not None:
                out.add(
                    "member-from-other-cell",
                    sheet,
                    table.ref("member_id", row.row),
                    value=row.member_id,
                    member_id=row.member_id,
                    name=elsewhere.full_name,
                    other=elsewhere.cell_code,
                )
            else:
                ref = table.ref("member_id", row.row)
                out.add("member-added", sheet, ref, value=row.member_id, member_id=row.member_id)
            continue
        same = row.full_name == member.full_name  # the usual case, without normalising
        if not same and normalize_text(row.full_name) != normalize_text(member.full_name):
            out.add(
                "member-name-changed",
                sheet,
                table.ref("full_name", row.row),
                value=row.full_name,
                expected=member.full_name,
                member_id=row.member_id,
            )
    for member in members:
        if member.member_id not in seen:
            out.add(
                "member-missing",
                sheet,
                value=member.member_id,
                member_id=member.member_id,
                name=member.full_name,
            )


def _check_counts(
    out: _Issues, layout: Layout, content: BallotContent, members: tuple[Member, ...]
) -> None:
    m, typed, sheet = content.meeting, content.typed, layout.sheet.name
    official = sum(1 for x in members if x.membership is Membership.OFFICIAL)
    probationary = len(members) - official

    def add(code: str, key: str, value: object, expected: object = "", **params: Any) -> None:
        column = layout.column(key)
        out.add(
            code,
            sheet,
            layout.ref(key),
            value=value,
            expected=expected,
            field=column.label,
            **params,
        )

    if "official_total" in typed and m.official_total != official:
        if probationary and m.official_total == official + probationary:
            add(
                "probationary-counted",
                "official_total",
                m.official_total,
                count=probationary,
            )
        else:
            add("official-total-mismatch", "official_total", m.official_total, official)
    # present > convened is reported by the file's own checks; this catches a wrong total too
    if (
        "present_official" in typed
        and official < m.present_official <= m.convened_official_adjusted
    ):
        add("present-exceeds-roster", "present_official", m.present_official, official)
    if "present_probationary" in typed and m.present_probationary > probationary:
        add("present-exceeds-roster", "present_probationary", m.present_probationary, probationary)


def _check_quorum(out: _Issues, layout: Layout, content: BallotContent, rules: RuleSet) -> None:
    quorum = rules.quorum
    m = content.meeting
    convened = m.convened_official_adjusted
    if quorum is None or "present_official" not in content.typed or convened <= 0:
        return
    if Fraction(m.present_official, convened) < quorum:
        out.add(
            "quorum-not-met",
            layout.sheet.name,
            layout.ref("present_official"),
            value=m.present_official,
            expected=convened,
            quorum=str(quorum),
            severity=rules.rule("quorum").severity,
        )


def _check_date(
    out: _Issues, layout: Layout, content: BallotContent, year: int, rules: RuleSet | None
) -> None:
    day = content.meeting.meeting_date
    if day is None:
        return
    column = layout.column("meeting_date")
    where = (layout.sheet.name, layout.ref("meeting_date"))
    shown = day.strftime("%d/%m/%Y")
    grace = dt.date(year + 1, 1, GRACE_DAYS_NEXT_YEAR)
    if day.year != year and not (day.year == year + 1 and day <= grace):
        out.add(
            "date-outside-year",
            *where,
            value=shown,
            expected=year,
            field=column.label,
        )
        return
    if rules is None:
        return
    deadline = rules.meeting_deadline(year)
    if deadline is not None and day > deadline:
        out.add(
            "meeting-late",
            *where,
            value=shown,
            expected=deadline.strftime("%d/%m/%Y"),
            severity=rules.rule("meeting-date").severity,
        )


def check_pair(
    assessment: WorkbookReading, ballot: WorkbookReading, *, engine_follows: bool = False
) -> tuple[Issue, ...]:
    """A cell's two workbooks side by side: who was voted on against who may be rated.

    With ``engine_follows``, votes for an absent (not yet rated) member are left to the engine,
    which reports them; votes for a member who must not be rated stay an error here.
    """
    sa, bb = assessment.content, ballot.content
    if not isinstance(sa, SelfAssessmentContent) or not isinstance(bb, BallotContent):
        return ()
    assert ballot.identity is not None
    out = _Issues(ballot)
    table = load_declaration("ballot").layout("tally", ballot.identity.features)
    reasons = {a.member_id: a.not_rated_reason for a in sa.assessments}
    for row, tally in zip(bb.rows, bb.tallies, strict=True):
        if row.member_id not in reasons or row.member_id in sa.unclear:
            continue  # not on the self-assessment (reported), or its reason is unreadable
        reason = reasons[row.member_id]
        if reason is not None and tally is not None and any(tally.votes):
            severity = Severity.ERROR if reason.must_not_be_rated else Severity.WARNING
            if engine_follows and severity is Severity.WARNING:
                continue
            out.add(
                "rating-for-not-rated",
                table.sheet.name,
                vote_span(table, row.row),
                value=row.member_id,
                member_id=row.member_id,
                severity=severity,
                reason=reason.label,
                field="kết quả biểu quyết",
            )
        elif reason is None and tally is None:
            out.add(
                "required-missing",
                table.sheet.name,
                vote_span(table, row.row),
                member_id=row.member_id,
                field=f"kết quả biểu quyết của đảng viên {row.member_id}",
            )
    return tuple(out.items)
