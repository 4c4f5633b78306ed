"""Help while filling, on the templates themselves: what each table must hold, the official
members already counted from the roster (and still editable), and the tally rows checked
against «Biên bản» by conditional formatting as the secretary types."""

from __future__ import annotations

import html
import io
import re
import zipfile

import openpyxl
from bad_inputs.clean import roster

from toolkit.model import Membership, VoteMethod
from toolkit.rulebook import load_ruleset
from toolkit.workbooks.declarations import load_declaration
from toolkit.workbooks.generate import write_cell_workbook
from toolkit.workbooks.guides import NAMES, SUGGESTED


def template(kind: str, year: int = 2025) -> bytes:
    the_roster = roster()
    cell = the_roster.tree.units["CB01"]
    out = io.BytesIO()
    members = the_roster.members_of("CB01")
    write_cell_workbook(kind, cell, members, year, load_ruleset(year), out)
    return out.getvalue()


def test_the_self_assessment_sheet_says_the_committee_proposal_is_optional() -> None:
    ws = openpyxl.load_workbook(io.BytesIO(template("self_assessment")))["Tự đánh giá"]
    note = ws["A3"].value
    required, _, optional = note.partition("Không bắt buộc (có thể để trống):")
    assert "«Cấp ủy chi bộ đề xuất»" in optional
    assert "«Cấp ủy chi bộ đề xuất»" not in required
    assert "Bắt buộc khi đảng viên được đánh giá, xếp loại: «Tự xếp loại»" in required
    assert ws.row_dimensions[3].height > 15  # as tall as its wrapped text


def test_the_official_members_are_filled_in_from_the_roster_and_stay_editable() -> None:
    ws = openpyxl.load_workbook(io.BytesIO(template("ballot")))["Biên bản"]
    layout = load_declaration("ballot").layout("meeting")
    row = layout.field_row("official_total")
    officials = [m for m in roster().members_of("CB01") if m.membership is Membership.OFFICIAL]
    assert ws.cell(row, 2).value == len(officials) == 5
    assert ws.cell(row, 2).protection.locked is False
    assert SUGGESTED in ws.cell(row, 3).value
    # the fields nobody knows in advance stay empty
    assert ws.cell(layout.field_row("present_official"), 2).value is None


def test_the_tally_check_reads_the_meetings_fields_by_name() -> None:
    wb = openpyxl.load_workbook(io.BytesIO(template("ballot")))
    layout = load_declaration("ballot").layout("meeting")
    for key, name in NAMES.items():
        assert wb.defined_names[name].attr_text == f"'Biên bản'!$B${layout.field_row(key)}"


def test_each_tally_row_is_red_when_it_does_not_add_up_and_green_when_it_does() -> None:
    package = zipfile.ZipFile(io.BytesIO(template("ballot")))
    names = re.findall(r'<sheet name="([^"]+)"', package.read("xl/workbook.xml").decode())
    sheet = package.read(f"xl/worksheets/sheet{names.index('Kiểm phiếu') + 1}.xml").decode()
    rules = re.findall(
        r'<conditionalFormatting sqref="([^"]+)">(.*?)</conditionalFormatting>', sheet
    )
    (sqref, body), = [r for r in rules if "COUNT" in r[1]]  # fmt: skip
    # the «Cộng» column of the 7 members, after the seven vote columns of ballot version 2
    assert sqref == "L5:L11"
    formulas = [html.unescape(f) for f in re.findall(r"<formula>(.*?)</formula>", body)]
    expected = (
        f'IF(kp_hinh_thuc="{VoteMethod.SECRET_BALLOT.label}",kp_phieu_hop_le,kp_chinh_thuc_co_mat)'
    )
    assert formulas == [
        f"AND(COUNT($E5:$K5)>0,$L5<>{expected})",
        f"AND(COUNT($E5:$K5)>0,$L5={expected})",
    ]
    ws = openpyxl.load_workbook(io.BytesIO(template("ballot")))["Kiểm phiếu"]
    assert "tô đỏ khi tổng số phiếu của dòng khác số phiếu hợp lệ" in ws["A3"].value
