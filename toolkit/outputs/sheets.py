"""Tables on worksheets (xlsxwriter's, or the lean writer's that take the same calls):
columns declared as data, written fast, set up to print.

Every table starts with one header row, is frozen below it, has an autofilter, prints on A4
landscape one page wide with the header repeated on every page. Values are written by the
column's kind, never by guessing: text always with ``write_string`` (so ``=HYPERLINK(...)``
typed in a name stays text), numbers with ``write_number``. ``None`` and ``""`` leave the cell
empty.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from toolkit.outputs.lean_sheet import clip, column_letter, excel_day, table_cells
from toolkit.outputs.styles import DEFAULT_FORMAT, StyleBook, wrapped_font
from toolkit.textfit import FILTER_BUTTON, RowFit, digit_pixels, page_header, printed_pixels

#: the default font's digit width in pixels: how both clients size a column
DIGIT_PIXELS = digit_pixels(DEFAULT_FORMAT["font_size"])
#: the width an A4 page in landscape prints between the margins (0.4 in each), in pixels
PAGE_PIXELS = int((11.69 - 0.8) * 96)
#: the header row's height when every header fits on one line (points)
HEADER_LEAST = 20.25

#: styles whose values are numbers; every other style writes text
NUMBER_STYLES = frozenset({"int", "plain", "decimal", "percent", "total_int", "total_percent"})
DATE_STYLES = frozenset({"date"})


def workbook_options(**extra: Any) -> dict[str, Any]:
    """Options every workbook is opened with: nothing typed by a user becomes a formula or a
    link, and even empty cells use the report font.

    A fresh dict each time: xlsxwriter writes into ``default_format_properties``, and a shared
    one would make the first workbook of a process differ from the next ones.
    """
    return {
        "strings_to_formulas": False,
        "strings_to_urls": False,
        "strings_to_numbers": False,
        "default_format_properties": dict(DEFAULT_FORMAT),
        **extra,
    }


@dataclass(frozen=True)
class Column:
    """One column: its Vietnamese header, width in characters and named style."""

    header: str
    width: float
    style: str = "text"


def set_properties(workbook: Any, *, title: str, generated_on: _dt.date) -> None:
    """Document properties with a fixed created date, so the bytes do not depend on the clock."""
    workbook.set_properties(
        {
            "title": title,
            "author": "xeploai",
            "company": "",
            "created": _dt.datetime.combine(generated_on, _dt.time()),
        }
    )


def setup_sheet(
    ws: Any,
    book: StyleBook,
    columns: Sequence[Column],
    *,
    header_row: int,
    last_row: int,
    freeze_cols: int = 0,
    repeat_header: bool = True,
    title: tuple[str, str] | None = None,
    printed_to: int | None = None,
) -> None:
    """Title, widths, header row, frozen panes, autofilter and print setup of one table (its
    header repeated on every printed page unless ``repeat_header`` is false); ``title``: the
    title and subtitle above it (``write_title``); ``printed_to``: the last row printed when
    rows follow the table (its totals), else ``last_row``.

    Rows are 0-based here as in xlsxwriter (row 0 is Excel's row 1).
    """
    if title is not None:
        write_title(ws, book, *title)
    for col, column in enumerate(columns):
        ws.set_column(col, col, column.width)
    ws.set_row(header_row, header_points(columns))
    header = book["header"]
    for col, column in enumerate(columns):
        ws.write_string(header_row, col, column.header, header)
    ws.freeze_panes(header_row + 1, freeze_cols)
    ws.autofilter(header_row, 0, max(header_row, last_row), len(columns) - 1)
    repeat = header_row if repeat_header else None
    last_printed = max(header_row, last_row if printed_to is None else printed_to)
    print_setup(ws, repeat, columns=columns, title_cols=freeze_cols, title=title,
                last_row=last_printed)  # fmt: skip


def header_points(columns: Sequence[Column], *, filtered: bool = True) -> float:
    """The header row's height: its tallest wrapped header, and never less than one line
    (``filtered``: each header keeps clear of its autofilter's button)."""
    font = wrapped_font("header")
    assert font is not None
    headers = ((col, c.width, font) for col, c in enumerate(columns))
    fit = RowFit(headers, DIGIT_PIXELS, reserved=FILTER_BUTTON if filtered else 0.0)
    return max(HEADER_LEAST, fit([c.header for c in columns]) or 0.0)


def row_fit(columns: Sequence[Column]) -> RowFit:
    """The height of a table's rows, from its wrapped columns."""
    wrapped = ((col, c.width, wrapped_font(c.style)) for col, c in enumerate(columns))
    return RowFit(((col, w, f) for col, w, f in wrapped if f is not None), DIGIT_PIXELS)


def print_setup(
    ws: Any,
    header_row: int | None = None,
    *,
    columns: Sequence[Column] = (),
    title_cols: int = 0,
    title: tuple[str, str] | None = None,
    last_row: int = 0,
) -> None:
    """A4 landscape, header row repeated, page numbers in the footer.

    A table that fits the page's width prints one page wide; a wider one (the 33 columns of the
    per-cell summary) prints at full size across pages, left to right then down, with its
    first ``title_cols`` columns (the cell's or member's code and name) repeated on the left
    of every page: squeezed onto one page it would be unreadable. Its ``title`` (and subtitle)
    would then print cut to those columns on every page after the first: the print starts at
    the header row (to ``last_row``), and the title heads every page whole.
    """
    ws.set_landscape()
    ws.set_paper(9)  # A4
    top = 0.5
    if printed_pixels((c.width for c in columns), DIGIT_PIXELS) > PAGE_PIXELS:
        ws.print_across()
        if title_cols:
            ws.repeat_columns(0, title_cols - 1)
            if title is not None and header_row is not None:
                ws.print_area(header_row, 0, max(header_row, last_row), len(columns) - 1)
                ws.set_header(page_header(*title))
                top = 0.9  # room for the page header's two lines
    else:
        ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.4, right=0.4, top=top, bottom=0.6)
    ws.set_footer("&CTrang &P/&N")
    if header_row is not None:
        ws.repeat_rows(header_row)


Tones = Iterable[str | Mapping[int, str]]


class RowFormats:
    """The formats of a table's row by its tone: ``""`` (none), one tone for the whole row
    ("error", "warning", "missing", "ok"), or a mapping column → tone for single cells.
    Whole-row lists are made once and come back as the same list object."""

    def __init__(self, book: StyleBook, columns: Sequence[Column]) -> None:
        self._book, self._columns = book, columns
        self.plain: list[Any] = [book[c.style] for c in columns]
        self._toned: dict[str, list[Any]] = {}

    def _whole(self, tone: str) -> list[Any]:
        fmts = self._toned.get(tone)
        if fmts is None:
            fmts = self._toned[tone] = [self._book[f"{c.style}@{tone}"] for c in self._columns]
        return fmts

    def __call__(self, tone: str | Mapping[int, str]) -> list[Any]:
        if not tone:
            return self.plain
        if isinstance(tone, str):
            return self._whole(tone)
        return [
            self._whole(tone[col])[col] if tone.get(col) else f for col, f in enumerate(self.plain)
        ]


def write_rows(
    ws: Any,
    book: StyleBook,
    columns: Sequence[Column],
    rows: Iterable[Sequence[object]],
    *,
    first_row: int,
    tones: Tones | None = None,
) -> int:
    """Write ``rows`` under the header; returns the index of the last row written.

    ``tones`` gives, row by row, what ``RowFormats`` takes. Text columns take ``str`` values
    only; the row builders convert everything else.
    """
    write_string = ws.write_string

    def write_text(row: int, col: int, text: str, fmt: Any) -> None:
        # xlsxwriter drops (with a warning) a text longer than a cell holds: cut it instead
        write_string(row, col, clip(text), fmt)

    writers: list[Any] = [
        ws.write_number
        if c.style in NUMBER_STYLES
        else ws.write_datetime
        if c.style in DATE_STYLES
        else write_text
        for c in columns
    ]
    formats = RowFormats(book, columns)
    plain = formats.plain
    tone_iter = iter(tones) if tones is not None else None
    fast = getattr(ws, "write_table_row", None)  # the lean writer takes a whole row at once
    numeric = [c.style in NUMBER_STYLES for c in columns]
    fit = row_fit(columns)
    last = first_row - 1
    for row, values in enumerate(rows, start=first_row):
        last = row
        fmts = formats(next(tone_iter)) if tone_iter is not None else plain
        height = fit(values) if fit.columns else None
        if height is not None:
            ws.set_row(row, height)  # LibreOffice does not grow a row to its wrapped text
        if fast is not None:
            fast(row, values, numeric, fmts, fmts is not plain)
            continue
        for col, value in enumerate(values):
            if value is None or value == "":
                if fmts is not plain:
                    ws.write_blank(row, col, None, fmts[col])
                continue
            writers[col](row, col, value, fmts[col])
    return last


@dataclass(frozen=True)
class Tail:
    """The rows of a table that ``splice`` appends to a sheet once xlsxwriter has finished the
    workbook: the sheet's part, its ``<row>`` elements, and its used range with them in."""

    part: str
    rows: Iterable[str]
    dimension: str


def table_tail(
    wb: Any,
    ws: Any,
    book: StyleBook,
    columns: Sequence[Column],
    rows: Iterable[Sequence[object]],
    *,
    first_row: int,
    last_row: int,
    tones: Tones | None = None,
) -> Tail:
    """``write_rows`` for an xlsxwriter sheet whose table ends it, rendered by the lean writer
    (xlsxwriter takes about 7 µs a cell): the same cells, formats and values, as a ``Tail``.

    Needs a workbook whose formats carry fixed indices (``styles.register_fixed``); nothing
    may be written to ``ws`` below ``first_row`` by xlsxwriter.
    """
    formats = RowFormats(book, columns)
    numeric = [c.style in NUMBER_STYLES or c.style in DATE_STYLES for c in columns]
    dates = [col for col, c in enumerate(columns) if c.style in DATE_STYLES]
    by_tone: dict[str, tuple[list[Any], list[int]]] = {}  # whole-row tones: indexed once
    fit = row_fit(columns)

    def render() -> Iterable[str]:
        tone_iter = iter(tones) if tones is not None else None
        for row, values in enumerate(rows, start=first_row):
            tone = next(tone_iter) if tone_iter is not None else ""
            if isinstance(tone, str):
                if tone not in by_tone:
                    whole = formats(tone)
                    by_tone[tone] = (whole, [f.xf_index for f in whole])
                fmts, styles = by_tone[tone]
            else:
                fmts = formats(tone)
                styles = [f.xf_index for f in fmts]
            if dates:
                values = [
                    excel_day(v) if col in dates and isinstance(v, _dt.date) else v
                    for col, v in enumerate(values)
                ]
            cells = table_cells(row, values, numeric, styles, fmts is not formats.plain)
            height = fit(values) if fit.columns else None
            if height is None:
                yield f'<row r="{row + 1}">{cells}</row>'
            else:  # the height as xlsxwriter writes it (whole pixels)
                yield f'<row r="{row + 1}" ht="{height:.16g}" customHeight="1">{cells}</row>'

    part = f"xl/worksheets/sheet{wb.worksheets().index(ws) + 1}.xml"
    bottom = max(last_row, first_row - 1)
    return Tail(part, render(), f"A1:{column_letter(len(columns) - 1)}{bottom + 1}")


def write_title(ws: Any, book: StyleBook, title: str, subtitle: str) -> None:
    """The two title lines above a table (rows 1 and 2 in Excel)."""
    ws.write_string(0, 0, clip(title), book["title"])
    ws.write_string(1, 0, clip(subtitle), book["subtitle"])
