"""A small roster and a correctly filled cell: the baseline the workbook tests and the corpus use.

Chi bộ Trường THPT Liên Chiểu (CB01) has five official members and two probationary ones. One
official member is exempt (not rated, not counted), one probationary member was admitted in
September (not rated). Four official members are present and vote by secret ballot: four valid
ballots, each member's votes add up to four, and the four papers agree with the tally.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from toolkit.model import (
    Ballot,
    CellSelfAssessment,
    Meeting,
    Member,
    Membership,
    NotRatedReason,
    OrgKind,
    OrgTree,
    OrgUnit,
    RatingLevel,
    Roster,
    SelfAssessment,
    VoteMethod,
    VoteTally,
)
from toolkit.rulebook import load_ruleset
from toolkit.workbooks.fill import fill_ballot, fill_self_assessment
from toolkit.workbooks.generate import cell_file_names, write_cell_workbook

YEAR = 2023
SAVED = dt.datetime(2023, 12, 19, 9, 30)
HTXS, HTT, HT, KHT = (RatingLevel.HTXSNV, RatingLevel.HTTNV, RatingLevel.HTNV, RatingLevel.KHTNV)
PROB = Membership.PROBATIONARY


def roster() -> Roster:
    """Quận ủy Liên Chiểu with a chi bộ cơ sở (CB01) and a đảng bộ holding two cells."""
    units = {
        "QU": OrgUnit("QU", "Quận ủy Liên Chiểu", OrgKind.PARENT),
        "DB1": OrgUnit("DB1", "Đảng bộ phường Hòa Minh", OrgKind.GRASSROOTS_COMMITTEE, "QU"),
        "CB01": OrgUnit(
            "CB01", "Chi bộ Trường THPT Liên Chiểu", OrgKind.GRASSROOTS_CELL, "QU",
            "trường học", "Lê Văn Bình", "binh.lv@lienchieu.edu.vn",
        ),
        "CB02": OrgUnit("CB02", "Chi bộ Khu dân cư số 2", OrgKind.CELL, "DB1", "phường"),
        "CB03": OrgUnit("CB03", "Chi bộ Khu dân cư số 3", OrgKind.CELL, "DB1", "phường"),
    }  # fmt: skip
    members = (
        Member("DV001", "Lê Văn Bình", "CB01", birth_year=1975, is_leader=True, is_head=True,
               admission_date=dt.date(2000, 5, 19), position="Hiệu trưởng"),
        Member("DV002", "Nguyễn Thị Hoa", "CB01", birth_year=1984),
        Member("DV003", "Trần Minh Đức", "CB01", birth_year=1979),
        Member("DV004", "Phạm Thu Trang", "CB01", birth_year=1962),
        Member("DV005", "Hoàng Anh Tuấn", "CB01", birth_year=1990),
        Member("DV006", "Võ Thị Lan", "CB01", PROB, 1996, dt.date(2022, 11, 3)),
        Member("DV007", "Đặng Quốc Huy", "CB01", PROB, 1998, dt.date(2023, 9, 2)),
        Member("DV101", "Ngô Văn Sơn", "CB02", is_head=True),
        Member("DV102", "Lý Thị Mai", "CB02"),
        Member("DV103", "Bùi Đức Long", "CB02"),
        Member("DV201", "Đỗ Thị Hằng", "CB03", is_head=True),
        Member("DV202", "Trịnh Văn Nam", "CB03"),
    )  # fmt: skip
    return Roster(OrgTree(units), members)


@dataclass(frozen=True)
class Filing:
    """Everything a secretary enters for one cell."""

    assessments: tuple[SelfAssessment, ...]
    cell: CellSelfAssessment
    meeting: Meeting
    tallies: tuple[VoteTally, ...]
    cell_tally: VoteTally
    papers: tuple[Ballot, ...] = ()
    #: raw cells typed over the filled values, by "Sheet!E12"
    raw_assessment: dict[str, Any] = field(default_factory=dict)
    raw_ballot: dict[str, Any] = field(default_factory=dict)

    def with_raw(self, assessment: dict[str, Any] | None = None,
                 ballot: dict[str, Any] | None = None) -> Filing:  # fmt: skip
        """The same filing with some cells typed over (mistakes)."""
        return replace(self, raw_assessment={**self.raw_assessment, **(assessment or {})},
                       raw_ballot={**self.raw_ballot, **(ballot or {})})  # fmt: skip


def _papers(choices: dict[str, list[RatingLevel | None]]) -> tuple[Ballot, ...]:
    return tuple(
        Ballot(paper_no=n + 1, member_id=member_id, choice=levels[n])
        for member_id, levels in choices.items()
        for n in range(len(levels))
    )


def cb01_filing(*, scores: bool = False, total_only: bool = False) -> Filing:
    """The clean filing of CB01 (with 100-point scores when ``scores``, as under QD366: the
    two parts and their total, or with ``total_only`` the total alone, as template version 1)."""

    def score(common: float, tasks: float) -> dict[str, float | None]:
        if not scores:
            return {}
        if total_only:
            return {"self_score": common + tasks}
        return {"self_score": common + tasks, "common_score": common, "task_score": tasks}

    assessments = (
        SelfAssessment("DV001", HTXS, **score(28, 65), committee_proposal=HTXS),
        SelfAssessment("DV002", HTT, **score(27, 58.5), disciplined_in_year=True,
                       self_detected_remedied=True, committee_proposal=HTT),
        SelfAssessment("DV003", HT, **score(20, 42), sick_leave_months=3.5,
                       committee_proposal=HT),
        SelfAssessment("DV004", not_rated_reason=NotRatedReason.EXEMPT),
        SelfAssessment("DV005", HTT, **score(25, 55), maternity_leave_months=4.0,
                       committee_proposal=HTT),
        SelfAssessment("DV006", HTT, **score(24, 51), committee_proposal=HTT),
        SelfAssessment("DV007", not_rated_reason=NotRatedReason.NEW_MEMBER),
    )  # fmt: skip
    choices: dict[str, list[RatingLevel | None]] = {
        "DV001": [HTXS, HTXS, HTXS, HTT],
        "DV002": [HTT, HTT, HTT, HTT],
        "DV003": [HTT, HT, HT, None],
        "DV005": [HTXS, HTT, HTT, HTT],
        "DV006": [HTT, HTT, HTT, HT],
    }
    tallies = tuple(
        VoteTally(m, tuple(levels.count(lv) for lv in (HTXS, HTT, HT, KHT)), levels.count(None))  # type: ignore[arg-type]
        for m, levels in choices.items()
    )
    return Filing(
        assessments=assessments,
        cell=CellSelfAssessment(
            score=88.0 if scores else None,
            proposed_level=HTT,
            leadership_level=HTT,
            disciplined_in_year=False,
        ),
        meeting=Meeting(
            meeting_date=dt.date(2023, 12, 18),
            official_total=5,
            official_not_counted=1,
            present_official=4,
            present_probationary=2,
            method=VoteMethod.SECRET_BALLOT,
            ballots_issued=4,
            ballots_returned=4,
            ballots_valid=4,
            ballots_invalid=0,
        ),
        tallies=tallies,
        cell_tally=VoteTally(None, (0, 4, 0, 0), 0),
        papers=_papers(choices),
    )


def templates(
    folder: Path, the_roster: Roster, year: int = YEAR, *, version: int | None = None
) -> dict[tuple[str, str], Path]:
    """Every cell's two generated workbooks, by (cell code, kind); ``version``: an earlier
    template version, as the files already sent out this season."""
    rules = load_ruleset(year)
    stems = cell_file_names(the_roster)
    made: dict[tuple[str, str], Path] = {}
    folder.mkdir(parents=True, exist_ok=True)
    for cell in the_roster.tree.cells():
        members = the_roster.members_of(cell.code)
        for kind in ("self_assessment", "ballot"):
            path = folder / f"{stems[cell.code]}-{kind}.xlsx"
            write_cell_workbook(kind, cell, members, year, rules, path, version=version)
            made[(cell.code, kind)] = path
    return made


def fill(
    template_sa: Path,
    template_ballot: Path,
    out: Path,
    filing: Filing,
    *,
    saved_at: dt.datetime = SAVED,
    names: tuple[str, str] = ("tu-danh-gia.xlsx", "bien-ban.xlsx"),
) -> tuple[Path, Path]:
    """Fill a cell's two workbooks as the secretary would; the two filled copies."""
    out.mkdir(parents=True, exist_ok=True)
    sa, bb = out / names[0], out / names[1]
    fill_self_assessment(template_sa, sa, filing.assessments, filing.cell,
                         raw=filing.raw_assessment, saved_at=saved_at)  # fmt: skip
    fill_ballot(template_ballot, bb, filing.meeting, filing.tallies, filing.cell_tally,
                filing.papers, raw=filing.raw_ballot, saved_at=saved_at)  # fmt: skip
    return sa, bb


def simple_filing(the_roster: Roster, code: str) -> Filing:
    """A clean filing for a small cell whose members are all official (CB02, CB03)."""
    members = the_roster.members_of(code)
    n = len(members)
    return Filing(
        assessments=tuple(SelfAssessment(m.member_id, HTT) for m in members),
        cell=CellSelfAssessment(proposed_level=HTT),
        meeting=Meeting(dt.date(2023, 12, 15), n, 0, n, 0, VoteMethod.SHOW_OF_HANDS),
        tallies=tuple(VoteTally(m.member_id, (0, n, 0, 0), 0) for m in members),
        cell_tally=VoteTally(None, (0, n, 0, 0), 0),
    )
