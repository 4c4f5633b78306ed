"""The rulebook: the year picks the rule-set, a district's file overrides it, mistakes are clear."""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from toolkit.errors import ConfigError
from toolkit.model import RatingLevel, Severity
from toolkit.rulebook import (
    ALWAYS_ON,
    Denominator,
    QuotaScope,
    RuleSet,
    load_ruleset,
    ruleset_code_for_year,
)

QD124 = load_ruleset(2024)
QD366 = load_ruleset(2025)


def override(tmp_path: Path, text: str, year: int = 2024) -> RuleSet:
    path = tmp_path / "dia-phuong.toml"
    path.write_text(text, encoding="utf-8")
    return load_ruleset(year, path)


def config_error(tmp_path: Path, text: str) -> str:
    with pytest.raises(ConfigError) as caught:
        override(tmp_path, text)
    message = str(caught.value)
    assert str(tmp_path / "dia-phuong.toml") in message, message
    return message


# ---------------------------------------------------------------------------------------------
# The year picks the rule-set


@pytest.mark.parametrize(
    ("year", "code"), [(2023, "QD124"), (2024, "QD124"), (2025, "QD366"), (2031, "QD366")]
)
def test_the_year_picks_the_ruleset(year: int, code: str) -> None:
    assert ruleset_code_for_year(year) == code
    assert load_ruleset(year).code == code


@pytest.mark.parametrize("year", [2018, 2022, 10000])
def test_a_year_without_a_ruleset_is_a_config_error(year: int) -> None:
    with pytest.raises(ConfigError, match=f"năm {year}"):
        load_ruleset(year)


def test_qd124_defaults() -> None:
    assert QD124.name.startswith("Quy định 124-QĐ/TW")
    vote = QD124.vote
    assert (vote.threshold, vote.denominator, vote.cumulative_downward) == (
        Fraction(1, 2),
        Denominator.CONVENED_OFFICIAL_ADJUSTED,
        True,
    )
    quota = QD124.quota
    assert (quota.ratio, quota.scope, quota.cell_severity, quota.deciding, quota.severity) == (
        Fraction(1, 5),
        QuotaScope.GRASSROOTS,
        Severity.WARNING,
        "error",
        Severity.ERROR,
    )
    assert QD124.quorum == Fraction(2, 3)
    assert not QD124.uses_scores and not QD124.scores_required
    assert QD124.meeting_deadline(2024) == date(2024, 12, 31)


def test_qd366_uses_the_100_point_scale() -> None:
    assert QD366.name.startswith("Quy định 366-QĐ/TW")
    assert QD366.uses_scores and QD366.scores_required
    assert [(b.level, b.lower, b.upper) for b in QD366.score_bands] == [
        (RatingLevel.HTXSNV, 90.0, None),
        (RatingLevel.HTTNV, 70.0, 90.0),
        (RatingLevel.HTNV, 50.0, 70.0),
        (RatingLevel.KHTNV, None, 50.0),
    ]


@pytest.mark.parametrize("ruleset", [QD124, QD366], ids=["QD124", "QD366"])
def test_every_rule_has_its_source_and_severity(ruleset: RuleSet) -> None:
    for rule in ruleset.rules.values():
        assert rule.title and rule.title_en and rule.clause
        assert rule.confidence in ("high", "medium", "low")
        assert rule.severity in (Severity.ERROR, Severity.WARNING)
    # what the 2025 texts changed: the sick-leave cap is gone (HD 43 §7.5), the conditions of
    # QĐ 366 Điều 11 are new
    assert set(QD124.rules) - set(QD366.rules) == {"sick-leave-cap"}
    assert set(QD366.rules) - set(QD124.rules) == {
        "leave-actual-work",
        "htxsnv-shortcomings",
        "khtnv-tasks-not-completed",
        "khtnv-low-confidence",
    }
    assert set(ruleset.rules) >= ALWAYS_ON


