"""A cell whose files have errors is not rated, but it is in every output with its problems.

CB-HKB-03 sent both workbooks; its ballot workbook has two errors. The secretary gets back a
workbook saying so, with each problem pinned to its file, sheet and cell; the leader sees the
cell near the top of the report and in the summary; ket-qua.json lists it so that ``mail``
sends that workbook to its secretary.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from builders import (
    REJECTED,
    issue,
    person,
    results_json,
    synthetic,
    with_rejected_cell,
    workbook_snapshot,
    write_case,
)
from test_outputs_cell import summary_of
from test_outputs_summary import GOLDEN, digest_of, rows_by_code

from toolkit.mail.addresses import Recipient
from toolkit.mail.folder import read_results
from toolkit.mail.plan import MessageKind, plan_messages
from toolkit.model import OrgKind, OrgUnit
from toolkit.outputs.cell_xlsx import cell_packs
from toolkit.outputs.report_html import SPLIT_ABOVE_CELLS, render_report
from toolkit.outputs.summary_xlsx import SHEET_CELLS

CODE = REJECTED.code


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("out")
    write_case(with_rejected_cell(), folder)
    return folder


@pytest.fixture(scope="module")
def doc(out: Path) -> dict[str, Any]:
    return results_json(out)


def issue_table(path: Path) -> list[dict[str, object]]:
    ws = openpyxl.load_workbook(path)["Vấn đề cần sửa"]
    header = [c.value for c in ws[4]]
    return [dict(zip(header, r, strict=True)) for r in ws.iter_rows(min_row=5, values_only=True)]


# ---------------------------------------------------------------------------------------------
# The rows every writer renders


def test_the_cell_has_a_line_without_numbers_and_with_its_counts_of_problems() -> None:
    digest = digest_of(with_rejected_cell())
    (line,) = digest.rejected_cells
    assert (line.code, line.status, line.file) == (CODE, "rejected", f"chi-bo/{CODE}.xlsx")
    assert (line.errors, line.warnings) == (2, 1)
    assert line.roster is None and line.levels is None and line.level == ""
    assert CODE not in {c.code for c in digest.present_cells}  # not among the rated
    assert CODE not in {c.code for c in digest.missing_cells}
    assert CODE not in digest.members


def test_its_issues_name_the_member_from_the_roster() -> None:
    digest = digest_of(with_rejected_cell())
    (line,) = [i for i in digest.issues if i.member_id == f"{CODE}-004"]
    assert line.member_name == person(CODE, 4).full_name != ""


def test_its_files_are_named_with_what_became_of_each() -> None:
    (pack,) = [p for p in cell_packs(digest_of(with_rejected_cell())) if p.cell.code == CODE]
    assert [(f.path, f.status) for f in pack.files] == [
        ("bieu-quyet CB-HKB-03.xlsx", "Bị loại vì có lỗi"),
        (
            "tu-danh-gia CB-HKB-03.xlsx",
            "Không có lỗi, chưa sử dụng vì biểu mẫu còn lại của chi bộ chưa dùng được",
        ),
    ]
    assert pack.members == () and pack.quotas == () and pack.rating is None


# ---------------------------------------------------------------------------------------------
# chi-bo/CB-HKB-03.xlsx: for the secretary


def test_the_secretary_gets_a_workbook(out: Path, doc: dict[str, object]) -> None:
    path = out / "chi-bo" / f"{CODE}.xlsx"
    assert path.is_file()
    assert openpyxl.load_workbook(path).sheetnames == ["Tóm tắt", "Vấn đề cần sửa"]


def test_matches_the_golden_snapshot(out: Path, update_golden: bool) -> None:
    golden = GOLDEN / f"chi-bo-{CODE}.json"
    snapshot = workbook_snapshot(out / "chi-bo" / f"{CODE}.xlsx")
    if update_golden:
        golden.write_text(
            json.dumps(snapshot, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
    assert golden.exists(), "no golden file yet: run pytest --update-golden"
    assert snapshot == json.loads(golden.read_text(encoding="utf-8"))


def test_it_says_the_returns_were_not_aggregated_and_what_to_do(out: Path) -> None:
    path = out / "chi-bo" / f"{CODE}.xlsx"
    title = openpyxl.load_workbook(path)["Tóm tắt"]["A1"].value
    assert title == "HỒ SƠ ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG NĂM 2023 CÓ LỖI, CHƯA ĐƯỢC TỔNG HỢP"
    s = summary_of(path)
    assert s["Chi bộ"] == ["Chi bộ Khu dân cư số 3 (CB-HKB-03)"]
    assert s["Trực thuộc"] == ["Đảng bộ phường Hòa Khánh Bắc (DB-HKB)"]
    assert s["Tình trạng"] == ["Có lỗi – chưa tổng hợp"]
    assert (s["Số lỗi cần sửa"], s["Số cảnh báo"]) == ([2], [1])
    (statement,) = s["Thông báo"]
    assert "có lỗi nên chưa được tổng hợp" in str(statement)
    assert "Quận ủy Liên Chiểu" in str(statement)
    (todo,) = s["Việc cần làm"]
    assert "«Vấn đề cần sửa»" in str(todo) and "gửi lại hồ sơ" in str(todo)
    assert s["Tệp đã nhận: Biểu quyết, kiểm phiếu"] == [
        "bieu-quyet CB-HKB-03.xlsx — Bị loại vì có lỗi"
    ]
    # nothing that would read as a result
    assert not {"Tổng số đảng viên", "Chi bộ đề xuất xếp loại"} & set(s)


def test_every_problem_is_pinned_to_its_file_sheet_and_cell(out: Path) -> None:
    rows = issue_table(out / "chi-bo" / f"{CODE}.xlsx")
    assert [(r["Mã vấn đề"], r["Tệp"], r["Trang tính"], r["Ô"], r["Mức độ"]) for r in rows] == [
        ("meeting-after-deadline", "bieu-quyet CB-HKB-03.xlsx", "Biên bản", "B4", "Cảnh báo"),
        ("not-a-number", "bieu-quyet CB-HKB-03.xlsx", "Biên bản", "B11", "Lỗi"),
        ("votes-sum-mismatch", "bieu-quyet CB-HKB-03.xlsx", "Kiểm phiếu", "E9:I9", "Lỗi"),
    ]
    mismatch = rows[2]
    assert mismatch["Mã đảng viên"] == f"{CODE}-004" and mismatch["Giá trị"] == "12"
    # the đảng bộ's own issue about it goes to no secretary
    assert "quota-scope-incomplete" not in {r["Mã vấn đề"] for r in rows}


# ---------------------------------------------------------------------------------------------
# tong-hop.xlsx and bao-cao.html: for the leader


def test_the_summary_lists_it_with_its_status_and_no_numbers(out: Path) -> None:
    wb = openpyxl.load_workbook(out / "tong-hop.xlsx")
    ws = wb[SHEET_CELLS]
    header = [c.value for c in ws[4]]
    row = dict(zip(header, rows_by_code(ws)[CODE], strict=True))
    assert row["Tình trạng"] == "Có lỗi – chưa tổng hợp"
    assert row["Tổng số đảng viên"] is None and row["HTXSNV: số lượng"] is None
    assert (row["Số lỗi"], row["Số cảnh báo"]) == (2, 1)
    assert row["Tệp kết quả gửi chi bộ"] == f"chi-bo/{CODE}.xlsx"
    status_col = header.index("Tình trạng") + 1
    line = next(r for r in range(5, 12) if ws.cell(r, 2).value == CODE)
    assert ws.cell(line, status_col).fill.fgColor.rgb.endswith("F8D7DA")  # red, an error
    totals = next(r for r in range(5, 14) if ws.cell(r, 2).value == "Tổng cộng")
    assert ws.cell(totals, 3).value == "4 chi bộ đã tổng hợp"
    values = openpyxl.load_workbook(out / "tong-hop.xlsx", data_only=True)[SHEET_CELLS]
    assert values.cell(totals, header.index("Tổng số đảng viên") + 1).value == 41  # unchanged
    issues = wb["Danh sách vấn đề"]
    codes = {(r[3], r[2]) for r in issues.iter_rows(min_row=5, values_only=True)}
    assert {(CODE, "votes-sum-mismatch"), (CODE, "not-a-number")} <= codes
    info = {r[0]: r[1] for r in wb["Thông tin"].iter_rows(min_row=4, values_only=True)}
    assert info["Số chi bộ đã nộp"] == 5
    assert info["Số chi bộ đã tổng hợp"] == 4
    assert info["Số chi bộ có tệp lỗi, chưa tổng hợp"] == 1
    assert info["Số chi bộ chưa nộp"] == 1


def test_the_report_shows_it_near_the_top_with_its_errors() -> None:
    html = render_report(digest_of(with_rejected_cell()))["bao-cao.html"]
    overview = html[html.index('id="tong-quan"') : html.index('id="han-muc"')]
    assert "<b>4/6</b>chi bộ đã tổng hợp" in overview
    assert '<div class="card error"><b>1</b>chi bộ có tệp lỗi, chưa tổng hợp</div>' in overview
    problems = html[html.index('id="can-xu-ly"') : html.index('id="chua-tong-hop"')]
    assert f"{CODE} — Chi bộ Khu dân cư số 3" in problems
    assert "Có lỗi – chưa tổng hợp" in problems
    rejected = html[html.index('id="chua-tong-hop"') : html.index('id="chua-nop"')]
    assert f'<li id="cb-{CODE}">{CODE} — Chi bộ Khu dân cư số 3' in rejected
    assert '<span class="badge error">2 lỗi</span>' in rejected
    # errors first, each with where to find it
    assert rejected.index("chứa «10 người»") < rejected.index("Hội nghị sau ngày 31/12")
    assert "(bieu-quyet CB-HKB-03.xlsx › Kiểm phiếu › E9:I9)" in rejected
    missing = html[html.index('id="chua-nop"') : html.index('id="chi-bo"')]
    assert CODE not in missing
    table = html[html.index('id="chi-bo"') : html.index('id="dang-vien"')]
    assert f'<tr class="error"><td class="code"><a href="#cb-{CODE}">{CODE}</a></td>' in table
    detail = html[html.index('id="dang-vien"') : html.index('id="van-de"')]
    assert CODE not in detail  # no members: nothing was rated
    assert '<a href="#chua-tong-hop">Chi bộ có tệp lỗi, chưa tổng hợp (1)</a>' in html


def test_a_long_list_of_problems_is_cut_with_a_pointer_to_the_rest() -> None:
    case = with_rejected_cell()
    more = tuple(
        issue("value-not-allowed", f"Giá trị sai số {n}.", unit=CODE, file="x.xlsx", cell=f"E{n}")
        for n in range(10, 17)
    )
    result = dataclasses.replace(case.result, issues=(*case.result.issues, *more))
    html = render_report(digest_of(dataclasses.replace(case, result=result)))["bao-cao.html"]
    rejected = html[html.index('id="chua-tong-hop"') : html.index('id="chua-nop"')]
    assert rejected.count("<li>") == 6  # five problems, then the pointer
    assert '<a href="#van-de">và 5 vấn đề khác trong Danh sách vấn đề</a>' in rejected


# ---------------------------------------------------------------------------------------------
# ket-qua.json: for programs, and for `mail`


def test_json_lists_it_as_errors_with_its_file_and_not_aggregated(doc: dict[str, object]) -> None:
    cells = {c["code"]: c for c in doc["cells"]}  # type: ignore[attr-defined]
    cell = cells[CODE]
    assert cell["status"] == "errors" and cell["aggregated"] is False
    assert cell["result_file"] == f"chi-bo/{CODE}.xlsx"
    assert cell["secretary_email"] == "hanh.dang@example.vn"
    assert (cell["error_count"], cell["warning_count"]) == (2, 1)
    assert cell["counts"] is None and cell["members"] == [] and cell["proposed_level"] is None
    assert [i["code"] for i in cell["issues"]] == [
        "meeting-after-deadline",
        "not-a-number",
        "votes-sum-mismatch",
    ]
    assert cells["CB-DM"]["aggregated"] is True and cells["CB-UBND"]["aggregated"] is False
    assert list(cells) == sorted(cells)


def test_json_totals_count_rejected_cells_separately(doc: dict[str, object]) -> None:
    totals = doc["totals"]
    assert isinstance(totals, dict)
    assert totals["cells"] == 6
    assert (totals["cells_returned"], totals["cells_rejected"], totals["cells_missing"]) == (
        4,
        1,
        1,
    )
    assert totals["cells_with_errors"] == 3  # CB-DM and CB-HKB-02 (rated), CB-HKB-03
    assert totals["roster"] == 41  # the rated cells only


def test_mail_reads_it_as_a_cell_to_send_its_file_to(out: Path) -> None:
    entry = next(c for c in read_results(out).cells if c.code == CODE)
    assert entry.status == "errors" and entry.result_file == f"chi-bo/{CODE}.xlsx"
    assert (entry.error_count, entry.warning_count) == (2, 1)
    assert (out / entry.result_file).is_file()


def test_mail_plans_a_message_to_its_secretary_with_its_workbook(out: Path) -> None:
    leaders = (Recipient("Bí thư Quận ủy", "bithu@quanuy.example"),)
    planned = plan_messages(read_results(out), leaders)
    (message,) = [m for m in planned.messages if m.cell_code == CODE]
    assert message.kind is MessageKind.SECRETARY
    assert [r.email for r in message.recipients] == ["hanh.dang@example.vn"]
    (attachment,) = message.attachments
    assert attachment.source == f"chi-bo/{CODE}.xlsx"
    assert (
        attachment.filename == f"Kết quả xếp loại năm 2023 - {CODE} - Chi bộ Khu dân cư số 3.xlsx"
    )
    assert CODE not in {i.unit_code for i in planned.issues}


def test_the_manifest_hashes_its_workbook(out: Path) -> None:
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert f"chi-bo/{CODE}.xlsx" in {o["path"] for o in manifest["outputs"]}


def test_writing_twice_gives_the_same_bytes(out: Path, tmp_path: Path) -> None:
    write_case(with_rejected_cell(), tmp_path)
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        relative = path.relative_to(out)
        assert (tmp_path / relative).read_bytes() == path.read_bytes(), relative


def test_a_city_report_shows_it_on_the_main_page() -> None:
    """With the member detail split into part pages, a rejected cell (no members) stays on the
    main page, linked from the per-cell table."""
    case = synthetic(SPLIT_ABOVE_CELLS + 10, members_per_cell=3)
    unit = OrgUnit("CB9999", "Chi bộ khu dân cư có tệp lỗi", OrgKind.CELL, "DB000", "Phường")
    problem = issue("not-a-number", "Ô phải là số.", unit=unit.code, file="b.xlsx", cell="B11")
    result = dataclasses.replace(
        case.result, rejected=(unit,), issues=(*case.result.issues, problem)
    )
    pages = render_report(digest_of(dataclasses.replace(case, result=result)))
    main = pages["bao-cao.html"]
    near_top = main[main.index('id="chua-tong-hop"') : main.index('id="chua-nop"')]
    assert '<li id="cb-CB9999">CB9999 — Chi bộ khu dân cư có tệp lỗi' in near_top
    assert '<a href="#cb-CB9999">CB9999</a>' in main
    assert all("CB9999" not in html for path, html in pages.items() if path != "bao-cao.html")
