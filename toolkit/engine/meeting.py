"""Checks on the rating meeting as a whole: denominator, quorum, date, and the vote counts that
cannot be right (more votes than voters), reported once per cell rather than once per member."""

from __future__ import annotations

import math
from collections.abc import Sequence

from toolkit.engine.context import Context, make_context
from toolkit.engine.explain import basis, day, rule_ref, threshold_percent
from toolkit.engine.issues import issue, member_name
from toolkit.model import CellReturn, Issue, Meeting, Membership, NotRatedReason, OrgUnit
from toolkit.results import MemberResult
from toolkit.rulebook import RuleSet

#: how many members an aggregated issue names before "…"
_EXAMPLES = 3


def check_meeting(
    cell: OrgUnit, meeting: Meeting, rules: RuleSet, *, year: int, has_votes: bool
) -> list[Issue]:
    """The checks of ``meeting_issues`` for a cell that cannot be rated (its self-assessment
    has errors): its secretary learns of a late or inquorate meeting in the same round."""
    return meeting_issues(make_context(cell, meeting, rules, year), has_votes)


def meeting_issues(ctx: Context, has_votes: bool) -> list[Issue]:
    """Denominator, quorum (R12) and date (R20) of the meeting of ``ctx``'s cell."""
    issues: list[Issue] = []
    m, code = ctx.meeting, ctx.cell.code
    if has_votes and ctx.denominator <= 0:
        issues.append(
            issue(
                "vote-denominator-zero",
                unit_code=code,
                value=ctx.denominator,
                cell=ctx.cell_label,
                basis=basis(ctx.vote.denominator),
            )
        )
    rule = ctx.active("quorum")
    if rule is not None:
        convened = m.convened_official_adjusted
        if convened <= 0:
            issues.append(
                issue(
                    "meeting-quorum-unknown",
                    unit_code=code,
                    value=convened,
                    severity=rule.severity,
                    cell=ctx.cell_label,
                    rule=rule_ref(rule),
                )
            )
        else:
            share = rule.fraction("min_share")
            needed = math.ceil(share * convened)
            if m.present_official < needed:
                issues.append(
                    issue(
                        "meeting-below-quorum",
                        unit_code=code,
                        value=m.present_official,
                        severity=rule.severity,
                        cell=ctx.cell_label,
                        present=m.present_official,
                        convened=convened,
                        needed=needed,
                        share=threshold_percent(share),
                        rule=rule_ref(rule),
                    )
                )
    rule = ctx.active("meeting-date")
    held = m.meeting_date
    if rule is not None and held is not None:
        deadline = ctx.rules.meeting_deadline(ctx.year)
        if deadline is not None and held > deadline:
            issues.append(
                issue(
                    "meeting-after-deadline",
                    unit_code=code,
                    value=held.isoformat(),
                    severity=rule.severity,
                    cell=ctx.cell_label,
                    held=day(held),
                    deadline=day(deadline),
                    rule=rule_ref(rule),
                )
            )
        elif held.year < ctx.year:
            issues.append(
                issue(
                    "meeting-before-rating-year",
                    unit_code=code,
                    value=held.isoformat(),
                    severity=rule.severity,
                    cell=ctx.cell_label,
                    held=day(held),
                    year=ctx.year,
                )
            )
    return issues


def vote_count_issues(members: Sequence[MemberResult], ctx: Context) -> list[Issue]:
    """Tallies with more votes than official members present (R11) or than the denominator."""
    issues: list[Issue] = []
    present = ctx.meeting.present_official
    voted = sorted(
        (m for m in members if m.tally is not None and m.vote is not None),
        key=lambda m: m.member.member_id,
    )
    rule = ctx.active("probationary-no-vote")
    too_many = [m for m in voted if m.tally is not None and m.tally.total > present]
    if rule is not None and too_many:
        issues.append(
            issue(
                "votes-exceed-voters",
                unit_code=ctx.cell.code,
                value=max(m.tally.total for m in too_many if m.tally is not None),
                severity=rule.severity,
                cell=ctx.cell_label,
                count=len(too_many),
                present=present,
                examples=_examples(too_many),
                rule=rule_ref(rule),
            )
        )
    d = ctx.denominator
    flagged = {m.member.member_id for m in too_many} if rule is not None else set()
    over = [
        m
        for m in voted
        if d > 0 and m.tally is not None and m.tally.total > d and m.member.member_id not in flagged
    ]
    if over:
        issues.append(
            issue(
                "votes-exceed-denominator",
                unit_code=ctx.cell.code,
                value=max(m.tally.total for m in over if m.tally is not None),
                cell=ctx.cell_label,
                count=len(over),
                denominator=d,
                basis=basis(ctx.vote.denominator),
                examples=_examples(over),
            )
        )
    return issues


#: reasons in the self-assessment that take an official member out of the convened count
_NOT_CONVENED = (NotRatedReason.EXEMPT, NotRatedReason.SUSPENDED)


def not_counted_issues(ret: CellReturn, ctx: Context) -> list[Issue]:
    """The ballot form's "not counted as convened" against the self-assessment (R12).

    The self-assessment names the official members who are exempt or suspended; the ballot
    form counts those not convened (exempt and absent, suspended, on temporary activity
    elsewhere). The two need not agree (an exempt member may attend), but a difference changes
    the denominator, so it is shown with both numbers. Nothing to compare without a meeting.
    """
    m = ctx.meeting
    if m.official_total <= 0:
        return []
    listed = sorted(
        member.member_id
        for member in ret.members
        if member.membership is Membership.OFFICIAL
        and (a := ret.assessments.get(member.member_id)) is not None
        and a.not_rated_reason in _NOT_CONVENED
    )
    if len(listed) == m.official_not_counted:
        return []
    return [
        issue(
            "not-counted-disagrees",
            unit_code=ctx.cell.code,
            value=m.official_not_counted,
            cell=ctx.cell_label,
            typed=m.official_not_counted,
            listed=len(listed),
            names=", ".join(listed) if listed else "—",
        )
    ]


def _examples(members: Sequence[MemberResult]) -> str:
    names = [member_name(m.member) for m in members[:_EXAMPLES]]
    return ", ".join(names) + (", …" if len(members) > _EXAMPLES else "")
