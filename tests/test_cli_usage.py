"""Mistakes on the command line are told in Vietnamese with where to read the usage, exit
code 2, and never a traceback (Click's own words are English)."""

from __future__ import annotations

from pathlib import Path

import pytest
from bad_inputs.clean import roster
from click.testing import CliRunner

from toolkit.cli import main
from toolkit.workbooks.generate import write_roster


def run(*args: str | Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stderr


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "hop-thu").mkdir()
    write_roster(roster(), tmp_path / "danh-sach.xlsx")
    return tmp_path


@pytest.mark.parametrize("command", ["aggregate", "status"])
def test_a_required_roster_left_out_is_named(folder: Path, command: str) -> None:
    # Click 8.3 took the roster option's explicit default for a value: the run went on without
    # a roster and ended in a traceback
    extra = ["-o", folder / "ket-qua"] if command == "aggregate" else []
    code, err = run(command, folder / "hop-thu", *extra)
    assert code == 2
    assert err.splitlines() == [
        "Lỗi: Thiếu «--roster».",
        f"Xem cách dùng: main {command} --help",
    ]


def test_a_path_that_does_not_exist_is_named_in_vietnamese(folder: Path) -> None:
    code, err = run("aggregate", folder / "khong-co", "--roster", folder / "danh-sach.xlsx",
                    "-o", folder / "ket-qua")  # fmt: skip
    assert code == 2
    assert f"Lỗi: Giá trị không hợp lệ cho «INBOX»: không tìm thấy «{folder / 'khong-co'}»." in err


def test_a_folder_where_a_file_is_wanted_and_the_reverse(folder: Path) -> None:
    code, err = run("aggregate", folder / "hop-thu", "--roster", folder / "hop-thu",
                    "-o", folder / "ket-qua")  # fmt: skip
    assert code == 2 and "là một thư mục, cần một tệp" in err
    code, err = run("aggregate", folder / "danh-sach.xlsx", "--roster",
                    folder / "danh-sach.xlsx", "-o", folder / "ket-qua")  # fmt: skip
    assert code == 2 and "là một tệp, cần một thư mục" in err
    # an output folder need not exist yet, but must not be a file
    code, err = run("aggregate", folder / "hop-thu", "--roster", folder / "danh-sach.xlsx",
                    "-o", folder / "danh-sach.xlsx")  # fmt: skip
    assert code == 2
    assert err.startswith("Lỗi: Giá trị không hợp lệ cho «-o» / «--out»: «")
    assert "là một tệp, cần một thư mục" in err


def test_a_mistyped_option_gets_a_suggestion(folder: Path) -> None:
    code, err = run("aggregate", folder / "hop-thu", "--rooster", folder / "danh-sach.xlsx")
    assert code == 2
    assert err.splitlines()[0] == "Lỗi: Không có tuỳ chọn «--rooster»; có phải «--roster»?"


def test_a_value_click_checks_keeps_its_detail_in_a_vietnamese_frame(folder: Path) -> None:
    code, err = run("aggregate", folder / "hop-thu", "--roster", folder / "danh-sach.xlsx",
                    "-o", folder / "ket-qua", "--workers", "nhieu")  # fmt: skip
    assert code == 2
    assert err.startswith("Lỗi: Giá trị không hợp lệ cho «--workers»: 'nhieu'")
    assert "Traceback" not in err


def test_an_output_in_a_windows_code_page_gets_utf8_not_a_traceback() -> None:
    """Windows gives an output redirected to a file its code page (cp1252 here): printing the
    first «ế» failed with UnicodeEncodeError."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "PYTHONIOENCODING": "cp1252"}
    done = subprocess.run([sys.executable, "-m", "toolkit", "rules", "--year", "2024"],
                          capture_output=True, env=env, timeout=60, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    assert "Quy định 124-QĐ/TW" in done.stdout.decode("utf-8")
    missing = subprocess.run([sys.executable, "-m", "toolkit", "aggregate"],
                             capture_output=True, env=env, timeout=60, check=False)  # fmt: skip
    assert missing.stderr.decode("utf-8").startswith("Lỗi: Thiếu «INBOX».")


def test_an_output_folder_under_a_file_is_told_in_vietnamese_with_the_file(folder: Path) -> None:
    code, err = run("aggregate", folder / "hop-thu", "--roster", folder / "danh-sach.xlsx",
                    "-o", folder / "danh-sach.xlsx" / "ket-qua", "--year", "2023")  # fmt: skip
    assert code == 2
    assert "một phần của đường dẫn là tệp, không phải thư mục (" in err
    assert f"tệp «{folder / 'danh-sach.xlsx' / 'ket-qua'}»" in err


def test_a_mistyped_command_gets_a_suggestion_and_the_list() -> None:
    code, err = run("agregate")
    assert code == 2
    assert err.splitlines() == [
        "Lỗi: Không có lệnh «agregate» (có phải «aggregate»?). Các lệnh: aggregate, demo, mail, "
        "rollup, rules, status, templates, validate.",
        "Xem cách dùng: main --help",
    ]


def test_a_mistake_before_the_command_is_told_in_vietnamese_too() -> None:
    code, err = run("--lang", "en", "rules")
    assert code == 2
    assert err.splitlines() == ["Lỗi: Không có tuỳ chọn «--lang».", "Xem cách dùng: main --help"]
