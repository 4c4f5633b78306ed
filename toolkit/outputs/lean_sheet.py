"""One worksheet of the lean writer: rows streamed to SpreadsheetML as they are written.

Rows are written top to bottom and cells left to right, as in xlsxwriter's ``constant_memory``
mode; going back is a programming error (``ValueError``). Text is written inline (no shared
string table), escaped as Excel escapes it.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from collections.abc import Sequence
from typing import Any

from toolkit.outputs.lean_styles import LeanFormat

XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
NS_MAIN = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
NS_REL = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
# characters XML 1.0 forbids, written the way Excel escapes them (_xHHHH_); an existing
# _xHHHH_ in the text is protected first so that it reads back unchanged
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_LITERAL_ESCAPE = re.compile(r"_x[0-9A-Fa-f]{4}_")
_SPECIAL = re.compile(r"[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|_x")


#: the most characters an Excel cell holds; a longer text would make the file unreadable
CELL_TEXT_MAX = 32767


def clip(text: str) -> str:
    """Text cut to what one Excel cell can hold, marked with an ellipsis when cut."""
    return text if len(text) <= CELL_TEXT_MAX else text[: CELL_TEXT_MAX - 1] + "…"


def column_letter(col: int) -> str:
    """0 → ``A``, 25 → ``Z``, 26 → ``AA``."""
    letters = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


_LETTERS = [column_letter(c) for c in range(128)]


def escape_text(text: str) -> str:
    """Text as SpreadsheetML cell content."""
    if not _SPECIAL.search(text):
        return text  # most names and messages: nothing to escape
    if "_x" in text:
        text = _LITERAL_ESCAPE.sub(lambda m: "_x005F" + m.group(0), text)
    if _CONTROL.search(text):
        text = _CONTROL.sub(lambda m: f"_x{ord(m.group(0)):04X}_", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def escape_attribute(text: str) -> str:
    """Text as an XML attribute value."""
    return escape_text(text).replace('"', "&quot;")


class LeanSheet:
    """``xlsxwriter.Worksheet``'s calls that the result workbooks make, streamed row by row."""

    def __init__(self, name: str, index: int) -> None:
        self.name = name
        self.index = index
        self._rows: list[str] = []
        self._row = -1
        self._col = -1
        self._cells: list[str] = []
        self._heights: dict[int, float] = {}
        self._cols: list[tuple[int, int, float]] = []
        self._max_row = 0
        self._max_col = 0
        self._freeze: tuple[int, int] | None = None
        self.filter: tuple[int, int, int, int] | None = None
        self.title_rows: tuple[int, int] | None = None
        self._landscape = False
        self._paper = 0
        self._margins = (0.7, 0.7, 0.75, 0.75)
        self._fit: tuple[int, int] | None = None
        self._footer = ""

    # -- layout ----------------------------------------------------------------------------

    def set_column(self, first: int, last: int, width: float) -> None:
        self._cols.append((first, last, width))

    def set_row(self, row: int, height: float) -> None:
        self._heights[row] = height

    def freeze_panes(self, row: int, col: int) -> None:
        self._freeze = (row, col)

    def autofilter(self, first_row: int, first_col: int, last_row: int, last_col: int) -> None:
        self.filter = (first_row, first_col, last_row, last_col)

    def repeat_rows(self, first: int, last: int | None = None) -> None:
        self.title_rows = (first, first if last is None else last)

    def set_landscape(self) -> None:
        self._landscape = True

    def set_paper(self, paper: int) -> None:
        self._paper = paper

    def set_margins(
        self, left: float = 0.7, right: float = 0.7, top: float = 0.75, bottom: float = 0.75
    ) -> None:
        self._margins = (left, right, top, bottom)

    def fit_to_pages(self, width: int, height: int) -> None:
        self._fit = (width, height)

    def set_footer(self, footer: str) -> None:
        self._footer = footer

    # -- cells (rows in order, columns in order) -------------------------------------------

    def _start_row(self, row: int) -> None:
        if row < self._row:
            raise ValueError(f"{self.name}: row {row + 1} written after row {self._row + 1}")
        self._flush()
        self._row, self._col = row, -1
        self._max_row = row

    def _at(self, row: int, col: int) -> str:
        if row != self._row:
            self._start_row(row)
        if col <= self._col:
            raise ValueError(
                f"{self.name}: cell {column_letter(col)}{row + 1} written twice or out of order"
            )
        self._col = col
        if col > self._max_col:
            self._max_col = col
        return f"{_LETTERS[col] if col < 128 else column_letter(col)}{row + 1}"

    def write_table_row(
        self,
        row: int,
        values: Sequence[object],
        numeric: Sequence[bool],
        fmts: Sequence[Any],
        blanks: bool,
    ) -> None:
        """A whole row at once (the hot path of large tables); see ``table_cells``."""
        if row <= self._row:
            raise ValueError(f"{self.name}: row {row + 1} written twice or out of order")
        self._start_row(row)
        self._cells.append(table_cells(row, values, numeric, [f.xf_index for f in fmts], blanks))
        self._col = len(values) - 1
        if self._col > self._max_col:
            self._max_col = self._col

    def write_string(self, row: int, col: int, text: str, fmt: LeanFormat | None = None) -> None:
        text = clip(text)
        ref = self._at(row, col)
        style = f' s="{fmt.index}"' if fmt is not None and fmt.index else ""
        space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
        self._cells.append(
            f'<c r="{ref}"{style} t="inlineStr"><is><t{space}>{escape_text(text)}</t></is></c>'
        )

    def write_number(
        self, row: int, col: int, number: float, fmt: LeanFormat | None = None
    ) -> None:
        ref = self._at(row, col)
        style = f' s="{fmt.index}"' if fmt is not None and fmt.index else ""
        self._cells.append(f'<c r="{ref}"{style}><v>{_number(number)}</v></c>')

    def write_datetime(
        self, row: int, col: int, when: _dt.date, fmt: LeanFormat | None = None
    ) -> None:
        """A date as Excel stores it: days since 1899-12-30 (a number with a date format)."""
        day = when.date() if isinstance(when, _dt.datetime) else when
        self.write_number(row, col, (day - _dt.date(1899, 12, 30)).days, fmt)

    def write_blank(
        self, row: int, col: int, _blank: object, fmt: LeanFormat | None = None
    ) -> None:
        if fmt is None or not fmt.index:
            return  # like xlsxwriter: a blank without a format is no cell at all
        ref = self._at(row, col)
        self._cells.append(f'<c r="{ref}" s="{fmt.index}"/>')

    def _flush(self) -> None:
        if self._row < 0:
            return
        height = self._heights.get(self._row)
        ht = f' ht="{height:g}" customHeight="1"' if height is not None else ""
        self._rows.append(f'<row r="{self._row + 1}"{ht}>{"".join(self._cells)}</row>')
        self._cells = []

    # -- the sheet's XML -------------------------------------------------------------------

    def quoted_name(self) -> str:
        return "'" + self.name.replace("'", "''") + "'"

    def filter_range(self) -> str:
        assert self.filter is not None
        r1, c1, r2, c2 = self.filter
        return f"${column_letter(c1)}${r1 + 1}:${column_letter(c2)}${r2 + 1}"

    def xml(self) -> str:
        self._flush()
        self._row = 1 << 30  # closed: any further write is out of order
        fit = '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>' if self._fit else ""
        dimension = f"A1:{column_letter(self._max_col)}{self._max_row + 1}" if self._rows else "A1"
        cols = "".join(
            f'<col min="{a + 1}" max="{b + 1}" width="{_width(w)}" customWidth="1"/>'
            for a, b, w in self._cols
        )
        auto = ""
        if self.filter:
            r1, c1, r2, c2 = self.filter
            auto = f'<autoFilter ref="{column_letter(c1)}{r1 + 1}:{column_letter(c2)}{r2 + 1}"/>'
        left, right, top, bottom = self._margins
        setup = f'<pageSetup paperSize="{self._paper}"' if self._paper else "<pageSetup"
        if self._fit:
            setup += (f' fitToWidth="{self._fit[0]}"' if self._fit[0] != 1 else "") + (
                f' fitToHeight="{self._fit[1]}"' if self._fit[1] != 1 else ""
            )
        setup += ' orientation="landscape"/>' if self._landscape else ' orientation="portrait"/>'
        footer = (
            f"<headerFooter><oddFooter>{escape_text(self._footer)}</oddFooter></headerFooter>"
            if self._footer
            else ""
        )
        return (
            f'{XML_HEAD}<worksheet {NS_MAIN} {NS_REL}>{fit}<dimension ref="{dimension}"/>'
            f'<sheetViews>{self._view()}</sheetViews><sheetFormatPr defaultRowHeight="15"/>'
            f"{f'<cols>{cols}</cols>' if cols else ''}<sheetData>{''.join(self._rows)}</sheetData>"
            f'{auto}<pageMargins left="{left:g}" right="{right:g}" top="{top:g}" '
            f'bottom="{bottom:g}" header="0.3" footer="0.3"/>{setup}{footer}</worksheet>'
        )

    def _view(self) -> str:
        selected = ' tabSelected="1"' if self.index == 0 else ""
        if not self._freeze or self._freeze == (0, 0):
            return f'<sheetView{selected} workbookViewId="0"/>'
        row, col = self._freeze
        top_left = f"{column_letter(col)}{row + 1}"
        if row and col:
            pane = (
                f'<pane xSplit="{col}" ySplit="{row}" topLeftCell="{top_left}" '
                'activePane="bottomRight" state="frozen"/>'
                f'<selection pane="topRight" activeCell="{column_letter(col)}1" '
                f'sqref="{column_letter(col)}1"/>'
                f'<selection pane="bottomLeft" activeCell="A{row + 1}" sqref="A{row + 1}"/>'
                '<selection pane="bottomRight"/>'
            )
        elif row:
            pane = (
                f'<pane ySplit="{row}" topLeftCell="{top_left}" activePane="bottomLeft" '
                'state="frozen"/><selection pane="bottomLeft"/>'
            )
        else:
            pane = (
                f'<pane xSplit="{col}" topLeftCell="{top_left}" activePane="topRight" '
                'state="frozen"/><selection pane="topRight"/>'
            )
        return f'<sheetView{selected} workbookViewId="0">{pane}</sheetView>'


