"""What the rating engine returns: frozen values the writers render and the tests assert.

Imports only the domain model. Shares are ``Fraction`` so that "more than 50%" is exact; writers
turn them into floats or percentages when they show them.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction

from toolkit.model import (
    LEVELS,
    CellReturn,
    Issue,
    Member,
    NotRatedReason,
    OrgUnit,
    RatingLevel,
    SelfAssessment,
    Severity,
    VoteTally,
)


class VoteOutcome(enum.Enum):
    """How the vote on one member (or on the cell) ended (R12–R14)."""

    CARRIED = "carried"  # one level has more than the threshold on its own
    CARRIED_CUMULATIVE = "cumulative"  # carried by adding votes from the top level down
    TIE = "tie"  # flagged for the higher committee
    NO_DECISION = "no_decision"  # no level carried: flagged for the higher committee
    NO_VOTES = "no_votes"  # the member was not voted on (not rated, or no tally)

    @property
    def label(self) -> str:
        return {
            VoteOutcome.CARRIED: "Đạt trên ngưỡng",
            VoteOutcome.CARRIED_CUMULATIVE: "Đạt khi cộng dồn từ mức cao xuống",
            VoteOutcome.TIE: "Số phiếu bằng nhau — báo cáo cấp trên",
            VoteOutcome.NO_DECISION: "Không mức nào đạt — báo cáo cấp trên",
            VoteOutcome.NO_VOTES: "Không biểu quyết",
        }[self]

    @property
    def needs_higher_committee(self) -> bool:
        return self in (VoteOutcome.TIE, VoteOutcome.NO_DECISION)


@dataclass(frozen=True)
class VoteResult:
    """Shares per level over the configured denominator, and the level the vote carries."""

    denominator: int
    #: votes / denominator in LEVELS order (0 when the denominator is 0)
    shares: tuple[Fraction, Fraction, Fraction, Fraction]
    outcome: VoteOutcome
    level: RatingLevel | None = None
    #: with CARRIED_CUMULATIVE: the running share at the level that passed the threshold
    cumulative_share: Fraction | None = None

    def share_of(self, level: RatingLevel) -> Fraction:
        return self.shares[LEVELS.index(level)]


@dataclass(frozen=True)
class CapApplied:
    """A cap that lowered (or would lower) a member's level, with the rule that imposes it."""

    rule_code: str
    max_level: RatingLevel
    reason: str
    reason_en: str


@dataclass(frozen=True)
class MemberResult:
    """Everything the engine decided about one member, with a one-line explanation."""

    member: Member
    assessment: SelfAssessment | None
    tally: VoteTally | None
    not_rated_reason: NotRatedReason | None
    vote: VoteResult | None
    caps: tuple[CapApplied, ...]
    #: the cell's proposal after caps (None: not rated, or flagged for the higher committee)
    proposed_level: RatingLevel | None
    #: after the higher committee's quota decision (R10); equals proposed_level unless the
    #: quota ranking moved the member down
    decided_level: RatingLevel | None
    explanation: str
    explanation_en: str
    issues: tuple[Issue, ...] = ()
    #: the competent level's decision that set ``decided_level`` ("Quyết định số … ngày …")
    decision: str = ""

    @property
    def rated(self) -> bool:
        return self.not_rated_reason is None

    @property
    def needs_higher_committee(self) -> bool:
        return self.vote is not None and self.vote.outcome.needs_higher_committee


@dataclass(frozen=True)
class LevelCounts:
    """Counts per level over rated members, the not-rated by reason (R4), and apart from both
    the undecided: members whose vote tied or carried no level (chưa xác định mức)."""

    roster: int
    #: in LEVELS order
    levels: tuple[int, int, int, int]
    not_rated: Mapping[NotRatedReason, int]
    #: rated members whose level is still open (tie / no decision)
    undecided: int = 0

    @property
    def rated(self) -> int:
        """Members with a level: the roster less the not-rated and the undecided (chưa xác
        định mức), so that the shares of the four levels add up to 100 %."""
        return self.roster - sum(self.not_rated.values()) - self.undecided

    def count(self, level: RatingLevel) -> int:
        return self.levels[LEVELS.index(level)]

    def share(self, level: RatingLevel) -> Fraction:
        """Count of ``level`` over rated members (0 when nobody is rated)."""
        return Fraction(self.count(level), self.rated) if self.rated else Fraction(0)


