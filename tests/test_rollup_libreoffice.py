"""The roll-up's tong-hop.xlsx opened by LibreOffice with every formula recalculated: the
"Tổng cộng" rows and both ratios come out as ket-qua.json says."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from libreoffice import resave

from toolkit.cli import main
from toolkit.rollup.xlsx import SHEET_COMMITTEES, SHEET_ISSUES, SHEET_SUMMARY


@pytest.fixture(scope="module")
def upper(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("demo") / "demo"
    result = CliRunner().invoke(main, ["demo", str(target), "--cells", "6", "-q"])
    assert result.exit_code == 0, result.output
    return target / "cap-tren"


def test_libreoffice_recalculates_the_totals_to_the_same_numbers(
    upper: Path, tmp_path: Path
) -> None:
    doc = json.loads((upper / "ket-qua.json").read_text(encoding="utf-8"))
    folder, _ = resave([upper / "tong-hop.xlsx"], tmp_path, recalculate=True)
    book = openpyxl.load_workbook(folder / "tong-hop.xlsx", data_only=True)
    assert book.sheetnames[:2] == [SHEET_SUMMARY, SHEET_COMMITTEES]
    rows = [r for r in book[SHEET_SUMMARY].iter_rows(values_only=True) if r[1] == "Tổng cộng"]
    assert len(rows) == 2
    for row, table in zip(rows, doc["summary"], strict=True):
        t = table["total"]
        assert list(row[2:8]) == [t["total"], *t["levels"].values(), t["unrated"]]
        assert row[8] == pytest.approx(t["htxsnv_over_httnv"], abs=1e-6)
        assert row[9] == pytest.approx(t["htxsnv_over_htxsnv_httnv"], abs=1e-6)
    numbers = [r for r in book[SHEET_SUMMARY].iter_rows(values_only=True) if r[0] == "(1)"]
    assert [list(r[:11]) for r in numbers] == [[f"({n})" for n in range(1, 12)]] * 2
    committees = list(book[SHEET_COMMITTEES].iter_rows(min_row=5, values_only=True))
    assert [r[1] for r in committees if r[1]] == [c["code"] for c in doc["committees"]]
    # a long message gets a row as high as its lines (LibreOffice keeps what was written)
    issues = book[SHEET_ISSUES]
    long = [r[0].row for r in issues.iter_rows(min_row=5) if len(str(r[7].value or "")) > 100]
    assert long, "the demo's roll-up has warnings with long messages"
    assert all((issues.row_dimensions[n].height or 0) >= 30 for n in long)
