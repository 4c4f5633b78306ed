"""The sheet scan bounds the grid python-calamine will allocate, however a sheet is spelled.

Calamine places a cell by its ``r`` attribute wherever it sits in the tag and however it is
written, and puts a row or a cell without one right after the previous. A scan that trusted only
the usual spelling let a 16 KB file (a line break before ``r``) or a 7 MB one (rows and cells
without ``r``) abort the whole process. Bounds are checked against real calamine reads of real
files; the hostile files are read in a child process with an address-space limit.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from bad_inputs.corpus import edit_sheet, workshop
from python_calamine import CalamineWorkbook

from toolkit.workbooks.package import open_package
from toolkit.workbooks.scan import MAX_ROWS, merge_cells_first, scan_sheet, sheet_extent


def workbook_with(sheet_data: str) -> tuple[bytes, bytes]:
    """A real .xlsx whose only sheet has ``sheet_data``; (the package, the sheet's XML)."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer)
    book.add_worksheet("Dữ liệu").write_string(0, 0, "x")
    book.close()
    out = io.BytesIO()
    sheet = b""
    with (
        zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for name in source.namelist():
            data = source.read(name)
            if name == "xl/worksheets/sheet1.xml":
                text = data.decode()
                start, end = text.index("<sheetData"), text.index("</sheetData>") + 12
                data = sheet = (text[:start] + sheet_data + text[end:]).encode()
            target.writestr(name, data)
    return out.getvalue(), sheet


def calamine_grid(package: bytes) -> tuple[int, int]:
    """Rows and columns of the grid calamine gives for the sheet (as the reader asks for it)."""
    book = CalamineWorkbook.from_filelike(io.BytesIO(package))
    grid = book.get_sheet_by_name("Dữ liệu").to_python(skip_empty_area=False)
    return len(grid), max((len(row) for row in grid), default=0)


SPELLINGS = {
    "as Excel writes it": '<row r="2" spans="1:3"><c r="C2" s="1" t="s"><v>0</v></c></row>',
    "a cell past the last row element": '<row r="2"><c r="A900"><v>1</v></c></row>',
    "two-letter columns": '<row r="3"><c r="AB3"><v>1</v></c><c r="BD3"><v>2</v></c></row>',
    "two-letter columns, a cell past the last row": '<row r="3"><c r="AB3"><v>1</v></c><c r="C4000"><v>2</v></c></row>',
    "r after another attribute": '<row spans="1:3" r="5"><c s="1" r="B5"><v>3</v></c></row>',
    "a line break before r": '<row\nr="5"><c\nr="C9"><v>1</v></c></row>',
    "a tab before r": '<row\tr="7"><c\tr="D7"><v>1</v></c></row>',
    "single quotes": "<row r='4'><c r='E4'><v>1</v></c></row>",
    "spaces around =": '<row r = "4"><c r =  "E6"><v>1</v></c></row>',
    "lower case": '<row r="5"><c r="f5"><v>1</v></c></row>',
    "two r attributes (the last wins)": '<row r="5"><c r="B5" r="D8"><v>3</v></c></row>',
    "a > inside another attribute": '<row r="2"><c t="n" x=">" r="E3"><v>1</v></c></row>',
    "rows and cells without r": "<row><c><v>1</v></c><c><v>2</v></c></row><row/><row><c/></row>",
    "a cell without r after an explicit one": '<row r="5"><c r="D5"><v>1</v></c><c><v>2</v></c></row>',
    "a cell outside any row": '<row r="2"><c r="C2"><v>1</v></c></row><c><v>2</v></c>',
    "prefixed elements": '<x:row xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'r="3"><x:c r="F3"><x:v>1</x:v></x:c></x:row>',
}


@pytest.mark.parametrize("sheet_data", SPELLINGS.values(), ids=SPELLINGS.keys())
def test_the_bound_covers_what_calamine_allocates(sheet_data: str) -> None:
    package, xml = workbook_with(f"<sheetData>{sheet_data}</sheetData>")
    rows, cols = calamine_grid(package)
    bound = sheet_extent(xml)
    assert bound[0] >= rows and bound[1] >= cols, (bound, (rows, cols))


@pytest.mark.parametrize(
    "sheet_data",
    [
        '<row\nr="1048576"><c\nr="XFD1048576"><v>1</v></c></row>',
        '<row r="1"><c r="A1" r="XFD1048576"><v>1</v></c></row>',
        "<row r='1048576'><c r='XFD1048576'><v>1</v></c></row>",
        '<row r="1"><c r="xfd1048576"><v>1</v></c></row>',
        '<row r="9"><c\tr="A900000"><v>1</v></c></row>',
        "<row/>" * 5000 + "<row>" + "<c/>" * 1000 + "</row>",
        '<row r="1"><c r="A1"/></row>' + "<row/>" * (MAX_ROWS + 1),
    ],
    ids=[
        "line breaks",
        "a second r",
        "single quotes",
        "lower case",
        "a tab",
        "no r at all",
        "rows without r",
    ],
)
def test_absurd_extents_are_seen_however_they_are_spelled(sheet_data: str) -> None:
    xml = f"<worksheet><sheetData>{sheet_data}</sheetData></worksheet>".encode()
    assert scan_sheet(xml).too_large


def test_a_plain_sheet_of_the_usual_size_passes() -> None:
    rows = "".join(
        f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>Đảng viên {r}</t></is></c>'
        f'<c r="BD{r}"><v>{r}</v></c></row>'
        for r in range(1, 3000)
    )
    scan = scan_sheet(f"<worksheet><sheetData>{rows}</sheetData></worksheet>".encode())
    assert not scan.too_large and scan.max_row >= 2999 and scan.max_col >= 56


def test_a_formula_outside_the_cells_is_not_pinned_on_the_last_cell() -> None:
    """Excel keeps list validations that point at another sheet in an extension, as <xm:f>."""
    xml = (
        b'<worksheet><sheetData><row r="5"><c r="B5"><v>3</v></c></row></sheetData><extLst>'
        b"<ext><x14:dataValidations><x14:dataValidation><x14:formula1><xm:f>Lists!$A$1:$A$4"
        b"</xm:f></x14:formula1></x14:dataValidation></x14:dataValidations></ext></extLst>"
        b"</worksheet>"
    )
    scan = scan_sheet(xml)
    assert scan.formulas == {} and scan.uncached == {}


def test_formulas_plain_and_prefixed_are_found() -> None:
    xml = (
        b'<worksheet><sheetData><row r="2"><c r="C2"><f>SUM(A2:B2)</f><v>3</v></c>'
        b'<x:c r="D2"><x:f>C2*2</x:f></x:c></row></sheetData></worksheet>'
    )
    scan = scan_sheet(xml)
    assert scan.formulas == {(2, 2): "=SUM(A2:B2)"}
    assert scan.uncached == {(2, 3): "=C2*2"}


CHILD = """
import json, resource, sys
resource.setrlimit(resource.RLIMIT_AS, (3 * 1024**3, 3 * 1024**3))
from toolkit.workbooks.read import read_workbook
reading = read_workbook(sys.argv[1])
print(json.dumps(sorted({i.code for i in reading.issues})))
"""


@pytest.mark.parametrize(
    "cell",
    [
        b'<row\nr="1048576"><c\nr="XFD1048576" t="inlineStr"><is><t>z</t></is></c></row>',
        b'<row r="7"><c r="A7" r="XFD1048576" t="inlineStr"><is><t>z</t></is></c></row>',
    ],
    ids=["line breaks", "a second r"],
)
def test_a_hostile_return_is_refused_not_a_crash(tmp_path: Path, cell: bytes) -> None:
    shop = workshop(tmp_path)
    path = edit_sheet(
        shop,
        "o-xa.xlsx",
        "Kiểm phiếu",
        lambda x: x.replace(b"</sheetData>", cell + b"</sheetData>"),
    )
    assert path.stat().st_size < 64 * 1024
    child = subprocess.run(
        [sys.executable, "-c", CHILD, str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).resolve().parent.parent,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)},
    )
    assert child.returncode == 0, child.stderr[-2000:]  # an abort would be -6
    assert "sheet-too-large" in json.loads(child.stdout)


