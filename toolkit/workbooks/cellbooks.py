"""What a cell's two workbooks hold, reduced to model values, with the checks one file can make.

The reader hands over the values of each sheet (``sheets.read_form`` / ``read_table`` /
``read_papers``); the builders here turn them into ``SelfAssessment``, ``Meeting`` and
``VoteTally`` values and check what needs nothing but the file itself: ratings against reasons,
ballot counts, each member's votes against the valid ballots, and the papers against the tally.
Checks that need the roster or the rule-set live in ``checks``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from toolkit.model import (
    CellSelfAssessment,
    Meeting,
    NotRatedReason,
    RatingLevel,
    SelfAssessment,
    Severity,
    VoteMethod,
    VoteTally,
)
from toolkit.workbooks.declarations import Layout, cell_ref
from toolkit.workbooks.sheets import Papers, Record, SheetContext

#: the vote columns of the tally in sheet order: LEVELS order, "chưa đánh giá, xếp loại",
#: blanks, invalid; the second and the last come with the "local_ballot" template feature and
#: are absent from a file made before it (``vote_keys``)
VOTE_KEYS = (
    "votes_htxsnv",
    "votes_httnv",
    "votes_htnv",
    "votes_khtnv",
    "votes_not_rated",
    "votes_blank",
    "votes_invalid",
)
CELL_VOTE_KEYS = ("cell_htxsnv", "cell_httnv", "cell_htnv", "cell_khtnv", "cell_blank")
#: a member's values that amount to a rating (R3: not allowed with a must-not-rate reason)
RATING_KEYS = ("self_level", "common_score", "task_score", "self_score", "committee_proposal")


@dataclass(frozen=True)
class MemberRow:
    """A member's row in a returned workbook: ID and name as found, and the sheet row."""

    member_id: str
    full_name: str
    row: int


@dataclass(frozen=True)
class SelfAssessmentContent:
    cell: CellSelfAssessment
    rows: tuple[MemberRow, ...]
    #: one per row, in the same order
    assessments: tuple[SelfAssessment, ...]
    #: members whose reason for not being rated could not be read: whether they are rated is
    #: unknown, so nothing that depends on it is reported
    unclear: frozenset[str] = frozenset()


@dataclass(frozen=True)
class BallotContent:
    meeting: Meeting
    #: the meeting fields that were filled in (to tell a typed 0 from an empty cell)
    typed: frozenset[str]
    rows: tuple[MemberRow, ...]
    #: one per row; None when the row was left empty (the member was not voted on)
    tallies: tuple[VoteTally | None, ...]
    cell_tally: VoteTally | None
    #: number of ballot papers entered on the papers sheet, None when it was not used
    papers: int | None

    @property
    def has_votes(self) -> bool:
        """Votes were entered: for a member (with an ID) or for the cell itself."""
        return self.cell_tally is not None or any(t and t.member_id for t in self.tallies)


def _member_rows(ctx: SheetContext, records: list[Record]) -> list[tuple[MemberRow, Record]]:
    rows = []
    for record in records:
        member_id = record["member_id"] or ""
        if not member_id:
            ctx.add("member-id-missing", cell_ref(record.row, 1), value=record.row)
            continue
        rows.append((MemberRow(member_id, record["full_name"] or "", record.row), record))
    return rows


def _required(ctx: SheetContext, layout: Layout, values: dict[str, Any], key: str) -> None:
    column = layout.column(key)
    ref = layout.ref(key)
    if values.get(key) is None and ctx.is_blank(layout.field_row(key), 1):
        ctx.add("required-missing", ref, field=column.label)


