"""``validate``: check files one by one (and a cell's pair when both are given); report as data.

Knows nothing of the command line. The roster, the year and the rules are optional: what they
are needed for is only checked when they are given.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from toolkit import catalogue
from toolkit.errors import ConfigError
from toolkit.model import InputFile, Issue, Location, Roster, Severity
from toolkit.rulebook import RuleSet, load_ruleset
from toolkit.workbooks.checks import Expectations, check_pair, check_reading
from toolkit.workbooks.inbox import is_lock_file, read_all
from toolkit.workbooks.read import RosterReading, WorkbookReading, read_roster, read_roster_file
from toolkit.workbooks.unreadable import unreadable_issue
from toolkit.workbooks.walk import find_files


@dataclass(frozen=True)
class FileReport:
    """One file's verdict: what it was recognised as, and its issues in the order found."""

    input: InputFile
    issues: tuple[Issue, ...]

    @property
    def name(self) -> str:
        return Path(self.input.path).name

    @property
    def valid(self) -> bool:
        return not any(i.severity is Severity.ERROR for i in self.issues)


@dataclass(frozen=True)
class ValidationReport:
    """Every file checked, with a ``valid`` flag and compact views for output and tests."""

    files: tuple[FileReport, ...]

    @property
    def issues(self) -> tuple[Issue, ...]:
        return tuple(i for f in self.files for i in f.issues)

    @property
    def valid(self) -> bool:
        return all(f.valid for f in self.files)

    def count(self, severity: Severity) -> int:
        return sum(1 for i in self.issues if i.severity is severity)

    def flatten(self) -> list[tuple[str, str, str]]:
        """(file name, code, cell) per issue: handy for assertions."""
        return [(Path(i.location.file).name, i.code, i.location.cell) for i in self.issues]


def _rules_for(
    year: int, rules_file: Path | None, cache: dict[int, RuleSet | None]
) -> RuleSet | None:
    if year not in cache:
        try:
            cache[year] = load_ruleset(year, rules_file)
        except ConfigError:
            if year >= 2023:
                raise  # a broken override file is a configuration error, not a file's problem
            cache[year] = None
    return cache[year]


def validate_paths(
    paths: Sequence[Path | str],
    *,
    roster_path: Path | None = None,
    year: int | None = None,
    rules_file: Path | None = None,
    cell_code: str | None = None,
    workers: int = 1,
) -> ValidationReport:
    """Check every file under ``paths``; the roster, year, rules and cell sharpen the checks."""
    cache: dict[int, RuleSet | None] = {}
    if year is not None:
        # an unsupported year or a broken override file is a usage error (exit 2)
        cache[year] = load_ruleset(year, rules_file)
    reports: list[FileReport] = []
    roster: Roster | None = None
    if roster_path is not None:
        roster_file = read_roster_file(roster_path)
        roster, roster_issues = roster_file.roster, roster_file.issues
        reports.append(FileReport(_roster_input(roster_path, roster_file), roster_issues))
        rules = cache.get(year) if year is not None else None
        if rules is not None and roster.tree.cells():
            rules.check_scopes(roster.tree.units)  # the 25 % exception names real scopes
    found = find_files(paths)
    files = [p for p in found.files if roster_path is None or p != Path(roster_path)]
    readings = read_all([p for p in files if not is_lock_file(p)], workers)
    extra: dict[str, list[Issue]] = {r.path: [] for r in readings}
    # one per rules year, so that each cell's roster hash is made once, not once per file
    expected: dict[int | None, Expectations] = {}
    for reading in readings:
        extra[reading.path] += _file_checks(
            reading, roster, year, rules_file, cell_code, cache, expected
        )
    _pairs(readings, extra)
    for reading in readings:
        if reading.kind == "roster":
            _, issues = read_roster(reading.path)
            all_issues = (*reading.issues, *issues)
        else:
            all_issues = (*reading.issues, *extra[reading.path])
        status = "rejected" if any(i.severity is Severity.ERROR for i in all_issues) else "used"
        reports.append(FileReport(reading.input_file(status), tuple(all_issues)))
    for lock in (p for p in files if is_lock_file(p)):
        issue = catalogue.make("lock-file-ignored", location=Location(lock.name), value=lock.name)
        reports.append(FileReport(InputFile(str(lock), "", status="ignored"), (issue,)))
    for entry in found.unreadable:  # a folder that cannot be listed, a pipe, a broken link...
        issue = unreadable_issue(entry, str(entry.path))
        reports.append(FileReport(InputFile(str(entry.path), "", status="rejected"), (issue,)))
    return ValidationReport(tuple(reports))


def _roster_input(path: Path, reading: RosterReading) -> InputFile:
    errors = any(i.severity is Severity.ERROR for i in reading.issues)
    return InputFile(
        str(path), reading.sha256, kind="roster", status="rejected" if errors else "used"
    )


def _file_checks(
    reading: WorkbookReading,
    roster: Roster | None,
    year: int | None,
    rules_file: Path | None,
    cell_code: str | None,
    cache: dict[int, RuleSet | None],
    expected: dict[int | None, Expectations],
) -> list[Issue]:
    ident = reading.identity
    if ident is None or ident.kind == "roster":
        return []
    rules_year = year if year is not None else ident.year
    rules = _rules_for(rules_year, rules_file, cache) if rules_year is not None else None
    issues: list[Issue] = []
    if rules is None and rules_year is not None and year is None:
        issues.append(
            catalogue.make(
                "year-unsupported",
                location=Location(reading.name),
                value=rules_year,
                unit_code=ident.cell_code,
            )
        )
    expect = expected.get(rules_year)
    if expect is None:
        expect = Expectations(roster=roster, year=year, rules=rules, cell_code=cell_code)
        expected[rules_year] = expect
    issues.extend(check_reading(reading, expect))
    return issues


def _pairs(readings: list[WorkbookReading], extra: dict[str, list[Issue]]) -> None:
    """Compare a cell's two workbooks when exactly one of each was given."""
    by_cell: dict[tuple[str, str], list[WorkbookReading]] = {}
    for r in readings:
        if r.identity is not None and r.readable:
            by_cell.setdefault((r.identity.cell_code, r.kind), []).append(r)
    for (cell, kind), group in sorted(by_cell.items()):
        ballots = by_cell.get((cell, "ballot"), [])
        if kind == "self_assessment" and len(group) == 1 and len(ballots) == 1:
            extra[ballots[0].path].extend(check_pair(group[0], ballots[0]))
