"""Read one sheet laid out by its declaration: forms, tables and ballot papers.

The grid is calamine's ``to_python(skip_empty_area=False)``: row 0 is sheet row 1, column 0 is
column A, and rows end at the last cell that holds data. Every value goes through ``values.parse``
and every problem becomes an ``Issue`` pointing at its cell.
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from toolkit import catalogue
from toolkit.model import LEVELS, Issue, Location, Severity, normalize_text, strip_accents
from toolkit.workbooks.declarations import Column, Layout, cell_ref
from toolkit.workbooks.package import SheetScan
from toolkit.workbooks.values import (
    PAPER_INVALID,
    PAPER_NOT_RATED,
    BadValue,
    is_empty,
    parse,
    shown,
    tidy,
)

Grid = Sequence[Sequence[object]]


@dataclass
class SheetContext:
    """One sheet being read: its values, what its XML said, and the issues found so far."""

    file: str
    sheet: str
    grid: Grid
    scan: SheetScan
    unit_code: str
    issues: list[Issue]
    merged: Sequence[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=tuple)
    #: (row, col) of cells whose value could not be used (already reported)
    invalid: set[tuple[int, int]] = field(default_factory=set)

    def __post_init__(self) -> None:
        self._special = self.scan.special

    def raw(self, row: int, col: int) -> object:
        """The raw value at a 1-based row and 0-based column ('' beyond the data)."""
        if row - 1 < len(self.grid):
            cells = self.grid[row - 1]
            if col < len(cells):
                return cells[col]
        return ""

    def is_blank(self, row: int, col: int) -> bool:
        """Nothing typed: empty, and not an unusable value or a formula that shows nothing."""
        where = (row, col)
        return (
            is_empty(self.raw(row, col))
            and where not in self.invalid
            and where not in self.scan.uncached
            and where not in self.scan.errors
        )

    def add(
        self,
        code: str,
        ref: str = "",
        *,
        value: object = "",
        member_id: str = "",
        unit_code: str | None = None,
        severity: Severity | None = None,
        **params: Any,
    ) -> None:
        self.issues.append(
            catalogue.make(
                code,
                location=Location(self.file, self.sheet, ref),
                value=value,
                unit_code=self.unit_code if unit_code is None else unit_code,
                member_id=member_id,
                severity=severity,
                **params,
            )
        )

    def value(
        self, column: Column, row: int, col: int, member_id: str = "", raw: object = None
    ) -> Any:
        """The typed value of one cell, or None when empty or unusable (with its issue).

        ``raw`` may be given by a caller that already holds the row's values.
        """
        if raw is None:
            raw = self.raw(row, col)
        where = (row, col)
        if where in self._special:
            if not self._formula_or_error(column, row, col, member_id):
                return None
        elif raw == "" or raw is None:
            return None  # the common case: nothing typed, nothing to report
        elif isinstance(raw, str) and column.type in ("text", "id"):
            return tidy(raw)  # names and codes: nothing to check beyond tidying
        elif isinstance(raw, float) and column.type == "int" and raw.is_integer():
            # the next most common: a count typed as a number (calamine gives floats)
            low = column.minimum if column.minimum is not None else 0
            if raw >= low and (column.maximum is None or raw <= column.maximum):
                return int(raw)
        try:
            value, warning = parse(raw, column)
        except BadValue as bad:
            self.invalid.add(where)
            params = {"field": column.label, "expected": "", **bad.params}
            self.add(bad.code, cell_ref(row, col), value=shown(raw), member_id=member_id, **params)
            return None
        if warning:
            expected = value.strftime("%d/%m/%Y") if warning == "date-as-text" else ""
            self.add(
                warning,
                cell_ref(row, col),
                value=shown(raw),
                member_id=member_id,
                expected=expected,
                field=column.label,
            )
        return value

    def _formula_or_error(self, column: Column, row: int, col: int, member_id: str) -> bool:
        """Report a formula or an error value in an input cell; False when there is no value."""
        where, ref = (row, col), cell_ref(row, col)
        for code, found in (
            ("formula-no-cached-value", self.scan.uncached),
            ("cell-error-value", self.scan.errors),
        ):
            if where in found:
                self.invalid.add(where)
                self.add(code, ref, value=found[where], member_id=member_id, field=column.label)
                return False
        if column.is_input:
            self.add(
                "formula-in-input",
                ref,
                value=self.scan.formulas[where],
                member_id=member_id,
                field=column.label,
            )
        return True

    def label_matches(self, row: int, col: int, column: Column) -> bool:
        """Check a heading cell still holds its label; report ``layout-changed`` if not."""
        found = self.raw(row, col)
        if label_key(found) == label_key(column.label):
            return True
        self.add(
            "layout-changed",
            cell_ref(row, col),
            value=shown(found),
            cell=cell_ref(row, col),
            field=column.label,
        )
        return False

    def check_merged(
        self, first_row: int, cols: Sequence[int], skip_rows: frozenset[int] = frozenset()
    ) -> None:
        """Merged ranges that touch the input area (rows from ``first_row``, columns ``cols``).

        Ranges lying wholly in ``skip_rows`` (a form's headings, merged by the template) pass.
        """
        wanted = set(cols)
        for (r0, c0), (r1, c1) in self.merged:
            if all(r + 1 in skip_rows for r in range(r0, r1 + 1)):
                continue
            if r1 + 1 >= first_row and any(c0 <= c <= c1 for c in wanted):
                span = f"{cell_ref(r0 + 1, c0)}:{cell_ref(r1 + 1, c1)}"
                self.add("merged-input-cells", cell_ref(r0 + 1, c0), value=span)


@functools.lru_cache(maxsize=4096)
def label_key(raw: object) -> str:
    """Labels compare without accents, case, spaces or punctuation (NFD, trailing spaces...)."""
    return re.sub(r"[^a-z0-9]", "", strip_accents(normalize_text(raw)).casefold())


def read_form(ctx: SheetContext, layout: Layout) -> dict[str, Any] | None:
    """Field key → value for a form sheet; None when its labels were moved."""
    fields = [c for c in layout.columns if c.type != "heading"]
    if not all(ctx.label_matches(layout.field_row(c.key), 0, c) for c in layout.columns):
        return None
    headings = frozenset(layout.field_row(c.key) for c in layout.columns if c.type == "heading")
    ctx.check_merged(layout.sheet.header_row, [1], headings)
    return {c.key: ctx.value(c, layout.field_row(c.key), 1) for c in fields}


@dataclass(frozen=True)
class Record:
    """One table row: its 1-based row number and its values by column key."""

    row: int
    values: dict[str, Any]

    def __getitem__(self, key: str) -> Any:
        return self.values.get(key)


def read_table(ctx: SheetContext, layout: Layout, member_key: str | None) -> list[Record] | None:
    """Every non-empty row of a table; None when its headers were moved.

    ``member_key`` names the column holding the member ID, so that issues carry it.
    """
    header = layout.sheet.header_row
    if not all(ctx.label_matches(header, i, c) for i, c in enumerate(layout.columns)):
        return None
    wanted = [(i, c) for i, c in enumerate(layout.columns) if c.type not in ("formula", "heading")]
    ctx.check_merged(header + 1, [i for i, c in wanted if c.is_input])
    id_index = layout.index(member_key) if member_key else None
    special = ctx.scan.special
    order = [i for i, _ in wanted]
    special_rows = {r for r, c in special if c in order}
    readers = [(i, c.key, c, _fast_reader(c)) for i, c in wanted]
    pick = _picker(order)
    records: list[Record] = []
    grid = ctx.grid
    for row in range(layout.first_data_row, len(grid) + 1):
        seen = pick(grid[row - 1])
        odd = row in special_rows  # a formula or an error value among the wanted cells
        if not odd and seen.count("") == len(seen):
            continue  # a row of nothing: the usual end of a table (counted in C)
        member_id = "" if id_index is None else shown(ctx.raw(row, id_index))
        values: dict[str, Any] = {}
        for (i, key, column, fast), raw in zip(readers, seen, strict=True):
            if odd and (row, i) in special:
                values[key] = ctx.value(column, row, i, member_id, raw)
            elif raw == "":
                values[key] = None  # most cells are empty
            else:
                value = fast(raw)
                values[key] = ctx.value(column, row, i, member_id, raw) if value is _SLOW else value
        records.append(Record(row, values))
    return records


def _picker(order: Sequence[int]) -> Callable[[Sequence[Any]], tuple[Any, ...]]:
    """A function that gives a row's cells at the 0-based columns ``order``, as a tuple (``""``
    past the row's end): picked in C, since calamine pads its rows to the sheet's width."""
    pick = operator.itemgetter(*order) if len(order) > 1 else None
    last = max(order, default=-1)

    def picked(cells: Sequence[Any]) -> tuple[Any, ...]:
        if pick is not None and len(cells) > last:
            found: tuple[Any, ...] = pick(cells)
            return found
        return tuple(cells[i] if i < len(cells) else "" for i in order)  # narrow, or one column

    return picked


#: what a fast reader returns for a value it leaves to ``SheetContext.value``
_SLOW: Any = object()


def _fast_reader(column: Column) -> Any:
    """A function that types the usual raw values of ``column`` without the general path (no
    issue can arise from them), or returns ``_SLOW``. It must agree with ``values.parse``."""
    kind = column.type
    if kind in ("text", "id"):
        return lambda raw: tidy(raw) if type(raw) is str else _SLOW
    if kind == "int":
        low = column.minimum if column.minimum is not None else 0
        high = column.maximum

        def whole(raw: object) -> Any:
            if not isinstance(raw, float) or raw < low or (high is not None and raw > high):
                return _SLOW
            return int(raw) if raw.is_integer() else _SLOW

        return whole
    if kind == "date":
        return lambda raw: raw.date() if type(raw) is dt.datetime else _SLOW
    if kind in ("choice", "bool"):
        # drop-down labels repeat on every row: parse each spelling once (neither type warns)
        known: dict[object, Any] = {}

        def label(raw: object) -> Any:
            if type(raw) is not str:
                return _SLOW
            found = known.get(raw)
            if found is None:
                try:
                    found = parse(raw, column)[0]
                except BadValue:
                    return _SLOW  # the general path reports it, cell by cell
                if found is None:
                    return _SLOW
                known[raw] = found
            return found

        return label
    return lambda raw: _SLOW


@dataclass(frozen=True)
class Papers:
    """The papers sheet reduced to counts: member ID → votes per level and blanks."""

    count: int
    #: the row holding the member IDs
    header_row: int
    #: member ID → its 0-based column
    columns: dict[str, int]
    #: member ID → votes in LEVELS order, then "chưa đánh giá, xếp loại", then invalid
    counts: dict[str, list[int]]
    blanks: dict[str, int]


#: where a paper's choices besides the levels are counted in ``Papers.counts``
_PAPER_INDEX: dict[object, int] = {PAPER_NOT_RATED: 4, PAPER_INVALID: 5}


def read_papers(ctx: SheetContext, layout: Layout) -> Papers | None:
    """Recount the ballot papers, one per row; None when the sheet was left empty."""
    paper, names, choice = layout.columns  # declared order: number, names row, per-member
    header = layout.sheet.header_row
    if not (ctx.label_matches(header, 0, paper) and ctx.label_matches(header + 1, 0, names)):
        return None
    columns: dict[str, int] = {}
    width = max((len(r) for r in ctx.grid), default=0)
    for col in range(1, width):
        member_id = shown(ctx.raw(header, col))
        if member_id:
            columns[member_id] = col
    ctx.check_merged(layout.first_data_row, [0, *columns.values()])
    counts: dict[str, list[int]] = {m: [0, 0, 0, 0, 0, 0] for m in columns}
    blanks = dict.fromkeys(columns, 0)
    special = ctx.scan.special
    known: dict[str, int] = {}  # a paper sheet holds few distinct spellings: raw → level index
    special_rows = {r for r, _ in special}
    items = [(member_id, col, counts[member_id]) for member_id, col in columns.items()]
    pick = _picker([col for _, col, _ in items])
    count = 0
    for row in range(layout.first_data_row, len(ctx.grid) + 1):
        cells = ctx.grid[row - 1]
        plain = row not in special_rows  # no formula or error value in the row (the usual)
        if plain and cells.count("") == len(cells):
            continue  # an empty row (counted in C)
        count += 1
        ctx.value(paper, row, 0)
        for (member_id, col, tally), raw in zip(items, pick(cells), strict=True):
            index: int | None
            if plain or (row, col) not in special:
                if raw == "":
                    blanks[member_id] += 1
                    continue
                index = known.get(raw)  # only texts are known: no number equals one
                if index is not None:
                    tally[index] += 1
                    continue
            level = ctx.value(choice, row, col, member_id)
            index = None if level is None else _PAPER_INDEX.get(level)
            if index is None and level is not None:
                index = LEVELS.index(level)
            if index is not None and isinstance(raw, str):
                known[raw] = index
            if index is None:
                blanks[member_id] += 1
            else:
                tally[index] += 1
    if count == 0:
        return None
    return Papers(count, header, columns, counts, blanks)
