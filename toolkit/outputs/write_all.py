"""``write_outputs``: every output of ``aggregate`` into one folder, the manifest last.

Every file is independent of the others, so with ``workers > 1`` (and enough members to be
worth a process) the summary workbook is written by a worker process, and with more workers
the per-cell workbooks too, while this process writes the rest. The bytes do not depend on
``workers``: each file is the same function of the same rows.
"""

from __future__ import annotations

import datetime as _dt
import json
import multiprocessing
import threading
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from toolkit.model import InputFile, OrgUnit
from toolkit.outputs.cell_xlsx import CellPack, cell_packs, write_cell_workbook
from toolkit.outputs.digest import build_digest
from toolkit.outputs.json_out import results_document, write_results_json
from toolkit.outputs.manifest import manifest_bytes, manifest_document
from toolkit.outputs.paths import CELLS_DIR, MANIFEST, RESULTS_JSON, SUMMARY, unique_stems
from toolkit.outputs.report_html import render_report
from toolkit.outputs.summary_xlsx import write_summary
from toolkit.outputs.view import Digest
from toolkit.results import DistrictResult
from toolkit.rulebook import RuleSet

#: cells per task sent to a worker: large enough that sending them costs little
CHUNK = 40
#: below this many members a worker process costs more to start than it saves
PARALLEL_FROM_MEMBERS = 2000


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
) -> list[Path]:
    """Write every output of ``aggregate`` into ``out_dir``; returns the paths written.

    ``tong-hop.xlsx``, ``bao-cao.html`` (and ``bao-cao/<code>.html`` for a city),
    ``chi-bo/<code>.xlsx`` for every cell in ``result.cells``, ``ket-qua.json``, and last
    ``manifest.json``. ``generated_on`` is the date printed in the outputs (never the clock),
    ``templates`` a folder of report templates that take precedence over the packaged ones.
    Files listed by a previous run's manifest and not written again are removed, so the folder
    never mixes two runs. ``OSError`` is left to the caller (it knows the user's words for it).
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    previous = _previous_outputs(out_dir)
    stems = unique_stems(c.cell.code for c in result.cells)
    digest = build_digest(
        result, inputs, ruleset=ruleset, parent=parent, generated_on=generated_on, stems=stems
    )
    packs = cell_packs(digest)
    cells_dir = out_dir / CELLS_DIR
    cells_dir.mkdir(exist_ok=True)
    written: list[Path] = [out_dir / SUMMARY]
    written += [out_dir / p.cell.file for p in packs if p.cell.file]

    if workers > 1 and sum(len(p.members) for p in packs) >= PARALLEL_FROM_MEMBERS:
        # the summary workbook (xlsxwriter, the longest single job) goes to a worker process;
        # with more workers the per-cell workbooks go to the others; this process renders the
        # report meanwhile
        with ProcessPoolExecutor(workers - 1, mp_context=_context()) as pool:
            pending = [pool.submit(write_summary, digest, out_dir / SUMMARY)]
            if workers > 2:
                chunks = [packs[i : i + CHUNK] for i in range(0, len(packs), CHUNK)]
                pending += [pool.submit(write_cell_workbooks, chunk, out_dir) for chunk in chunks]
            else:
                write_cell_workbooks(packs, out_dir)
            pages = _write_report(digest, out_dir, templates)
            for future in pending:
                future.result()  # re-raises a worker's exception here
    else:
        write_summary(digest, out_dir / SUMMARY)
        write_cell_workbooks(packs, out_dir)
        pages = _write_report(digest, out_dir, templates)
    written += pages

    document = results_document(
        result,
        digest,
        inputs,
        ruleset=ruleset,
        parent=parent,
        report_parts=[p.relative_to(out_dir).as_posix() for p in pages[1:]],
    )
    (out_dir / RESULTS_JSON).write_bytes(write_results_json(document))
    written.append(out_dir / RESULTS_JSON)

    manifest = manifest_document(
        out_dir, written, inputs, year=result.year, ruleset=ruleset, generated_on=generated_on
    )
    (out_dir / MANIFEST).write_bytes(manifest_bytes(manifest))
    _remove_stale(out_dir, previous, written)
    return [*written, out_dir / MANIFEST]


def write_cell_workbooks(packs: Sequence[CellPack], out_dir: Path) -> None:
    """Write the result workbooks of ``packs`` (a worker's task, or all of them in-process)."""
    for pack in packs:
        if pack.cell.file:
            write_cell_workbook(pack, out_dir / pack.cell.file)


def _write_report(digest: Digest, out_dir: Path, templates: Path | None) -> list[Path]:
    """The report pages; returns their paths, main page first."""
    pages = render_report(digest, templates=templates)
    paths = []
    for relative, html in pages.items():
        path = out_dir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(html.encode("utf-8"))
        paths.append(path)
    # bao-cao.html first, then the part pages in name order
    return sorted(paths, key=lambda p: (p.parent != out_dir, p.as_posix()))


def _context() -> multiprocessing.context.BaseContext:
    """Fork when this process runs a single thread (fast: nothing to re-import); otherwise
    forkserver or spawn, because forking a process that holds threads can deadlock (and is
    warned about from Python 3.12)."""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def _previous_outputs(out_dir: Path) -> list[Path]:
    """Outputs a previous run recorded in its manifest (only files we wrote ourselves)."""
    try:
        data = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
        entries = data["outputs"] if data.get("schema") == "xeploai/manifest/1" else []
        return [out_dir / str(e["path"]) for e in entries]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return []


def _remove_stale(out_dir: Path, previous: Sequence[Path], written: Sequence[Path]) -> None:
    keep = {p.resolve() for p in written}
    root = out_dir.resolve()
    for path in previous:
        resolved = path.resolve()
        # never step outside the output folder, whatever an old manifest says
        if resolved not in keep and root in resolved.parents and resolved.is_file():
            resolved.unlink()
