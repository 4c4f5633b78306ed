"""The vote on a member (R11–R14): denominator, threshold, cumulative counting, ties."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_engine_builders import QD124, cell_return, entry, many, rules_with

from toolkit.engine import rate_cell
from toolkit.engine.votes import count_vote, vote_denominator
from toolkit.model import LEVELS, Meeting, RatingLevel, Severity, VoteMethod, VoteTally
from toolkit.results import VoteOutcome
from toolkit.rulebook import Denominator, VoteRule

HTXS, HTT, HT, KHT = LEVELS
HALF_CUMULATIVE = VoteRule(
    Fraction(1, 2), Denominator.CONVENED_OFFICIAL_ADJUSTED, True, Severity.WARNING
)
HALF_PLAIN = VoteRule(
    Fraction(1, 2), Denominator.CONVENED_OFFICIAL_ADJUSTED, False, Severity.WARNING
)


def tally(*votes: int, blank: int = 0) -> VoteTally:
    assert len(votes) == 4
    return VoteTally("M1", (votes[0], votes[1], votes[2], votes[3]), blank)


@pytest.mark.parametrize(
    ("votes", "denominator", "rule", "outcome", "level"),
    [
        # strictly more than half: 7 of 12 carries, 6 of 12 does not
        ((0, 7, 5, 0), 12, HALF_PLAIN, VoteOutcome.CARRIED, HTT),
        ((0, 6, 6, 0), 12, HALF_PLAIN, VoteOutcome.TIE, None),
        ((0, 6, 4, 0), 12, HALF_PLAIN, VoteOutcome.NO_DECISION, None),
        ((12, 0, 0, 0), 12, HALF_PLAIN, VoteOutcome.CARRIED, HTXS),
        ((0, 0, 0, 7), 12, HALF_PLAIN, VoteOutcome.CARRIED, KHT),
        # cumulative from the top: 3 + 4 = 7 > 6 carries HTTNV
        ((3, 4, 2, 0), 12, HALF_CUMULATIVE, VoteOutcome.CARRIED_CUMULATIVE, HTT),
        ((3, 4, 2, 0), 12, HALF_PLAIN, VoteOutcome.NO_DECISION, None),
        # 1 + 2 + 4 = 7 at HTNV
        ((1, 2, 4, 3), 12, HALF_CUMULATIVE, VoteOutcome.CARRIED_CUMULATIVE, HT),
        # the top count shared by two levels is a tie even where cumulative would decide
        ((5, 5, 0, 0), 12, HALF_CUMULATIVE, VoteOutcome.TIE, None),
        ((2, 3, 3, 0), 12, HALF_CUMULATIVE, VoteOutcome.TIE, None),
        # blanks and absentees leave nothing to carry, even counting down
        ((2, 1, 1, 0), 12, HALF_CUMULATIVE, VoteOutcome.NO_DECISION, None),
        ((0, 0, 0, 0), 12, HALF_CUMULATIVE, VoteOutcome.NO_DECISION, None),
        # no denominator: nothing can carry
        ((3, 0, 0, 0), 0, HALF_CUMULATIVE, VoteOutcome.NO_DECISION, None),
    ],
)
def test_vote_outcome(
    votes: tuple[int, int, int, int],
    denominator: int,
    rule: VoteRule,
    outcome: VoteOutcome,
    level: RatingLevel | None,
) -> None:
    result = count_vote(tally(*votes), denominator, rule)
    assert result.outcome is outcome
    assert result.level is level
    assert result.outcome.needs_higher_committee is (
        outcome in (VoteOutcome.TIE, VoteOutcome.NO_DECISION)
    )


def test_cumulative_share_is_the_running_total() -> None:
    result = count_vote(tally(3, 4, 2, 0), 12, HALF_CUMULATIVE)
    assert result.cumulative_share == Fraction(7, 12)
    assert result.share_of(HTT) == Fraction(4, 12)


@pytest.mark.parametrize(
    ("threshold", "votes", "outcome", "level"),
    [
        # with a one-third threshold two levels can pass: the one with more votes carries
        (Fraction(1, 3), (6, 5, 1, 0), VoteOutcome.CARRIED, HTXS),
        (Fraction(1, 3), (5, 5, 2, 0), VoteOutcome.TIE, None),
        (Fraction(1, 3), (4, 5, 3, 0), VoteOutcome.CARRIED, HTT),
        # a two-thirds threshold: 8 of 12 is not more than 2/3, 9 is
        (Fraction(2, 3), (0, 8, 4, 0), VoteOutcome.NO_DECISION, None),
        (Fraction(2, 3), (0, 9, 3, 0), VoteOutcome.CARRIED, HTT),
    ],
)
def test_vote_threshold_from_the_rulebook(
    threshold: Fraction,
    votes: tuple[int, int, int, int],
    outcome: VoteOutcome,
    level: RatingLevel | None,
) -> None:
    rule = VoteRule(threshold, Denominator.CONVENED_OFFICIAL_ADJUSTED, False, Severity.WARNING)
    result = count_vote(tally(*votes), 12, rule)
    assert (result.outcome, result.level) == (outcome, level)


MEETING = Meeting(
    official_total=12,
    official_not_counted=1,
    present_official=9,
    ballots_valid=8,
)


@pytest.mark.parametrize(
    ("denominator", "expected"),
    [
        (Denominator.CONVENED_OFFICIAL_ADJUSTED, 11),
        (Denominator.PRESENT_OFFICIAL, 9),
        (Denominator.VALID_BALLOTS, 8),
    ],
)
def test_denominator_choices(denominator: Denominator, expected: int) -> None:
    assert vote_denominator(MEETING, denominator) == expected


SHOW_OF_HANDS = Meeting(
    official_total=12, official_not_counted=1, present_official=9, method=VoteMethod.SHOW_OF_HANDS
)


@pytest.mark.parametrize(
    ("denominator", "expected"),
    [
        (Denominator.CONVENED_OFFICIAL_ADJUSTED, 11),
        (Denominator.PRESENT_OFFICIAL, 9),
        # no ballots at a show of hands: each official member present is one "ballot"
        (Denominator.VALID_BALLOTS, 9),
    ],
)
def test_denominator_of_a_show_of_hands(denominator: Denominator, expected: int) -> None:
    assert vote_denominator(SHOW_OF_HANDS, denominator) == expected


def test_valid_ballots_at_a_show_of_hands_rates_the_members() -> None:
    rules = rules_with(2024, '[rules.vote-majority]\ndenominator = "valid_ballots"\n')
    ret = cell_return([entry("M1", votes=(0, 6, 3, 0))], official_total=10, present=9, valid=0)
    ret = replace(ret, meeting=replace(ret.meeting, method=VoteMethod.SHOW_OF_HANDS))
    result = rate_cell(ret, rules, year=2024)
    assert [i.code for i in result.issues if i.code == "vote-denominator-zero"] == []
    m1 = result.members[0]
    assert m1.vote is not None and m1.vote.denominator == 9
    assert m1.proposed_level is HTT


@pytest.mark.parametrize(
    ("denominator", "level"),
    [
        # 5 HTTNV votes: 5/11 is not a majority of those convened, 5/9 and 5/8 are
        ("convened_official_adjusted", None),
        ("present_official", HTT),
        ("valid_ballots", HTT),
    ],
)
def test_denominator_from_the_override_file_decides(
    denominator: str, level: RatingLevel | None
) -> None:
    rules = rules_with(
        2024, f'[rules.vote-majority]\ndenominator = "{denominator}"\ncumulative_downward = false\n'
    )
    ret = cell_return(
        [entry("M1", votes=(0, 5, 3, 0))],
        official_total=12,
        not_counted=1,
        present=9,
        valid=8,
    )
    result = rate_cell(ret, rules, year=2024).members[0]
    assert result.proposed_level is level


def test_probationary_members_never_count_in_the_denominator() -> None:
    # 10 official members and 3 probationary ones: 6 votes of 10 officials carry
    ret = cell_return(
        [
            *many("A", "HTTNV", 10),
            *many("P", "HTTNV", 3, probationary=True),
            entry("M1", votes=(0, 6, 4, 0)),
        ],
        official_total=10,
    )
    result = rate_cell(ret, QD124, year=2024)
    m1 = next(m for m in result.members if m.member.member_id == "M1")
    assert m1.vote is not None and m1.vote.denominator == 10
    assert m1.proposed_level is HTT


def test_tie_is_flagged_for_the_higher_committee_and_not_resolved() -> None:
    ret = cell_return([*many("A", "HTTNV", 9), entry("M1", votes=(4, 4, 1, 0))])
    result = rate_cell(ret, QD124, year=2024)
    m1 = next(m for m in result.members if m.member.member_id == "M1")
    assert m1.vote is not None and m1.vote.outcome is VoteOutcome.TIE
    assert m1.proposed_level is None and m1.decided_level is None
    assert m1.needs_higher_committee
    assert [(i.code, i.severity) for i in m1.issues] == [("vote-tie", Severity.WARNING)]
    assert "HTXSNV và HTTNV hòa phiếu (4/10)" in m1.issues[0].message
    assert m1.explanation.startswith("Chưa có mức đề xuất: HTXSNV và HTTNV hòa phiếu")
    assert result.counts.undecided == 1


def test_no_level_carried_is_flagged() -> None:
    ret = cell_return([*many("A", "HTTNV", 9), entry("M1", votes=(2, 2, 1, 0), blank=5)])
    result = rate_cell(ret, QD124, year=2024)
    m1 = next(m for m in result.members if m.member.member_id == "M1")
    # the top count 2 is shared: a tie, not "no decision"
    assert m1.vote is not None and m1.vote.outcome is VoteOutcome.TIE
    ret = cell_return([*many("A", "HTTNV", 9), entry("M1", votes=(3, 1, 0, 0), blank=6)])
    m1 = next(m for m in rate_cell(ret, QD124, year=2024).members if m.member.member_id == "M1")
    assert m1.vote is not None and m1.vote.outcome is VoteOutcome.NO_DECISION
    assert [i.code for i in m1.issues] == ["vote-no-level-carried"]
    assert m1.explanation == (
        "Chưa có mức đề xuất: không mức nào vượt ngưỡng 50%, kể cả khi cộng dồn "
        "(cao nhất HTXSNV 3/10 phiếu (30,0%) trên 10 đảng viên chính thức được triệu tập); "
        "báo cáo cấp ủy cấp trên xem xét."
    )


def test_a_zero_denominator_is_one_issue_for_the_cell() -> None:
    ret = cell_return(
        [entry("M1", votes=(0, 3, 0, 0)), entry("M2", votes=(0, 3, 0, 0))],
        official_total=0,
        present=0,
    )
    result = rate_cell(ret, QD124, year=2024)
    codes = [i.code for i in result.issues]
    assert codes.count("vote-denominator-zero") == 1
    assert all(m.proposed_level is None for m in result.members)
    assert all(not any(i.code.startswith("vote-") for i in m.issues) for m in result.members)


def test_more_votes_than_official_members_present_is_one_error() -> None:
    # a probationary member was handed a ballot: every tally has one vote too many
    entries = [entry(f"A{i}", votes=(0, 10, 0, 0), blank=1) for i in range(10)]
    result = rate_cell(cell_return(entries), QD124, year=2024)
    found = [i for i in result.issues if i.code == "votes-exceed-voters"]
    assert len(found) == 1 and found[0].severity is Severity.ERROR
    assert (
        "10 đảng viên" in found[0].message and "10 đảng viên chính thức có mặt" in found[0].message
    )
    assert "probationary-no-vote" in found[0].message


# ---------------------------------------------------------------------------------------------
# Properties


@st.composite
def votes_and_rule(draw: st.DrawFn) -> tuple[VoteTally, int, VoteRule]:
    votes = tuple(draw(st.integers(0, 40)) for _ in range(4))
    blank = draw(st.integers(0, 10))
    denominator = sum(votes) + blank + draw(st.integers(0, 10))
    threshold = Fraction(draw(st.integers(1, 9)), 10)
    rule = VoteRule(
        threshold, Denominator.CONVENED_OFFICIAL_ADJUSTED, draw(st.booleans()), Severity.WARNING
    )
    return VoteTally("M", (votes[0], votes[1], votes[2], votes[3]), blank), denominator, rule


@given(votes_and_rule())
def test_votes_are_conserved(case: tuple[VoteTally, int, VoteRule]) -> None:
    t, denominator, rule = case
    result = count_vote(t, denominator, rule)
    if denominator:
        assert [s * denominator for s in result.shares] == list(t.votes)
        assert sum(result.shares) * denominator + Fraction(t.blank) <= denominator


@given(votes_and_rule())
def test_the_carried_level_always_passes_the_threshold(
    case: tuple[VoteTally, int, VoteRule],
) -> None:
    t, denominator, rule = case
    result = count_vote(t, denominator, rule)
    if result.outcome is VoteOutcome.CARRIED:
        assert result.level is not None
        assert result.share_of(result.level) > rule.threshold
    elif result.outcome is VoteOutcome.CARRIED_CUMULATIVE:
        assert rule.cumulative_downward and result.level is not None
        at = LEVELS.index(result.level)
        assert result.cumulative_share == Fraction(sum(t.votes[: at + 1]), denominator)
        assert result.cumulative_share > rule.threshold
        # no level passed alone, and the levels above did not pass cumulatively
        assert all(s <= rule.threshold for s in result.shares)
        assert Fraction(sum(t.votes[:at]), denominator) <= rule.threshold
    elif result.outcome is VoteOutcome.TIE:
        top = max(t.votes)
        assert top > 0 and t.votes.count(top) >= 2
    else:
        assert result.level is None
        assert all(s <= rule.threshold for s in result.shares) or denominator == 0


# ---------------------------------------------------------------------------------------------
# Vote presets: the meeting's conclusion stands, checked against the tally (N8)

CONCLUSION = '[rules.vote-majority]\npreset = "meeting_conclusion"\n'


def with_conclusion(
    votes: tuple[int, int, int, int], conclusion: RatingLevel | None, rules_toml: str = "", **kw
) -> tuple[RatingLevel | None, list[str], str]:
    """M1's proposal, issue codes and explanation with ``votes`` of 10 and ``conclusion``."""
    rules = rules_with(2024, rules_toml) if rules_toml else QD124
    tally = VoteTally("M1", votes, 10 - sum(votes), conclusion=conclusion)
    ret = cell_return(
        [entry("M1", voted=False, **kw), *many("T", "HTTNV", 9)], extra_tallies={"M1": tally}
    )
    m1 = rate_cell(ret, rules, year=2024).members[0]
    return m1.proposed_level, [i.code for i in m1.issues], m1.explanation


