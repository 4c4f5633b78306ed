"""The inbox: recognise every returned file, pick one per cell and kind, and say what is missing.

Files are recognised by their identity block. For each cell and kind of workbook: identical copies
count once; two different files are an issue naming both, unless ``latest`` is set, which takes the
one saved last by the workbook's own modified time. A cell whose chosen files are free of errors
becomes a ``CellReturn`` for the engine; every other cell is reported with its reasons. ``status``,
``validate`` and ``aggregate`` share this rule.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import BrokenExecutor, Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from toolkit import catalogue
from toolkit.errors import InputError
from toolkit.gcpause import collector_paused, frozen
from toolkit.model import CellReturn, InputFile, Issue, Location, OrgUnit, Roster, Severity
from toolkit.rulebook import RuleSet
from toolkit.workbooks.cellbooks import BallotContent, SelfAssessmentContent
from toolkit.workbooks.checks import Expectations, check_pair, check_reading
from toolkit.workbooks.declarations import KIND_TITLES, KINDS, load_declaration
from toolkit.workbooks.read import WorkbookReading, peek_identity, read_workbook
from toolkit.workbooks.readers import die_with_parent, read_alone
from toolkit.workbooks.walk import find_files

CELL_KINDS: tuple[str, ...] = ("self_assessment", "ballot")
#: issue codes that mean the file is not this year's return of a known cell
_NOT_A_RETURN = frozenset({"wrong-year", "cell-unknown", "year-unsupported"})


def expand_paths(paths: Iterable[Path | str]) -> list[Path]:
    """Files given and files under folders given (recursively), sorted; dotfiles skipped.

    What cannot be looked at (a folder that cannot be listed, a broken or looping link, a pipe,
    a device) is taken too, so that the reader reports it rather than it being skipped in
    silence; ``walk.find_files`` tells them apart.
    """
    found = find_files(paths)
    return sorted({*found.files, *(u.path for u in found.unreadable)})


def is_lock_file(path: Path) -> bool:
    """Excel's ``~$name.xlsx`` owner file, left while a workbook is open."""
    return path.name.startswith("~$")


#: progress(stage, done, total), as the ``aggregate`` command reports it; the stage is "read"
Progress = Callable[[str, int, int], None]


def read_all(
    paths: Sequence[Path], workers: int = 1, progress: Progress | None = None
) -> list[WorkbookReading]:
    """Read every file, in a process pool when ``workers`` > 1; results in ``paths`` order."""
    return [reading for reading, _ in _read_and_check(paths, None, workers, progress)]


#: what forked readers check each file against: set by ``_read_and_check`` before the pool's
#: processes are forked, so they inherit it (the roster is never pickled)
_EXPECT: Expectations | None = None

Checked = tuple[WorkbookReading, tuple[Issue, ...] | None]
#: a chunk of readings seen as it arrives; returns it with its checks filled in
Arrived = Callable[[list[Checked]], list[Checked]]