def table_cells(
    row: int,
    values: Sequence[object],
    numeric: Sequence[bool],
    styles: Sequence[int],
    blanks: bool,
) -> str:
    """The ``<c>`` elements of one table row (0-based ``row``).

    ``numeric[col]`` says whether a value is written as a number or as inline text, and
    ``styles[col]`` is its cell-format index. None and "" are skipped, or written as formatted
    blanks if ``blanks`` (a highlighted row stays highlighted across its empty cells).
    """
    r = str(row + 1)
    cells = []
    for col, value in enumerate(values):
        if value is None or value == "":
            if blanks:
                cells.append(f'<c r="{_LETTERS[col]}{r}" s="{styles[col]}"/>')
        elif numeric[col]:
            number = str(value) if type(value) is int else _number(value)
            cells.append(f'<c r="{_LETTERS[col]}{r}" s="{styles[col]}"><v>{number}</v></c>')
        else:
            text = clip(str(value))
            space = ' xml:space="preserve"' if text[0].isspace() or text[-1].isspace() else ""
            cells.append(
                f'<c r="{_LETTERS[col]}{r}" s="{styles[col]}" t="inlineStr"><is><t{space}>'
                f"{escape_text(text)}</t></is></c>"
            )
    return "".join(cells)


def _number(value: object) -> str:
    """The shortest text that reads back as the same double; integers without ".0"."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"not a number: {value!r}")
    if isinstance(value, int):
        return str(value)
    if not math.isfinite(value):
        raise ValueError(f"{value} is not a number Excel can hold")
    text = repr(value)
    return text[:-2] if text.endswith(".0") else text


def _width(characters: float) -> str:
    # Excel stores widths in characters of the default font plus padding (as xlsxwriter does)
    pixels = int(characters * 7 + 0.5) + 5
    return f"{int(pixels / 7 * 256) / 256:g}"
