"""Counts that add up across levels: members by level and organizations by level.

Plain frozen values with ``+``, so that a ward, a province and the centre combine their
subordinates' figures the same way. ``Counts`` keeps the identity every package is checked
against: roster = levels + not rated + undecided.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from types import MappingProxyType

from toolkit.model import NotRatedReason, SubjectType
from toolkit.results import LevelCounts

REASON_CODES: tuple[str, ...] = tuple(r.value for r in NotRatedReason)
#: the 2025 subject types (Mẫu 2A, 2B, 2C), in the order an organization's ``subjects`` lists them
SUBJECT_CODES: tuple[str, ...] = tuple(t.value for t in SubjectType)
ZERO4 = (0, 0, 0, 0)
ZERO_REASONS = (0,) * len(REASON_CODES)


def _add(a: tuple[int, ...], b: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(x + y for x, y in zip(a, b, strict=True))


@dataclass(frozen=True)
class Counts:
    """Members: on the rolls, per level (HTXSNV…KHTNV), not rated per reason, undecided."""

    roster: int = 0
    levels: tuple[int, ...] = ZERO4
    not_rated: tuple[int, ...] = ZERO_REASONS
    undecided: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.roster + other.roster,
            _add(self.levels, other.levels),
            _add(self.not_rated, other.not_rated),
            self.undecided + other.undecided,
        )

    @property
    def rated(self) -> int:
        return self.roster - sum(self.not_rated)

    @property
    def unrated(self) -> int:
        """ "Chưa xếp loại": not rated for a reason, or rated with the level still open."""
        return sum(self.not_rated) + self.undecided

    @property
    def consistent(self) -> bool:
        """Every count is a non-negative whole number and they add up to the roster."""
        values = (self.roster, self.undecided, *self.levels, *self.not_rated)
        return all(v >= 0 for v in values) and self.roster == sum(self.levels) + self.unrated

    def level_counts(self) -> LevelCounts:
        """The same numbers as the engine's ``LevelCounts`` (for the shared JSON entry)."""
        reasons = dict(zip(NotRatedReason, self.not_rated, strict=True))
        return LevelCounts(
            roster=self.roster,
            levels=(self.levels[0], self.levels[1], self.levels[2], self.levels[3]),
            not_rated=MappingProxyType(reasons),
            undecided=self.undecided,
        )


@dataclass(frozen=True)
class OrgCounts:
    """Organizations (chi bộ) per level, and those without a level ("chưa xếp loại")."""

    levels: tuple[int, ...] = ZERO4
    unrated: int = 0

    def __add__(self, other: OrgCounts) -> OrgCounts:
        return OrgCounts(_add(self.levels, other.levels), self.unrated + other.unrated)

    @property
    def total(self) -> int:
        return sum(self.levels) + self.unrated


@dataclass(frozen=True)
class TypeTally:
    """One organization type's figures: its members, its organizations, and how much of
    them is still only proposed (no decision of the competent level applied)."""

    members: Counts = field(default_factory=Counts)
    organizations: OrgCounts = field(default_factory=OrgCounts)
    #: members whose levels are proposals (their committee's package is not decided)
    proposed_members: int = 0
    #: organizations whose own level is a proposal
    proposed_organizations: int = 0

    def __add__(self, other: TypeTally) -> TypeTally:
        return TypeTally(
            self.members + other.members,
            self.organizations + other.organizations,
            self.proposed_members + other.proposed_members,
            self.proposed_organizations + other.proposed_organizations,
        )


@dataclass(frozen=True)
class GroupCounts:
    """Members of one group: per level (HTXSNV…KHTNV), "chưa xếp loại", and how many of them
    have only proposed levels."""

    levels: tuple[int, ...] = ZERO4
    unrated: int = 0
    proposed: int = 0

    def __add__(self, other: GroupCounts) -> GroupCounts:
        return GroupCounts(
            _add(self.levels, other.levels),
            self.unrated + other.unrated,
            self.proposed + other.proposed,
        )

    @property
    def total(self) -> int:
        return sum(self.levels) + self.unrated


ZERO_SUBJECTS = (GroupCounts(),) * len(SUBJECT_CODES)


@dataclass(frozen=True)
class SubjectTally:
    """Members by 2025 subject type (``SUBJECT_CODES`` order), and those whose type was not
    recorded (a QĐ 124 year, or a package made before the field): never guessed."""

    types: tuple[GroupCounts, ...] = ZERO_SUBJECTS
    unknown: GroupCounts = field(default_factory=GroupCounts)

    def __add__(self, other: SubjectTally) -> SubjectTally:
        return SubjectTally(
            tuple(a + b for a, b in zip(self.types, other.types, strict=True)),
            self.unknown + other.unknown,
        )

    @property
    def recorded(self) -> bool:
        """Some member's subject type is known."""
        return any(g.total for g in self.types)


def merge_types(parts: Iterable[Mapping[str, TypeTally]]) -> dict[str, TypeTally]:
    """Type → the sum of every part's tally of that type, types in sorted order."""
    total: dict[str, TypeTally] = {}
    for part in parts:
        for key, tally in part.items():
            total[key] = total[key] + tally if key in total else tally
    return dict(sorted(total.items()))


def ratio(numerator: int, denominator: int) -> Fraction | None:
    """``numerator / denominator`` exactly, None when the denominator is 0."""
    return Fraction(numerator, denominator) if denominator else None
