"""What the 2025 texts changed (issue 11): leave (HD 43 §7.5), a self-remedied discipline
(QĐ 366 Điều 11 khoản 4), the HTXSNV and KHTNV conditions by subject type (Điều 11), each
against the same case under QĐ 124, which keeps its behaviour."""

from __future__ import annotations

import pytest
from test_engine_builders import QD124, QD366, Entry, entry, rules_with
from test_engine_members import codes, rate_one

from toolkit.model import LEVELS, RatingLevel, Remedied, Severity, SubjectType
from toolkit.rulebook import RuleSet

HTXS, HTT, HT, KHT = LEVELS
E, W = Severity.ERROR, Severity.WARNING
LEADER, NO_POST, OUTSIDE = SubjectType.LEADER, SubjectType.NO_POST, SubjectType.OUTSIDE
#: a self-score in the band of each level voted, so the score check says nothing
SCORE = {"HTXSNV": 95.0, "HTTNV": 80.0, "HTNV": 60.0, "KHTNV": 40.0}


def scored(member_id: str, voted: str, **kw: object) -> Entry:
    """A member voted ``voted`` unanimously, with a self-score in that level's band."""
    return entry(member_id, voted, self_score=SCORE[voted], **kw)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------------
# Sick and maternity leave (HD 43 §7.5): no cap under QD366, the QD124 cap unchanged


@pytest.mark.parametrize(
    ("rules", "leave", "voted", "proposed", "issues"),
    [
        (QD124, {"sick_leave_months": 3.0}, "HTXSNV", HT, [("capped-by-sick-leave", W)]),
        (QD124, {"sick_leave_months": 4.5}, "HTTNV", HT, [("capped-by-sick-leave", W)]),
        (QD366, {"sick_leave_months": 3.0}, "HTXSNV", HTXS, []),
        (QD366, {"sick_leave_months": 4.5}, "HTTNV", HTT, []),
        (QD366, {"sick_leave_months": 12.0}, "HTTNV", HTT, []),
        (QD366, {"maternity_leave_months": 6.0}, "HTXSNV", HTXS, []),
    ],
    ids=["qd124-3", "qd124-4.5", "qd366-3", "qd366-4.5", "qd366-12", "qd366-maternity"],
)
def test_leave_caps_only_under_qd124(
    rules: RuleSet,
    leave: dict[str, float],
    voted: str,
    proposed: RatingLevel,
    issues: list[tuple[str, Severity]],
) -> None:
    m = rate_one(scored("M1", voted, **leave), rules)
    assert m.proposed_level is proposed
    assert codes(m) == issues
    assert [c.rule_code for c in m.caps] == (["sick-leave-cap"] if rules is QD124 else [])


@pytest.mark.parametrize(
    ("leave", "vi", "en"),
    [
        (
            {"sick_leave_months": 4.5},
            " Trong năm nghỉ ốm 4,5 tháng: xếp loại căn cứ kết quả làm việc thực tế, không giới "
            "hạn mức (HD 43-HD/BTCTW mục 7.5).",
            " 4.5 months of sick leave in the year: rated on the work actually done, no cap "
            "(HD 43-HD/BTCTW mục 7.5).",
        ),
        (
            {"sick_leave_months": 1.0, "maternity_leave_months": 6.0},
            " Trong năm nghỉ ốm 1 tháng, nghỉ thai sản 6 tháng: xếp loại căn cứ kết quả làm việc "
            "thực tế, không giới hạn mức (HD 43-HD/BTCTW mục 7.5).",
            " 1 months of sick leave, 6 months of maternity leave in the year: rated on the work "
            "actually done, no cap (HD 43-HD/BTCTW mục 7.5).",
        ),
        (
            {"sick_leave_months": 2.0},
            " Trong năm nghỉ ốm 2 tháng (ghi để tham khảo).",
            " 2 months of sick leave in the year (for information).",
        ),
    ],
)
def test_under_qd366_the_leave_months_stay_in_the_explanation(
    leave: dict[str, float], vi: str, en: str
) -> None:
    m = rate_one(scored("M1", "HTTNV", **leave), QD366)
    assert m.explanation.startswith("Đề xuất HTTNV: ") and m.explanation.endswith(vi)
    assert m.explanation_en.endswith(en)
    assert m.assessment is not None
    assert m.assessment.sick_leave_months == leave["sick_leave_months"]