class ReadAhead:
    """Files being read by ``workers - 1`` processes, from the front of the list, from the
    moment this is made; ``finish`` reads the rest from the back in this process (its own
    readings need no pickling, and it would otherwise wait idle).

    Made before the roster is read (``aggregate`` does so, through ``collect_returns``'s
    ``ahead``), the readers start while this process reads the roster: they cannot check their
    files against it, so ``collect_returns`` checks them here. With one worker, or too few
    files to share, nothing starts and ``finish`` reads every file here. Use it as a context
    manager: leaving it stops the readers (after an error, say).
    """

    def __init__(
        self, files: Sequence[Path], workers: int, given: Iterable[Path | str] | None = None
    ) -> None:
        """``files`` as ``expand_paths`` lists them (Excel's lock files are left out here);
        ``given``: what they were expanded from, if not the files themselves."""
        self.files = list(files)
        self.given = [Path(p) for p in given] if given is not None else self.files
        self.paths = _to_read(self.files)
        self.workers = workers
        size = max(1, min(8, len(self.paths) // (max(workers, 1) * 8)))
        self._chunks = [self.paths[i : i + size] for i in range(0, len(self.paths), size)]
        self._pool: ProcessPoolExecutor | None = None
        self._futures: list[Future[list[Checked]]] = []
        if workers <= 1 or len(self.paths) < 2 * workers:
            return
        # loaded once here, the issue catalogue and the declarations are inherited by the
        # forked readers: each would otherwise load them again (about 0.1 s of CPU apiece)
        catalogue.all_types()
        for kind in KINDS:
            load_declaration(kind)
        # what exists now (every module, the roster if it is read) is frozen for the readers
        with frozen():
            self._pool = ProcessPoolExecutor(
                max_workers=workers - 1, initializer=die_with_parent, initargs=(os.getpid(),)
            )
            self._futures = [self._pool.submit(_read_chunk, chunk) for chunk in self._chunks]

    def __enter__(self) -> ReadAhead:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)

    def finish(
        self, report: Callable[[int], None], arrived: Arrived | None = None
    ) -> list[Checked]:
        """Every file's reading (and checks, where its reader knew what to expect), in order.

        ``arrived`` sees each chunk of readings as soon as this process has it (the readers'
        chunks as they come in, between its own) and returns it, its checks filled in: work
        done there (``collect_returns`` rates a cell whose two files are in) shares the CPUs
        with the readers instead of waiting for the last file.
        """
        take = arrived or (lambda chunk: chunk)
        chunks, futures = self._chunks, self._futures
        if not futures:
            results: list[Checked] = []
            for path in self.paths:
                results.extend(take([_read_checked(path)]))
                report(len(results))
            return results
        read: list[list[Checked] | None] = [None] * len(chunks)
        done = front = 0  # the readers' chunks come in from the front, in order
        for index in range(len(chunks) - 1, -1, -1):
            if not futures[index].cancel():
                break  # a reader has this chunk: the ones before it are theirs
            read[index] = take(_read_chunk(chunks[index]))
            done += len(chunks[index])
            while front < index and futures[front].done():  # what came in meanwhile
                read[front] = self._result(front, take)
                done += len(chunks[front])
                front += 1
            report(done)
        for index in range(len(chunks)):
            if read[index] is None:
                read[index] = self._result(index, take)
        report(len(self.paths))
        return [result for chunk in read if chunk is not None for result in chunk]

    def _result(self, index: int, take: Arrived) -> list[Checked]:
        """The readers' chunk ``index``; read again, file by file, each in a process of its
        own, when a reader process died (which file ended it is not known)."""
        try:
            return take(self._futures[index].result())
        except BrokenExecutor:
            alone = read_alone(self._chunks[index], _read_checked, self.workers)
            return take([result if whole else (result, None) for result, whole in alone])


def read_ahead(paths: Iterable[Path | str], workers: int) -> ReadAhead:
    """Start reading the returned files under ``paths`` (as ``collect_returns`` lists them)
    before the roster is known: hand the result to ``collect_returns`` as ``ahead``."""
    given = list(paths)
    return ReadAhead(expand_paths(given), workers, given)


def _to_read(files: Sequence[Path]) -> list[Path]:
    return [p for p in files if not is_lock_file(p)]


def _read_and_check(
    paths: Sequence[Path],
    expect: Expectations | None,
    workers: int,
    progress: Progress | None,
    ahead: ReadAhead | None = None,
    arrived: Arrived | None = None,
) -> list[Checked]:
    """Each file read and, when ``expect`` is given, checked against it where it was read;
    None for checks a reader could not make (it did not inherit ``expect``). ``ahead``: the
    same files, already being read."""
    global _EXPECT
    report = progress or (lambda stage, done, total: None)
    total = len(paths)
    report("read", 0, total)
    _EXPECT = expect
    try:
        with collector_paused(), ahead or ReadAhead(paths, workers) as reading:
            return reading.finish(lambda done: report("read", done, total), arrived)
    finally:
        _EXPECT = None


def _read_chunk(paths: Sequence[Path]) -> list[Checked]:
    return [_read_checked(path) for path in paths]


def _read_checked(path: Path) -> Checked:
    """One file read, and checked if this process knows what to expect."""
    reading = read_workbook(path)
    return reading, (None if _EXPECT is None else check_reading(reading, _EXPECT))


@dataclass(frozen=True)
class CellStatus:
    """Where one cell stands: which file was used for each kind, and why not if none."""

    cell: OrgUnit
    #: kind → the file used, or None
    used: Mapping[str, InputFile | None]
    #: kind → every file recognised for that kind (used, duplicates, rejected)
    received: Mapping[str, tuple[InputFile, ...]]
    #: "complete", "missing" (a kind not received), "duplicate" or "errors"
    state: str
    #: a cell kept out by errors in its self-assessment only: its ballot workbook as read, so
    #: that its meeting is checked all the same (the secretary learns every problem at once)
    ballot: BallotContent | None = None


@dataclass(frozen=True)
class InboxResult:
    """Everything read from an inbox: usable returns, missing cells, issues, the audit trail."""

    year: int
    returns: tuple[CellReturn, ...]
    missing: tuple[OrgUnit, ...]
    issues: tuple[Issue, ...]
    inputs: tuple[InputFile, ...]
    cells: tuple[CellStatus, ...]

    @property
    def unknown(self) -> tuple[InputFile, ...]:
        """Files that belong to no cell of the roster (or are not returns at all)."""
        return tuple(
            f
            for f in self.inputs
            if f.status == "unknown" or (f.status == "rejected" and not f.kind)
        )

    @property
    def has_errors(self) -> bool:
        return any(i.severity is Severity.ERROR for i in self.issues)


class _Collector:
    def __init__(self, roster: Roster, year: int, rules: RuleSet, latest: bool) -> None:
        self.roster, self.year, self.latest = roster, year, latest
        self.expect = Expectations(roster=roster, year=year, rules=rules, engine_follows=True)
        self.issues: dict[str, list[Issue]] = {}  # path → issues, in file order
        self.status: dict[str, str] = {}
        self.readings: dict[str, WorkbookReading] = {}
        self.late_issues: list[Issue] = []

    def take(
        self, reading: WorkbookReading, checked: tuple[Issue, ...] | None = None
    ) -> tuple[str, str] | None:
        """Record a reading (and its ``check_reading`` issues, if already known); the (cell,
        kind) it may stand for, or None."""
        path = reading.path
        self.readings[path] = reading
        if checked is None:
            checked = check_reading(reading, self.expect)
        issues = [*reading.issues, *checked]
        self.issues[path] = issues
        if reading.identity is None or reading.kind not in KIND_TITLES:
            self.status[path] = "rejected"
            return None
        if reading.kind not in CELL_KINDS:  # the roster, a decisions workbook: not a return
            title, title_en = KIND_TITLES[reading.kind]
            issues.append(
                catalogue.make(
                    "unexpected-kind",
                    location=Location(reading.name),
                    value=title,
                    value_en=title_en,
                )
            )
            self.status[path] = "unknown"
            return None
        if not _is_cell_return(reading, issues):
            self.status[path] = "unknown"  # another year's file, or no cell of this roster
            return None
        return reading.identity.cell_code, reading.kind

    def has_errors(self, path: str) -> bool:
        return any(i.severity is Severity.ERROR for i in self.issues[path])

    def choose(self, cell: OrgUnit, kind: str, paths: list[str]) -> str | None:
        """The one file used for a cell and kind, or None (reported)."""
        distinct: dict[str, str] = {}
        for path in paths:
            sha = self.readings[path].sha256
            if sha in distinct:
                self.status[path] = "duplicate"
                self.issues[path].append(
                    catalogue.make(
                        "identical-copy",
                        location=Location(Path(path).name),
                        value=Path(path).name,
                        expected=Path(distinct[sha]).name,
                        unit_code=cell.code,
                    )
                )
            else:
                distinct[sha] = path
        candidates = list(distinct.values())
        if len(candidates) == 1:
            return candidates[0]
        title, title_en = KIND_TITLES[kind]
        names = ", ".join(Path(p).name for p in candidates)
        by_time = sorted(candidates, key=lambda p: self.readings[p].modified or dt.datetime.min)
        newest, runner_up = by_time[-1], by_time[-2]
        decided = self.readings[newest].modified != self.readings[runner_up].modified
        if self.latest and decided:
            for older in by_time[:-1]:
                self.status[older] = "duplicate"
                # an ignored file's own problems no longer matter; the choice is reported
                self.issues[older] = [
                    catalogue.make(
                        "older-version-ignored",
                        location=Location(Path(older).name),
                        value=Path(older).name,
                        expected=Path(newest).name,
                        unit=cell.code,
                        kind=title,
                        kind_en=title_en,
                        unit_code=cell.code,
                    )
                ]
            return newest
        for path in candidates:
            self.status[path] = "duplicate"
        self.late_issues.append(
            catalogue.make(
                "duplicate-file",
                value=names,
                unit=cell.code,
                count=len(candidates),
                kind=title,
                kind_en=title_en,
                unit_code=cell.code,
            )
        )
        return None


def collect_returns(
    paths: Sequence[Path],
    roster: Roster,
    year: int,
    rules: RuleSet,
    *,
    latest: bool = False,
    workers: int = 1,
    progress: Progress | None = None,
    ahead: ReadAhead | None = None,
    early: Callable[[CellReturn], object] | None = None,
) -> InboxResult:
    """Read an inbox (files and folders) against the roster: the returns the engine can use.

    ``workers`` > 1 reads files in a process pool; ``progress`` hears ("read", done, total).
    ``ahead``: the same ``paths`` already being read (``read_ahead``), before the roster was.
    ``early`` hears, while files are still being read, each cell whose two workbooks are in
    without errors so far: what its return will most likely be (``aggregate`` rates it then).
    A later file may still change or void it; ``returns`` alone is what counts.
    """
    if ahead is None:
        files = expand_paths(paths)
    elif [Path(p) for p in paths] == ahead.given:
        files = ahead.files  # listed once, when the reading started
    else:
        raise ValueError("collect_returns: ahead reads other files than paths")
    locks = [p for p in files if is_lock_file(p)]
    collector = _Collector(roster, year, rules, latest)
    # the readers check each file against the roster as they read it (they inherit it, with
    # its members by cell worked out once here)
    collector.expect.members_by_cell, collector.expect.member_index  # noqa: B018
    arrived = _EarlyReturns(collector, early).arrived if early is not None else None
    results = _read_and_check(_to_read(files), collector.expect, workers, progress, ahead, arrived)
    readings = [reading for reading, _ in results]
    groups: dict[tuple[str, str], list[str]] = {}
    for reading, checked in results:
        key = collector.take(reading, checked)
        if key is not None:
            groups.setdefault(key, []).append(reading.path)
    cells, returns, missing = [], [], []
    for cell in roster.tree.cells():
        status, cell_return = _cell(collector, cell, groups)
        cells.append(status)
        if cell_return is not None:
            returns.append(cell_return)
        if status.state == "missing":
            missing.append(cell)
    issues = [i for r in readings for i in collector.issues[r.path]]
    lock_issues = [
        catalogue.make("lock-file-ignored", location=Location(p.name), value=p.name) for p in locks
    ]
    inputs = [r.input_file(collector.status.get(r.path, "used")) for r in readings]
    inputs += [InputFile(str(p), "", status="ignored") for p in locks]
    return InboxResult(
        year=year,
        returns=tuple(returns),
        missing=tuple(missing),
        issues=(*issues, *lock_issues, *collector.late_issues),
        inputs=tuple(sorted(inputs, key=lambda f: f.path)),
        cells=tuple(cells),
    )


def _is_cell_return(reading: WorkbookReading, issues: Iterable[Issue]) -> bool:
    """A cell's self-assessment or ballot of this year, for a cell of this roster (``issues``:
    the reading's own and its checks'): what may stand for the cell, errors or not."""
    return (
        reading.identity is not None
        and reading.kind in CELL_KINDS
        and not any(i.code in _NOT_A_RETURN for i in issues)
    )


class _EarlyReturns:
    """Cells whose self-assessment and ballot have both come in, one file each and neither with
    an error so far, told to ``hear`` as they come in (``collect_returns``'s ``early``)."""

    def __init__(self, collector: _Collector, hear: Callable[[CellReturn], object]) -> None:
        self.collector, self.hear = collector, hear
        self.seen: dict[str, dict[str, list[WorkbookReading]]] = {}
        self.spoilt: set[str] = set()  # cells with a file in error: nothing to hear

    def arrived(self, chunk: list[Checked]) -> list[Checked]:
        expect = self.collector.expect
        checked_chunk: list[Checked] = []
        for reading, checked in chunk:
            if checked is None:  # a reader that did not know the roster: checked here, once
                checked = check_reading(reading, expect)
            checked_chunk.append((reading, checked))
            issues = (*reading.issues, *checked)
            if not _is_cell_return(reading, issues):
                continue
            assert reading.identity is not None  # a cell return has one
            code = reading.identity.cell_code
            if reading.content is None or any(i.severity is Severity.ERROR for i in issues):
                self.spoilt.add(code)
                continue
            kinds = self.seen.setdefault(code, {})
            kinds.setdefault(reading.kind, []).append(reading)
            sa, bb = kinds.get("self_assessment", ()), kinds.get("ballot", ())
            cell = self.collector.roster.tree.units.get(code)
            if len(sa) == len(bb) == 1 and code not in self.spoilt and cell and cell.kind.is_cell:
                self.hear(_return_of(expect, cell, sa[0], bb[0]))
        return checked_chunk


def _cell(
    collector: _Collector, cell: OrgUnit, groups: dict[tuple[str, str], list[str]]
) -> tuple[CellStatus, CellReturn | None]:
    chosen: dict[str, str | None] = {}
    received: dict[str, tuple[str, ...]] = {}
    state = "complete"
    for kind in CELL_KINDS:
        paths = groups.get((cell.code, kind), [])
        received[kind] = tuple(paths)
        if not paths:
            chosen[kind] = None
            title, title_en = KIND_TITLES[kind]
            collector.late_issues.append(
                catalogue.make(
                    "workbook-missing",
                    value=cell.code,
                    name=cell.name,
                    kind=title,
                    kind_en=title_en,
                    unit_code=cell.code,
                )
            )
            state = "missing"
            continue
        chosen[kind] = collector.choose(cell, kind, paths)
        if chosen[kind] is None and state == "complete":
            state = "duplicate"
    sa_path, bb_path = chosen["self_assessment"], chosen["ballot"]
    if sa_path and bb_path:
        collector.issues[bb_path].extend(
            check_pair(
                collector.readings[sa_path], collector.readings[bb_path], engine_follows=True
            )
        )
    chosen_paths = [p for p in (sa_path, bb_path) if p]
    for path in chosen_paths:
        if collector.has_errors(path) or collector.readings[path].content is None:
            collector.status[path] = "rejected"
            if state == "complete":
                state = "errors"
    for path in chosen_paths:
        if path not in collector.status:
            # a good file is "used" only when its cell's other workbook is usable too
            collector.status[path] = "used" if state == "complete" else "pending"

    def as_input(path: str) -> InputFile:
        return collector.readings[path].input_file(collector.status[path])

    status = CellStatus(
        cell=cell,
        used={k: as_input(p) if p and state == "complete" else None for k, p in chosen.items()},
        received={k: tuple(as_input(p) for p in ps) for k, ps in received.items()},
        state=state,
        ballot=_sound_ballot(collector, bb_path) if state == "errors" else None,
    )
    if state != "complete" or sa_path is None or bb_path is None:
        return status, None
    return status, _cell_return(collector, cell, sa_path, bb_path)


def _sound_ballot(collector: _Collector, path: str | None) -> BallotContent | None:
    """The ballot workbook at ``path`` as read, if it was read without an error."""
    if path is None or collector.has_errors(path):
        return None
    content = collector.readings[path].content
    return content if isinstance(content, BallotContent) else None


def _cell_return(collector: _Collector, cell: OrgUnit, sa_path: str, bb_path: str) -> CellReturn:
    readings = collector.readings
    return _return_of(collector.expect, cell, readings[sa_path], readings[bb_path])


def _return_of(
    expect: Expectations, cell: OrgUnit, sa_reading: WorkbookReading, bb_reading: WorkbookReading
) -> CellReturn:
    sa, bb = sa_reading.content, bb_reading.content
    assert isinstance(sa, SelfAssessmentContent) and isinstance(bb, BallotContent)
    return CellReturn(
        cell=cell,
        members=expect.members_by_cell.get(cell.code, ()),
        assessments={a.member_id: a for a in sa.assessments},
        meeting=bb.meeting,
        tallies={t.member_id: t for t in bb.tallies if t is not None and t.member_id},
        cell_assessment=sa.cell,
        cell_tally=bb.cell_tally,
    )


def detect_year(paths: Sequence[Path | str], sample: int = 25) -> int:
    """The rating year most of the first ``sample`` recognised cell files were made for.

    Raises ``InputError`` when no file tells (then the user must give ``--year``).
    """
    year = infer_year(paths, sample)
    if year is None:
        raise InputError(
            "Không nhận ra năm đánh giá từ các tệp gửi về; hãy chỉ rõ bằng --year "
            "(no file tells the rating year: give --year)."
        )
    return year


def infer_year(paths: Sequence[Path | str], sample: int = 25) -> int | None:
    """Like ``detect_year``, but None when no file tells."""
    years: Counter[int] = Counter()
    for path in expand_paths(paths):
        if is_lock_file(path):
            continue
        identity = peek_identity(path)
        if identity is not None and identity.year is not None and identity.kind in CELL_KINDS:
            years[identity.year] += 1
            if sum(years.values()) >= sample:
                break
    if not years:
        return None
    return max(years, key=lambda y: (years[y], y))
