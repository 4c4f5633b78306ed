"""``xeploai rules``: the active rulebook as text or JSON, with a district's overrides."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit.cli import main
from toolkit.rulebook import load_ruleset


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["rules", *args])
    return result.exit_code, result.stdout, result.stderr


def test_text_in_vietnamese_with_each_rules_source() -> None:
    code, out, err = run("--year", "2023")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == (
        "QD124 — Quy định 124-QĐ/TW ngày 04/10/2023 và Hướng dẫn 25-HD/BTCTW ngày 10/11/2023"
    )
    assert lines[1] == "Năm đánh giá 2023–2024"
    assert "[quota] Số HTXSNV không vượt quá 20% số HTTNV" in out
    assert (
        "    căn cứ: QĐ 124-QĐ/TW Điều 12 khoản 1; HD 21-HD/BTCTW · mức độ: lỗi · "
        "độ tin cậy: cao" in lines
    )
    assert "    scope = grassroots  (chọn: grassroots | cell)" in lines
    assert "[score-bands]" in out and "(tắt)" in out


@pytest.mark.parametrize(
    ("year", "present", "absent"),
    [
        # 2026: no leave cap; the leave rule cites HD 43 §7.5 (issue 11)
        (
            "2026",
            [
                "[leave-actual-work] Nghỉ ốm từ 3 tháng trở lên trong năm hoặc nghỉ thai sản: xếp "
                "loại căn cứ kết quả làm việc thực tế của năm, không giới hạn mức; số tháng nghỉ "
                "chỉ ghi để tham khảo",
                "    căn cứ: HD 43-HD/BTCTW mục 7.5 · mức độ: cảnh báo · độ tin cậy: cao",
                "    self_remedied = competent_level_decides  (chọn: competent_level_decides | "
                "exempt)",
            ],
            ["[sick-leave-cap]", "không xếp loại HTTNV trở lên"],
        ),
        # 2024: the cap stays, with where it comes from
        (
            "2024",
            [
                "    căn cứ: HD 21-HD/BTCTW (2019), chưa kiểm chứng lại trong HD 25-HD/BTCTW · "
                "mức độ: cảnh báo · độ tin cậy: trung bình",
            ],
            ["[leave-actual-work]", "[htxsnv-shortcomings]", "self_remedied"],
        ),
    ],
)
def test_the_leave_rule_of_each_year(year: str, present: list[str], absent: list[str]) -> None:
    code, out, err = run("--year", year)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert all(line in lines for line in present), out
    assert not any(text in out for text in absent)


def test_text_in_english() -> None:
    code, out, _ = run("--year", "2025", "--lang", "en")
    assert code == 0
    assert out.splitlines()[1] == "Rating years 2025 onwards"
    assert (
        "    bands = HTXSNV 90 or more; HTTNV 70 to under 90; HTNV 50 to under 70; KHTNV under 50"
        in out.splitlines()
    )
    assert "severity: warning" in out


def test_json() -> None:
    code, out, err = run("--year", "2025", "--format", "json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert (data["code"], data["years"], data["overrides_file"]) == ("QD366", [2025, 9999], None)
    rules = {r["code"]: r for r in data["rules"]}
    assert rules["vote-majority"]["params"]["threshold"] == "1/2"
    assert rules["vote-majority"]["choices"]["denominator"] == [
        "convened_official_adjusted",
        "present_official",
        "valid_ballots",
    ]
    assert rules["score-bands"]["enabled"] is True
    assert rules["quota"]["always_on"] is True and rules["head-cap"]["always_on"] is False
    assert set(rules) == set(load_ruleset(2025).rules)


def test_overrides_from_a_file(tmp_path: Path) -> None:
    local = tmp_path / "dia-phuong.toml"
    local.write_text(
        '[rules.vote-majority]\nthreshold = "2/3"\ncumulative_downward = false\n', encoding="utf-8"
    )
    code, out, _ = run("--year", "2024", "--rules", str(local), "--format", "json")
    data = json.loads(out)
    assert code == 0
    assert data["overrides_file"] == str(local)
    assert data["overrides"] == [
        'vote-majority.threshold = "2/3"',
        "vote-majority.cumulative_downward = false",
    ]
    vote = next(r for r in data["rules"] if r["code"] == "vote-majority")
    assert vote["params"]["threshold"] == "2/3" and vote["params"]["cumulative_downward"] is False
    code, out, _ = run("--year", "2024", "--rules", str(local))
    assert code == 0
    assert out.splitlines()[2] == (
        f'Ghi đè từ tệp {local}: vote-majority.threshold = "2/3"; '
        "vote-majority.cumulative_downward = false"
    )


def test_a_bad_override_file_exits_2_with_a_clear_message(tmp_path: Path) -> None:
    local = tmp_path / "dia-phuong.toml"
    local.write_text("[rules.quota]\nceiling = 3\n", encoding="utf-8")
    code, out, err = run("--year", "2024", "--rules", str(local))
    assert (code, out) == (2, "")
    assert err == (
        f"Lỗi: {local}: khóa 'rules.quota.ceiling' không tồn tại. Các khóa hợp lệ: "
        "cell_severity, deciding, enabled, ratio, rounding, scope, severity.\n"
    )


def test_broken_toml_exits_2(tmp_path: Path) -> None:
    local = tmp_path / "dia-phuong.toml"
    local.write_text("[rules.quota\nratio = 0.2\n", encoding="utf-8")
    code, out, err = run("--year", "2024", "--rules", str(local))
    assert (code, out) == (2, "")
    assert err.startswith(f"Lỗi: Tệp quy tắc {local} sai cú pháp TOML")
    assert "Traceback" not in err


def test_a_missing_override_file_is_a_usage_error(tmp_path: Path) -> None:
    code, out, err = run("--rules", str(tmp_path / "khong-co.toml"))
    assert (code, out) == (2, "")
    assert "khong-co.toml" in err and "không tìm thấy" in err


def test_a_year_without_a_ruleset_exits_2() -> None:
    code, out, err = run("--year", "2019")
    assert (code, out) == (2, "")
    assert err.startswith("Lỗi: Không có bộ quy tắc cho năm 2019")


def test_the_default_year_is_this_year() -> None:
    code, out, _ = run("--format", "json")
    assert code == 0
    assert json.loads(out)["code"] == load_ruleset(dt.date.today().year).code


# ---------------------------------------------------------------------------------------------
# The README section stays in step with the rulebook

README = Path(__file__).resolve().parent.parent / "README.md"


def rules_section() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("### `xeploai rules")
    return text[start : text.index("<!-- cmd:rules -->", start)]


def test_the_readme_example_override_file_loads(tmp_path: Path) -> None:
    section = rules_section()
    block = section.split("<!-- example:local-rules -->\n```toml\n", 1)[1].split("```", 1)[0]
    local = tmp_path / "dia-phuong.toml"
    local.write_text(block, encoding="utf-8")
    rules = load_ruleset(2024, local)
    assert rules.quota.deciding == "ranking"
    assert rules.meeting_deadline(2024) == dt.date(2025, 1, 15)


def test_the_readme_lists_every_overridable_key() -> None:
    section = rules_section()
    for ruleset in (load_ruleset(2024), load_ruleset(2025)):
        for rule in ruleset.rules.values():
            assert f"`{rule.code}`" in section, rule.code
            for key in rule.params:
                assert f"| `{rule.code}` | `{key}` |" in section, f"{rule.code}.{key}"


def test_the_local_readings_are_printed_first_with_their_defaults_and_sources(
    tmp_path: Path,
) -> None:
    local = tmp_path / "hd03.toml"
    local.write_text(
        '[rules.quota]\nrounding = "half_up"\n'
        'exception_scopes = [{ scope = "DB01", decision = "QĐ 15-QĐ/ĐU" }]\n',
        encoding="utf-8",
    )
    code, out, _ = run("--year", "2026", "--rules", str(local))
    assert code == 0
    head = out.split("\n\n")[1].splitlines()
    assert head == [
        "Cách hiểu theo địa phương (công tắc; căn cứ ghi ở từng quy tắc bên dưới):",
        "    vote-majority.preset = derived (mặc định)",
        "    quota.rounding = half_up (mặc định: floor)",
        "    quota.exception_scopes = DB01 (QĐ 15-QĐ/ĐU) (mặc định: —)",
        "    score-bands.direction = above (mặc định)",
        head[5],
    ]
    assert "HTXSNV ÷ (HTXSNV + HTTNV)" in head[5]
    # each switch cites its source under its rule
    assert "        căn cứ: Văn bản không nói cách làm tròn." in out
    assert "theo HD 03-HD/TVĐU (2026) (1,6 → 2)" in out
    code, out, _ = run("--year", "2026", "--rules", str(local), "--format", "json")
    switches = {s["name"]: s for s in json.loads(out)["switches"]}
    assert switches["quota.rounding"]["changed"] is True
    assert switches["score-bands.direction"] == {
        "name": "score-bands.direction",
        "value": "above",
        "default": "above",
        "changed": False,
        "clause": switches["score-bands.direction"]["clause"],
    }
