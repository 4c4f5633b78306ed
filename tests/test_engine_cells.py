"""One cell: counts over rated members (R4), its own level, the member-result conditions (R16),
the meeting (quorum, date), and results that do not depend on the order of members."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_engine_builders import (
    MEETING_DAY_2025,
    QD124,
    QD366,
    Entry,
    cell_return,
    entry,
    many,
    not_rated,
    rules_with,
    tree,
    unit,
)

from toolkit.engine import rate_cell
from toolkit.engine.explain import percent
from toolkit.model import LEVELS, NotRatedReason, RatingLevel, SelfAssessment, Severity, VoteTally
from toolkit.results import CellResult

HTXS, HTT, HT, KHT = LEVELS
E, W = Severity.ERROR, Severity.WARNING


def cell_codes(result: CellResult) -> list[tuple[str, Severity]]:
    return [(i.code, i.severity) for i in result.issues]


# ---------------------------------------------------------------------------------------------
# Counts (R4)


def test_hai_duong_like_percentages_are_over_rated_members() -> None:
    # 686 on the roster, 24 not rated; of 662 rated: 144 HTXSNV + 460 HTTNV = 604 (91.2%),
    # 58 HTNV (8.8%), no KHTNV. Over the roster 604 would be 88.0%.
    entries: list[Entry] = [
        *many("X", "HTXSNV", 144),
        *many("T", "HTTNV", 460),
        *many("H", "HTNV", 58),
        *(not_rated(f"E{i}", NotRatedReason.EXEMPT) for i in range(10)),
        *(not_rated(f"S{i}", NotRatedReason.SUSPENDED) for i in range(4)),
        *(not_rated(f"N{i}", NotRatedReason.NEW_MEMBER) for i in range(6)),
        *(not_rated(f"V{i}", NotRatedReason.ABSENT) for i in range(4)),
    ]
    result = rate_cell(cell_return(entries, not_counted=14, present=662), QD124, year=2024)
    counts = result.counts
    assert (counts.roster, counts.rated) == (686, 662)
    assert counts.levels == (144, 460, 58, 0)
    assert counts.not_rated[NotRatedReason.EXEMPT] == 10
    assert counts.not_rated[NotRatedReason.ABSENT] == 4
    assert counts.not_rated[NotRatedReason.TRANSFERRED] == 0
    top = counts.share(HTXS) + counts.share(HTT)
    assert percent(top).vi == "91,2%"
    assert percent(counts.share(HT)).vi == "8,8%"
    assert percent(Fraction(604, counts.roster)).vi == "88,0%"


@pytest.mark.parametrize(
    "undecided",
    [
        entry("M1", votes=(4, 4, 1, 0)),  # a tie
        entry("M1", votes=(1, 2, 1, 0), blank=6),  # no level carried, even counting down
    ],
)
def test_undecided_members_are_counted_apart(undecided: Entry) -> None:
    ret = cell_return([*many("T", "HTTNV", 9), undecided])
    counts = rate_cell(ret, QD124, year=2024).counts
    # chưa xác định mức: neither rated at a level nor "not rated"
    assert (counts.roster, counts.rated, counts.undecided, sum(counts.levels)) == (10, 9, 1, 9)
    assert sum(counts.share(level) for level in LEVELS) == 1


def test_an_undecided_member_does_not_break_the_conditions_of_a_htxsnv_cell() -> None:
    entries = [*many("T", "HTTNV", 9), entry("M1", votes=(4, 4, 1, 0))]
    result = rate_cell(cell_return(entries, cell_votes="HTXSNV"), QD124, year=2024)
    assert [c.met for c in result.conditions] == [True, True]
    assert result.conditions[1].description == (
        "cần ít nhất 80% đảng viên được xếp loại đạt HTTNV trở lên, có 9/9 (100,0%)"
    )
    assert "cell-htxsnv-conditions-not-met" not in [i.code for i in result.issues]


# ---------------------------------------------------------------------------------------------
# The cell's own level


@pytest.mark.parametrize(
    ("kw", "level", "issues"),
    [
        ({"cell_votes": (0, 10, 0, 0)}, HTT, []),
        ({"cell_votes": (4, 6, 0, 0)}, HTT, []),
        ({"cell_votes": (5, 5, 0, 0)}, None, [("cell-vote-tie", W)]),
        ({"cell_votes": (3, 1, 0, 0)}, None, [("cell-vote-no-level-carried", W)]),
        # no vote on the cell: its self-assessed level stands
        ({"cell_votes": None, "cell_level": "HTTNV"}, HTT, []),
        ({"cell_votes": None}, None, [("cell-not-voted", W)]),
        (
            {"cell_votes": (0, 10, 0, 0), "cell_disciplined": True},
            KHT,
            [("cell-capped-by-discipline", E)],
        ),
    ],
)
def test_the_cells_own_level(
    kw: dict[str, object], level: RatingLevel | None, issues: list[tuple[str, Severity]]
) -> None:
    result = rate_cell(cell_return(many("T", "HTTNV", 10), **kw), QD124, year=2024)  # type: ignore[arg-type]
    assert result.proposed_level is level
    assert cell_codes(result) == issues


@pytest.mark.parametrize(
    ("score", "votes", "issues"),
    [
        (92.0, "HTXSNV", []),
        (80.0, "HTXSNV", [("cell-score-band-mismatch", W)]),
        (None, "HTTNV", [("cell-score-missing", E)]),
        (120.0, "HTTNV", [("cell-score-outside-scale", E)]),
    ],
)
def test_the_cells_own_score_under_qd366(
    score: float | None, votes: str, issues: list[tuple[str, Severity]]
) -> None:
    entries = [entry(f"T{i}", "HTTNV", self_score=80.0) for i in range(10)]
    ret = cell_return(entries, cell_votes=votes, cell_score=score, meeting_date=MEETING_DAY_2025)
    result = rate_cell(ret, QD366, year=2025)
    assert cell_codes(result) == issues


# ---------------------------------------------------------------------------------------------
# R16: member results a HTXSNV cell needs


@pytest.mark.parametrize(
    ("entries", "met"),
    [
        (many("T", "HTTNV", 10), (True, True)),
        # exactly 80% at HTTNV or above
        ([*many("T", "HTTNV", 8), *many("H", "HTNV", 2)], (True, True)),
        ([*many("T", "HTTNV", 7), *many("H", "HTNV", 3)], (True, False)),
        ([*many("T", "HTTNV", 9), *many("K", "KHTNV", 1)], (False, True)),
    ],
)
def test_member_result_conditions_for_a_htxsnv_cell(
    entries: list[Entry], met: tuple[bool, bool]
) -> None:
    result = rate_cell(cell_return(entries, cell_votes="HTXSNV"), QD124, year=2024)
    assert tuple(c.met for c in result.conditions) == met
    expected = [] if all(met) else [("cell-htxsnv-conditions-not-met", W)]
    assert cell_codes(result) == expected


def test_conditions_are_shown_but_not_flagged_for_a_httnv_cell() -> None:
    entries = [*many("T", "HTTNV", 7), *many("H", "HTNV", 3)]
    result = rate_cell(cell_return(entries, cell_votes="HTTNV"), QD124, year=2024)
    assert [c.met for c in result.conditions] == [True, False]
    assert result.conditions[1].description == (
        "cần ít nhất 80% đảng viên được xếp loại đạt HTTNV trở lên, có 7/10 (70,0%)"
    )
    assert cell_codes(result) == []


def test_conditions_follow_the_rulebook() -> None:
    rules = rules_with(2024, '[rules.cell-htxsnv-conditions]\nmin_httnv_share = "7/10"\n')
    entries = [*many("T", "HTTNV", 7), *many("H", "HTNV", 3)]
    result = rate_cell(cell_return(entries, cell_votes="HTXSNV"), rules, year=2024)
    assert cell_codes(result) == []
    rules = rules_with(2024, "[rules.cell-htxsnv-conditions]\nenabled = false\n")
    assert rate_cell(cell_return(entries, cell_votes="HTXSNV"), rules, year=2024).conditions == ()


# ---------------------------------------------------------------------------------------------
# The meeting


@pytest.mark.parametrize(
    ("present", "issues"),
    [
        (8, []),  # 8 of 12 is exactly 2/3
        (7, [("meeting-below-quorum", W)]),
    ],
)
def test_quorum(present: int, issues: list[tuple[str, Severity]]) -> None:
    ret = cell_return(many("T", "HTTNV", 12), present=present)
    result = rate_cell(ret, QD124, year=2024)
    assert [c for c in cell_codes(result) if c[0].startswith("meeting")] == issues


def test_quorum_can_be_an_error_or_off() -> None:
    ret = cell_return(many("T", "HTTNV", 12), present=7)
    rules = rules_with(2024, '[rules.quorum]\nseverity = "error"\nmin_share = 0.5\n')
    assert rate_cell(ret, rules, year=2024).issues == ()
    rules = rules_with(2024, '[rules.quorum]\nseverity = "error"\n')
    assert ("meeting-below-quorum", E) in cell_codes(rate_cell(ret, rules, year=2024))
    rules = rules_with(2024, "[rules.quorum]\nenabled = false\n")
    assert rate_cell(ret, rules, year=2024).issues == ()


@pytest.mark.parametrize(
    ("not_counted", "issues"),
    [
        (2, []),  # one exempt and one suspended official member, both left out: agreed
        (0, [("not-counted-disagrees", W)]),
        (3, [("not-counted-disagrees", W)]),  # e.g. one more on temporary activity elsewhere
    ],
)
def test_not_counted_is_compared_with_the_self_assessment(
    not_counted: int, issues: list[tuple[str, Severity]]
) -> None:
    entries = [
        *many("T", "HTTNV", 8),
        not_rated("E1", NotRatedReason.EXEMPT),
        not_rated("S1", NotRatedReason.SUSPENDED),
        not_rated("V1", NotRatedReason.ABSENT),  # absent is still convened
    ]
    ret = cell_return(entries, not_counted=not_counted, present=8)
    result = rate_cell(ret, QD124, year=2024)
    assert [c for c in cell_codes(result) if c[0] == "not-counted-disagrees"] == issues
    if issues:
        message = next(i.message for i in result.issues if i.code == "not-counted-disagrees")
        assert f"biên bản ghi {not_counted} đảng viên chính thức" in message
        assert "biểu mẫu tự đánh giá có 2 đảng viên chính thức" in message
        assert "(E1, S1)" in message


@pytest.mark.parametrize(
    ("held", "override", "issues"),
    [
        (date(2024, 12, 31), "", []),
        (date(2025, 1, 2), "", [("meeting-after-deadline", W)]),
        (date(2025, 1, 2), "next_year = true\nlast_month = 1\nlast_day = 15\n", []),
        (date(2023, 12, 20), "", [("meeting-before-rating-year", W)]),
    ],
)
def test_meeting_date(held: date, override: str, issues: list[tuple[str, Severity]]) -> None:
    rules = rules_with(2024, "[rules.meeting-date]\n" + override) if override else QD124
    result = rate_cell(cell_return(many("T", "HTTNV", 5), meeting_date=held), rules, year=2024)
    assert cell_codes(result) == issues


def test_the_deadline_is_written_the_vietnamese_way() -> None:
    result = rate_cell(
        cell_return(many("T", "HTTNV", 5), meeting_date=date(2025, 1, 2)), QD124, year=2024
    )
    assert "họp ngày 02/01/2025, sau thời hạn 31/12/2024" in result.issues[0].message
    assert "held on 2025-01-02, after the deadline of 2024-12-31" in result.issues[0].message_en


def test_votes_and_rows_for_someone_not_on_the_roster_are_errors() -> None:
    ret = cell_return(
        many("T", "HTTNV", 5),
        extra_tallies={"Z9": VoteTally("Z9", (0, 5, 0, 0))},
        extra_assessments={"Z8": SelfAssessment("Z8")},
    )
    result = rate_cell(ret, QD124, year=2024)
    assert [(i.code, i.value) for i in result.issues] == [
        ("tally-for-unknown-member", "Z9"),
        ("assessment-for-unknown-member", "Z8"),
    ]


def test_a_cell_missing_from_the_tree_decides_alone_with_a_warning() -> None:
    result = rate_cell(
        cell_return(many("T", "HTTNV", 5)), QD124, year=2024, tree=tree(unit("CB99"))
    )
    assert cell_codes(result) == [("cell-not-in-tree", W)]
    assert result.quota.deciding


# ---------------------------------------------------------------------------------------------
# Order does not matter


LEVEL_NAMES = [lv.value for lv in LEVELS]


@st.composite
def cells(draw: st.DrawFn) -> list[Entry]:
    n = draw(st.integers(1, 25))
    out: list[Entry] = []
    for i in range(n):
        kind = draw(st.sampled_from(["unanimous", "split", "not-rated", "capped"]))
        mid = f"M{i:02d}"
        if kind == "unanimous":
            out.append(entry(mid, draw(st.sampled_from(LEVEL_NAMES))))
        elif kind == "split":
            votes = tuple(draw(st.integers(0, 3)) for _ in range(4))
            out.append(entry(mid, votes=(votes[0], votes[1], votes[2], votes[3])))
        elif kind == "capped":
            out.append(
                entry(
                    mid,
                    "HTXSNV",
                    disciplined_in_year=draw(st.booleans()),
                    sick_leave_months=draw(st.sampled_from([0.0, 4.0])),
                )
            )
        else:
            out.append(not_rated(mid, draw(st.sampled_from(list(NotRatedReason)))))
    return out


def _by_member(result: CellResult) -> dict[str, object]:
    return {m.member.member_id: m for m in result.members}


@settings(max_examples=60, deadline=None)
@given(cells(), st.randoms(use_true_random=False), st.sampled_from(["error", "ranking"]))
def test_results_do_not_depend_on_member_order(
    entries: list[Entry], rnd: object, deciding: str
) -> None:
    rules = QD124 if deciding == "error" else RANKING
    forward = rate_cell(cell_return(entries), rules, year=2024)
    shuffled = list(entries)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    backward = rate_cell(cell_return(shuffled), rules, year=2024)
    assert _by_member(forward) == _by_member(backward)
    assert forward.counts == backward.counts
    assert forward.quota == backward.quota
    assert forward.issues == backward.issues
    assert forward.conditions == backward.conditions


@settings(max_examples=60, deadline=None)
@given(cells())
def test_every_member_is_counted_once(entries: list[Entry]) -> None:
    result = rate_cell(cell_return(entries), QD124, year=2024)
    c = result.counts
    assert sum(c.levels) + c.undecided + sum(c.not_rated.values()) == c.roster == len(entries)
    assert c.rated == sum(1 for m in result.members if m.rated and m.decided_level is not None)


RANKING = rules_with(2024, '[rules.quota]\ndeciding = "ranking"\nscope = "cell"\n')


def test_the_source_return_is_kept() -> None:
    ret = cell_return(many("T", "HTTNV", 3))
    result = rate_cell(ret, QD124, year=2024)
    assert result.source is ret
    assert replace(result, source=None).source is None