@pytest.mark.parametrize("shared", [False, True], ids=["all plain", "one shared formula"])
def test_formulas_with_and_without_a_cached_value(shared: bool) -> None:
    """A plainly written sheet's formulas are found in one search; one formula written
    otherwise (Excel's shared formulas) sends the sheet down the general path: the same."""
    extra = '<c r="E2"><f t="shared" ref="E2:E3" si="0">A2</f><v>7</v></c>' if shared else ""
    xml = (
        '<worksheet><sheetData><row r="2"><c r="A2"><f>SUM(B2:C2)</f><v>3</v></c>'
        '<c r="B2"><f>A2*2</f><v/></c><c r="C2" s="1"><f>A2*3</f></c>'
        f'<c r="D2" t="str"><f>""</f><v></v></c>{extra}</row></sheetData></worksheet>'
    ).encode()
    scan = scan_sheet(xml)
    expected = {(2, 0): "=SUM(B2:C2)", (2, 3): '=""'}
    assert scan.formulas == ({**expected, (2, 4): "=A2"} if shared else expected)
    assert scan.uncached == {(2, 1): "=A2*2", (2, 2): "=A2*3"}


def test_a_formula_reads_as_excel_shows_it_not_as_its_xml() -> None:
    """The formula is echoed in the problem's message: «=IF(A2<B2,…)», not «A2&lt;B2»."""
    xml = (
        b'<worksheet><sheetData><row r="2"><c r="C2"><f>IF(A2&lt;B2,"a&amp;b",0)</f>'
        b"<v>0</v></c></row></sheetData></worksheet>"
    )
    assert scan_sheet(xml).formulas == {(2, 2): '=IF(A2<B2,"a&b",0)'}


