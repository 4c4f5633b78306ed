"""Caps on a member's level: each names the rule that imposes it (R5–R7, R15, R17).

A cap is a ceiling, not a level: the proposal is the level the vote carried, lowered to the
lowest cap that applies. Every cap that actually lowers the vote becomes an issue with the
rule's own severity, so a district can make, say, the sick-leave cap an error.
"""

from __future__ import annotations

from toolkit.engine.context import Context
from toolkit.engine.explain import number, rule_ref
from toolkit.engine.issues import issue, member_name
from toolkit.model import Issue, Member, RatingLevel, SelfAssessment
from toolkit.results import CapApplied

_CODES = {
    "discipline-cap": "capped-by-discipline",
    "khtnv-grounds": "capped-by-khtnv-ground",
    "sick-leave-cap": "capped-by-sick-leave",
    "head-cap": "capped-by-head-rule",
}


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
