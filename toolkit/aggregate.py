"""``aggregate``: from the folder of returned workbooks to every output, in one call.

Reads the roster, recognises and checks every returned file, rates every cell, and writes the
summary workbook, the per-cell workbooks, the HTML report, the JSON results and the manifest.
A cell whose files have errors is reported as such; the others are still aggregated.

Before anything is read, the output folder is checked to be apart from every input and locked
for this run; its outputs are replaced whole or not at all (``outputs.staging``). A roster that
is not the one most returns were made from stops the run before anything is written.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.errors import InputError, OutputError, os_reason
from toolkit.model import CellReturn, InputFile, Issue, OrgKind, OrgUnit, Roster, Severity
from toolkit.outputs.paths import check_apart
from toolkit.outputs.staging import claimed
from toolkit.results import CellResult, DistrictResult
from toolkit.rulebook import RuleSet, load_ruleset

if TYPE_CHECKING:
    from toolkit.workbooks.inbox import CellStatus, InboxResult
    from toolkit.workbooks.walk import Found

#: progress(stage, done, total): stages are "read", "rate", "write"
Progress = Callable[[str, int, int], None]
#: the kinds of workbook a cell returns
CELL_KINDS = ("self_assessment", "ballot")
#: ``CellStatus.state`` of a cell whose files were received but cannot be rated
REJECTED_STATES = frozenset({"errors", "duplicate", "unreadable"})
#: a roster is the wrong one when more than this share of the cells that returned files of the
#: year are unknown to it or had their workbooks made from another list of members
FOREIGN_SHARE = 0.5
#: ... and at least this many (one cell whose members changed is ordinary: its issue says so)
FOREIGN_AT_LEAST = 2


@dataclass(frozen=True)
class AggregateRun:
    """What one run produced: the results, the inputs as read, the files written."""

    result: DistrictResult
    ruleset: RuleSet
    inputs: tuple[InputFile, ...]
    outputs: tuple[Path, ...]
    out_dir: Path
    #: what the user should know about the run itself (a lock taken over...), in Vietnamese
    notices: tuple[str, ...] = ()

    @property
    def errors(self) -> tuple[Issue, ...]:
        return tuple(i for i in self.all_issues if i.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Issue, ...]:
        return tuple(i for i in self.all_issues if i.severity is Severity.WARNING)

    @property
    def all_issues(self) -> tuple[Issue, ...]:
        return self.result.issues + tuple(i for c in self.result.cells for i in c.all_issues)

    @property
    def problems_found(self) -> bool:
        """Exit code 1: an error in any input, a cell that sent nothing, or a cell whose files
        could not be aggregated (its errors say why; the cell is counted even so)."""
        return bool(self.errors or self.result.missing or self.result.rejected)


def inbox_files(inbox: Path) -> Found:
    """Every file under ``inbox`` (each is read, so a wrong format is reported, not ignored),
    and what could not be looked at (reported too)."""
    from toolkit.workbooks.walk import find_files

    if not inbox.is_dir():
        raise InputError(f"Không tìm thấy thư mục hồ sơ gửi về: {inbox}.")
    return find_files([inbox])


def aggregate(
    inbox: Path,
    roster_path: Path,
    out_dir: Path,
    *,
    year: int | None = None,
    rules_file: Path | None = None,
    latest: bool = False,
    workers: int = 1,
    generated_on: _dt.date | None = None,
    progress: Progress | None = None,
    decisions_file: Path | None = None,
) -> AggregateRun:
    """Check, tally, rate and write everything for one parent committee's returns.

    ``decisions_file``: the competent level's filled decisions workbook (``quyet-dinh.xlsx``
    of an earlier run), applied where each decision stands (``engine.decisions``).

    ``OutputError`` before anything is read when ``out_dir`` is an input (the decisions workbook
    too), inside one or holds one, when another run holds it, or when it holds data that is not
    ours.
    """
    check_apart(
        out_dir,
        {
            "thư mục hồ sơ gửi về": inbox,
            "danh sách": roster_path,
            "tệp quy tắc": rules_file,
            "tệp quyết định": decisions_file,
        },
    )
    with claimed(out_dir) as claim:
        run = _aggregate(
            inbox, roster_path, out_dir, claim.target, year=year, rules_file=rules_file,
            latest=latest, workers=workers, generated_on=generated_on, progress=progress,
            decisions_file=decisions_file,
        )  # fmt: skip
    return dataclasses.replace(run, notices=(*claim.notices, *run.notices))


def _aggregate(
    inbox: Path,
    roster_path: Path,
    out_dir: Path,
    target: Path,
    *,
    year: int | None,
    rules_file: Path | None,
    latest: bool,
    workers: int,
    generated_on: _dt.date | None,
    progress: Progress | None,
    decisions_file: Path | None,
) -> AggregateRun:
    """``aggregate`` once the output folder is known to be ours alone (``target``: its real
    path)."""
    from toolkit.workbooks.inbox import ReadAhead, collect_returns, detect_year
    from toolkit.workbooks.read import read_roster_file
    from toolkit.workbooks.unreadable import settle_unreadable

    report = progress or _silent
    found = inbox_files(inbox)
    files = list(found.files)
    # the readers start first, on the returned files: this process reads the roster (and
    # imports the engine and the writers) meanwhile, then joins them
    with ReadAhead(files, workers) as ahead:
        # imported here so that `xeploai --help` and `validate` do not pay for the writers
        from toolkit.engine import check_meeting, rate_cell, rate_district
        from toolkit.outputs import write_outputs
        from toolkit.outputs.write_all import start_fork_server

        start_fork_server(len(files), workers)
        roster_file = read_roster_file(roster_path)
        roster, roster_issues = roster_file.roster, roster_file.issues
        if not roster.tree.cells():
            raise InputError(unusable_roster(roster_path, roster_issues))
        if year is None:
            year = detect_year(files)
        rules = load_ruleset(year, rules_file)
        rules.check_scopes(roster.tree.units)  # the 25 % exception names real scopes
        rated: dict[str, tuple[CellReturn, CellResult]] = {}

        def rate_early(ret: CellReturn) -> None:
            """A cell rated as soon as its two files are in, while the readers go on."""
            try:
                rated[ret.cell.code] = (ret, rate_cell(ret, rules, year=year, tree=roster.tree))
            except Exception:
                # a guess about a cell whose two files may not agree (``check_pair`` has not
                # run yet) must never stop the run: if it is kept, it is rated again below
                rated.pop(ret.cell.code, None)

        collected = collect_returns(
            files, roster, year, rules, latest=latest, workers=workers, progress=report,
            ahead=ahead, early=rate_early,
        )  # fmt: skip
    collected = settle_unreadable(collected, found.unreadable, [inbox])
    foreign = foreign_roster(collected, roster_path)
    if foreign:
        raise InputError(foreign)
    report("rate", 0, len(collected.returns))
    rejected = rejected_cells(collected.cells)
    meeting_checks = [
        issue
        for c in collected.cells
        if c.ballot is not None
        for issue in check_meeting(
            c.cell, c.ballot.meeting, rules, year=year, has_votes=c.ballot.has_votes
        )
    ]
    # the roster's members of every cell not rated (files with errors, or nothing sent): their
    # issues name them, and the report counts them against the committee's whole roster
    unrated_codes = {u.code for u in (*rejected, *collected.missing)}
    result = rate_district(
        collected.returns,
        roster.tree,
        rules,
        year=year,
        missing=collected.missing,
        issues=(*roster_issues, *collected.issues, *meeting_checks),
        rejected=rejected,
        rated=rated,
        rejected_members=[m for m in roster.members if m.cell_code in unrated_codes],
    )
    rated.clear()  # the returns it kept are no longer needed
    report("rate", len(collected.returns), len(collected.returns))
    inputs = (
        InputFile(path=str(roster_path), sha256=roster_file.sha256, kind="roster"),
        *collected.inputs,
    )
    proposals = result
    if decisions_file is not None:
        result, decisions_input = apply_decisions_file(
            result, decisions_file, rules, parent_of(roster)
        )
        inputs = (*inputs, decisions_input)
    try:
        written = write_outputs(
            result,
            inputs,
            target,
            ruleset=rules,
            parent=parent_of(roster),
            generated_on=generated_on or as_of(collected.returns, year),
            workers=workers,
            proposals=proposals,
        )
    except OSError as exc:
        raise OutputError(f"Không ghi được kết quả vào {out_dir}: {os_reason(exc)}.") from None
    report("write", 1, 1)
    outputs = tuple(out_dir / path.relative_to(target) for path in written)
    return AggregateRun(result, rules, inputs, outputs, out_dir)


def foreign_roster(collected: InboxResult, roster_path: Path) -> str | None:
    """Why the roster cannot be the one the returns were made from, or None.

    Each return carries the hash of its cell's roster: when most cells that returned files of
    the year are unknown to this roster or have another hash, the roster is another one (last
    year's, another committee's). One message then, not an issue for every file and a
    ``chi-bo/*.xlsx`` telling every secretary to fix a good file.
    """
    cell_files = [f for f in collected.inputs if f.kind in CELL_KINDS and f.year == collected.year]
    returned = {f.cell_code for f in cell_files}
    unknown = {f.cell_code for f in cell_files if f.status == "unknown"}
    changed = {i.unit_code for i in collected.issues if i.code == "roster-changed"}
    foreign = (unknown | changed) & returned
    if len(foreign) < FOREIGN_AT_LEAST or len(foreign) <= FOREIGN_SHARE * len(returned):
        return None
    return (
        f"Danh sách «{roster_path.name}» không phải danh sách đã dùng để tạo biểu mẫu: "
        f"{len(foreign)}/{len(returned)} chi bộ gửi hồ sơ có mã không có trong danh sách hoặc "
        "được tạo từ danh sách đảng viên khác (danh sách năm trước, của cấp ủy khác?). Hãy "
        "dùng đúng danh sách đã dùng với «xeploai templates»; chưa ghi kết quả nào."
    )


def apply_decisions_file(
    result: DistrictResult, path: Path, rules: RuleSet, parent: OrgUnit | None
) -> tuple[DistrictResult, InputFile]:
    """``result`` with the decisions of the workbook at ``path`` applied, and the file as an
    input. A workbook that cannot be read, has errors, or was made for another committee or
    year applies nothing: its issues say why, and the results stay the proposals."""
    from dataclasses import replace

    from toolkit.engine.decisions import apply_decisions
    from toolkit.workbooks.decisionbook import DecisionsContent, other_workbook
    from toolkit.workbooks.read import read_workbook

    reading = read_workbook(path)
    issues = list(reading.issues)
    content = reading.content
    ident = reading.identity
    if ident is not None and ident.kind != "decisions":
        issues.append(other_workbook(path, ident.kind, "quyet-dinh.xlsx"))
    elif ident is not None:
        expected = (parent.code if parent else "", result.year)
        if (ident.cell_code, ident.year) != expected:
            found = f"{ident.cell_code or '?'} năm {ident.year}"
            issues.append(other_workbook(path, found, f"{expected[0] or '?'} năm {expected[1]}"))
    stands = isinstance(content, DecisionsContent) and not any(
        i.severity is Severity.ERROR for i in issues
    )
    if isinstance(content, DecisionsContent) and stands:
        result = apply_decisions(result, content.decisions, rules)
    elif not issues:  # unreadable without a word would be a silent drop: never
        issues.append(other_workbook(path, "?", "quyet-dinh.xlsx"))
    result = replace(result, issues=(*result.issues, *issues))
    status = "used" if stands else "rejected"
    return result, reading.input_file(status)


def unusable_roster(path: Path, issues: Sequence[Issue]) -> str:
    """Why a roster without a single cell stops the run: every file would belong to no cell."""
    errors = [i.message for i in issues if i.severity is Severity.ERROR][:3]
    why = " ".join(errors) or "không có chi bộ nào."
    return f"Không dùng được danh sách tổ chức đảng và đảng viên «{path.name}»: {why}"


def rejected_cells(cells: Sequence[CellStatus]) -> tuple[OrgUnit, ...]:
    """Cells that sent both workbooks but cannot be rated: a file with errors, or two
    different files of one kind (without ``--latest``). They are reported, never dropped."""
    return tuple(c.cell for c in cells if c.state in REJECTED_STATES)


def as_of(returns: Sequence[CellReturn], year: int) -> _dt.date:
    """The date the results speak for: the last meeting date, so that outputs depend on inputs
    only (never on the day the command runs)."""
    dates = [r.meeting.meeting_date for r in returns if r.meeting.meeting_date]
    return max(dates) if dates else _dt.date(year, 12, 31)


def parent_of(roster: Roster) -> OrgUnit | None:
    """The parent committee of the roster (the unit of kind PARENT), if it names one."""
    parents = [u for u in roster.tree.units.values() if u.kind is OrgKind.PARENT]
    return min(parents, key=lambda u: u.code) if parents else None


def _silent(stage: str, done: int, total: int) -> None:
    """The default progress callback: says nothing."""
