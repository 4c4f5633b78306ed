"""The one table of named cell formats shared by every workbook xeploai writes.

Styling is data: each name maps to xlsxwriter format properties over a Times New Roman base.
Every style also exists in an ``@error`` and ``@warning`` tone, so a row that carries a problem
is highlighted without a second table. ``register`` turns the table into ``Format`` objects
once per workbook (xlsxwriter formats belong to one workbook).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from toolkit.textfit import Font

FONT = "Times New Roman"
#: every workbook's default format: even an empty cell uses the report font. No font is tied
#: to the theme (whose font is Calibri): Excel would show the theme's font instead of ours
DEFAULT_FORMAT: Mapping[str, Any] = {"font_name": FONT, "font_size": 11, "font_scheme": "none"}
BASE: Mapping[str, Any] = {**DEFAULT_FORMAT, "valign": "top"}

#: excel number formats; the display follows the reader's locale (1.234,5 in Vietnamese Excel)
PERCENT = "0.0%"
INTEGER = "#,##0"
DECIMAL = "#,##0.0"
DATE = "dd/mm/yyyy"

STYLES: Mapping[str, Mapping[str, Any]] = {
    "title": {"bold": True, "font_size": 14},
    "subtitle": {"italic": True},
    "header": {
        "bold": True,
        "text_wrap": True,
        "align": "center",
        "valign": "vcenter",
        "bg_color": "#DCE6F1",
        "border": 1,
    },
    "label": {"bold": True},
    # a label that may be longer than its column (it names a unit): wrapped, its row fitted
    "label_wrap": {"bold": True, "text_wrap": True},
    "text": {"border": 1},
    "text_wrap": {"border": 1, "text_wrap": True},
    "code": {"border": 1, "font_name": "Courier New", "font_size": 9},
    "int": {"border": 1, "num_format": INTEGER},
    # years, codes and identifiers written as numbers: no thousands separator ("2026")
    "plain": {"border": 1, "num_format": "0", "align": "left"},
    "decimal": {"border": 1, "num_format": DECIMAL},
    "percent": {"border": 1, "num_format": PERCENT},
    "date": {"border": 1, "num_format": DATE, "align": "left"},
    "level": {"border": 1, "bold": True, "align": "center"},
    "total_label": {"bold": True, "border": 1, "top": 2, "bg_color": "#F2F2F2"},
    "total_int": {
        "bold": True,
        "border": 1,
        "top": 2,
        "bg_color": "#F2F2F2",
        "num_format": INTEGER,
    },
    "total_percent": {
        "bold": True,
        "border": 1,
        "top": 2,
        "bg_color": "#F2F2F2",
        "num_format": PERCENT,
    },
}

#: background of a row or cell that carries a problem
TONES: Mapping[str, Mapping[str, Any]] = {
    "error": {"bg_color": "#F8D7DA", "font_color": "#842029"},
    "warning": {"bg_color": "#FFF3CD", "font_color": "#664D03"},
    "ok": {"bg_color": "#D1E7DD", "font_color": "#0F5132"},
    "missing": {"bg_color": "#E2E3E5", "font_color": "#41464B", "italic": True},
}


def properties(name: str) -> dict[str, Any]:
    """The full xlsxwriter properties of ``name`` or ``name@tone`` (base font included)."""
    style, _, tone = name.partition("@")
    props = {**BASE, **STYLES[style]}
    if tone:
        props.update(TONES[tone])
    return props


def wrapped_font(name: str) -> Font | None:
    """The font of a style whose text wraps, for the row-height estimate (None: one line)."""
    props = properties(name)
    if not props.get("text_wrap"):
        return None
    return Font(float(props["font_size"]), bool(props.get("bold")), bool(props.get("italic")))


def style_names() -> tuple[str, ...]:
    """Every registered name: each style plain and in each tone."""
    return tuple(STYLES) + tuple(f"{s}@{t}" for s in STYLES for t in TONES)


class StyleBook(dict[str, Any]):
    """Name → xlsxwriter ``Format`` of one workbook, each added on first use only."""

    def __init__(self, workbook: Any) -> None:
        super().__init__()
        self._workbook = workbook

    def __missing__(self, name: str) -> Any:
        fmt = self._workbook.add_format(properties(name))
        self[name] = fmt
        return fmt


def register_fixed(workbook: Any) -> StyleBook:
    """Every named style added up front with a fixed cell-format index: 1, 2, … in
    ``style_names()`` order (0 is the workbook default).

    Rows rendered outside xlsxwriter (``splice``) refer to formats by these indices. Every
    format used in such a workbook must come from this book: a format added otherwise would be
    numbered by xlsxwriter and could take an index already given here.
    """
    book = StyleBook(workbook)
    for index, name in enumerate(style_names(), start=1):
        fmt = workbook.add_format(properties(name))
        fmt.set_xf_index(index)
        book[name] = fmt
    return book


def register(workbook: Any) -> StyleBook:
    """The named styles of an xlsxwriter ``Workbook`` (a ``KeyError`` for unknown names)."""
    return StyleBook(workbook)
