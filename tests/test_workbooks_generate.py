"""Generated workbooks: what a secretary opens in Excel, checked cell by cell with openpyxl."""

from __future__ import annotations

import dataclasses
import io
import re
from pathlib import Path

import openpyxl
import pytest
from bad_inputs.clean import roster, templates

from toolkit.model import OrgKind, OrgTree, OrgUnit, Roster
from toolkit.rulebook import load_ruleset
from toolkit.workbooks.declarations import LISTS, load_declaration
from toolkit.workbooks.generate import (
    cell_file_names,
    generate_cell_workbooks,
    write_blank_roster,
    write_cell_workbook,
    write_roster,
)
from toolkit.workbooks.identity import roster_hash, safe_file_stem
from toolkit.workbooks.read import read_roster


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    return templates(tmp_path_factory.mktemp("t"), roster())


def load(path: Path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(path)


def test_sheets_come_in_order_with_the_lists_hidden_and_the_identity_very_hidden(made) -> None:
    book = load(made["CB01", "self_assessment"])
    assert book.sheetnames == ["Hướng dẫn", "Chi bộ", "Tự đánh giá", "Danh mục", "xeploai"]
    states = {ws.title: ws.sheet_state for ws in book.worksheets}
    assert states == {
        "Hướng dẫn": "visible",
        "Chi bộ": "visible",
        "Tự đánh giá": "visible",
        "Danh mục": "hidden",
        "xeploai": "veryHidden",
    }
    ballot = load(made["CB01", "ballot"])
    assert ballot.sheetnames == [
        "Hướng dẫn", "Biên bản", "Kiểm phiếu", "Phiếu bầu", "Danh mục", "xeploai",
    ]  # fmt: skip


def test_the_identity_block_names_kind_version_year_cell_and_roster(made) -> None:
    ws = load(made["CB01", "ballot"])["xeploai"]
    block = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(2, ws.max_row + 1)}
    the_roster = roster()
    cell = the_roster.tree.units["CB01"]
    assert block["kind"] == "ballot"
    assert block["template_version"] == str(load_declaration("ballot").version)
    assert block["year"] == "2023"
    assert block["cell_code"] == "CB01"
    assert block["roster_hash"] == roster_hash(cell, the_roster.members_of("CB01"))
    assert block["ruleset"] == "QD124"


def test_the_cells_members_are_prefilled_and_locked_and_inputs_are_unlocked(made) -> None:
    ws = load(made["CB01", "self_assessment"])["Tự đánh giá"]
    header = [c.value for c in ws[4]]
    assert header[:5] == ["STT", "Mã đảng viên", "Họ và tên", "Chính thức / Dự bị", "Tự xếp loại"]
    rows = [[c.value for c in row[:4]] for row in ws.iter_rows(min_row=5, max_row=11)]
    assert rows[0] == [1, "DV001", "Lê Văn Bình", "Chính thức"]
    assert rows[6] == [7, "DV007", "Đặng Quốc Huy", "Dự bị"]
    assert ws["B5"].protection.locked and ws["E4"].protection.locked
    assert not ws["E5"].protection.locked and not ws["M11"].protection.locked
    assert ws.protection.sheet and not ws.protection.password


def test_drop_downs_come_from_named_lists_on_the_hidden_sheet(made) -> None:
    book = load(made["CB01", "self_assessment"])
    ws = book["Tự đánh giá"]
    sources = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation}
    assert sources["E5:E11"] == "ds_levels"
    assert sources["F5:F11"] == "ds_reasons"
    assert sources["G5:G11"] == "ds_yes_no"
    target = book.defined_names["ds_levels"].attr_text
    assert target == "'Danh mục'!$A$2:$A$5"
    lists = book["Danh mục"]
    assert [lists.cell(r, 1).value for r in range(2, 6)] == list(LISTS["levels"])


def test_times_new_roman_a4_frozen_headers_and_print_titles(made) -> None:
    book = load(made["CB01", "ballot"])
    for ws in (book["Hướng dẫn"], book["Biên bản"], book["Kiểm phiếu"], book["Phiếu bầu"]):
        assert ws.page_setup.paperSize == 9, ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
    assert book["Kiểm phiếu"]["B5"].font.name == "Times New Roman"
    assert book["Hướng dẫn"]["A1"].font.name == "Times New Roman"
    assert book["Kiểm phiếu"].freeze_panes == "E5"
    assert book["Kiểm phiếu"].print_title_rows == "$1:$4"
    assert book["Phiếu bầu"].freeze_panes == "B6"


def test_the_tally_total_is_a_locked_formula(made) -> None:
    ws = load(made["CB01", "ballot"])["Kiểm phiếu"]
    # the four levels, "Chưa đánh giá, xếp loại", blank and invalid add up to the valid ballots
    assert [ws.cell(4, c).value for c in range(5, 14)] == [
        "HTXSNV", "HTTNV", "HTNV", "KHTNV", "Chưa đánh giá, xếp loại", "Không chọn mức nào",
        "Không hợp lệ", "Cộng", "Kết luận của hội nghị",
    ]  # fmt: skip
    assert ws["L5"].value == "=SUM(E5:K5)"
    assert ws["L5"].protection.locked
    assert not ws["M5"].protection.locked


def test_the_papers_sheet_has_a_column_per_member_and_a_row_per_official_member(made) -> None:
    ws = load(made["CB01", "ballot"])["Phiếu bầu"]
    ids = [ws.cell(4, c).value for c in range(2, 9)]
    assert ids == ["DV001", "DV002", "DV003", "DV004", "DV005", "DV006", "DV007"]
    assert ws.cell(5, 2).value == "Lê Văn Bình"
    validations = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation}
    assert validations["B6:H10"] == "ds_paper_choices"  # five official members: five papers


