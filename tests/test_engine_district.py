"""The parent committee's view: every cell, the deciding quotas, the totals, the missing."""

from __future__ import annotations

import random
from collections import Counter

import pytest
from test_engine_builders import QD124, cell_return, many, not_rated, tree, unit

from toolkit.catalogue import make
from toolkit.demo.district import make_district
from toolkit.engine import rate_cell, rate_district
from toolkit.model import NotRatedReason, OrgKind, Severity
from toolkit.rulebook import load_ruleset

DB = unit("DB01", OrgKind.GRASSROOTS_COMMITTEE, "QU", "Đảng bộ phường Hòa Khánh")
A = unit("CB01", OrgKind.CELL, "DB01")
B = unit("CB02", OrgKind.CELL, "DB01")
C = unit("CB03", OrgKind.GRASSROOTS_CELL, "QU")


def test_cells_in_code_order_and_totals_summed() -> None:
    returns = [
        cell_return([*many("C", "HTTNV", 4), not_rated("CX", NotRatedReason.EXEMPT)], C),
        cell_return([*many("A", "HTXSNV", 1), *many("AT", "HTTNV", 6)], A),
        cell_return([*many("B", "HTNV", 2), *many("BT", "HTTNV", 3)], B),
    ]
    result = rate_district(returns, tree(DB, A, B, C), QD124, year=2024)
    assert [c.cell.code for c in result.cells] == ["CB01", "CB02", "CB03"]
    assert (result.year, result.ruleset_code) == (2024, "QD124")
    assert result.counts.levels == (1, 13, 2, 0)
    assert result.counts.roster == 17 and result.counts.rated == 16
    assert result.counts.not_rated[NotRatedReason.EXEMPT] == 1
    # the deciding scopes: the đảng bộ cơ sở and the chi bộ cơ sở
    assert [q.scope_code for q in result.quotas] == ["CB03", "DB01"]
    assert all(q.deciding for q in result.quotas)


def test_a_cell_rated_before_is_taken_only_for_the_very_same_return() -> None:
    """``aggregate`` rates a cell as soon as its files are in; a later file may change it."""
    returns = [cell_return(many("A", "HTXSNV", 3), A), cell_return(many("B", "HTTNV", 4), B)]
    the_tree = tree(DB, A, B, C)
    fresh = rate_district(returns, the_tree, QD124, year=2024)
    early_a = rate_cell(returns[0], QD124, year=2024, tree=the_tree)
    # what CB02's return looked like before a corrected file replaced it
    stale = cell_return(many("B", "HTNV", 4), B)
    early_b = rate_cell(stale, QD124, year=2024, tree=the_tree)
    rated = {"CB01": (returns[0], early_a), "CB02": (stale, early_b)}

    result = rate_district(returns, the_tree, QD124, year=2024, rated=rated)

    assert result.cells[0] is early_a
    assert result.cells[1] is not early_b and result.cells[1].counts.levels == (0, 4, 0, 0)
    assert result == fresh


def test_missing_cells_are_listed_and_their_scope_flagged() -> None:
    returns = [cell_return(many("A", "HTTNV", 5), A)]
    result = rate_district(returns, tree(DB, A, B, C), QD124, year=2024, missing=[C, B])
    assert [u.code for u in result.missing] == ["CB02", "CB03"]
    assert [(i.code, i.unit_code, i.severity) for i in result.issues] == [
        ("quota-scope-incomplete", "DB01", Severity.WARNING)
    ]
    assert "1 chi bộ (CB02)" in result.issues[0].message


def test_rejected_cells_are_listed_not_rated_and_leave_their_scope_incomplete() -> None:
    """A cell whose files have errors sent something, but nothing the engine may trust."""
    returns = [cell_return([*many("A", "HTXSNV", 1), *many("AT", "HTTNV", 5)], A)]
    result = rate_district(returns, tree(DB, A, B, C), QD124, year=2024, rejected=[C, B])
    assert [u.code for u in result.rejected] == ["CB02", "CB03"]
    assert [c.cell.code for c in result.cells] == ["CB01"]  # not rated
    assert result.missing == ()
    assert result.counts.roster == 6  # not in the totals either
    (incomplete,) = [i for i in result.issues if i.code == "quota-scope-incomplete"]
    # CB03 is a chi bộ cơ sở: it is its own scope, not part of the đảng bộ's
    assert (incomplete.unit_code, incomplete.value) == ("DB01", "1")
    assert "1 chi bộ (CB02)" in incomplete.message


