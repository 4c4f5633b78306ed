"""Builders for the engine tests: a cell's return written as a short table of members.

Each ``entry`` is one member with what the cell filled in for them; ``level="HTTNV"`` means
every official member present voted that level. ``cell_return`` makes the meeting match the
entries (all official members convened and present) unless a test says otherwise. The tests at
the bottom check the builders themselves, so the other tests can trust them.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from toolkit.model import (
    LEVELS,
    CellReturn,
    CellSelfAssessment,
    Meeting,
    Member,
    Membership,
    NotRatedReason,
    OrgKind,
    OrgTree,
    OrgUnit,
    RatingLevel,
    SelfAssessment,
    SubjectType,
    VoteTally,
)
from toolkit.rulebook import RuleSet, load_ruleset

YEAR = 2024
MEETING_DAY = date(2024, 11, 25)
MEETING_DAY_2025 = date(2025, 11, 25)
MEETING_DAY_2026 = date(2026, 11, 25)
QD124 = load_ruleset(2024)
QD366 = load_ruleset(2025)

Votes = tuple[int, int, int, int]


def rules_with(year: int, toml: str) -> RuleSet:
    """The rule-set of ``year`` with an override file made of ``toml``."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "local.toml"
        path.write_text(toml, encoding="utf-8")
        return load_ruleset(year, path)


def unit(
    code: str = "CB01",
    kind: OrgKind = OrgKind.GRASSROOTS_CELL,
    parent: str | None = "QU",
    name: str | None = None,
) -> OrgUnit:
    return OrgUnit(code=code, name=name or f"Chi bộ {code}", kind=kind, parent_code=parent)


def tree(*units: OrgUnit) -> OrgTree:
    top = OrgUnit(code="QU", name="Quận ủy Liên Chiểu", kind=OrgKind.PARENT)
    return OrgTree(units={u.code: u for u in (top, *units)})


@dataclass(frozen=True)
class Entry:
    """One member of the table: who, what the cell entered, how the vote went."""

    member_id: str
    level: RatingLevel | None = None
    votes: Votes | None = None
    blank: int = 0
    voted: bool = True
    probationary: bool = False
    head: bool = False
    admitted: date | None = None
    assessment: dict[str, object] = field(default_factory=dict)
    subject: SubjectType = SubjectType.NO_POST


def entry(
    member_id: str,
    level: str | None = None,
    *,
    votes: Votes | None = None,
    blank: int = 0,
    voted: bool = True,
    probationary: bool = False,
    head: bool = False,
    admitted: date | None = None,
    subject: SubjectType = SubjectType.NO_POST,
    **assessment: object,
) -> Entry:
    """A member; ``level`` is a unanimous vote, ``votes`` an explicit tally."""
    return Entry(
        member_id=member_id,
        level=RatingLevel.parse(level) if level else None,
        votes=votes,
        blank=blank,
        voted=voted,
        probationary=probationary,
        head=head,
        admitted=admitted,
        assessment=dict(assessment),
        subject=subject,
    )


def not_rated(member_id: str, reason: NotRatedReason, **assessment: object) -> Entry:
    """A member with a reason for not being rated and no tally unless ``votes`` is given."""
    votes = assessment.pop("votes", None)
    return Entry(
        member_id=member_id,
        votes=votes,  # type: ignore[arg-type]
        voted=votes is not None,
        assessment={"not_rated_reason": reason, **assessment},
    )


def many(prefix: str, level: str, count: int, **kw: object) -> list[Entry]:
    """``count`` members voted ``level`` unanimously: ids ``prefix01``, ``prefix02``…"""
    return [entry(f"{prefix}{i + 1:02d}", level, **kw) for i in range(count)]  # type: ignore[arg-type]


