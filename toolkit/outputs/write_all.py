"""``write_outputs``: every output of ``aggregate`` into one folder, the manifest last.

Every file is independent of the others, so with ``workers > 1`` (and enough members to be
worth a process) the decisions workbook, the summary workbook, the committee's lists, the
report's part pages and the per-cell workbooks are written by worker processes while this
process writes the main report page and the JSON, then helps with what is left. Workers
started from a fork server (a city) receive their tasks pickled, the decisions workbook first,
while this process builds the digest; the summary and the committee's lists, which need the
whole digest, are written here. The bytes do not depend on ``workers``: each file is the
same function of the same rows.
"""

from __future__ import annotations

import datetime as _dt
import gc
import multiprocessing
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from toolkit.gcpause import collector_paused, frozen
from toolkit.model import InputFile, OrgUnit
from toolkit.outputs.cell_xlsx import CellPack, cell_packs, write_cell_workbook
from toolkit.outputs.digest import build_digest, cell_stems
from toolkit.outputs.documents import (
    COMMITTEE_DOCUMENTS,
    committee_documents,
    count_minutes,
    minutes_path,
)
from toolkit.outputs.json_out import results_document, write_results_json
from toolkit.outputs.manifest import manifest_bytes, manifest_document
from toolkit.outputs.paths import (
    CELLS_DIR,
    DECISIONS,
    MANIFEST,
    MINUTES_DIR,
    REPORT_SUMMARY,
    RESULTS_JSON,
    SUMMARY,
)
from toolkit.outputs.report_html import (
    PartPage,
    ReportPage,
    report_pages,
    summary_page,
    write_pages,
)
from toolkit.outputs.staging import staged
from toolkit.outputs.summary_xlsx import write_summary
from toolkit.outputs.view import Digest
from toolkit.outputs.word import write_document
from toolkit.results import DistrictResult
from toolkit.rulebook import RuleSet
from toolkit.workbooks.decisionbook import (
    DecisionsSheets,
    decisions_sheets,
    write_decisions_sheets,
)

#: cells per task sent to a worker: large enough that sending them costs little, small enough
#: that the last tasks end together: this process waits at the end for the two a pool's worker
#: holds (one running, one queued: neither can be taken back), 0.2-0.5 s for a city with tasks
#: of 25 cells and 8 pages, 0.1 s with these
CHUNK = 8
#: report pages (one per tổ chức cơ sở đảng of a city) per task
PAGES = 3
#: below this many members a worker process costs more to start than it saves
PARALLEL_FROM_MEMBERS = 2000
#: from this many members workers start from a fork server rather than a copy of this process
FORK_BELOW_MEMBERS = 20000
#: from this many returned files a run will have that many members (two files a cell, so
#: about 17 members a file): its writers' fork server is started before reading
FORK_SERVER_FROM_FILES = FORK_BELOW_MEMBERS // 17


