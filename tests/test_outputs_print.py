"""How the workbooks print (the leaders' and the secretaries'): a wide table at full size across pages with the cell's
code and name repeated on the left, a narrow one a page wide; charts that neither cover each
other nor break across a page; the competent level's decisions a page wide, each row whole; the
roll-up's tables as the district's. Read from the packages' XML, as a printer driver reads it."""

from __future__ import annotations

import html
import io
import re
import zipfile
from pathlib import Path

import pytest
from bad_inputs.clean import roster
from builders import lien_chieu
from conftest import DEMO_WORKBOOKS
from test_outputs_summary import digest_of

from toolkit import textfit
from toolkit.outputs.cell_xlsx import cell_packs, write_cell_workbook
from toolkit.outputs.summary_xlsx import (
    CELL_CHART_ROW,
    PAGE_HEIGHT_PIXELS,
    SHEET_CELLS,
    SHEET_CHARTS,
    write_summary,
)
from toolkit.rollup.xlsx import SHEET_COMMITTEES, SHEET_INPUTS, SHEET_ISSUES, SHEET_SUMMARY
from toolkit.rulebook import load_ruleset
from toolkit.workbooks.declarations import column_letter, features_for, load_declaration
from toolkit.workbooks.generate import first_page
from toolkit.workbooks.generate import write_cell_workbook as write_template

EMU_PER_PIXEL = 9525
DEFAULT_ROW_PIXELS = 20


@pytest.fixture(scope="module")
def summary() -> dict[str, str]:
    out = io.BytesIO()
    write_summary(digest_of(lien_chieu()), out)
    with zipfile.ZipFile(out) as package:
        return {n: package.read(n).decode() for n in package.namelist() if n.endswith(".xml")}


@pytest.fixture(scope="module")
def cell_book() -> dict[str, str]:
    out = io.BytesIO()
    write_cell_workbook(cell_packs(digest_of(lien_chieu()))[0], out)
    with zipfile.ZipFile(out) as package:
        return {n: package.read(n).decode() for n in package.namelist() if n.endswith(".xml")}


def xml_parts(source: Path | io.BytesIO) -> dict[str, str]:
    with zipfile.ZipFile(source) as package:
        return {n: package.read(n).decode() for n in package.namelist() if n.endswith(".xml")}


def sheet_xml(parts: dict[str, str], name: str) -> str:
    names = re.findall(r'<sheet name="([^"]+)"', parts["xl/workbook.xml"])
    return parts[f"xl/worksheets/sheet{names.index(name) + 1}.xml"]


def defined(parts: dict[str, str], kind: str, name: str) -> str:
    """The sheet's ``_xlnm.<kind>`` defined name (Print_Titles, Print_Area), "" if none."""
    names = re.findall(r'<sheet name="([^"]+)"', parts["xl/workbook.xml"])
    found = re.search(
        rf'<definedName name="_xlnm.{kind}" localSheetId="{names.index(name)}">([^<]+)<',
        parts["xl/workbook.xml"],
    )
    return found.group(1) if found else ""


def print_titles(parts: dict[str, str], name: str) -> str:
    return defined(parts, "Print_Titles", name)


@pytest.mark.parametrize(
    ("book", "sheet", "titles"),
    [
        ("summary", SHEET_CELLS, "'Tổng hợp chi bộ'!$A:$C,'Tổng hợp chi bộ'!$4:$4"),
        ("summary", "Chi tiết đảng viên", "'Chi tiết đảng viên'!$A:$C,'Chi tiết đảng viên'!$4:$4"),
        ("cell", "Kết quả đảng viên", "'Kết quả đảng viên'!$A:$C,'Kết quả đảng viên'!$4:$4"),
    ],
)
def test_a_wide_table_prints_across_pages_with_its_names_on_the_left(
    summary: dict[str, str], cell_book: dict[str, str], book: str, sheet: str, titles: str
) -> None:
    parts = summary if book == "summary" else cell_book
    xml = sheet_xml(parts, sheet)
    assert "fitToPage" not in xml  # full size: not squeezed onto one page's width
    assert 'pageOrder="overThenDown"' in xml and 'orientation="landscape"' in xml
    assert print_titles(parts, sheet) == titles


def print_area(parts: dict[str, str], name: str) -> str:
    return defined(parts, "Print_Area", name)


def page_header(xml: str) -> str:
    found = re.search(r"<oddHeader>([^<]*)</oddHeader>", xml)
    return html.unescape(found.group(1)) if found else ""