def test_a_qd366_member_without_leave_gets_no_leave_note() -> None:
    m = rate_one(scored("M1", "HTTNV"), QD366)
    assert "nghỉ" not in m.explanation and m.issues == ()


# ---------------------------------------------------------------------------------------------
# Discipline (QĐ 366 Điều 11 khoản 4): self-remedied is for the competent level to decide


@pytest.mark.parametrize(
    ("rules", "flags", "proposed", "issues"),
    [
        # QD124: the exemption stays
        (QD124, {"self_detected_remedied": True}, HTT, []),
        (QD124, {}, KHT, [("capped-by-discipline", E)]),
        # QD366: no automatic exemption; the voted level stays, the competent level decides
        (QD366, {"self_detected_remedied": True}, HTT, [("discipline-remedied-for-decision", W)]),
        (QD366, {}, KHT, [("capped-by-discipline", E)]),
        # counted in an earlier year: nothing left to decide (R6)
        (QD366, {"self_detected_remedied": True, "discipline_counted_before": True}, HTT, []),
        # another ground still lowers the proposal; the decision is still asked for
        (
            QD366,
            {"self_detected_remedied": True, "tasks_not_completed_percent": 60.0},
            KHT,
            [("capped-by-tasks-not-completed", E), ("discipline-remedied-for-decision", W)],
        ),
    ],
    ids=[
        "qd124-remedied",
        "qd124",
        "qd366-remedied",
        "qd366",
        "qd366-counted-before",
        "qd366-remedied-and-another-ground",
    ],
)
def test_a_self_remedied_discipline(
    rules: RuleSet,
    flags: dict[str, object],
    proposed: RatingLevel,
    issues: list[tuple[str, Severity]],
) -> None:
    m = rate_one(scored("M1", "HTTNV", disciplined_in_year=True, **flags), rules)
    assert m.proposed_level is proposed and m.decided_level is proposed
    assert codes(m) == issues


def test_the_decision_issue_and_the_explanation_name_the_competent_level() -> None:
    m = rate_one(
        scored("M1", "HTTNV", disciplined_in_year=True, self_detected_remedied=True), QD366
    )
    (found,) = m.issues
    assert "cấp có thẩm quyền xem xét, quyết định" in found.message
    assert "quy tắc discipline-cap, QĐ 366-QĐ/TW Điều 11 khoản 4" in found.message
    assert m.explanation.endswith(
        " Bị kỷ luật trong năm nhưng đã tự giác nhận lỗi, tự phát hiện và khắc phục xong hậu "
        "quả: kỷ luật không tự hạ mức đề xuất, cấp có thẩm quyền xem xét, quyết định "
        "(QĐ 366-QĐ/TW Điều 11 khoản 4)."
    )


def test_a_district_may_keep_the_exemption_by_its_rules_file() -> None:
    rules = rules_with(2025, '[rules.discipline-cap]\nself_remedied = "exempt"\n')
    m = rate_one(
        scored("M1", "HTTNV", disciplined_in_year=True, self_detected_remedied=True), rules
    )
    assert m.proposed_level is HTT and m.issues == ()


# ---------------------------------------------------------------------------------------------
# The conditions of QĐ 366 Điều 11, by subject type


