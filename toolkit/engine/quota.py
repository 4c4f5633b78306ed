"""The HTXSNV quota in one scope (R8–R10): count, ceiling, ranking, and the decision.

The ceiling is ``ratio × HTTNV`` rounded down (or half up: ``quota.rounding``), where HTTNV
counts the members proposed HTTNV only (not "HTTNV and above") and the ratio is 25 % in a scope
granted the exception of QĐ 366 Điều 11.1 (``quota.exception_scopes``), else 20 %. Candidates are ranked by their HTXSNV vote share, then score, then member id
(so the order never depends on the order of the input). Where the scope decides, an excess is
either an issue (``deciding = "error"``) or settled by the ranking (``"ranking"``): candidates
beyond the ceiling are decided HTTNV, each with an issue and an explanation. Where the scope
only advises (a chi bộ trực thuộc when the đảng bộ cơ sở decides), an excess is a warning.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import replace
from fractions import Fraction

from toolkit.engine.explain import (
    Bilingual,
    explain_quota_lowered,
    joined,
    rule_ref,
    same,
    threshold_percent,
)
from toolkit.engine.issues import issue, member_name
from toolkit.model import Issue, RatingLevel, Severity
from toolkit.results import MemberResult, QuotaCandidate, QuotaResult
from toolkit.rulebook import QuotaRule, Rule

_HTXSNV, _HTTNV = RatingLevel.HTXSNV, RatingLevel.HTTNV


def quota_result(
    scope_code: str,
    scope_name: str,
    members: Iterable[MemberResult],
    quota: QuotaRule,
    *,
    deciding: bool,
    severity: Severity,
) -> QuotaResult:
    """Count the proposals of ``members`` against the ceiling and rank the HTXSNV candidates."""
    candidates: list[MemberResult] = []
    n_httnv = 0
    for m in members:
        if m.proposed_level is _HTXSNV:
            candidates.append(m)
        elif m.proposed_level is _HTTNV:
            n_httnv += 1
    ratio = quota.ratio_for(scope_code)
    ceiling = quota.ceiling(n_httnv, ratio)
    candidates.sort(key=rank_key)
    ranking = tuple(
        QuotaCandidate(
            member_id=m.member.member_id,
            full_name=m.member.full_name,
            cell_code=m.member.cell_code,
            htxsnv_share=_share(m),
            score=_score(m),
            within_ceiling=i < ceiling,
        )
        for i, m in enumerate(candidates)
    )
    return QuotaResult(
        scope_code=scope_code,
        scope_name=scope_name,
        deciding=deciding,
        severity=severity,
        n_htxsnv=len(candidates),
        n_httnv=n_httnv,
        ceiling=ceiling,
        ranking=ranking,
        ceiling_ratio=ratio,
        rounding=quota.rounding.value,
        exception=quota.exceptions.get(scope_code, ""),
    )


def rank_key(m: MemberResult) -> tuple[Fraction, tuple[int, float], str]:
    """Higher HTXSNV share first, then higher score (no score last), then member id."""
    score = _score(m)
    return (-_share(m), (0, -score) if score is not None else (1, 0.0), m.member.member_id)


def ceiling_basis(q: QuotaResult) -> Bilingual:
    """How a scope's ceiling was reached: ``20%``, ``20%, làm tròn từ 0,5 lên``, or ``25% được
    cho phép theo <decision> (QĐ 366-QĐ/TW Điều 11 khoản 1)`` where the exception was granted."""
    text = threshold_percent(q.ceiling_ratio)
    if q.exception:
        text += Bilingual(
            f" được cho phép theo {q.exception} (QĐ 366-QĐ/TW Điều 11 khoản 1)",
            f" allowed by {q.exception} (QĐ 366-QĐ/TW Article 11.1)",
        )
    if q.rounding == "half_up":
        text += Bilingual(", làm tròn từ 0,5 lên", ", rounded half up")
    return text


def _share(m: MemberResult) -> Fraction:
    return m.vote.share_of(_HTXSNV) if m.vote is not None else Fraction(0)


def _score(m: MemberResult) -> float | None:
    s = m.assessment.self_score if m.assessment is not None else None
    return None if s is None or math.isnan(s) else s


def quota_issues(
    q: QuotaResult, quota: QuotaRule, rule: Rule, *, label: str, parent: str = ""
) -> tuple[list[Issue], dict[str, int]]:
    """Issues of one scope, and the members the ranking lowers (member id → 1-based rank).

    ``label`` names the scope in messages; ``parent`` names the deciding scope of an advisory
    one. Issues belong to the scope (``unit_code`` is its code).
    """
    if q.over == 0:
        return [], {}
    fields: dict[str, object] = {
        "scope": label,
        "count": q.n_htxsnv,
        "httnv": q.n_httnv,
        "ceiling": q.ceiling,
        "ratio": ceiling_basis(q),
        "rule": rule_ref(rule),
    }
    if not q.deciding:
        found = issue(
            "quota-exceeded-advisory",
            unit_code=q.scope_code,
            value=q.n_htxsnv,
            severity=q.severity,
            parent=parent,
            extra=fields,
        )
        return [found], {}
    if quota.deciding != "ranking":
        found = issue(
            "quota-exceeded",
            unit_code=q.scope_code,
            value=q.n_htxsnv,
            severity=q.severity,
            over=q.over,
            extra=fields,
        )
        return [found], {}
    # only where the ranking decides does a tie across the ceiling matter
    lowered = {c.member_id: i + 1 for i, c in enumerate(q.ranking) if not c.within_ceiling}
    return _ranking_tie(q, label, rule), lowered


def _ranking_tie(q: QuotaResult, label: str, rule: Rule) -> list[Issue]:
    """A tie on share and score across the ceiling: the member id order is no decision."""
    if not 0 < q.ceiling < len(q.ranking):
        return []
    key = (q.ranking[q.ceiling].htxsnv_share, q.ranking[q.ceiling].score)
    if (q.ranking[q.ceiling - 1].htxsnv_share, q.ranking[q.ceiling - 1].score) != key:
        return []
    level = [c for c in q.ranking if (c.htxsnv_share, c.score) == key]
    names = joined([same(f"{c.full_name} ({c.member_id})") for c in level])
    return [
        issue(
            "quota-ranking-tie",
            unit_code=q.scope_code,
            value=len(level),
            names=names,
            scope=label,
            ceiling=q.ceiling,
            rule=rule_ref(rule),
        )
    ]


def lower_by_ranking(
    members: tuple[MemberResult, ...],
    lowered: Mapping[str, int],
    q: QuotaResult,
    rule: Rule,
    label: str,
    unit_code: str,
) -> tuple[MemberResult, ...]:
    """Members beyond the ceiling decided HTTNV, each with its issue and a longer explanation.

    ``members`` are one cell's results (``unit_code``); the others are returned unchanged.
    """
    if not lowered:
        return members
    out = []
    for m in members:
        rank = lowered.get(m.member.member_id)
        if rank is None or m.proposed_level is not _HTXSNV:
            out.append(m)
            continue
        more = explain_quota_lowered(label, rank, q.ceiling, ceiling_basis(q))
        found = issue(
            "quota-lowered-by-ranking",
            unit_code=unit_code,
            member_id=m.member.member_id,
            value=_HTXSNV.value,
            name=member_name(m.member),
            scope=label,
            rank=rank,
            ceiling=q.ceiling,
            rule=rule_ref(rule),
        )
        out.append(
            replace(
                m,
                decided_level=_HTTNV,
                explanation=m.explanation + more.vi,
                explanation_en=m.explanation_en + more.en,
                issues=(*m.issues, found),
            )
        )
    return tuple(out)
