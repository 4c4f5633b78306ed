"""The inbox: which cells sent both workbooks, duplicates and ``latest``, stray files, returns."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from bad_inputs.clean import YEAR, cb01_filing, fill, roster, simple_filing, templates

from toolkit.aggregate import aggregate
from toolkit.errors import InputError
from toolkit.model import CellReturn, Severity
from toolkit.rulebook import load_ruleset
from toolkit.workbooks.fill import fill_self_assessment
from toolkit.workbooks.generate import write_cell_workbook, write_roster
from toolkit.workbooks.inbox import InboxResult, collect_returns, detect_year, read_ahead

RULES = load_ruleset(YEAR)


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    return templates(tmp_path_factory.mktemp("templates"), roster())


def send(made, inbox: Path, code: str, *, saved_at=dt.datetime(2023, 12, 19), only: str = "",
         names: tuple[str, str] | None = None, filing=None) -> tuple[Path, Path]:  # fmt: skip
    """A cell's secretary sends the filled workbooks (renamed, as they do) into the inbox."""
    filing = filing or (cb01_filing() if code == "CB01" else simple_filing(roster(), code))
    names = names or (f"{code} tu danh gia.xlsx", f"{code} bien ban.xlsx")
    sa, bb = fill(made[code, "self_assessment"], made[code, "ballot"], inbox, filing,
                  saved_at=saved_at, names=names)  # fmt: skip
    if only == "self_assessment":
        bb.unlink()
    if only == "ballot":
        sa.unlink()
    return sa, bb


def collect(inbox: Path, **options) -> InboxResult:
    return collect_returns([inbox], roster(), YEAR, RULES, **options)


def test_complete_cells_become_returns_and_a_missing_workbook_is_reported(made, tmp_path):
    send(made, tmp_path, "CB01")
    send(made, tmp_path, "CB02")
    send(made, tmp_path, "CB03", only="self_assessment")

    result = collect(tmp_path)

    assert {c.cell.code: c.state for c in result.cells} == {
        "CB01": "complete", "CB02": "complete", "CB03": "missing",
    }  # fmt: skip
    assert [u.code for u in result.missing] == ["CB03"]
    assert [(i.code, i.unit_code, i.severity) for i in result.issues] == [
        ("workbook-missing", "CB03", Severity.ERROR)
    ]
    filing = cb01_filing()
    first = result.returns[0]
    assert first == CellReturn(
        cell=roster().tree.units["CB01"],
        members=roster().members_of("CB01"),
        assessments={a.member_id: a for a in filing.assessments},
        meeting=filing.meeting,
        tallies={t.member_id: t for t in filing.tallies if t.member_id},
        cell_assessment=filing.cell,
        cell_tally=filing.cell_tally,
    )
    statuses = {Path(f.path).name: f.status for f in result.inputs}
    assert statuses["CB01 tu danh gia.xlsx"] == "used"
    assert statuses["CB03 tu danh gia.xlsx"] == "pending"


def test_two_different_files_for_one_workbook_are_named_both(made, tmp_path):
    send(made, tmp_path, "CB02", saved_at=dt.datetime(2023, 12, 16, 8, 0))
    later = simple_filing(roster(), "CB02").with_raw(
        ballot={"Biên bản!B8": dt.datetime(2023, 12, 16)}
    )
    send(made, tmp_path, "CB02", saved_at=dt.datetime(2023, 12, 16, 21, 0), filing=later,
         names=("CB02 tu danh gia (2).xlsx", "CB02 bien ban (sua).xlsx"))  # fmt: skip

    result = collect(tmp_path)

    state = {c.cell.code: c.state for c in result.cells}["CB02"]
    assert state == "duplicate"
    duplicates = [i for i in result.issues if i.code == "duplicate-file"]
    assert len(duplicates) == 2  # both workbooks were sent twice
    assert "CB02 bien ban.xlsx" in duplicates[1].value
    assert "CB02 bien ban (sua).xlsx" in duplicates[1].value
    assert all(r.cell.code != "CB02" for r in result.returns)


@pytest.mark.parametrize("workers", [1, 2])
def test_a_cell_is_heard_early_once_its_two_files_are_in_and_counts_only_if_it_stays(
    made, tmp_path, workers
):
    for code in ("CB01", "CB03"):
        send(made, tmp_path, code)
    # CB02 sends its ballot twice, differently: what was heard early is void in the end
    send(made, tmp_path, "CB02", names=("CB02 a.xlsx", "CB02 b.xlsx"))
    later = simple_filing(roster(), "CB02").with_raw(
        ballot={"Biên bản!B8": dt.datetime(2023, 12, 16)}
    )
    send(made, tmp_path, "CB02", filing=later, only="ballot", names=("x", "CB02 c.xlsx"))
    heard: list[CellReturn] = []

    result = collect(tmp_path, workers=workers, early=heard.append)

    assert result == collect(tmp_path)  # hearing early changes nothing
    assert [r.cell.code for r in result.returns] == ["CB01", "CB03"]
    assert all(any(h == r for h in heard) for r in result.returns)
    if workers == 1:  # in file order, CB02's first two files are heard before the third
        assert sorted(r.cell.code for r in heard) == ["CB01", "CB02", "CB03"]
    else:  # the readers' order decides whether CB02 was ever whole
        assert {r.cell.code for r in heard} - {"CB02"} == {"CB01", "CB03"}


