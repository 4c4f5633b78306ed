"""Combine verified packages into one level's results: pure, no I/O.

Admission first: one year and one rule-set for the level (``--year`` or the year most packages
are for), one package per committee, every committee in the level's roster; a package that
fails any of these is refused whole with an issue naming it. Then completeness (which
committees reported, decided or only proposed, which did not report or were refused), totals,
tallies per organization type, and the 20 % ceiling on organizations at this level.
"""

from __future__ import annotations

import datetime as _dt
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from toolkit import catalogue
from toolkit.model import Issue, Location, OrgUnit, Severity
from toolkit.rollup.tally import Counts, SubjectTally, TypeTally, merge_types
from toolkit.rollup.verify import Package, PackageReading
from toolkit.rulebook import RuleSet

#: a committee's state at this level
DECIDED, PROPOSED, MISSING, REFUSED = "decided", "proposed", "missing", "refused"
STATUS_LABELS: Mapping[str, str] = {
    DECIDED: "Đã quyết định",
    PROPOSED: "Mới đề xuất",
    MISSING: "Chưa gửi",
    REFUSED: "Gói bị từ chối",
}


@dataclass(frozen=True)
class CommitteeLine:
    """One subordinate committee of this level: its state and, when admitted, its package."""

    unit: OrgUnit
    status: str
    package: Package | None
    #: the names of the packages refused for it (one or more)
    refused: tuple[str, ...] = ()


@dataclass(frozen=True)
class TypeCeiling:
    """The organizations of one type against the ceiling at this level."""

    org_type: str
    n_htxsnv: int
    n_httnv: int
    ceiling: int

    @property
    def over(self) -> int:
        return max(0, self.n_htxsnv - self.ceiling)


@dataclass(frozen=True)
class RollupResult:
    """One level's combined results."""

    committee: OrgUnit
    year: int
    ruleset: RuleSet
    generated_on: _dt.date
    committees: tuple[CommitteeLine, ...]
    #: packages admitted, in committee order
    packages: tuple[Package, ...]
    #: every package read, admitted or not (the audit trail)
    readings: tuple[PackageReading, ...]
    counts: Counts
    types: Mapping[str, TypeTally]
    ceilings: tuple[TypeCeiling, ...]
    issues: tuple[Issue, ...]
    #: members by subject type (Mẫu 2A/2B/2C), and those whose type no package recorded
    subjects: SubjectTally = field(default_factory=SubjectTally)

    @property
    def all_decided(self) -> bool:
        return bool(self.committees) and all(c.status == DECIDED for c in self.committees)

    def count(self, status: str) -> int:
        return sum(1 for c in self.committees if c.status == status)

    @property
    def errors(self) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if i.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if i.severity is Severity.WARNING)

    @property
    def problems_found(self) -> bool:
        """Exit code 1: a package refused, or a committee that has not reported."""
        return bool(self.errors or self.count(MISSING) or self.count(REFUSED))


def choose_year(readings: Sequence[PackageReading], year: int | None) -> int | None:
    """``year`` if given; else the year most verified packages are for (the later on a tie)."""
    if year is not None:
        return year
    years = Counter(r.package.year for r in readings if r.package is not None)
    if not years:
        return None
    return max(years, key=lambda y: (years[y], y))


