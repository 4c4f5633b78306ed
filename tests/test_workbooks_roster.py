"""The roster workbook: written and read back, and each of its own mistakes reported."""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from bad_inputs.clean import roster, templates

from toolkit.mail.addresses import check_recipient, has_forbidden_characters
from toolkit.model import Issue, Membership, OrgKind, Severity, SubjectType
from toolkit.workbooks.declarations import load_declaration
from toolkit.workbooks.generate import write_roster
from toolkit.workbooks.read import read_roster

UNITS, MEMBERS = "Tổ chức", "Đảng viên"
# rows of the clean roster: units QU 5, DB1 6, CB01 7, CB02 8, CB03 9;
# members DV001..DV007 5..11, DV101..DV103 12..14, DV201..DV202 15..16


def roster_with(tmp_path: Path, cells: dict[str, Any]) -> Path:
    """The clean roster with some cells typed over, by "Sheet!A1"."""
    path = tmp_path / "danh-sach.xlsx"
    write_roster(roster(), path)
    book = openpyxl.load_workbook(path)
    for where, value in cells.items():
        sheet, _, ref = where.partition("!")
        book[sheet][ref] = value
    book.save(path)
    return path


CASES = [
    # CB02's row now says CB01: CB02 is gone, and so is the cell of its three members
    ("a unit code twice", {f"{UNITS}!A8": "CB01"},
     {(UNITS, "unit-duplicated", "A8"), *((MEMBERS, "member-cell-unknown", f"C{r}") for r in (12, 13, 14))}),
    ("an unknown parent", {f"{UNITS}!D8": "DB9"}, {(UNITS, "unit-parent-unknown", "D8")}),
    ("parents in a cycle", {f"{UNITS}!D6": "CB02"}, {(UNITS, "parent-cycle", "D8")}),
    ("a kind not in the list", {f"{UNITS}!C8": "Tổ đảng"}, {(UNITS, "value-not-allowed", "C8")}),
    ("an e-mail address that is not one", {f"{UNITS}!G7": "binh(at)edu"},
     {(UNITS, "email-invalid", "G7")}),
    ("a member of an unknown cell", {f"{MEMBERS}!C12": "CB09"},
     {(MEMBERS, "member-cell-unknown", "C12")}),
    ("a member under a đảng bộ, not a cell", {f"{MEMBERS}!C12": "DB1"},
     {(MEMBERS, "member-cell-unknown", "C12")}),
    ("a member ID twice", {f"{MEMBERS}!A13": "DV101"}, {(MEMBERS, "member-duplicated", "A13")}),
    ("a member ID twice, once with a trailing space", {f"{MEMBERS}!A13": "DV101 "},
     {(MEMBERS, "member-duplicated", "A13")}),
    ("a name left out", {f"{MEMBERS}!B14": None}, {(MEMBERS, "required-missing", "B14")}),
    ("a membership not in the list", {f"{MEMBERS}!D14": "Tạm thời"},
     {(MEMBERS, "value-not-allowed", "D14")}),
    ("a birth year out of range", {f"{MEMBERS}!E5": 1850}, {(MEMBERS, "number-out-of-range", "E5")}),
    ("an admission date that is not a date", {f"{MEMBERS}!F5": "sáng nay"},
     {(MEMBERS, "not-a-date", "F5")}),
    ("a cell left without members", {f"{MEMBERS}!{c}{r}": None for c in "ABCDEFGHIJ" for r in (15, 16)},
     {(UNITS, "cell-without-members", "A9")}),
    ("two secretaries in a cell", {f"{MEMBERS}!I13": "Có"}, {(UNITS, "head-duplicated", "A8")}),
]  # fmt: skip


@pytest.mark.parametrize(("case", "cells", "expected"), CASES, ids=[c[0] for c in CASES])
def test_each_roster_mistake_gives_its_issue(tmp_path, case, cells, expected) -> None:
    _, issues = read_roster(roster_with(tmp_path, cells))
    assert {(i.location.sheet, i.code, i.location.cell) for i in issues} == expected


def test_rows_with_errors_are_left_out_and_the_rest_is_kept(tmp_path: Path) -> None:
    read, _ = read_roster(roster_with(tmp_path, {f"{MEMBERS}!C12": "CB09"}))
    assert "DV101" not in {m.member_id for m in read.members}
    assert len(read.members) == len(roster().members) - 1


def test_names_are_read_in_nfc_without_stray_spaces(tmp_path: Path) -> None:
    nfd = unicodedata.normalize("NFD", "Nguyễn   Thị Hoa ")
    read, issues = read_roster(roster_with(tmp_path, {f"{MEMBERS}!B6": nfd}))
    assert issues == ()
    assert read.members[1].full_name == "Nguyễn Thị Hoa"