def build_self_assessment(
    cell_ctx: SheetContext,
    cell_layout: Layout,
    cell_values: dict[str, Any],
    members_ctx: SheetContext,
    members_layout: Layout,
    records: list[Record],
    features: tuple[str, ...],
) -> SelfAssessmentContent:
    """The cell's and its members' self-assessment, with the rating/reason checks."""
    scores_required = "scores_required" in features
    _required(cell_ctx, cell_layout, cell_values, "proposed_level")
    if scores_required:
        _required(cell_ctx, cell_layout, cell_values, "score")
    cell = CellSelfAssessment(
        score=cell_values.get("score"),
        proposed_level=cell_values.get("proposed_level"),
        leadership_level=cell_values.get("leadership_level"),
        disciplined_in_year=bool(cell_values.get("disciplined_in_year")),
    )
    rows, assessments = [], []
    for member, record in _member_rows(members_ctx, records):
        _check_rating(members_ctx, members_layout, member, record, scores_required)
        rows.append(member)
        assessments.append(
            SelfAssessment(
                member_id=member.member_id,
                self_level=record["self_level"],
                self_score=_total_score(members_ctx, members_layout, member, record),
                not_rated_reason=record["not_rated_reason"],
                disciplined_in_year=bool(record["disciplined_in_year"]),
                self_detected_remedied=bool(record["self_detected_remedied"]),
                discipline_counted_before=bool(record["discipline_counted_before"]),
                other_khtnv_ground=bool(record["other_khtnv_ground"]),
                sick_leave_months=record["sick_leave_months"] or 0.0,
                maternity_leave_months=record["maternity_leave_months"] or 0.0,
                committee_proposal=record["committee_proposal"],
                # the columns of template version 2 (None in a version-1 file)
                common_score=record["common_score"],
                task_score=record["task_score"],
                shortcomings_remedied=record["shortcomings_remedied"],
                tasks_not_completed_percent=_percent(
                    members_ctx, members_layout, member, record, "tasks_not_completed_percent"
                ),
                low_confidence_percent=_percent(
                    members_ctx, members_layout, member, record, "low_confidence_percent"
                ),
            )
        )
    reason_col = members_layout.index("not_rated_reason")
    unclear = frozenset(
        member.member_id for member in rows if (member.row, reason_col) in members_ctx.invalid
    )
    return SelfAssessmentContent(cell, tuple(rows), tuple(assessments), unclear)


def _percent(
    ctx: SheetContext, layout: Layout, member: MemberRow, record: Record, key: str
) -> float | None:
    """A percentage column (0–100). «60%» typed in Excel is stored as 0.6: a value strictly
    between 0 and 1 is read as that fraction of 100, with a warning that says so."""
    value: float | None = record[key]
    if value is None or not 0 < value < 1:
        return value
    percent = round(value * 100, 6)
    ctx.add(
        "percent-as-fraction",
        layout.ref(key, record.row),
        value=f"{value:g}",
        member_id=member.member_id,
        field=layout.column(key).label,
        expected=f"{percent:g}",
    )
    return percent


def _total_score(
    ctx: SheetContext, layout: Layout, member: MemberRow, record: Record
) -> float | None:
    """The self-score: the typed total, or the sum of the two parts when the total is blank.

    A typed total that is not the sum of the parts is an error pinned to the total's cell;
    the typed total stands (a file with errors is sent back anyway).
    """
    total: float | None = record["self_score"]
    common, tasks = record["common_score"], record["task_score"]
    if common is None or tasks is None:
        return total
    parts = float(common + tasks)
    if total is None:
        return parts
    if round(total - parts, 6) != 0:
        column = layout.column("self_score")
        ctx.add(
            "score-total-mismatch",
            layout.ref("self_score", record.row),
            value=f"{total:g}",
            member_id=member.member_id,
            field=column.label,
            expected=f"{parts:g}",
        )
    return total


def _check_rating(
    ctx: SheetContext, layout: Layout, member: MemberRow, record: Record, scores_required: bool
) -> None:
    reason: NotRatedReason | None = record["not_rated_reason"]
    if reason is None and (record.row, layout.index("not_rated_reason")) in ctx.invalid:
        return  # the reason was unreadable (reported): whether a rating is due is unknown
    if reason is None:
        level = layout.column("self_level")
        if record["self_level"] is None and ctx.is_blank(record.row, layout.index("self_level")):
            ctx.add(
                "rating-missing",
                layout.ref("self_level", record.row),
                value=member.member_id,
                member_id=member.member_id,
                field=level.label,
            )
        # version 2 asks for the two parts (the total may be left to add up); version 1 for
        # the total
        wanted = ("common_score", "task_score") if layout.has("common_score") else ("self_score",)
        for key in wanted if scores_required else ():
            if record[key] is None and ctx.is_blank(record.row, layout.index(key)):
                ctx.add(
                    "required-missing",
                    layout.ref(key, record.row),
                    member_id=member.member_id,
                    field=layout.column(key).label,
                )
        return
    severity = Severity.ERROR if reason.must_not_be_rated else Severity.WARNING
    for key in RATING_KEYS:
        if layout.has(key) and record[key] is not None:
            column = layout.column(key)
            ctx.add(
                "rating-for-not-rated",
                layout.ref(key, record.row),
                value=member.member_id,
                member_id=member.member_id,
                severity=severity,
                reason=reason.label,
                field=column.label,
            )


