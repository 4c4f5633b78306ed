"""Every kind of workbook the suite writes is valid OOXML: schema and package checked by
openxml-audit (its pytest plugin's ``assert_valid_xlsx``), against Office 2019's schemas.

One of each: the templates (both kinds, both rule-sets), the blank and a filled roster,
``tong-hop.xlsx`` (a district, a district with a rejected cell,
a district where nobody answered), the per-cell workbooks (rated and rejected), the lean
writer's workbook of every kind of cell, the competent level's ``quyet-dinh.xlsx`` and the
roll-up's ``tong-hop.xlsx`` for the committee above (the demo's). A hand-broken copy shows the check can fail.

Not checked: the pairs the tests fill as a secretary would, which openpyxl saves (standing in
for the secretary's client). openpyxl writes a font's children in its own order, which
ECMA-376 allows (``CT_Font`` is a repeated choice) but the validator, following the Open XML
SDK's sequence, rejects.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from bad_inputs.clean import roster, templates
from builders import REJECTED, lien_chieu, nothing_returned, with_rejected_cell
from conftest import DEMO_WORKBOOKS
from test_outputs_lean_equivalence import every_kind_of_cell
from test_outputs_summary import digest_of

from toolkit.outputs.cell_xlsx import cell_packs, write_cell_workbook
from toolkit.outputs.lean_xlsx import LeanWorkbook
from toolkit.outputs.styles import DEFAULT_FORMAT
from toolkit.outputs.summary_xlsx import write_summary
from toolkit.workbooks.generate import write_blank_roster, write_roster

Check = Callable[[Path | str], None]


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory, demo_district: Path) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("schema")
    files: dict[str, Path] = {"blank roster": tmp / "blank.xlsx", "roster": tmp / "roster.xlsx"}
    files.update({name: demo_district / path for name, path in DEMO_WORKBOOKS.items()})
    write_blank_roster(files["blank roster"])
    write_roster(roster(), files["roster"])
    for year in (2023, 2025):
        made = templates(tmp / f"t{year}", roster(), year=year)
        for kind in ("self_assessment", "ballot"):
            files[f"{kind} {year}"] = made["CB01", kind]
    for name, case in (
        ("district", lien_chieu()),
        ("rejected", with_rejected_cell()),
        ("empty", nothing_returned()),
    ):
        files[f"tong-hop {name}"] = tmp / f"tong-hop-{name}.xlsx"
        write_summary(digest_of(case), files[f"tong-hop {name}"])
    for pack in cell_packs(digest_of(with_rejected_cell())):
        if pack.cell.code in ("CB-THPT", REJECTED.code):
            files[f"chi-bo {pack.cell.code}"] = tmp / f"chi-bo-{pack.cell.code}.xlsx"
            write_cell_workbook(pack, files[f"chi-bo {pack.cell.code}"])
    files["lean every kind of cell"] = tmp / "lean.xlsx"
    every_kind_of_cell(LeanWorkbook(files["lean every kind of cell"], DEFAULT_FORMAT))
    return files


KINDS = [
    "blank roster",
    "roster",
    "self_assessment 2023",
    "ballot 2023",
    "self_assessment 2025",
    "ballot 2025",
    "tong-hop district",
    "tong-hop rejected",
    "tong-hop empty",
    "chi-bo CB-THPT",
    f"chi-bo {REJECTED.code}",
    "lean every kind of cell",
    *DEMO_WORKBOOKS,
]


@pytest.mark.parametrize("name", KINDS)
def test_each_workbook_is_valid_ooxml(
    written: dict[str, Path], assert_valid_xlsx: Check, name: str
) -> None:
    assert_valid_xlsx(written[name])


def test_a_broken_workbook_fails_the_check(
    written: dict[str, Path], assert_valid_xlsx: Check, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.xlsx"
    with (
        zipfile.ZipFile(written["chi-bo CB-THPT"]) as source,
        zipfile.ZipFile(broken, "w") as target,
    ):
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<sheetData>", b"<bogus/><sheetData>", 1)
            target.writestr(item, data)
    with pytest.raises(pytest.fail.Exception, match="Unexpected element 'bogus'"):
        assert_valid_xlsx(broken)
