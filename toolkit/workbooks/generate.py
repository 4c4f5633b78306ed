"""Write the workbooks: the roster (blank or filled) and each cell's two pre-filled workbooks.

Everything is laid out from the declarations (``declarations.Layout``). Each workbook has an
instructions sheet in Vietnamese, drop-downs fed from a hidden lists sheet (inline lists are
limited to 255 characters), locked labels and formulas with unlocked input cells (sheet protection
without a password), Times New Roman, A4 print setup, frozen headers, and the hidden identity block.
Text from the roster is always written with ``write_string`` (never read as a formula), and the
created date is fixed, so the same roster gives byte-identical files.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from toolkit import __version__
from toolkit.errors import OutputError, os_reason
from toolkit.model import Member, Membership, OrgUnit, Roster
from toolkit.rulebook import RuleSet, load_ruleset
from toolkit.textfit import RowFit, page_header, printed_pixels
from toolkit.workbooks import guides
from toolkit.workbooks.declarations import (
    INSTRUCTIONS_SHEET,
    LISTS,
    LISTS_SHEET,
    YES,
    Column,
    Declaration,
    Layout,
    column_letter,
    features_at,
    features_for,
    load_declaration,
)
from toolkit.workbooks.identity import IDENTITY_SHEET, Identity, roster_hash, safe_file_stem
from toolkit.workbooks.styles import (
    DIGIT_PIXELS,
    FONT,
    FORMATS,
    PAPER_A4,
    PROTECTION,
    ROSTER_PROTECTION,
    input_format,
    list_name,
    row_fit,
    validation,
)

if TYPE_CHECKING:
    from toolkit.outputs.sheets import Tail

Target = Path | str | IO[bytes]
#: the instructions' one column, as wide as an A4 page in portrait holds (8 px a character)
INSTRUCTIONS_WIDTH = 84
#: the form sheets' columns: label, value, help (together, an A4 page in landscape)
FORM_WIDTHS = (50.0, 24.0, 50.0)
#: what an A4 page prints between margins of 0.5 in, in pixels (96 to the inch)
PORTRAIT_PIXELS = int((8.27 - 1.0) * 96)
LANDSCAPE_PIXELS = int((11.69 - 1.0) * 96)
#: the least a table is scaled to print one page wide (9 points for 12): a wider one prints at
#: full size across pages instead (the tally, a little wider than the page, stays whole)
LEAST_SCALE = 0.75
#: the least height of a table's header row (points)
HEADER_LEAST = 30.0
#: the fixed "created" date of a blank roster (cell workbooks use 1 January of the rating year)
ROSTER_CREATED = dt.datetime(2023, 1, 1)


class _Book:
    """One workbook being written: its formats, its sheets in order, its identity."""

    def __init__(
        self,
        target: Target,
        declaration: Declaration,
        created: dt.datetime,
        *,
        tails: bool = False,
    ) -> None:
        """``tails``: a table's records after the first are rendered by the lean writer and
        appended once xlsxwriter has finished (``outputs.splice``): xlsxwriter takes about
        7 µs a cell, and holds them all until it closes (a city's decisions workbook: 52,000
        rows, 3 s and 100 MB in xlsxwriter)."""
        from toolkit.xlsxwriter_text import Workbook

        self.declaration = declaration
        self.target = target
        #: the rows the lean writer appends, and the package xlsxwriter writes first (``tails``)
        self.tails: list[_Rows] = []
        self.package = io.BytesIO() if tails else None
        options = {
            "default_format_properties": dict(FONT),
            "in_memory": True,  # no temporary files: faster, and nothing left behind
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
        }
        self.book = Workbook(target if self.package is None else self.package, options)
        self.book.set_properties(
            {
                "title": declaration.title,
                "author": "xeploai",
                "created": created,
                "comments": f"xeploai {__version__}",
            }
        )
        self.fmt = {name: self.book.add_format(props) for name, props in FORMATS.items()}

    def instructions(
        self, lines: Sequence[str], subtitle: str, features: tuple[str, ...] = ()
    ) -> None:
        ws = self.book.add_worksheet(INSTRUCTIONS_SHEET)
        ws.set_column(0, 0, INSTRUCTIONS_WIDTH)
        fit = row_fit([(INSTRUCTIONS_WIDTH, "text")])
        ws.write_string(0, 0, self.declaration.title.upper(), self.fmt["title"])
        ws.set_row(1, fit([subtitle]))  # a long cell name wraps
        ws.write_string(1, 0, subtitle, self.fmt["subtitle"])
        texts = [f"{number}. {line}" for number, line in enumerate(lines, start=1)]
        texts.append("")
        texts.append("Giải thích các cột cần nhập")
        texts += [
            f"«{sheet.name}» › {column.label}: {column.help}"
            for sheet in self.declaration.sheets
            # only the columns this workbook has (not the score columns under QD124)
            for column in self.declaration.layout(sheet.key, features).columns
            if column.is_input and column.help
        ]
        for row, text in enumerate(texts, start=3):
            if text == "Giải thích các cột cần nhập":
                ws.write_string(row, 0, text, self.fmt["heading"])
            elif text:
                ws.set_row(row, fit([text]))
                ws.write_string(row, 0, text, self.fmt["text"])
        self._print(ws, landscape=False)
        ws.protect("", PROTECTION)
        ws.activate()

    def lists(self) -> None:
        ws = self.book.add_worksheet(LISTS_SHEET)
        for col, (name, values) in enumerate(LISTS.items()):
            ws.write_string(0, col, name)
            for row, value in enumerate(values, start=1):
                ws.write_string(row, col, value)
            letter = column_letter(col)
            self.book.define_name(
                list_name(name), f"='{LISTS_SHEET}'!${letter}$2:${letter}${len(values) + 1}"
            )
            ws.set_column(col, col, 32)
        ws.hide()
        ws.protect("", PROTECTION)

    def identity(self, identity: Identity) -> None:
        ws = self.book.add_worksheet(IDENTITY_SHEET)
        ws.write_string(0, 0, "Thông tin nhận diện biểu mẫu: không sửa, không xóa trang này.")
        for row, (key, value) in enumerate(identity.rows(), start=1):
            ws.write_string(row, 0, key)
            ws.write_string(row, 1, value)
        ws.very_hidden()
        ws.protect("", PROTECTION)

    def close(self) -> None:
        from xlsxwriter.exceptions import FileCreateError

        try:
            self.book.close()
            if self.package is not None:
                from toolkit.outputs.splice import append_rows

                append_rows(self.package.getvalue(), self.target, [t.tail() for t in self.tails])
        except (FileCreateError, OSError) as exc:
            # xlsxwriter wraps the system's error (a file open in Excel, a folder without rights)
            cause = exc.args[0] if isinstance(exc, FileCreateError) and exc.args else exc
            raise OutputError(f"Không ghi được biểu mẫu: {os_reason(cause)}.") from None

    def _print(
        self,
        ws: Any,
        *,
        landscape: bool,
        repeat: int | None = None,
        widths: Sequence[float] = (),
        title_cols: int = 0,
        table: tuple[str, str, int, int] | None = None,
    ) -> None:
        """A4, a page wide; a table too wide to be scaled to the page (``widths``,
        ``prints_across``) prints at full size across pages instead, left to right, its first
        ``title_cols`` columns (the member's number, code and name) repeated on the left of
        each. ``table``: its title, subtitle, first and last rows (header included)."""
        ws.set_paper(PAPER_A4)
        if landscape:
            ws.set_landscape()
        across = prints_across(widths, landscape=landscape)
        if across:
            ws.print_across()
            if title_cols:
                ws.repeat_columns(0, title_cols - 1)
        else:
            ws.fit_to_pages(1, 0)
        ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
        if across and title_cols and table is not None:
            # the title, subtitle and note would print on every page after the first cut to
            # the repeated columns: they stay on the screen, the title heads every page
            title, subtitle, first, last = table
            ws.print_area(first, 0, last, len(widths) - 1)
            ws.set_header(page_header(title, subtitle))
            ws.set_margins(left=0.5, right=0.5, top=0.9, bottom=0.6)
        ws.set_footer("&C&P/&N")
        if repeat is not None:
            # across pages, the titles and the note (merged over the first page's columns)
            # print once: repeated, the next pages would show them cut
            ws.repeat_rows(repeat if across else 0, repeat)

    def _titles(self, ws: Any, title: str, subtitle: str, width: int) -> None:
        if width > 1:
            ws.merge_range(0, 0, 0, width - 1, title, self.fmt["title"])
            ws.merge_range(1, 0, 1, width - 1, subtitle, self.fmt["subtitle"])
        else:
            ws.write_string(0, 0, title, self.fmt["title"])
            ws.write_string(1, 0, subtitle, self.fmt["subtitle"])
        ws.set_row(0, 24)

    def _value(self, ws: Any, row: int, col: int, column: Column, value: object, fmt: str) -> None:
        """Write a prefilled or filled value with the right cell type (row 0-based)."""
        cell_format = self.fmt[fmt]
        shown = _cell_value(value)
        if shown is None or shown == "":
            ws.write_blank(row, col, None, cell_format)
        elif isinstance(shown, int | float):
            ws.write_number(row, col, shown, cell_format)
        else:
            ws.write_string(row, col, str(shown), cell_format)

    def form(
        self,
        layout: Layout,
        subtitle: str,
        prefilled: dict[str, object],
        known: dict[str, object] | None = None,
    ) -> None:
        """Label, value and help per field; ``known``: input values the roster gives, written
        in the (editable) input cell and said so."""
        known = known or {}
        sheet = layout.sheet
        ws = self.book.add_worksheet(sheet.name)
        self._titles(ws, sheet.title, subtitle, 3)
        for col, width in enumerate(FORM_WIDTHS):
            ws.set_column(col, col, width)
        head = sheet.header_row - 2  # 0-based row above the first field
        for col, text in enumerate(("Nội dung", "Số liệu", "Hướng dẫn")):
            ws.write_string(head, col, text, self.fmt["header"])
        label, value, help_ = FORM_WIDTHS
        for column in layout.columns:
            row = layout.field_row(column.key) - 1
            if column.type == "heading":
                ws.merge_range(row, 0, row, 2, column.label, self.fmt["heading"])
                continue
            advice = column.help
            if column.prefilled:
                fmt = "prefilled_int" if column.type == "int" else "prefilled"
                given = prefilled.get(column.key)
            else:
                fmt, given = input_format(column), known.get(column.key)
                if given is not None:
                    advice = f"{advice} {guides.SUGGESTED}".strip()
            fit = row_fit([(label, "label"), (value, fmt), (help_, "help")])
            height = fit([column.label, given if isinstance(given, str) else "", advice])
            if height is not None:
                ws.set_row(row, height)
            ws.write_string(row, 0, column.label, self.fmt["label"])
            self._value(ws, row, 1, column, given, fmt)
            if not column.prefilled:
                ws.data_validation(row, 1, row, 1, validation(column))
            ws.write_string(row, 2, advice, self.fmt["help"])
        ws.freeze_panes(head + 1, 0)
        self._print(ws, landscape=True, repeat=head)
        ws.protect("", PROTECTION)

    def table(
        self,
        layout: Layout,
        subtitle: str,
        records: Sequence[dict[str, object]],
        *,
        rows: int,
        roster: bool = False,
        note: str = "",
    ) -> Any:
        """A header row then ``rows`` record rows (the records first, then blank input rows),
        under a ``note`` on what to fill; the worksheet."""
        sheet = layout.sheet
        ws = self.book.add_worksheet(sheet.name)
        columns = layout.columns
        widths = [c.width for c in columns]
        # titles and note over the columns of the first printed page (all, scaled to one)
        span = first_page(widths) if prints_across(widths) else len(columns)
        self._titles(ws, sheet.title, subtitle, span)
        header = sheet.header_row - 1
        if note and header >= 3:  # the row between the titles and the header
            self._note(ws, header - 1, note, widths[:span])
        first = header + 1
        last = header + max(rows, 1)
        heads = row_fit([(c.width, "header") for c in columns])
        ws.set_row(header, max(HEADER_LEAST, heads([c.label for c in columns]) or 0.0))
        cells_fit = row_fit([(c.width, self._format_name(c)) for c in columns])
        frozen_cols = 0
        for col, column in enumerate(columns):
            default = None
            if roster:  # rows the district adds below the prepared ones stay editable
                default = self.fmt["open_date" if column.type == "date" else "open"]
            ws.set_column(col, col, column.width, default)
            ws.write_string(header, col, column.label, self.fmt["header"])
            if column.prefilled:
                frozen_cols = col + 1
        written = last - first + 1
        if self.package is not None and written > 1:
            # xlsxwriter writes the first row (each column's format gets its index), the lean
            # writer the others once xlsxwriter has finished
            assert all(c.type != "formula" for c in columns)
            formats = [self.fmt[self._format_name(c)] for c in columns]
            part = f"xl/worksheets/sheet{len(self.book.worksheets())}.xml"
            self.tails.append(_Rows(part, columns, formats, cells_fit, records, first, last))
            written = 1
        for offset in range(written):
            row = first + offset
            record = records[offset] if offset < len(records) else {}
            height = cells_fit([record.get(c.key) for c in columns]) if record else None
            if height is not None:
                ws.set_row(row, height)
            for col, column in enumerate(columns):
                if column.type == "formula":
                    # ``{previous}``: the column just before (a total over the columns
                    # before it, whichever of them the template version has)
                    cells = {c.key: f"{column_letter(i)}{row + 1}" for i, c in enumerate(columns)}
                    cells["previous"] = f"{column_letter(col - 1)}{row + 1}"
                    formula = column.formula.format(**cells)
                    ws.write_formula(row, col, formula, self.fmt["formula"], 0)
                else:
                    fmt = self._format_name(column)
                    self._value(ws, row, col, column, record.get(column.key), fmt)
        for col, column in enumerate(columns):
            if column.is_input:
                ws.data_validation(first, col, last, col, validation(column))
        frozen_cols = frozen_cols or (2 if roster else 0)
        ws.freeze_panes(first, frozen_cols)
        self._print(ws, landscape=True, repeat=header, widths=widths, title_cols=frozen_cols,
                    table=(sheet.title, subtitle, header, last))  # fmt: skip
        ws.protect("", ROSTER_PROTECTION if roster else PROTECTION)
        return ws

    def _note(self, ws: Any, row: int, text: str, widths: Sequence[float]) -> None:
        """A note across the table's first printed page (columns ``widths``), as tall as its
        text."""
        span = len(widths)
        ws.set_row(row, row_fit([(sum(widths), "note")])([text]))
        if span > 1:
            ws.merge_range(row, 0, row, span - 1, text, self.fmt["note"])
        else:
            ws.write_string(row, 0, text, self.fmt["note"])

    @staticmethod
    def _format_name(column: Column) -> str:
        """The format of a table's value cell in ``column``."""
        if column.type == "formula":
            return "formula"
        if column.prefilled:
            return "prefilled_int" if column.type == "int" else "prefilled"
        return input_format(column)

    def papers(self, layout: Layout, subtitle: str, members: Sequence[Member], rows: int) -> None:
        """One row per ballot paper, one column per member (ID row, then name row)."""
        sheet = layout.sheet
        paper, names, choice = layout.columns
        ws = self.book.add_worksheet(sheet.name)
        width = len(members) + 1
        widths = [paper.width, *[choice.width] * len(members)]
        self._titles(
            ws, sheet.title, subtitle, first_page(widths) if prints_across(widths) else width
        )
        id_row = sheet.header_row - 1
        ws.write_string(id_row, 0, paper.label, self.fmt["header"])
        ws.write_string(id_row + 1, 0, names.label, self.fmt["header"])
        ws.set_column(0, 0, paper.width)
        names_fit = row_fit(
            [(paper.width, "header"), *[(choice.width, "prefilled")] * len(members)]
        )
        height = names_fit([names.label, *(m.full_name for m in members)])
        ws.set_row(id_row + 1, max(HEADER_LEAST, height or 0.0))
        for col, member in enumerate(members, start=1):
            ws.set_column(col, col, choice.width)
            ws.write_string(id_row, col, member.member_id, self.fmt["prefilled"])
            ws.write_string(id_row + 1, col, member.full_name, self.fmt["prefilled"])
        first = id_row + 2
        last = first + max(rows, 1) - 1
        # A cell per member per paper would be thousands of cells: the rows are unlocked by a
        # row format instead, and the grid's borders come from one conditional format.
        for row in range(first, last + 1):
            ws.set_row(row, None, self.fmt["open"])
            ws.write_blank(row, 0, None, self.fmt["input_int"])
        if members:
            grid = {"type": "no_errors", "format": self.fmt["grid"]}
            ws.conditional_format(first, 1, last, width - 1, grid)
        ws.data_validation(first, 0, last, 0, validation(paper))
        if members:
            ws.data_validation(first, 1, last, width - 1, validation(choice))
        ws.freeze_panes(first, 1)
        self._print(ws, landscape=True, repeat=id_row + 1, widths=widths, title_cols=1,
                    table=(sheet.title, subtitle, id_row, last))  # fmt: skip
        ws.protect("", PROTECTION)


@dataclass(frozen=True)
class _Rows:
    """A table's rows after its first, to its ``last`` (0-based), left to the lean writer:
    rendered with the indices xlsxwriter gave the columns' formats, once it has closed the
    workbook."""

    #: the sheet's part in the package
    part: str
    columns: Sequence[Column]
    formats: Sequence[Any]
    fit: RowFit
    records: Sequence[dict[str, object]]
    #: the row of the first record (xlsxwriter's), the table's last row
    top: int
    last: int

    def tail(self) -> Tail:
        from toolkit.outputs.lean_sheet import table_cells
        from toolkit.outputs.sheets import Tail

        # the index xlsxwriter gave each format in the first row (a format equal to one made
        # before shares that one's index, which only this method looks up)
        styles = [f._get_xf_index() for f in self.formats]
        keys = [c.key for c in self.columns]

        def render() -> Iterator[str]:
            for row in range(self.top + 1, self.last + 1):
                offset = row - self.top
                record = self.records[offset] if offset < len(self.records) else {}
                values = [_cell_value(record.get(key)) for key in keys]
                numeric = [type(v) is int or type(v) is float for v in values]
                cells = table_cells(row, values, numeric, styles, True)
                height = self.fit([record.get(key) for key in keys]) if record else None
                if height is None:
                    yield f'<row r="{row + 1}">{cells}</row>'
                else:  # as xlsxwriter writes it
                    yield f'<row r="{row + 1}" ht="{height:.16g}" customHeight="1">{cells}</row>'

        last = column_letter(len(self.columns) - 1)
        return Tail(self.part, render(), f"A1:{last}{self.last + 1}")


def _cell_value(value: object) -> object:
    """A value as a cell holds it (``_Book._value``, and the lean writer for the rows it
    renders): a number, a day number (dates), a text (``YES`` for true), or None (blank)."""
    if isinstance(value, bool):
        return YES if value else None
    if isinstance(value, int | float) or value is None:
        return value
    if isinstance(value, dt.date):
        from toolkit.outputs.lean_sheet import excel_day

        return excel_day(value)
    return str(value)


def prints_across(widths: Sequence[float], *, landscape: bool = True) -> bool:
    """Whether a table of columns ``widths`` prints at full size across pages: scaled to one
    page's width, it would shrink below ``LEAST_SCALE``. A table a little wider than the page
    (the tally of ballot version 2, the competent level's decisions) prints a page wide, so
    that each row is read whole."""
    page = LANDSCAPE_PIXELS if landscape else PORTRAIT_PIXELS
    return printed_pixels(widths, DIGIT_PIXELS) * LEAST_SCALE > page


def first_page(widths: Sequence[float]) -> int:
    """How many of a table's first columns print on its first page (landscape, full size): a
    title or note merged over them is read whole, however wide the table prints."""
    span = 0
    while (
        span < len(widths) and printed_pixels(widths[: span + 1], DIGIT_PIXELS) <= LANDSCAPE_PIXELS
    ):
        span += 1
    return max(span, 1)


def _member_record(number: int, member: Member) -> dict[str, object]:
    return {
        "no": number,
        "member_id": member.member_id,
        "full_name": member.full_name,
        "membership": member.membership.label,
        # «Mẫu 2A»: the long label would wrap over the rows below in a locked, narrow cell
        "subject_type": member.subject_type.form,
    }


def workbook_features(rules: RuleSet) -> tuple[str, ...]:
    """The optional parts of the cell workbooks made under ``rules`` (``features_for``)."""
    return features_for(rules.uses_scores, rules.scores_required, rules.uses_conditions)


def _cell_context(cell: OrgUnit, year: int, rules: RuleSet) -> dict[str, object]:
    return {
        "cell_code": cell.code,
        "cell_name": cell.name,
        "year": year,
        "ruleset_name": rules.name,
    }


def write_cell_workbook(
    kind: str,
    cell: OrgUnit,
    members: Sequence[Member],
    year: int,
    rules: RuleSet,
    target: Target,
    *,
    version: int | None = None,
) -> None:
    """Write the ``self_assessment`` or ``ballot`` workbook of one cell to a path or buffer.

    ``version``: an earlier template version (as files already sent out were made), for tests
    that those are still read; the current one when None.
    """
    declaration = load_declaration(kind)
    at = declaration.version if version is None else version
    # the rule-set's parts as that version knew them, and what every workbook of the current
    # version carries (an earlier version, made for tests, carries none of it)
    features = (
        *features_at(workbook_features(rules), at),
        *(declaration.features if version is None else ()),
    )
    context = _cell_context(cell, year, rules)
    subtitle = f"{cell.name} (mã {cell.code}) · năm đánh giá {year}"
    book = _Book(target, declaration, dt.datetime(year, 1, 1))
    lines = [line.format(**context) for line in declaration.instructions]
    book.instructions(lines, subtitle, features)
    records = [_member_record(n, m) for n, m in enumerate(members, start=1)]
    forms = [
        declaration.layout(s.key, features, at) for s in declaration.sheets if s.layout == "form"
    ]
    known: dict[str, object] = {
        "official_total": sum(1 for m in members if m.membership is Membership.OFFICIAL)
    }
    for sheet in declaration.sheets:
        layout = declaration.layout(sheet.key, features, at)
        if sheet.layout == "form":
            book.form(layout, subtitle, context, known)
        elif sheet.layout == "table":
            meeting = guides.meeting_of(layout, forms)
            # a tally's vote cells are each optional: what it needs said is how rows add up
            note = (
                guides.table_note(layout) if meeting is None else guides.tally_note(layout, meeting)
            )
            ws = book.table(layout, subtitle, records, rows=len(records), note=note)
            if meeting is not None and records:
                first = layout.first_data_row - 1
                guides.define_meeting_names(book.book, meeting)
                fmt = book.fmt
                guides.check_tally(ws, layout, first, first + len(records) - 1,
                                   fmt["mismatch"], fmt["match"])  # fmt: skip
        else:
            voters = sum(1 for m in members if m.membership is Membership.OFFICIAL)
            book.papers(layout, subtitle, members, rows=voters)
    book.lists()
    book.identity(
        Identity(
            kind=kind,
            template_version=at,
            year=year,
            cell_code=cell.code,
            roster_hash=roster_hash(cell, members),
            ruleset=rules.code,
            features=features,
            generator=f"xeploai {__version__}",
        )
    )
    book.close()


def cell_file_names(roster: Roster) -> dict[str, str]:
    """Cell code → the file name stem of its workbooks, unique and safe on Windows."""
    stems: dict[str, str] = {}
    used: set[str] = set()
    for cell in roster.tree.cells():
        stem = safe_file_stem(cell.code, cell.name)
        candidate, n = stem, 1
        while candidate.casefold() in used:  # Windows file names ignore case
            n += 1
            candidate = f"{stem}-{n}"
        used.add(candidate.casefold())
        stems[cell.code] = candidate
    return stems


def generate_cell_workbooks(
    roster: Roster,
    year: int,
    out_dir: Path,
    *,
    rules: RuleSet | None = None,
    only: Sequence[str] = (),
) -> list[Path]:
    """Write every cell's self-assessment and ballot workbooks into ``out_dir``, or only those
    of the cells coded ``only`` (under the names a full run gives them); their paths."""
    rules = rules or load_ruleset(year)
    wanted = set(only)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"Không tạo được thư mục {out_dir}: {os_reason(exc)}.") from None
    written: list[Path] = []
    stems = cell_file_names(roster)
    for cell in roster.tree.cells():
        if wanted and cell.code not in wanted:
            continue
        members = roster.members_of(cell.code)
        for kind in ("self_assessment", "ballot"):
            path = out_dir / f"{stems[cell.code]}-{load_declaration(kind).file_name}.xlsx"
            write_cell_workbook(kind, cell, members, year, rules, path)
            written.append(path)
    return written


