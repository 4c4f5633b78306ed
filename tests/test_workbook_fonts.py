"""What Excel shows is what we wrote: no font tied to the theme (whose font is Calibri, so
Excel would show Calibri), and years printed without a thousands separator ("2026", not
"2,026"). Checked in the styles part of every kind of workbook, from both writers: xlsxwriter
(templates, roster, tong-hop.xlsx, the competent level's quyet-dinh.xlsx and the roll-up's
tong-hop.xlsx) and the lean writer (the per-cell workbooks)."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from bad_inputs.clean import roster
from builders import lien_chieu
from conftest import DEMO_WORKBOOKS
from test_outputs_summary import digest_of

from toolkit.outputs.cell_xlsx import cell_packs, write_cell_workbook
from toolkit.outputs.summary_xlsx import write_summary
from toolkit.rulebook import load_ruleset
from toolkit.workbooks.generate import write_blank_roster
from toolkit.workbooks.generate import write_cell_workbook as write_template


def _template(kind: str) -> Callable[[io.BytesIO], None]:
    the_roster = roster()
    cell = the_roster.tree.cells()[0]
    members = the_roster.members_of(cell.code)
    return lambda out: write_template(kind, cell, members, 2025, load_ruleset(2025), out)


WRITERS: dict[str, Callable[[io.BytesIO], None]] = {
    "blank roster": write_blank_roster,
    "self-assessment template": _template("self_assessment"),
    "ballot template": _template("ballot"),
    "tong-hop.xlsx": lambda out: write_summary(digest_of(lien_chieu()), out),
    "per-cell workbook (lean writer)": lambda out: write_cell_workbook(
        cell_packs(digest_of(lien_chieu()))[0], out
    ),
}


def written(name: str) -> bytes:
    out = io.BytesIO()
    WRITERS[name](out)
    return out.getvalue()


@pytest.mark.parametrize("name", [*WRITERS, *DEMO_WORKBOOKS])
def test_no_font_is_tied_to_the_theme(name: str, demo_district: Path) -> None:
    data = written(name) if name in WRITERS else (demo_district / DEMO_WORKBOOKS[name]).read_bytes()
    styles = zipfile.ZipFile(io.BytesIO(data)).read("xl/styles.xml").decode()
    cell_fonts = re.search(r"<fonts [^>]*>(.*?)</fonts>", styles).group(1)  # type: ignore[union-attr]
    fonts = re.findall(r"<font>.*?</font>", cell_fonts)  # not the conditional formats' fonts
    assert fonts
    assert [f for f in fonts if "<scheme" in f] == []
    names = {re.search(r'<name val="([^"]+)"', f).group(1) for f in fonts}  # type: ignore[union-attr]
    assert names <= {"Times New Roman", "Courier New"}


def test_the_rating_year_is_printed_without_a_thousands_separator() -> None:
    wb = openpyxl.load_workbook(io.BytesIO(written("tong-hop.xlsx")))
    info = wb["Thông tin"]
    year = next(row[1] for row in info.iter_rows() if row[0].value == "Năm đánh giá, xếp loại")
    assert isinstance(year.value, int) and year.number_format == "0"
    inputs = wb["Tệp đầu vào"]
    header = [c.value for c in inputs[4]]
    column = header.index("Năm đánh giá") + 1
    years = [inputs.cell(r, column) for r in range(5, inputs.max_row + 1)]
    assert years and all(c.number_format == "0" for c in years if c.value is not None)


def test_the_decisions_and_the_roll_up_print_their_years_without_a_separator(
    demo_district: Path,
) -> None:
    decisions = openpyxl.load_workbook(demo_district / DEMO_WORKBOOKS["quyet-dinh.xlsx"])
    form = decisions["Quyết định"]
    year = next(row[1] for row in form.iter_rows() if row[0].value == "Năm đánh giá")
    assert isinstance(year.value, int) and year.number_format == "0"
    rollup = openpyxl.load_workbook(demo_district / DEMO_WORKBOOKS["roll-up tong-hop.xlsx"])
    packages = rollup["Gói đã đọc"]
    column = [c.value for c in packages[4]].index("Năm") + 1
    years = [packages.cell(r, column) for r in range(5, packages.max_row + 1)]
    assert len(years) == 2  # the two committees' packages
    assert all(isinstance(c.value, int) and c.number_format == "0" for c in years)
