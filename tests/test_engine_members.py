"""One member's result: who is rated (R3, R18), caps (R5–R7, R15, R17), scores (R22), and the
one-line explanation."""

from __future__ import annotations

import math
from datetime import date

import pytest
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
)

from toolkit.engine import rate_cell
from toolkit.engine.members import add_months
from toolkit.model import LEVELS, Location, NotRatedReason, RatingLevel, Severity
from toolkit.results import MemberResult
from toolkit.rulebook import RuleSet

HTXS, HTT, HT, KHT = LEVELS
E, W = Severity.ERROR, Severity.WARNING


def rate_one(e: Entry, rules: RuleSet = QD124, others: int = 9, **kw: object) -> MemberResult:
    """Rate ``e`` in a cell with ``others`` members voted HTTNV; return e's result."""
    year = 2024 if rules.code == "QD124" else 2025
    if year == 2025:
        kw.setdefault("meeting_date", MEETING_DAY_2025)
    ret = cell_return([*many("A", "HTTNV", others), e], **kw)  # type: ignore[arg-type]
    result = rate_cell(ret, rules, year=year)
    assert not [i for i in result.issues if i.code.startswith("meeting-")]
    return next(m for m in result.members if m.member.member_id == e.member_id)


def codes(m: MemberResult) -> list[tuple[str, Severity]]:
    return [(i.code, i.severity) for i in m.issues]


# ---------------------------------------------------------------------------------------------
# Who is rated


@pytest.mark.parametrize(
    ("given", "value"),
    [
        ({"self_level": HTT}, "HTTNV"),
        ({"committee_proposal": HTXS}, "HTXSNV"),
        ({"self_score": 80.0}, "80"),
        ({"votes": (0, 10, 0, 0)}, "10"),
    ],
)
@pytest.mark.parametrize(
    "reason", [NotRatedReason.EXEMPT, NotRatedReason.SUSPENDED, NotRatedReason.NEW_MEMBER]
)
def test_anything_given_to_a_member_who_must_not_be_rated_is_an_error(
    reason: NotRatedReason, given: dict[str, object], value: str
) -> None:
    m = rate_one(not_rated("X1", reason, **given))
    assert codes(m) == [("excluded-member-rated", E)]
    issue = m.issues[0]
    assert (issue.unit_code, issue.member_id, issue.value) == ("CB01", "X1", value)
    assert issue.location == Location()
    assert reason.label.lower() in issue.message
    assert not m.rated and m.vote is None and m.proposed_level is None and m.decided_level is None


def test_blank_ballots_for_an_excluded_member_are_not_a_rating() -> None:
    m = rate_one(not_rated("X1", NotRatedReason.EXEMPT, votes=(0, 0, 0, 0)))
    assert m.issues == ()
    assert m.explanation == "Không kiểm điểm, xếp loại: miễn công tác và sinh hoạt đảng."
    assert m.explanation_en == "Neither reviewed nor rated: exempt from work and activities."


@pytest.mark.parametrize(
    ("reason", "explanation"),
    [
        (
            NotRatedReason.ABSENT,
            "Chưa đánh giá: vắng mặt tại hội nghị, cần đánh giá, xếp loại ngay khi có thể.",
        ),
        (NotRatedReason.TRANSFERRED, "Không xếp loại tại chi bộ: chuyển sinh hoạt đi."),
        (NotRatedReason.DECEASED, "Không xếp loại tại chi bộ: từ trần."),
    ],
)
def test_absent_transferred_deceased_are_not_rated_and_counted_by_reason(
    reason: NotRatedReason, explanation: str
) -> None:
    ret = cell_return([*many("A", "HTTNV", 9), not_rated("X1", reason)])
    result = rate_cell(ret, QD124, year=2024)
    m = result.members[-1]
    assert m.explanation == explanation and m.issues == ()
    assert result.counts.not_rated[reason] == 1
    assert result.counts.rated == 9 and result.counts.roster == 10


