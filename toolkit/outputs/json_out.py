"""``ket-qua.json``: the same results for programs (the ``mail`` command reads it).

Schema ``xeploai/ket-qua/1`` (the contract ``mail`` reads), ``schema_version`` counting its
additive revisions; the JSON Schema ships as ``toolkit/schemas/ket-qua.schema.json``. Levels are
their codes ("HTXSNV"), reasons and outcomes their
stable enum values, dates ISO 8601. Every share is given twice: a float rounded to 6 places
and, where exactness matters (the 50 % threshold, the quota), the exact fraction as "a/b".
Keys are written in a fixed order and lists are sorted, so the bytes depend on the inputs only.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from fractions import Fraction
from pathlib import Path
from typing import IO, Any

import orjson

from toolkit import __version__
from toolkit.model import LEVELS, InputFile, Issue, OrgUnit, RatingLevel
from toolkit.outputs.digest import collect_issues, grassroots_code, issue_key, quota_results
from toolkit.outputs.numbers import fraction_text, rounded
from toolkit.outputs.paths import MANIFEST, REPORT, REPORT_SUMMARY, SUMMARY
from toolkit.outputs.view import LEVEL_CODES, REASONS, UNRATED, CellLine, Digest
from toolkit.results import (
    CellResult,
    DistrictResult,
    LevelCounts,
    MemberResult,
    QuotaResult,
    VoteResult,
)
from toolkit.rulebook import RuleSet
from toolkit.rulebook_view import switches_as_list

SCHEMA = "xeploai/ket-qua/1"
#: 2: rules' switches, the two quota ratios, the 25 % exception, the undecided counted apart
#: from the rated, the ballot's "chưa xếp loại" and invalid votes, the meeting's conclusion
SCHEMA_VERSION = 2
#: the contract has four cell statuses (ok, warnings, errors, missing; ``mail`` reads them):
#: a rejected cell is "errors" there, told apart from a rated one by ``"aggregated": false``
JSON_STATUS = {"rejected": "errors"}
ERROR_STATUSES = frozenset({"errors", "rejected"})


def results_document(
    result: DistrictResult,
    digest: Digest,
    inputs: Sequence[InputFile],
    *,
    ruleset: RuleSet,
    parent: OrgUnit | None,
    report_parts: Sequence[str] = (),
) -> dict[str, Any]:
    """The whole ``ket-qua.json`` document as plain data, but for its ``cells``: an iterator
    that makes each cell's entry as it is written (``write_results_json``), so that a city's
    52,000 members are never all in memory as dictionaries (60 MB). It can be read once.
    """
    lines = {c.code: c for c in digest.cells}
    issues = sorted(collect_issues(result), key=issue_key)
    by_unit: dict[str, list[Issue]] = {}
    for i in issues:
        by_unit.setdefault(i.unit_code, []).append(i)
    units: list[CellResult | OrgUnit] = [*result.cells, *result.missing, *result.rejected]
    units.sort(key=lambda u: str(u.cell.code if isinstance(u, CellResult) else u.code))

    def entry(unit: CellResult | OrgUnit) -> dict[str, Any]:
        if isinstance(unit, CellResult):
            return _cell(unit, lines[unit.cell.code], by_unit.get(unit.cell.code, []))
        return _unrated(unit, lines[unit.code], by_unit.get(unit.code, []))

    cells = map(entry, units)
    return {
        "schema": SCHEMA,
        "schema_version": SCHEMA_VERSION,
        "toolkit_version": __version__,
        "year": result.year,
        "decision": result.decision,
        "generated_on": digest.generated_on.isoformat(),
        "ruleset": ruleset_entry(ruleset),
        "parent": {"code": parent.code, "name": parent.name} if parent else None,
        "outputs": {
            "summary": SUMMARY,
            "report": REPORT,
            "report_parts": list(report_parts),
            "report_summary": REPORT_SUMMARY,
            "manifest": MANIFEST,
        },
        "totals": {
            **counts_entry(result.counts),
            "cells": len(result.cells) + len(result.rejected) + len(result.missing),
            # rated cells; the rejected sent files too, but none that could be aggregated
            "cells_returned": len(result.cells),
            "cells_rejected": len(result.rejected),
            "cells_missing": len(result.missing),
            "cells_with_errors": sum(1 for c in lines.values() if c.status in ERROR_STATUSES),
            "errors": sum(1 for i in digest.issues if i.severity == "error"),
            "warnings": sum(1 for i in digest.issues if i.severity != "error"),
        },
        "cells": cells,
        "quotas": [quota_entry(q) for q in quota_results(result)],
        "issues": [i.as_dict() for i in issues],
        "inputs": [f.as_dict() for f in sorted(inputs, key=lambda f: (f.path, f.sha256))],
    }


SCHEMA_FILE = Path(__file__).resolve().parents[1] / "schemas" / "ket-qua.schema.json"


def results_schema() -> dict[str, Any]:
    """The JSON Schema of ``ket-qua.json`` (draft 2020-12), shipped in the package."""
    schema: dict[str, Any] = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return schema


def write_results_json(document: Mapping[str, Any], stream: IO[bytes]) -> None:
    """UTF-8 JSON, Vietnamese letters kept as they are, newline at the end.

    Compact (no indentation; ``python -m json.tool`` shows it indented), encoded by orjson:
    four times as fast as the standard library's C encoder for a city's 52,000 members, and
    the same bytes as ``json.dumps(..., ensure_ascii=False, separators=(",", ":"))`` for these
    documents (only tiny floats, which they do not hold, are spelled otherwise: ``0.00001`` for
    ``1e-05``). The cells are encoded one by one, so a city's 40 MB are never one string in
    memory.
    """
    head = {k: v for k, v in document.items() if k != "cells"}
    keys = list(document)
    stream.write(b"{")
    for n, key in enumerate(keys):
        if n:
            stream.write(b",")
        stream.write(_dumps(key) + b":")
        if key != "cells":
            stream.write(_dumps(head[key]))
            continue
        stream.write(b"[")
        for i, cell in enumerate(document["cells"]):
            stream.write((b"," if i else b"") + _dumps(cell))
        stream.write(b"]")
    stream.write(b"}\n")


def _dumps(value: object) -> bytes:
    return orjson.dumps(value)


def ruleset_entry(ruleset: RuleSet) -> dict[str, Any]:
    return {
        "code": ruleset.code,
        "name": ruleset.name,
        "overrides_file": ruleset.overrides_file,
        "overrides": list(ruleset.overrides),
        "switches": switches_as_list(ruleset),
    }


# ---------------------------------------------------------------------------------------------


def _level(level: RatingLevel | None) -> str | None:
    return None if level is None else str(level._value_)


def _shares(shares: Sequence[Fraction]) -> tuple[dict[str, float | None], dict[str, str | None]]:
    return (
        {code: rounded(s) for code, s in zip(LEVEL_CODES, shares, strict=True)},
        {code: fraction_text(s) for code, s in zip(LEVEL_CODES, shares, strict=True)},
    )


def counts_entry(counts: LevelCounts) -> dict[str, Any]:
    """Roster, rated, undecided, not rated by reason, count and share per level."""
    shares, exact = _shares([counts.share(level) for level in LEVELS])
    return {
        "roster": counts.roster,
        "rated": counts.rated,
        "undecided": counts.undecided,
        "not_rated": {r._value_: counts.not_rated.get(r, 0) for r in REASONS},
        "levels": dict(zip(LEVEL_CODES, counts.levels, strict=True)),
        "shares": shares,
        "shares_exact": exact,
    }


def vote_entry(vote: VoteResult | None) -> dict[str, Any] | None:
    """A vote's shares (float and exact), outcome and carried level; None when not voted."""
    if vote is None:
        return None
    # thousands of members share the same result (7 of 8, 8 of 8...): each is formatted once,
    # keyed by plain integers (hashing Fractions costs more than formatting them); the dict
    # is shared between those members, which JSON does not mind (nothing mutates it)
    key = (
        vote.denominator,
        vote.outcome,
        vote.level,
        tuple((s.numerator, s.denominator) for s in vote.shares),
        None if vote.cumulative_share is None else vote.cumulative_share.numerator,
        None if vote.cumulative_share is None else vote.cumulative_share.denominator,
    )
    entry = _VOTE_ENTRIES.get(key)
    if entry is None:
        if len(_VOTE_ENTRIES) > 4096:
            _VOTE_ENTRIES.clear()
        entry = _VOTE_ENTRIES[key] = _vote_entry(vote)
    return entry