def combine(
    committee: OrgUnit,
    expected: Sequence[OrgUnit],
    readings: Sequence[PackageReading],
    ruleset: RuleSet,
    *,
    year: int,
    issues: Sequence[Issue] = (),
) -> RollupResult:
    """The level's results from its packages; ``expected`` are the committees of its roster."""
    found: list[Issue] = list(issues)
    known = {u.code: u for u in expected}
    candidates: dict[str, list[Package]] = {}
    refused_names: dict[str, list[str]] = {}
    for reading in readings:
        found.extend(reading.issues)
        package = reading.package
        if package is None:
            continue
        problem = _admission(package, known, ruleset, year)
        if problem is not None:
            found.append(problem)
            if package.committee_code in known:
                refused_names.setdefault(package.committee_code, []).append(package.name)
            continue
        candidates.setdefault(package.committee_code, []).append(package)
    admitted: dict[str, Package] = {}
    for code, packages in sorted(candidates.items()):
        if len(packages) == 1:
            admitted[code] = packages[0]
            continue
        names = sorted(p.name for p in packages)
        refused_names.setdefault(code, []).extend(names)
        for name in names:
            other = next(n for n in names if n != name)
            found.append(
                catalogue.make(
                    "rollup-committee-duplicated",
                    location=Location(name),
                    value=code,
                    unit_code=code,
                    package=name,
                    other=other,
                )
            )
    lines = []
    for unit in sorted(expected, key=lambda u: u.code):
        package = admitted.get(unit.code)
        if package is not None:
            status = DECIDED if package.decided else PROPOSED
            if not package.decided:
                found.append(_proposed(package))
        else:
            status = REFUSED if unit.code in refused_names else MISSING
            if status == MISSING:
                found.append(
                    catalogue.make(
                        "rollup-committee-missing",
                        value=unit.code,
                        unit_code=unit.code,
                        name=unit.name,
                    )
                )
        refused = tuple(sorted(refused_names.get(unit.code, ())))
        lines.append(CommitteeLine(unit, status, package, refused))
        if package is not None:
            found.extend(_overrides(package, ruleset))
            found.extend(_incomplete_below(package))
    kept = tuple(admitted[c.unit.code] for c in lines if c.unit.code in admitted)
    types = merge_types(p.content.types for p in kept)
    counts = sum((p.content.counts for p in kept), Counts())
    subjects = sum((p.content.subjects for p in kept), SubjectTally())
    ceilings = tuple(
        TypeCeiling(
            key,
            t.organizations.levels[0],
            t.organizations.levels[1],
            ruleset.quota.ceiling(t.organizations.levels[1]),
        )
        for key, t in types.items()
    )
    found.extend(_over(c, ruleset) for c in ceilings if c.over)
    dates = [p.generated_on for p in kept]
    return RollupResult(
        committee=committee,
        year=year,
        ruleset=ruleset,
        generated_on=max(dates) if dates else _dt.date(year, 12, 31),
        committees=tuple(lines),
        packages=kept,
        readings=tuple(readings),
        counts=counts,
        types=types,
        ceilings=ceilings,
        issues=tuple(found),
        subjects=subjects,
    )


def _admission(
    package: Package, known: Mapping[str, OrgUnit], ruleset: RuleSet, year: int
) -> Issue | None:
    where = Location(package.name)
    name = package.name
    code = package.committee_code
    if package.year != year:
        return catalogue.make(
            "rollup-year-mixed",
            location=where,
            value=package.year,
            package=name,
            year=year,
            unit_code=code,
        )
    if package.ruleset_code != ruleset.code:
        return catalogue.make(
            "rollup-ruleset-mixed",
            location=where,
            value=package.ruleset_code,
            package=name,
            ruleset=ruleset.code,
            unit_code=code,
        )
    if code not in known:
        return catalogue.make(
            "rollup-committee-unknown",
            location=where,
            value=f"{code} {package.committee_name}".strip(),
            package=name,
            unit_code=code,
        )
    return None


def _proposed(package: Package) -> Issue:
    return catalogue.make(
        "rollup-proposed-only",
        location=Location(package.name),
        value=package.committee_code,
        package=package.name,
        unit_code=package.committee_code,
    )


def _overrides(package: Package, ruleset: RuleSet) -> list[Issue]:
    if package.overrides == tuple(ruleset.overrides):
        return []
    return [
        catalogue.make(
            "rollup-overrides-differ",
            location=Location(package.name),
            value="; ".join(package.overrides) or "không có",
            expected="; ".join(ruleset.overrides) or "không có",
            package=package.name,
            unit_code=package.committee_code,
        )
    ]


def _incomplete_below(package: Package) -> list[Issue]:
    """A roll-up package whose own committees did not all report."""
    below = package.content.below
    if below is None or below[1] >= below[0]:
        return []
    return [
        catalogue.make(
            "rollup-below-incomplete",
            location=Location(package.name),
            value=package.committee_code,
            package=package.name,
            unit_code=package.committee_code,
            committees=below[0],
            reported=below[1],
        )
    ]


def _over(c: TypeCeiling, ruleset: RuleSet) -> Issue:
    return catalogue.make(
        "rollup-org-quota-over",
        value=c.org_type or "(chưa ghi loại hình)",
        n_htxsnv=c.n_htxsnv,
        n_httnv=c.n_httnv,
        ceiling=c.ceiling,
        ratio=f"{float(ruleset.quota.ratio) * 100:g}%",
    )