@pytest.mark.parametrize(
    ("headers", "typed", "subject", "codes"),
    [
        # the current layout, the type given: nothing to say
        ("all", "Mẫu 2C", SubjectType.OUTSIDE, []),
        ("all", "Đảng viên không làm việc trong hệ thống chính trị (Mẫu 2C)", SubjectType.OUTSIDE,
         []),
        # the type left blank: 2B, one warning for the roster
        ("all", None, SubjectType.NO_POST, ["subject-type-defaulted"]),
        # a roster typed before the column existed reads as before, and says what is new
        ("v1", None, SubjectType.NO_POST, ["template-older-version", "subject-type-defaulted"]),
    ],
)  # fmt: skip
def test_a_roster_made_by_hand_in_the_same_layout_is_read(
    tmp_path: Path, headers: str, typed: str | None, subject: SubjectType, codes: list[str]
) -> None:
    """A district may build the list in its own file: no identity block, same sheets and columns."""
    declaration = load_declaration("roster")
    book = openpyxl.Workbook()
    book.remove(book.active)
    for sheet in declaration.sheets:
        ws = book.create_sheet(sheet.name)
        for col, column in enumerate(sheet.columns, start=1):
            if headers == "all" or column.since == 1:
                ws.cell(sheet.header_row, col, column.label)
    book[UNITS].append([])  # row 5 onwards: the data
    book[UNITS]["A5"], book[UNITS]["B5"], book[UNITS]["C5"] = "CB9", "Chi bộ 9", "Chi bộ cơ sở"
    book[MEMBERS]["A5"], book[MEMBERS]["B5"], book[MEMBERS]["C5"] = "X1", "Mai Văn An", "CB9"
    book[MEMBERS]["D5"], book[MEMBERS]["E5"] = "Dự bị", 1990
    book[MEMBERS]["J5"] = typed
    path = tmp_path / "tu-lam.xlsx"
    book.save(path)

    read, issues = read_roster(path)

    assert [i.code for i in issues] == codes
    assert all(i.severity is Severity.WARNING for i in issues)
    assert read.tree.units["CB9"].kind is OrgKind.GRASSROOTS_CELL
    (member,) = read.members
    assert member.membership is Membership.PROBATIONARY and member.birth_year == 1990
    assert member.subject_type is subject


@pytest.mark.parametrize(
    ("is_leader", "typed", "subject"),
    [
        (False, None, SubjectType.NO_POST),
        (True, None, SubjectType.LEADER),  # blank: a leader writes Mẫu 2A
        (True, SubjectType.OUTSIDE.label, SubjectType.OUTSIDE),  # typed: it stands
        (False, SubjectType.LEADER.label, SubjectType.LEADER),
    ],
)
def test_the_subject_type_round_trips_and_a_blank_follows_the_leader_column(
    tmp_path: Path, is_leader: bool, typed: str | None, subject: SubjectType
) -> None:
    cells = {f"{MEMBERS}!H5": "Có" if is_leader else None, f"{MEMBERS}!J5": typed}
    read, issues = read_roster(roster_with(tmp_path, cells))
    assert read.members[0].subject_type is subject
    assert [i.code for i in issues] == ([] if typed else ["subject-type-defaulted"])
    if typed is None:
        assert issues[0].location.cell == "J5" and issues[0].value == "1"


def test_a_cell_workbook_is_not_a_roster(tmp_path: Path) -> None:
    made = templates(tmp_path, roster())
    read, issues = read_roster(made["CB01", "ballot"])
    assert [i.code for i in issues] == ["wrong-kind"]
    assert read.members == ()


def test_a_roster_without_its_members_sheet(tmp_path: Path) -> None:
    path = roster_with(tmp_path, {})
    book = openpyxl.load_workbook(path)
    del book[MEMBERS]
    book.save(path)
    _, issues = read_roster(path)
    assert [(i.code, i.value) for i in issues][:1] == [
        ("sheet-missing", "Hướng dẫn, Tổ chức, Danh mục, xeploai")
    ]


@pytest.mark.parametrize(
    "breaks", ["\r\n", "\n", "\u2028", "\u2029", "\x85"], ids=["CRLF", "LF", "LS", "PS", "NEL"]
)
def test_line_breaks_in_a_cells_names_and_address_reach_the_mail_check(
    tmp_path: Path, breaks: str
) -> None:
    """``mail`` puts these into headers: a line break must reach its header-injection check
    as typed, never turned into a space by the reader (spaces are still folded)."""
    typed = {
        f"{UNITS}!B7": f"Chi bộ  A{breaks}Subject: giả mạo",
        f"{UNITS}!F7": f"Lê   Văn An{breaks}Bcc: all@evil.example",
        f"{UNITS}!G7": f"bithu@chibo.vn{breaks}Bcc: all@evil.example",
    }
    read, _ = read_roster(roster_with(tmp_path, typed))
    unit = read.tree.units["CB01"]
    # XML reads CR LF as LF (end-of-line handling): still a line break for the check
    kept = "\n" if breaks == "\r\n" else breaks
    assert unit.name == f"Chi bộ A{kept}Subject: giả mạo"
    assert unit.secretary_name == f"Lê Văn An{kept}Bcc: all@evil.example"
    assert unit.secretary_email == f"bithu@chibo.vn{kept}Bcc: all@evil.example"
    for name, address in ((unit.secretary_name, "a@chibo.vn"), ("A", unit.secretary_email)):
        found = check_recipient(name, address, whom="CB01")
        assert isinstance(found, Issue) and found.code == "mail-header-injection"
    assert has_forbidden_characters(unit.name)
