"""The HTXSNV quota (R8–R10): the real cases of domain.md §8, scopes, ranking, ceilings."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_engine_builders import (
    MEETING_DAY_2026,
    QD124,
    QD366,
    cell_return,
    entry,
    many,
    not_rated,
    rules_with,
    tree,
    unit,
)

from toolkit.engine import rate_cell, rate_district
from toolkit.errors import ConfigError
from toolkit.model import LEVELS, NotRatedReason, OrgKind, Severity
from toolkit.rulebook import QuotaRounding, QuotaRule, QuotaScope, load_ruleset

HTXS, HTT, HT, KHT = LEVELS
E, W = Severity.ERROR, Severity.WARNING
DB = unit("DB01", OrgKind.GRASSROOTS_COMMITTEE, "QU", "Đảng bộ phường Phúc Đồng")


def quota_codes(issues: tuple[object, ...] | list[object]) -> list[tuple[str, Severity]]:
    return [(i.code, i.severity) for i in issues if i.code.startswith("quota-")]  # type: ignore[attr-defined]


# ---------------------------------------------------------------------------------------------
# domain.md §8


def test_hoa_huong_duong_2_of_8_is_a_warning_at_a_cell_under_a_dang_bo_co_so() -> None:
    # MN Hoa Hướng Dương 2021: 10 official members rated 2 HTXSNV + 8 HTTNV, the probationary
    # member not rated; the quota scope is the Đảng bộ phường, so the cell's 25% is advisory
    cell = unit("CB01", OrgKind.CELL, "DB01", "Chi bộ Trường Mầm non Hoa Hướng Dương")
    ret = cell_return(
        [
            *many("X", "HTXSNV", 2),
            *many("T", "HTTNV", 8),
            not_rated("P1", NotRatedReason.NEW_MEMBER),
        ],
        cell,
        official_total=10,
    )
    result = rate_cell(ret, QD124, year=2024, tree=tree(DB, cell))
    q = result.quota
    assert (q.n_htxsnv, q.n_httnv, q.ceiling, q.over) == (2, 8, 1, 1)
    assert q.ratio == Fraction(1, 4) and not q.deciding
    assert quota_codes(result.issues) == [("quota-exceeded-advisory", W)]
    assert not result.has_errors
    assert "Đảng bộ phường Phúc Đồng (DB01)" in result.issues[0].message
    # the đảng bộ decides over all its cells: with a sibling cell of 10 HTTNV it is within 3
    sibling = unit("CB02", OrgKind.CELL, "DB01")
    other = cell_return(many("S", "HTTNV", 10), sibling)
    district = rate_district([ret, other], tree(DB, cell, sibling), QD124, year=2024)
    committee = next(q for q in district.quotas if q.scope_code == "DB01")
    assert (committee.n_htxsnv, committee.n_httnv, committee.ceiling) == (2, 18, 3)
    assert committee.deciding and committee.severity is E
    assert quota_codes(district.issues) == []


def test_son_ca_4_of_18_is_a_warning_too() -> None:
    cell = unit("CB01", OrgKind.CELL, "DB01", "Chi bộ Trường Mầm non Sơn Ca")
    ret = cell_return([*many("X", "HTXSNV", 4), *many("T", "HTTNV", 18)], cell)
    result = rate_cell(ret, QD124, year=2024, tree=tree(DB, cell))
    assert (result.quota.n_htxsnv, result.quota.n_httnv, result.quota.ceiling) == (4, 18, 3)
    assert quota_codes(result.issues) == [("quota-exceeded-advisory", W)]


@pytest.mark.parametrize("kind", [OrgKind.GRASSROOTS_CELL, OrgKind.CELL])
def test_hoa_thuy_tien_2_of_10_passes_exactly_at_the_ceiling(kind: OrgKind) -> None:
    # MN Hoa Thủy Tiên 2024: 12 members (11 official, 1 probationary who is rated), secret
    # ballot on 25/11/2024, the cell HTTNV with 100% agreement; 2 HTXSNV of 10 HTTNV = 20%
    cell = unit("CB01", kind, "QU" if kind is OrgKind.GRASSROOTS_CELL else "DB01")
    ret = cell_return(
        [
            *many("X", "HTXSNV", 2),
            *many("T", "HTTNV", 9),
            entry("P1", "HTTNV", probationary=True, admitted=date(2023, 12, 1)),
        ],
        cell,
        cell_votes=(0, 11, 0, 0),
    )
    result = rate_cell(ret, QD124, year=2024, tree=tree(DB, cell))
    assert (result.quota.n_htxsnv, result.quota.n_httnv, result.quota.ceiling) == (2, 10, 2)
    assert result.quota.over == 0
    assert result.proposed_level is HTT
    assert result.all_issues == ()
    assert result.counts.rated == 12 and result.counts.count(HTT) == 10


def test_the_ceiling_counts_httnv_only_not_httnv_and_above() -> None:
    # 2 HTXSNV, 9 HTTNV, 5 HTNV: floor(20% × 9) = 1, although "HTTNV and above" would give 2
    ret = cell_return([*many("X", "HTXSNV", 2), *many("T", "HTTNV", 9), *many("H", "HTNV", 5)])
    result = rate_cell(ret, QD124, year=2024, tree=tree(unit()))
    assert result.quota.ceiling == 1 and result.quota.deciding
    assert quota_codes(result.issues) == [("quota-exceeded", E)]
    assert "vượt trần 1 (20% của 9 HTTNV) 1 người" in result.issues[0].message


def test_dong_thap_ratio_column() -> None:
    # Đồng Tháp 2012: HTXS was 16.19% of HTT
    ret = cell_return([*many("X", "HTXSNV", 17), *many("T", "HTTNV", 105)])
    assert rate_cell(ret, QD124, year=2024).quota.ratio == Fraction(17, 105)
    assert round(float(Fraction(17, 105)) * 100, 2) == 16.19


# ---------------------------------------------------------------------------------------------
# Scopes and decisions


def test_a_chi_bo_co_so_decides_its_own_quota() -> None:
    ret = cell_return([*many("X", "HTXSNV", 3), *many("T", "HTTNV", 10)])
    result = rate_cell(ret, QD124, year=2024, tree=tree(unit()))
    assert result.quota.deciding and result.quota.severity is E
    assert quota_codes(result.issues) == [("quota-exceeded", E)]
    # decided stays proposed: the higher committee settles the excess
    assert [m.decided_level for m in result.members] == [m.proposed_level for m in result.members]
    district = rate_district([ret], tree(unit()), QD124, year=2024)
    assert [q.scope_code for q in district.quotas] == ["CB01"]


def test_without_a_tree_the_cell_kind_decides_the_scope() -> None:
    ret = cell_return(
        [*many("X", "HTXSNV", 3), *many("T", "HTTNV", 10)], unit("CB01", OrgKind.CELL, "DB09")
    )
    result = rate_cell(ret, QD124, year=2024)
    assert not result.quota.deciding
    assert quota_codes(result.issues) == [("quota-exceeded-advisory", W)]


def test_cell_scope_makes_every_cell_decide() -> None:
    rules = rules_with(2024, '[rules.quota]\nscope = "cell"\n')
    cell = unit("CB01", OrgKind.CELL, "DB01")
    ret = cell_return([*many("X", "HTXSNV", 3), *many("T", "HTTNV", 10)], cell)
    result = rate_cell(ret, rules, year=2024, tree=tree(DB, cell))
    assert result.quota.deciding
    assert quota_codes(result.issues) == [("quota-exceeded", E)]
    district = rate_district([ret], tree(DB, cell), rules, year=2024)
    assert [q.scope_code for q in district.quotas] == ["CB01"]


def test_the_cell_severity_is_configurable() -> None:
    rules = rules_with(2024, '[rules.quota]\ncell_severity = "error"\n')
    cell = unit("CB01", OrgKind.CELL, "DB01")
    ret = cell_return([*many("X", "HTXSNV", 3), *many("T", "HTTNV", 10)], cell)
    result = rate_cell(ret, rules, year=2024, tree=tree(DB, cell))
    assert quota_codes(result.issues) == [("quota-exceeded-advisory", E)]


def test_the_dang_bo_co_so_total_is_enforced() -> None:
    a = unit("CB01", OrgKind.CELL, "DB01")
    b = unit("CB02", OrgKind.CELL, "DB01")
    ret_a = cell_return([*many("A", "HTXSNV", 2), *many("AT", "HTTNV", 6)], a)
    ret_b = cell_return([*many("B", "HTXSNV", 1), *many("BT", "HTTNV", 4)], b)
    district = rate_district([ret_b, ret_a], tree(DB, a, b), QD124, year=2024)
    committee = next(q for q in district.quotas if q.scope_code == "DB01")
    assert (committee.n_htxsnv, committee.n_httnv, committee.ceiling, committee.over) == (
        3,
        10,
        2,
        1,
    )
    assert quota_codes(district.issues) == [("quota-exceeded", E)]
    assert district.issues[0].unit_code == "DB01"
    assert {c.cell_code for c in committee.ranking} == {"CB01", "CB02"}
    # the cells' own quotas are advisory and not among the deciding ones
    assert [q.scope_code for q in district.quotas] == ["DB01"]


# ---------------------------------------------------------------------------------------------
# Ranking


def test_candidates_are_ranked_by_vote_share_then_score_then_member_id() -> None:
    ret = cell_return(
        [
            entry("M4", votes=(9, 1, 0, 0), self_score=95.0),
            entry("M3", votes=(10, 0, 0, 0), self_score=91.0),
            entry("M2", votes=(9, 1, 0, 0), self_score=97.0),
            entry("M1", votes=(9, 1, 0, 0)),
            entry("M0", votes=(9, 1, 0, 0)),
            *many("T", "HTTNV", 5),
        ],
        cell_score=92.0,
        cell_votes=(10, 0, 0, 0),
    )
    result = rate_cell(ret, QD366, year=2025)
    ranking = result.quota.ranking
    assert [c.member_id for c in ranking] == ["M3", "M2", "M4", "M0", "M1"]
    assert [c.within_ceiling for c in ranking] == [True, False, False, False, False]
    assert ranking[0].htxsnv_share == 1 and ranking[1].score == 97.0


def test_ranking_decides_who_keeps_htxsnv_where_the_rulebook_says_so() -> None:
    rules = rules_with(2024, '[rules.quota]\ndeciding = "ranking"\n')
    ret = cell_return(
        [
            entry("M1", votes=(10, 0, 0, 0)),
            entry("M2", votes=(8, 2, 0, 0)),
            entry("M3", votes=(9, 1, 0, 0)),
            *many("T", "HTTNV", 7),
        ]
    )
    result = rate_cell(ret, rules, year=2024, tree=tree(unit()))
    by_id = {m.member.member_id: m for m in result.members}
    # ceiling floor(20% × 7) = 1: M1 keeps HTXSNV, M3 and M2 are decided HTTNV
    assert by_id["M1"].decided_level is HTXS
    assert (by_id["M3"].proposed_level, by_id["M3"].decided_level) == (HTXS, HTT)
    assert (by_id["M2"].proposed_level, by_id["M2"].decided_level) == (HTXS, HTT)
    assert [i.code for i in by_id["M2"].issues] == ["quota-lowered-by-ranking"]
    assert by_id["M2"].explanation.endswith(
        "Cấp trên quyết định HTTNV: xếp thứ 3 trong số đề xuất HTXSNV của Chi bộ CB01 (CB01), "
        "ngoài trần 1 (20%)."
    )
    assert quota_codes(result.issues) == []
    # counts show the decided levels
    assert (result.counts.count(HTXS), result.counts.count(HTT)) == (1, 9)


def test_ranking_across_the_cells_of_a_dang_bo() -> None:
    rules = rules_with(2024, '[rules.quota]\ndeciding = "ranking"\n')
    a = unit("CB01", OrgKind.CELL, "DB01")
    b = unit("CB02", OrgKind.CELL, "DB01")
    ret_a = cell_return([entry("A1", votes=(6, 0, 0, 0)), *many("AT", "HTTNV", 5)], a)
    ret_b = cell_return([entry("B1", votes=(5, 1, 0, 0)), *many("BT", "HTTNV", 5)], b)
    district = rate_district([ret_a, ret_b], tree(DB, a, b), rules, year=2024)
    # 2 HTXSNV, 10 HTTNV: ceiling 2, nobody moves
    assert all(m.decided_level == m.proposed_level for c in district.cells for m in c.members)
    ret_b = cell_return([entry("B1", votes=(3, 1, 0, 0)), *many("BT", "HTTNV", 3)], b)
    district = rate_district([ret_a, ret_b], tree(DB, a, b), rules, year=2024)
    # 2 HTXSNV, 8 HTTNV: ceiling 1, B1 (3/4 against A1's 6/6) is decided HTTNV in CB02
    b1 = next(m for m in district.cells[1].members if m.member.member_id == "B1")
    assert b1.decided_level is HTT
    assert b1.issues[-1].unit_code == "CB02"
    assert district.cells[1].counts.count(HTXS) == 0
    assert district.counts.count(HTXS) == 1


def test_a_tie_at_the_ceiling_is_flagged_not_settled_by_member_id() -> None:
    rules = rules_with(2024, '[rules.quota]\ndeciding = "ranking"\n')
    ret = cell_return([*(entry(f"M{i}", "HTXSNV") for i in range(3)), *many("T", "HTTNV", 10)])
    result = rate_cell(ret, rules, year=2024, tree=tree(unit()))
    assert quota_codes(result.issues) == [("quota-ranking-tie", W)]
    assert "M0" in result.issues[-1].message and "M2" in result.issues[-1].message
    # with "error" the ranking decides nothing, so a tie in it is not worth a warning
    result = rate_cell(ret, QD124, year=2024, tree=tree(unit()))
    assert quota_codes(result.issues) == [("quota-exceeded", E)]


@given(st.integers(1, 10), st.integers(1, 10), st.integers(0, 500), st.integers(0, 20))
def test_the_ceiling_never_decreases_when_httnv_grows(
    num: int, den: int, n: int, more: int
) -> None:
    quota = QuotaRule(Fraction(min(num, den), den), QuotaScope.GRASSROOTS, W, "error", E)
    assert quota.ceiling(n) <= quota.ceiling(n + more)
    assert quota.ceiling(n) <= quota.ratio * n < quota.ceiling(n) + 1
    # half up: never more than half a person away from the exact share, never below floor
    half = QuotaRule(quota.ratio, QuotaScope.GRASSROOTS, W, "error", E, QuotaRounding.HALF_UP)
    assert half.ceiling(n) <= half.ceiling(n + more)
    assert abs(half.ceiling(n) - quota.ratio * n) <= Fraction(1, 2)
    assert quota.ceiling(n) <= half.ceiling(n) <= quota.ceiling(n) + 1


# ---------------------------------------------------------------------------------------------
# Local readings: rounding and the 25 % exception (QĐ 366 Điều 11.1, HD 03-HD/TVĐU)

HALF_UP = '[rules.quota]\nrounding = "half_up"\n'
GRANT = 'exception_scopes = [{ scope = "CB01", decision = "QĐ 15-QĐ/ĐU ngày 05/12/2026" }]\n'


@pytest.mark.parametrize(
    ("n_httnv", "override", "ceiling"),
    [
        (8, "", 1),  # 20 % × 8 = 1,6 → 1
        (8, HALF_UP, 2),  # HD 03-HD/TVĐU: "làm tròn từ 0,5 trở lên thành 1" → 2
        (10, "[rules.quota]\n" + GRANT, 2),  # 25 % × 10 = 2,5 → 2
        (10, HALF_UP + GRANT, 3),  # 2,5 → 3
        (7, HALF_UP, 1),  # 1,4 → 1
        (0, HALF_UP, 0),
        (10, "", 2),
    ],
)
def test_the_ceiling_rounds_as_the_rulebook_says(n_httnv: int, override: str, ceiling: int) -> None:
    rules = rules_with(2026, override) if override else load_ruleset(2026)
    assert rules.quota.ceiling(n_httnv, rules.quota.ratio_for("CB01")) == ceiling
    ret = cell_return(
        [*many("X", "HTXSNV", ceiling), *many("T", "HTTNV", n_httnv)], meeting_date=MEETING_DAY_2026
    )
    result = rate_cell(ret, rules, year=2026, tree=tree(unit()))
    assert result.quota.ceiling == ceiling and result.quota.over == 0


@pytest.mark.parametrize(
    ("override", "codes"),
    [
        # domain.md §8 example 1 (2 HTXSNV, 8 HTTNV) at a chi bộ cơ sở that decides
        ("", [("quota-exceeded", E)]),
        (HALF_UP, []),
    ],
)
def test_hoa_huong_duong_under_each_rounding(override: str, codes: list[object]) -> None:
    rules = rules_with(2026, override) if override else load_ruleset(2026)
    ret = cell_return(
        [*many("X", "HTXSNV", 2), *many("T", "HTTNV", 8)], meeting_date=MEETING_DAY_2026
    )
    result = rate_cell(ret, rules, year=2026, tree=tree(unit()))
    assert quota_codes(result.issues) == codes


def test_son_ca_4_of_18_is_within_a_half_up_ceiling() -> None:
    # domain.md §8 example 2: 20 % × 18 = 3,6 → 3 (floor, over by 1) or 4 (half up, within)
    ret = cell_return(
        [*many("X", "HTXSNV", 4), *many("T", "HTTNV", 18)], meeting_date=MEETING_DAY_2026
    )
    floor_result = rate_cell(ret, load_ruleset(2026), year=2026, tree=tree(unit()))
    half_up = rate_cell(ret, rules_with(2026, HALF_UP), year=2026, tree=tree(unit()))
    assert (floor_result.quota.ceiling, half_up.quota.ceiling) == (3, 4)
    assert (floor_result.quota.over, half_up.quota.over) == (1, 0)


def test_the_exception_is_named_in_the_ceiling_the_issue_and_the_explanation() -> None:
    rules = rules_with(2026, '[rules.quota]\ndeciding = "ranking"\n' + GRANT)
    ret = cell_return(
        [
            entry("M1", votes=(10, 3, 0, 0), self_score=95.0),
            entry("M2", votes=(9, 4, 0, 0), self_score=95.0),
            entry("M3", votes=(8, 5, 0, 0), self_score=95.0),
            *many("T", "HTTNV", 10, self_score=80.0),
        ],
        meeting_date=MEETING_DAY_2026,
    )
    result = rate_cell(ret, rules, year=2026, tree=tree(unit()))
    q = result.quota
    assert (q.ceiling, q.ceiling_ratio, q.exception) == (2, Fraction(1, 4), GRANTED)
    m3 = next(m for m in result.members if m.member.member_id == "M3")
    assert m3.decided_level is HTT
    assert m3.explanation.endswith(
        "ngoài trần 2 (25% được cho phép theo QĐ 15-QĐ/ĐU ngày 05/12/2026 "
        "(QĐ 366-QĐ/TW Điều 11 khoản 1))."
    )
    # without ranking, the excess is an issue that says the same
    rules = rules_with(2026, "[rules.quota]\n" + GRANT)
    result = rate_cell(ret, rules, year=2026, tree=tree(unit()))
    assert quota_codes(result.issues) == [("quota-exceeded", E)]
    exceeded = next(i for i in result.issues if i.code == "quota-exceeded")
    assert f"vượt trần 2 (25% được cho phép theo {GRANTED}" in exceeded.message
    # a scope without the grant keeps 20 %
    assert rules.quota.ratio_for("CB02") == Fraction(1, 5)


GRANTED = "QĐ 15-QĐ/ĐU ngày 05/12/2026"


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('exception_scopes = [{ scope = "DB01" }]\n', "mỗi mục là"),
        ('exception_scopes = [{ scope = "DB01", decision = "" }]\n', "mỗi mục là"),
        ('exception_scopes = ["DB01"]\n', "mỗi mục là"),
        (
            'exception_scopes = [{ scope = "DB01", decision = "a" }, '
            '{ scope = "DB01", decision = "b" }]\n',
            "được ghi hai lần",
        ),
        ('rounding = "ceil"\n', "floor, half_up"),
    ],
)
def test_a_malformed_exception_or_rounding_is_a_configuration_error(
    toml: str, message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        rules_with(2026, "[rules.quota]\n" + toml)


def test_the_exception_for_a_scope_that_does_not_exist_is_a_configuration_error() -> None:
    rules = rules_with(2026, "[rules.quota]\n" + GRANT.replace("CB01", "CB99"))
    rules.check_scopes({"CB99": unit("CB99")})  # granted to a scope on the roster: fine
    with pytest.raises(ConfigError, match="«CB99»"):
        rules.check_scopes(tree(unit()).units)


def test_the_ratio_of_good_is_reported_beside_the_ceilings_ratio() -> None:
    # Đồng Tháp 2012 as a local summary form prints it: HTXS 13 %, HTT 80,42 % of rated
    ret = cell_return([*many("X", "HTXSNV", 1300), *many("T", "HTTNV", 8042)])
    q = rate_cell(ret, QD124, year=2024).quota
    assert round(float(q.ratio or 0) * 100, 2) == 16.17  # HTXSNV ÷ HTTNV: the ceiling's
    assert round(float(q.ratio_of_good or 0) * 100, 2) == 13.92  # ÷ (HTXSNV + HTTNV)
