"""The vote on one member (or on the cell): shares over the denominator and the level carried.

R12–R14: a level is carried with strictly more than the threshold of the denominator; when no
level carries alone, votes may be accumulated from the top level down (local practice, a rule-set
switch). Ties and "no level carried" are outcomes of their own, for the higher committee: the
engine never picks a winner.
"""

from __future__ import annotations

from fractions import Fraction
from functools import lru_cache

from toolkit.model import LEVELS, Meeting, VoteMethod, VoteTally
from toolkit.results import VoteOutcome, VoteResult
from toolkit.rulebook import Denominator, VoteRule

_ZERO = Fraction(0)
ZERO_SHARES = (_ZERO, _ZERO, _ZERO, _ZERO)


def vote_denominator(meeting: Meeting, denominator: Denominator) -> int:
    """The number every level's votes are divided by, as the rule-set chooses it (R12).

    Probationary members never count: every choice is a count of official members or of the
    ballots they cast. A show of hands has no ballots (the template leaves those fields blank):
    there every official member present casts one "ballot", as the vote-sum check counts them.
    """
    if denominator is Denominator.CONVENED_OFFICIAL_ADJUSTED:
        return meeting.convened_official_adjusted
    if denominator is Denominator.PRESENT_OFFICIAL:
        return meeting.present_official
    if meeting.method is VoteMethod.SHOW_OF_HANDS:
        return meeting.present_official
    return meeting.ballots_valid


@lru_cache(maxsize=65536)
def share(votes: int, denominator: int) -> Fraction:
    """``votes / denominator``; cached, because a district repeats the same few pairs."""
    return Fraction(votes, denominator)


def passes(votes: int, denominator: int, threshold: Fraction) -> bool:
    """``votes / denominator > threshold``, in integers so that "more than 50%" is exact."""
    return votes * threshold.denominator > threshold.numerator * denominator


def count_vote(tally: VoteTally, denominator: int, rule: VoteRule) -> VoteResult:
    """The outcome of one vote under ``rule`` with ``denominator`` official members or ballots.

    1. The levels with more than the threshold: if exactly one has the most votes, it is
       carried (with a threshold under 1/2 two levels may pass; equal best is a tie).
    2. Otherwise, if the most votes are shared by two levels or more, it is a TIE, even when
       cumulative counting would decide: the higher committee settles ties.
    3. Otherwise, with cumulative counting on, votes are added from HTXSNV down and the first
       level whose running total passes the threshold is carried (CARRIED_CUMULATIVE).
    4. Otherwise NO_DECISION. A denominator of 0 (or less) can carry nothing.
    """
    if denominator <= 0:
        return VoteResult(denominator=0, shares=ZERO_SHARES, outcome=VoteOutcome.NO_DECISION)
    votes = tally.votes
    shares = (
        share(votes[0], denominator),
        share(votes[1], denominator),
        share(votes[2], denominator),
        share(votes[3], denominator),
    )
    # v / d > p / q  ⇔  v·q > p·d: integers only (this runs once per member of a district)
    p, q = rule.threshold.numerator, rule.threshold.denominator
    limit = p * denominator
    over = [i for i in range(4) if votes[i] * q > limit]
    if over:
        best = max(votes[i] for i in over)
        leaders = [i for i in over if votes[i] == best]
        if len(leaders) == 1:
            return VoteResult(denominator, shares, VoteOutcome.CARRIED, LEVELS[leaders[0]])
        return VoteResult(denominator, shares, VoteOutcome.TIE)
    top = max(votes)
    if top > 0 and votes.count(top) > 1:
        return VoteResult(denominator, shares, VoteOutcome.TIE)
    if rule.cumulative_downward:
        running = 0
        for i in range(4):
            running += votes[i]
            if running * q > limit:
                return VoteResult(
                    denominator,
                    shares,
                    VoteOutcome.CARRIED_CUMULATIVE,
                    LEVELS[i],
                    cumulative_share=share(running, denominator),
                )
    return VoteResult(denominator, shares, VoteOutcome.NO_DECISION)


def tied_levels(tally: VoteTally, rule: VoteRule, denominator: int) -> tuple[int, ...]:
    """Indexes (in LEVELS order) of the levels that share the decisive vote count of a TIE."""
    votes = tally.votes
    over = [i for i in range(4) if passes(votes[i], denominator, rule.threshold)]
    pool = over or list(range(4))
    best = max(votes[i] for i in pool)
    return tuple(i for i in pool if votes[i] == best)
