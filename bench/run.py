"""``make bench``: time ``xeploai aggregate`` end to end on a district and on a city.

Each dataset is a seeded demo district written once under ``bench/out/<name>/`` (roster and
returned workbooks with per-ballot sheets; reused while its parameters are unchanged). For each:

- ``aggregate``: the whole command as a separate process (``python -m toolkit aggregate``),
  median of ``--repeat`` runs, peak memory and CPU time (user + system) of the process tree,
  sampled from /proc; CPU time is what a shared machine changes least, so it is printed too;
- ``validate`` of the same files with the roster (median of ``--repeat`` runs);
- two references measured in the same run: merely reading the same files with openpyxl (what a
  hand-written script does) and with python-calamine.

Targets (issue #4): district ≤ 2 s and city ≤ 15 s end to end, peak memory ≤ 500 MB, growth
linear in cells. A benchmark, not a test: it prints what it measured and never fails on time.

Nothing is deleted while runs are measured (``discard``): what the last bench wrote is moved aside
and deleted once everything is measured, and a bench started less than ``SETTLE_SECONDS`` after
that deletion waits out the rest first.

    .venv/bin/python bench/run.py [--only district|city|rollup] [--repeat 3] [--workers 2] [--full]

``--only rollup`` measures only the roll-up (``bench/rollup_bench.py``: a province of 100 ward
packages and a national simulation of 60 provincial ones); without ``--only`` it runs last.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import cast

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"

#: how often the process tree is sampled: a sample reads every /proc/<pid>/stat (about 2 ms of
#: CPU here), so sampling every 20 ms took a tenth of a CPU from the run being measured
SAMPLE_SECONDS = 0.05

#: the targets (2 s, 15 s) over the issue's own calamine readings of the same datasets (0.35 s
#: and 1.6 s): a comparison that holds when the machine's speed has changed
TARGET_RATIOS = {"district": 2 / 0.35, "city": 15 / 1.6}
#: where ``discard`` moves what a run is to replace; emptied when everything is measured
TRASH = OUT / ".cu"
#: when ``TRASH`` was last emptied (a file's modification time)
EMPTIED = OUT / ".da-xoa"
#: On ext4 without a journal (this machine's disk), making a file checks, one by one, every
#: inode of its group freed less than 60 s ago (360 s while its block is not written back: the
#: kernel's ``recently_deleted``). A city run made right after deleting the 3,400 files of the
#: last one spent 4.5 % of its CPU samples there (``perf``), against 0.05 % 75 s after: that is
#: the bench's clean-up, not the tool's work, so no deletion comes less than this before a run.
SETTLE_SECONDS = 65
#: name -> (cells, seed, year); sizes from the issue: ~5,000 and ~52,000 members
DATASETS = {"district": (150, 150, 2023), "city": (1500, 1500, 2025)}


@dataclass(frozen=True)
class Measure:
    seconds: float
    peak_mb: float
    #: CPU time of the whole process tree (user + system): what a shared machine changes least
    cpu_seconds: float = 0.0


def ensure_dataset(name: str, workers: int) -> Path:
    """The dataset's folder, built on first use (or when its parameters changed)."""
    cells, seed, year = DATASETS[name]
    folder = OUT / name
    stamp = folder / "stamp.json"
    wanted = {"cells": cells, "seed": seed, "year": year, "ballot_papers": "all"}
    if stamp.exists() and json.loads(stamp.read_text()) == wanted:
        return folder
    discard(folder)
    print(f"[{name}] building {cells} cells (once; cached in {folder}) …", flush=True)
    start = time.perf_counter()
    from toolkit.demo.build import build_demo

    build_demo(folder, year=year, cells=cells, seed=seed, ballot_papers="all", workers=workers)
    discard(folder / "bieu-mau")  # templates are not read back
    stamp.write_text(json.dumps(wanted))
    os.sync()  # the build's writes go to disk now, not during the runs measured next
    print(f"[{name}] built in {time.perf_counter() - start:.0f} s", flush=True)
    return folder


def discard(path: Path) -> None:
    """``path`` out of the way without deleting it now: moved into ``TRASH``."""
    if path.exists():
        TRASH.mkdir(parents=True, exist_ok=True)
        path.rename(TRASH / f"{path.parent.name}-{path.name}-{time.time_ns()}")


