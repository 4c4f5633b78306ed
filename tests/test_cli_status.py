"""``xeploai status``: who sent both workbooks, who is missing, duplicates, stray files."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest
from bad_inputs.clean import cb01_filing, fill, roster, simple_filing, templates
from click.testing import CliRunner

from toolkit.cli import main
from toolkit.workbooks.generate import write_roster


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    return templates(tmp_path_factory.mktemp("templates"), roster())


@pytest.fixture
def roster_path(tmp_path: Path) -> Path:
    path = tmp_path / "danh-sach.xlsx"
    write_roster(roster(), path)
    return path


def send(made, inbox: Path, code: str, *, saved_at=dt.datetime(2023, 12, 19), suffix: str = "",
         filing=None) -> None:  # fmt: skip
    filing = filing or (cb01_filing() if code == "CB01" else simple_filing(roster(), code))
    names = (f"{code}-tdg{suffix}.xlsx", f"{code}-bb{suffix}.xlsx")
    fill(made[code, "self_assessment"], made[code, "ballot"], inbox, filing, saved_at=saved_at,
         names=names)  # fmt: skip


def run(*args: str):
    return CliRunner().invoke(main, ["status", *args])


def test_all_cells_complete_exit_0(made, tmp_path, roster_path) -> None:
    inbox = tmp_path / "hop-thu"
    for code in ("CB01", "CB02", "CB03"):
        send(made, inbox, code)

    result = run(str(inbox), "--roster", str(roster_path))

    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "Năm đánh giá 2023 · 3 chi bộ: 3 đã gửi đủ và hợp lệ, 0 thiếu biểu mẫu, 0 gửi trùng, "
        "0 có lỗi.\nĐã đọc 6 tệp.\n"
    )


def test_missing_duplicated_erroneous_and_stray_files_are_listed(made, tmp_path, roster_path):
    inbox = tmp_path / "hop-thu"
    send(made, inbox, "CB01", filing=cb01_filing().with_raw({"Tự đánh giá!E6": "Tốt"}))
    send(made, inbox, "CB02", saved_at=dt.datetime(2023, 12, 16, 8))
    other = simple_filing(roster(), "CB02").with_raw(
        ballot={"Biên bản!B8": dt.datetime(2023, 12, 16)}
    )
    send(made, inbox, "CB02", saved_at=dt.datetime(2023, 12, 16, 9), suffix=" (2)", filing=other)
    (inbox / "ghi chu.txt").write_text("xin lỗi gửi muộn", encoding="utf-8")

    result = run(str(inbox), "--roster", str(roster_path), "--year", "2023")

    assert result.exit_code == 1
    text = result.stdout
    assert text.startswith(
        "Năm đánh giá 2023 · 3 chi bộ: 0 đã gửi đủ và hợp lệ, 1 thiếu biểu mẫu, 1 gửi trùng, "
        "1 có lỗi.\nĐã đọc 7 tệp.\n"
    )
    assert (
        "Chi bộ thiếu biểu mẫu:\n  CB03       Chi bộ Khu dân cư số 3 — thiếu: Tự đánh giá, xếp "
        "loại; Biểu quyết, biên bản kiểm phiếu\n"
    ) in text
    assert (
        "Chi bộ gửi trùng tệp:\n  CB02       Chi bộ Khu dân cư số 2 — Tự đánh giá, xếp loại: "
        "CB02-tdg (2).xlsx, CB02-tdg.xlsx; Biểu quyết, biên bản kiểm phiếu: CB02-bb (2).xlsx, "
        "CB02-bb.xlsx\n"
    ) in text
    assert (
        "Chi bộ có lỗi trong tệp:\n  CB01       Chi bộ Trường THPT Liên Chiểu — 1 lỗi, 0 cảnh báo\n"
        in text
    )
    assert (
        "Tệp không thuộc chi bộ nào:\n  ghi chu.txt — Tệp không phải bảng tính Excel .xlsx" in text
    )


def test_latest_settles_the_duplicates(made, tmp_path, roster_path) -> None:
    inbox = tmp_path / "hop-thu"
    for code in ("CB01", "CB03"):
        send(made, inbox, code)
    send(made, inbox, "CB02", saved_at=dt.datetime(2023, 12, 16, 8))
    other = simple_filing(roster(), "CB02").with_raw(
        ballot={"Biên bản!B8": dt.datetime(2023, 12, 16)}
    )
    send(made, inbox, "CB02", saved_at=dt.datetime(2023, 12, 16, 9), suffix=" (2)", filing=other)

    result = run(str(inbox), "--roster", str(roster_path), "--latest", "--format", "json")

    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["complete"] is True
    cb02 = next(c for c in data["cells"] if c["code"] == "CB02")
    assert Path(cb02["ballot"]["used"]).name == "CB02-bb (2).xlsx"
    assert len(cb02["ballot"]["received"]) == 2
    assert {i["code"] for i in data["issues"]} == {"older-version-ignored"}


def test_a_roster_with_errors_stops_before_the_inbox(made, tmp_path, roster_path) -> None:
    book = openpyxl.load_workbook(roster_path)
    book["Tổ chức"]["A8"] = "CB01"
    book.save(roster_path)
    (tmp_path / "hop-thu").mkdir()
    result = run(str(tmp_path / "hop-thu"), "--roster", str(roster_path), "--year", "2023")
    assert result.exit_code == 1
    assert "unit-duplicated" in result.stderr


def test_no_year_and_no_file_to_tell_it_exits_2(tmp_path, roster_path) -> None:
    (tmp_path / "hop-thu").mkdir()
    result = run(str(tmp_path / "hop-thu"), "--roster", str(roster_path))
    assert result.exit_code == 2
    assert "--year" in result.stderr
