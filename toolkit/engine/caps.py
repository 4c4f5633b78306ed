"""Caps on a member's level: each names the rule that imposes it (R5–R7, R15, R17, N2, N4).

A cap is a ceiling, not a level: the proposal is the level the vote carried, lowered to the
lowest cap that applies. Every cap that actually lowers the vote becomes an issue with the
rule's own severity, so a district can make, say, the sick-leave cap an error.

Some facts lower nothing but still need a word: under QĐ 366 a disciplined member who owned up,
found and remedied the violation is for the competent level to decide (``review_issues``), and a
condition's figure given for a subject type it does not apply to is ignored, with a warning.
"""

from __future__ import annotations

from fractions import Fraction

from toolkit.engine.context import Context
from toolkit.engine.explain import Bilingual, number, rule_ref, threshold_percent
from toolkit.engine.issues import issue, member_name
from toolkit.model import Issue, Member, RatingLevel, Remedied, SelfAssessment, SubjectType
from toolkit.results import CapApplied

_CODES = {
    "discipline-cap": "capped-by-discipline",
    "khtnv-grounds": "capped-by-khtnv-ground",
    "sick-leave-cap": "capped-by-sick-leave",
    "head-cap": "capped-by-head-rule",
    "htxsnv-shortcomings": "capped-by-shortcomings",
    "khtnv-tasks-not-completed": "capped-by-tasks-not-completed",
    "khtnv-low-confidence": "capped-by-low-confidence",
}
#: the share-of-the-year conditions: rule → (the percentage's field, the types it applies to)
_SHARE_RULES: dict[str, tuple[str, frozenset[SubjectType]]] = {
    "khtnv-tasks-not-completed": (
        "tasks_not_completed_percent",
        frozenset({SubjectType.NO_POST, SubjectType.OUTSIDE}),
    ),
    "khtnv-low-confidence": ("low_confidence_percent", frozenset({SubjectType.LEADER})),
}
_SHARE_WORDS = {
    "khtnv-tasks-not-completed": Bilingual(
        "số nhiệm vụ trong năm không hoàn thành", "of the year's tasks not completed"
    ),
    "khtnv-low-confidence": Bilingual("phiếu tín nhiệm thấp", "low-confidence votes"),
}


def self_remedied_for_decision(a: SelfAssessment, ctx: Context) -> bool:
    """QĐ 366: disciplined, owned up, found and remedied: the competent level decides, the
    discipline cap does not apply by itself (under QĐ 124 the member is simply exempt)."""
    rule = ctx.active("discipline-cap")
    return bool(
        rule is not None
        and a.disciplined_in_year
        and a.self_detected_remedied
        and rule.params.get("self_remedied", "exempt") == "competent_level_decides"
        and not (a.discipline_counted_before and rule.params.get("counted_once", True))
    )


def _over_share(percent: float | None, share: Fraction) -> bool:
    return percent is not None and Fraction(str(percent)) > share * 100


