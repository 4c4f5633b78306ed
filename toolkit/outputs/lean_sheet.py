"""One worksheet of the lean writer: rows rendered to SpreadsheetML as they are written.

Rows are written top to bottom and cells left to right, as in xlsxwriter's ``constant_memory``
mode; going back is a programming error (``ValueError``). Text is written inline (no shared
string table), escaped as Excel escapes it. The sheet's XML is what xlsxwriter writes for the
same calls: the used range, the ``spans`` of each block of 16 rows, heights and widths in
xlsxwriter's pixel arithmetic, print setup only when asked for.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from collections.abc import Sequence
from typing import Any

from xlsxwriter.utility import quote_sheetname

from toolkit.outputs.lean_styles import LeanFormat

XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
NS_MAIN = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
NS_REL = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
# characters XML 1.0 forbids (and the carriage return, which Excel escapes too), written the
# way Excel escapes them (_xHHHH_); an existing _xHHHH_ in the text is protected first so that
# it reads back unchanged
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\ufffe\uffff]")
_LITERAL_ESCAPE = re.compile(r"_x[0-9A-Fa-f]{4}_")
#: characters that need escaping (a literal "_x" is tested apart: one pattern is slower)
_SPECIAL = re.compile(r"[&<>\x00-\x08\x0b-\x1f\ufffe\uffff]")

#: the most characters an Excel cell holds; a longer text would make the file unreadable
CELL_TEXT_MAX = 32767
#: Excel's default row (15 points) and column (8.43 characters) in pixels, as xlsxwriter counts
_ROW_PIXELS = 20
_COL_PIXELS = 64
_DIGIT_PIXELS, _PADDING_PIXELS = 7, 5


def clip(text: str) -> str:
    """Text cut to what one Excel cell can hold, marked with an ellipsis when cut.

    Excel counts UTF-16 units: a character beyond the Basic Multilingual Plane counts twice.
    """
    if len(text) <= CELL_TEXT_MAX // 2:
        return text  # nearly every text: too short to need counting
    units = text.encode("utf-16-le")
    if len(units) <= 2 * CELL_TEXT_MAX:
        return text
    # cut on a unit boundary; half of a surrogate pair left at the cut is dropped
    return units[: 2 * (CELL_TEXT_MAX - 1)].decode("utf-16-le", "ignore") + "…"


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
    if not _SPECIAL.search(text) and "_x" not in text:
        return text  # most names and messages: nothing to escape
    if "_x" in text:
        text = _LITERAL_ESCAPE.sub(lambda m: "_x005F" + m.group(0), text)
    if _CONTROL.search(text):
        text = _CONTROL.sub(lambda m: f"_x{ord(m.group(0)):04X}_", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def escape_attribute(text: str) -> str:
    """Text as an XML attribute value."""
    return escape_text(text).replace('"', "&quot;")


def inline_string(ref: str, style: str, text: str) -> str:
    """One text cell; leading or trailing whitespace kept (as it reads once escaped)."""
    return f'<c r="{ref}"{style} t="inlineStr">{_text_body(text)}</c>'


#: the ``<is>`` of texts seen before, and the digits of numbers: most cells of a table repeat a
#: few labels and shares; bounded (emptied when full) so that names do not grow it without end
_TEXT_BODY: dict[str, str] = {}
_FLOAT_TEXT: dict[float, str] = {}
_CACHE_MAX = 20_000


def _text_body(text: str) -> str:
    """``<is><t>…</t></is>`` for a cell's text: cut to what a cell holds, escaped, its outer
    white space kept."""
    body = _TEXT_BODY.get(text)
    if body is None:
        shown = escape_text(clip(text) if len(text) > CELL_TEXT_MAX // 2 else text)
        if shown[:1].isspace() or shown[-1:].isspace():
            body = f'<is><t xml:space="preserve">{shown}</t></is>'
        else:
            body = f"<is><t>{shown}</t></is>"
        if len(_TEXT_BODY) >= _CACHE_MAX:
            _TEXT_BODY.clear()
        _TEXT_BODY[text] = body
    return body


def _float_text(value: float) -> str:
    """``_number`` of a float, remembered (0.0 and -0.0 share a key: zero is never kept)."""
    text = _FLOAT_TEXT.get(value)
    if text is None:
        text = _number(value)
        if value:
            if len(_FLOAT_TEXT) >= _CACHE_MAX:
                _FLOAT_TEXT.clear()
            _FLOAT_TEXT[value] = text
    return text


class LeanSheet:
    """``xlsxwriter.Worksheet``'s calls that the result workbooks make, rendered row by row."""

    def __init__(self, name: str, index: int) -> None:
        self.name = name
        self.index = index
        #: (row, its cells' XML, first and last column written)
        self._rows: list[tuple[int, str, int, int]] = []
        self._row = -1
        self._col = -1
        self._first = -1
        self._cells: list[str] = []
        #: the used range as xlsxwriter counts it: [first row, last row, first col, last col]
        self._dim: list[int] | None = None
        self._heights: dict[int, int] = {}  # row → pixels
        self._widths: dict[int, int] = {}  # column → pixels
        self._freeze: tuple[int, int] | None = None
        self.filter: tuple[int, int, int, int] | None = None
        self.title_rows: tuple[int, int] | None = None
        self.title_cols: tuple[int, int] | None = None
        self._across = False
        self._page_setup = False
        self._landscape = False
        self._paper = 0
        self._margins: tuple[float, float, float, float] = (0.7, 0.7, 0.75, 0.75)
        self._fit: tuple[int, int] | None = None
        self._footer = ""
        self._header = ""
        #: the printed range (first row, first column, last row, last column), if set
        self.print_range: tuple[int, int, int, int] | None = None
        self._styles: dict[int, tuple[Sequence[Any], list[str]]] = {}

    # -- layout ----------------------------------------------------------------------------

    def set_column(self, first: int, last: int, width: float) -> None:
        pixels = _column_pixels(width)
        for col in range(min(first, last), max(first, last) + 1):
            self._widths[col] = pixels

    def set_row(self, row: int, height: float) -> None:
        self._heights[row] = int(height * 4.0 / 3.0 + 0.5)
        self._extend(row, self._dim[2] if self._dim else 0)

    def freeze_panes(self, row: int, col: int) -> None:
        self._freeze = (row, col)

    def autofilter(self, first_row: int, first_col: int, last_row: int, last_col: int) -> None:
        self.filter = (first_row, first_col, last_row, last_col)

    def repeat_rows(self, first: int, last: int | None = None) -> None:
        self.title_rows = (first, first if last is None else last)

    def repeat_columns(self, first: int, last: int | None = None) -> None:
        self.title_cols = (first, first if last is None else last)

    def print_across(self) -> None:
        self._across = self._page_setup = True

    def print_titles(self) -> str:
        """The ``Print_Titles`` range without its first sheet name: columns, then rows."""
        ranges = []
        if self.title_cols:
            first, last = self.title_cols
            ranges.append(f"${column_letter(first)}:${column_letter(last)}")
        if self.title_rows:
            first, last = self.title_rows
            ranges.append(f"${first + 1}:${last + 1}")
        # the second range names its sheet again, as xlsxwriter writes it (escaped for XML)
        return f",{escape_text(quote_sheetname(self.name))}!".join(ranges)

    def set_landscape(self) -> None:
        self._landscape = self._page_setup = True

    def set_paper(self, paper: int) -> None:
        if paper:
            self._paper, self._page_setup = paper, True

    def set_margins(
        self, left: float = 0.7, right: float = 0.7, top: float = 0.75, bottom: float = 0.75
    ) -> None:
        self._margins = (left, right, top, bottom)

    def fit_to_pages(self, width: int, height: int) -> None:
        self._fit, self._page_setup = (width, height), True

    def set_footer(self, footer: str) -> None:
        self._footer = footer

    def set_header(self, header: str) -> None:
        self._header = header

    def print_area(self, first_row: int, first_col: int, last_row: int, last_col: int) -> None:
        self.print_range = (first_row, first_col, last_row, last_col)

    def print_area_ref(self) -> str:
        """The ``Print_Area`` range without its sheet name, as xlsxwriter writes it."""
        assert self.print_range is not None
        r1, c1, r2, c2 = self.print_range
        first, last = f"${column_letter(c1)}${r1 + 1}", f"${column_letter(c2)}${r2 + 1}"
        return first if first == last else f"{first}:{last}"

    # -- cells (rows in order, columns in order) -------------------------------------------

    def _extend(self, row: int, col: int) -> None:
        dim = self._dim
        if dim is None:
            self._dim = [row, row, col, col]
            return
        if row < dim[0]:
            dim[0] = row
        if row > dim[1]:
            dim[1] = row
        if col < dim[2]:
            dim[2] = col
        if col > dim[3]:
            dim[3] = col

    def _start_row(self, row: int) -> None:
        if row < self._row:
            raise ValueError(f"{self.name}: row {row + 1} written after row {self._row + 1}")
        self._flush()
        self._row, self._col, self._first = row, -1, -1

    def _at(self, row: int, col: int) -> str:
        if row != self._row:
            self._start_row(row)
        if col <= self._col:
            raise ValueError(
                f"{self.name}: cell {column_letter(col)}{row + 1} written twice or out of order"
            )
        self._col = col
        if self._first < 0:
            self._first = col
        self._extend(row, col)
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
        cached = self._styles.get(id(fmts))
        if cached is None or cached[0] is not fmts:
            # the same list of formats comes back row after row: index it once
            attrs = [f' s="{f.index}"' if f.index else "" for f in fmts]
            cached = self._styles[id(fmts)] = (fmts, attrs)
        xml, first, last = _row_cells(str(row + 1), values, numeric, cached[1], blanks)
        if first < 0:
            return  # nothing in the row to write
        self._cells.append(xml)
        self._first, self._col = first, last
        self._extend(row, first)
        self._extend(row, last)

    def write_string(self, row: int, col: int, text: str, fmt: LeanFormat | None = None) -> None:
        ref = self._at(row, col)
        style = f' s="{fmt.index}"' if fmt is not None and fmt.index else ""
        self._cells.append(inline_string(ref, style, clip(text)))

    def write_number(
        self, row: int, col: int, number: float, fmt: LeanFormat | None = None
    ) -> None:
        text = _number(number)
        ref = self._at(row, col)
        style = f' s="{fmt.index}"' if fmt is not None and fmt.index else ""
        self._cells.append(f'<c r="{ref}"{style}><v>{text}</v></c>')

    def write_datetime(
        self, row: int, col: int, when: _dt.date, fmt: LeanFormat | None = None
    ) -> None:
        """A date as Excel stores it: days since 1899-12-30 (a number with a date format)."""
        self.write_number(row, col, excel_day(when), fmt)

    def write_blank(
        self, row: int, col: int, _blank: object, fmt: LeanFormat | None = None
    ) -> None:
        if fmt is None:
            return  # like xlsxwriter: a blank without a format is no cell at all
        ref = self._at(row, col)
        style = f' s="{fmt.index}"' if fmt.index else ""
        self._cells.append(f'<c r="{ref}"{style}/>')

    def _flush(self) -> None:
        if self._cells:
            self._rows.append((self._row, "".join(self._cells), self._first, self._col))
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
        cols = self._cols()
        auto = ""
        if self.filter:
            r1, c1, r2, c2 = self.filter
            auto = f'<autoFilter ref="{column_letter(c1)}{r1 + 1}:{column_letter(c2)}{r2 + 1}"/>'
        left, right, top, bottom = self._margins
        header = f"<oddHeader>{escape_text(self._header)}</oddHeader>" if self._header else ""
        footer = f"<oddFooter>{escape_text(self._footer)}</oddFooter>" if self._footer else ""
        footer = f"<headerFooter>{header}{footer}</headerFooter>" if header or footer else ""
        rows = self._sheet_rows()
        return (
            f'{XML_HEAD}<worksheet {NS_MAIN} {NS_REL}>{fit}<dimension ref="{self._dimension()}"/>'
            f'<sheetViews>{self._view()}</sheetViews><sheetFormatPr defaultRowHeight="15"/>'
            f"{f'<cols>{cols}</cols>' if cols else ''}"
            f"{f'<sheetData>{rows}</sheetData>' if rows else '<sheetData/>'}"
            f'{auto}<pageMargins left="{left}" right="{right}" top="{top}" '
            f'bottom="{bottom}" header="0.3" footer="0.3"/>{self._setup()}{footer}</worksheet>'
        )

    def _dimension(self) -> str:
        if self._dim is None:
            return "A1"
        r1, r2, c1, c2 = self._dim
        first = f"{column_letter(c1)}{r1 + 1}"
        return first if (r1, c1) == (r2, c2) else f"{first}:{column_letter(c2)}{r2 + 1}"

    def _sheet_rows(self) -> str:
        """Every row with cells or a height, with the spans of its block of 16 rows."""
        spans: dict[int, tuple[int, int]] = {}
        for row, _, first, last in self._rows:
            block = spans.get(row // 16)
            spans[row // 16] = (
                (first, last)
                if block is None
                else (
                    min(block[0], first),
                    max(block[1], last),
                )
            )
        written = {row for row, _, _, _ in self._rows}
        rows: list[tuple[int, str]] = [(row, xml) for row, xml, _, _ in self._rows]
        rows += [(row, "") for row in self._heights if row not in written]
        if len(rows) > len(written):
            rows.sort(key=lambda item: item[0])
        heights = self._heights
        out = []
        for row, xml in rows:
            block = spans.get(row // 16)
            span = f' spans="{block[0] + 1}:{block[1] + 1}"' if block else ""
            pixels = heights.get(row, _ROW_PIXELS)
            height = f' ht="{pixels * 0.75:.16g}" customHeight="1"' if pixels != _ROW_PIXELS else ""
            out.append(
                f'<row r="{row + 1}"{span}{height}>{xml}</row>'
                if xml
                else f'<row r="{row + 1}"{span}{height}/>'
            )
        return "".join(out)

    def _cols(self) -> str:
        """Column widths, neighbours of the same width in one element (as xlsxwriter)."""
        out = []
        ordered = sorted(self._widths.items())
        i = 0
        while i < len(ordered):
            first, pixels = ordered[i]
            last = first
            while i + 1 < len(ordered) and ordered[i + 1] == (last + 1, pixels):
                i += 1
                last += 1
            width = f"{(pixels * 256 // _DIGIT_PIXELS) / 256.0:.16g}"
            custom = ' customWidth="1"' if pixels != _COL_PIXELS else ""
            out.append(f'<col min="{first + 1}" max="{last + 1}" width="{width}"{custom}/>')
            i += 1
        return "".join(out)

    def _setup(self) -> str:
        if not self._page_setup:
            return ""
        setup = f'<pageSetup paperSize="{self._paper}"' if self._paper else "<pageSetup"
        if self._fit:
            setup += (f' fitToWidth="{self._fit[0]}"' if self._fit[0] != 1 else "") + (
                f' fitToHeight="{self._fit[1]}"' if self._fit[1] != 1 else ""
            )
        if self._across:
            setup += ' pageOrder="overThenDown"'
        return setup + (
            ' orientation="landscape"/>' if self._landscape else ' orientation="portrait"/>'
        )

    def _view(self) -> str:
        selected = ' tabSelected="1"' if self.index == 0 else ""
        if self._freeze is None:
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
        elif col:
            pane = (
                f'<pane xSplit="{col}" topLeftCell="{top_left}" activePane="topRight" '
                'state="frozen"/><selection pane="topRight"/>'
            )
        else:
            split = f' ySplit="{row}"' if row else ""
            pane = (
                f'<pane{split} topLeftCell="{top_left}" activePane="bottomLeft" '
                'state="frozen"/><selection pane="bottomLeft"/>'
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
    return _row_cells(str(row + 1), values, numeric, _style_attributes(styles), blanks)[0]


#: the few lists of style indices a table uses, each turned into attributes once
_ATTRIBUTES: dict[int, tuple[Sequence[int], list[str]]] = {}


def _style_attributes(styles: Sequence[int]) -> list[str]:
    """`` s="5"`` for each index (nothing for the default format 0)."""
    cached = _ATTRIBUTES.get(id(styles))
    if cached is None or cached[0] is not styles:
        if len(_ATTRIBUTES) > 64:
            _ATTRIBUTES.clear()  # a list made per row: keep the cache small
        cached = _ATTRIBUTES[id(styles)] = (styles, [f' s="{i}"' if i else "" for i in styles])
    return cached[1]


def _row_cells(
    r: str, values: Sequence[object], numeric: Sequence[bool], attrs: Sequence[str], blanks: bool
) -> tuple[str, int, int]:
    # the hot loop of every table: one pass, the usual cells without a call
    cells: list[str] = []
    append = cells.append
    first = last = -1
    texts = _TEXT_BODY
    floats = _FLOAT_TEXT
    for col, value in enumerate(values):
        kind = type(value)
        if value is None or (kind is str and not value):
            if not blanks:
                continue
            append(f'<c r="{_LETTERS[col]}{r}"{attrs[col]}/>')
        elif numeric[col]:
            if kind is int:
                number = str(value)
            elif isinstance(value, float):
                number = floats.get(value) or _float_text(value)
            else:
                number = _number(value)
            append(f'<c r="{_LETTERS[col]}{r}"{attrs[col]}><v>{number}</v></c>')
        else:
            text = value if isinstance(value, str) else str(value)
            body = texts.get(text) or _text_body(text)
            append(f'<c r="{_LETTERS[col]}{r}"{attrs[col]} t="inlineStr">{body}</c>')
        if first < 0:
            first = col
        last = col
    return "".join(cells), first, last


def excel_day(value: _dt.date) -> int:
    """A date as Excel stores it (days since 1899-12-30), as xlsxwriter's ``write_datetime``
    writes every date after February 1900."""
    day = value.date() if isinstance(value, _dt.datetime) else value
    return (day - _EXCEL_EPOCH).days


_EXCEL_EPOCH = _dt.date(1899, 12, 30)


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


def _column_pixels(characters: float) -> int:
    """A width in characters of the default font as pixels (xlsxwriter's ``set_column``)."""
    if characters == 0:
        return 0
    if characters < 1:
        return int(characters * (_DIGIT_PIXELS + _PADDING_PIXELS) + 0.5)
    return int(characters * _DIGIT_PIXELS + 0.5) + _PADDING_PIXELS