#: what an honest clause of a QD366 rule starts with: a 2025 text, the Party Charter (in force
#: whatever the year), or the words saying it is local practice
_HONEST_2025 = ("QĐ 366-QĐ/TW", "HD 43-HD/BTCTW", "Điều lệ Đảng", "Thực tiễn địa phương")


@pytest.mark.parametrize("code", sorted(QD366.rules))
def test_every_qd366_rule_cites_a_2025_clause_or_says_it_is_local_practice(code: str) -> None:
    assert QD366.rule(code).clause.startswith(_HONEST_2025), QD366.rule(code).clause


@pytest.mark.parametrize(
    ("year", "clause"),
    [
        (2024, "HD 21-HD/BTCTW (2019), chưa kiểm chứng lại trong HD 25-HD/BTCTW"),
        (2025, None),
        (2026, None),
    ],
)
def test_the_sick_leave_cap_is_a_qd124_rule_only(year: int, clause: str | None) -> None:
    rules = load_ruleset(year)
    cap = rules.rules.get("sick-leave-cap")
    assert (cap.clause if cap else None) == clause
    assert ("leave-actual-work" in rules.rules) is (clause is None)


@pytest.mark.parametrize(
    ("score", "level"),
    [
        (100, RatingLevel.HTXSNV),
        (90, RatingLevel.HTXSNV),
        (89.99, RatingLevel.HTTNV),
        (70, RatingLevel.HTTNV),
        (69.999, RatingLevel.HTNV),
        (50, RatingLevel.HTNV),
        (49.5, RatingLevel.KHTNV),
        (0, RatingLevel.KHTNV),
    ],
)
def test_band_boundaries_are_half_open(score: float, level: RatingLevel) -> None:
    band = QD366.band_for(score)
    assert band is not None and band.level is level


@pytest.mark.parametrize("ruleset", [QD124, QD366], ids=["QD124", "QD366"])
@given(score=st.floats(min_value=0, max_value=100))
def test_every_score_falls_in_exactly_one_band(ruleset: RuleSet, score: float) -> None:
    assert sum(1 for b in ruleset.score_bands if b.contains(score)) == 1


# ---------------------------------------------------------------------------------------------
# Overrides, one per kind of key


def test_fraction_overrides_as_text_or_number(tmp_path: Path) -> None:
    rules = override(tmp_path, '[rules.vote-majority]\nthreshold = "2/3"\n')
    assert rules.vote.threshold == Fraction(2, 3)
    rules = override(tmp_path, "[rules.quota]\nratio = 0.25\n[rules.quorum]\nmin_share = 0.5\n")
    assert rules.quota.ratio == Fraction(1, 4) and rules.quorum == Fraction(1, 2)
    assert rules.quota.ceiling(8) == 2


def test_choice_overrides(tmp_path: Path) -> None:
    rules = override(
        tmp_path,
        '[rules.vote-majority]\ndenominator = "valid_ballots"\n'
        '[rules.quota]\nscope = "cell"\ndeciding = "ranking"\ncell_severity = "error"\n',
    )
    assert rules.vote.denominator is Denominator.VALID_BALLOTS
    assert rules.quota.scope is QuotaScope.CELL
    assert (rules.quota.deciding, rules.quota.cell_severity) == ("ranking", Severity.ERROR)


def test_switch_number_severity_and_enabled_overrides(tmp_path: Path) -> None:
    rules = override(
        tmp_path,
        "[rules.vote-majority]\ncumulative_downward = false\n"
        '[rules.sick-leave-cap]\nmonths = 2.5\nseverity = "error"\n'
        "[rules.head-cap]\nenabled = false\n"
        "[rules.quorum]\nenabled = false\n",
    )
    assert rules.vote.cumulative_downward is False
    assert rules.rule("sick-leave-cap").params["months"] == 2.5
    assert rules.rule("sick-leave-cap").severity is Severity.ERROR
    assert not rules.enabled("head-cap") and rules.quorum is None
    assert rules.overrides_file == str(tmp_path / "dia-phuong.toml")
    assert "vote-majority.cumulative_downward = false" in rules.overrides
    assert 'sick-leave-cap.severity = "error"' in rules.overrides
    assert len(rules.overrides) == 5


