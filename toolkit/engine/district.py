"""``rate_district``: every cell, then the quotas the parent committee decides, then totals.

Cells are rated one by one (``rate_cell``); a chi bộ trực thuộc's quota is only advisory there.
Here its đảng bộ cơ sở, the tổ chức cơ sở đảng, decides for all its cells together (R9, R10):
the HTXSNV proposals of every cell in it are counted against one ceiling and, with the ranking
rule, the lowest-ranked are decided HTTNV in whichever cell they are.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import replace
from types import MappingProxyType

from toolkit.engine.cells import level_counts, rate_cell
from toolkit.engine.issues import issue, unit_name
from toolkit.engine.quota import lower_by_ranking, quota_issues, quota_result
from toolkit.model import CellReturn, Issue, Member, NotRatedReason, OrgKind, OrgTree, OrgUnit
from toolkit.results import CellResult, DistrictResult, LevelCounts, QuotaResult
from toolkit.rulebook import QuotaScope, RuleSet


def rate_district(
    returns: Sequence[CellReturn],
    tree: OrgTree,
    rules: RuleSet,
    *,
    year: int,
    missing: Sequence[OrgUnit] = (),
    issues: Sequence[Issue] = (),
    rejected: Sequence[OrgUnit] = (),
    rated: Mapping[str, tuple[CellReturn, CellResult]] | None = None,
    rejected_members: Sequence[Member] = (),
) -> DistrictResult:
    """Rate every returned cell and decide the quotas of the parent committee's scopes.

    ``missing`` are the cells that sent nothing usable, ``rejected`` those whose files have
    errors: neither is rated, both are listed, and a quota scope lacking either is flagged as
    incomplete. ``issues`` are problems found before rating (reading, validation), kept in
    front of the district's own. Cells come out in code order, quotas in scope-code order.
    Two returns for one cell, or a cell both returned and rejected, are a programming error
    (``ValueError``): the caller decides what each cell is. ``rated``: cells already rated by
    ``rate_cell`` (code → the return rated and its result), taken where the return is equal.
    ``rejected_members``: the roster's members of the rejected cells, kept to name them.
    """
    ordered = sorted(returns, key=lambda r: r.cell.code)
    for before, after in itertools.pairwise(ordered):
        if before.cell.code == after.cell.code:
            raise ValueError(f"two returns for cell {before.cell.code}: keep one per cell")
    both = {r.cell.code for r in ordered} & {u.code for u in rejected}
    if both:
        raise ValueError(f"cells both returned and rejected: {', '.join(sorted(both))}")
    done = rated or {}
    cells = [_rated(r, done.get(r.cell.code)) or rate_cell(r, rules, year=year, tree=tree)
             for r in ordered]  # fmt: skip
    found: list[Issue] = list(issues)
    committee_quotas: list[QuotaResult] = []
    if rules.quota.scope is QuotaScope.GRASSROOTS:
        # a rejected cell leaves its scope as incomplete as a missing one: no results from it
        absent = [*missing, *rejected]
        committee_quotas = _decide_committees(cells, tree, rules, absent, found)
    quotas = [c.quota for c in cells if c.quota.deciding] + committee_quotas
    return DistrictResult(
        year=year,
        ruleset_code=rules.code,
        cells=tuple(cells),
        quotas=tuple(sorted(quotas, key=lambda q: q.scope_code)),
        counts=total_counts([c.counts for c in cells]),
        missing=tuple(sorted(missing, key=lambda u: u.code)),
        issues=tuple(found),
        rejected=tuple(sorted(rejected, key=lambda u: u.code)),
        rejected_members=tuple(sorted(rejected_members, key=lambda m: (m.cell_code, m.member_id))),
    )


def _rated(ret: CellReturn, before: tuple[CellReturn, CellResult] | None) -> CellResult | None:
    """The result rated before for this very return, if any."""
    return before[1] if before is not None and before[0] == ret else None


def _committee_of(code: str, tree: OrgTree) -> OrgUnit | None:
    """The đảng bộ cơ sở that decides the quota of cell ``code``, if it is not the cell."""
    if code not in tree.units:
        return None
    unit = tree.grassroots_of(code)
    if unit.kind is OrgKind.GRASSROOTS_COMMITTEE and unit.code != code:
        return unit
    return None


def _decide_committees(
    cells: list[CellResult],
    tree: OrgTree,
    rules: RuleSet,
    absent: Sequence[OrgUnit],
    found: list[Issue],
) -> list[QuotaResult]:
    """One deciding quota per đảng bộ cơ sở; lowers members in ``cells`` in place if ranking.

    ``absent`` are the cells without results (missing or rejected): each makes its scope
    incomplete, named in a ``quota-scope-incomplete`` issue.
    """
    groups: dict[str, list[int]] = {}
    for i, c in enumerate(cells):
        committee = None if c.quota.deciding else _committee_of(c.cell.code, tree)
        if committee is not None:
            groups.setdefault(committee.code, []).append(i)
    without_results: dict[str, list[str]] = {}
    for unit in absent:
        committee = _committee_of(unit.code, tree)
        if committee is not None:
            without_results.setdefault(committee.code, []).append(unit.code)
    quota, rule = rules.quota, rules.rule("quota")
    results = []
    for code in sorted(groups):
        unit = tree.units[code]
        label = unit_name(unit)
        members = [m for i in groups[code] for m in cells[i].members]
        q = quota_result(code, unit.name, members, quota, deciding=True, severity=quota.severity)
        q_issues, lowered = quota_issues(q, quota, rule, label=label)
        found.extend(q_issues)
        if code in without_results:
            gone = sorted(without_results[code])
            found.append(
                issue(
                    "quota-scope-incomplete",
                    unit_code=code,
                    value=len(gone),
                    scope=label,
                    count=len(gone),
                    names=", ".join(gone),
                )
            )
        for i in groups[code] if lowered else ():
            c = cells[i]
            moved = lower_by_ranking(c.members, lowered, q, rule, label, c.cell.code)
            cells[i] = replace(c, members=moved, counts=level_counts(moved))
        results.append(q)
    return results


def total_counts(parts: Sequence[LevelCounts]) -> LevelCounts:
    """The sum of several cells' counts."""
    not_rated = dict.fromkeys(NotRatedReason, 0)
    for p in parts:
        for reason, n in p.not_rated.items():
            not_rated[reason] += n
    return LevelCounts(
        roster=sum(p.roster for p in parts),
        levels=(
            sum(p.levels[0] for p in parts),
            sum(p.levels[1] for p in parts),
            sum(p.levels[2] for p in parts),
            sum(p.levels[3] for p in parts),
        ),
        not_rated=MappingProxyType(not_rated),
        undecided=sum(p.undecided for p in parts),
    )