_VOTE_ENTRIES: dict[tuple[object, ...], dict[str, Any]] = {}


def _vote_entry(vote: VoteResult) -> dict[str, Any]:
    shares, exact = _shares(vote.shares)
    return {
        "denominator": vote.denominator,
        "shares": shares,
        "shares_exact": exact,
        "outcome": vote.outcome.value,
        "level": _level(vote.level),
        "cumulative_share": rounded(vote.cumulative_share),
        "cumulative_share_exact": fraction_text(vote.cumulative_share),
    }


def quota_entry(q: QuotaResult) -> dict[str, Any]:
    return {
        "scope_code": q.scope_code,
        "scope_name": q.scope_name,
        "deciding": q.deciding,
        "severity": q.severity.value,
        "n_htxsnv": q.n_htxsnv,
        "n_httnv": q.n_httnv,
        "ceiling": q.ceiling,
        "ceiling_ratio_exact": fraction_text(q.ceiling_ratio),
        "rounding": q.rounding,
        "exception": q.exception or None,
        "over": q.over,
        "status": "over" if q.over else "within",
        "ratio": rounded(q.ratio),
        "ratio_exact": fraction_text(q.ratio),
        "ratio_of_good": rounded(q.ratio_of_good),
        "ratio_of_good_exact": fraction_text(q.ratio_of_good),
        "ranking": [
            {
                "rank": rank,
                "member_id": c.member_id,
                "full_name": c.full_name,
                "cell_code": c.cell_code,
                "htxsnv_share": rounded(c.htxsnv_share),
                "htxsnv_share_exact": fraction_text(c.htxsnv_share),
                "score": c.score,
                "within_ceiling": c.within_ceiling,
            }
            for rank, c in enumerate(q.ranking, start=1)
        ],
    }