@pytest.mark.parametrize(
    ("votes", "conclusion", "level", "codes"),
    [
        # the tally carries the conclusion: it stands, nothing to report
        ((2, 7, 1, 0), HTT, HTT, []),
        # 4 of 10 for HTXSNV does not carry it (cumulative 4 + 5 carries HTTNV): kept, flagged
        ((4, 5, 1, 0), HTXS, HTXS, ["meeting-conclusion-unsupported"]),
        # a tie in the tally: the conclusion still stands, flagged instead of the tie
        ((5, 5, 0, 0), HTT, HTT, ["meeting-conclusion-unsupported"]),
        # no conclusion written: the tally decides, and the gap is reported
        ((2, 7, 1, 0), None, HTT, ["meeting-conclusion-missing"]),
        ((5, 5, 0, 0), None, None, ["meeting-conclusion-missing", "vote-tie"]),
    ],
)
def test_the_meeting_conclusion_preset(
    votes: tuple[int, int, int, int],
    conclusion: RatingLevel | None,
    level: RatingLevel | None,
    codes: list[str],
) -> None:
    proposed, found, _ = with_conclusion(votes, conclusion, CONCLUSION)
    assert (proposed, found) == (level, codes)


def test_an_unsupported_conclusion_says_what_the_tally_gave() -> None:
    rules = rules_with(2024, CONCLUSION)
    tally = VoteTally("M1", (4, 5, 1, 0), 0, conclusion=HTXS)
    ret = cell_return([entry("M1", voted=False)], official_total=10, extra_tallies={"M1": tally})
    m1 = rate_cell(ret, rules, year=2024).members[0]
    assert m1.issues[0].message == (
        "Đảng viên Nguyễn Văn M1 (M1): hội nghị kết luận HTXSNV, nhưng theo ngưỡng quá 50% số "
        "đảng viên chính thức được triệu tập thì số phiếu cho HTXSNV là 4/10 và đạt HTTNV. Kết luận được giữ làm mức đề xuất, không bị thay; cấp ủy cấp trên "
        "xem xét (quy tắc vote-majority, Thực tiễn địa phương (chưa có văn bản trung ương))."
    )
    assert m1.explanation == (
        "Đề xuất HTXSNV: theo kết luận của hội nghị (HTXSNV), số phiếu không ủng hộ, cấp trên "
        "xem xét."
    )


def test_the_conclusion_is_still_capped_by_the_rules() -> None:
    # disciplined in the year: the conclusion HTTNV is lowered to KHTNV, with its issue
    proposed, found, text = with_conclusion(
        (0, 10, 0, 0), HTT, CONCLUSION, disciplined_in_year=True
    )
    assert proposed is KHT and "capped-by-discipline" in found
    assert text.startswith("Đề xuất KHTNV: theo kết luận của hội nghị (HTTNV), số phiếu ủng hộ; ")


@pytest.mark.parametrize(
    ("conclusion", "codes"),
    [(HTT, []), (HTXS, ["meeting-conclusion-differs"]), (None, [])],
)
def test_under_the_derived_preset_a_differing_conclusion_is_reported(
    conclusion: RatingLevel | None, codes: list[str]
) -> None:
    proposed, found, _ = with_conclusion((2, 7, 1, 0), conclusion)
    assert (proposed, found) == (HTT, codes)  # the tally decides; nothing silently replaced
