"""What reaches a terminal or a page: control and direction characters from file names, names
and values are shown as escapes, never acted on — in every console view and in the report."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from bad_inputs.clean import roster
from builders import lien_chieu
from click.testing import CliRunner
from test_mail_support import CellSpec, build_out, write_config
from test_outputs_summary import digest_of

from toolkit.aggregate import AggregateRun
from toolkit.cli import main
from toolkit.outputs.report_html import render_report
from toolkit.run_summary import run_summary
from toolkit.visible import visible
from toolkit.workbooks.generate import write_roster

ESCAPES = [
    ("Nguyễn Thị Hoa — Chi bộ Liên Chiểu", "Nguyễn Thị Hoa — Chi bộ Liên Chiểu"),
    ("CB01\nLỗi giả", "CB01\\nLỗi giả"),
    ("a\r\nb\tc", "a\\r\\nb\\tc"),
    ("\x1b[2J\x1b[31mđỏ", "\\x1b[2J\\x1b[31mđỏ"),
    ("nul\x00 del\x7f", "nul\\x00 del\\x7f"),
    ("C1 \x85 \x9b", "C1 \\x85 \\x9b"),
    ("ho-so\u202exslx.exe", "ho-so\\u202exslx.exe"),
    ("\u202a\u202b\u202c\u202d", "\\u202a\\u202b\\u202c\\u202d"),
    ("\u2066\u2067\u2068\u2069", "\\u2066\\u2067\\u2068\\u2069"),
    ("\u200e\u200f\u061c", "\\u200e\\u200f\\u061c"),
    ("dòng\u2028đoạn\u2029", "dòng\\u2028đoạn\\u2029"),
    ("a\\nb", "a\\nb"),  # a backslash typed by a user stays as it is
]


@pytest.mark.parametrize(("text", "shown"), ESCAPES, ids=[repr(t)[:24] for t, _ in ESCAPES])
def test_visible_escapes_what_a_terminal_or_a_browser_would_act_on(text: str, shown: str) -> None:
    assert visible(text) == shown
    assert visible(shown) == shown  # what it shows has nothing left to hide
    assert shown.isprintable() or "\u202e" not in shown


NEWLINE_NAME = "CB01\nĐã kiểm tra 9 tệp: 9 hợp lệ, 0 có lỗi.xlsx"
RTL_NAME = "ho-so\u202exslx.exe"  # shown by a terminal as «ho-soexe.xlsx»
ESC_NAME = "bien-ban\x1b[2J.xlsx"  # would clear the screen


@pytest.fixture
def hostile_inbox(tmp_path: Path) -> Path:
    inbox = tmp_path / "hop-thu"
    inbox.mkdir()
    (inbox / NEWLINE_NAME).write_bytes(b"PK\x03\x04 broken")
    (inbox / RTL_NAME).write_bytes(b"MZ not a workbook")
    (inbox / ESC_NAME).write_bytes(b"PK\x03\x04 broken")
    return inbox


def test_validate_shows_hostile_file_names_escaped(hostile_inbox: Path) -> None:
    result = CliRunner().invoke(main, ["validate", str(hostile_inbox)])
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    # the newline did not forge a line of its own
    assert lines[0] == "Đã kiểm tra 3 tệp: 0 hợp lệ, 3 có lỗi · 3 lỗi, 0 cảnh báo."
    assert not any(line.startswith("Đã kiểm tra 9 tệp") for line in lines)
    assert "CB01\\nĐã kiểm tra 9 tệp: 9 hợp lệ, 0 có lỗi.xlsx: 1 lỗi, 0 cảnh báo" in lines
    assert "ho-so\\u202exslx.exe: 1 lỗi, 0 cảnh báo" in lines
    assert "bien-ban\\x1b[2J.xlsx: 1 lỗi, 0 cảnh báo" in lines
    assert all(line.isprintable() for line in lines)


def test_status_shows_hostile_file_names_escaped(hostile_inbox: Path, tmp_path: Path) -> None:
    write_roster(roster(), tmp_path / "danh-sach.xlsx")
    result = CliRunner().invoke(
        main,
        [
            "status",
            str(hostile_inbox),
            "--roster",
            str(tmp_path / "danh-sach.xlsx"),
            "--year",
            "2023",
        ],
    )
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    assert not any(line.startswith("Đã kiểm tra 9 tệp") for line in lines)
    assert any(line.startswith("  CB01\\nĐã kiểm tra 9 tệp") for line in lines), lines
    assert any(line.startswith("  ho-so\\u202exslx.exe") for line in lines), lines
    assert all(line.isprintable() for line in lines)


def test_mail_shows_names_and_addresses_escaped(tmp_path: Path) -> None:
    cells = [
        CellSpec("CB01", "Chi bộ A"),
        CellSpec("CB02", "Chi bộ\u202eB", secretary_name="Lê\x1b]0;pwned\x07 Văn"),
    ]
    out = build_out(tmp_path / "out", cells)
    config = write_config(tmp_path / "mail.toml", 2525)
    result = CliRunner().invoke(
        main, ["mail", str(out), "--config", str(config), "--dry-run", str(tmp_path / "eml")]
    )
    assert result.exit_code == 1, result.output
    assert all(line.isprintable() for line in result.stdout.splitlines())
    assert "Chi bộ\\u202eB" in result.stdout


def test_aggregate_summary_shows_cell_names_and_paths_escaped() -> None:
    case = lien_chieu()
    first, *others = case.result.missing
    hostile = dataclasses.replace(first, name="Chi bộ\nĐã tổng hợp 0 chi bộ\u202e")
    run = AggregateRun(
        # only the cell that sent nothing: the summary names it
        result=dataclasses.replace(
            case.result, cells=(), issues=(), quotas=(), rejected=(), missing=(hostile, *others)
        ),
        ruleset=case.ruleset,
        inputs=(),
        outputs=(Path("ket-qua/CB01\n.xlsx"),),
        out_dir=Path("ket-qua"),
    )
    text = run_summary(run, "vi")
    assert "Chi bộ\\nĐã tổng hợp 0 chi bộ\\u202e" in text
    assert "ket-qua/CB01\\n.xlsx" in text
    assert all(line.isprintable() for line in text.splitlines())


def test_the_report_shows_names_and_file_names_escaped() -> None:
    digest = digest_of(lien_chieu())
    cell = digest.present_cells[0]
    named = cell._replace(name=f"Chi bộ {RTL_NAME}")
    issue = digest.issues[0]._replace(file=NEWLINE_NAME, value="\x1b[31m", unit_name="A\u2066B")
    hostile = dataclasses.replace(
        digest,
        cells=tuple(named if c is cell else c for c in digest.cells),
        issues=(issue, *digest.issues[1:]),
    )
    html = render_report(hostile)["bao-cao.html"]
    assert "\u202e" not in html and "\x1b" not in html and "\u2066" not in html
    assert "Chi bộ ho-so\\u202exslx.exe" in html
    assert "CB01\\nĐã kiểm tra 9 tệp" in html
    assert "\\x1b[31m" in html and "A\\u2066B" in html


def test_the_report_shows_a_decision_and_an_explanation_escaped() -> None:
    """The decision's number and a member's explanation (which quotes it, and the reason the
    competent level typed) come from a filled workbook: shown, never acted on."""
    digest = digest_of(lien_chieu())
    cell = digest.present_cells[0]
    first = digest.members[cell.code][0]
    member = first._replace(explanation=f"Cấp có thẩm quyền quyết định HTTNV ({RTL_NAME}).")
    hostile = dataclasses.replace(
        digest,
        members={**digest.members, cell.code: (member, *digest.members[cell.code][1:])},
        decision="Quyết định số 26\u202e-QĐ/ĐU",
    )
    pages = render_report(hostile, summary=True)
    for html in pages.values():
        assert "\u202e" not in html
    assert "Cấp có thẩm quyền quyết định HTTNV (ho-so\\u202exslx.exe)." in pages["bao-cao.html"]
    assert "Quyết định số 26\\u202e-QĐ/ĐU" in pages["bao-cao-tom-tat.html"]