def settle() -> None:
    """Wait until the last bench's deletion is ``SETTLE_SECONDS`` old."""
    if not EMPTIED.exists():
        return
    # never longer than SETTLE_SECONDS, whatever the clock did since
    left = min(EMPTIED.stat().st_mtime + SETTLE_SECONDS - time.time(), SETTLE_SECONDS)
    if left > 0:
        print(f"waiting {left:.0f} s: the last bench deleted its outputs "
              f"{SETTLE_SECONDS - left:.0f} s ago (SETTLE_SECONDS)", flush=True)  # fmt: skip
        time.sleep(left)


def empty_trash() -> None:
    """Delete what ``discard`` moved aside, once every run is measured, and note when."""
    if TRASH.exists():
        shutil.rmtree(TRASH)
        os.sync()  # written back, freed inodes are "recent" for 60 s, not 360 s
        EMPTIED.touch()


def _tree_stats(root_pid: int) -> tuple[int, dict[int, int]]:
    """Resident memory (KB) of a process and all its descendants, and each one's own CPU time
    so far in clock ticks (user + system), from /proc (Linux)."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    ticks: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            parents[int(entry)] = int(fields[1])
            rss[int(entry)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE") // 1024
            ticks[int(entry)] = int(fields[11]) + int(fields[12])
        except (OSError, IndexError, ValueError):
            continue
    total, stack, cpu = 0, [root_pid], {}
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        cpu[pid] = ticks.get(pid, 0)
        stack.extend(child for child, parent in parents.items() if parent == pid)
    return total, cpu


def measure(cmd: list[str]) -> Measure:
    """Run ``cmd``; its wall time and the peak resident memory of its process tree."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    cpu: dict[int, int] = {}  # pid → the most CPU ticks seen (a process's last moments escape)
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            rss, ticks = _tree_stats(proc.pid)
            peak = max(peak, rss)
            for pid, used in ticks.items():
                cpu[pid] = max(cpu.get(pid, 0), used)
            done.wait(SAMPLE_SECONDS)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    if proc.returncode not in (0, 1):
        raise SystemExit(f"command failed ({proc.returncode}): {' '.join(cmd)}\n{err.decode()}")
    return Measure(seconds, peak / 1024, sum(cpu.values()) / os.sysconf("SC_CLK_TCK"))


def median(runs: list[Measure]) -> Measure:
    return Measure(
        statistics.median(r.seconds for r in runs),
        max(r.peak_mb for r in runs),
        statistics.median(r.cpu_seconds for r in runs),
    )


READ_OPENPYXL = """
import sys, openpyxl
for path in sys.argv[1:]:
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            pass
    book.close()
"""

READ_CALAMINE = """
import sys
from concurrent.futures import ProcessPoolExecutor
from python_calamine import CalamineWorkbook

def read(path):
    book = CalamineWorkbook.from_path(path)
    return sum(len(book.get_sheet_by_name(n).to_python()) for n in book.sheet_names)

if __name__ == "__main__":
    workers, paths = int(sys.argv[1]), sys.argv[2:]
    with ProcessPoolExecutor(workers) as pool:
        sum(pool.map(read, paths, chunksize=32))
"""


def bench(name: str, repeat: int, workers: int, full: bool) -> dict[str, object]:
    folder = ensure_dataset(name, workers)
    inbox, roster = folder / "hop-thu", folder / "danh-sach-dang-vien.xlsx"
    files = sorted(str(p) for p in inbox.iterdir())
    cells = DATASETS[name][0]
    python = sys.executable
    runs = []
    for i in range(repeat):
        out = folder / f"ket-qua-{i}"
        discard(out)
        cmd = [python, "-m", "toolkit", "aggregate", str(inbox), "--roster", str(roster),
               "-o", str(out), "-q", "--workers", str(workers)]  # fmt: skip
        runs.append(measure(cmd))
        run = runs[-1]
        print(f"[{name}] run {i + 1}: {run.seconds:.2f} s, cpu {run.cpu_seconds:.2f} s, "
              f"peak {run.peak_mb:.0f} MB, load {os.getloadavg()[0]:.2f}", flush=True)  # fmt: skip
    agg = median(runs)
    row: dict[str, object] = {
        "dataset": name,
        "cells": cells,
        "files": len(files),
        "aggregate_s": agg.seconds,
        "files_per_s": len(files) / agg.seconds,
        "peak_mb": agg.peak_mb,
        "cpu_s": agg.cpu_seconds,
    }
    # ``validate`` reads and checks the same files (what staff run before ``aggregate``)
    check = [python, "-m", "toolkit", "validate", str(inbox), "--roster", str(roster),
             "--workers", str(workers), "--format", "json"]  # fmt: skip
    row["validate_s"] = median([measure(check) for _ in range(repeat)]).seconds
    calamine = median(
        [measure([python, "-c", READ_CALAMINE, str(workers), *files]) for _ in range(repeat)]
    )
    row["calamine_s"] = calamine.seconds
    if name == "district" or full:
        openpyxl = measure([python, "-c", READ_OPENPYXL, *files])
        row["openpyxl_s"] = openpyxl.seconds
    return row


