"""One member's result: who is rated, the vote, the caps, the score, and why (R3–R7, R11–R18).

A member with a reason for not being rated gets no vote and no level; anything entered for an
R3 member (exempt, suspended, newly admitted) is an error. A rated member's proposal is the level
the vote carried, lowered by the caps; a tie or a vote that carried nothing leaves the proposal
open for the higher committee.
"""

from __future__ import annotations

import calendar
from datetime import date

from toolkit.engine.caps import (
    cap_issue,
    capped,
    member_caps,
    review_issues,
    self_remedied_for_decision,
)
from toolkit.engine.context import Context
from toolkit.engine.explain import (
    NO_TALLY,
    Bilingual,
    basis,
    day,
    explain_carried,
    explain_conclusion,
    explain_for_decision,
    explain_leave,
    explain_not_rated,
    explain_undecided,
    joined,
    number,
    rule_ref,
    same,
    threshold_percent,
)
from toolkit.engine.issues import issue, member_name
from toolkit.engine.scores import below_band_note, score_issues
from toolkit.engine.votes import ZERO_SHARES, count_vote, tied_levels
from toolkit.model import LEVELS, Issue, Member, NotRatedReason, SelfAssessment, VoteTally
from toolkit.results import MemberResult, VoteOutcome, VoteResult
from toolkit.rulebook import VotePreset


def rate_member(
    member: Member, assessment: SelfAssessment | None, tally: VoteTally | None, ctx: Context
) -> MemberResult:
    """Rate one member of the cell described by ``ctx``."""
    a = assessment or SelfAssessment(member_id=member.member_id)
    if a.not_rated_reason is not None:
        return _not_rated(member, assessment, a, tally, a.not_rated_reason, ctx)
    issues: list[Issue] = []
    new = _admitted_too_recently(member, ctx)
    if new is not None:
        issues.append(new)
    caps = member_caps(member, a, ctx)
    if tally is None:
        vote = VoteResult(max(ctx.denominator, 0), ZERO_SHARES, VoteOutcome.NO_VOTES)
        issues.append(
            issue(
                "member-not-voted",
                unit_code=ctx.cell.code,
                member_id=member.member_id,
                name=member_name(member),
            )
        )
        text, proposed, voted = NO_TALLY, None, None
    else:
        vote = count_vote(tally, ctx.denominator, ctx.vote)
        kind, threshold = ctx.vote.denominator, ctx.vote.threshold
        issues.extend(conclusion_issues(vote, tally, ctx, member))
        # with the meeting_conclusion preset the conclusion is the proposal (checked above)
        by_meeting = ctx.vote.preset is VotePreset.MEETING_CONCLUSION and tally.conclusion
        voted = tally.conclusion if by_meeting else vote.level
        if voted is None:
            proposed = None
            tied = tied_levels(tally, ctx.vote, vote.denominator) if vote.denominator else ()
            text = explain_undecided(
                vote, tally.votes, kind, threshold, tied, ctx.vote.cumulative_downward
            )
            if vote.denominator > 0:  # a zero denominator is one issue for the whole cell
                issues.append(undecided_issue(vote, tally, tied, ctx, member))
        else:
            proposed = capped(voted, caps) if caps else voted
            lowering = tuple(c for c in caps if c.max_level < voted)
            issues.extend(cap_issue(c, member, a, voted, ctx) for c in lowering)
            if by_meeting:
                text = explain_conclusion(voted, vote.level, proposed, lowering)
            else:
                text = explain_carried(vote, tally.votes, kind, threshold, proposed, lowering)
    issues.extend(score_issues(a.self_score, voted, ctx, member))
    text += below_band_note(a.self_score, voted, ctx)
    # the usual member has none of these: no list, no string built for nothing (a city's
    # 52,000 members go through here)
    if (
        a.disciplined_in_year
        or a.sick_leave_months
        or a.maternity_leave_months
        or (a.tasks_not_completed_percent is not None or a.low_confidence_percent is not None)
    ):
        issues.extend(review_issues(member, a, ctx))
        text = text + _notes(a, ctx)
    return MemberResult(
        member=member,
        assessment=assessment,
        tally=tally,
        not_rated_reason=None,
        vote=vote,
        caps=caps,
        proposed_level=proposed,
        decided_level=proposed,
        explanation=text.vi,
        explanation_en=text.en,
        issues=tuple(issues),
    )