def test_missing_and_rejected_cells_of_one_scope_are_named_together() -> None:
    D = unit("CB04", OrgKind.CELL, "DB01")
    returns = [cell_return(many("A", "HTTNV", 5), A)]
    result = rate_district(returns, tree(DB, A, B, D), QD124, year=2024, missing=[D], rejected=[B])
    (incomplete,) = [i for i in result.issues if i.code == "quota-scope-incomplete"]
    assert "2 chi bộ (CB02, CB04)" in incomplete.message
    assert [u.code for u in result.missing] == ["CB04"]
    assert [u.code for u in result.rejected] == ["CB02"]


def test_a_complete_scope_is_not_flagged() -> None:
    returns = [cell_return(many("A", "HTTNV", 5), A), cell_return(many("B", "HTTNV", 4), B)]
    result = rate_district(returns, tree(DB, A, B, C), QD124, year=2024, rejected=[C])
    assert "quota-scope-incomplete" not in {i.code for i in result.issues}
    assert [u.code for u in result.rejected] == ["CB03"]


def test_a_cell_both_returned_and_rejected_is_a_programming_error() -> None:
    ret = cell_return(many("A", "HTTNV", 3), A)
    with pytest.raises(ValueError, match="CB01"):
        rate_district([ret], tree(DB, A), QD124, year=2024, rejected=[A])


def test_issues_found_before_rating_come_first() -> None:
    earlier = make("input-not-readable", reason="tệp bị khóa")
    returns = [cell_return([*many("A", "HTXSNV", 3), *many("AT", "HTTNV", 5)], A)]
    result = rate_district(returns, tree(DB, A), QD124, year=2024, issues=[earlier])
    assert [i.code for i in result.issues] == ["input-not-readable", "quota-exceeded"]


def test_two_returns_for_one_cell_are_a_programming_error() -> None:
    ret = cell_return(many("A", "HTTNV", 3), A)
    with pytest.raises(ValueError, match="CB01"):
        rate_district([ret, ret], tree(DB, A), QD124, year=2024)


@pytest.mark.parametrize("year", [2023, 2024, 2025])
def test_the_demo_district_shows_every_edge_case(year: int) -> None:
    demo = make_district(year, cells=30)
    rules = load_ruleset(year)
    missing = [demo.roster.tree.units[c] for c in demo.silent]
    result = rate_district(demo.returns, demo.roster.tree, rules, year=year, missing=missing)
    found = Counter(i.code for c in result.cells for i in c.all_issues)
    assert found["vote-tie"] >= 1
    assert found["vote-no-level-carried"] >= 1
    assert found["capped-by-discipline"] == 1
    assert [u.code for u in result.missing] == list(demo.silent)
    assert result.counts.roster == sum(len(r.members) for r in demo.returns)
    # every member has an explanation in both languages
    for c in result.cells:
        for m in c.members:
            assert m.explanation and m.explanation_en
            assert "\n" not in m.explanation + m.explanation_en  # one line each
            assert all(i.unit_code == c.cell.code for i in m.issues)


def test_results_do_not_depend_on_the_order_of_cells_or_members() -> None:
    demo = make_district(2024, cells=12)
    rules = load_ruleset(2024)
    first = rate_district(demo.returns, demo.roster.tree, rules, year=2024)
    rng = random.Random(7)
    shuffled = []
    for ret in demo.returns:
        members = list(ret.members)
        rng.shuffle(members)
        shuffled.append(type(ret)(**{**ret.__dict__, "members": tuple(members)}))
    rng.shuffle(shuffled)
    second = rate_district(shuffled, demo.roster.tree, rules, year=2024)
    assert first.counts == second.counts
    assert first.quotas == second.quotas
    assert first.issues == second.issues
    for a, b in zip(first.cells, second.cells, strict=True):
        assert a.cell == b.cell and a.counts == b.counts and a.quota == b.quota
        assert a.issues == b.issues
        by_id = {m.member.member_id: m for m in b.members}
        assert all(by_id[m.member.member_id] == m for m in a.members)