def build_ballot(
    meeting_ctx: SheetContext,
    meeting_layout: Layout,
    values: dict[str, Any],
    tally_ctx: SheetContext,
    tally_layout: Layout,
    records: list[Record],
    papers: Papers | None,
    papers_ctx: SheetContext | None,
) -> BallotContent:
    """The meeting, the tallies (recounted from the papers when entered) and their checks."""
    typed = frozenset(k for k, v in values.items() if v is not None)
    method = values.get("method")
    for key in ("meeting_date", "official_total", "present_official", "method"):
        _required(meeting_ctx, meeting_layout, values, key)
    secret = method is not VoteMethod.SHOW_OF_HANDS
    if method is VoteMethod.SECRET_BALLOT:
        for key in ("ballots_issued", "ballots_returned", "ballots_valid"):
            _required(meeting_ctx, meeting_layout, values, key)
    meeting = Meeting(
        meeting_date=values.get("meeting_date"),
        official_total=values.get("official_total") or 0,
        official_not_counted=values.get("official_not_counted") or 0,
        present_official=values.get("present_official") or 0,
        present_probationary=values.get("present_probationary") or 0,
        method=method or VoteMethod.SECRET_BALLOT,
        ballots_issued=values.get("ballots_issued") or 0,
        ballots_returned=values.get("ballots_returned") or 0,
        ballots_valid=values.get("ballots_valid") or 0,
        ballots_invalid=values.get("ballots_invalid") or 0,
    )
    _check_meeting(meeting_ctx, meeting_layout, meeting, typed)
    base_key = "ballots_valid" if secret else "present_official"
    base = values.get(base_key)
    # the cell's own vote
    cell_votes = [values.get(k) for k in CELL_VOTE_KEYS]
    cell_tally = None
    if any(v is not None for v in cell_votes):
        cell_tally = _tally(None, cell_votes)
        if base is not None and cell_tally.total != base:
            meeting_ctx.add(
                "votes-sum-mismatch",
                span_of_cell_vote(meeting_layout),
                value=cell_tally.total,
                expected=base,
            )
    else:
        heading = meeting_layout.column("heading_cell_vote")
        meeting_ctx.add("required-missing", span_of_cell_vote(meeting_layout), field=heading.label)
    rows, tallies = [], []
    for member, record in _member_rows(tally_ctx, records):
        votes = [record[k] for k in VOTE_KEYS]
        conclusion = record["conclusion"]
        tally = None
        if conclusion is not None or any(v is not None for v in votes):
            tally = _tally(member.member_id, votes, conclusion)
        if papers is not None and papers_ctx is not None:
            tally = _against_papers(tally_ctx, tally_layout, member, tally, papers)
        if tally is not None and base is not None and tally.total != base:
            tally_ctx.add(
                "votes-sum-mismatch",
                vote_span(tally_layout, member.row),
                value=tally.total,
                expected=base,
                member_id=member.member_id,
            )
        rows.append(member)
        tallies.append(tally)
    if papers is not None and papers_ctx is not None:
        _check_papers(papers_ctx, meeting_ctx, meeting_layout, papers, rows, secret, values)
    return BallotContent(
        meeting, typed, tuple(rows), tuple(tallies), cell_tally, papers.count if papers else None
    )


def vote_keys(layout: Layout) -> tuple[str, ...]:
    """The vote columns this file's tally sheet has (a file of an older template has fewer)."""
    return tuple(k for k in VOTE_KEYS if layout.has(k))


def vote_span(layout: Layout, row: int) -> str:
    """The range of one member's vote columns, e.g. ``E6:K6``."""
    keys = vote_keys(layout)
    return f"{cell_ref(row, layout.index(keys[0]))}:{cell_ref(row, layout.index(keys[-1]))}"


def span_of_cell_vote(layout: Layout) -> str:
    """The range of the cell's own vote on the meeting sheet, e.g. ``B20:B24``."""
    return f"{layout.ref(CELL_VOTE_KEYS[0])}:{layout.ref(CELL_VOTE_KEYS[-1])}"


def _tally(
    member_id: str | None, votes: list[Any], conclusion: RatingLevel | None = None
) -> VoteTally:
    """A tally from the cell vote's five values or a member's seven (``VOTE_KEYS`` order), and
    the meeting's conclusion for the member, if written."""
    counts = [v or 0 for v in votes]
    levels = (counts[0], counts[1], counts[2], counts[3])
    if len(counts) == len(CELL_VOTE_KEYS):
        return VoteTally(member_id, levels, counts[4])
    return VoteTally(
        member_id, levels, counts[5], not_rated=counts[4], invalid=counts[6], conclusion=conclusion
    )