def cell_return(
    entries: Sequence[Entry],
    cell: OrgUnit | None = None,
    *,
    official_total: int | None = None,
    not_counted: int = 0,
    present: int | None = None,
    valid: int | None = None,
    meeting_date: date | None = MEETING_DAY,
    cell_votes: Votes | str | None = "HTTNV",
    cell_level: str | None = None,
    cell_score: float | None = None,
    cell_disciplined: bool = False,
    extra_tallies: dict[str, VoteTally] | None = None,
    extra_assessments: dict[str, SelfAssessment] | None = None,
) -> CellReturn:
    """A cell's return for ``entries``; meeting figures default to "everyone came".

    ``cell_votes`` is the vote on the cell itself: a tally, a level voted unanimously (HTTNV
    by default), or None for no vote on the cell.
    """
    cell = cell or unit()
    officials = sum(1 for e in entries if not e.probationary)
    total = officials if official_total is None else official_total
    here = total - not_counted if present is None else present
    members, assessments, tallies = [], {}, {}
    for e in entries:
        members.append(
            Member(
                member_id=e.member_id,
                full_name=f"Nguyễn Văn {e.member_id}",
                cell_code=cell.code,
                membership=Membership.PROBATIONARY if e.probationary else Membership.OFFICIAL,
                admission_date=e.admitted,
                is_head=e.head,
                subject_type=e.subject,
            )
        )
        assessments[e.member_id] = SelfAssessment(member_id=e.member_id, **e.assessment)  # type: ignore[arg-type]
        if not e.voted:
            continue
        if e.votes is not None:
            tallies[e.member_id] = VoteTally(e.member_id, e.votes, e.blank)
        elif e.level is not None:
            tallies[e.member_id] = VoteTally(e.member_id, unanimous(e.level, here), e.blank)
    if extra_tallies:
        tallies.update(extra_tallies)
    if extra_assessments:
        assessments.update(extra_assessments)
    cell_tally = None
    if isinstance(cell_votes, str):
        cell_tally = VoteTally(None, unanimous(RatingLevel.parse(cell_votes), here))
    elif cell_votes is not None:
        cell_tally = VoteTally(None, cell_votes)
    return CellReturn(
        cell=cell,
        members=tuple(members),
        assessments=assessments,
        meeting=Meeting(
            meeting_date=meeting_date,
            official_total=total,
            official_not_counted=not_counted,
            present_official=here,
            ballots_issued=here,
            ballots_returned=here,
            ballots_valid=here if valid is None else valid,
        ),
        tallies=tallies,
        cell_assessment=CellSelfAssessment(
            score=cell_score,
            proposed_level=RatingLevel.parse(cell_level) if cell_level else None,
            disciplined_in_year=cell_disciplined,
        ),
        cell_tally=cell_tally,
    )


def unanimous(level: RatingLevel, voters: int) -> Votes:
    votes = [0, 0, 0, 0]
    votes[LEVELS.index(level)] = voters
    return (votes[0], votes[1], votes[2], votes[3])


# ---------------------------------------------------------------------------------------------
# The builders themselves


def test_meeting_defaults_to_every_official_member_present() -> None:
    ret = cell_return([*many("A", "HTTNV", 3), entry("P1", "HTNV", probationary=True)])
    assert ret.meeting.official_total == 3
    assert ret.meeting.present_official == 3
    assert ret.tallies["A01"].votes == (0, 3, 0, 0)
    assert ret.tallies["P1"].votes == (0, 0, 3, 0)
    assert ret.members[3].membership is Membership.PROBATIONARY


def test_not_rated_members_get_no_tally_unless_votes_are_given() -> None:
    ret = cell_return(
        [
            not_rated("X1", NotRatedReason.EXEMPT),
            not_rated("X2", NotRatedReason.ABSENT, votes=(0, 2, 0, 0)),
        ]
    )
    assert "X1" not in ret.tallies
    assert ret.tallies["X2"].votes == (0, 2, 0, 0)
    assert ret.assessments["X1"].not_rated_reason is NotRatedReason.EXEMPT


def test_rules_with_applies_the_override() -> None:
    rules = rules_with(2024, "[rules.vote-majority]\ncumulative_downward = false\n")
    assert rules.vote.cumulative_downward is False
    assert QD124.vote.cumulative_downward is True
