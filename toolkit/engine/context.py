"""What every member of one cell is rated against, read from the rule-set once per cell.

The typed views of ``RuleSet`` build new objects on every access; a cell of 60 members would
build them 60 times, so the engine reads them once here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from toolkit.engine.issues import unit_name
from toolkit.engine.votes import vote_denominator
from toolkit.model import Meeting, OrgUnit, RatingLevel
from toolkit.rulebook import Rule, RuleSet, ScoreBand, VoteRule


@dataclass(frozen=True)
class Context:
    """The rules and the meeting one cell's members are rated against."""

    rules: RuleSet
    year: int
    cell: OrgUnit
    #: how issues name the cell
    cell_label: str
    meeting: Meeting
    vote: VoteRule
    #: the vote denominator of this meeting under the rule-set (may be 0 or less: an issue)
    denominator: int
    #: the day "admitted less than 6 months ago" is measured to: the meeting, else 31/12
    reference: date
    #: the cell's own proposed level, which caps its head (R15); None when unknown
    cell_level: RatingLevel | None
    #: the score bands when the rule-set uses scores, else None
    bands: tuple[ScoreBand, ...] | None
    scores_required: bool
    #: a voted level below the score band is a problem too (``score-bands.direction = "both"``);
    #: otherwise it is information in the member's explanation
    score_both_ways: bool
    #: the rules that are switched on, by code
    switched_on: Mapping[str, Rule]

    def rule(self, code: str) -> Rule:
        return self.rules.rule(code)

    def active(self, code: str) -> Rule | None:
        """The rule if it is switched on, else None."""
        return self.switched_on.get(code)


def make_context(
    cell: OrgUnit,
    meeting: Meeting,
    rules: RuleSet,
    year: int,
    cell_level: RatingLevel | None = None,
) -> Context:
    """Read the rule-set once for one cell's meeting."""
    vote = rules.vote
    return Context(
        rules=rules,
        year=year,
        cell=cell,
        cell_label=unit_name(cell),
        meeting=meeting,
        vote=vote,
        denominator=vote_denominator(meeting, vote.denominator),
        reference=meeting.meeting_date or date(year, 12, 31),
        cell_level=cell_level,
        bands=rules.score_bands if rules.uses_scores else None,
        scores_required=rules.scores_required,
        score_both_ways=rules.uses_scores and rules.score_band_both_ways,
        switched_on={code: rule for code, rule in rules.rules.items() if rule.enabled},
    )


def band_for(bands: tuple[ScoreBand, ...], score: float) -> ScoreBand | None:
    """The band ``score`` falls in (bands never overlap), or None outside every band."""
    for band in bands:
        if band.contains(score):
            return band
    return None