def test_deadline_in_the_next_year(tmp_path: Path) -> None:
    rules = override(
        tmp_path, "[rules.meeting-date]\nnext_year = true\nlast_month = 1\nlast_day = 15\n"
    )
    assert rules.meeting_deadline(2024) == date(2025, 1, 15)


def test_score_bands_override(tmp_path: Path) -> None:
    rules = override(
        tmp_path,
        "[rules.score-bands]\nenabled = true\nbands = [\n"
        '  { level = "HTXSNV", from = 95 },\n'
        '  { level = "HTTNV", from = 80, below = 95 },\n'
        '  { level = "HTNV", from = 50, below = 80 },\n'
        '  { level = "KHTNV", below = 50 },\n]\n',
    )
    assert rules.uses_scores
    band = rules.band_for(90)
    assert band is not None and band.level is RatingLevel.HTTNV


def test_an_empty_override_file_changes_nothing(tmp_path: Path) -> None:
    rules = override(tmp_path, "# nothing yet\n")
    assert rules.rules == QD124.rules and rules.overrides == ()


def test_overrides_do_not_leak_into_other_loads(tmp_path: Path) -> None:
    override(tmp_path, "[rules.quota]\nratio = 0.5\n")
    assert load_ruleset(2024).quota.ratio == Fraction(1, 5)


# ---------------------------------------------------------------------------------------------
# Mistakes in an override file: a ConfigError naming the file and the key


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[rules.no-such-rule]\nx = 1\n", "không có quy tắc mã «no-such-rule»"),
        ("[rules.quota]\nceiling = 3\n", "'rules.quota.ceiling' không tồn tại"),
        ("[rules.quota]\ntitle = 'x'\n", "'rules.quota.title' không ghi đè được"),
        (
            "[rules.vote-majority]\nthreshold = true\n",
            "'rules.vote-majority.threshold' phải là một tỷ lệ",
        ),
        (
            "[rules.vote-majority]\nthreshold = 1.5\n",
            "'rules.vote-majority.threshold' phải là một tỷ lệ",
        ),
        ("[rules.vote-majority]\nthreshold = 'half'\n", "phải là một tỷ lệ"),
        ("[rules.vote-majority]\ncumulative_downward = 'yes'\n", "phải là true hoặc false"),
        (
            "[rules.vote-majority]\ndenominator = 1\n",
            "'rules.vote-majority.denominator' phải là chuỗi",
        ),
        (
            "[rules.vote-majority]\ndenominator = 'all_members'\n",
            "phải là một trong: convened_official_adjusted",
        ),
        (
            "[rules.quota]\nscope = 'district'\n",
            "'rules.quota.scope' phải là một trong: grassroots, cell",
        ),
        (
            "[rules.quota]\ndeciding = 'warn'\n",
            "'rules.quota.deciding' phải là một trong: error, ranking",
        ),
        (
            "[rules.quota]\nseverity = 'fatal'\n",
            '\'rules.quota.severity\' phải là "error" hoặc "warning"',
        ),
        ("[rules.quota]\nenabled = 'no'\n", "'rules.quota.enabled' phải là true hoặc false"),
        ("[rules.vote-majority]\nenabled = false\n", "là bắt buộc, không tắt được"),
        ("[rules.quota]\nenabled = false\n", "là bắt buộc, không tắt được"),
        (
            "[rules.sick-leave-cap]\nmonths = '3'\n",
            "'rules.sick-leave-cap.months' phải là một số từ 0 đến 12",
        ),
        ("[rules.sick-leave-cap]\nmonths = 13\n", "phải là một số từ 0 đến 12"),
        ("[rules.sick-leave-cap]\nmonths = -1\n", "phải là một số từ 0 đến 12"),
        ("[rules.not-rated]\nnew_member_months = 6.5\n", "phải là một số nguyên"),
        (
            "[rules.meeting-date]\nlast_month = 13\n",
            "'rules.meeting-date.last_month' phải là một số từ 1 đến 12",
        ),
        (
            "[rules.meeting-date]\nlast_month = 2\nlast_day = 30\n",
            "ngày 30/2 (last_day/last_month) không có thật",
        ),
        ("[rules.score-bands]\nbands = 'x'\n", "'rules.score-bands.bands' phải là một danh sách"),
        ("code = 'QD999'\n", "khóa 'code' không hợp lệ"),
        ("rules = 3\n", "'rules' phải là bảng"),
        ("[rules]\nquota = 3\n", "'rules.quota' phải là một bảng TOML"),
        ("[rules.quota\n", "sai cú pháp TOML"),
    ],
)
def test_override_mistakes(tmp_path: Path, text: str, expected: str) -> None:
    assert expected in config_error(tmp_path, text)