def test_votes_for_an_absent_member_are_a_warning_and_not_counted() -> None:
    ret = cell_return(
        [*many("A", "HTTNV", 9), not_rated("X1", NotRatedReason.ABSENT, votes=(0, 9, 0, 0))]
    )
    result = rate_cell(ret, QD124, year=2024)
    m = result.members[-1]
    assert codes(m) == [("not-rated-member-voted", W)]
    assert result.counts.count(HTT) == 9


@pytest.mark.parametrize(
    ("admitted", "flagged"),
    [
        (date(2024, 5, 25), False),  # exactly six months before the meeting on 25/11/2024
        (date(2024, 5, 26), True),
        (date(2024, 9, 1), True),
        (date(2020, 3, 3), False),
    ],
)
def test_a_member_admitted_under_six_months_before_the_meeting_must_not_be_rated(
    admitted: date, flagged: bool
) -> None:
    m = rate_one(entry("N1", "HTTNV", probationary=True, admitted=admitted))
    assert (("new-member-rated", E) in codes(m)) is flagged
    if flagged:
        assert "25/11/2024" in m.issues[0].message and "6 tháng" in m.issues[0].message


def test_without_a_meeting_date_the_six_months_run_to_the_end_of_the_year() -> None:
    m = rate_one(entry("N1", "HTTNV", admitted=date(2024, 7, 1)), meeting_date=None)
    assert codes(m) == [("new-member-rated", E)]
    m = rate_one(entry("N1", "HTTNV", admitted=date(2024, 6, 30)), meeting_date=None)
    assert codes(m) == []


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (date(2024, 5, 25), 6, date(2024, 11, 25)),
        (date(2024, 8, 31), 6, date(2025, 2, 28)),
        (date(2023, 8, 31), 6, date(2024, 2, 29)),
        (date(2024, 12, 1), 1, date(2025, 1, 1)),
    ],
)
def test_add_months(start: date, months: int, end: date) -> None:
    assert add_months(start, months) == end


def test_a_rated_member_without_votes_is_an_error() -> None:
    m = rate_one(entry("M1", voted=False))
    assert codes(m) == [("member-not-voted", E)]
    assert m.proposed_level is None
    assert m.explanation == "Chưa có mức đề xuất: không có kết quả biểu quyết cho đảng viên này."


# ---------------------------------------------------------------------------------------------
# Caps


@pytest.mark.parametrize(
    ("flags", "voted", "proposed", "issues"),
    [
        ({"disciplined_in_year": True}, "HTTNV", KHT, [("capped-by-discipline", E)]),
        ({"disciplined_in_year": True}, "HTXSNV", KHT, [("capped-by-discipline", E)]),
        ({"disciplined_in_year": True}, "KHTNV", KHT, []),
        ({"disciplined_in_year": True, "self_detected_remedied": True}, "HTTNV", HTT, []),
        # R6: already rated KHTNV for the same violation in an earlier year
        ({"disciplined_in_year": True, "discipline_counted_before": True}, "HTTNV", HTT, []),
        ({"other_khtnv_ground": True}, "HTNV", KHT, [("capped-by-khtnv-ground", E)]),
        ({"sick_leave_months": 3.0}, "HTXSNV", HT, [("capped-by-sick-leave", W)]),
        ({"sick_leave_months": 4.5}, "HTTNV", HT, [("capped-by-sick-leave", W)]),
        ({"sick_leave_months": 2.5}, "HTTNV", HTT, []),
        ({"sick_leave_months": 3.0}, "HTNV", HT, []),
        # maternity leave is not sick leave (R17)
        ({"maternity_leave_months": 6.0}, "HTXSNV", HTXS, []),
        (
            {"disciplined_in_year": True, "sick_leave_months": 5.0},
            "HTTNV",
            KHT,
            [("capped-by-discipline", E), ("capped-by-sick-leave", W)],
        ),
    ],
)
def test_caps(
    flags: dict[str, object], voted: str, proposed: RatingLevel, issues: list[tuple[str, Severity]]
) -> None:
    m = rate_one(entry("M1", voted, **flags))
    assert m.proposed_level is proposed and m.decided_level is proposed
    assert codes(m) == issues
    assert all(i.member_id == "M1" and i.unit_code == "CB01" for i in m.issues)