def conclusion_issues(
    vote: VoteResult, tally: VoteTally, ctx: Context, member: Member
) -> list[Issue]:
    """The meeting's conclusion against the tally (``vote-majority.preset``).

    With ``meeting_conclusion`` the conclusion stands: one the tally does not carry under the
    threshold and denominator is an issue, a missing one another (the tally decides then).
    With ``derived`` the tally decides: a conclusion written that differs is an issue. Never
    is one silently replaced by the other.
    """
    rule = ctx.rule("vote-majority")
    conclusion = tally.conclusion
    by_meeting = ctx.vote.preset is VotePreset.MEETING_CONCLUSION
    if conclusion is None:
        if not by_meeting or vote.denominator <= 0:
            return []
        code = "meeting-conclusion-missing"
        return [issue(code, unit_code=ctx.cell.code, member_id=member.member_id,
                      severity=rule.severity, name=member_name(member), rule=rule_ref(rule))]  # fmt: skip
    if vote.level is conclusion or vote.denominator <= 0:
        return []
    i = LEVELS.index(conclusion)
    d = vote.denominator
    if vote.level is None:
        got = Bilingual(
            f"cho {conclusion.value} là {tally.votes[i]}/{d}, không mức nào đạt",
            f"gives {conclusion.value} {tally.votes[i]}/{d} and carries no level",
        )
    else:
        got = Bilingual(
            f"cho {conclusion.value} là {tally.votes[i]}/{d} và đạt {vote.level.value}",
            f"gives {conclusion.value} {tally.votes[i]}/{d} and carries {vote.level.value}",
        )
    return [
        issue(
            "meeting-conclusion-unsupported" if by_meeting else "meeting-conclusion-differs",
            unit_code=ctx.cell.code,
            member_id=member.member_id,
            value=conclusion.value,
            severity=rule.severity,
            name=member_name(member),
            conclusion=conclusion.value,
            threshold=threshold_percent(ctx.vote.threshold),
            basis=basis(ctx.vote.denominator),
            tally=got,
            rule=rule_ref(rule),
        )
    ]


def _notes(a: SelfAssessment, ctx: Context) -> Bilingual:
    """What the explanation adds for information: a self-remedied discipline left to the
    competent level, and the leave months (QĐ 366; under QĐ 124 the sick-leave cap says it)."""
    note = same("")
    if self_remedied_for_decision(a, ctx):
        note = note + explain_for_decision(ctx.rule("discipline-cap"))
    leave = ctx.active("leave-actual-work")
    if leave is not None and (a.sick_leave_months or a.maternity_leave_months):
        note = note + explain_leave(a.sick_leave_months, a.maternity_leave_months, leave)
    return note


def undecided_issue(
    vote: VoteResult,
    tally: VoteTally,
    tied: tuple[int, ...],
    ctx: Context,
    member: Member | None = None,
) -> Issue:
    """``vote-tie`` / ``vote-no-level-carried`` for a member, or the ``cell-`` codes."""
    rule = ctx.rule("vote-majority")
    prefix = "" if member is not None else "cell-"
    who: dict[str, object] = (
        {"name": member_name(member)} if member is not None else {"cell": ctx.cell_label}
    )
    unit_code, member_id = ctx.cell.code, member.member_id if member is not None else ""
    d = vote.denominator
    if vote.outcome is VoteOutcome.TIE:
        return issue(
            f"{prefix}vote-tie",
            unit_code=unit_code,
            member_id=member_id,
            severity=rule.severity,
            levels=joined([same(LEVELS[i].value) for i in tied]),
            votes=f"{tally.votes[tied[0]]}/{d}",
            rule=rule_ref(rule),
            extra=who,
        )
    top = max(range(4), key=lambda i: (tally.votes[i], -i))
    cumulative = (
        Bilingual(", kể cả khi cộng dồn từ mức cao xuống", ", even counting down from the top")
        if ctx.vote.cumulative_downward
        else same("")
    )
    return issue(
        f"{prefix}vote-no-level-carried",
        unit_code=unit_code,
        member_id=member_id,
        severity=rule.severity,
        threshold=threshold_percent(ctx.vote.threshold),
        basis=basis(ctx.vote.denominator),
        cumulative=cumulative,
        best=f"{LEVELS[top].value} {tally.votes[top]}/{d}",
        rule=rule_ref(rule),
        extra=who,
    )


