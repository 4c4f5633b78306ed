"""The roll-up's outputs in LibreOffice: tong-hop.xlsx with every formula recalculated (the
"Tổng cộng" rows and both ratios come out as ket-qua.json says), and the report body
van-ban/bao-cao-tong-hop.docx printed to PDF and read back as text: it says what ket-qua.json
says."""

from __future__ import annotations

import json
import subprocess
from fractions import Fraction
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from libreoffice import convert, resave

from toolkit.outputs.numbers import format_int, format_percent
from toolkit.outputs.paths import DOCS_ROLLUP_SUMMARY
from toolkit.rollup.xlsx import SHEET_COMMITTEES, SHEET_ISSUES, SHEET_SUMMARY


@pytest.fixture(scope="module")
def upper(demo_district: Path) -> Path:
    """The demo's roll-up of two committees (cap-tren/), made once for the session."""
    return demo_district / "cap-tren"


def test_libreoffice_recalculates_the_totals_to_the_same_numbers(
    upper: Path, tmp_path: Path
) -> None:
    doc = json.loads((upper / "ket-qua.json").read_text(encoding="utf-8"))
    folder, _ = resave([upper / "tong-hop.xlsx"], tmp_path, recalculate=True)
    book = openpyxl.load_workbook(folder / "tong-hop.xlsx", data_only=True)
    assert book.sheetnames[:2] == [SHEET_SUMMARY, SHEET_COMMITTEES]
    rows = [r for r in book[SHEET_SUMMARY].iter_rows(values_only=True) if r[1] == "Tổng cộng"]
    assert len(rows) == len(doc["summary"]) == 3  # the demo records subject types
    for row, table in zip(rows, doc["summary"], strict=True):
        t = table["total"]
        assert list(row[2:8]) == [t["total"], *t["levels"].values(), t["unrated"]]
        assert row[8] == pytest.approx(t["htxsnv_over_httnv"], abs=1e-6)
        assert row[9] == pytest.approx(t["htxsnv_over_htxsnv_httnv"], abs=1e-6)
    numbers = [r for r in book[SHEET_SUMMARY].iter_rows(values_only=True) if r[0] == "(1)"]
    assert [list(r[:11]) for r in numbers] == [[f"({n})" for n in range(1, 12)]] * 3
    committees = list(book[SHEET_COMMITTEES].iter_rows(min_row=5, values_only=True))
    assert [r[1] for r in committees if r[1]] == [c["code"] for c in doc["committees"]]
    # a long message gets a row as high as its lines (LibreOffice keeps what was written)
    issues = book[SHEET_ISSUES]
    long = [r[0].row for r in issues.iter_rows(min_row=5) if len(str(r[7].value or "")) > 100]
    assert long, "the demo's roll-up has warnings with long messages"
    assert all((issues.row_dimensions[n].height or 0) >= 30 for n in long)


# --- the report body (.docx) ---------------------------------------------------------------


@pytest.fixture(scope="module")
def doc(upper: Path) -> Any:
    return json.loads((upper / "ket-qua.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def printed(upper: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The report as LibreOffice prints it, read by pdftotext keeping the layout."""
    folder = tmp_path_factory.mktemp("pdf")
    pdfs, _ = convert([upper / DOCS_ROLLUP_SUMMARY], folder, "pdf")
    pdf = pdfs / "bao-cao-tong-hop.pdf"
    done = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True, text=True
    )
    return done.stdout


def _percent(value: str | None) -> str:
    if value is None:
        return ""
    numerator, denominator = map(int, value.split("/"))
    return format_percent(Fraction(numerator, denominator)).replace(" ", "")


def _expected(row: dict[str, Any]) -> list[str]:
    """A summary row's figures as the report writes them, left to right."""
    numbers = [row["total"], *row["levels"].values(), row["unrated"]]
    shares = [row["htxsnv_over_httnv_exact"], row["htxsnv_over_htxsnv_httnv_exact"]]
    return [*(format_int(n) for n in numbers), *(s for s in map(_percent, shares) if s)]


def test_the_report_is_a_party_document_of_the_year(printed: str, doc: Any) -> None:
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in printed
    assert doc["parent"]["name"].upper() in printed
    assert "BÁO CÁO" in printed
    assert (
        f"Tổng hợp kết quả đánh giá, xếp loại chất lượng tổ chức đảng và đảng viên năm {doc['year']}"
        in printed
    )
    assert "T/M BAN THƯỜNG VỤ" in printed and "(Ký, ghi rõ họ tên)" in printed


def test_every_total_row_says_what_ket_qua_json_says(printed: str, doc: Any) -> None:
    totals = [
        line.split("Tổng cộng", 1)[1].split()
        for line in printed.splitlines()
        if "Tổng cộng" in line
    ]
    assert len(totals) == len(doc["summary"]) == 3
    for words, table in zip(totals, doc["summary"], strict=True):
        expected = _expected(table["total"])
        assert words[: len(expected)] == expected, table["form"]


def test_every_row_of_every_table_is_printed(printed: str, doc: Any) -> None:
    lines = printed.splitlines()
    for n, table in enumerate(doc["summary"], start=1):
        caption = f"{n}. {table['title']} (Mẫu {table['form']})"
        below = lines[next(i for i, line in enumerate(lines) if caption in line) :]
        for row in table["rows"]:
            # a long group's name wraps; its first words stand on the row's line
            head = " ".join(row["subject"].split()[:3])
            line = next(line for line in below if head in line)
            words = line.split(head, 1)[1].split()
            figures = [w for w in words if w[0].isdigit()]
            assert figures[: len(_expected(row))] == _expected(row), row["subject"]


def test_the_column_numbers_and_the_completeness(printed: str, doc: Any) -> None:
    numbered = [line.split() for line in printed.splitlines() if "(1)" in line and "(11)" in line]
    assert len(numbered) >= 3
    assert all(words == [f"({n})" for n in range(1, 12)] for words in numbered)
    flow = " ".join(printed.split())
    c = doc["completeness"]
    assert f"Tổ chức trực thuộc: {c['committees']}; đã gửi kết quả: {c['reported']}" in flow
    for line in doc["committees"]:
        assert f"{line['name']} ({line['code']})" in flow
    assert "Bảng theo đối tượng: mỗi đảng viên tính một lần" in flow


def test_the_page_is_a4_landscape_in_times_new_roman(upper: Path) -> None:
    document = docx.Document(str(upper / DOCS_ROLLUP_SUMMARY))
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (29.7, 21.0)
    assert document.styles["Normal"].font.name == "Times New Roman"
    assert len(document.tables) == 1 + 3 + 1  # letterhead, the three tables, signatures


def test_the_recipients_sit_on_the_left_and_the_signature_in_the_middle(upper: Path) -> None:
    document = docx.Document(str(upper / DOCS_ROLLUP_SUMMARY))
    recipients, signature = document.tables[-1].rows[0].cells
    assert recipients.paragraphs[0].text == "Nơi nhận:"
    assert {p.alignment for p in recipients.paragraphs} == {WD_ALIGN_PARAGRAPH.LEFT}
    assert signature.paragraphs[0].text == "T/M BAN THƯỜNG VỤ"
    assert {p.alignment for p in signature.paragraphs} == {WD_ALIGN_PARAGRAPH.CENTER}
