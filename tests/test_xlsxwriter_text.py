"""Text that looks like xlsxwriter's own rich-text XML is still written as the text typed."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from toolkit.xlsxwriter_text import Workbook, looks_rich

TYPED = "<r><t>HTXSNV</t></r>"


@pytest.mark.parametrize("constant_memory", [False, True], ids=["shared", "inline"])
def test_rich_looking_text_reads_back_as_typed_in_the_cells_font(
    tmp_path: Path, constant_memory: bool
) -> None:
    path = tmp_path / "book.xlsx"
    wb = Workbook(
        str(path),
        {"constant_memory": constant_memory, "default_format_properties": {"font_name": "Arial"}},
    )
    ws = wb.add_worksheet("Trang")
    bold = wb.add_format({"bold": True, "font_name": "Times New Roman"})
    ws.write_string(0, 0, TYPED, bold)
    ws.write_string(1, 0, TYPED)
    ws.write_string(2, 0, "<r>")  # too short to be both: written as it is
    wb.close()

    sheet = openpyxl.load_workbook(path)["Trang"]
    assert [sheet.cell(r, 1).value for r in (1, 2, 3)] == [TYPED, TYPED, "<r>"]
    grid = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Trang").to_python()
    assert [row[0] for row in grid] == [TYPED, TYPED, "<r>"]
    with zipfile.ZipFile(path) as z:
        xml = "".join(z.read(n).decode() for n in z.namelist() if n.endswith(".xml"))
    assert "<t>HTXSNV</t>" not in xml  # what xlsxwriter wrote: the typed text as XML
    runs = openpyxl.load_workbook(path, rich_text=True)["Trang"]
    fonts = [[block.font.rFont for block in runs.cell(r, 1).value] for r in (1, 2)]
    assert fonts == [["Times New Roman"] * 2, ["Arial"] * 2]


def test_only_text_wrapped_in_a_run_looks_rich() -> None:
    assert looks_rich("<r>x</r>") and looks_rich(TYPED)
    assert not looks_rich("<r>x") and not looks_rich("x</r>") and not looks_rich("Nguyễn Văn A")
