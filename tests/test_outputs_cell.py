"""chi-bo/<code>.xlsx: one result workbook per cell, for its secretary, read back for real."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import openpyxl
import pytest
from builders import FORMULA_NAME, issue, lien_chieu, workbook_snapshot
from test_outputs_summary import GOLDEN, digest_of

from toolkit.model import Severity
from toolkit.outputs.cell_xlsx import CellPack, cell_packs, write_cell_workbook
from toolkit.outputs.summary_sheets import conditions_matter


@pytest.fixture(scope="module")
def packs() -> dict[str, CellPack]:
    return {p.cell.code: p for p in cell_packs(digest_of(lien_chieu()))}


@pytest.fixture(scope="module")
def written(
    packs: dict[str, CellPack], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("chi-bo")
    paths = {}
    for code, pack in packs.items():
        paths[code] = folder / f"{code}.xlsx"
        write_cell_workbook(pack, paths[code])
    return paths


def test_one_workbook_per_cell_that_answered(packs: dict[str, CellPack]) -> None:
    assert sorted(packs) == ["CB-DM", "CB-HKB-01", "CB-HKB-02", "CB-THPT"]  # not CB-UBND
    assert packs["CB-DM"].cell.file == "chi-bo/CB-DM.xlsx"


def test_matches_the_golden_snapshot(written: dict[str, Path], update_golden: bool) -> None:
    golden = GOLDEN / "chi-bo-CB-HKB-01.json"
    snapshot = workbook_snapshot(written["CB-HKB-01"])
    if update_golden:
        golden.write_text(
            json.dumps(snapshot, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
    assert golden.exists(), "no golden file yet: run pytest --update-golden"
    assert snapshot == json.loads(golden.read_text(encoding="utf-8"))


def test_sheets_in_vietnamese(written: dict[str, Path]) -> None:
    wb = openpyxl.load_workbook(written["CB-DM"])
    assert wb.sheetnames == ["Tóm tắt", "Kết quả đảng viên", "Vấn đề cần sửa"]


def summary_of(path: Path) -> dict[str, list[object]]:
    ws = openpyxl.load_workbook(path)["Tóm tắt"]
    found: dict[str, list[object]] = {}
    for label, value, share in ws.iter_rows(min_row=4, max_col=3, values_only=True):
        if label:
            found.setdefault(str(label), []).append((value, share) if share is not None else value)
    return found


def test_summary_gives_counts_quota_and_the_cells_own_level(written: dict[str, Path]) -> None:
    s = summary_of(written["CB-HKB-01"])
    assert s["Chi bộ"] == ["Chi bộ Khu dân cư số 1 (CB-HKB-01)"]
    assert s["Trực thuộc"] == ["Đảng bộ phường Hòa Khánh Bắc (DB-HKB)"]
    assert s["Tình trạng"] == ["Có cảnh báo"]
    assert s["Số đảng viên được đánh giá, xếp loại"] == [9]
    assert s["Chưa xác định mức (báo cáo cấp ủy cấp trên)"] == [1]
    assert s["Hoàn thành xuất sắc nhiệm vụ (HTXSNV)"] == [(3, pytest.approx(1 / 3))]
    assert s["Không đánh giá, xếp loại: Vắng mặt, chưa đánh giá"] == [1]
    # its own ratio is advisory; the đảng bộ's is the one that decides
    assert s["Hạn mức HTXSNV tại chi bộ (tham khảo)"] == ["Vượt 2 (cảnh báo)"]
    assert s["Hạn mức HTXSNV tại Đảng bộ phường Hòa Khánh Bắc (quyết định)"] == ["Vượt 2 (lỗi)"]
    assert s["Chi bộ đề xuất xếp loại"] == ["HTTNV"]
    # the conditions are HTXSNV's: said so, and not weighed for a cell that proposed HTTNV; the
    # member whose vote tied is counted apart, so they hold over the 9 with a level
    conditions = s["Điều kiện để chi bộ đạt HTXSNV (không xét: đề xuất HTTNV)"]
    assert [str(c)[:4] for c in conditions] == ["Đạt:", "Đạt:"]
    ws = openpyxl.load_workbook(written["CB-HKB-01"])["Tóm tắt"]
    flagged = [r[1].fill.fgColor.rgb for r in ws.iter_rows(min_row=4) if r[1].value in conditions]
    assert flagged and all(rgb in (None, "00000000") for rgb in flagged)


def test_a_grassroots_cell_decides_its_own_quota(written: dict[str, Path]) -> None:
    s = summary_of(written["CB-THPT"])
    assert s["Hạn mức HTXSNV tại chi bộ (quyết định)"] == ["Trong hạn mức"]
    assert s["Số HTXSNV tại chi bộ"] == [2] and s["Số HTTNV tại chi bộ"] == [10]
    assert "Trực thuộc" not in s


def test_members_with_votes_proposals_and_explanations(written: dict[str, Path]) -> None:
    ws = openpyxl.load_workbook(written["CB-THPT"])["Kết quả đảng viên"]
    header = [c.value for c in ws[4]]
    rows = [dict(zip(header, r, strict=True)) for r in ws.iter_rows(min_row=5, values_only=True)]
    assert [r["STT"] for r in rows] == list(range(1, 14))
    second = rows[1]
    assert second["Số phiếu HTXSNV"] == 9 and second["Mẫu số"] == 11
    assert second["Mức đề xuất"] == "HTXSNV"
    assert second["Giải thích"].startswith("Đề xuất HTXSNV: 9/11 phiếu (81,8%)")
    formula_cell = ws.cell(row=7, column=3)
    assert formula_cell.value == FORMULA_NAME and formula_cell.data_type == "s"


def test_problems_are_pinned_to_the_file_sheet_and_cell_to_fix(written: dict[str, Path]) -> None:
    ws = openpyxl.load_workbook(written["CB-DM"])["Vấn đề cần sửa"]
    header = [c.value for c in ws[4]]
    rows = [dict(zip(header, r, strict=True)) for r in ws.iter_rows(min_row=5, values_only=True)]
    # by file, then sheet, then top to bottom within the sheet
    assert [(r["Tệp"], r["Trang tính"], r["Ô"]) for r in rows] == [
        ("bieu-quyet CB-DM.xlsx", "Biểu quyết", "E14"),
        ("bieu-quyet CB-DM.xlsx", "Hội nghị", "C7"),
        ("bieu-quyet CB-DM.xlsx", "Hội nghị", "C8"),
    ]
    voted = next(r for r in rows if r["Mã vấn đề"] == "probationary-voted")
    assert voted["Mức độ"] == "Lỗi" and voted["Giá trị"] == "7"
    assert voted["Nội dung"].startswith("Đảng viên dự bị được tính")
    tie = next(r for r in rows if r["Mã vấn đề"] == "vote-no-decision")
    assert tie["Họ và tên"] and tie["Mã đảng viên"] == "CB-DM-005"


def test_a_cell_without_problems_says_so(written: dict[str, Path]) -> None:
    ws = openpyxl.load_workbook(written["CB-THPT"])["Vấn đề cần sửa"]
    assert ws["C5"].value == "Không có vấn đề nào."


def test_issues_the_inbox_raised_about_a_cell_reach_its_secretary() -> None:
    case = lien_chieu()
    late = issue(
        "meeting-after-deadline",
        "Hội nghị sau ngày 31/12: kiểm tra lại ngày họp.",
        severity=Severity.WARNING,
        unit="CB-THPT",
        file="bieu-quyet CB-THPT.xlsx",
        sheet="Hội nghị",
        cell="C4",
    )
    result = dataclasses.replace(case.result, issues=(*case.result.issues, late))
    packs = {
        p.cell.code: p for p in cell_packs(digest_of(dataclasses.replace(case, result=result)))
    }
    assert [i.code for i in packs["CB-THPT"].issues] == ["meeting-after-deadline"]
    assert packs["CB-THPT"].cell.status == "warnings"
    # the district's own issues (a stray file, the đảng bộ's quota) go to no secretary
    assert {i.unit_code for p in packs.values() for i in p.issues} <= set(packs)


@pytest.mark.parametrize(
    ("level", "broken", "flagged"),
    [
        ("HTXSNV", 1, True),  # proposed the level the conditions are for, and missed one
        ("HTXSNV", 0, False),
        ("HTTNV", 2, False),  # conditions of HTXSNV say nothing about an HTTNV proposal
        ("", 2, False),
    ],
)
def test_conditions_are_flagged_only_for_the_level_they_are_for(
    level: str, broken: int, flagged: bool
) -> None:
    line = digest_of(lien_chieu()).cell_ratings[0]._replace(level=level, conditions_broken=broken)
    assert conditions_matter(line) is flagged