@dataclass(frozen=True)
class QuotaCandidate:
    member_id: str
    full_name: str
    cell_code: str
    htxsnv_share: Fraction
    score: float | None
    #: within the ceiling when candidates are taken in ranking order
    within_ceiling: bool


@dataclass(frozen=True)
class QuotaResult:
    """HTXSNV against the ceiling (``ratio × HTTNV``, rounded) in one scope (R8–R10)."""

    scope_code: str
    scope_name: str
    #: True where this scope decides (enforced); False where the check is advisory only
    deciding: bool
    severity: Severity
    n_htxsnv: int
    n_httnv: int
    ceiling: int
    #: HTXSNV candidates ranked by vote share, then score
    ranking: tuple[QuotaCandidate, ...] = ()
    #: the ratio the ceiling was computed with: 1/5, or 1/4 where the exception was granted
    ceiling_ratio: Fraction = Fraction(1, 5)
    #: "floor" or "half_up" (QuotaRounding's value)
    rounding: str = "floor"
    #: the decision granting this scope the 25 % exception (QĐ 366 Điều 11.1); "" when none
    exception: str = ""

    @property
    def over(self) -> int:
        return max(0, self.n_htxsnv - self.ceiling)

    @property
    def ratio(self) -> Fraction | None:
        """HTXSNV ÷ HTTNV (what the ceiling is measured against), or None without HTTNV."""
        return Fraction(self.n_htxsnv, self.n_httnv) if self.n_httnv else None

    @property
    def ratio_of_good(self) -> Fraction | None:
        """HTXSNV ÷ (HTXSNV + HTTNV): "tỷ lệ xuất sắc trong số tốt trở lên", the share local
        summary forms print (HD 03-HD/TVĐU Mẫu 15A/15B); None when both are 0."""
        good = self.n_htxsnv + self.n_httnv
        return Fraction(self.n_htxsnv, good) if good else None


@dataclass(frozen=True)
class ConditionCheck:
    """One member-result condition for the cell's own level (R16), met or broken."""

    rule_code: str
    description: str
    met: bool
    description_en: str = ""


@dataclass(frozen=True)
class CellResult:
    """One cell's results: members, counts, quota, its own level and its problems."""

    cell: OrgUnit
    members: tuple[MemberResult, ...]
    counts: LevelCounts
    quota: QuotaResult
    cell_vote: VoteResult | None = None
    proposed_level: RatingLevel | None = None
    conditions: tuple[ConditionCheck, ...] = ()
    issues: tuple[Issue, ...] = ()
    source: CellReturn | None = None
    #: the competent level's decision on the cell's own level, and where it is recorded
    decided_level: RatingLevel | None = None
    decision: str = ""

    @property
    def has_errors(self) -> bool:
        return any(i.severity is Severity.ERROR for i in self.all_issues)

    @property
    def all_issues(self) -> tuple[Issue, ...]:
        return self.issues + tuple(i for m in self.members for i in m.issues)


@dataclass(frozen=True)
class DistrictResult:
    """The parent committee's view: every cell, the deciding quotas, the totals."""

    year: int
    ruleset_code: str
    cells: tuple[CellResult, ...]
    quotas: tuple[QuotaResult, ...]
    counts: LevelCounts
    #: cells on the roster that sent nothing usable
    missing: tuple[OrgUnit, ...] = ()
    issues: tuple[Issue, ...] = field(default=())
    #: cells that sent their files, with errors (or two different files of one kind): not
    #: rated and not in the totals, but listed with their issues everywhere a cell appears
    rejected: tuple[OrgUnit, ...] = ()
    #: the roster's members of the rejected and the missing cells, so that their issues can
    #: name them and the report can count the whole roster
    rejected_members: tuple[Member, ...] = ()
    #: the decision applied (``aggregate --decisions``): its reference, "" when none
    decision: str = ""
