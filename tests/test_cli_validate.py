"""``xeploai validate``: summary by code, details by file, JSON, exit codes, the catalogue."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from bad_inputs.clean import cb01_filing, fill, roster, templates
from click.testing import CliRunner

from toolkit.catalogue import get
from toolkit.cli import main
from toolkit.workbooks.codes import CODES
from toolkit.workbooks.generate import write_roster

README = Path(__file__).resolve().parent.parent / "README.md"


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    return templates(tmp_path_factory.mktemp("templates"), roster())


@pytest.fixture
def inbox(made, tmp_path: Path) -> Path:
    folder = tmp_path / "hop-thu"
    fill(made["CB01", "self_assessment"], made["CB01", "ballot"], folder, cb01_filing())
    write_roster(roster(), tmp_path / "danh-sach.xlsx")
    return folder


def run(*args: str):
    return CliRunner().invoke(main, ["validate", *args])


def test_clean_files_exit_0(inbox: Path) -> None:
    roster_path = inbox.parent / "danh-sach.xlsx"
    result = run(str(inbox), "--roster", str(roster_path), "--year", "2023")
    assert result.exit_code == 0, result.output
    assert result.stdout == "Đã kiểm tra 3 tệp: 3 hợp lệ, 0 có lỗi · 0 lỗi, 0 cảnh báo.\n"


def test_problems_give_a_summary_by_code_then_details_by_file_and_exit_1(made, tmp_path) -> None:
    filing = cb01_filing().with_raw(
        {"Tự đánh giá!E6": "Tốt", "Tự đánh giá!E7": "Khá", "Tự đánh giá!L9": "4"},
        {"Kiểm phiếu!E5": "80.000"},
    )
    sa, bb = fill(made["CB01", "self_assessment"], made["CB01", "ballot"], tmp_path, filing)

    result = run(str(sa), str(bb))

    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == "Đã kiểm tra 2 tệp: 0 hợp lệ, 2 có lỗi · 3 lỗi, 1 cảnh báo."
    summary = lines[lines.index("Tóm tắt theo mã:") + 1 : lines.index("Chi tiết theo tệp:") - 1]
    assert [line.split()[:3] for line in summary] == [
        ["Lỗi", "not-a-number", "1"],
        ["Lỗi", "value-not-allowed", "2"],
        ["Cảnh", "báo", "number-as-text"],
    ]
    details = "\n".join(lines[lines.index("Chi tiết theo tệp:") :])
    assert (
        "  Lỗi       value-not-allowed  Tự đánh giá › E6 (ĐV DV002): Giá trị «Tốt» ở ô «Tự xếp "
        "loại» không hợp lệ; chỉ được chọn: Hoàn thành xuất sắc nhiệm vụ, Hoàn thành tốt nhiệm "
        "vụ, Hoàn thành nhiệm vụ, Không hoàn thành nhiệm vụ. Hãy chọn trong danh sách thả xuống."
    ) in details
    assert details.index("bien-ban.xlsx —") < details.index("tu-danh-gia.xlsx —")  # by name


def test_json_for_machines(made, tmp_path) -> None:
    filing = cb01_filing().with_raw({"Tự đánh giá!E6": "Tốt"})
    sa, _ = fill(made["CB01", "self_assessment"], made["CB01", "ballot"], tmp_path, filing)

    result = run(str(sa), "--format", "json")

    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["valid"] is False and data["errors"] == 1
    assert data["summary"] == [
        {"code": "value-not-allowed", "severity": "error", "count": 1,
         "title": "Giá trị không có trong danh sách", "title_en": "Value not in the allowed list"}
    ]  # fmt: skip
    (issue,) = data["files"][0]["issues"]
    assert (issue["sheet"], issue["cell"], issue["value"], issue["member_id"]) == (
        "Tự đánh giá", "E6", "Tốt", "DV002",
    )  # fmt: skip
    assert data["files"][0]["kind"] == "self_assessment"


def test_english_with_lang_en(made, tmp_path) -> None:
    filing = cb01_filing().with_raw({"Tự đánh giá!E6": "Tốt"})
    sa, _ = fill(made["CB01", "self_assessment"], made["CB01", "ballot"], tmp_path, filing)
    result = run(str(sa), "--lang", "en")
    assert (
        result.stdout.splitlines()[0]
        == "Checked 1 files: 0 valid, 1 with errors · 1 errors, 0 warnings."
    )
    assert 'Value "Tốt" in "Tự xếp loại" is not allowed' in result.stdout


def test_warnings_alone_exit_0_unless_strict(made, tmp_path) -> None:
    filing = cb01_filing().with_raw({"Tự đánh giá!L9": "4"})
    sa, _ = fill(made["CB01", "self_assessment"], made["CB01", "ballot"], tmp_path, filing)
    assert run(str(sa)).exit_code == 0
    assert run(str(sa), "--strict").exit_code == 1


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    missing = run(str(tmp_path / "khong-co.xlsx"))
    assert missing.exit_code == 2 and "không tìm thấy" in missing.stderr
    old_year = run(str(tmp_path), "--year", "2019")
    assert old_year.exit_code == 2
    assert old_year.stderr.startswith("Lỗi: Không có bộ quy tắc cho năm 2019")


def test_a_hostile_file_is_reported_not_raised(tmp_path: Path) -> None:
    (tmp_path / "x.xlsx").write_bytes(b"PK\x03\x04 broken")
    result = run(str(tmp_path / "x.xlsx"))
    assert result.exit_code == 1
    assert "corrupt-file" in result.stdout
    assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.mark.parametrize("code", CODES)
def test_every_workbook_code_has_a_description_and_is_in_the_readme(code: str) -> None:
    issue_type = get(code)
    assert issue_type.title and issue_type.title_en
    assert issue_type.message.rstrip().endswith(".") and issue_type.message_en.rstrip().endswith(
        "."
    )
    assert re.search(rf"`{re.escape(code)}`", README.read_text(encoding="utf-8")), code