BAND = '{{ level = "{0}"{1}{2} }}'


def bands(*rows: tuple[str, float | None, float | None]) -> str:
    items = [
        BAND.format(
            level,
            f", from = {low}" if low is not None else "",
            f", below = {high}" if high is not None else "",
        )
        for level, low, high in rows
    ]
    return "[rules.score-bands]\nbands = [" + ", ".join(items) + "]\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # overlapping, a gap, not reaching 100, not starting at 0
        (
            bands(("HTXSNV", 85, None), ("HTTNV", 70, 90), ("HTNV", 50, 70), ("KHTNV", None, 50)),
            "không chồng lấn",
        ),
        (
            bands(("HTXSNV", 90, None), ("HTTNV", 75, 90), ("HTNV", 50, 70), ("KHTNV", None, 50)),
            "không hở",
        ),
        (
            bands(("HTXSNV", 90, 100), ("HTTNV", 70, 90), ("HTNV", 50, 70), ("KHTNV", None, 50)),
            "phủ cả thang điểm",
        ),
        (
            bands(("HTXSNV", 90, None), ("HTTNV", 70, 90), ("HTNV", 50, 70), ("KHTNV", 10, 50)),
            "phủ cả thang điểm",
        ),
        # the same level twice, an unknown level, levels upside down
        (bands(("HTXSNV", 90, None), ("HTXSNV", 70, 90), ("HTNV", None, 70)), "mỗi mức một khung"),
        (bands(("XUATSAC", 90, None), ("HTTNV", None, 90)), "mức 'XUATSAC' không phải"),
        (
            bands(("KHTNV", 90, None), ("HTTNV", 70, 90), ("HTNV", 50, 70), ("HTXSNV", None, 50)),
            "điểm cao hơn phải ứng với mức cao hơn",
        ),
        ('[rules.score-bands]\nbands = [{ level = "HTXSNV", from = "90" }]\n', "phải là số"),
        (
            '[rules.score-bands]\nbands = [{ level = "HTXSNV", upto = 90 }]\n',
            "chỉ gồm level, from, below",
        ),
        ("[rules.score-bands]\nbands = []\n", "phải là danh sách các khung"),
    ],
)
def test_score_band_mistakes(tmp_path: Path, text: str, expected: str) -> None:
    message = config_error(tmp_path, text)
    assert "'rules.score-bands'" in message and expected in message


def test_a_missing_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"Không tìm thấy tệp quy tắc .*khong-co\.toml"):
        load_ruleset(2024, tmp_path / "khong-co.toml")


def test_a_folder_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="là một thư mục"):
        load_ruleset(2024, tmp_path)


def test_a_file_that_is_not_utf8_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "dia-phuong.toml"
    path.write_bytes(
        "[rules.quota]\n# tỷ lệ\nratio = 0.2\n".encode("cp1258", errors="replace") + b"\xff\xfe"
    )
    with pytest.raises(ConfigError, match="không phải văn bản UTF-8"):
        load_ruleset(2024, path)