def _check_meeting(ctx: SheetContext, layout: Layout, m: Meeting, typed: frozenset[str]) -> None:
    def add(code: str, key: str, value: object, expected: object = "", **params: Any) -> None:
        column = layout.column(key)
        fields: dict[str, Any] = {"expected": expected, **params}
        ctx.add(
            code,
            layout.ref(key),
            value=value,
            field=column.label,
            **fields,
        )

    if "official_not_counted" in typed and m.official_not_counted > m.official_total:
        limit = m.official_total
        add(
            "number-out-of-range",
            "official_not_counted",
            m.official_not_counted,
            f"≤ {limit}",
        )
    elif "present_official" in typed and m.present_official > m.convened_official_adjusted:
        add(
            "present-exceeds-convened",
            "present_official",
            m.present_official,
            m.convened_official_adjusted,
        )
    if m.method is not VoteMethod.SECRET_BALLOT or "ballots_issued" not in typed:
        return
    if "ballots_returned" in typed and m.ballots_returned > m.ballots_issued:
        add(
            "ballots-returned-exceed-issued",
            "ballots_returned",
            m.ballots_returned,
            m.ballots_issued,
        )
    if "ballots_returned" in typed and "ballots_valid" in typed:
        counted = m.ballots_valid + m.ballots_invalid
        if counted != m.ballots_returned:
            add("ballots-sum-mismatch", "ballots_returned", m.ballots_returned, counted)
    if "present_official" in typed and m.ballots_issued > m.present_official:
        if m.present_probationary and m.ballots_issued <= (
            m.present_official + m.present_probationary
        ):
            add(
                "probationary-counted",
                "ballots_issued",
                m.ballots_issued,
                count=m.present_probationary,
            )
        else:
            add("ballots-exceed-voters", "ballots_issued", m.ballots_issued, m.present_official)


def _against_papers(
    ctx: SheetContext, layout: Layout, member: MemberRow, typed: VoteTally | None, papers: Papers
) -> VoteTally | None:
    """The tally recounted from the papers; a typed tally that disagrees is reported."""
    if member.member_id not in papers.columns:
        return typed
    counts = papers.counts[member.member_id]
    recount = VoteTally(
        member.member_id,
        (counts[0], counts[1], counts[2], counts[3]),
        papers.blanks[member.member_id],
        not_rated=counts[4],
        invalid=counts[5],
        conclusion=typed.conclusion if typed is not None else None,
    )
    if typed is None:
        # a member nobody chose a level for was not voted on (not rated this year)
        return recount if any(recount.votes) else None
    if typed == recount:
        return recount  # the usual case: the typed tally is the recount
    pairs = [
        *zip(typed.votes, recount.votes, strict=True),
        (typed.not_rated, recount.not_rated),
        (typed.blank, recount.blank),
        (typed.invalid, recount.invalid),
    ]
    for key, (typed_n, counted_n) in zip(VOTE_KEYS, pairs, strict=True):
        if not layout.has(key):
            continue  # a column of a newer template: the recount stands
        if typed_n != counted_n and (member.row, layout.index(key)) not in ctx.invalid:
            column = layout.column(key)
            ctx.add(
                "tally-papers-mismatch",
                layout.ref(key, member.row),
                value=typed_n,
                expected=counted_n,
                member_id=member.member_id,
                field=column.label,
                member=member.member_id,
            )
    return recount


def _check_papers(
    papers_ctx: SheetContext,
    meeting_ctx: SheetContext,
    meeting_layout: Layout,
    papers: Papers,
    rows: list[MemberRow],
    secret: bool,
    values: dict[str, Any],
) -> None:
    on_tally = {r.member_id for r in rows}
    for member_id, col in papers.columns.items():
        if member_id not in on_tally:
            papers_ctx.add(
                "member-added",
                cell_ref(papers.header_row, col),
                value=member_id,
                member_id=member_id,
            )
    valid = values.get("ballots_valid")
    if secret and valid is not None and papers.count != valid:
        column = meeting_layout.column("ballots_valid")
        meeting_ctx.add(
            "papers-count-mismatch",
            meeting_layout.ref("ballots_valid"),
            value=papers.count,
            expected=valid,
            field=column.label,
        )
