"""The lean workbook writer: what it writes reads back exactly, in openpyxl (and LibreOffice)."""

from __future__ import annotations

import datetime as dt
import io
import math
import zipfile

import openpyxl
import pytest

from toolkit.outputs.lean_xlsx import LeanWorkbook, column_letter, escape_text
from toolkit.outputs.styles import FONT, properties


def book_with(rows: list[list[object]]) -> bytes:
    buffer = io.BytesIO()
    wb = LeanWorkbook(buffer, {"font_name": FONT, "font_size": 11})
    text, number = wb.add_format(properties("text")), wb.add_format(properties("percent"))
    ws = wb.add_worksheet("Dữ liệu")
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            if isinstance(value, str):
                ws.write_string(r, c, value, text)
            elif value is not None:
                ws.write_number(r, c, value, number)  # type: ignore[arg-type]
    wb.close()
    return buffer.getvalue()


@pytest.mark.parametrize(
    "text",
    [
        "Nguyễn Thị Hoa",
        "<script>alert('x')</script> & co",
        '=HYPERLINK("http://example.invalid/","x")',
        "  hai dấu cách ở đầu và cuối  ",
        "dòng một\ndòng hai",
        "tab\tở giữa",
    ],
)
def test_text_reads_back_exactly(text: str) -> None:
    ws = openpyxl.load_workbook(io.BytesIO(book_with([[text]]))).active
    assert ws["A1"].value == text and ws["A1"].data_type == "s"


def test_characters_xml_forbids_are_escaped_the_excel_way() -> None:
    assert escape_text("a\x0bb") == "a_x000B_b"
    assert escape_text("_x0041_") == "_x005F_x0041_"  # a literal escape stays literal
    data = book_with([["a\x0bb"]])
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert "a_x000B_b" in z.read("xl/worksheets/sheet1.xml").decode()


@pytest.mark.parametrize("number", [0, 7, -3, 1234567, 0.125, 0.1 + 0.2, 2 / 3, 1e-7, 52000.5])
def test_numbers_read_back_as_the_same_double(number: float) -> None:
    ws = openpyxl.load_workbook(io.BytesIO(book_with([[number]]))).active
    assert ws["A1"].value == number and ws["A1"].data_type == "n"
    assert ws["A1"].number_format == "0.0%"


@pytest.mark.parametrize("bad", [math.nan, math.inf, True, "7"])
def test_what_is_not_a_number_is_refused(bad: object) -> None:
    wb = LeanWorkbook(io.BytesIO(), {"font_name": FONT})
    ws = wb.add_worksheet("A")
    with pytest.raises((ValueError, TypeError)):
        ws.write_number(0, 0, bad)  # type: ignore[arg-type]


def test_dates_are_numbers_with_a_date_format() -> None:
    buffer = io.BytesIO()
    wb = LeanWorkbook(buffer, {"font_name": FONT})
    ws = wb.add_worksheet("A")
    ws.write_datetime(0, 0, dt.date(2023, 12, 18), wb.add_format(properties("date")))
    wb.close()
    cell = openpyxl.load_workbook(buffer).active["A1"]
    assert cell.value == dt.datetime(2023, 12, 18) and cell.number_format == "dd/mm/yyyy"


def test_rows_and_cells_must_come_in_order() -> None:
    ws = LeanWorkbook(io.BytesIO(), {}).add_worksheet("A")
    ws.write_string(3, 2, "x")
    with pytest.raises(ValueError, match="out of order"):
        ws.write_string(3, 1, "y")
    with pytest.raises(ValueError, match="row 3 written after row 4"):
        ws.write_string(2, 0, "z")


def test_layout_print_setup_and_properties() -> None:
    buffer = io.BytesIO()
    wb = LeanWorkbook(buffer, {"font_name": FONT, "font_size": 11})
    wb.set_properties({"title": "Kết quả", "author": "xeploai", "created": dt.datetime(2024, 1, 5)})
    header = wb.add_format(properties("header"))
    first, second = wb.add_worksheet("Tóm tắt"), wb.add_worksheet("Kết quả đảng viên")
    first.write_string(0, 0, "x")
    second.set_column(0, 0, 12)
    second.set_row(3, 32)
    for col in range(3):
        second.write_string(3, col, f"cột {col}", header)
    second.write_number(4, 0, 1)
    second.freeze_panes(4, 2)
    second.autofilter(3, 0, 4, 2)
    second.repeat_rows(3)
    second.set_landscape()
    second.set_paper(9)
    second.fit_to_pages(1, 0)
    second.set_footer("&CTrang &P/&N")
    wb.close()
    book = openpyxl.load_workbook(buffer)
    assert book.sheetnames == ["Tóm tắt", "Kết quả đảng viên"]
    ws = book["Kết quả đảng viên"]
    assert ws.freeze_panes == "C5"
    assert ws.auto_filter.ref == "A4:C5"
    assert ws.print_title_rows == "$4:$4"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToHeight == 0
    assert ws.oddFooter.center.text == "Trang &P/&N"
    assert ws.column_dimensions["A"].width == pytest.approx(12.71, abs=0.01)
    assert ws.row_dimensions[4].height == 32.25  # 43 pixels, as xlsxwriter rounds 32 points
    cell = ws["A4"]
    assert cell.font.name == FONT and cell.font.bold and cell.fill.fgColor.rgb == "FFDCE6F1"
    assert cell.alignment.wrap_text and cell.border.left.style == "thin"
    assert book.properties.title == "Kết quả" and book.properties.creator == "xeploai"
    assert book.properties.created == dt.datetime(2024, 1, 5)


def test_same_calls_same_bytes() -> None:
    rows: list[list[object]] = [["Chi bộ", 1, 0.5], ["Đảng bộ", 2, 0.25]]
    assert book_with(rows) == book_with(rows)


def test_column_letters() -> None:
    assert [column_letter(c) for c in (0, 25, 26, 51, 52, 701, 702)] == [
        "A",
        "Z",
        "AA",
        "AZ",
        "BA",
        "ZZ",
        "AAA",
    ]


def test_a_text_longer_than_a_cell_holds_is_cut_not_lost() -> None:
    long = "Đ" * 40000
    ws = openpyxl.load_workbook(io.BytesIO(book_with([[long]]))).active
    assert len(ws["A1"].value) == 32767 and ws["A1"].value.endswith("Đ…")