def write_outputs(
    result: DistrictResult,
    inputs: Sequence[InputFile],
    out_dir: Path,
    *,
    ruleset: RuleSet,
    parent: OrgUnit | None,
    generated_on: _dt.date,
    workers: int = 1,
    templates: Path | None = None,
    proposals: DistrictResult | None = None,
) -> list[Path]:
    """Write every output of ``aggregate`` into ``out_dir``; returns the paths written.

    ``tong-hop.xlsx``, ``bao-cao.html`` (and ``bao-cao/<code>.html`` for a city), its summary
    ``bao-cao-tom-tat.html`` (no member detail, for e-mail),
    ``chi-bo/<code>.xlsx`` for every cell in ``result.cells`` and ``result.rejected`` (its
    problems, to send back), ``ket-qua.json``, and last
    ``manifest.json``. ``generated_on`` is the date printed in the outputs (never the clock),
    ``templates`` a folder of report templates that take precedence over the packaged ones.
    Everything is written into a staging folder beside ``out_dir`` and swapped in whole
    (``staging.staged``): until then ``out_dir`` holds the previous set, untouched, and what it
    holds besides our outputs (``mail``'s sent log) is carried over. ``OSError`` is left to the
    caller (it knows the user's words for it); the staging folder is gone by then.
    """
    final = Path(out_dir)
    members = sum(len(c.members) for c in result.cells)
    context = _context(members) if workers > 1 and members >= PARALLEL_FROM_MEMBERS else None
    # writing frees its data as it goes: no collector passes over the results and the digest
    # (about 2 s for a city) until it is done
    with staged(final) as out_dir, _writers(context, workers) as pool, collector_paused(), frozen():
        decisions = decisions_sheets(
            proposals or result, parent=parent, generated_on=generated_on, rules=ruleset
        )
        # a fork server's worker starts on the decisions workbook (its rows are plain data)
        # while this process builds the digest and plans the rest (a second, for a city)
        early = (
            None if pool is None else pool.submit(write_decisions, decisions, out_dir / DECISIONS)
        )
        stems = cell_stems(result)
        digest = build_digest(
            result, inputs, ruleset=ruleset, parent=parent, generated_on=generated_on, stems=stems
        )
        packs = cell_packs(digest)
        cells_dir = out_dir / CELLS_DIR
        cells_dir.mkdir(exist_ok=True)
        written: list[Path] = [out_dir / SUMMARY]
        written += [out_dir / p.cell.file for p in packs if p.cell.file]
        (out_dir / MINUTES_DIR).mkdir(parents=True, exist_ok=True)
        written += [out_dir / path for p in packs if (path := minutes_path(p))]
        written += [out_dir / path for path in COMMITTEE_DOCUMENTS]
        written.append(out_dir / DECISIONS)

        pages = report_pages(digest)
        main = pages[-1][2]
        assert isinstance(main, ReportPage)
        # the main page and its summary variant (no member detail: what goes by e-mail)
        here = [pages[-1], summary_page(main)]
        report = [out_dir / pages[-1][0], *(out_dir / path for path, _, _ in pages[:-1])]
        written += [*report, out_dir / REPORT_SUMMARY, out_dir / RESULTS_JSON]

        pickled = pool is not None  # a fork server's workers get their tasks pickled

        def write_here() -> None:
            """The main report page and the JSON (and the summary and the committee's lists
            for a fork server's workers): always written by this process."""
            if pickled:  # the whole digest would be pickled (about 0.6 s for a city)
                write_summary(digest, out_dir / SUMMARY)
                write_committee_documents(digest, out_dir)
            write_pages(here, out_dir, templates)
            document = results_document(
                result,
                digest,
                inputs,
                ruleset=ruleset,
                parent=parent,
                report_parts=[p.relative_to(out_dir).as_posix() for p in report[1:]],
            )
            with (out_dir / RESULTS_JSON).open("wb") as stream:
                write_results_json(document, stream)

        tasks = [
            *([] if pickled else committee_tasks(decisions, digest, out_dir)),
            *plan_tasks(digest, packs, pages[:-1], out_dir, templates, pickled=pickled),
        ]
        if pool is not None:
            _pooled(tasks, pool, write_here)
        elif context is not None:  # forked workers inherit the plan
            _forked(tasks, workers - 1, write_here, context)
        else:
            for function, args in tasks:
                function(*args)
            write_here()

        if early is not None:
            early.result()  # re-raises the worker's exception here
        manifest = manifest_document(
            out_dir, written, inputs, year=result.year, ruleset=ruleset, generated_on=generated_on
        )
        (out_dir / MANIFEST).write_bytes(manifest_bytes(manifest))
        written.append(out_dir / MANIFEST)
    return [final / path.relative_to(out_dir) for path in written]


Task = tuple[Callable[..., object], tuple[object, ...]]
#: a report page to render: (relative path, template, context)
Page = tuple[str, str, ReportPage | PartPage]


def committee_tasks(decisions: DecisionsSheets, digest: Digest, out_dir: Path) -> list[Task]:
    """The deciding committee's files as tasks for forked writers, longest first: the decisions
    workbook (a row per member, 1 s for a city) and the three lists. A fork server's workers
    get the decisions workbook as soon as they start, and this process writes the lists (they
    would send the whole digest)."""
    return [
        (write_decisions, (decisions, out_dir / DECISIONS)),
        (write_committee_documents, (digest, out_dir)),
    ]


