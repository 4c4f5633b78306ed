"""``rate_cell``: one cell's return through every rule.

Order matters in one place only: the cell's own level is settled first, because it caps the
head of the cell (R15). Everything else is independent of the order of members in the input.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from fractions import Fraction
from types import MappingProxyType

from toolkit.engine.context import Context, make_context
from toolkit.engine.explain import Bilingual, joined, percent, rule_ref, threshold_percent
from toolkit.engine.issues import issue, unit_name
from toolkit.engine.meeting import meeting_issues, not_counted_issues, vote_count_issues
from toolkit.engine.members import rate_member, undecided_issue
from toolkit.engine.quota import lower_by_ranking, quota_issues, quota_result
from toolkit.engine.scores import score_issues
from toolkit.engine.votes import count_vote, tied_levels
from toolkit.model import (
    LEVELS,
    CellReturn,
    Issue,
    NotRatedReason,
    OrgKind,
    OrgTree,
    OrgUnit,
    RatingLevel,
)
from toolkit.results import CellResult, ConditionCheck, LevelCounts, MemberResult, VoteResult
from toolkit.rulebook import QuotaScope, RuleSet


def rate_cell(
    ret: CellReturn, rules: RuleSet, *, year: int, tree: OrgTree | None = None
) -> CellResult:
    """Rate every member of one cell, the cell's own vote, its counts, conditions and quota.

    ``tree`` tells whether the cell decides its own quota (a chi bộ cơ sở, or any cell when the
    rule-set's scope is ``cell``) or only advises (a chi bộ trực thuộc, whose đảng bộ cơ sở
    decides: see ``rate_district``). Without a tree the cell's kind decides. Pure: no I/O.
    """
    cell = ret.cell
    ctx = make_context(cell, ret.meeting, rules, year)
    has_votes = bool(ret.tallies) or ret.cell_tally is not None
    issues = meeting_issues(ctx, has_votes)
    issues.extend(not_counted_issues(ret, ctx))
    cell_vote, cell_level, cell_issues = _cell_level(ret, ctx)
    issues.extend(cell_issues)
    ctx = replace(ctx, cell_level=cell_level)
    members = tuple(
        rate_member(m, ret.assessments.get(m.member_id), ret.tallies.get(m.member_id), ctx)
        for m in ret.members
    )
    issues.extend(vote_count_issues(members, ctx))
    issues.extend(_unknown_ids(ret, ctx))
    conditions = member_conditions(members, ctx)
    if cell_level is RatingLevel.HTXSNV and not all(c.met for c in conditions):
        rule = ctx.rule("cell-htxsnv-conditions")
        broken = [Bilingual(c.description, c.description_en) for c in conditions if not c.met]
        issues.append(
            issue(
                "cell-htxsnv-conditions-not-met",
                unit_code=cell.code,
                value=cell_level.value,
                severity=rule.severity,
                cell=ctx.cell_label,
                broken=joined(broken, "; ", "; "),
                rule=rule_ref(rule),
            )
        )
    deciding, parent, role_issues = quota_role(cell, tree, rules)
    issues.extend(role_issues)
    quota = rules.quota
    q = quota_result(
        cell.code,
        cell.name,
        members,
        quota,
        deciding=deciding,
        severity=quota.severity if deciding else quota.cell_severity,
    )
    q_issues, lowered = quota_issues(
        q, quota, rules.rule("quota"), label=ctx.cell_label, parent=parent
    )
    issues.extend(q_issues)
    members = lower_by_ranking(members, lowered, q, rules.rule("quota"), ctx.cell_label, cell.code)
    return CellResult(
        cell=cell,
        members=members,
        counts=level_counts(members),
        quota=q,
        cell_vote=cell_vote,
        proposed_level=cell_level,
        conditions=conditions,
        issues=tuple(issues),
        source=ret,
    )


def level_counts(members: Sequence[MemberResult]) -> LevelCounts:
    """Decided levels of rated members, the not-rated by reason, the undecided (R4)."""
    levels = [0, 0, 0, 0]
    not_rated = dict.fromkeys(NotRatedReason, 0)
    undecided = 0
    for m in members:
        if m.not_rated_reason is not None:
            not_rated[m.not_rated_reason] += 1
        elif m.decided_level is None:
            undecided += 1
        else:
            levels[LEVELS.index(m.decided_level)] += 1
    return LevelCounts(
        roster=len(members),
        levels=(levels[0], levels[1], levels[2], levels[3]),
        not_rated=MappingProxyType(not_rated),
        undecided=undecided,
    )


def quota_role(
    cell: OrgUnit, tree: OrgTree | None, rules: RuleSet
) -> tuple[bool, str, list[Issue]]:
    """Whether the cell decides its own quota, and the name of the scope that does if not.

    Scope ``grassroots`` (R9): a chi bộ cơ sở decides; a chi bộ trực thuộc only advises, its
    đảng bộ cơ sở decides. Scope ``cell``: every cell decides.
    """
    if rules.quota.scope is QuotaScope.CELL:
        return True, "", []
    if tree is None:
        if cell.kind is OrgKind.CELL:
            return False, cell.parent_code or "đảng bộ cơ sở", []
        return True, "", []
    if cell.code not in tree.units:
        found = issue("cell-not-in-tree", unit_code=cell.code, cell=unit_name(cell))
        return True, "", [found]
    grassroots = tree.grassroots_of(cell.code)
    if grassroots.kind is OrgKind.GRASSROOTS_COMMITTEE and grassroots.code != cell.code:
        return False, unit_name(grassroots), []
    return True, "", []


def member_conditions(members: Sequence[MemberResult], ctx: Context) -> tuple[ConditionCheck, ...]:
    """R16: the shares of rated members at HTNV or above and at HTTNV or above, met or not.

    Shares are over members with a level: a member whose level is still open (a tie, no level
    carried: chưa xác định mức) is counted apart, in neither the part nor the whole.
    """
    rule = ctx.active("cell-htxsnv-conditions")
    if rule is None:
        return ()
    rated = [m for m in members if m.rated and m.proposed_level is not None]
    checks = []
    for key, floor_level in (
        ("min_htnv_share", RatingLevel.HTNV),
        ("min_httnv_share", RatingLevel.HTTNV),
    ):
        need = rule.fraction(key)
        n = len(rated)
        k = sum(
            1 for m in rated if m.proposed_level is not None and m.proposed_level >= floor_level
        )
        met = n > 0 and k * need.denominator >= need.numerator * n
        need_text, lv = threshold_percent(need), floor_level.value
        got = percent(Fraction(k, n)) if n else Bilingual("—", "—")
        checks.append(
            ConditionCheck(
                rule_code=rule.code,
                description=(
                    f"cần ít nhất {need_text.vi} đảng viên được xếp loại đạt {lv} trở lên, "
                    f"có {k}/{n} ({got.vi})"
                ),
                description_en=(
                    f"at least {need_text.en} of rated members must be {lv} or above, "
                    f"found {k}/{n} ({got.en})"
                ),
                met=met,
            )
        )
    return tuple(checks)


def _cell_level(
    ret: CellReturn, ctx: Context
) -> tuple[VoteResult | None, RatingLevel | None, list[Issue]]:
    """The cell's own vote and proposed level (after the cell discipline cap), and issues."""
    issues: list[Issue] = []
    vote: VoteResult | None = None
    if ret.cell_tally is not None:
        vote = count_vote(ret.cell_tally, ctx.denominator, ctx.vote)
        voted = vote.level
        if voted is None and vote.denominator > 0:
            tied = tied_levels(ret.cell_tally, ctx.vote, vote.denominator)
            issues.append(undecided_issue(vote, ret.cell_tally, tied, ctx))
    else:
        # no vote on the cell: its self-assessed level is what it proposes
        voted = ret.cell_assessment.proposed_level
        if voted is None:
            issues.append(issue("cell-not-voted", unit_code=ctx.cell.code, cell=ctx.cell_label))
    level = voted
    rule = ctx.active("cell-discipline-cap")
    if (
        rule is not None
        and ret.cell_assessment.disciplined_in_year
        and voted is not None
        and voted > RatingLevel.KHTNV
    ):
        level = RatingLevel.KHTNV
        issues.append(
            issue(
                "cell-capped-by-discipline",
                unit_code=ctx.cell.code,
                value=voted.value,
                severity=rule.severity,
                cell=ctx.cell_label,
                rule=rule_ref(rule),
            )
        )
    issues.extend(score_issues(ret.cell_assessment.score, voted, ctx))
    return vote, level, issues


def _unknown_ids(ret: CellReturn, ctx: Context) -> list[Issue]:
    """Tallies and self-assessment rows for ids that are not on the cell's roster."""
    known = {m.member_id for m in ret.members}
    return [
        issue(code, unit_code=ctx.cell.code, value=member_id, cell=ctx.cell_label)
        for code, ids in (
            ("tally-for-unknown-member", ret.tallies),
            ("assessment-for-unknown-member", ret.assessments),
        )
        for member_id in sorted(set(ids) - known)
    ]
