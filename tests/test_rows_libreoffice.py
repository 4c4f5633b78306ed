"""Every wrapped text is readable in LibreOffice: each row holding one is at least as tall as
LibreOffice itself finds it must be (its "optimal height", computed by LibreOffice through its
UNO bridge in ``lo_rows.py``), headers included; LibreOffice does not grow such a row when it
opens a file, so a row left at its default height would print its lines on top of each other.

The workbooks are the ones a district sees: the blank and a filled roster, both cell templates
under QĐ 124 and QĐ 366, ``tong-hop.xlsx``, the per-cell result workbooks and the competent
level's ``quyet-dinh.xlsx``; and the one the committee above sees, the roll-up's
``tong-hop.xlsx``.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from bad_inputs.clean import roster, templates
from builders import with_rejected_cell
from conftest import DEMO_WORKBOOKS
from test_outputs_summary import digest_of

from toolkit.outputs.cell_xlsx import cell_packs, write_cell_workbook
from toolkit.outputs.summary_xlsx import write_summary
from toolkit.workbooks.generate import write_blank_roster, write_roster

SYSTEM_PYTHON = "/usr/bin/python3"  # Debian's, with LibreOffice's UNO bridge (python3-uno)
#: LibreOffice measures in 1/100 mm: heights may differ by a rounding
TOLERANCE = 0.5


@pytest.fixture(scope="module")
def measured(tmp_path_factory: pytest.TempPathFactory, demo_district: Path) -> list[list[object]]:
    """[file, sheet, row, height written, height LibreOffice needs, longest text] per row."""
    assert shutil.which("soffice"), "LibreOffice is needed: run `make sysdeps`"
    bridge = subprocess.run([SYSTEM_PYTHON, "-c", "import uno"], capture_output=True, check=False)
    assert bridge.returncode == 0, "LibreOffice's UNO bridge is needed: run `make sysdeps`"
    tmp = tmp_path_factory.mktemp("rows")
    files: list[Path] = [tmp / "blank-roster.xlsx", tmp / "roster.xlsx"]
    write_blank_roster(files[0])
    write_roster(roster(), files[1])
    for year in (2023, 2025):
        made = templates(tmp / f"t{year}", roster(), year=year)
        for kind in ("self_assessment", "ballot"):
            files.append(tmp / f"{kind}-{year}.xlsx")
            shutil.copy(made["CB01", kind], files[-1])
    digest = digest_of(with_rejected_cell())
    files.append(tmp / "tong-hop.xlsx")
    write_summary(digest, files[-1])
    for pack in cell_packs(digest):
        files.append(tmp / f"chi-bo-{pack.cell.code}.xlsx")
        write_cell_workbook(pack, files[-1])
    for name, path in DEMO_WORKBOOKS.items():
        files.append(tmp / name.replace(" ", "-"))
        shutil.copy(demo_district / path, files[-1])
    script = Path(__file__).with_name("lo_rows.py")
    done = subprocess.run(
        [SYSTEM_PYTHON, str(script), str(tmp / "profile"), *map(str, files)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    rows: list[list[object]] = json.loads(done.stdout)
    assert {r[0] for r in rows} == {f.name for f in files}, "every workbook has wrapped text"
    return rows


def test_every_wrapped_row_is_as_tall_as_libreoffice_needs(measured: list[list[object]]) -> None:
    short = [
        f"{file} «{sheet}» row {row}: {height:.1f} < {needed:.1f} pt for {text[:60]!r}"
        for file, sheet, row, height, needed, text in measured  # type: ignore[misc]
        if needed > height + TOLERANCE
    ]
    assert short == []


@pytest.mark.parametrize(
    ("file", "sheet"),
    [
        ("self_assessment-2025.xlsx", "Tự đánh giá"),  # "Có căn cứ xếp loại không hoàn thành…"
        ("tong-hop.xlsx", "Tổng hợp chi bộ"),  # 14 headers were cut at 32.25 pt
        ("tong-hop.xlsx", "Xếp loại chi bộ"),
    ],
)
def test_headers_cut_before_now_have_room_for_their_lines(
    measured: list[list[object]], file: str, sheet: str
) -> None:
    header = next(r for r in measured if r[0] == file and r[1] == sheet and r[2] == 4)
    height, needed = float(header[3]), float(header[4])  # type: ignore[arg-type]
    assert needed > 32.25  # three lines or more: taller than the old fixed header of tong-hop
    assert height + TOLERANCE >= needed


def test_a_label_naming_a_unit_wraps_and_its_row_holds_it(measured: list[list[object]]) -> None:
    # "Hạn mức HTXSNV tại Đảng bộ Ủy ban nhân dân phường Hòa Khánh (quyết định)" was cut at its
    # column's edge, "(quyết định)" unseen: a label did not wrap
    labels = [
        r
        for r in measured
        if r[0] == "demo-chi-bo-CB001.xlsx" and str(r[5]).startswith("Hạn mức HTXSNV tại Đảng bộ")
    ]
    assert labels, "the label is not wrapped"
    for _, _, _, height, needed, _ in labels:
        assert float(needed) > 20  # two lines  # type: ignore[arg-type]
        assert float(height) + TOLERANCE >= float(needed)  # type: ignore[arg-type]