def write_decisions(decisions: DecisionsSheets, target: Path) -> None:
    """The decisions workbook (``decisionbook.write_decisions_sheets``), its objects freed.

    xlsxwriter's objects (the sheets but for their member rows, which the lean writer renders
    and ``splice`` streams in) are held by reference cycles, which only the collector frees:
    this process, which pauses its collector while it writes, would keep them to the end. So
    the collector is paused while the workbook is written, then collects them at once; the
    pass walks only what was made since the objects before were frozen (``gcpause.frozen``).
    """
    with collector_paused():
        write_decisions_sheets(decisions, target)
        gc.collect()


def write_committee_documents(digest: Digest, out_dir: Path) -> None:
    """The deciding committee's three lists (``documents.committee_documents``)."""
    for path, data in committee_documents(digest):
        write_document(data, out_dir / path)


def plan_tasks(
    digest: Digest,
    packs: Sequence[CellPack],
    parts: Sequence[Page],
    out_dir: Path,
    templates: Path | None,
    *,
    pickled: bool = False,
) -> list[Task]:
    """The work that may go to other processes, longest first: the summary workbook, the
    report's part pages by ``PAGES``, the per-cell workbooks by ``CHUNK``. Each file is in
    exactly one task; the main report page is in none (this process writes it).

    ``pickled``: the tasks travel pickled to their workers (a fork server's). The summary is
    then left out (it would send the whole digest: this process writes it), and each part page
    goes with the workbooks of its cells, so that their member rows are pickled once; part
    pages follow one another in a task up to ``PAGES`` pages or ``CHUNK`` cells (a city has
    hundreds of parts of a few cells each: a task apiece left the worker waiting for the next
    one about a second in all).
    """
    if not pickled:
        return [
            (write_summary, (digest, out_dir / SUMMARY)),
            *(
                (write_pages, (parts[i : i + PAGES], out_dir, templates))
                for i in range(0, len(parts), PAGES)
            ),
            *_pack_tasks(packs, out_dir),
        ]
    by_part: dict[str, list[CellPack]] = {}
    for pack in packs:
        by_part.setdefault(pack.cell.grassroots_code, []).append(pack)
    bundles: list[Task] = []
    pages: list[Page] = []
    cells: list[CellPack] = []
    for part in parts:
        code = part[2].code if isinstance(part[2], PartPage) else ""
        pages.append(part)
        cells += by_part.pop(code, [])
        if len(pages) >= PAGES or len(cells) >= CHUNK:
            bundles.append((write_bundle, (pages, cells, out_dir, templates)))
            pages, cells = [], []
    if pages:
        bundles.append((write_bundle, (pages, cells, out_dir, templates)))
    return [*bundles, *_pack_tasks([p for left in by_part.values() for p in left], out_dir)]


def _pack_tasks(packs: Sequence[CellPack], out_dir: Path) -> list[Task]:
    return [
        (write_cell_workbooks, (packs[i : i + CHUNK], out_dir)) for i in range(0, len(packs), CHUNK)
    ]


def write_bundle(
    parts: Sequence[Page],
    packs: Sequence[CellPack],
    out_dir: Path,
    templates: Path | None,
) -> None:
    """Part pages of the report and the workbooks of their cells (a pickled worker's task)."""
    write_pages(parts, out_dir, templates)
    write_cell_workbooks(packs, out_dir)


def write_cell_workbooks(packs: Sequence[CellPack], out_dir: Path) -> None:
    """Write the result workbooks of ``packs`` (a worker's task, or all of them in-process)."""
    for pack in packs:
        if pack.cell.file:
            write_cell_workbook(pack, out_dir / pack.cell.file)
        if minutes := minutes_path(pack):
            write_document(count_minutes(pack), out_dir / minutes)


def _pooled(
    tasks: Sequence[Task], pool: ProcessPoolExecutor, write_here: Callable[[], None]
) -> None:
    """``tasks`` go pickled to ``pool``'s workers (a fork server's), longest first, while this
    process does ``write_here``; then it takes back, from the end, the tasks no worker has
    started, so that neither side waits for the other."""
    futures = [pool.submit(function, *args) for function, args in tasks]
    write_here()
    for (function, args), future in zip(reversed(tasks), reversed(futures), strict=True):
        if not future.cancel():
            break  # a worker has reached this task: the ones before it are theirs
        function(*args)
    for future in futures:
        if not future.cancelled():
            future.result()  # re-raises a worker's exception here


