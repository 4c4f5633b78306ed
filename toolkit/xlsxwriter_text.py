"""xlsxwriter's ``Workbook``, with one guard: text is always written as text.

xlsxwriter takes any string that starts with ``<r>`` and ends with ``</r>`` for rich-text XML
it made itself and copies it into the file unescaped. A name or a message typed that way by a
user would land as raw XML, and Excel would have to "repair" the workbook. Such a text is
written here as a rich string instead (two runs in the cell's own font: xlsxwriter takes no
fewer), whose text xlsxwriter escapes; every reader shows the text as it was typed.

Import this module lazily, like xlsxwriter itself (``--help`` and ``validate`` do not need it).
"""

from __future__ import annotations

from typing import Any

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet


def looks_rich(text: str) -> bool:
    """Whether xlsxwriter would copy ``text`` into the file as raw rich-text XML."""
    return text.startswith("<r>") and text.endswith("</r>")


class TextWorksheet(Worksheet):  # type: ignore[misc]
    """A worksheet whose ``write_string`` never lets a text through as XML."""

    #: the font run for a text written without a format: the workbook's default font
    plain_run: Format

    def write_string(
        self, row: int, col: int, string: str, cell_format: Format | None = None
    ) -> int:
        if not looks_rich(string):
            return int(super().write_string(row, col, string, cell_format))
        run = cell_format if cell_format is not None else self.plain_run
        return int(self.write_rich_string(row, col, run, string[:1], run, string[1:], run))


class Workbook(xlsxwriter.Workbook):  # type: ignore[misc]
    """``xlsxwriter.Workbook`` whose worksheets are ``TextWorksheet``."""

    worksheet_class = TextWorksheet

    def add_worksheet(self, name: str | None = None, worksheet_class: Any = None) -> Any:
        sheet = super().add_worksheet(name, worksheet_class)
        if isinstance(sheet, TextWorksheet):
            sheet.plain_run = self.add_format()
        return sheet
