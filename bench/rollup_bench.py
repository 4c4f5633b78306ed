"""The roll-up in ``make bench``: a province of ~100 ward packages (≈ 300,000 members) and a
national simulation of ~5.3 million members in ~60 provincial packages.

The packages are synthetic but written by the project's own writers (``write_rollup_json``
and the manifest's), with the shape a real roll-up gives: every chi bộ's counts (about 30
members each), a few cases that went to the competent level, decided results. They are built
once under ``bench/out/rollup-<name>/`` and reused while their parameters are unchanged; then
``xeploai rollup`` runs on them as a separate process. Targets (issue #14): province ≤ 2 s;
national ≤ 10 s and ≤ 1 GB peak memory; growth linear in packages.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

#: name -> (packages, members per package, roster code of the level, package code prefix)
DATASETS = {
    "province": (100, 3_000, "TU-BENCH", "DU"),
    "national": (60, 88_400, "TW", "TU"),
}
MEMBERS_PER_CELL = 30
YEAR = 2025
TYPES = ("xa-phuong", "co-quan", "truong-hoc", "doanh-nghiep", "luc-luong-vu-trang")


def _cell_counts(rng: random.Random, size: int) -> dict[str, Any]:
    not_rated = [0] * 7
    for _ in range(rng.randint(0, 3)):
        not_rated[rng.randrange(7)] += 1
    rated = size - sum(not_rated)
    xs = rng.randint(0, rated // 5)
    ht = rng.randint(0, 2)
    kht = 1 if rng.random() < 0.05 else 0
    undecided = 1 if rng.random() < 0.02 else 0
    good = rated - xs - ht - kht - undecided
    return {
        "roster": size,
        "undecided": undecided,
        "levels": [xs, good, ht, kht],
        "not_rated": not_rated,
    }


def build_package(folder: Path, code: str, members: int, seed: int) -> None:
    """One decided roll-up package of ``members`` members in cells of about 30."""
    from toolkit import __version__
    from toolkit.model import InputFile
    from toolkit.outputs.json_out import counts_entry, ruleset_entry
    from toolkit.outputs.manifest import manifest_bytes, manifest_document
    from toolkit.rollup.extract import content_of
    from toolkit.rollup.json_out import write_rollup_json
    from toolkit.rulebook import load_ruleset

    rng = random.Random(seed)
    rules = load_ruleset(YEAR)
    orgs, cases = [], []
    left, n = members, 0
    while left > 0:
        n += 1
        size = rng.randint(MEMBERS_PER_CELL - 15, MEMBERS_PER_CELL + 15)
        if left - size < MEMBERS_PER_CELL - 15:
            size = left  # the last cell takes the rest (never a cell of two)
        left -= size
        counts = _cell_counts(rng, size)
        level = rng.choice(("HTXSNV", "HTTNV", "HTTNV", "HTTNV", "HTNV"))
        committee = f"{code}-{n // 30:03d}"
        orgs.append({
            "path": [committee], "code": f"CB{n:04d}", "name": f"Chi bộ số {n}",
            "kind": "chi_bo_truc_thuoc", "org_type": TYPES[n % len(TYPES)], "status": "rated",
            "level": level, "level_decided": True, "members_decided": True, "counts": counts,
        })  # fmt: skip
        if counts["undecided"]:
            cases.append({
                "path": [committee], "cell_code": f"CB{n:04d}", "member_id": f"{code}-{n}",
                "full_name": "Nguyễn Văn A", "case": "tie", "proposed_level": None,
                "decided_level": "HTTNV", "decided": True,
            })  # fmt: skip
    day = _dt.date(YEAR, 12, 20)
    document: dict[str, Any] = {
        "schema": "xeploai/ket-qua/1", "kind": "rollup", "toolkit_version": __version__,
        "year": YEAR, "generated_on": day.isoformat(), "ruleset": ruleset_entry(rules),
        "parent": {"code": code, "name": f"Cấp ủy {code}"},
        "completeness": {"committees": 1, "reported": 1, "decided": 1, "proposed": 0,
                         "missing": 0, "refused": 0, "all_decided": True},
        "cases": cases, "organizations": orgs, "totals": {},
    }  # fmt: skip
    totals = _totals(orgs)
    document["totals"] = {**counts_entry(totals.level_counts()), "organizations": len(orgs)}
    # what the reader will check, checked here (the reader changes the paths: a copy)
    copy = json.loads(json.dumps(document))
    assert content_of(copy, kind="rollup", decided=True, committee=code).counts == totals
    document["organizations"] = [json.dumps(orgs, ensure_ascii=False).encode()]
    folder.mkdir(parents=True)
    results = folder / "ket-qua.json"
    with results.open("wb") as stream:
        write_rollup_json(document, stream)
    inputs: list[InputFile] = []
    manifest = manifest_document(
        folder, [results], inputs, year=YEAR, ruleset=rules, generated_on=day
    )
    (folder / "manifest.json").write_bytes(manifest_bytes(manifest))


def _totals(orgs: list[dict[str, Any]]) -> Any:
    from toolkit.rollup.tally import Counts

    total = Counts()
    for o in orgs:
        c = o["counts"]
        total = total + Counts(
            c["roster"], tuple(c["levels"]), tuple(c["not_rated"]), c["undecided"]
        )
    return total


def ensure_dataset(out: Path, name: str, discard: Any) -> tuple[Path, Path]:
    """The folder of packages and the level's roster, built on first use."""
    packages, members, top, prefix = DATASETS[name]
    folder = out / f"rollup-{name}"
    stamp = folder / "stamp.json"
    wanted = {"packages": packages, "members": members, "year": YEAR, "format": 1}
    inbox, roster = folder / "goi", folder / "danh-sach.xlsx"
    if stamp.exists() and json.loads(stamp.read_text()) == wanted:
        return inbox, roster
    discard(folder)
    print(f"[rollup-{name}] building {packages} packages (once; cached in {folder}) …", flush=True)
    start = time.perf_counter()
    from toolkit.model import OrgKind, OrgTree, OrgUnit, Roster
    from toolkit.workbooks.generate import write_roster

    units = {top: OrgUnit(top, f"Cấp ủy {top}", OrgKind.PARENT)}
    for i in range(packages):
        code = f"{prefix}{i + 1:03d}"
        units[code] = OrgUnit(code, f"Cấp ủy {code}", OrgKind.PARENT, top, "cap-duoi")
        build_package(inbox / code, code, members, seed=i)
    write_roster(Roster(OrgTree(units), ()), roster)
    stamp.write_text(json.dumps(wanted))
    os.sync()  # the build's writes go to disk now, not during the runs measured next
    print(f"[rollup-{name}] built in {time.perf_counter() - start:.0f} s", flush=True)
    return inbox, roster