def _roster_book(target: Target, roster: Roster | None) -> None:
    declaration = load_declaration("roster")
    book = _Book(target, declaration, ROSTER_CREATED)
    subtitle = "Cấp ủy cấp trên lập; dùng để tạo biểu mẫu cho các chi bộ"
    book.instructions(declaration.instructions, subtitle)
    units: list[dict[str, object]] = []
    members: list[dict[str, object]] = []
    if roster is not None:
        units = [
            {
                "code": u.code,
                "name": u.name,
                "kind": u.kind.label,
                "parent_code": u.parent_code,
                "org_type": u.org_type,
                "secretary_name": u.secretary_name,
                "secretary_email": u.secretary_email,
            }
            for u in roster.tree.units.values()
        ]
        members = [
            {
                "member_id": m.member_id,
                "full_name": m.full_name,
                "cell_code": m.cell_code,
                "membership": m.membership.label,
                "birth_year": m.birth_year,
                "admission_date": m.admission_date,
                "position": m.position,
                "is_leader": m.is_leader,
                "is_head": m.is_head,
                "subject_type": m.subject_type.label,
            }
            for m in roster.members
        ]
    for sheet, records in zip(declaration.sheets, (units, members), strict=True):
        layout = declaration.layout(sheet.key)
        rows = max(sheet.rows, len(records) + 100) if roster is None else len(records) + 100
        book.table(layout, declaration.title, records, rows=rows, roster=True)
    book.lists()
    book.identity(
        Identity(
            kind="roster", template_version=declaration.version, generator=f"xeploai {__version__}"
        )
    )
    book.close()


def write_blank_roster(target: Target) -> None:
    """Write the blank roster workbook the district fills (a path or a binary buffer)."""
    _roster_book(target, None)


def write_roster(roster: Roster, target: Target) -> None:
    """Write ``roster`` as a filled roster workbook (read back by ``read_roster``)."""
    _roster_book(target, roster)


def write_declared_workbook(
    kind: str,
    *,
    subtitle: str,
    context: dict[str, object],
    records: dict[str, Sequence[dict[str, object]]],
    identity: Identity,
    created: dt.datetime,
    target: Target,
) -> None:
    """A workbook of ``kind`` whose forms are pre-filled from ``context`` and whose tables
    hold ``records`` (by sheet key): the decisions workbook (``decisionbook``)."""
    declaration = load_declaration(kind)
    book = _Book(target, declaration, created, tails=True)
    book.instructions([line.format(**context) for line in declaration.instructions], subtitle)
    for sheet in declaration.sheets:
        layout = declaration.layout(sheet.key)
        if sheet.layout == "form":
            book.form(layout, subtitle, context)
        else:
            rows = records.get(sheet.key, ())
            book.table(layout, subtitle, rows, rows=len(rows))
    book.lists()
    book.identity(identity)
    book.close()
