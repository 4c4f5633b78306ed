"""What Excel shows is what we wrote: no font tied to the theme (whose font is Calibri, so
Excel would show Calibri), and years printed without a thousands separator ("2026", not
"2,026"). Checked in the styles part of every kind of workbook, from both writers: xlsxwriter
(templates, roster, tong-hop.xlsx) and the lean writer (the per-cell workbooks)."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable

import openpyxl
import pytest
from bad_inputs.clean import roster
from builders import lien_chieu
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


@pytest.mark.parametrize("name", list(WRITERS))
def test_no_font_is_tied_to_the_theme(name: str) -> None:
    styles = zipfile.ZipFile(io.BytesIO(written(name))).read("xl/styles.xml").decode()
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
