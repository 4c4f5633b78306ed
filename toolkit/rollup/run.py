"""``rollup``: from the packages of the committees below to this level's outputs, in one call.

Reads the level's roster (organizations only), verifies every package, combines the admitted
ones and writes ``tong-hop.xlsx``, ``bao-cao.html``, ``ket-qua.json`` and ``manifest.json``
all or nothing. The output is itself a package for the level above. As for ``aggregate``, the
output folder is checked to be apart from every input and locked for the run before anything
is read (``outputs.staging.claimed``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from toolkit.errors import InputError, OutputError, os_reason
from toolkit.gcpause import collector_paused
from toolkit.model import InputFile, Issue, OrgKind, OrgUnit, Roster, Severity
from toolkit.outputs.paths import check_apart
from toolkit.outputs.staging import claimed
from toolkit.rollup.combine import RollupResult, choose_year, combine
from toolkit.rollup.source import MANIFEST
from toolkit.rollup.verify import PackageReading, read_package
from toolkit.rollup.write import write_rollup_outputs
from toolkit.rulebook import load_ruleset


@dataclass(frozen=True)
class RollupRun:
    """What one run produced: the level's results, the inputs as read, the files written."""

    result: RollupResult
    inputs: tuple[InputFile, ...]
    outputs: tuple[Path, ...]
    out_dir: Path
    #: what the user should know about the run itself (a lock taken over...), in Vietnamese
    notices: tuple[str, ...] = ()

    @property
    def problems_found(self) -> bool:
        return self.result.problems_found


def package_paths(paths: Sequence[Path]) -> list[Path]:
    """Each argument is a package (an output folder or a .zip), or a folder of packages (one
    without a manifest.json: each entry in it, in name order)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir() and not (path / MANIFEST).exists():
            found.extend(sorted(p for p in path.iterdir() if not p.name.startswith(".")))
        else:
            found.append(path)
    return found


def level_of(roster: Roster, path: Path) -> tuple[OrgUnit, tuple[OrgUnit, ...]]:
    """This level's committee (the roster's one top unit, an "đảng ủy cấp trên" if several
    have no parent) and the organizations directly under it, which are expected to report."""
    units = roster.tree.units
    roots = [u for u in units.values() if u.parent_code is None]
    if len(roots) > 1:
        roots = [u for u in roots if u.kind is OrgKind.PARENT]
    if len(roots) != 1:
        raise InputError(
            f"Danh sách «{path.name}» phải có đúng một tổ chức cấp trên (không ghi mã cấp trên) "
            f"là cấp ủy tổng hợp; tìm thấy {len(roots)}."
        )
    top = roots[0]
    below = tuple(
        sorted((u for u in units.values() if u.parent_code == top.code), key=lambda u: u.code)
    )
    if not below:
        raise InputError(f"Danh sách «{path.name}» không có tổ chức nào trực thuộc {top.name}.")
    return top, below


def rollup(
    packages: Sequence[Path],
    roster_path: Path,
    out_dir: Path,
    *,
    year: int | None = None,
    rules_file: Path | None = None,
) -> RollupRun:
    """Verify and combine ``packages`` for the level whose roster is ``roster_path``."""
    from toolkit.workbooks.read import read_roster_file

    paths = package_paths(packages)
    check_apart(out_dir, {"danh sách": roster_path, "tệp quy tắc": rules_file})
    for package in dict.fromkeys([*packages, *paths]):  # a folder of packages too
        check_apart(out_dir, {"gói kết quả": package})
    with claimed(out_dir) as claim:
        reading = read_roster_file(roster_path, organizations_only=True)
        committee, expected = level_of(reading.roster, roster_path)
        with collector_paused():  # a national roll-up reads some 180,000 acyclic dicts
            readings = [read_package(p) for p in paths]
        chosen = choose_year(readings, year)
        if chosen is None:
            raise InputError(_nothing_usable(readings))
        rules = load_ruleset(chosen, rules_file)
        result = combine(committee, expected, readings, rules, year=chosen, issues=reading.issues)
        inputs = (
            InputFile(path=str(roster_path), sha256=reading.sha256, kind="roster"),
            *(_input(r, result) for r in readings),
        )
        try:
            written = write_rollup_outputs(result, inputs, claim.target)
        except OSError as exc:
            raise OutputError(f"Không ghi được kết quả vào {out_dir}: {os_reason(exc)}.") from None
    outputs = tuple(out_dir / path.relative_to(claim.target) for path in written)
    return RollupRun(result, inputs, outputs, out_dir, claim.notices)


def _input(r: PackageReading, result: RollupResult) -> InputFile:
    p = r.package
    used = any(q.path == r.path for q in result.packages)
    return InputFile(
        path=r.path,
        sha256=r.sha256,
        kind="package",
        template_version=p.toolkit_version if p else "",
        cell_code=p.committee_code if p else "",
        year=p.year if p else None,
        status="used" if used else "rejected",
    )


def _nothing_usable(readings: Sequence[PackageReading]) -> str:
    problems: list[Issue] = [i for r in readings for i in r.issues if i.severity is Severity.ERROR]
    why = " ".join(i.message for i in problems[:3])
    return f"Không có gói kết quả nào dùng được (đã đọc {len(readings)} gói). {why}".strip()
