"""Every check of a returned cell's files, one mistake at a time, against the roster and year.

Each row of the table types a mistake into the clean filing of CB01 and names the issues it must
produce as (sheet, code, cell). ``exact`` rows must produce those issues and nothing else; the
others may produce more (a wrong count also unbalances the sums that depend on it).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from bad_inputs.clean import Filing, cb01_filing, fill, roster, templates

from toolkit.model import Member, OrgTree, OrgUnit, Roster, Severity
from toolkit.workbooks import checks
from toolkit.workbooks.generate import write_roster
from toolkit.workbooks.identity import roster_hash
from toolkit.workbooks.validation import ValidationReport, validate_paths

SA, BB = "Tự đánh giá", "Biên bản"
CELL, TALLY, PAPERS = "Chi bộ", "Kiểm phiếu", "Phiếu bầu"


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    return templates(tmp_path_factory.mktemp("templates"), roster())


def run(
    made: dict[tuple[str, str], Path],
    folder: Path,
    filing: Filing,
    *,
    the_roster: Roster | None = None,
    year: int | None = 2023,
    cell: str | None = None,
) -> ValidationReport:
    sa, bb = fill(made["CB01", "self_assessment"], made["CB01", "ballot"], folder, filing)
    roster_path = folder / "danh-sach.xlsx"
    write_roster(the_roster or roster(), roster_path)
    return validate_paths([sa, bb], roster_path=roster_path, year=year, cell_code=cell)


def found(report: ValidationReport) -> set[tuple[str, str, str]]:
    return {
        (i.location.sheet, i.code, i.location.cell)
        for i in report.issues
        if not i.location.file.startswith("danh-sach")
    }


def no_papers() -> Filing:
    return dataclasses.replace(cb01_filing(), papers=())


def row_cleared(row: int, columns: str = "ABCDEFGHIJKLM") -> dict[str, Any]:
    return {f"{SA}!{c}{row}": None for c in columns}


CASES: list[tuple[str, Filing, set[tuple[str, str, str]], bool]] = [
    # members against the roster
    ("a member's row deleted", cb01_filing().with_raw(row_cleared(7)),
     {(SA, "member-missing", "")}, True),
    ("an ID not on the roster", cb01_filing().with_raw({f"{SA}!B7": "DV999"}),
     {(SA, "member-added", "B7"), (SA, "member-missing", "")}, True),
    ("another cell's member", cb01_filing().with_raw({f"{SA}!B7": "DV101"}),
     {(SA, "member-from-other-cell", "B7"), (SA, "member-missing", "")}, True),
    ("a member listed twice", cb01_filing().with_raw({f"{SA}!B7": "DV002"}),
     {(SA, "member-duplicated", "B7"), (SA, "member-missing", "")}, True),
    ("a row without its ID", cb01_filing().with_raw({f"{SA}!B7": None}),
     {(SA, "member-id-missing", "B7"), (SA, "member-missing", "")}, True),
    ("a name typed differently", cb01_filing().with_raw({f"{SA}!C6": "Nguyễn Thị Hòa"}),
     {(SA, "member-name-changed", "C6")}, True),
    ("a name in NFD with spaces is the same name",
     cb01_filing().with_raw({f"{SA}!C6": " " + unicodedata.normalize("NFD", "Nguyễn  Thị Hoa")}),
     set(), True),
    # ratings
    ("a member neither rated nor excused", cb01_filing().with_raw({f"{SA}!E6": None}),
     {(SA, "rating-missing", "E6")}, True),
    ("a reason not in the list", cb01_filing().with_raw({f"{SA}!F8": "Nghỉ hưu"}),
     {(SA, "value-not-allowed", "F8")}, True),
    ("an absent member still rated", cb01_filing().with_raw({f"{SA}!F6": "Vắng mặt, chưa đánh giá"}),
     {(SA, "rating-for-not-rated", "E6"), (SA, "rating-for-not-rated", "M6"),
      (TALLY, "rating-for-not-rated", "E6:K6")}, True),
    ("an exempt member voted on", dataclasses.replace(no_papers()).with_raw(
        ballot={f"{TALLY}!F8": 4}),
     {(TALLY, "rating-for-not-rated", "E8:K8")}, True),
    ("a rated member nobody voted on", no_papers().with_raw(
        ballot={f"{TALLY}!{c}7": None for c in "EFGHIJK"}),
     {(TALLY, "required-missing", "E7:K7")}, True),
    ("the cell's own level left out", cb01_filing().with_raw({f"{CELL}!B7": None}),
     {(CELL, "required-missing", "B7")}, True),
    ("months of leave above twelve", cb01_filing().with_raw({f"{SA}!K7": 13}),
     {(SA, "number-out-of-range", "K7")}, True),
    # meeting and ballots
    ("the official total is not the roster's", cb01_filing().with_raw(ballot={f"{BB}!B9": 6}),
     {(BB, "official-total-mismatch", "B9")}, False),
    ("probationary members in the official total", cb01_filing().with_raw(ballot={f"{BB}!B9": 7}),
     {(BB, "probationary-counted", "B9")}, False),
    ("ballots given to probationary members", cb01_filing().with_raw(ballot={f"{BB}!B15": 6}),
     {(BB, "probationary-counted", "B15")}, True),
    ("more ballots than voters", cb01_filing().with_raw(ballot={f"{BB}!B12": 0, f"{BB}!B15": 6}),
     {(BB, "ballots-exceed-voters", "B15")}, True),
    ("more present than convened", cb01_filing().with_raw(ballot={f"{BB}!B11": 5}),
     {(BB, "present-exceeds-convened", "B11")}, True),
    ("more probationary present than on the roster", cb01_filing().with_raw(ballot={f"{BB}!B12": 3}),
     {(BB, "present-exceeds-roster", "B12")}, True),
    ("returned above issued", cb01_filing().with_raw(ballot={f"{BB}!B16": 5}),
     {(BB, "ballots-returned-exceed-issued", "B16"), (BB, "ballots-sum-mismatch", "B16")}, True),
    ("returned is not valid plus invalid", cb01_filing().with_raw(ballot={f"{BB}!B18": 1}),
     {(BB, "ballots-sum-mismatch", "B16")}, True),
    ("a quorum not met", no_papers().with_raw(ballot={f"{BB}!B11": 2}),
     {(BB, "quorum-not-met", "B11")}, False),
    ("a member's votes do not add up", no_papers().with_raw(ballot={f"{TALLY}!G5": 1}),
     {(TALLY, "votes-sum-mismatch", "E5:K5")}, True),
    ("the cell's own votes do not add up", cb01_filing().with_raw(ballot={f"{BB}!B21": 3}),
     {(BB, "votes-sum-mismatch", "B20:B24")}, True),
    ("the cell's own vote left out", cb01_filing().with_raw(
        ballot={f"{BB}!B{r}": None for r in range(20, 25)}),
     {(BB, "required-missing", "B20:B24")}, True),
    ("a vote count with a fraction", no_papers().with_raw(ballot={f"{TALLY}!E5": 2.5}),
     {(TALLY, "not-a-whole-number", "E5")}, False),
    ("a typed tally the papers contradict", cb01_filing().with_raw(ballot={f"{TALLY}!F9": 2}),
     {(TALLY, "tally-papers-mismatch", "F9")}, True),
    ("a paper more than the valid ballots", cb01_filing().with_raw(
        ballot={f"{PAPERS}!A10": 5, f"{PAPERS}!B10": "HTXSNV"}),
     {(BB, "papers-count-mismatch", "B17"), (TALLY, "tally-papers-mismatch", "E5")}, False),
    ("a level on a paper not in the list", cb01_filing().with_raw(ballot={f"{PAPERS}!B6": "Tốt"}),
     {(PAPERS, "value-not-allowed", "B6")}, False),
    ("a voting method not in the list", cb01_filing().with_raw(ballot={f"{BB}!B13": "Bỏ phiếu"}),
     {(BB, "value-not-allowed", "B13")}, True),
    # dates
    ("a meeting in another year", cb01_filing().with_raw(ballot={f"{BB}!B8": dt.datetime(2024, 3, 1)}),
     {(BB, "date-outside-year", "B8")}, True),
    ("a meeting after the deadline", cb01_filing().with_raw(ballot={f"{BB}!B8": dt.datetime(2024, 1, 10)}),
     {(BB, "meeting-late", "B8")}, True),
    ("a date typed as text", cb01_filing().with_raw(ballot={f"{BB}!B8": "18/12/2023"}),
     {(BB, "date-as-text", "B8")}, True),
    ("a date that is not one", cb01_filing().with_raw(ballot={f"{BB}!B8": "18-12"}),
     {(BB, "not-a-date", "B8")}, True),
]  # fmt: skip


@pytest.mark.parametrize(("case", "filing", "expected", "exact"), CASES, ids=[c[0] for c in CASES])
def test_each_mistake_gives_its_issue_at_its_cell(
    made, tmp_path: Path, case: str, filing: Filing, expected: set, exact: bool
) -> None:
    issues = found(run(made, tmp_path, filing))
    if exact:
        assert issues == expected
    else:
        assert expected <= issues, issues


def test_the_clean_filing_has_no_issue(made, tmp_path: Path) -> None:
    report = run(made, tmp_path, cb01_filing())
    assert report.valid and report.issues == ()


def test_last_years_file_is_a_wrong_year(made, tmp_path: Path) -> None:
    report = run(made, tmp_path, cb01_filing(), year=2024)
    assert {(i.code, i.location.cell) for i in report.issues} == {("wrong-year", "")}
    assert all(i.unit_code == "CB01" for i in report.issues)


def test_a_file_for_another_cell(made, tmp_path: Path) -> None:
    report = run(made, tmp_path, cb01_filing(), cell="CB02")
    assert {i.code for i in report.issues} == {"wrong-cell"}
    assert {i.value for i in report.issues} == {"CB01"}


def test_a_cell_missing_from_the_roster_owns_no_file(made, tmp_path: Path) -> None:
    full = roster()
    units = {k: v for k, v in full.tree.units.items() if k != "CB01"}
    members = tuple(m for m in full.members if m.cell_code != "CB01")
    report = run(made, tmp_path, cb01_filing(), the_roster=Roster(OrgTree(units), members))
    assert {i.code for i in report.issues} == {"cell-unknown"}


def test_a_roster_changed_since_the_workbook_was_made(made, tmp_path: Path) -> None:
    full = roster()
    renamed = tuple(
        dataclasses.replace(m, full_name="Nguyễn Thị Hoà Bình") if m.member_id == "DV002" else m
        for m in full.members
    )
    report = run(made, tmp_path, cb01_filing(), the_roster=Roster(full.tree, renamed))
    codes = {(i.code, i.location.cell, i.severity) for i in report.issues}
    assert ("roster-changed", "", Severity.WARNING) in codes
    assert ("member-name-changed", "C6", Severity.WARNING) in codes
    assert report.valid  # warnings only


def test_a_cells_roster_hash_is_made_once_for_its_two_files(
    made, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hashed: list[str] = []

    def counted(cell: OrgUnit, members: Any) -> str:
        hashed.append(cell.code)
        return roster_hash(cell, members)

    monkeypatch.setattr(checks, "roster_hash", counted)
    report = run(made, tmp_path, cb01_filing())
    assert report.valid and hashed == ["CB01"]


def test_a_member_added_to_the_roster_after_the_workbook_was_made(made, tmp_path: Path) -> None:
    full = roster()
    newcomer = Member("DV008", "Mai Thị Thu", "CB01")
    report = run(
        made, tmp_path, cb01_filing(), the_roster=Roster(full.tree, (*full.members, newcomer))
    )
    missing = [i for i in report.issues if i.code == "member-missing"]
    assert {(i.member_id, i.location.sheet) for i in missing} == {("DV008", SA), ("DV008", TALLY)}
    assert "Mai Thị Thu" in missing[0].message
