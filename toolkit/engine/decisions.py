"""The competent level's decisions (QĐ 366 Điều 12): a cell proposes, the competent level decides.

``cases`` lists what the rules leave to that level (ties, no level carried, HTXSNV over the
ceiling with the ranking, the head above the cell, a cell proposing HTXSNV without the
conditions…); ``apply_decisions`` takes the filled decisions workbook and returns the results
with decided levels beside the proposals: counts, shares and the quota checks then use the
decided levels. A decision is never applied silently where it cannot stand: a row for a
proposal that has changed since the workbook was made, a level for a member who is not rated,
a changed level or a settled case without its reason, each is an issue pinned to its row.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace

from toolkit import catalogue
from toolkit.engine.cells import level_counts
from toolkit.engine.district import total_counts
from toolkit.engine.explain import Bilingual, percent
from toolkit.engine.issues import issue
from toolkit.model import Decisions, Issue, LevelDecision, RatingLevel
from toolkit.results import CellResult, DistrictResult, MemberResult
from toolkit.rulebook import QuotaRule, RuleSet

OVER_CEILING = "Vượt trần HTXSNV"
ORGANIZATIONS_OVER = "Tổ chức đảng vượt trần HTXSNV"
#: a scope over 20 % but within what the 25 % exception would allow: the competent level may
#: grant it (QĐ 366 Điều 11.1), in the rules file, not on a row of the workbook
EXCEPTION = "Có thể cho phép tỷ lệ 25 %"


@dataclass(frozen=True)
class Case:
    """One case the competent level must decide, with what it needs to see."""

    label: str
    unit_code: str
    #: "" for a case about the organization itself
    member_id: str
    details: str
    proposed: str


def cases(result: DistrictResult, quota: QuotaRule) -> tuple[Case, ...]:
    """Every case of ``result``, cell by cell, each once; ``quota`` gives the organizations'
    groups their ceilings."""
    found: dict[tuple[str, str, str], Case] = {}
    members = {(c.cell.code, m.member.member_id): m for c in result.cells for m in c.members}
    for cell in result.cells:
        for i in cell.all_issues:
            label = _case_labels().get(i.code)
            if label:
                m = members.get((cell.cell.code, i.member_id)) if i.member_id else None
                shown = _code(m.proposed_level) if m else _code(cell.proposed_level)
                tally = m.tally if m else cell.source.cell_tally if cell.source else None
                details = f"{i.message} {_votes(tally.votes)}" if tally else i.message
                key = (label, cell.cell.code, i.member_id)
                found.setdefault(key, Case(label, cell.cell.code, i.member_id, details, shown))
    for q in result.quotas:
        if not (q.deciding and q.over):
            continue
        for rank, c in enumerate(q.ranking, start=1):
            if c.within_ceiling:
                continue
            details = (
                f"{q.scope_name}: {q.n_htxsnv} đề xuất HTXSNV, trần {q.ceiling} "
                f"({q.n_httnv} HTTNV); đồng chí xếp thứ {rank}/{len(q.ranking)}, "
                f"{percent(c.htxsnv_share).vi} phiếu HTXSNV"
            )
            key = (OVER_CEILING, c.cell_code, c.member_id)
            found.setdefault(key, Case(OVER_CEILING, c.cell_code, c.member_id, details, "HTXSNV"))
    for case in _exception_requests(result, quota):
        found.setdefault((case.label, case.unit_code, ""), case)
    for case in _organizations_over(result.cells, quota):
        found.setdefault((case.label, case.unit_code, ""), case)
    return tuple(sorted(found.values(), key=lambda c: (c.unit_code, c.member_id, c.label)))


@functools.cache
def _case_labels() -> dict[str, str]:
    """Issue code → how the workbook lists it, for the codes that name a case."""
    return {t.code: t.case for t in catalogue.all_types() if t.case}


def _exception_requests(result: DistrictResult, quota: QuotaRule) -> list[Case]:
    """Each deciding scope over its 20 % ceiling that the 25 % exception would bring within."""
    if not quota.exception_allowed:
        return []
    requests = []
    for q in result.quotas:
        if not (q.deciding and q.over) or q.exception:
            continue
        widened = quota.ceiling(q.n_httnv, quota.exception_ratio)
        if q.n_htxsnv <= widened:
            details = (
                f"{q.scope_name}: {q.n_htxsnv} đề xuất HTXSNV, {q.n_httnv} HTTNV: vượt trần "
                f"{percent(quota.ratio, 0).vi} ({q.ceiling}), trong trần "
                f"{percent(quota.exception_ratio, 0).vi} ({widened}) mà cấp có thẩm quyền có thể "
                "cho phép với tổ chức có thành tích nổi bật (QĐ 366 Điều 11 khoản 1). Nếu cho "
                "phép: ghi mã phạm vi và số quyết định vào quota.exception_scopes của tệp quy "
                "tắc địa phương (--rules) rồi tổng hợp lại; nếu không: quyết định các đảng viên "
                "ngoài trần ở trang «Đảng viên»."
            )
            requests.append(Case(EXCEPTION, q.scope_code, "", details, ""))
    return requests


def _votes(votes: Sequence[int]) -> str:
    """ "Phiếu: HTXSNV 4, HTTNV 4, HTNV 0, KHTNV 0"."""
    return "Phiếu: " + ", ".join(
        f"{level.value} {n}" for level, n in zip(RatingLevel, votes, strict=True)
    )


def _organizations_over(cells: Sequence[CellResult], quota: QuotaRule) -> list[Case]:
    """Per group of organizations (``_org_group``), the HTXSNV proposals beyond what the ceiling
    allows, lowest-ranked first out (the share of HTXSNV votes on the cell, then its score).

    Deciding one of them HTTNV adds an HTTNV, which may raise the ceiling: the number kept is
    the largest ``k`` with ``k ≤ ceiling(HTTNV + HTXSNV − k)``, at 25 % where the managing
    committee holds the exception.
    """
    groups: dict[tuple[str, str], list[CellResult]] = {}
    for cell in cells:
        groups.setdefault(_org_group(cell), []).append(cell)
    over = []
    for (manager, group), members in sorted(groups.items()):
        htxsnv = [c for c in members if c.proposed_level is RatingLevel.HTXSNV]
        n_httnv = sum(1 for c in members if c.proposed_level is RatingLevel.HTTNV)
        keep = max(k for k in range(len(htxsnv) + 1)
                   if k <= quota.ceiling(n_httnv + len(htxsnv) - k, quota.ratio_for(manager))
                   or k == 0)  # fmt: skip
        if keep == len(htxsnv):
            continue
        htxsnv.sort(key=_org_rank)
        for rank, cell in enumerate(htxsnv[keep:], start=keep + 1):
            details = (
                f"{_group_name(manager, group)}: {len(htxsnv)} tổ chức đề xuất HTXSNV, {n_httnv} HTTNV; "
                f"giữ được {keep} HTXSNV; tổ chức xếp thứ {rank}/{len(htxsnv)}"
            )
            over.append(Case(ORGANIZATIONS_OVER, cell.cell.code, "", details, "HTXSNV"))
    return over


def _org_rank(cell: CellResult) -> tuple[object, ...]:
    share = cell.cell_vote.shares[0] if cell.cell_vote else 0
    score = cell.source.cell_assessment.score if cell.source else None
    return (-share, -(score or 0), cell.cell.code)


def _org_group(cell: CellResult) -> tuple[str, str]:
    """The group an organization is rated in: the committee that manages it (which decides,
    QĐ 366 Điều 12, and may hold the 25 % exception) and its type (the roster's ``org_type``)."""
    return cell.cell.parent_code or "", cell.cell.org_type or "khác"


def _group_name(manager: str, group: str) -> str:
    return f"Nhóm tổ chức đảng «{group}»" + (f" thuộc {manager}" if manager else "")


def proposals_hash(result: DistrictResult) -> str:
    """SHA-256 of every proposal of ``result``: what a decisions workbook was made from."""
    digest = hashlib.sha256()
    for cell in sorted(result.cells, key=lambda c: c.cell.code):
        digest.update(f"{cell.cell.code}\t\t{_code(cell.proposed_level)}\n".encode())
        for m in cell.members:
            digest.update(f"{cell.cell.code}\t{m.member.member_id}\t{_suggested(m)}\n".encode())
    return digest.hexdigest()


def suggested_level(member: MemberResult) -> RatingLevel | None:
    """What the decisions workbook pre-fills: the level after the rules (a quota ranking may
    have moved a proposal down), None for a member not rated or still undecided."""
    return None if member.not_rated_reason is not None else member.decided_level


def _suggested(member: MemberResult) -> str:
    return _code(suggested_level(member))


def apply_decisions(result: DistrictResult, decisions: Decisions, rules: RuleSet) -> DistrictResult:
    """``result`` with the decisions applied where they stand, and an issue for each that does
    not; counts, and the HTXSNV ceilings of members and organizations, on decided levels."""
    found: list[Issue] = []
    case_keys = {
        (c.unit_code, c.member_id) for c in cases(result, rules.quota) if c.label != EXCEPTION
    }
    by_member = {(d.unit_code, d.member_id): d for d in decisions.members}
    by_unit = {d.unit_code: d for d in decisions.organizations}
    known = {(c.cell.code, m.member.member_id) for c in result.cells for m in c.members}
    known_units = {c.cell.code for c in result.cells}
    for d in decisions.members:
        if (d.unit_code, d.member_id) not in known:
            found.append(
                _row_issue("decision-unknown-row", d, who=f"{d.member_id} ({d.unit_code})")
            )
    for d in decisions.organizations:
        if d.unit_code not in known_units:
            found.append(_row_issue("decision-unknown-row", d, who=d.unit_code))
    cells = []
    for cell in result.cells:
        members = []
        for m in cell.members:
            row = by_member.get((cell.cell.code, m.member.member_id))
            applied = None
            if row is not None:
                case = (cell.cell.code, m.member.member_id) in case_keys
                applied = _member_decision(m, row, case, decisions, found)
            members.append(applied or m)
        decided_cell = _cell_decision(
            cell, by_unit.get(cell.cell.code), case_keys, decisions, found
        )
        cell_issues = cell.issues
        if decided_cell[0] is not None:
            cell_issues = _settled(cell.issues, decided_cell[0], decisions.reference, member="")
        cells.append(
            replace(
                cell,
                members=tuple(members),
                issues=cell_issues,
                counts=level_counts(members),
                decided_level=decided_cell[0],
                decision=decided_cell[1],
            )
        )
    found += _ceilings(cells, rules, decisions)
    return replace(
        result,
        cells=tuple(cells),
        counts=total_counts([c.counts for c in cells]),
        issues=(*result.issues, *found),
        decision=decisions.reference,
    )


def _member_decision(
    m: MemberResult, d: LevelDecision, case: bool, decisions: Decisions, found: list[Issue]
) -> MemberResult | None:
    """The member with the decision applied, or None (the issue saying why is in ``found``)."""
    who = f"{m.member.full_name} ({m.member.member_id})"
    decided = _code(d.decided)
    if d.proposed != _suggested(m):
        before, now = d.proposed or "—", _suggested(m) or "—"
        found.append(_row_issue("decision-proposal-changed", d, who=who, before=before, now=now,
                                decided=decided or "—"))  # fmt: skip
        return None
    if m.not_rated_reason is not None:
        if d.decided is not None:
            reason = m.not_rated_reason.label.lower()
            found.append(_row_issue("decision-for-not-rated", d, who=who, reason=reason,
                                    decided=decided))  # fmt: skip
        return None
    if d.decided is None:
        return None  # not decided yet: the case stays open
    changed = d.decided is not suggested_level(m)
    if (changed or case) and not d.reason:
        found.append(_reason_missing(d, who, changed))
        return None
    return replace(
        m,
        decided_level=d.decided,
        decision=decisions.reference,
        issues=_settled(m.issues, d.decided, decisions.reference, m.member.member_id),
        explanation=f"{m.explanation} {_cited(decisions, decided, d.reason)}",
        explanation_en=f"{m.explanation_en} Decided {decided} by the competent level "
        f"({decisions.reference}){': ' + d.reason if d.reason else ''}.",
    )


def _cell_decision(
    cell: CellResult,
    d: LevelDecision | None,
    case_keys: set[tuple[str, str]],
    decisions: Decisions,
    found: list[Issue],
) -> tuple[RatingLevel | None, str]:
    """The cell's own decided level and the decision's reference (the proposal when none)."""
    if d is None or d.decided is None:
        return None, ""
    who = f"{cell.cell.name} ({cell.cell.code})"
    if d.proposed != _code(cell.proposed_level):
        found.append(_row_issue("decision-proposal-changed", d, who=who, before=d.proposed or "—",
                                now=_code(cell.proposed_level) or "—", decided=_code(d.decided)))  # fmt: skip
        return None, ""
    changed = d.decided is not cell.proposed_level
    if (changed or (cell.cell.code, "") in case_keys) and not d.reason:
        found.append(_reason_missing(d, who, changed))
        return None, ""
    return d.decided, decisions.reference


def _ceilings(cells: Sequence[CellResult], rules: RuleSet, decisions: Decisions) -> list[Issue]:
    """The HTXSNV ceiling on decided levels: members in each deciding scope, organizations in
    each group (``_org_group``); 25 % where the scope or the managing committee holds the
    exception."""
    scopes: dict[str, tuple[str, list[RatingLevel | None]]] = {}
    for cell in cells:
        deciding = cell.quota.deciding or not cell.cell.parent_code
        code = cell.cell.code if deciding else str(cell.cell.parent_code)
        name = cell.quota.scope_name if deciding else code
        scopes.setdefault(code, (name, []))[1].extend(
            m.decided_level for m in cell.members if m.rated
        )
    groups: dict[tuple[str, str], list[RatingLevel | None]] = {}
    for cell in cells:
        groups.setdefault(_org_group(cell), []).append(cell.decided_level or cell.proposed_level)
    #: (the unit whose exception counts and the issue belongs to, what is held to the
    #: ceiling, its levels): a scope is its own unit; a group, its managing committee
    checks = [(code, name, levels) for code, (name, levels) in sorted(scopes.items())]
    checks += [
        (manager, _group_name(manager, group), levels)
        for (manager, group), levels in sorted(groups.items())
    ]
    found = []
    for code, name, levels in checks:
        n_htxsnv = sum(1 for level in levels if level is RatingLevel.HTXSNV)
        n_httnv = sum(1 for level in levels if level is RatingLevel.HTTNV)
        ratio = rules.quota.ratio_for(code)
        ceiling = rules.quota.ceiling(n_httnv, ratio)
        if n_htxsnv > ceiling:
            found.append(
                issue(
                    "decision-over-ceiling",
                    unit_code=code,
                    value=n_htxsnv,
                    scope=name,
                    n_htxsnv=n_htxsnv,
                    n_httnv=n_httnv,
                    ceiling=ceiling,
                    ratio=percent(ratio, 0),
                )
            )
    return found


def _settled(
    issues: tuple[Issue, ...], level: RatingLevel, reference: str, member: str
) -> tuple[Issue, ...]:
    """``issues`` with each case about ``member`` ("" for the organization) saying how the
    competent level settled it: the case stays on record, no longer open."""
    labels = _case_labels()
    return tuple(
        replace(
            i,
            message=f"{i.message} Đã được cấp có thẩm quyền quyết định: {level.value} "
            f"({reference}).",
            message_en=f"{i.message_en} Decided {level.value} by the competent level "
            f"({reference}).",
        )
        if i.code in labels and i.member_id == member
        else i
        for i in issues
    )


def _cited(decisions: Decisions, level: str, reason: str) -> str:
    because = f": {reason}" if reason else ""
    return f"Cấp có thẩm quyền quyết định {level} ({decisions.reference}){because}."


def _reason_missing(d: LevelDecision, who: str, changed: bool) -> Issue:
    why = (
        Bilingual("khác mức đề xuất", "differs from the proposal")
        if changed
        else Bilingual("giải quyết một trường hợp cần quyết định", "settles a case")
    )
    return _row_issue("decision-reason-missing", d, who=who, decided=_code(d.decided), why=why)


def _row_issue(code: str, d: LevelDecision, **fields: object) -> Issue:
    found = issue(code, unit_code=d.unit_code, member_id=d.member_id, value=_code(d.decided),
                  extra=fields)  # fmt: skip
    return replace(found, location=d.location)


def _code(level: RatingLevel | None) -> str:
    return "" if level is None else level.value
