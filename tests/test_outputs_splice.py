"""Rows streamed into a finished workbook land in the right sheet and read back."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest

from toolkit.outputs.lean_xlsx import LeanWorkbook, table_cells
from toolkit.outputs.sheets import Tail
from toolkit.outputs.splice import append_rows
from toolkit.outputs.styles import FONT, properties


def package(with_rows: bool) -> tuple[bytes, int]:
    buffer = io.BytesIO()
    wb = LeanWorkbook(buffer, {"font_name": FONT})
    text = wb.add_format(properties("text"))
    wb.add_worksheet("Đầu").write_string(0, 0, "Đầu", text)  # the rows below use its format
    ws = wb.add_worksheet("Đảng viên")
    if with_rows:
        ws.write_string(0, 0, "Họ và tên", text)
    wb.close()
    if with_rows:
        return buffer.getvalue(), text.index
    # an empty sheet as Excel and xlsxwriter write it: <sheetData/>
    source, out = zipfile.ZipFile(io.BytesIO(buffer.getvalue())), io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for info in source.infolist():
            data = source.read(info).replace(b"<sheetData></sheetData>", b"<sheetData/>")
            z.writestr(info, data)
    assert b"<sheetData/>" in zipfile.ZipFile(out).read("xl/worksheets/sheet2.xml")
    return out.getvalue(), text.index


@pytest.mark.parametrize("with_rows", [True, False])
def test_rows_are_appended_to_the_named_sheet(with_rows: bool) -> None:
    data, style = package(with_rows)
    rows = (
        f'<row r="{r + 1}">{table_cells(r, (f"Đảng viên {r}", r), (False, True), (style, style), False)}</row>'
        for r in range(1, 5001)
    )
    out = io.BytesIO()
    append_rows(data, out, [Tail("xl/worksheets/sheet2.xml", rows, "A1:B5001")])
    ws = openpyxl.load_workbook(io.BytesIO(out.getvalue()))["Đảng viên"]
    assert ws.max_row == 5001 and ws.calculate_dimension() == (
        "A1:B5001" if with_rows else "A2:B5001"
    )
    assert ws["A2"].value == "Đảng viên 1" and ws["B5001"].value == 5000
    assert ws["A5001"].font.name == FONT
    if with_rows:
        assert ws["A1"].value == "Họ và tên"
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as z:
        assert '<dimension ref="A1:B5001"/>' in z.read("xl/worksheets/sheet2.xml").decode()
        assert (
            z.namelist() == zipfile.ZipFile(io.BytesIO(data)).namelist()
        )  # same parts, same order


def test_the_same_rows_give_the_same_bytes() -> None:
    data, style = package(True)

    def once() -> bytes:
        out = io.BytesIO()
        rows = [f'<row r="2">{table_cells(1, ("x",), (False,), (style,), False)}</row>']
        append_rows(data, out, [Tail("xl/worksheets/sheet2.xml", rows, "A1:A2")])
        return out.getvalue()

    assert once() == once()


def test_an_unknown_sheet_part_is_an_error() -> None:
    data, _ = package(True)
    with pytest.raises(ValueError, match="no part"):
        append_rows(data, io.BytesIO(), [Tail("xl/worksheets/sheet9.xml", [], "A1")])