def _not_rated(
    member: Member,
    assessment: SelfAssessment | None,
    a: SelfAssessment,
    tally: VoteTally | None,
    reason: NotRatedReason,
    ctx: Context,
) -> MemberResult:
    issues: list[Issue] = []
    # blanks are not a rating: a ballot paper may list every member and leave this one empty
    votes = sum(tally.votes) if tally is not None else 0
    why = Bilingual(reason.label.lower(), reason.english.lower())
    if reason.must_not_be_rated:
        rule = ctx.active("not-rated")
        given = _what_was_given(a, votes)
        if rule is not None and given:
            issues.append(
                issue(
                    "excluded-member-rated",
                    unit_code=ctx.cell.code,
                    member_id=member.member_id,
                    value=given[0][1],
                    severity=rule.severity,
                    name=member_name(member),
                    reason=why,
                    given=joined([g for g, _ in given]),
                    rule=rule_ref(rule),
                )
            )
    else:
        rule = ctx.active("absent-not-rated")
        if rule is not None and votes > 0:
            issues.append(
                issue(
                    "not-rated-member-voted",
                    unit_code=ctx.cell.code,
                    member_id=member.member_id,
                    value=votes,
                    severity=rule.severity,
                    name=member_name(member),
                    reason=why,
                    rule=rule_ref(rule),
                )
            )
    text = explain_not_rated(reason)
    return MemberResult(
        member=member,
        assessment=assessment,
        tally=tally,
        not_rated_reason=reason,
        vote=None,
        caps=(),
        proposed_level=None,
        decided_level=None,
        explanation=text.vi,
        explanation_en=text.en,
        issues=tuple(issues),
    )


def _what_was_given(a: SelfAssessment, votes: int) -> list[tuple[Bilingual, str]]:
    """What was entered for a member who must not be rated: (wording, raw value) pairs."""
    given: list[tuple[Bilingual, str]] = []
    if a.self_level is not None:
        lv = a.self_level.value
        given.append((Bilingual(f"mức tự xếp loại {lv}", f"a self-rating of {lv}"), lv))
    if a.self_score is not None:
        s = number(a.self_score)
        given.append((Bilingual(f"điểm tự đánh giá {s.vi}", f"a self-score of {s.en}"), s.en))
    if a.committee_proposal is not None:
        lv = a.committee_proposal.value
        given.append((Bilingual(f"đề xuất của chi ủy {lv}", f"a committee proposal of {lv}"), lv))
    if votes:
        given.append((Bilingual(f"{votes} phiếu biểu quyết", f"{votes} votes"), str(votes)))
    return given


def _admitted_too_recently(member: Member, ctx: Context) -> Issue | None:
    """R3(c): a member admitted less than ``new_member_months`` before the meeting is not rated."""
    rule = ctx.active("not-rated")
    if rule is None or member.admission_date is None:
        return None
    months = int(rule.params["new_member_months"])
    if add_months(member.admission_date, months) <= ctx.reference:
        return None
    return issue(
        "new-member-rated",
        unit_code=ctx.cell.code,
        member_id=member.member_id,
        value=member.admission_date.isoformat(),
        severity=rule.severity,
        name=member_name(member),
        admitted=day(member.admission_date),
        reference=day(ctx.reference),
        months=months,
        rule=rule_ref(rule),
    )


def add_months(start: date, months: int) -> date:
    """The same day ``months`` calendar months later (31/8 + 6 months → 28 or 29/2)."""
    y, m = divmod(start.month - 1 + months, 12)
    year, month = start.year + y, m + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))