def member_caps(member: Member, a: SelfAssessment, ctx: Context) -> tuple[CapApplied, ...]:
    """Every cap that applies to the member under the active rules, in rule order."""
    caps: list[CapApplied] = []
    rule = ctx.active("discipline-cap")
    # R6: a violation already rated KHTNV in an earlier year does not count again
    counted_before = a.discipline_counted_before and bool(
        rule is not None and rule.params.get("counted_once", True)
    )
    if rule and a.disciplined_in_year and not a.self_detected_remedied and not counted_before:
        caps.append(
            CapApplied(
                rule.code,
                RatingLevel.KHTNV,
                "bị xử lý kỷ luật trong năm",
                "disciplined during the year",
            )
        )
    rule = ctx.active("khtnv-grounds")
    if rule and a.other_khtnv_ground:
        caps.append(
            CapApplied(
                rule.code,
                RatingLevel.KHTNV,
                "có căn cứ xếp loại không hoàn thành nhiệm vụ",
                "there is a ground for non-completion of duties",
            )
        )
    rule = ctx.active("htxsnv-shortcomings")
    if rule and a.shortcomings_remedied is Remedied.NO:
        caps.append(
            CapApplied(
                rule.code,
                RatingLevel.HTTNV,
                "chưa khắc phục hết hạn chế, khuyết điểm được chỉ ra ở kỳ kiểm điểm trước",
                "the shortcomings named at the previous review are not all remedied",
            )
        )
    for code, (field, types) in _SHARE_RULES.items():
        rule = ctx.active(code)
        percent = getattr(a, field)
        if (
            rule
            and member.subject_type in types
            and _over_share(percent, rule.fraction("max_share"))
        ):
            shown, limit = number(percent), threshold_percent(rule.fraction("max_share"))
            words = _SHARE_WORDS[code]
            caps.append(
                CapApplied(
                    rule.code,
                    RatingLevel.KHTNV,
                    f"có {shown.vi}% {words.vi} (trên {limit.vi})",
                    f"{shown.en}% {words.en} (more than {limit.en})",
                )
            )
    rule = ctx.active("sick-leave-cap")
    # maternity leave is rated on the time actually worked (R17): it never caps
    if rule and a.sick_leave_months >= rule.params["months"]:
        months, limit = number(a.sick_leave_months), number(rule.params["months"])
        caps.append(
            CapApplied(
                rule.code,
                RatingLevel.HTNV,
                f"nghỉ ốm {months.vi} tháng trong năm (từ {limit.vi} tháng trở lên)",
                f"{months.en} months of sick leave in the year ({limit.en} or more)",
            )
        )
    rule = ctx.active("head-cap")
    cell_level = ctx.cell_level
    if rule and member.is_head and cell_level is not None and cell_level < RatingLevel.HTXSNV:
        caps.append(
            CapApplied(
                rule.code,
                cell_level,
                f"là người đứng đầu, không cao hơn mức của chi bộ ({cell_level.value})",
                f"the head may not be rated above the cell ({cell_level.value})",
            )
        )
    return tuple(caps)


def capped(level: RatingLevel, caps: tuple[CapApplied, ...]) -> RatingLevel:
    """``level`` lowered to the lowest cap."""
    return min((level, *(c.max_level for c in caps)))


def cap_issue(
    cap: CapApplied, member: Member, a: SelfAssessment, voted: RatingLevel, ctx: Context
) -> Issue:
    """The issue for a cap that lowered ``voted``, with the rule's severity."""
    rule = ctx.rule(cap.rule_code)
    extra: dict[str, object] = {}
    if cap.rule_code == "sick-leave-cap":
        extra = {"months": number(a.sick_leave_months), "limit": number(rule.params["months"])}
    elif cap.rule_code == "head-cap":
        extra = {"cell_level": cap.max_level.value}
    elif cap.rule_code in _SHARE_RULES:
        percent = getattr(a, _SHARE_RULES[cap.rule_code][0])
        extra = {"percent": number(percent), "limit": threshold_percent(rule.fraction("max_share"))}
    return issue(
        _CODES[cap.rule_code],
        unit_code=ctx.cell.code,
        member_id=member.member_id,
        value=voted.value,
        severity=rule.severity,
        name=member_name(member),
        rule=rule_ref(rule),
        extra=extra,
    )


def review_issues(member: Member, a: SelfAssessment, ctx: Context) -> list[Issue]:
    """What lowers nothing but needs a word: a self-remedied discipline left to the competent
    level (QĐ 366), and a condition's figure given for a type it does not apply to."""
    found: list[Issue] = []
    if self_remedied_for_decision(a, ctx):
        discipline = ctx.rule("discipline-cap")
        found.append(
            issue(
                "discipline-remedied-for-decision",
                unit_code=ctx.cell.code,
                member_id=member.member_id,
                name=member_name(member),
                rule=rule_ref(discipline),
            )
        )
    for code, (field, types) in _SHARE_RULES.items():
        rule = ctx.active(code)
        percent = getattr(a, field)
        if rule is None or percent is None or member.subject_type in types:
            continue
        found.append(
            issue(
                "condition-not-for-subject-type",
                unit_code=ctx.cell.code,
                member_id=member.member_id,
                value=number(percent).en,
                name=member_name(member),
                subject=Bilingual(member.subject_type.label, member.subject_type.english),
                what=_SHARE_WORDS[code],
                rule=rule_ref(rule),
            )
        )
    return found