@pytest.mark.parametrize(
    ("subject", "given", "voted", "proposed", "issues"),
    [
        # shortcomings of the previous review: HTXSNV needs them all remedied (any type)
        (NO_POST, {"shortcomings_remedied": Remedied.NO}, "HTXSNV", HTT,
         [("capped-by-shortcomings", E)]),
        (LEADER, {"shortcomings_remedied": Remedied.NO}, "HTXSNV", HTT,
         [("capped-by-shortcomings", E)]),
        (NO_POST, {"shortcomings_remedied": Remedied.NO}, "HTTNV", HTT, []),
        (NO_POST, {"shortcomings_remedied": Remedied.YES}, "HTXSNV", HTXS, []),
        (NO_POST, {"shortcomings_remedied": Remedied.NOT_APPLICABLE}, "HTXSNV", HTXS, []),
        (NO_POST, {}, "HTXSNV", HTXS, []),  # not stated (a version-1 file): no cap
        # more than 50 % of the year's tasks not completed: KHTNV for 2B and 2C
        (NO_POST, {"tasks_not_completed_percent": 60.0}, "HTTNV", KHT,
         [("capped-by-tasks-not-completed", E)]),
        (OUTSIDE, {"tasks_not_completed_percent": 50.5}, "HTNV", KHT,
         [("capped-by-tasks-not-completed", E)]),
        (NO_POST, {"tasks_not_completed_percent": 50.0}, "HTTNV", HTT, []),  # not more than
        (LEADER, {"tasks_not_completed_percent": 60.0}, "HTTNV", HTT,
         [("condition-not-for-subject-type", W)]),
        # more than 50 % low-confidence votes: KHTNV for 2A
        (LEADER, {"low_confidence_percent": 55.0}, "HTTNV", KHT,
         [("capped-by-low-confidence", E)]),
        (LEADER, {"low_confidence_percent": 50.0}, "HTTNV", HTT, []),
        (NO_POST, {"low_confidence_percent": 80.0}, "HTTNV", HTT,
         [("condition-not-for-subject-type", W)]),
        (OUTSIDE, {"low_confidence_percent": 80.0}, "HTTNV", HTT,
         [("condition-not-for-subject-type", W)]),
    ],
)  # fmt: skip
def test_the_conditions_of_article_11_by_subject_type(
    subject: SubjectType,
    given: dict[str, object],
    voted: str,
    proposed: RatingLevel,
    issues: list[tuple[str, Severity]],
) -> None:
    m = rate_one(scored("M1", voted, subject=subject, **given), QD366)
    assert m.proposed_level is proposed
    assert codes(m) == issues


@pytest.mark.parametrize(
    "given",
    [
        {"shortcomings_remedied": Remedied.NO},
        {"tasks_not_completed_percent": 90.0},
        {"low_confidence_percent": 90.0},
    ],
)
def test_qd124_has_none_of_the_2025_conditions(given: dict[str, object]) -> None:
    subject = LEADER if "low_confidence_percent" in given else NO_POST
    m = rate_one(entry("M1", "HTXSNV", subject=subject, **given), QD124)  # type: ignore[arg-type]
    assert m.proposed_level is HTXS and m.issues == ()


def test_a_condition_issue_says_the_share_and_the_rule() -> None:
    m = rate_one(scored("M1", "HTTNV", subject=LEADER, low_confidence_percent=62.5), QD366)
    (found,) = m.issues
    assert "62,5% phiếu tín nhiệm thấp (trên 50%)" in found.message
    assert "62.5% low-confidence votes (more than 50%)" in found.message_en
    assert "khtnv-low-confidence, QĐ 366-QĐ/TW Điều 11 khoản 4" in found.message
    assert m.explanation.endswith("hạ xuống KHTNV vì có 62,5% phiếu tín nhiệm thấp (trên 50%).")


def test_a_district_may_move_the_share() -> None:
    rules = rules_with(2025, '[rules.khtnv-tasks-not-completed]\nmax_share = "2/5"\n')
    m = rate_one(scored("M1", "HTTNV", tasks_not_completed_percent=45.0), rules)
    assert m.proposed_level is KHT