def _unit(unit: OrgUnit, line: CellLine) -> dict[str, Any]:
    return {
        "code": unit.code,
        "name": unit.name,
        "kind": unit.kind.value,
        "parent_code": unit.parent_code,
        "grassroots_code": grassroots_code(unit),
        "org_type": unit.org_type,
        "secretary_name": unit.secretary_name,
        "secretary_email": unit.secretary_email,
        "result_file": line.file,
        "status": JSON_STATUS.get(line.status, line.status),
        "aggregated": line.status not in UNRATED,
        "error_count": line.errors,
        "warning_count": line.warnings,
    }


def _cell(cell: CellResult, line: CellLine, issues: Sequence[Issue]) -> dict[str, Any]:
    return {
        **_unit(cell.cell, line),
        "counts": counts_entry(cell.counts),
        "proposed_level": _level(cell.proposed_level),
        "decided_level": _level(cell.decided_level),
        "decision": cell.decision,
        "cell_vote": vote_entry(cell.cell_vote),
        "conditions": [
            {"rule_code": c.rule_code, "description": c.description, "met": c.met}
            for c in cell.conditions
        ],
        "quota": quota_entry(cell.quota),
        "members": [_member(m) for m in cell.members],
        "issues": [i.as_dict() for i in issues],
    }


def _unrated(unit: OrgUnit, line: CellLine, issues: Sequence[Issue]) -> dict[str, Any]:
    """A missing or rejected cell: who it is, its file (if rejected) and problems, no numbers."""
    return {
        **_unit(unit, line),
        "counts": None,
        "proposed_level": None,
        "cell_vote": None,
        "conditions": [],
        "quota": None,
        "members": [],
        "issues": [i.as_dict() for i in issues],
    }


def _member(m: MemberResult) -> dict[str, Any]:
    # the hot loop of a city (52,000 members): enum values read as ``_value_`` (a plain
    # attribute; ``.value`` goes through a descriptor), votes zipped with the level codes
    a = m.assessment
    t = m.tally
    reason = m.not_rated_reason
    votes = None
    if t is not None:
        votes = dict(zip(LEVEL_CODES, t.votes, strict=True))
        votes["not_rated"] = t.not_rated
        votes["blank"] = t.blank
        votes["invalid"] = t.invalid
    return {
        "member_id": m.member.member_id,
        "full_name": m.member.full_name,
        "membership": m.member.membership._value_,
        "is_head": m.member.is_head,
        "subject_type": m.member.subject_type._value_,
        "self_level": _level(a.self_level) if a else None,
        "self_score": a.self_score if a else None,
        "common_score": a.common_score if a else None,
        "task_score": a.task_score if a else None,
        "not_rated_reason": reason._value_ if reason is not None else None,
        "votes": votes,
        "conclusion": _level(t.conclusion) if t is not None else None,
        "vote": vote_entry(m.vote),
        "caps": [
            {
                "rule_code": c.rule_code,
                "max_level": c.max_level.value,
                "reason": c.reason,
                "reason_en": c.reason_en,
            }
            for c in m.caps
        ],
        "proposed_level": _level(m.proposed_level),
        "decided_level": _level(m.decided_level),
        "decision": m.decision,
        "needs_higher_committee": m.needs_higher_committee,
        "explanation": m.explanation,
        "explanation_en": m.explanation_en,
        "issues": [i.as_dict() for i in sorted(m.issues, key=issue_key)],
    }