@pytest.mark.parametrize(
    ("book", "sheet", "area", "title"),
    [
        ("summary", SHEET_CELLS, "$A$4:$AI$", "TỔNG HỢP KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI"),
        ("summary", "Chi tiết đảng viên", "$A$4:", "Chi tiết kết quả đánh giá, xếp loại"),
        ("cell", "Kết quả đảng viên", "$A$4:", "Kết quả biểu quyết và mức đề xuất"),
    ],
)
def test_a_table_printed_across_pages_has_its_title_on_every_page_whole(
    summary: dict[str, str], cell_book: dict[str, str], book: str, sheet: str, area: str,
    title: str,
) -> None:  # fmt: skip
    """On the pages after the first, the title rows would print cut to the repeated columns
    («TỔNG HỢP KẾT QUẢ ĐÁNH GIÁ, XẾP LO»): they stay out of the print, and every page has the
    title and subtitle whole in its header."""
    parts = summary if book == "summary" else cell_book
    xml = sheet_xml(parts, sheet)
    assert print_area(parts, sheet).startswith(f"'{sheet}'!{area}")
    last_row = max(int(r) for r in re.findall(r'<row r="(\d+)"', xml))
    assert print_area(parts, sheet).endswith(f"${last_row}")  # to the last row: totals too
    header = page_header(xml)
    bold, _, italic = header.partition("\n")
    assert bold.startswith('&L&"Times New Roman,Bold"&12') and title in bold
    assert italic.startswith('&"Times New Roman,Italic"&10') and "Liên Chiểu" in italic
    assert len(header.encode("utf-16-le")) // 2 <= 255  # Excel drops a longer header


@pytest.mark.parametrize(
    ("title", "subtitle", "shown"),
    [
        ("A & B", "x", "A && B\n"),  # short: whole, its & doubled
        ("T" * 300, "S" * 300, "T…\n"),  # long: cut, marked
        ("Đảng bộ " * 40, "&" * 200, "&&…"),  # the subtitle's & kept whole to the cut
    ],
)
def test_a_page_header_fits_excels_limit_with_its_ampersands_doubled(
    title: str, subtitle: str, shown: str
) -> None:
    header = textfit.page_header(title, subtitle)
    assert len(header.encode("utf-16-le")) // 2 <= 255
    texts = re.sub(r'&L|&"[^"]+"|&\d+', "", header)  # the codes of font and size
    assert "&" not in texts.replace("&&", "")  # every & of the text doubled, none cut in half
    assert shown in header


def test_a_narrow_table_prints_one_page_wide(summary: dict[str, str]) -> None:
    xml = sheet_xml(summary, SHEET_CHARTS)
    assert '<pageSetUpPr fitToPage="1"/>' in xml and 'fitToHeight="0"' in xml
    assert print_titles(summary, SHEET_CHARTS) == ""  # no header above the next page's chart


def anchors(summary: dict[str, str]) -> list[tuple[int, int, int, int]]:
    """(first column, first row, last column, last row) of each chart, in drawing order."""
    drawing = summary["xl/drawings/drawing1.xml"]
    found = re.findall(
        r"<xdr:from><xdr:col>(\d+)</xdr:col>.*?<xdr:row>(\d+)</xdr:row>.*?</xdr:from>"
        r"<xdr:to><xdr:col>(\d+)</xdr:col>.*?<xdr:row>(\d+)</xdr:row>",
        drawing,
    )
    return [tuple(map(int, a)) for a in found]  # type: ignore[misc]


def test_the_pie_chart_sits_beside_the_column_chart_not_over_it(summary: dict[str, str]) -> None:
    column, pie, _ = anchors(summary)
    assert column[2] < pie[0]  # the column chart ends in a column left of the pie's first


def test_the_per_cell_chart_starts_a_page_and_fits_on_it(summary: dict[str, str]) -> None:
    *_, cells = anchors(summary)
    assert cells[1] == CELL_CHART_ROW
    assert f'<brk id="{CELL_CHART_ROW}"' in sheet_xml(summary, SHEET_CHARTS)
    offsets = re.findall(r"<xdr:rowOff>(\d+)</xdr:rowOff>", summary["xl/drawings/drawing1.xml"])
    top, bottom = (int(o) / EMU_PER_PIXEL for o in offsets[-2:])
    height = (cells[3] - cells[1]) * DEFAULT_ROW_PIXELS + bottom - top  # rows below the table
    assert 300 <= height <= PAGE_HEIGHT_PIXELS


