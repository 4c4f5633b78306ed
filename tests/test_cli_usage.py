"""Mistakes on the command line are told in Vietnamese with where to read the usage, exit
code 2, and never a traceback; Click's own words (help, usage) are Vietnamese too."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import click
import pytest
from bad_inputs.clean import roster
from click.testing import CliRunner

from toolkit.cli import COMMANDS, main
from toolkit.workbooks.generate import write_roster

ROOT = Path(__file__).resolve().parents[1]


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
    assert (
        f"Lỗi: Giá trị không hợp lệ cho «HỘP-THƯ»: không tìm thấy «{folder / 'khong-co'}»." in err
    )


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
    assert missing.stderr.decode("utf-8").startswith("Lỗi: Thiếu «HỘP-THƯ».")


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


#: Click's English words, which no help page may show
CLICK_ENGLISH = (
    "Usage:",
    "Options:",
    "Commands:",
    "Show this message",
    "Show the version",
    "[required",
    "default:",
    "[OPTIONS]",
    "COMMAND",
    "INTEGER",
    "TEXT",
    "FILE",
    "DIRECTORY",
    "PATH",
    "Example:",
)


@pytest.mark.parametrize("command", [[], *([c] for c in sorted(COMMANDS))], ids=str)
def test_help_is_vietnamese_throughout(command: list[str]) -> None:
    result = CliRunner().invoke(main, [*command, "--help"])
    assert result.exit_code == 0
    text = result.stdout
    assert text.startswith("Cách dùng: main ") and "[TÙY-CHỌN]" in text.splitlines()[0]
    assert "\nTùy chọn:\n" in text and "In hướng dẫn này rồi thoát." in text
    assert [word for word in CLICK_ENGLISH if word in text] == []


def test_a_required_option_and_a_default_are_said_in_vietnamese() -> None:
    text = CliRunner().invoke(main, ["aggregate", "--help"]).stdout
    flat = " ".join(text.split())
    assert "--roster TỆP" in flat and "[bắt buộc]" in flat
    assert "--workers SỐ" in flat and "[mặc định: 2; 1<=x<=64]" in flat
    assert "Cách dùng: main aggregate [TÙY-CHỌN] HỘP-THƯ" in flat


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (
            ["rules", "--year", "abc"],
            "Lỗi: Giá trị không hợp lệ cho «--year»: 'abc' không phải là số nguyên hợp lệ.",
        ),
        (
            ["demo", "x", "--cells", "1"],
            "Lỗi: Giá trị không hợp lệ cho «--cells»: 1 nằm ngoài khoảng 2<=x<=5000.",
        ),
    ],
)
def test_a_value_click_checks_is_refused_in_vietnamese(args: list[str], said: str) -> None:
    code, err = run(*args)
    assert code == 2
    assert err.splitlines()[0] == said


@pytest.mark.parametrize("command", ["aggregate", "validate", "status", "demo"])
def test_every_command_that_reads_in_parallel_defaults_to_two_workers(command: str) -> None:
    (workers,) = [
        p for p in main.get_command(click.Context(main), command).params if p.name == "workers"
    ]  # type: ignore[union-attr]
    assert workers.default == 2


def test_help_imports_neither_mail_nor_templates_nor_rules() -> None:
    """`--help` lists every command: none may pull in smtplib, ssl, email, Jinja2 or the
    rule-sets (42 of its 96 ms went to the mail module's imports)."""
    for args in (["--help"], ["mail", "--help"], ["rules", "--help"], ["aggregate", "--help"]):
        done = subprocess.run(
            [sys.executable, "-X", "importtime", "-m", "toolkit", *args],
            capture_output=True,
            check=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        imported = {
            line.split("|")[-1].strip()
            for line in done.stderr.decode("utf-8").splitlines()
            if line.startswith("import time:")
        }
        heavy = sorted(
            name
            for name in imported
            if name.split(".")[0] in ("smtplib", "ssl", "email", "jinja2", "openpyxl", "xlsxwriter")
            or name.startswith(("toolkit.mail", "toolkit.rulebook", "toolkit.outputs"))
        )
        assert heavy == [], args
