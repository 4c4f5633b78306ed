"""``xeploai templates``: the blank roster, and every cell's workbooks from a roster."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from bad_inputs.clean import roster
from click.testing import CliRunner

from toolkit.cli import main
from toolkit.workbooks.generate import write_roster


def run(*args: str):
    return CliRunner().invoke(main, ["templates", *args])


def roster_file(folder: Path) -> Path:
    path = folder / "danh-sach.xlsx"
    write_roster(roster(), path)
    return path


def test_the_blank_roster(tmp_path: Path) -> None:
    result = run("--blank", "roster", "-o", str(tmp_path / "mau"))
    assert result.exit_code == 0, result.output
    path = tmp_path / "mau" / "danh-sach-to-chuc-va-dang-vien.xlsx"
    assert result.stdout == f"Đã tạo {path}\n"
    assert openpyxl.load_workbook(path).sheetnames[1:3] == ["Tổ chức", "Đảng viên"]


def test_every_cell_gets_its_two_workbooks(tmp_path: Path) -> None:
    out = tmp_path / "gui"
    result = run("--roster", str(roster_file(tmp_path)), "--year", "2023", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout == f"Đã tạo 6 biểu mẫu cho 3 chi bộ trong {out}\n"
    assert result.stderr == ""
    assert sorted(p.name for p in out.iterdir()) == [
        "CB01-Chi-bo-Truong-THPT-Lien-Chieu-bien-ban-kiem-phieu.xlsx",
        "CB01-Chi-bo-Truong-THPT-Lien-Chieu-tu-danh-gia-xep-loai.xlsx",
        "CB02-Chi-bo-Khu-dan-cu-so-2-bien-ban-kiem-phieu.xlsx",
        "CB02-Chi-bo-Khu-dan-cu-so-2-tu-danh-gia-xep-loai.xlsx",
        "CB03-Chi-bo-Khu-dan-cu-so-3-bien-ban-kiem-phieu.xlsx",
        "CB03-Chi-bo-Khu-dan-cu-so-3-tu-danh-gia-xep-loai.xlsx",
    ]


def test_a_roster_with_errors_writes_nothing_and_says_why(tmp_path: Path) -> None:
    path = roster_file(tmp_path)
    book = openpyxl.load_workbook(path)
    book["Đảng viên"]["C12"] = "CB09"
    book.save(path)
    out = tmp_path / "gui"

    result = run("--roster", str(path), "--year", "2023", "-o", str(out))

    assert result.exit_code == 1
    assert not out.exists()
    assert "member-cell-unknown  Đảng viên › C12" in result.stderr
    assert result.stderr.endswith(
        "Chưa tạo biểu mẫu nào: danh sách có lỗi hoặc không có chi bộ nào.\n"
    )


def test_english_messages(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run("--roster", str(roster_file(tmp_path)), "--year", "2025", "-o", str(out),
                  "--lang", "en")  # fmt: skip
    assert result.exit_code == 0
    assert result.stdout == f"Wrote 6 workbooks for 3 cells in {out}\n"


def test_usage_errors_exit_with_2(tmp_path: Path) -> None:
    neither = run("-o", str(tmp_path))
    assert neither.exit_code == 2
    assert "Cần đúng một trong hai: --blank roster hoặc --roster TỆP." in neither.stderr
    no_year = run("--roster", str(roster_file(tmp_path)), "-o", str(tmp_path / "x"))
    assert no_year.exit_code == 2 and "Cần --year khi dùng --roster." in no_year.stderr
    old_year = run(
        "--roster", str(roster_file(tmp_path)), "--year", "2020", "-o", str(tmp_path / "x")
    )
    assert old_year.exit_code == 2
    assert old_year.stderr.startswith("Lỗi: Không có bộ quy tắc cho năm 2020")


def test_a_template_that_cannot_be_written_is_a_clear_error_not_a_traceback(tmp_path: Path) -> None:
    """What a workbook left open in Excel does on Windows: here, a folder where the file goes."""
    (tmp_path / "danh-sach-to-chuc-va-dang-vien.xlsx").mkdir()
    result = CliRunner().invoke(main, ["templates", "--blank", "roster", "-o", str(tmp_path)])
    assert result.exit_code == 2
    assert result.stderr.startswith("Lỗi: Không ghi được biểu mẫu: đây là một thư mục, không phải")
    assert "danh-sach-to-chuc-va-dang-vien.xlsx»" in result.stderr


def test_only_remakes_the_chosen_cells_workbooks_under_their_usual_names(tmp_path: Path) -> None:
    path, full, again = roster_file(tmp_path), tmp_path / "gui", tmp_path / "lai"
    assert run("--roster", str(path), "--year", "2023", "-o", str(full)).exit_code == 0
    result = run("--roster", str(path), "--year", "2023", "-o", str(again), "--only", "CB02")
    assert result.exit_code == 0, result.output
    assert result.stdout == f"Đã tạo 2 biểu mẫu cho 1 chi bộ trong {again}\n"
    names = sorted(p.name for p in again.iterdir())
    assert names == [
        "CB02-Chi-bo-Khu-dan-cu-so-2-bien-ban-kiem-phieu.xlsx",
        "CB02-Chi-bo-Khu-dan-cu-so-2-tu-danh-gia-xep-loai.xlsx",
    ]
    # the very files the full run wrote: the same name, the same identity, the same bytes
    assert all((again / n).read_bytes() == (full / n).read_bytes() for n in names)
    two = run("--roster", str(path), "--year", "2023", "-o", str(again),
              "--only", "CB01", "--only", "CB03")  # fmt: skip
    assert two.stdout == f"Đã tạo 4 biểu mẫu cho 2 chi bộ trong {again}\n"


def test_only_an_unknown_cell_is_a_clear_error(tmp_path: Path) -> None:
    path = roster_file(tmp_path)
    result = run("--roster", str(path), "--year", "2023", "-o", str(tmp_path / "x"),
                 "--only", "CB09")  # fmt: skip
    assert result.exit_code == 2
    assert "Không có chi bộ mã CB09 trong danh sách danh-sach.xlsx." in result.stderr
    assert not (tmp_path / "x").exists()
    blank = run("--blank", "roster", "--only", "CB01", "-o", str(tmp_path / "y"))
    assert blank.exit_code == 2 and "--only chỉ dùng với --roster." in blank.stderr
