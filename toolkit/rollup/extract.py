"""What a verified package contributes upward: its organizations' counts, by type, and the
cases its deciding level settled — never every member's detail.

From an ``aggregate`` package the organizations are its cells (members counted by level as
decided where decided, and the same counts per 2025 subject type where the rule-set has them);
from a ``rollup`` package, the organizations it carries, each with the path of committees it
came through. Every count is checked (whole numbers that add up, per subject type too), and the
package's own totals must be the sum of its organizations: ``Invalid`` says what does not fit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from operator import add
from typing import Any

import orjson

from toolkit.outputs.view import LEVEL_CODES
from toolkit.rollup.tally import (
    REASON_CODES,
    SUBJECT_CODES,
    Counts,
    GroupCounts,
    OrgCounts,
    SubjectTally,
    TypeTally,
)

#: an organization's status in a roll-up: rated, or why it has no numbers
ORG_STATUSES = frozenset({"rated", "missing", "rejected"})
#: cases that went to the competent level: a tie, no level carried, moved by the quota
CASE_KINDS = frozenset({"tie", "no_decision", "quota"})
#: rule-sets under which every member writes the form of a subject type (QĐ 366: Mẫu 2A/2B/2C);
#: under QĐ 124 the roster's type is only a default nobody chose, so it does not travel
SUBJECT_RULESETS = frozenset({"QD366"})


class Invalid(ValueError):
    """ket-qua.json does not hold what its kind promises; the text says what (Vietnamese)."""


@dataclass(frozen=True)
class PackageContent:
    """A package's contribution: totals, tallies per organization type, its organizations as
    JSON (one array, paths already prefixed with the package's committee), decided cases."""

    counts: Counts
    types: Mapping[str, TypeTally]
    organizations: bytes
    n_organizations: int
    cases: tuple[dict[str, Any], ...]
    #: below a roll-up: committees it expected, how many reported, how many decided
    below: tuple[int, int, int] | None = None
    #: members by subject type (Mẫu 2A/2B/2C), and those whose type is not recorded
    subjects: SubjectTally = field(default_factory=SubjectTally)


def content_of(
    document: Mapping[str, Any], *, kind: str, decided: bool, committee: str
) -> PackageContent:
    """The contribution of a package's ``ket-qua.json``; ``Invalid`` when it does not add up."""
    try:
        if kind == "aggregate":
            typed = document["ruleset"]["code"] in SUBJECT_RULESETS
            orgs, cases = _from_cells(document["cells"], decided, committee, typed)
            below = None
        else:
            orgs = _from_organizations(document["organizations"], committee)
            cases = [_case(c, committee) for c in _list(document["cases"], "cases")]
            below = _below(document["completeness"])
        totals = _counts(document["totals"], "totals")
    except (KeyError, TypeError, AttributeError) as exc:
        raise Invalid(f"thiếu hoặc sai trường {exc}") from None
    types, counts, subjects = _tally(orgs)
    if counts != totals:
        raise Invalid("số tổng cộng không bằng tổng số của các tổ chức")
    return PackageContent(
        counts=counts,
        types=types,
        organizations=orjson.dumps(orgs),
        n_organizations=len(orgs),
        cases=tuple(cases),
        below=below,
        subjects=subjects,
    )


def _list(value: object, what: str) -> list[Any]:
    if not isinstance(value, list):
        raise Invalid(f"«{what}» không phải danh sách")
    return value


def _int(value: object, what: str) -> int:
    if type(value) is not int or value < 0:
        raise Invalid(f"«{what}» không phải số nguyên không âm: {value!r}")
    return value


def _text(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise Invalid(f"«{what}» không phải chuỗi")
    return value


def _level(value: object, what: str) -> str | None:
    if value is not None and value not in LEVEL_CODES:
        raise Invalid(f"«{what}» không phải mức xếp loại: {value!r}")
    return value


def _counts(entry: Mapping[str, Any], what: str) -> Counts:
    """An aggregate's counts entry (levels and reasons by name) as ``Counts``."""
    levels = entry["levels"]
    reasons = entry["not_rated"]
    counts = Counts(
        roster=_int(entry["roster"], what),
        levels=tuple(_int(levels[code], what) for code in LEVEL_CODES),
        not_rated=tuple(_int(reasons[code], what) for code in REASON_CODES),
        undecided=_int(entry["undecided"], what),
    )
    if not counts.consistent:
        raise Invalid(f"số liệu «{what}» không cộng lại bằng số đảng viên trong danh sách")
    return counts


def compact_counts(c: Counts) -> dict[str, Any]:
    """An organization's counts as they travel: levels and reasons as lists, in the orders
    the document's ``count_order`` names."""
    return {
        "roster": c.roster,
        "undecided": c.undecided,
        "levels": list(c.levels),
        "not_rated": list(c.not_rated),
    }


def _from_cells(
    cells: Sequence[Mapping[str, Any]], decided: bool, committee: str, typed: bool
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    orgs: list[dict[str, Any]] = []
    cases: list[dict[str, Any]] = []
    for cell in _list(cells, "cells"):
        code = _text(cell["code"], "code")
        aggregated = cell["aggregated"] is True
        counts = _counts(cell["counts"], code) if aggregated else None
        level = _level(cell.get("decided_level") or cell["proposed_level"], code)
        compact = None
        if counts is not None:
            compact = compact_counts(counts)
            members = _list(cell["members"], code)
            compact["subjects"] = _subject_counts(members, code) if typed else None
        orgs.append(
            {
                "path": [committee],
                "code": code,
                "name": _text(cell["name"], code),
                "kind": _text(cell["kind"], code),
                "org_type": _text(cell["org_type"] or "", code),
                "status": "rated"
                if aggregated
                else ("missing" if cell["status"] == "missing" else "rejected"),
                "level": level if aggregated else None,
                "level_decided": bool(decided and aggregated and level is not None),
                "members_decided": bool(decided and aggregated),
                "counts": compact,
            }
        )
        for m in _list(cell["members"], code):
            case = _member_case(m)
            if case is not None:
                cases.append(
                    {
                        "path": [committee],
                        "cell_code": code,
                        "member_id": _text(m["member_id"], code),
                        "full_name": _text(m["full_name"], code),
                        "case": case,
                        "proposed_level": _level(m["proposed_level"], code),
                        "decided_level": _level(m["decided_level"], code),
                        "decided": decided,
                    }
                )
    return orgs, cases


#: subject type → its row in an organization's ``subjects``
_SUBJECT_AT = {code: i for i, code in enumerate(SUBJECT_CODES)}


def _subject_counts(members: Sequence[Mapping[str, Any]], code: str) -> list[list[int]] | None:
    """A cell's members per subject type (rows 2A, 2B, 2C), each row the levels HTXSNV…KHTNV
    then "chưa xếp loại", counted as the cell's counts are (decided levels; not rated or no
    level yet is "chưa xếp loại"); None when a member has no subject type (an older package).
    A member writes exactly one form, so each is counted once."""
    rows = [[0] * 5 for _ in SUBJECT_CODES]
    for m in members:
        subject = m.get("subject_type")
        if subject is None:
            return None
        at = _SUBJECT_AT.get(subject)
        if at is None:
            raise Invalid(f"«subject_type» của đảng viên trong {code!r} không hợp lệ: {subject!r}")
        if m["not_rated_reason"] is not None or m["decided_level"] is None:
            rows[at][4] += 1
        else:
            rows[at][_LEVEL_AT[m["decided_level"]]] += 1
    return rows


def _member_case(m: Mapping[str, Any]) -> str | None:
    """Why a member's result went to the competent level, or None."""
    vote = m["vote"]
    outcome = vote["outcome"] if isinstance(vote, dict) else None
    if outcome in ("tie", "no_decision"):
        return str(outcome)
    if m["decided_level"] != m["proposed_level"]:
        return "quota"
    return None


def _from_organizations(entries: Sequence[Any], committee: str) -> list[dict[str, Any]]:
    orgs = _list(entries, "organizations")
    for org in orgs:
        path = org["path"]
        if type(path) is not list:
            raise Invalid("«path» của tổ chức không phải danh sách mã")
        "".join(path)  # a TypeError for anything but strings, at C speed (180,000 of them)
        org["path"] = [committee, *path]
        if org["status"] not in ORG_STATUSES:
            raise Invalid(f"trạng thái tổ chức không hợp lệ: {org['status']!r}")
    return orgs


def _case(case: dict[str, Any], committee: str) -> dict[str, Any]:
    """A case carried up from a roll-up, checked as a case from a cell is built."""
    if case["case"] not in CASE_KINDS:
        raise Invalid(f"loại trường hợp không hợp lệ: {case['case']!r}")
    for key in ("cell_code", "member_id", "full_name"):
        _text(case[key], key)
    _level(case["proposed_level"], "proposed_level")
    _level(case["decided_level"], "decided_level")
    if type(case["decided"]) is not bool:
        raise Invalid("«decided» của trường hợp không phải đúng/sai")
    path = _list(case["path"], "path")
    "".join(path)  # a TypeError for anything but strings
    case["path"] = [committee, *path]
    return case


def _below(entry: Mapping[str, Any]) -> tuple[int, int, int]:
    return (
        _int(entry["committees"], "committees"),
        _int(entry["reported"], "reported"),
        _int(entry["decided"], "decided"),
    )


#: level code → its position in LEVELS order
_LEVEL_AT = {code: i for i, code in enumerate(LEVEL_CODES)}


def _tally(
    orgs: Sequence[Mapping[str, Any]],
) -> tuple[dict[str, TypeTally], Counts, SubjectTally]:
    """Per type: members by level, organizations by level, what is still proposed; and the
    members by subject type.

    Plain lists while counting (a national roll-up passes some 180,000 organizations here):
    each organization's member counts (roster, undecided, 4 levels, 7 reasons) are checked with
    builtins only (``min`` refuses what is not a number, the sums must agree) and kept; the
    columns are summed once at the end (``sum`` over ``zip``, in C). A float among them would
    make a sum a float, which the end refuses. Per type besides: 4 organization levels,
    organizations without a level, proposed members, proposed organizations.
    """
    counted = 2 + 4 + len(REASON_CODES)  # the member counts: roster, undecided, levels, reasons
    members: dict[str, list[list[int]]] = {}
    acc: dict[str, list[int]] = {}
    typed: list[Sequence[Sequence[int]]] = []  # the ``subjects`` of organizations that have them
    typed_proposed: list[Sequence[Sequence[int]]] = []
    try:
        for org in orgs:
            key = org["org_type"]
            row = acc.get(key)
            if row is None:
                if not isinstance(key, str):
                    raise Invalid("«org_type» không phải chuỗi")
                row = acc[key] = [0] * 7
                members[key] = []
            level = org["level"]
            row[4 if level is None else _LEVEL_AT[level]] += 1
            if not org["level_decided"]:
                row[6] += 1
            c = org["counts"]
            if c is None:
                continue
            values = [c["roster"], c["undecided"], *c["levels"], *c["not_rated"]]
            if len(values) != counted or min(values) < 0 or values[0] * 2 != sum(values):
                raise Invalid(f"số liệu của tổ chức {org['code']!r} không hợp lệ")
            members[key].append(values)
            subjects = c.get("subjects")  # absent from a package of the previous version
            if subjects is not None:
                # three rows (2A, 2B, 2C) of five numbers, none negative, that add up column
                # by column to the levels and "chưa xếp loại" (inline: 180,000 of them)
                a, b, d = subjects
                r, _, w, x, y, z = values[:6]
                if (
                    len(a) != 5
                    or len(b) != 5
                    or len(d) != 5
                    or min(a) < 0
                    or min(b) < 0
                    or min(d) < 0
                    or list(map(add, map(add, a, b), d)) != [w, x, y, z, r - w - x - y - z]
                ):
                    raise Invalid(_subjects_invalid(org))
                typed.append(subjects)
            if not org["members_decided"]:
                row[5] += values[0]
                if subjects is not None:
                    typed_proposed.append(subjects)
    except KeyError as exc:
        raise Invalid(f"mức xếp loại hoặc trường không hợp lệ: {exc}") from None
    except TypeError:
        raise Invalid("số liệu của tổ chức không phải số") from None
    except ValueError:  # ``subjects`` not three rows
        raise Invalid(_subjects_invalid(org)) from None
    types: dict[str, TypeTally] = {}
    total = Counts()
    proposed = 0
    for key in sorted(acc):
        row = acc[key]
        sums = _column_sums(members[key], counted)
        members_of = Counts(sums[0], tuple(sums[2:6]), tuple(sums[6:]), sums[1])
        types[key] = TypeTally(
            members=members_of,
            organizations=OrgCounts(tuple(row[:4]), row[4]),
            proposed_members=row[5],
            proposed_organizations=row[6],
        )
        total = total + members_of
        proposed += row[5]
    return types, total, _subject_tally(typed, typed_proposed, total, proposed)


def _column_sums(rows: Sequence[Sequence[int]], width: int) -> list[int]:
    """Each column's sum; ``Invalid`` unless every sum is a whole number."""
    sums = [sum(column) for column in zip(*rows, strict=True)] if rows else [0] * width
    if not all(type(v) is int for v in sums):
        raise Invalid("số liệu của tổ chức không phải số nguyên")
    return sums


def _subjects_invalid(org: Mapping[str, Any]) -> str:
    return (
        f"số liệu theo đối tượng (Mẫu 2A/2B/2C) của tổ chức {org['code']!r} không cộng lại "
        "bằng số liệu của tổ chức"
    )


def _subject_tally(
    typed: Sequence[Sequence[Sequence[int]]],
    proposed: Sequence[Sequence[Sequence[int]]],
    total: Counts,
    total_proposed: int,
) -> SubjectTally:
    """The members by subject type; the rest of the totals is "not recorded" (each typed
    organization's rows add up to its counts, so the rest is exactly the untyped ones)."""
    groups = []
    for at in range(len(SUBJECT_CODES)):
        sums = _column_sums([s[at] for s in typed], 5)
        groups.append(GroupCounts(tuple(sums[:4]), sums[4], sum(sum(s[at]) for s in proposed)))
    known = sum(groups, GroupCounts())
    unknown = GroupCounts(
        tuple(t - k for t, k in zip(total.levels, known.levels, strict=True)),
        total.unrated - known.unrated,
        total_proposed - known.proposed,
    )
    return SubjectTally(tuple(groups), unknown)