def test_a_cap_names_its_rule_and_explains_the_lowering() -> None:
    m = rate_one(entry("M1", "HTTNV", disciplined_in_year=True))
    assert [c.rule_code for c in m.caps] == ["discipline-cap"]
    assert "discipline-cap" in m.issues[0].message
    assert m.explanation == (
        "Đề xuất KHTNV: biểu quyết được HTTNV (10/10 phiếu (100,0%) trên 10 đảng viên chính "
        "thức được triệu tập, vượt ngưỡng 50%), hạ xuống KHTNV vì bị xử lý kỷ luật trong năm."
    )
    assert m.explanation_en == (
        "Proposed KHTNV: the vote carried HTTNV (10/10 votes (100.0%) of 10 official members "
        "convened, above the 50% threshold), lowered to KHTNV because disciplined during the year."
    )


def test_one_violation_counts_once_only_while_the_rule_says_so() -> None:
    rules = rules_with(2024, "[rules.discipline-cap]\ncounted_once = false\n")
    m = rate_one(
        entry("M1", "HTTNV", disciplined_in_year=True, discipline_counted_before=True), rules
    )
    assert m.proposed_level is KHT


def test_a_cap_switched_off_does_not_apply() -> None:
    rules = rules_with(2024, "[rules.sick-leave-cap]\nenabled = false\n")
    m = rate_one(entry("M1", "HTTNV", sick_leave_months=6.0), rules)
    assert m.proposed_level is HTT and m.caps == () and m.issues == ()


def test_a_cap_takes_the_severity_and_the_months_of_the_override() -> None:
    rules = rules_with(2024, '[rules.sick-leave-cap]\nseverity = "error"\nmonths = 2\n')
    m = rate_one(entry("M1", "HTTNV", sick_leave_months=2.0), rules)
    assert codes(m) == [("capped-by-sick-leave", E)]
    assert "nghỉ ốm 2 tháng trong năm (từ 2 tháng trở lên" in m.issues[0].message


@pytest.mark.parametrize(
    ("cell_votes", "voted", "proposed", "issues"),
    [
        ((0, 10, 0, 0), "HTXSNV", HTT, [("capped-by-head-rule", W)]),
        ((0, 10, 0, 0), "HTTNV", HTT, []),
        ((10, 0, 0, 0), "HTXSNV", HTXS, []),
        ((0, 0, 10, 0), "HTTNV", HT, [("capped-by-head-rule", W)]),
        # the cell's vote is a tie: no level to cap the head with
        ((5, 5, 0, 0), "HTXSNV", HTXS, []),
    ],
)
def test_the_head_is_not_rated_above_the_cell(
    cell_votes: tuple[int, int, int, int],
    voted: str,
    proposed: RatingLevel,
    issues: list[tuple[str, Severity]],
) -> None:
    m = rate_one(entry("B1", voted, head=True), cell_votes=cell_votes)
    assert m.proposed_level is proposed
    assert codes(m) == issues


# ---------------------------------------------------------------------------------------------
# Scores (QĐ 366)


@pytest.mark.parametrize(
    ("score", "voted", "issues"),
    [
        (95.0, "HTXSNV", []),
        (90.0, "HTXSNV", []),
        (89.99, "HTTNV", []),
        (70.0, "HTTNV", []),
        (69.5, "HTNV", []),
        (50.0, "HTNV", []),
        (49.9, "KHTNV", []),
        (0.0, "KHTNV", []),
        (100.0, "HTXSNV", []),
        (85.0, "HTXSNV", [("member-score-band-mismatch", W)]),
        # below the band: information in the explanation, not an issue (direction = "above")
        (90.0, "HTTNV", []),
        (49.9, "HTNV", [("member-score-band-mismatch", W)]),
        (None, "HTTNV", [("member-score-missing", E)]),
        (100.5, "HTXSNV", [("member-score-outside-scale", E)]),
        (-1.0, "KHTNV", [("member-score-outside-scale", E)]),
        (math.nan, "HTTNV", [("member-score-outside-scale", E)]),
    ],
)
def test_scores_under_qd366(
    score: float | None, voted: str, issues: list[tuple[str, Severity]]
) -> None:
    m = rate_one(entry("M1", voted, self_score=score), QD366, cell_score=80.0)
    assert codes(m) == issues