def test_the_instructions_name_the_cell_the_year_and_the_regulation(made) -> None:
    ws = load(made["CB01", "self_assessment"])["Hướng dẫn"]
    text = "\n".join(str(c.value) for c in ws["A"] if c.value)
    assert "Chi bộ Trường THPT Liên Chiểu (mã CB01), năm đánh giá 2023" in text
    assert "Quy định 124-QĐ/TW" in text
    assert "«Tự đánh giá» › Tự xếp loại:" in text


def test_the_qd366_variant_adds_the_score_columns(tmp_path: Path) -> None:
    made = templates(tmp_path, roster(), year=2025)
    members = load(made["CB01", "self_assessment"])["Tự đánh giá"]
    headers = [c.value for c in members[4]]
    assert headers[4:9] == [
        "Đối tượng",
        "Tự xếp loại",
        "Điểm tiêu chí chung (tối đa 30)",
        "Điểm kết quả thực hiện nhiệm vụ (tối đa 70)",
        "Điểm tự chấm",
    ]
    assert members["E5"].value == "Mẫu 2B"  # prefilled from the roster
    cell = load(made["CB01", "self_assessment"])["Chi bộ"]
    assert cell["A7"].value == "Điểm chi bộ tự chấm (thang điểm 100)"
    old = load(templates(tmp_path / "old", roster(), year=2023)["CB01", "self_assessment"])
    old_headers = [c.value for c in old["Tự đánh giá"][4]]
    assert "Điểm tự chấm" not in old_headers and "Đối tượng" not in old_headers
    # the QD124 instructions do not explain columns the workbook does not have
    assert "QĐ 366-QĐ/TW Điều 10" not in " ".join(str(c.value) for c in old["Hướng dẫn"]["A"])


def test_the_same_roster_gives_byte_identical_workbooks() -> None:
    the_roster, rules = roster(), load_ruleset(2023)
    cell = the_roster.tree.units["CB01"]
    first, second = io.BytesIO(), io.BytesIO()
    for target in (first, second):
        write_cell_workbook("ballot", cell, the_roster.members_of("CB01"), 2023, rules, target)
    assert first.getvalue() == second.getvalue()


def test_a_roster_name_that_looks_like_rich_text_xml_is_prefilled_as_typed() -> None:
    the_roster, rules = roster(), load_ruleset(2023)
    odd = dataclasses.replace(the_roster.members_of("CB01")[1], full_name="<r><t>Hoa</t></r>")
    members = (the_roster.members_of("CB01")[0], odd)
    target = io.BytesIO()
    cell = the_roster.tree.units["CB01"]
    write_cell_workbook("ballot", cell, members, 2023, rules, target)
    ws = openpyxl.load_workbook(target)["Phiếu bầu"]
    assert odd.full_name in {c.value for row in ws.iter_rows() for c in row}


def test_file_names_are_safe_on_windows_and_unique(tmp_path: Path) -> None:
    units = {
        "QU": OrgUnit("QU", "Quận ủy", OrgKind.PARENT),
        "C.1": OrgUnit("C.1", "Chi bộ Đoàn/Hội: <số 1>?", OrgKind.GRASSROOTS_CELL, "QU"),
        "C-1": OrgUnit("C-1", "Chi bộ Đoàn Hội số 1", OrgKind.GRASSROOTS_CELL, "QU"),
        "CON": OrgUnit("CON", "", OrgKind.GRASSROOTS_CELL, "QU"),
    }
    paths = generate_cell_workbooks(Roster(OrgTree(units), ()), 2023, tmp_path)
    names = sorted(p.name for p in paths)
    assert all(re.fullmatch(r"[A-Za-z0-9_-]+\.xlsx", n) for n in names), names
    assert len({n.casefold() for n in names}) == len(names) == 6
    stems = cell_file_names(Roster(OrgTree(units), ()))
    assert stems["C-1"] == "C-1-Chi-bo-Doan-Hoi-so-1"  # in code order: "-" sorts before "."
    assert stems["C.1"] == "C-1-Chi-bo-Doan-Hoi-so-1-2"
    assert stems["CON"] == "_CON"
    assert safe_file_stem("Chi bộ Trường THPT Liên Chiểu") == "Chi-bo-Truong-THPT-Lien-Chieu"


def test_the_blank_roster_has_drop_downs_and_reads_back_empty(tmp_path: Path) -> None:
    path = tmp_path / "blank.xlsx"
    write_blank_roster(path)
    book = load(path)
    assert book.sheetnames == ["Hướng dẫn", "Tổ chức", "Đảng viên", "Danh mục", "xeploai"]
    units = book["Tổ chức"]
    sources = {dv.formula1 for dv in units.data_validations.dataValidation}
    assert "ds_org_kinds" in sources
    assert not units["A5"].protection.locked
    # rows the district adds below the prepared ones stay editable: the columns are unlocked
    assert not units.column_dimensions["A"].protection.locked
    the_roster, issues = read_roster(path)
    assert issues == () and the_roster.members == () and not the_roster.tree.units


def test_a_roster_written_by_write_roster_reads_back_exactly(tmp_path: Path) -> None:
    path = tmp_path / "roster.xlsx"
    write_roster(roster(), path)
    read, issues = read_roster(path)
    assert issues == ()
    assert read == roster()
