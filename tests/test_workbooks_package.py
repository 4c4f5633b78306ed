"""One reading of the bytes: what is counted is what Excel and LibreOffice show.

python-calamine never opens a returned file itself: it reads a package rebuilt from exactly the
parts the safety checks inflated and checked, found through the workbook's relationships. The
hostile files themselves (names that disagree, duplicate and unreachable parts) are in the
bad-input corpus; here, what the reader is given and what it counts.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from bad_inputs.corpus import (
    case_folded_target,
    forged_votes,
    parts_by_sheet,
    rewrite,
    unreachable_copy,
    workshop,
)
from libreoffice import resave

from toolkit.workbooks.package import open_package
from toolkit.workbooks.read import read_workbook


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory):
    return workshop(tmp_path_factory.mktemp("shop"))


def shown_by_openpyxl(path: Path, sheet: str) -> list[tuple[object, ...]]:
    """The sheet's values as openpyxl reads them (it follows the relationships, as Excel)."""
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        return [tuple(row) for row in book[sheet].iter_rows(values_only=True)]
    finally:
        book.close()


def test_the_reader_is_given_only_the_checked_parts_stored_without_compression(shop) -> None:
    package = open_package(shop.clean_ballot.read_bytes(), frozenset({"Hướng dẫn", "Danh mục"}))
    with zipfile.ZipFile(io.BytesIO(package.reader)) as reader:
        infos = reader.infolist()
        given = {i.filename for i in infos}
        assert reader.testzip() is None  # every CRC is the one the checks verified
    sheets = parts_by_sheet(shop.clean_ballot)
    read = {part for name, part in sheets.items() if name not in ("Hướng dẫn", "Danh mục")}
    assert given == {"_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
                     "xl/styles.xml", *read}  # fmt: skip
    assert {i.compress_type for i in infos} == {zipfile.ZIP_STORED}  # nothing inflated twice
    assert set(package.sheets) == set(sheets) - {"Hướng dẫn", "Danh mục"}


def test_a_copy_nothing_leads_to_is_reported_and_never_counted(shop) -> None:
    """The copy says other votes; the reading is the sheet Excel shows, the copy a warning."""
    hostile = unreachable_copy(forged_votes, "ban-sao-lac.xlsx")(shop)
    reading, clean = read_workbook(hostile), read_workbook(shop.clean_ballot)
    assert [i.code for i in reading.issues] == ["package-part-unreachable"]
    assert "sheet" in reading.issues[0].value and "9.xml" in reading.issues[0].value
    assert reading.content == clean.content
    assert shown_by_openpyxl(hostile, "Kiểm phiếu") == shown_by_openpyxl(
        shop.clean_ballot, "Kiểm phiếu"
    )


def test_a_part_is_found_as_excel_finds_it_whatever_the_letter_case(shop) -> None:
    reading, clean = read_workbook(case_folded_target(shop)), read_workbook(shop.clean_ballot)
    assert reading.issues == ()
    assert reading.content == clean.content


def test_the_forged_copy_says_other_votes(shop) -> None:
    """Put in the real sheet's place, the corpus's forged copy reads differently: a reader
    fooled into reading it would see other numbers (else the cases above could not fail)."""
    part = parts_by_sheet(shop.clean_ballot)["Kiểm phiếu"]
    forged = rewrite(shop.clean_ballot, shop.target("phieu-gia.xlsx"), {part: forged_votes})
    assert read_workbook(shop.clean_ballot).issues == ()
    assert {i.code for i in read_workbook(forged).issues} == {"tally-papers-mismatch"}


def test_what_is_counted_is_what_libreoffice_shows(shop, tmp_path: Path) -> None:
    """LibreOffice opens the hostile files and saves what it shows: read back, that is what
    was counted from the hostile files themselves (the copy nothing leads to is not it; a part
    named in capitals is found)."""
    hostile = [
        unreachable_copy(forged_votes, "ban-sao-lac-lo.xlsx")(shop),
        case_folded_target(shop),
    ]
    saved, _ = resave(hostile, tmp_path)
    for path in hostile:
        shown = read_workbook(saved / path.name)
        assert shown.issues == () and shown.content is not None
        counted = read_workbook(path)
        assert counted.content == shown.content
        # a reader fooled into the forged copy would find its tally unlike the ballot papers
        assert {i.code for i in counted.issues} <= {"package-part-unreachable"}
