"""How generated workbooks look: one table of named cell formats, and drop-down/validation rules.

Styling is data: the generator only names a format (``"input_int"``), never builds one. Every
format uses the workbook's default font, Times New Roman. Input cells are the only unlocked ones.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from toolkit.textfit import Font, RowFit, digit_pixels
from toolkit.workbooks.declarations import Column

#: not tied to the theme (whose font is Calibri): Excel would show the theme's font instead
FONT_SIZE = 12
FONT = {"font_name": "Times New Roman", "font_size": FONT_SIZE, "font_scheme": "none"}
PAPER_A4 = 9

_GREY = "#EDEDED"
_BLUE = "#DDEBF7"
_BORDER = {"border": 1, "border_color": "#808080", "valign": "vcenter"}

FORMATS: dict[str, dict[str, Any]] = {
    "title": {"bold": True, "font_size": 14, "align": "center", "valign": "vcenter"},
    "subtitle": {"italic": True, "align": "center", "valign": "vcenter"},
    "header": {**_BORDER, "bold": True, "text_wrap": True, "align": "center", "bg_color": _BLUE},
    "heading": {**_BORDER, "bold": True, "bg_color": _BLUE},
    "label": {**_BORDER, "text_wrap": True, "bg_color": _GREY},
    "help": {"italic": True, "font_color": "#595959", "text_wrap": True, "valign": "vcenter"},
    "text": {"text_wrap": True, "valign": "top"},
    "note": {"italic": True, "font_color": "#C00000", "text_wrap": True},
    # prefilled and computed cells: grey, locked (the default)
    "prefilled": {**_BORDER, "bg_color": _GREY, "text_wrap": True},
    "prefilled_int": {**_BORDER, "bg_color": _GREY, "num_format": "0", "align": "center"},
    "formula": {**_BORDER, "bg_color": _GREY, "num_format": "0", "align": "center", "bold": True},
    # input cells: white, unlocked
    "input": {**_BORDER, "locked": False, "text_wrap": True},
    "input_int": {**_BORDER, "locked": False, "num_format": "0", "align": "center"},
    "input_number": {**_BORDER, "locked": False, "num_format": "General", "align": "center"},
    "input_date": {**_BORDER, "locked": False, "num_format": "dd/mm/yyyy", "align": "center"},
    "input_choice": {**_BORDER, "locked": False},
    "input_bool": {**_BORDER, "locked": False, "align": "center"},
    # unlocked column defaults of the roster (rows the district adds below the prepared ones)
    "open": {"locked": False},
    # borders drawn by a conditional format over a grid of unwritten cells (ballot papers)
    "grid": {"border": 1, "border_color": "#808080"},
    # the tally check (conditional formats): a row whose total is not the valid ballots
    "mismatch": {"bg_color": "#F8D7DA", "font_color": "#842029"},
    "match": {"bg_color": "#D1E7DD", "font_color": "#0F5132"},
    "open_date": {"locked": False, "num_format": "dd/mm/yyyy"},
}

#: the default font's digit width in pixels: how both clients size a column
DIGIT_PIXELS = digit_pixels(FONT_SIZE)


def wrapped_font(name: str) -> Font | None:
    """The font of a format whose text wraps, for the row-height estimate (None: one line)."""
    props = {**FONT, **FORMATS[name]}
    if not props.get("text_wrap"):
        return None
    return Font(float(props["font_size"]), bool(props.get("bold")), bool(props.get("italic")))


def row_fit(cells: Sequence[tuple[float, str]]) -> RowFit:
    """The height of rows whose columns are (width, format name), from their wrapped texts."""
    wrapped = ((col, width, wrapped_font(name)) for col, (width, name) in enumerate(cells))
    return RowFit(((col, w, f) for col, w, f in wrapped if f is not None), DIGIT_PIXELS)


#: protection without a password: nobody is locked out, but labels and formulas are not typed over
PROTECTION = {
    "format_columns": True,
    "format_rows": True,
    "select_locked_cells": True,
    "select_unlocked_cells": True,
}
#: the roster is the district's own list: rows may be added, removed and sorted
ROSTER_PROTECTION = {**PROTECTION, "insert_rows": True, "delete_rows": True, "sort": True}


def input_format(column: Column) -> str:
    """The format name of an input cell of ``column``."""
    return {
        "int": "input_int",
        "number": "input_number",
        "date": "input_date",
        "choice": "input_choice",
        "bool": "input_bool",
    }.get(column.type, "input")


def list_name(name: str) -> str:
    """The workbook-level defined name of a drop-down list."""
    return f"ds_{name}"


def validation(column: Column) -> dict[str, Any]:
    """The data validation of an input cell: drop-down, number or date bounds, and its help."""
    rule: dict[str, Any]
    if column.type in ("choice", "bool"):
        rule = {"validate": "list", "source": f"={list_name(column.list)}"}
        message = "Hãy chọn một giá trị trong danh sách thả xuống."
    elif column.type == "int":
        low = int(column.minimum if column.minimum is not None else 0)
        if column.maximum is not None:
            rule = {
                "validate": "integer",
                "criteria": "between",
                "minimum": low,
                "maximum": int(column.maximum),
            }
        else:
            rule = {"validate": "integer", "criteria": ">=", "value": low}
        message = "Hãy nhập một số nguyên (chỉ gồm chữ số)."
    elif column.type == "number":
        rule = {
            "validate": "decimal",
            "criteria": "between",
            "minimum": column.minimum if column.minimum is not None else 0,
            "maximum": column.maximum if column.maximum is not None else 1e9,
        }
        message = "Hãy nhập một số trong khoảng cho phép."
    elif column.type == "date":
        rule = {
            "validate": "date",
            "criteria": "between",
            "minimum": dt.date(1930, 1, 1),
            "maximum": dt.date(2100, 12, 31),
        }
        message = "Hãy nhập ngày theo dạng ngày/tháng/năm."
    else:
        rule = {"validate": "any"}
        message = ""
    if column.help:
        rule["input_title"] = column.label[:32]
        rule["input_message"] = column.help[:255]
    if message:
        rule.update(error_title="Giá trị không hợp lệ", error_message=message, error_type="stop")
    return rule
