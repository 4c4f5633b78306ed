"""Vietnamese number, percent and date formatting, and safe file names for cell codes."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest

from toolkit.outputs.numbers import (
    format_date,
    format_decimal,
    format_int,
    format_percent,
    format_score,
    fraction_text,
    rounded,
)
from toolkit.outputs.paths import cell_file, safe_stem, unique_stems


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (0, "0"),
        (7, "7"),
        (999, "999"),
        (1234, "1.234"),
        (52000, "52.000"),
        (1234567, "1.234.567"),
        (-1234, "-1.234"),
    ],
)
def test_integers_group_thousands_with_a_dot(n: int, text: str) -> None:
    assert format_int(n) == text


@pytest.mark.parametrize(
    ("share", "text"),
    [
        (Fraction(1, 8), "12,5%"),  # exactly half-way stays exact
        (Fraction(1, 16), "6,3%"),  # 6.25 rounds half-up, not to even
        (Fraction(2, 8), "25,0%"),  # 2 HTXSNV of 8 HTTNV (domain.md §8 example 1)
        (Fraction(4, 18), "22,2%"),  # 4 of 18 (example 2)
        (Fraction(2, 10), "20,0%"),  # exactly at the ceiling (example 3)
        (Fraction(1, 3), "33,3%"),
        (Fraction(2, 3), "66,7%"),
        (Fraction(0), "0,0%"),
        (Fraction(1), "100,0%"),
        (0.125, "12,5%"),
        (0.1666666666666667, "16,7%"),
        (None, ""),
    ],
)
def test_percentages_use_a_decimal_comma_and_round_half_up(
    share: Fraction | float | None, text: str
) -> None:
    assert format_percent(share) == text


def test_percent_digits_and_large_decimals() -> None:
    assert format_percent(Fraction(1, 5), 0) == "20%"
    assert format_decimal(Fraction(123456789, 100), 2) == "1.234.567,89"
    assert format_decimal(-0.04, 1) == "0,0"  # no "-0,0"
    assert format_decimal(-1.25, 1) == "-1,3"


@pytest.mark.parametrize(
    ("score", "text"), [(92.5, "92,5"), (90.0, "90"), (None, ""), (49.96, "50,0")]
)
def test_scores(score: float | None, text: str) -> None:
    assert format_score(score) == text


def test_dates_are_day_month_year() -> None:
    assert format_date(dt.date(2023, 12, 18)) == "18/12/2023"
    assert format_date(None) == ""


def test_exact_fractions_and_rounded_floats_for_json() -> None:
    assert fraction_text(Fraction(6, 8)) == "3/4"
    assert fraction_text(None) is None
    assert rounded(Fraction(2, 3)) == 0.666667
    assert rounded(None) is None


@pytest.mark.parametrize(
    ("code", "stem"),
    [
        ("CB01", "CB01"),
        ("CB/01", "CB-01"),
        ("Chi bộ Trường THPT", "Chi-bo-Truong-THPT"),
        ("Đảng bộ: phường*5?", "Dang-bo-phuong-5"),
        ("..\\..\\etc", "etc"),
        ("CON", "CON_"),
        ("com1.x", "com1.x_"),
        ("", "chi-bo"),
        ("  CB\u00a0 07 ", "CB-07"),
    ],
)
def test_cell_codes_become_file_names_safe_everywhere(code: str, stem: str) -> None:
    assert safe_stem(code) == stem
    assert cell_file(safe_stem(code)) == f"chi-bo/{stem}.xlsx"


def test_codes_that_clash_get_distinct_names_whatever_their_order() -> None:
    codes = ["CB/01", "CB-01", "cb-01", "CB02"]
    stems = unique_stems(codes)
    assert stems == {"CB-01": "CB-01", "CB/01": "CB-01-2", "CB02": "CB02", "cb-01": "cb-01-3"}
    assert unique_stems(reversed(codes)) == stems
    assert len({s.casefold() for s in stems.values()}) == len(codes)
