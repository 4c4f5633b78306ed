"""tong-hop.xlsx: written for real, read back with openpyxl, compared to a golden snapshot."""

from __future__ import annotations

import dataclasses
import io
import json
import zipfile
from pathlib import Path

import openpyxl
import pytest
from builders import FORMULA_NAME, SCRIPT_NAME, Case, issue, lien_chieu, workbook_snapshot

from toolkit.outputs.digest import build_digest, cell_stems
from toolkit.outputs.summary_xlsx import SHEET_CELLS, SHEET_MEMBERS, write_summary
from toolkit.outputs.view import Digest

GOLDEN = Path(__file__).parent / "golden"
SHEETS = [
    "Tổng hợp chi bộ",
    "Biểu đồ",
    "Hạn mức HTXSNV",
    "Xếp loại chi bộ",
    "Chi tiết đảng viên",
    "Danh sách vấn đề",
    "Tệp đầu vào",
    "Thông tin",
]


def digest_of(case: Case) -> Digest:
    return build_digest(
        case.result,
        case.inputs,
        ruleset=case.ruleset,
        parent=case.parent,
        generated_on=case.generated_on,
        stems=cell_stems(case.result),
    )


@pytest.fixture(scope="module")
def summary(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("summary") / "tong-hop.xlsx"
    write_summary(digest_of(lien_chieu()), path)
    return path


def rows_by_code(ws: object, code_col: int = 2) -> dict[str, tuple[object, ...]]:
    """Data rows of a table keyed by the code in column ``code_col`` (1-based)."""
    found = {}
    for row in ws.iter_rows(min_row=5, values_only=True):  # type: ignore[attr-defined]
        if row[code_col - 1]:
            found[str(row[code_col - 1])] = row
    return found


def test_sheets_have_vietnamese_names_in_reading_order(summary: Path) -> None:
    assert openpyxl.load_workbook(summary).sheetnames == SHEETS


def test_matches_the_golden_snapshot(summary: Path, update_golden: bool) -> None:
    golden = GOLDEN / "tong-hop.json"
    snapshot = workbook_snapshot(summary)
    if update_golden:
        golden.write_text(
            json.dumps(snapshot, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
    assert golden.exists(), "no golden file yet: run pytest --update-golden"
    assert snapshot == json.loads(golden.read_text(encoding="utf-8"))


def test_each_cell_has_counts_shares_quota_and_level(summary: Path) -> None:
    ws = openpyxl.load_workbook(summary)[SHEET_CELLS]
    header = [c.value for c in ws[4]]
    row = dict(zip(header, rows_by_code(ws)["CB-HKB-01"], strict=True))
    assert row["Tổng số đảng viên"] == 11
    assert row["Không đánh giá: Vắng mặt, chưa đánh giá"] == 1
    # one member's vote tied: chưa xác định mức, counted apart from the rated
    assert row["Số được đánh giá, xếp loại"] == 9
    assert row["Chưa xác định mức (báo cáo cấp trên)"] == 1
    assert (row["HTXSNV: số lượng"], row["HTXSNV: tỷ lệ"]) == (3, pytest.approx(1 / 3))
    assert (row["HTTNV: số lượng"], row["HTTNV: tỷ lệ"]) == (6, pytest.approx(2 / 3))
    assert row["Chưa xác định mức (báo cáo cấp trên)"] == 1  # the tie
    assert row["Tỷ lệ HTXSNV/HTTNV"] == 0.5
    assert row["Số HTXSNV tối đa (20% số HTTNV)"] == 1
    assert row["Hạn mức HTXSNV"] == "Vượt 2 (cảnh báo)"
    assert row["Chi bộ đề xuất xếp loại"] == "HTTNV"
    assert row["Tệp kết quả gửi chi bộ"] == "chi-bo/CB-HKB-01.xlsx"


def test_a_cell_that_never_answered_is_listed_as_missing(summary: Path) -> None:
    ws = openpyxl.load_workbook(summary)[SHEET_CELLS]
    row = rows_by_code(ws)["CB-UBND"]
    assert row[6] == "Chưa nộp"
    assert all(v is None for v in row[7:29])  # no numbers invented for it
    assert ws.cell(row=9, column=7).fill.fgColor.rgb.endswith("E2E3E5")


def test_totals_are_live_formulas_carrying_their_values(summary: Path) -> None:
    formulas = openpyxl.load_workbook(summary)[SHEET_CELLS]
    values = openpyxl.load_workbook(summary, data_only=True)[SHEET_CELLS]
    totals = 10  # header on row 4, five cells on rows 5–9
    assert formulas.cell(totals, 2).value == "Tổng cộng"
    assert formulas[f"H{totals}"].value == "=SUM(H5:H9)"
    assert values[f"H{totals}"].value == 41
    assert formulas[f"R{totals}"].value == "=IF(P10=0,0,Q10/P10)"
    assert values[f"Q{totals}"].value == 6 and values[f"P{totals}"].value == 34
    assert values[f"R{totals}"].value == pytest.approx(6 / 34)
    assert formulas[f"Z{totals}"].value == '=IF(S10=0,"",Q10/S10)'
    assert values[f"Z{totals}"].value == pytest.approx(6 / 25)
    # every formula on the sheet has a cached value
    for row in formulas.iter_rows():
        for c in row:
            if c.data_type == "f":
                assert values[c.coordinate].value is not None, c.coordinate


def test_numbers_are_numbers_and_shares_use_a_percent_format(summary: Path) -> None:
    ws = openpyxl.load_workbook(summary)[SHEET_CELLS]
    roster, share = ws["H5"], ws["R5"]
    assert roster.data_type == "n" and roster.number_format == "#,##0"
    assert share.data_type == "n" and share.number_format == "0.0%"
    assert all(c.font.name == "Times New Roman" for row in ws.iter_rows(max_row=10) for c in row)


def test_text_from_inputs_is_never_a_formula(summary: Path) -> None:
    ws = openpyxl.load_workbook(summary)[SHEET_MEMBERS]
    names = {row[2].value: row[2] for row in ws.iter_rows(min_row=5)}
    hyperlink = names[FORMULA_NAME]
    assert hyperlink.data_type == "s" and hyperlink.value.startswith("=HYPERLINK(")
    assert names[SCRIPT_NAME].data_type == "s"
    with zipfile.ZipFile(summary) as z:
        xml = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/"))
    assert "<f>HYPERLINK" not in xml


def test_a_typed_value_that_looks_like_rich_text_xml_stays_text(tmp_path: Path) -> None:
    typed = "<r><t>HTXSNV</t></r>"  # as a secretary might type it in a level cell
    case = lien_chieu()
    result = dataclasses.replace(
        case.result,
        issues=(*case.result.issues, issue("level-unknown", typed, file="x.xlsx", value=typed)),
    )
    path = tmp_path / "tong-hop.xlsx"
    write_summary(digest_of(dataclasses.replace(case, result=result)), path)
    ws = openpyxl.load_workbook(path)["Danh sách vấn đề"]
    assert typed in {c.value for row in ws.iter_rows(min_row=5) for c in row}


def test_members_show_votes_shares_caps_and_explanations(summary: Path) -> None:
    ws = openpyxl.load_workbook(summary)[SHEET_MEMBERS]
    header = [c.value for c in ws[4]]
    rows = {
        r[1]: dict(zip(header, r, strict=True)) for r in ws.iter_rows(min_row=5, values_only=True)
    }
    capped = rows["CB-HKB-02-007"]
    assert capped["Số phiếu HTTNV"] == 5 and capped["Mẫu số"] == 7
    assert capped["Tỷ lệ HTTNV"] == pytest.approx(5 / 7)
    assert capped["Mức đạt qua biểu quyết"] == "HTTNV"
    assert capped["Giới hạn mức áp dụng"].startswith("≤ KHTNV: Bị xử lý kỷ luật")
    assert capped["Mức đề xuất"] == "KHTNV"
    assert capped["Số lỗi"] == 1
    tie = rows["CB-HKB-01-010"]
    assert tie["Kết quả biểu quyết"] == "Số phiếu bằng nhau — báo cáo cấp trên"
    assert tie["Mức đề xuất"] is None
    absent = rows["CB-HKB-01-011"]
    assert absent["Không đánh giá, xếp loại (lý do)"] == "Vắng mặt, chưa đánh giá"
    assert absent["Số phiếu HTXSNV"] is None
    head = rows["CB-THPT-001"]
    assert head["Bí thư chi bộ"] == "Có" and head["Đảng viên chính thức/dự bị"] == "Chính thức"


def test_rows_with_problems_are_highlighted(summary: Path) -> None:
    wb = openpyxl.load_workbook(summary)
    members = wb[SHEET_MEMBERS]
    fills = {r[1].value: r[2].fill.fgColor.rgb for r in members.iter_rows(min_row=5)}
    assert fills["CB-HKB-02-007"].endswith("F8D7DA")  # an error: red
    assert fills["CB-HKB-01-010"].endswith("FFF3CD")  # a warning: yellow
    assert fills["CB-THPT-005"] == "00000000"  # nothing to say: no fill
    issues = wb["Danh sách vấn đề"]
    severity = {r[1].value: r[1].fill.fgColor.rgb for r in issues.iter_rows(min_row=5)}
    assert severity["Lỗi"].endswith("F8D7DA") and severity["Cảnh báo"].endswith("FFF3CD")


def test_issues_are_pinned_to_file_sheet_and_cell(summary: Path) -> None:
    ws = openpyxl.load_workbook(summary)["Danh sách vấn đề"]
    header = [c.value for c in ws[4]]
    rows = [dict(zip(header, r, strict=True)) for r in ws.iter_rows(min_row=5, values_only=True)]
    assert len(rows) == 9
    voted = next(r for r in rows if r["Mã vấn đề"] == "probationary-voted")
    assert (voted["Tệp"], voted["Trang tính"], voted["Ô"], voted["Giá trị"]) == (
        "bieu-quyet CB-DM.xlsx",
        "Hội nghị",
        "C8",
        "7",
    )
    assert voted["Mã chi bộ"] == "CB-DM" and voted["Mức độ"] == "Lỗi"
    # within a file, problems read top to bottom like the sheet: C7 before C8
    cells = [
        r["Ô"]
        for r in rows
        if r["Tệp"] == "bieu-quyet CB-DM.xlsx" and r["Trang tính"] == "Hội nghị"
    ]
    assert cells == ["C7", "C8"]
    quota = next(r for r in rows if r["Mã vấn đề"] == "quota-over-ceiling")
    assert quota["Tên chi bộ"] == "Đảng bộ phường Hòa Khánh Bắc"


def test_quota_analysis_lists_each_scope_with_its_ranking(summary: Path) -> None:
    ws = openpyxl.load_workbook(summary)["Hạn mức HTXSNV"]
    rows = [r for r in ws.iter_rows(min_row=5, values_only=True) if r[0]]
    ward = [r for r in rows if r[0] == "DB-HKB" and r[2] == "Quyết định"]
    assert [r[10] for r in ward] == [1, 2, 3, 4]  # four candidates ranked
    assert [r[16] for r in ward] == ["Có", "Có", "Không", "Không"]  # ceiling 2
    # both ratios, labelled apart: ÷ HTTNV (the ceiling's) and ÷ (HTXSNV + HTTNV)
    assert ward[0][3:10] == (
        4, 11, 2, 2, pytest.approx(4 / 11), pytest.approx(4 / 15), "Vượt 2 (lỗi)"
    )  # fmt: skip
    assert ward[0][17] == "20% số HTTNV"  # how the ceiling was reached
    header = [c.value for c in ws[4]]
    assert header[7:9] == ["Tỷ lệ HTXSNV/HTTNV", "Tỷ lệ HTXSNV/(HTXSNV+HTTNV)"]
    assert [r[2] for r in rows].index("Tham khảo") > [r[2] for r in rows].index("Quyết định")


def test_inputs_sheet_lists_every_file_with_its_hash(summary: Path) -> None:
    ws = openpyxl.load_workbook(summary)["Tệp đầu vào"]
    rows = list(ws.iter_rows(min_row=5, values_only=True))
    assert len(rows) == 11
    roster = next(r for r in rows if r[1] == "danh-sach.xlsx")
    assert roster[2] == "a" * 64 and roster[3] == "Danh sách đảng viên" and roster[6] == 2023
    rejected = next(r for r in rows if r[1] == "tu-danh-gia CB-UBND.xlsx")
    assert rejected[7] == "Bị loại vì có lỗi"


def test_print_ready_frozen_and_filtered(summary: Path) -> None:
    wb = openpyxl.load_workbook(summary)
    for name in ("Tổng hợp chi bộ", "Chi tiết đảng viên", "Danh sách vấn đề", "Tệp đầu vào"):
        ws = wb[name]
        assert ws.page_setup.orientation == "landscape", name
        assert ws.page_setup.paperSize == 9, name  # A4
        assert ws.print_title_rows == "$4:$4", name
        assert ws.freeze_panes is not None and ws.freeze_panes.endswith("5"), name
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A4:"), name


def test_native_charts_of_the_level_distribution(summary: Path) -> None:
    with zipfile.ZipFile(summary) as z:
        charts = [z.read(n).decode() for n in sorted(z.namelist()) if n.startswith("xl/charts/")]
    assert len(charts) == 3
    assert "<c:pieChart>" in "".join(charts)
    assert any("'Tổng hợp chi bộ'!$B$5:$B$9" in c for c in charts)  # per-cell bars
    values = openpyxl.load_workbook(summary, data_only=True)["Biểu đồ"]
    assert [values.cell(r, 3).value for r in range(5, 9)] == [6, 25, 2, 1]


def test_created_date_is_the_generation_date_not_the_clock() -> None:
    buffer = io.BytesIO()
    write_summary(digest_of(lien_chieu()), buffer)
    props = openpyxl.load_workbook(io.BytesIO(buffer.getvalue())).properties
    assert props.created is not None and props.created.date().isoformat() == "2024-01-05"
    assert props.creator == "xeploai"


def test_an_issue_value_longer_than_a_cell_holds_is_cut_not_dropped(tmp_path: Path) -> None:
    case = lien_chieu()
    huge = dataclasses.replace(case.result.issues[0], value="x" * 40000, unit_code="")
    result = dataclasses.replace(case.result, issues=(huge, *case.result.issues[1:]))
    path = tmp_path / "tong-hop.xlsx"
    write_summary(digest_of(dataclasses.replace(case, result=result)), path)
    ws = openpyxl.load_workbook(path)["Danh sách vấn đề"]
    values = [row[10] for row in ws.iter_rows(min_row=5, values_only=True)]
    assert any(v and len(v) == 32767 and v.endswith("x…") for v in values)


@pytest.mark.parametrize("with_cell", [True, False])
def test_the_subject_type_column_sits_after_the_secretary_flag_on_one_line(
    with_cell: bool,
) -> None:
    # seen in LibreOffice: a longer header ("Đối tượng (Mẫu 2A/2B/2C)") was clipped by the
    # two-line header row of the member detail
    from toolkit.outputs.columns import member_columns

    columns = member_columns(uses_scores=True, with_cell=with_cell)
    headers = [c.header for c in columns]
    at = headers.index("Đối tượng")
    assert headers[at - 1] == "Bí thư chi bộ"
    assert len(columns[at].header) <= columns[at].width