def test_a_wide_template_table_prints_across_pages_with_its_members_on_the_left() -> None:
    the_roster = roster()
    out = io.BytesIO()
    write_template("self_assessment", the_roster.tree.units["CB01"],
                   the_roster.members_of("CB01"), 2025, load_ruleset(2025), out)  # fmt: skip
    with zipfile.ZipFile(out) as package:
        parts = {n: package.read(n).decode() for n in package.namelist() if n.endswith(".xml")}
    xml = sheet_xml(parts, "Tự đánh giá")
    assert "fitToPage" not in xml and 'pageOrder="overThenDown"' in xml
    # number, code, name, membership and subject type: the prefilled columns, frozen on
    # screen too
    assert print_titles(parts, "Tự đánh giá") == "'Tự đánh giá'!$A:$E,'Tự đánh giá'!$4:$4"
    # the title and the note over the table are merged over the first page's columns only
    rules = load_ruleset(2025)
    layout = load_declaration("self_assessment").layout(
        "members", features_for(rules.uses_scores, rules.scores_required)
    )
    span = first_page([c.width for c in layout.columns])
    assert 4 < span < len(layout.columns)
    last = column_letter(span - 1)
    merged = re.findall(r'<mergeCell ref="([A-Z]+\d+:[A-Z]+\d+)"/>', xml)
    assert merged == [f"A1:{last}1", f"A2:{last}2", f"A3:{last}3"]
    # printed, they would be cut to the repeated columns after the first page: they stay on
    # the screen, and every page has the title in its header
    assert print_area(parts, "Tự đánh giá").startswith("'Tự đánh giá'!$A$4:")
    header = page_header(xml)
    assert layout.sheet.title in header.partition("\n")[0]
    assert "Chi bộ" in header.partition("\n")[2]
    # the form beside it fits a page's width
    assert '<pageSetUpPr fitToPage="1"/>' in sheet_xml(parts, "Chi bộ")


@pytest.mark.parametrize(
    ("sheet", "titles"),
    [
        (SHEET_COMMITTEES, "$A:$C"),  # number, code and name of each committee below
        (SHEET_ISSUES, "$A:$C"),  # number, severity and code beside the message
        (SHEET_INPUTS, "$A:$B"),  # number and package beside its SHA-256
    ],
)
def test_the_roll_ups_wide_tables_print_across_pages_with_their_names_on_the_left(
    demo_district: Path, sheet: str, titles: str
) -> None:
    parts = xml_parts(demo_district / DEMO_WORKBOOKS["roll-up tong-hop.xlsx"])
    xml = sheet_xml(parts, sheet)
    assert "fitToPage" not in xml
    assert 'pageOrder="overThenDown"' in xml and 'orientation="landscape"' in xml
    assert print_titles(parts, sheet) == f"'{sheet}'!{titles},'{sheet}'!$4:$4"


def test_the_roll_ups_summary_forms_print_one_page_wide(demo_district: Path) -> None:
    parts = xml_parts(demo_district / DEMO_WORKBOOKS["roll-up tong-hop.xlsx"])
    xml = sheet_xml(parts, SHEET_SUMMARY)
    assert '<pageSetUpPr fitToPage="1"/>' in xml and 'fitToHeight="0"' in xml
    assert 'orientation="landscape"' in xml and '<pageSetup paperSize="9"' in xml


@pytest.mark.parametrize("sheet", ["Cần quyết định", "Đảng viên", "Tổ chức đảng"])
def test_a_decision_table_prints_a_page_wide_each_row_whole(
    demo_district: Path, sheet: str
) -> None:
    parts = xml_parts(demo_district / DEMO_WORKBOOKS["quyet-dinh.xlsx"])
    xml = sheet_xml(parts, sheet)
    # a little wider than the page: scaled to its width, the proposal beside the decision
    assert '<pageSetUpPr fitToPage="1"/>' in xml and 'fitToHeight="0"' in xml
    assert 'orientation="landscape"' in xml and "pageOrder" not in xml
    # the titles and the header on every page, whole since the page shows every column
    assert print_titles(parts, sheet) == f"'{sheet}'!$1:$4"
    # the title and subtitle over every column, as the page shows them all
    last = max(re.findall(r'<col min="\d+" max="(\d+)"', xml), key=int)
    merged = re.findall(r'<mergeCell ref="([A-Z]+\d+:[A-Z]+\d+)"/>', xml)
    assert merged == [f"A1:{column_letter(int(last) - 1)}1", f"A2:{column_letter(int(last) - 1)}2"]
