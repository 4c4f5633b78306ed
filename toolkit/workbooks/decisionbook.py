"""``quyet-dinh.xlsx``: the decisions workbook, written from the results and read back filled.

It is declared in ``workbook_templates/decisions.toml`` like the cells' workbooks and goes
through the same generator and the same safe reader. Its identity block carries the committee's
code, the year and, in place of a cell's roster hash, the SHA-256 of the proposals it was made
from (``engine.decisions.proposals_hash``); each row also keeps the proposal it was made for,
so a decision about a proposal that has changed since is caught row by row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, overload

from toolkit import __version__, catalogue
from toolkit.engine.decisions import Case, cases, proposals_hash, suggested_level
from toolkit.model import Decisions, Issue, LevelDecision, Location, OrgUnit, RatingLevel
from toolkit.results import DistrictResult
from toolkit.rulebook import RuleSet
from toolkit.workbooks.declarations import Layout, cell_ref, load_declaration
from toolkit.workbooks.generate import Target, write_declared_workbook
from toolkit.workbooks.identity import Identity
from toolkit.workbooks.sheets import Record, SheetContext, read_form, read_table

KIND = "decisions"


@dataclass(frozen=True)
class DecisionsContent:
    """What a filled decisions workbook holds (the reader's ``content``)."""

    decisions: Decisions


@dataclass(frozen=True)
class Rows(Sequence[dict[str, object]]):
    """Records kept as tuples under one tuple of keys, each a dict only when it is read: a
    city's 52,000 members in a fifth of the memory of as many dicts, and pickled small (a
    writer process is sent them)."""

    keys: tuple[str, ...]
    values: tuple[tuple[object, ...], ...]

    def __len__(self) -> int:
        return len(self.values)

    @overload
    def __getitem__(self, index: int) -> dict[str, object]: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[dict[str, object]]: ...

    def __getitem__(self, index: int | slice) -> dict[str, object] | Sequence[dict[str, object]]:
        if isinstance(index, slice):
            return [dict(zip(self.keys, row, strict=True)) for row in self.values[index]]
        return dict(zip(self.keys, self.values[index], strict=True))


@dataclass(frozen=True)
class DecisionsSheets:
    """What the decisions workbook is written from: plain data (records by sheet key, the
    forms' context, the identity), so that a writer process can be sent it pickled (a result
    holds mapping proxies, which do not pickle) and the main process need not write the file.
    """

    subtitle: str
    context: dict[str, object]
    records: dict[str, Sequence[dict[str, object]]]
    identity: Identity
    created: dt.datetime


def write_decisions_workbook(
    result: DistrictResult,
    *,
    parent: OrgUnit | None,
    generated_on: dt.date,
    rules: RuleSet,
    target: Target,
) -> None:
    """The decisions workbook for ``result``'s deciding committee."""
    write_decisions_sheets(
        decisions_sheets(result, parent=parent, generated_on=generated_on, rules=rules), target
    )


def write_decisions_sheets(sheets: DecisionsSheets, target: Target) -> None:
    """Write the decisions workbook made by ``decisions_sheets`` (a writer's task)."""
    write_declared_workbook(
        KIND,
        subtitle=sheets.subtitle,
        context=sheets.context,
        records=sheets.records,
        identity=sheets.identity,
        created=sheets.created,
        target=target,
    )


def decisions_sheets(
    result: DistrictResult,
    *,
    parent: OrgUnit | None,
    generated_on: dt.date,
    rules: RuleSet,
) -> DecisionsSheets:
    """What the decisions workbook for ``result``'s deciding committee holds."""
    code, name = (parent.code, parent.name) if parent else ("", "Cấp ủy cấp trên")
    found = cases(result, rules.quota)
    by_key: dict[tuple[str, str], list[str]] = {}
    for case in found:
        by_key.setdefault((case.unit_code, case.member_id), []).append(case.label)
    cells = sorted(result.cells, key=lambda c: c.cell.code)  # the same bytes in any order
    names = {c.cell.code: c.cell.name for c in cells}
    people = {m.member.member_id: m.member.full_name for c in result.cells for m in c.members}
    members = Rows(
        ("no", "unit_code", "member_id", "full_name", "proposed", "case", "decided"),
        tuple(
            (
                number,
                cell.cell.code,
                m.member.member_id,
                m.member.full_name,
                _code(suggested_level(m)) or _not_rated(m.not_rated_reason),
                "; ".join(by_key.get((cell.cell.code, m.member.member_id), ())),
                _name(suggested_level(m)),
            )
            for number, (cell, m) in enumerate(
                ((cell, m) for cell in cells for m in cell.members), start=1
            )
        ),
    )
    organizations: list[dict[str, object]] = [
        {
            "unit_code": cell.cell.code,
            "unit_name": cell.cell.name,
            "org_type": cell.cell.org_type,
            "proposed": _code(cell.proposed_level),
            "case": "; ".join(by_key.get((cell.cell.code, ""), ())),
            "decided": _name(cell.proposed_level),
        }
        for cell in cells
    ]
    records: dict[str, Sequence[dict[str, object]]] = {
        "cases": _numbered([_case_record(c, names, people) for c in found]),
        "members": members,
        "organizations": _numbered(organizations),
    }
    context: dict[str, object] = {
        "committee_code": code,
        "committee_name": name,
        "year": result.year,
        "generated_on": f"{generated_on:%d/%m/%Y}",
    }
    declaration = load_declaration(KIND)
    identity = Identity(
        kind=KIND,
        template_version=declaration.version,
        year=result.year,
        cell_code=code,
        roster_hash=proposals_hash(result),
        ruleset=rules.code,
        generator=f"xeploai {__version__}",
    )
    return DecisionsSheets(
        subtitle=f"{name} · năm đánh giá {result.year}",
        context=context,
        records=records,
        identity=identity,
        created=dt.datetime(result.year, 1, 1),
    )


def _case_record(case: Case, names: dict[str, str], people: dict[str, str]) -> dict[str, object]:
    return {
        "case": case.label,
        "unit_name": names.get(case.unit_code, case.unit_code),
        "full_name": people.get(case.member_id, case.member_id),
        "details": case.details,
        "proposed": case.proposed,
    }


def _numbered(records: list[dict[str, object]]) -> list[dict[str, object]]:
    return [{"no": n, **r} for n, r in enumerate(records, start=1)]


def _not_rated(reason: object) -> str:
    return "Không xếp loại" if reason is not None else ""


def _code(level: RatingLevel | None) -> str:
    return "" if level is None else level.value


def _name(level: RatingLevel | None) -> str:
    return "" if level is None else level.full_name


# ---------------------------------------------------------------------------------------------
# Reading a filled workbook


def build_decisions(
    identity: Identity,
    form_ctx: SheetContext,
    form_layout: Layout,
    tables: Sequence[tuple[SheetContext, Layout, list[Record]]],
    values: dict[str, Any],
) -> DecisionsContent:
    """The decision and its rows, with the checks the file alone allows (required fields)."""
    for key in ("decision_number", "decision_date", "signer"):
        if values.get(key) is None and form_ctx.is_blank(form_layout.field_row(key), 1):
            column = form_layout.column(key)
            form_ctx.add("required-missing", form_layout.ref(key), field=column.label)
    members: list[LevelDecision] = []
    organizations: list[LevelDecision] = []
    for ctx, layout, records in tables:
        decided_col = layout.index("decided")
        into = members if layout.sheet.key == "members" else organizations
        for record in records:
            proposed = str(record["proposed"] or "")
            into.append(
                LevelDecision(
                    unit_code=str(record["unit_code"] or ""),
                    member_id=str(record["member_id"] or ""),
                    proposed="" if proposed == "Không xếp loại" else proposed,
                    decided=record["decided"],
                    reason=str(record["reason"] or "").strip(),
                    location=Location(ctx.file, ctx.sheet, cell_ref(record.row, decided_col)),
                )
            )
    decided_on = values.get("decision_date")
    return DecisionsContent(
        Decisions(
            committee_code=identity.cell_code,
            year=identity.year,
            number=str(values.get("decision_number") or "").strip(),
            decided_on=decided_on if isinstance(decided_on, dt.date) else None,
            signer=str(values.get("signer") or "").strip(),
            members=tuple(members),
            organizations=tuple(organizations),
            made_from=identity.roster_hash,
        )
    )


def read_sheets(context: Any, declaration: Any, identity: Identity) -> DecisionsContent | None:
    """The decisions workbook's sheets, read by ``read.read_workbook`` (``context`` gives a
    sheet's ``SheetContext`` by key, None when the sheet is missing)."""
    form_ctx = context("decision")
    if form_ctx is None:
        return None
    form_layout = declaration.layout("decision")
    values = read_form(form_ctx, form_layout)
    if values is None:
        return None
    tables = []
    for key in ("members", "organizations"):
        ctx = context(key)
        layout = declaration.layout(key)
        records = (
            read_table(ctx, layout, "member_id" if key == "members" else None) if ctx else None
        )
        if records is None:
            return None
        tables.append((ctx, layout, records))
    return build_decisions(identity, form_ctx, form_layout, tables, values)


def other_workbook(path: Path | str, found: str, expected: str) -> Issue:
    """The issue for a decisions workbook made for another committee or year."""
    return catalogue.make(
        "decision-workbook-other",
        location=Location(Path(path).name),
        value=found,
        found=found,
        expected=expected,
    )
