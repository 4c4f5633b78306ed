"""LibreOffice, a real spreadsheet client, opens tong-hop.xlsx and recalculates every formula,
and reads the per-cell workbooks (written by the lean writer) to the same values.

LibreOffice runs headless in a throw-away profile told to recalculate OOXML files on load
(by default it trusts the cached values, which would prove nothing). It saves a copy, whose
cached values are now LibreOffice's own results; each must equal the value xeploai wrote. A
control file whose cached total was made wrong on purpose shows the recalculation happened.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from builders import REJECTED, Case, lien_chieu, nothing_returned, with_rejected_cell
from libreoffice import resave
from test_outputs_summary import digest_of

from toolkit.outputs.cell_xlsx import cell_packs, write_cell_workbook
from toolkit.outputs.summary_xlsx import SHEET_CELLS, write_summary


def with_wrong_cached_total(source: Path, target: Path) -> None:
    """A copy of ``source`` whose first SUM in the per-cell sheet caches 999."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text, n = re.subn(
                    r"(<f>SUM\(H5:H\d+\)</f><v>)\d+(</v>)", r"\g<1>999\g<2>", data.decode(), count=1
                )
                assert n == 1
                data = text.encode()
            zout.writestr(item, data)


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path]]:
    """name → (what xeploai wrote, what LibreOffice saved after recalculating)."""
    tmp = tmp_path_factory.mktemp("libreoffice")
    cases: dict[str, Case] = {
        "district": lien_chieu(),
        "empty": nothing_returned(),
        "rejected": with_rejected_cell(),
    }
    written = {}
    for name, case in cases.items():
        written[name] = tmp / f"{name}.xlsx"
        write_summary(digest_of(case), written[name])
    written["control"] = tmp / "control.xlsx"
    with_wrong_cached_total(written["district"], written["control"])
    for pack in cell_packs(digest_of(cases["rejected"])):
        if pack.cell.code in ("CB-DM", "CB-HKB-01", REJECTED.code):
            written[pack.cell.code] = tmp / f"{pack.cell.code}.xlsx"
            write_cell_workbook(pack, written[pack.cell.code])
    out, _ = resave(list(written.values()), tmp, recalculate=True)
    return {name: (path, out / path.name) for name, path in written.items()}


def formula_values(path: Path) -> dict[tuple[str, str], object]:
    formulas = openpyxl.load_workbook(path)
    values = openpyxl.load_workbook(path, data_only=True)
    return {
        (ws.title, c.coordinate): values[ws.title][c.coordinate].value
        for ws in formulas.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.data_type == "f"
    }


def same(ours: object, theirs: object) -> bool:
    if isinstance(ours, int | float) and isinstance(theirs, int | float):
        return theirs == pytest.approx(ours, rel=1e-14, abs=1e-14)
    return (ours or "") == (theirs or "")  # an empty-string result may come back as empty


@pytest.mark.parametrize("name", ["district", "empty", "rejected"])
def test_libreoffice_recalculates_every_formula_to_what_xeploai_wrote(
    converted: dict[str, tuple[Path, Path]], name: str
) -> None:
    ours_path, theirs_path = converted[name]
    ours, theirs = formula_values(ours_path), formula_values(theirs_path)
    assert ours, "the summary has live formulas"
    assert ours.keys() <= theirs.keys(), "LibreOffice kept every formula"
    wrong = {key: (ours[key], theirs[key]) for key in ours if not same(ours[key], theirs[key])}
    assert not wrong


def test_the_district_totals_as_libreoffice_computes_them(
    converted: dict[str, tuple[Path, Path]],
) -> None:
    ws = openpyxl.load_workbook(converted["district"][1], data_only=True)[SHEET_CELLS]
    assert (ws["H10"].value, ws["P10"].value, ws["Q10"].value, ws["S10"].value) == (41, 34, 6, 25)
    assert ws["Z10"].value == pytest.approx(6 / 25)  # HTXSNV ÷ HTTNV
    assert ws["AA10"].value == pytest.approx(6 / 31)  # HTXSNV ÷ (HTXSNV + HTTNV)


def test_the_control_proves_libreoffice_did_recalculate(
    converted: dict[str, tuple[Path, Path]],
) -> None:
    written, recalculated = converted["control"]
    assert openpyxl.load_workbook(written, data_only=True)[SHEET_CELLS]["H10"].value == 999
    assert openpyxl.load_workbook(recalculated, data_only=True)[SHEET_CELLS]["H10"].value == 41


def test_libreoffice_keeps_sheets_and_text_cells(converted: dict[str, tuple[Path, Path]]) -> None:
    wb = openpyxl.load_workbook(converted["district"][1])
    assert wb.sheetnames[:2] == ["Tổng hợp chi bộ", "Biểu đồ"]
    names = {
        row[2].value: row[2].data_type for row in wb["Chi tiết đảng viên"].iter_rows(min_row=5)
    }
    # still text after LibreOffice read and wrote it, not a formula it evaluated
    assert names['=HYPERLINK("http://example.invalid/","Bấm vào đây")'] == "s"


def every_value(path: Path) -> dict[tuple[str, str], object]:
    wb = openpyxl.load_workbook(path)
    return {
        (ws.title, c.coordinate): c.value
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.value is not None
    }


@pytest.mark.parametrize("code", ["CB-DM", "CB-HKB-01"])
def test_libreoffice_reads_a_cell_workbook_to_the_same_values(
    converted: dict[str, tuple[Path, Path]], code: str
) -> None:
    ours, theirs = (every_value(p) for p in converted[code])
    assert len(ours) > 100
    assert ours.keys() == theirs.keys()
    # LibreOffice keeps 15 significant digits of a double
    assert {k: (v, theirs[k]) for k, v in ours.items() if not same(v, theirs[k])} == {}
    wb = openpyxl.load_workbook(converted[code][1])
    assert wb.sheetnames == ["Tóm tắt", "Kết quả đảng viên", "Vấn đề cần sửa"]
    members = wb["Kết quả đảng viên"]
    # (a headless conversion does not keep view settings such as frozen panes, whoever wrote
    # the file; print titles and the autofilter are kept)
    assert members.print_title_rows == "$4:$4"
    ours = openpyxl.load_workbook(converted[code][0])["Kết quả đảng viên"].auto_filter.ref
    assert members.auto_filter.ref == ours


def test_libreoffice_reads_a_rejected_cells_workbook_to_the_same_values(
    converted: dict[str, tuple[Path, Path]],
) -> None:
    ours, theirs = (every_value(p) for p in converted[REJECTED.code])
    assert ours.keys() == theirs.keys()
    assert {k: (v, theirs[k]) for k, v in ours.items() if not same(v, theirs[k])} == {}
    wb = openpyxl.load_workbook(converted[REJECTED.code][1])
    assert wb.sheetnames == ["Tóm tắt", "Vấn đề cần sửa"]
    assert wb["Tóm tắt"]["B8"].value == "Có lỗi – chưa tổng hợp"