def bench(
    out: Path, name: str, repeat: int, measure: Any, median: Any, discard: Any
) -> dict[str, object]:
    """``xeploai rollup`` on the dataset as a separate process, median of ``repeat`` runs
    (``discard``: ``run.discard``, which moves a folder aside without deleting it now)."""
    inbox, roster = ensure_dataset(out, name, discard)
    packages, members, _, _ = DATASETS[name]
    runs = []
    for i in range(repeat):
        target = out / f"rollup-{name}" / f"ket-qua-{i}"
        discard(target)
        cmd = [sys.executable, "-m", "toolkit", "rollup", str(inbox), "--roster", str(roster),
               "-o", str(target), "-q"]  # fmt: skip
        runs.append(measure(cmd))
        r = runs[-1]
        print(f"[rollup-{name}] run {i + 1}: {r.seconds:.2f} s, cpu {r.cpu_seconds:.2f} s, "
              f"peak {r.peak_mb:.0f} MB", flush=True)  # fmt: skip
    m = median(runs)
    return {
        "dataset": f"rollup-{name}",
        "packages": packages,
        "members": packages * members,
        "seconds": m.seconds,
        "cpu_s": m.cpu_seconds,
        "peak_mb": m.peak_mb,
    }


def report(rows: list[dict[str, object]]) -> None:
    print(
        f"\n{'dataset':17} {'packages':>8} {'members':>10} {'rollup':>9} {'cpu':>8} {'peak MB':>8}"
    )
    for r in rows:
        print(f"{r['dataset']:17} {r['packages']:>8} {r['members']:>10,} {r['seconds']:>7.2f} s "
              f"{r['cpu_s']:>6.2f} s {r['peak_mb']:>8.0f}")  # fmt: skip
    for r in rows:
        per = float(r["cpu_s"]) / int(r["members"]) * 100_000  # type: ignore[call-overload]
        print(f"{r['dataset']}: {per:.3f} s of CPU per 100,000 members "
              f"({float(r['cpu_s']) / int(r['packages']):.3f} s per package)")  # type: ignore[call-overload]  # fmt: skip
    print("targets: province ≤ 2 s; national ≤ 10 s and ≤ 1,024 MB peak")