@pytest.mark.parametrize(
    ("direction", "issues"),
    [("above", []), ("both", [("member-score-band-mismatch", W)])],
)
def test_a_vote_below_the_score_band_is_information_unless_both_ways(
    direction: str, issues: list[tuple[str, Severity]]
) -> None:
    rules = rules_with(2025, f'[rules.score-bands]\ndirection = "{direction}"\n')
    m = rate_one(entry("M1", "HTTNV", self_score=92.0), rules, cell_score=80.0)
    assert codes(m) == issues
    note = "Điểm tự chấm 92 thuộc khung HTXSNV, cao hơn mức biểu quyết HTTNV (chỉ ghi để biết)."
    assert m.explanation.endswith(note) is (direction == "above")
    above = rate_one(entry("M2", "HTXSNV", self_score=75.0), rules, cell_score=80.0)
    assert codes(above) == [("member-score-band-mismatch", W)]  # above the band: both ways


def test_band_mismatch_names_the_band_in_both_languages() -> None:
    m = rate_one(entry("M1", "HTXSNV", self_score=85.5), QD366, cell_score=80.0)
    assert m.issues[0].message.startswith(
        "Đảng viên Nguyễn Văn M1 (M1): điểm 85,5 thuộc khung HTTNV (từ 70 đến dưới 90) nhưng "
        "biểu quyết HTXSNV"
    )
    assert "the score 85.5 falls in the HTTNV band (70 to under 90)" in m.issues[0].message_en


def test_scores_are_not_checked_under_qd124() -> None:
    assert rate_one(entry("M1", "HTXSNV", self_score=10.0)).issues == ()
    assert rate_one(entry("M1", "HTXSNV")).issues == ()


def test_a_district_may_make_scores_optional() -> None:
    rules = rules_with(2025, "[rules.score-bands]\nrequired = false\n")
    assert rate_one(entry("M1", "HTTNV"), rules, cell_score=80.0).issues == ()


# ---------------------------------------------------------------------------------------------
# Explanations


@pytest.mark.parametrize(
    ("e", "kw", "explanation"),
    [
        (
            entry("M1", votes=(0, 9, 3, 0)),
            {"official_total": 12},
            "Đề xuất HTTNV: 9/12 phiếu (75,0%) trên 12 đảng viên chính thức được triệu tập, "
            "vượt ngưỡng 50%.",
        ),
        (
            entry("M1", votes=(2, 5, 3, 0)),
            {"official_total": 12},
            "Đề xuất HTTNV: không mức nào vượt ngưỡng 50% riêng lẻ; cộng dồn từ HTXSNV xuống "
            "HTTNV được 7/12 phiếu (58,3%) trên 12 đảng viên chính thức được triệu tập.",
        ),
    ],
)
def test_explanation_vietnamese(e: Entry, kw: dict[str, object], explanation: str) -> None:
    m = rate_one(e, others=11, **kw)
    assert m.explanation == explanation


def test_explanation_english() -> None:
    m = rate_one(entry("M1", votes=(0, 9, 3, 0)), others=11, official_total=12)
    assert m.explanation_en == (
        "Proposed HTTNV: 9/12 votes (75.0%) of 12 official members convened, above the 50% "
        "threshold."
    )


def test_explanation_follows_the_denominator_and_threshold_of_the_rulebook() -> None:
    rules = rules_with(
        2024, '[rules.vote-majority]\ndenominator = "present_official"\nthreshold = "2/3"\n'
    )
    m = rate_one(entry("M1", votes=(0, 8, 1, 0)), rules, official_total=12, present=9)
    assert m.explanation == (
        "Đề xuất HTTNV: 8/9 phiếu (88,9%) trên 9 đảng viên chính thức có mặt, vượt ngưỡng 66,7%."
    )