@contextmanager
def _writers(
    context: multiprocessing.context.BaseContext | None, workers: int
) -> Iterator[ProcessPoolExecutor | None]:
    """For workers from a fork server (a city), a pool whose ``workers - 1`` processes start
    now, importing the writers while this process builds the digest; else None (forked
    workers start when the plan is made, and need nothing imported)."""
    if context is None or context.get_start_method() == "fork":
        yield None
        return
    pool = ProcessPoolExecutor(workers - 1, mp_context=context)
    try:
        for _ in range(workers - 1):
            pool.submit(_ready)
        yield pool
    finally:
        pool.shutdown(cancel_futures=True)


def _ready() -> None:
    """A first task: by the time it runs, the worker has imported this module (every writer),
    which its collector need never walk again (it did, every half second, 15 ms a time)."""
    gc.freeze()


def _forked(
    tasks: Sequence[Task],
    children: int,
    write_here: Callable[[], None],
    context: multiprocessing.context.BaseContext,
) -> None:
    """``_pooled`` with forked children that inherit ``tasks``: nothing is pickled (a pool
    would pickle the digest, 50,000 members for a city, to send it to the summary's worker).

    Children take tasks from the front and this process, once ``write_here`` is done, from the
    back, through one shared pair of indices; a child sends back None, or the exception that
    stopped it, which is raised here once every child has finished.
    """
    bounds = context.Array("i", [0, len(tasks)])
    reader, sender = context.Pipe(duplex=False)
    with frozen():  # for the children: the plan and the digest they inherit
        procs = [
            context.Process(target=_take_front, args=(tasks, bounds, sender))  # type: ignore[attr-defined]
            for _ in range(children)
        ]
        for proc in procs:
            proc.start()
    sender.close()
    try:
        write_here()
        while (index := _take(bounds, front=False)) is not None:
            function, args = tasks[index]
            function(*args)
    except BaseException:
        with bounds.get_lock():
            bounds[0] = bounds[1]  # no child starts anything more
        raise
    finally:
        failures = []
        for _ in procs:
            try:
                failures.append(reader.recv())
            except EOFError:
                break  # a child died without a word: its exit code says so below
        for proc in procs:
            proc.join()
        reader.close()
    for failure in failures:
        if failure is not None:
            raise failure
    if any(proc.exitcode for proc in procs):
        # what a pool raises for a worker killed from outside (the machine out of memory...)
        raise BrokenProcessPool(f"a writer process ended with {[p.exitcode for p in procs]}")


def _take(bounds: Any, *, front: bool) -> int | None:
    """The next task's index from the front or the back, or None when none is left."""
    with bounds.get_lock():
        if bounds[0] >= bounds[1]:
            return None
        if front:
            bounds[0] += 1
            return int(bounds[0] - 1)
        bounds[1] -= 1
        return int(bounds[1])


def _take_front(tasks: Sequence[Task], bounds: Any, sender: Any) -> None:
    """A forked child: tasks from the front until none is left; then None or the exception."""
    try:
        while (index := _take(bounds, front=True)) is not None:
            function, args = tasks[index]
            function(*args)
    except BaseException as exc:  # sent to the parent, which raises it
        with bounds.get_lock():
            bounds[0] = bounds[1]
        sender.send(exc)
        return
    sender.send(None)


def start_fork_server(files: int, workers: int) -> None:
    """Start the fork server the writers of a run of ``files`` returned files will come from
    (``_context``), if the run is that large: now, while this process is small, rather than
    when the writers start. The server and its resource tracker are spawned from this process,
    and until each has started it shows this process's size: a city's 250 MB counted twice in
    the memory of the process tree (532 MB measured once)."""
    large = workers > 1 and files >= FORK_SERVER_FROM_FILES
    if large and "forkserver" in multiprocessing.get_all_start_methods():
        from multiprocessing import forkserver

        forkserver.ensure_running()


def _context(members: int) -> multiprocessing.context.BaseContext:
    """How worker processes start: a plain fork for a district, a fork server for a city.

    A fork is the quickest start (nothing to import again), but it copies this whole process:
    for a city each worker would begin with the results and the digest of 50,000 members (the
    process tree's resident memory nearly doubles), so above ``FORK_BELOW_MEMBERS`` the fork
    server starts small workers from a clean state. A process that holds threads is never
    forked plainly (that can deadlock, and Python 3.12 warns about it).
    """
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and members < FORK_BELOW_MEMBERS and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