# -- the merged cells, first: calamine's second pass over a sheet, cut short -----------------


def _merged_by_openpyxl() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Dữ liệu"
    for row in range(1, 30):
        sheet.append([f"ô {row}", row, row * 1.5, None, "HTTNV"])
    sheet.merge_cells("A1:C1")
    sheet.merge_cells("D5:E9")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _merged_by_xlsxwriter() -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out)
    sheet = book.add_worksheet("Dữ liệu")
    for row in range(30):
        sheet.write_row(row, 0, [f"ô {row}", row, row * 1.5])
    sheet.merge_range("A1:C1", "tiêu đề")
    sheet.merge_range("B40:D41", 7)
    book.close()
    return out.getvalue()


def _unmerged() -> bytes:
    return workbook_with('<sheetData><row r="2"><c r="C2"><v>1</v></c></row></sheetData>')[0]


def _read_by_calamine(package: bytes) -> tuple[list[list[object]], list[object]]:
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(package)).get_sheet_by_name("Dữ liệu")
    return sheet.to_python(skip_empty_area=False), sheet.merged_cell_ranges or []


@pytest.mark.parametrize(
    "package",
    [_merged_by_openpyxl(), _merged_by_xlsxwriter(), _unmerged()],
    ids=["merged, openpyxl", "merged, xlsxwriter", "none merged"],
)
def test_calamine_reads_the_same_sheet_with_its_merged_cells_first(package: bytes) -> None:
    opened = open_package(package)
    with zipfile.ZipFile(io.BytesIO(package)) as original:
        xml = original.read("xl/worksheets/sheet1.xml")
    with zipfile.ZipFile(io.BytesIO(opened.reader)) as given:
        first = given.read("xl/worksheets/sheet1.xml")  # what calamine is handed
    assert first == merge_cells_first(xml) and first != xml
    assert first.index(b"mergeCells") < first.index(b"<sheetData")
    assert sorted(first) == sorted(xml + (b"" if b"mergeCells" in xml else b"<mergeCells/>"))
    assert _read_by_calamine(opened.reader) == _read_by_calamine(package)


def test_the_merged_cells_are_found_where_they_were_moved() -> None:
    grid, merged = _read_by_calamine(open_package(_merged_by_openpyxl()).reader)
    assert merged == [((0, 0), (0, 2)), ((4, 3), (8, 4))]
    assert grid[1][0] == "ô 2"


_SHEET = (
    b'<?xml version="1.0"?><worksheet xmlns="m"><sheetData><row r="1"><c r="A1"><v>1</v></c>'
    b"</row></sheetData>%s</worksheet>"
)
_MERGED = b'<mergeCells count="1"><mergeCell ref="A1:B1"/></mergeCells>'


@pytest.mark.parametrize(
    "xml",
    [
        _SHEET % (b"<!-- <mergeCells> -->" + _MERGED),
        _SHEET % b"<![CDATA[x]]>",
        _SHEET % (b"<?pi <mergeCells/> ?>" + _MERGED),
        _SHEET % b'<x:mergeCells xmlns:x="m"><x:mergeCell ref="A1:B1"/></x:mergeCells>',
        _SHEET % (_MERGED + _MERGED),
        _SHEET % b"<mergeCells><mergeCell ref='A1:B1'/></mergeCells>",
        _SHEET % b'<mergeCells><mergeCell x="1" ref="A1:B1"/></mergeCells>',
        _SHEET.replace(b"<sheetData>", _MERGED + b"<sheetData>") % b"",
        _SHEET % b"<sheetData/>",
        b'<worksheet xmlns="m"><x:sheetData xmlns:x="m"/></worksheet>',
        _SHEET.replace(b"<v>1</v>", b"<is><t>mergeCells</t></is>") % _MERGED,
    ],
    ids=[
        "a comment",
        "a CDATA section",
        "a processing instruction",
        "prefixed",
        "two mergeCells",
        "single quotes",
        "another attribute",
        "already first",
        "two sheetData",
        "no plain sheetData",
        "the word typed in a cell",
    ],
)
def test_a_sheet_not_plainly_written_is_given_as_it_is(xml: bytes) -> None:
    assert merge_cells_first(xml) is xml