def test_latest_takes_the_file_saved_last_by_its_own_clock(made, tmp_path):
    send(made, tmp_path, "CB02", saved_at=dt.datetime(2023, 12, 16, 21, 0))
    newer = simple_filing(roster(), "CB02").with_raw(
        ballot={"Biên bản!B8": dt.datetime(2023, 12, 16)}
    )
    # the newer content sits in the file with the "older" name: names and disk times do not count
    send(made, tmp_path, "CB02", saved_at=dt.datetime(2023, 12, 17, 7, 0), filing=newer,
         names=("a.xlsx", "b.xlsx"))  # fmt: skip

    result = collect(tmp_path, latest=True)

    (ret,) = [r for r in result.returns if r.cell.code == "CB02"]
    assert ret.meeting.meeting_date == dt.date(2023, 12, 16)
    ignored = [i for i in result.issues if i.code == "older-version-ignored"]
    assert {i.value for i in ignored} == {"CB02 tu danh gia.xlsx", "CB02 bien ban.xlsx"}
    assert all(i.severity is Severity.WARNING for i in ignored)


def test_latest_cannot_choose_between_files_saved_at_the_same_time(made, tmp_path):
    when = dt.datetime(2023, 12, 16, 21, 0)
    send(made, tmp_path, "CB02", saved_at=when)
    other = simple_filing(roster(), "CB02").with_raw(
        ballot={"Biên bản!B8": dt.datetime(2023, 12, 16)}
    )
    send(made, tmp_path, "CB02", saved_at=when, filing=other, names=("a.xlsx", "b.xlsx"))

    result = collect(tmp_path, latest=True)

    assert "duplicate-file" in {i.code for i in result.issues}


def test_an_identical_copy_counts_once(made, tmp_path):
    sa, _ = send(made, tmp_path, "CB02")
    shutil.copy(sa, tmp_path / "CB02 tu danh gia - Copy.xlsx")

    result = collect(tmp_path)

    assert {c.cell.code: c.state for c in result.cells}["CB02"] == "complete"
    (copy,) = [i for i in result.issues if i.code == "identical-copy"]
    assert copy.severity is Severity.WARNING and copy.unit_code == "CB02"


def test_files_that_belong_to_no_cell_are_listed(made, tmp_path):
    the_roster = roster()
    cell = the_roster.tree.units["CB01"]
    write_cell_workbook("ballot", cell, the_roster.members_of("CB01"), 2022, RULES,
                        tmp_path / "nam ngoai.xlsx")  # fmt: skip
    other = cell.__class__("XA9", "Chi bộ của quận khác", cell.kind, "QU")
    write_cell_workbook("ballot", other, (), YEAR, RULES, tmp_path / "quan khac.xlsx")
    (tmp_path / "bao cao.pdf").write_bytes(b"%PDF-1.4\n%...")
    write_roster(the_roster, tmp_path / "danh sach.xlsx")
    (tmp_path / "~$CB01 bien ban.xlsx").write_bytes(b"\x00" * 165)

    result = collect(tmp_path)

    unknown = {Path(f.path).name: f.status for f in result.unknown}
    assert unknown == {
        "nam ngoai.xlsx": "unknown",
        "quan khac.xlsx": "unknown",
        "bao cao.pdf": "rejected",
        "danh sach.xlsx": "unknown",
    }
    codes = {(Path(i.location.file).name, i.code) for i in result.issues}
    assert ("nam ngoai.xlsx", "wrong-year") in codes
    assert ("quan khac.xlsx", "cell-unknown") in codes
    assert ("bao cao.pdf", "not-xlsx") in codes
    assert ("danh sach.xlsx", "unexpected-kind") in codes
    assert ("~$CB01 bien ban.xlsx", "lock-file-ignored") in codes
    statuses = {Path(f.path).name: f.status for f in result.inputs}
    assert statuses["~$CB01 bien ban.xlsx"] == "ignored"


def test_a_file_with_errors_keeps_its_cell_out_of_the_returns(made, tmp_path):
    send(made, tmp_path, "CB01", filing=cb01_filing().with_raw({"Tự đánh giá!E6": "Tốt"}))
    send(made, tmp_path, "CB02")

    result = collect(tmp_path)

    assert {c.cell.code: c.state for c in result.cells}["CB01"] == "errors"
    assert [r.cell.code for r in result.returns] == ["CB02"]
    assert result.has_errors