def compile_toolkit() -> None:
    """Byte-compile the toolkit, as ``pip install`` does for an installed copy: a checkout run
    with PYTHONDONTWRITEBYTECODE (this machine sets it) would compile every module again in
    every process it starts, about 0.1 s apiece, and that is not what a user's run does."""
    compileall.compile_dir(ROOT / "toolkit", quiet=1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", choices=[*sorted(DATASETS), "rollup"])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--full", action="store_true", help="also read the city with openpyxl")
    args = parser.parse_args()
    names = [args.only] if args.only else list(DATASETS)
    compile_toolkit()
    # a shared machine's load changes wall times more than anything measured here: say it
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs", flush=True)
    # the interpreter's build changes every figure (``Makefile``: PYTHON)
    print(f"Python {sys.version.split()[0]} ({os.path.realpath(sys.executable)})", flush=True)
    settle()
    try:
        return measure_all(names, args)
    finally:
        empty_trash()


def measure_all(names: list[str], args: argparse.Namespace) -> int:
    """Measure ``names`` (and the roll-up) and print the figures."""
    if args.only == "rollup":
        return bench_rollup(args.repeat)
    rows = [bench(n, args.repeat, args.workers, args.full) for n in names]
    print()
    print(f"{'dataset':9} {'cells':>6} {'files':>6} {'aggregate':>10} {'cpu':>8} {'files/s':>8} "
          f"{'peak MB':>8} {'validate':>9} {'calamine':>9} {'openpyxl':>9}")  # fmt: skip
    for r in rows:
        openpyxl = f"{r['openpyxl_s']:.2f} s" if "openpyxl_s" in r else "—"
        print(
            f"{r['dataset']:9} {r['cells']:>6} {r['files']:>6} {r['aggregate_s']:>8.2f} s "
            f"{r['cpu_s']:>6.2f} s {r['files_per_s']:>8.0f} {r['peak_mb']:>8.0f} "
            f"{r['validate_s']:>7.2f} s {r['calamine_s']:>7.2f} s {openpyxl:>9}"
        )
    if len(rows) == 2:
        per_cell = [cast(float, r["aggregate_s"]) / cast(int, r["cells"]) for r in rows]
        print(f"\ngrowth: {per_cell[1] / per_cell[0]:.2f}× the district's time per cell "
              "(1.00 = linear)")  # fmt: skip
    print("targets: district ≤ 2 s, city ≤ 15 s, peak ≤ 500 MB")
    # the machine's speed moves from one run to the next; the references move with it, so
    # these ratios compare runs made on different days
    for r in rows:
        ratio = cast(float, r["aggregate_s"]) / cast(float, r["calamine_s"])
        target = TARGET_RATIOS[cast(str, r["dataset"])]
        print(f"{r['dataset']}: aggregate takes {ratio:.1f}× the time of reading with calamine "
              f"(the target is {target:.1f}× on the machine of issue #4)")  # fmt: skip
    from engine_bench import run as engine_run  # type: ignore[import-not-found]

    print(engine_run().line())
    return 0 if args.only else bench_rollup(args.repeat)


def bench_rollup(repeat: int) -> int:
    """The roll-up's datasets (``bench/rollup_bench.py``), measured like ``aggregate``."""
    import rollup_bench  # type: ignore[import-not-found]

    rows = [
        rollup_bench.bench(OUT, name, repeat, measure, median, discard)
        for name in rollup_bench.DATASETS
    ]
    rollup_bench.report(rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
