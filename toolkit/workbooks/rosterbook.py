"""Build the ``Roster`` from the roster workbook's rows, with the roster's own checks.

A row with a missing or unusable required value is left out (its issue says why); so is the
second row of a duplicated code. Parent links are checked for unknown codes and cycles.
"""

from __future__ import annotations

from toolkit.model import Member, Membership, OrgKind, OrgTree, OrgUnit, Roster, SubjectType
from toolkit.workbooks.declarations import Layout, load_declaration
from toolkit.workbooks.sheets import Record, SheetContext
from toolkit.workbooks.values import as_text_as_typed

EMPTY_ROSTER = Roster(OrgTree({}), ())


def _complete(ctx: SheetContext, layout: Layout, record: Record) -> bool:
    """True when every required value is there and usable; reports the missing ones."""
    values = record.values
    if all(values.get(key) is not None for key in layout.required_keys):
        return True  # the usual row: nothing to report
    ok = True
    for i, column in enumerate(layout.columns):
        if column.required and record[column.key] is None:
            ok = False
            if ctx.is_blank(record.row, i):
                ctx.add(
                    "required-missing",
                    layout.ref(column.key, record.row),
                    field=column.label,
                )
    return ok


def _as_typed(ctx: SheetContext, layout: Layout, record: Record, key: str) -> str:
    """A name or address that ``mail`` puts into a header, line breaks kept as typed (see
    ``as_text_as_typed``); the checked value when the cell holds no text."""
    raw = ctx.raw(record.row, layout.index(key))
    if isinstance(raw, str) and raw.strip():
        return as_text_as_typed(raw)
    return str(record.values[key] or "")


def build_roster(
    units_ctx: SheetContext,
    units_layout: Layout,
    unit_rows: list[Record],
    members_ctx: SheetContext,
    members_layout: Layout,
    member_rows: list[Record],
    *,
    check_cells: bool = True,
) -> Roster:
    """The roster's usable rows as an ``OrgTree`` and members; ``check_cells=False`` for a
    roster of organizations only (a cell without members is then no problem)."""
    units: dict[str, OrgUnit] = {}
    unit_row: dict[str, int] = {}
    broken: set[str] = set()  # units left out for their own errors: their members follow
    for record in unit_rows:
        if not _complete(units_ctx, units_layout, record):
            if record.values["code"]:
                broken.add(record.values["code"])
            continue
        code = record.values["code"]
        if code in units:
            units_ctx.add(
                "unit-duplicated",
                units_layout.ref("code", record.row),
                value=code,
                unit_code=code,
                first_row=unit_row[code],
            )
            continue
        kind: OrgKind = record.values["kind"]
        units[code] = OrgUnit(
            code=code,
            name=_as_typed(units_ctx, units_layout, record, "name"),
            kind=kind,
            parent_code=record.values["parent_code"] or None,
            org_type=record.values["org_type"] or "",
            secretary_name=_as_typed(units_ctx, units_layout, record, "secretary_name"),
            secretary_email=_as_typed(units_ctx, units_layout, record, "secretary_email"),
        )
        unit_row[code] = record.row
    _check_parents(units_ctx, units_layout, units, unit_row)

    members: list[Member] = []
    member_row: dict[str, int] = {}
    untyped: list[tuple[str, int]] = []  # members whose subject type was left blank, and rows
    for record in member_rows:
        if not _complete(members_ctx, members_layout, record):
            continue
        member_id, cell_code = record.values["member_id"], record.values["cell_code"]
        if member_id in member_row:
            members_ctx.add(
                "member-duplicated",
                members_layout.ref("member_id", record.row),
                value=member_id,
                member_id=member_id,
                first_row=member_row[member_id],
            )
            continue
        cell = units.get(cell_code)
        if cell is None and cell_code in broken:
            continue  # the cell's own row is in error (reported there)
        if cell is None or not cell.kind.is_cell:
            members_ctx.add(
                "member-cell-unknown",
                members_layout.ref("cell_code", record.row),
                value=cell_code,
                member_id=member_id,
                member=member_id,
            )
            continue
        member_row[member_id] = record.row
        is_leader = bool(record.values["is_leader"])
        subject: SubjectType | None = record.values.get("subject_type")
        if subject is None:
            untyped.append((member_id, record.row))
            subject = SubjectType.LEADER if is_leader else SubjectType.NO_POST
        members.append(
            Member(
                member_id=member_id,
                full_name=record.values["full_name"],
                cell_code=cell_code,
                membership=record.values["membership"] or Membership.OFFICIAL,
                birth_year=record.values["birth_year"],
                admission_date=record.values["admission_date"],
                position=record.values["position"] or "",
                is_leader=is_leader,
                is_head=bool(record.values["is_head"]),
                subject_type=subject,
            )
        )
    if untyped:
        _subject_types_defaulted(members_ctx, members_layout, untyped)
    if check_cells:
        _check_cells(units_ctx, units_layout, units, unit_row, members)
    return Roster(OrgTree(units), tuple(members))


def _subject_types_defaulted(
    ctx: SheetContext, layout: Layout, untyped: list[tuple[str, int]]
) -> None:
    """One warning per roster for every member whose subject type is blank (or whose roster
    predates the column): 2A for a leader, else 2B."""
    first, row = untyped[0]
    # the column as the current template names it, also when this roster predates it
    columns = load_declaration("roster").sheet("members").columns
    column = next(c for c in columns if c.key == "subject_type")
    ref = layout.ref("subject_type", row) if layout.has("subject_type") else ""
    ctx.add(
        "subject-type-defaulted",
        ref,
        value=len(untyped),
        member_id=first,
        unit_code="",
        field=column.label,
        member=first,
    )


def _check_parents(
    ctx: SheetContext, layout: Layout, units: dict[str, OrgUnit], rows: dict[str, int]
) -> None:
    for code, unit in list(units.items()):
        if unit.parent_code and unit.parent_code not in units:
            ctx.add(
                "unit-parent-unknown",
                layout.ref("parent_code", rows[code]),
                value=unit.parent_code,
                unit_code=code,
            )
            units[code] = _without_parent(unit)
    for code in sorted(units):
        chain = [code]
        parent = units[code].parent_code
        while parent is not None and parent in units and parent not in chain:
            chain.append(parent)
            parent = units[parent].parent_code
        if parent == code:
            path = " → ".join([*chain, code])
            ctx.add(
                "parent-cycle",
                layout.ref("parent_code", rows[code]),
                value=code,
                unit_code=code,
                expected=path,
            )
            units[code] = _without_parent(units[code])


def _without_parent(unit: OrgUnit) -> OrgUnit:
    return OrgUnit(
        unit.code,
        unit.name,
        unit.kind,
        None,
        unit.org_type,
        unit.secretary_name,
        unit.secretary_email,
    )


def _check_cells(
    ctx: SheetContext,
    layout: Layout,
    units: dict[str, OrgUnit],
    rows: dict[str, int],
    members: list[Member],
) -> None:
    counts: dict[str, int] = {}
    heads: dict[str, int] = {}
    for m in members:
        counts[m.cell_code] = counts.get(m.cell_code, 0) + 1
        heads[m.cell_code] = heads.get(m.cell_code, 0) + (1 if m.is_head else 0)
    for code, unit in sorted(units.items()):
        if not unit.kind.is_cell:
            continue
        ref = layout.ref("code", rows[code])
        if not counts.get(code):
            ctx.add("cell-without-members", ref, value=code, unit_code=code)
        if heads.get(code, 0) > 1:
            ctx.add("head-duplicated", ref, value=code, unit_code=code, count=heads[code])