def test_a_cell_kept_out_by_its_self_assessment_keeps_its_ballot_for_the_meeting_checks(
    made, tmp_path
):
    late = dt.datetime(2024, 1, 5)
    send(made, tmp_path, "CB01", filing=cb01_filing().with_raw(
        {"Tự đánh giá!E6": "Tốt"}, ballot={"Biên bản!B8": late}))  # fmt: skip
    send(made, tmp_path, "CB02", filing=simple_filing(roster(), "CB02").with_raw(
        ballot={"Biên bản!B8": "hôm qua"}))  # fmt: skip

    cells = {c.cell.code: c for c in collect(tmp_path).cells}

    assert cells["CB01"].state == "errors"
    assert cells["CB01"].ballot is not None and cells["CB01"].ballot.has_votes
    assert cells["CB01"].ballot.meeting.meeting_date == late.date()
    # a ballot workbook with an error of its own tells nothing to check
    assert cells["CB02"].state == "errors" and cells["CB02"].ballot is None


def test_the_late_meeting_of_a_cell_kept_out_is_reported_with_its_errors(made, tmp_path):
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    send(made, inbox, "CB01", filing=cb01_filing().with_raw(
        {"Tự đánh giá!E6": "Tốt"}, ballot={"Biên bản!B8": dt.datetime(2024, 1, 5)}))  # fmt: skip
    write_roster(roster(), tmp_path / "roster.xlsx")

    run = aggregate(inbox, tmp_path / "roster.xlsx", out, year=YEAR)

    assert [u.code for u in run.result.rejected] == ["CB01"]
    doc = json.loads((out / "ket-qua.json").read_text(encoding="utf-8"))
    (cell,) = [c for c in doc["cells"] if c["code"] == "CB01"]
    codes = [i["code"] for i in cell["issues"]]
    assert "meeting-after-deadline" in codes  # the meeting, checked all the same
    assert any(i["sheet"] == "Tự đánh giá" for i in cell["issues"])  # the error
    sheet = openpyxl.load_workbook(out / cell["result_file"])["Vấn đề cần sửa"]
    header = [c.value for c in sheet[4]]
    rows = [dict(zip(header, r, strict=True)) for r in sheet.iter_rows(min_row=5, values_only=True)]
    assert sorted(r["Mã vấn đề"] for r in rows) == sorted(codes)  # the secretary's copy too


def test_inputs_are_never_modified(made, tmp_path):
    send(made, tmp_path, "CB01")
    send(
        made, tmp_path, "CB02", filing=simple_filing(roster(), "CB02").with_raw({"Chi bộ!B7": "x"})
    )
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in tmp_path.iterdir()}
    mtimes = {p.name: p.stat().st_mtime_ns for p in tmp_path.iterdir()}

    result = collect(tmp_path)

    after = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in tmp_path.iterdir()}
    assert after == before
    assert {p.name: p.stat().st_mtime_ns for p in tmp_path.iterdir()} == mtimes
    assert {Path(f.path).name: f.sha256 for f in result.inputs} == before


def test_reading_in_a_process_pool_gives_the_same_result(made, tmp_path):
    for code in ("CB01", "CB02", "CB03"):
        send(made, tmp_path, code)
    heard: list[tuple[str, int, int]] = []

    alone = collect(tmp_path)
    pooled = collect(tmp_path, workers=2, progress=lambda *a: heard.append(a))

    assert pooled == alone
    assert heard[0] == ("read", 0, 6) and heard[-1] == ("read", 6, 6)


def test_files_read_ahead_of_the_roster_are_checked_against_it_all_the_same(made, tmp_path):
    for code in ("CB01", "CB02", "CB03"):
        send(made, tmp_path, code)
    # the district renamed a member after the workbooks went out: each file is checked for it
    renamed = tuple(
        dataclasses.replace(m, full_name="Lý Thị Mai Anh") if m.member_id == "DV102" else m
        for m in roster().members
    )
    later = dataclasses.replace(roster(), members=renamed)
    alone = collect_returns([tmp_path], later, YEAR, RULES)

    with read_ahead([tmp_path], workers=2) as ahead:
        the_roster = later  # read while the readers work: they cannot check against it
        early = collect_returns([tmp_path], the_roster, YEAR, RULES, workers=2, ahead=ahead)

    assert early == alone
    assert sum(i.code == "member-name-changed" for i in early.issues) == 2


def test_read_ahead_must_read_the_same_files(made, tmp_path):
    send(made, tmp_path, "CB02")
    with read_ahead([tmp_path], workers=1) as ahead, pytest.raises(ValueError, match="ahead"):
        collect_returns([tmp_path / "CB02 tu danh gia.xlsx"], roster(), YEAR, RULES, ahead=ahead)


def test_the_year_is_told_by_the_files(made, tmp_path):
    send(made, tmp_path, "CB02")
    assert detect_year([tmp_path]) == 2023
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(InputError, match="--year"):
        detect_year([empty])


def test_a_self_assessment_without_its_ballot_can_still_be_filled_and_read(made, tmp_path):
    fill_self_assessment(made["CB03", "self_assessment"], tmp_path / "x.xlsx",
                         simple_filing(roster(), "CB03").assessments,
                         simple_filing(roster(), "CB03").cell)  # fmt: skip
    result = collect(tmp_path)
    assert {c.cell.code: c.state for c in result.cells}["CB03"] == "missing"
