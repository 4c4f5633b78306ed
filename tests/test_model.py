"""The domain model: rating levels read as secretaries type them, and nothing else (R1)."""

from __future__ import annotations

import unicodedata

import pytest

from toolkit.model import LEVELS, Meeting, NotRatedReason, RatingLevel, VoteTally

HTXS, HTT, HT, KHT = LEVELS


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


@pytest.mark.parametrize(
    ("typed", "level"),
    [
        # abbreviations, official and short
        ("HTXSNV", HTXS),
        ("HTXS", HTXS),
        ("HTTNV", HTT),
        ("HTT", HTT),
        ("HTNV", HT),
        ("HT", HT),
        ("KHTNV", KHT),
        ("KHT", KHT),
        # any case, extra spaces and dots
        ("htxsnv", HTXS),
        ("Httnv", HTT),
        ("  HTNV  ", HT),
        ("H.T.T.N.V", HTT),
        ("k h t n v", KHT),
        # full names, NFC and NFD, any case, no diacritics
        ("Hoàn thành xuất sắc nhiệm vụ", HTXS),
        ("Hoàn thành tốt nhiệm vụ", HTT),
        ("Hoàn thành nhiệm vụ", HT),
        ("Không hoàn thành nhiệm vụ", KHT),
        (nfd("Hoàn thành xuất sắc nhiệm vụ"), HTXS),
        (nfd("Không hoàn thành nhiệm vụ"), KHT),
        ("HOÀN THÀNH TỐT NHIỆM VỤ", HTT),
        ("hoàn   thành\u00a0tốt  nhiệm vụ", HTT),
        ("Hoan thanh tot nhiem vu", HTT),
        ("khong hoan thanh nhiem vu", KHT),
        ("hoàn thành nhiệm vụ.", HT),
    ],
)
def test_level_parse_accepts_what_secretaries_type(typed: str, level: RatingLevel) -> None:
    assert RatingLevel.parse(typed) is level


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "   ",
        None,
        "Xuất sắc",  # a criterion grade (R2), not a level
        "Tốt",
        "Trung bình",
        "Kém",
        "HTXSNV HTTNV",
        "Hoàn thành tốt",
        "Hoàn thành xuất sắc",
        "Đạt",
        "TSVM",  # the legacy "trong sạch vững mạnh" of organizations
        "HTNNV",
        "1",
        3,
        "Hoàn thành tốt nhiệm vụ xuất sắc",
    ],
)
def test_level_parse_rejects_everything_else(typed: object) -> None:
    with pytest.raises(ValueError, match="not a rating level"):
        RatingLevel.parse(typed)


def test_levels_are_ordered_from_the_top() -> None:
    assert LEVELS == (HTXS, HTT, HT, KHT)
    assert HTXS > HTT > HT > KHT
    assert min(HTT, KHT) is KHT and max(HT, HTXS) is HTXS
    assert [lv.rank for lv in LEVELS] == [3, 2, 1, 0]


def test_levels_have_their_official_names() -> None:
    assert [lv.full_name for lv in LEVELS] == [
        "Hoàn thành xuất sắc nhiệm vụ",
        "Hoàn thành tốt nhiệm vụ",
        "Hoàn thành nhiệm vụ",
        "Không hoàn thành nhiệm vụ",
    ]
    assert all(unicodedata.is_normalized("NFC", lv.full_name) for lv in LEVELS)


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("Miễn công tác và sinh hoạt đảng", NotRatedReason.EXEMPT),
        ("dinh_chi", NotRatedReason.SUSPENDED),
        ("KẾT NẠP CHƯA ĐỦ 6 THÁNG", NotRatedReason.NEW_MEMBER),
        ("vang mat, chua danh gia", NotRatedReason.ABSENT),
    ],
)
def test_not_rated_reasons_parse(typed: str, reason: NotRatedReason) -> None:
    assert NotRatedReason.parse(typed) is reason


def test_only_r3_reasons_forbid_a_rating() -> None:
    assert {r for r in NotRatedReason if r.must_not_be_rated} == {
        NotRatedReason.EXEMPT,
        NotRatedReason.SUSPENDED,
        NotRatedReason.NEW_MEMBER,
    }


def test_meeting_and_tally_arithmetic() -> None:
    assert Meeting(official_total=12, official_not_counted=2).convened_official_adjusted == 10
    tally = VoteTally("M1", (1, 7, 2, 0), blank=1)
    assert tally.total == 11 and tally.votes_for(HTT) == 7
