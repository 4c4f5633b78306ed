"""write_outputs: every file, the manifest's hashes, byte-identical reruns, parallel writing."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import pickle
import subprocess
import sys
from pathlib import Path

import pytest
from builders import SCHOOL, lien_chieu, synthetic, write_case
from test_outputs_summary import digest_of

from toolkit.outputs import write_all
from toolkit.outputs.cell_xlsx import cell_packs
from toolkit.outputs.report_html import SPLIT_ABOVE_CELLS, report_pages, write_pages
from toolkit.outputs.summary_xlsx import write_summary
from toolkit.outputs.write_all import (
    PAGES,
    PARALLEL_FROM_MEMBERS,
    committee_tasks,
    plan_tasks,
    write_bundle,
    write_cell_workbooks,
    write_committee_documents,
    write_decisions,
)
from toolkit.rulebook import load_ruleset
from toolkit.workbooks.decisionbook import decisions_sheets, write_decisions_workbook

EXPECTED = [
    "bao-cao-tom-tat.html",
    "bao-cao.html",
    "chi-bo/CB-DM.xlsx",
    "chi-bo/CB-HKB-01.xlsx",
    "chi-bo/CB-HKB-02.xlsx",
    "chi-bo/CB-THPT.xlsx",
    "ket-qua.json",
    "manifest.json",
    "quyet-dinh.xlsx",
    "tong-hop.xlsx",
    "van-ban/bien-ban-kiem-phieu/CB-DM.docx",
    "van-ban/bien-ban-kiem-phieu/CB-HKB-01.docx",
    "van-ban/bien-ban-kiem-phieu/CB-HKB-02.docx",
    "van-ban/bien-ban-kiem-phieu/CB-THPT.docx",
    "van-ban/danh-sach-dang-vien-chua-danh-gia-xep-loai.docx",
    "van-ban/danh-sach-de-nghi-cong-nhan-dang-vien.docx",
    "van-ban/danh-sach-xep-loai-to-chuc-dang.docx",
]


def files_of(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_writes_every_output_and_the_manifest_last(tmp_path: Path) -> None:
    paths = write_case(lien_chieu(), tmp_path / "out")
    assert sorted(p.relative_to(tmp_path / "out").as_posix() for p in paths) == EXPECTED
    assert paths[-1].name == "manifest.json"
    assert sorted(files_of(tmp_path / "out")) == EXPECTED


def test_manifest_hashes_every_input_and_output(tmp_path: Path) -> None:
    out = tmp_path / "out"
    case = lien_chieu()
    write_case(case, out)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["schema"] == "xeploai/manifest/1" and manifest["toolkit_version"] == "0.1.0"
    assert manifest["ruleset"]["code"] == "QD124" and manifest["ruleset"]["overrides"] == []
    files = files_of(out)
    assert [o["path"] for o in manifest["outputs"]] == [p for p in EXPECTED if p != "manifest.json"]
    for entry in manifest["outputs"]:
        assert entry["sha256"] == sha256(files[entry["path"]]), entry["path"]
        assert entry["bytes"] == len(files[entry["path"]])
    assert {(i["path"], i["sha256"]) for i in manifest["inputs"]} == {
        (f.path, f.sha256) for f in case.inputs
    }


def test_manifest_records_the_override_file_and_what_it_changed(tmp_path: Path) -> None:
    local = tmp_path / "dia-phuong.toml"
    local.write_text("[rules.vote-majority]\ncumulative_downward = false\n", encoding="utf-8")
    case = dataclasses.replace(lien_chieu(), ruleset=load_ruleset(2023, local))
    write_case(case, tmp_path / "out")
    rules = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))["ruleset"]
    assert rules["overrides_file"] == str(local)
    assert rules["overrides_file_sha256"] == sha256(local.read_bytes())
    assert rules["overrides"] == list(case.ruleset.overrides)
    assert (
        len(rules["overrides"]) == 1
        and "vote-majority.cumulative_downward" in rules["overrides"][0]
    )
    results = json.loads((tmp_path / "out" / "ket-qua.json").read_text(encoding="utf-8"))
    assert results["ruleset"]["overrides"] == rules["overrides"]


def test_the_same_inputs_give_byte_identical_outputs(tmp_path: Path) -> None:
    write_case(lien_chieu(), tmp_path / "first")
    write_case(lien_chieu(), tmp_path / "second")
    first, second = files_of(tmp_path / "first"), files_of(tmp_path / "second")
    assert sorted(first) == EXPECTED
    for name, data in first.items():
        assert data == second[name], name


def test_cells_in_any_order_give_the_same_bytes(tmp_path: Path) -> None:
    case = lien_chieu()
    shuffled = dataclasses.replace(
        case,
        result=dataclasses.replace(
            case.result,
            cells=tuple(reversed(case.result.cells)),
            quotas=tuple(reversed(case.result.quotas)),
        ),
        inputs=tuple(reversed(case.inputs)),
    )
    write_case(case, tmp_path / "a")
    write_case(shuffled, tmp_path / "b")
    assert files_of(tmp_path / "a") == files_of(tmp_path / "b")


@pytest.mark.parametrize(
    ("workers", "fork_below"),
    [(2, write_all.FORK_BELOW_MEMBERS), (3, 0)],
    ids=["2 workers forked", "3 workers from a fork server"],
)
def test_parallel_workers_write_the_same_bytes(
    tmp_path: Path, workers: int, fork_below: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a city-shaped run (split report) big enough for the worker processes to be used; a
    # fork_below of 0 makes this small run start its workers as a city's would
    monkeypatch.setattr(write_all, "FORK_BELOW_MEMBERS", fork_below)
    case = synthetic(SPLIT_ABOVE_CELLS + 10, members_per_cell=7)
    assert sum(len(c.members) for c in case.result.cells) >= PARALLEL_FROM_MEMBERS
    serial = write_case(case, tmp_path / "serial", workers=1)
    parallel = write_case(case, tmp_path / "parallel", workers=workers)
    assert serial == [tmp_path / "serial" / p.relative_to(tmp_path / "parallel") for p in parallel]
    assert len(list((tmp_path / "parallel" / "bao-cao").glob("*.html"))) == 31
    assert files_of(tmp_path / "serial") == files_of(tmp_path / "parallel")


def test_a_rerun_replaces_the_outputs_and_carries_over_what_is_not_ours(tmp_path: Path) -> None:
    out = tmp_path / "out"
    case = lien_chieu()
    write_case(case, out)
    (out / "da-gui.jsonl").write_text('{"to": "a@b.vn"}\n', encoding="utf-8")
    (out / "ghi-chu").mkdir()
    (out / "ghi-chu" / "cua-toi.txt").write_text("của người dùng", encoding="utf-8")
    (out / "chi-bo" / "nhap.txt").write_text("trong thư mục của xeploai", encoding="utf-8")
    school_minutes = out / "van-ban" / "bien-ban-kiem-phieu" / "CB-THPT.docx"
    assert school_minutes.exists() and (out / "quyet-dinh.xlsx").exists()
    (out / "van-ban" / "nhap.docx").write_text("trong thư mục của xeploai", encoding="utf-8")
    without_school = dataclasses.replace(
        case.result, cells=tuple(c for c in case.result.cells if c.cell.code != SCHOOL.code)
    )
    write_case(dataclasses.replace(case, result=without_school), out)
    assert not (out / "chi-bo" / "CB-THPT.xlsx").exists()
    assert (out / "chi-bo" / "CB-DM.xlsx").exists()
    assert (out / "da-gui.jsonl").read_text(encoding="utf-8") == '{"to": "a@b.vn"}\n'
    assert (out / "ghi-chu" / "cua-toi.txt").read_text(encoding="utf-8") == "của người dùng"
    assert not (out / "chi-bo" / "nhap.txt").exists()  # chi-bo/ is replaced whole
    assert (
        not school_minutes.exists() and not (out / "van-ban" / "nhap.docx").exists()
    )  # van-ban/ too
    assert (out / "van-ban" / "bien-ban-kiem-phieu" / "CB-DM.docx").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no staging left beside it


def test_a_city_report_is_split_and_every_part_is_in_the_manifest(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_case(synthetic(301, members_per_cell=2), out)
    parts = sorted(p.relative_to(out).as_posix() for p in (out / "bao-cao").glob("*.html"))
    assert len(parts) == 31
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert set(parts) <= {o["path"] for o in manifest["outputs"]}
    results = json.loads((out / "ket-qua.json").read_text(encoding="utf-8"))
    assert results["outputs"]["report_parts"] == parts


def test_unsafe_cell_codes_become_safe_file_names(tmp_path: Path) -> None:
    case = lien_chieu()
    odd = dataclasses.replace(SCHOOL, code="CB/THPT:1")
    cells = tuple(
        dataclasses.replace(c, cell=odd) if c.cell.code == SCHOOL.code else c
        for c in case.result.cells
    )
    write_case(
        dataclasses.replace(case, result=dataclasses.replace(case.result, cells=cells)), tmp_path
    )
    assert (tmp_path / "chi-bo" / "CB-THPT-1.xlsx").is_file()
    results = json.loads((tmp_path / "ket-qua.json").read_text(encoding="utf-8"))
    entry = next(c for c in results["cells"] if c["code"] == "CB/THPT:1")
    assert entry["result_file"] == "chi-bo/CB-THPT-1.xlsx"


@pytest.mark.parametrize("workers", [1, 2])
def test_an_output_folder_that_cannot_be_written_raises_oserror(
    tmp_path: Path, workers: int
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    with pytest.raises(OSError):
        write_case(lien_chieu(), blocker, workers=workers)


def test_every_file_is_planned_once_and_the_main_page_stays_here(tmp_path: Path) -> None:
    # a city's parts: a few cells each
    case = synthetic(SPLIT_ABOVE_CELLS + 50, members_per_cell=2, cells_per_committee=3)
    digest = digest_of(case)
    packs = cell_packs(digest)
    pages = report_pages(digest)
    assert pages[-1][0] == "bao-cao.html"
    tasks = plan_tasks(digest, packs, pages[:-1], tmp_path, None)
    planned_pages = [p[0] for f, args in tasks if f is write_pages for p in args[0]]
    planned_cells = [p.cell.code for f, args in tasks if f is write_cell_workbooks for p in args[0]]
    assert sorted(planned_pages) == sorted(p[0] for p in pages[:-1])
    assert len(planned_pages) == len(set(planned_pages)) and "bao-cao.html" not in planned_pages
    assert sorted(planned_cells) == sorted(p.cell.code for p in packs)
    assert len(planned_cells) == len(set(planned_cells))
    assert tasks[0][0] is write_summary
    # pickled to a fork server's workers: no summary (the whole digest), each part page with
    # the workbooks of its cells, every file still once
    pickled = plan_tasks(digest, packs, pages[:-1], tmp_path, None, pickled=True)
    assert all(f is not write_summary for f, _ in pickled)
    bundled = [(args[0], args[1]) for f, args in pickled if f is write_bundle]
    assert sorted(p[0] for parts, _ in bundled for p in parts) == sorted(p[0] for p in pages[:-1])
    for parts, bundle in bundled:
        assert {pack.cell.grassroots_code for pack in bundle} <= {p[2].code for p in parts}
        assert len(parts) <= PAGES
    assert len(bundled) > 1 and any(len(parts) > 1 for parts, _ in bundled)  # parts grouped
    cells = [p.cell.code for _, bundle in bundled for p in bundle]
    cells += [p.cell.code for f, args in pickled if f is write_cell_workbooks for p in args[0]]
    assert sorted(cells) == sorted(p.cell.code for p in packs)


def test_the_committee_files_are_writer_tasks_and_the_same_bytes(tmp_path: Path) -> None:
    case = lien_chieu()
    digest = digest_of(case)
    sheets = decisions_sheets(
        case.result, parent=case.parent, generated_on=case.generated_on, rules=case.ruleset
    )
    tasks = committee_tasks(sheets, digest, tmp_path)
    assert [f for f, _ in tasks] == [write_decisions, write_committee_documents]
    # a fork server's worker is sent the decisions' plain rows (never the digest)
    assert pickle.loads(pickle.dumps(sheets)) == sheets
    members = sheets.records["members"]
    assert [dict(m) for m in members] == list(members[:]) and members[0]["no"] == 1
    (tmp_path / "van-ban").mkdir()
    for function, args in tasks:
        function(*args)
    assert len(list((tmp_path / "van-ban").iterdir())) == 3
    direct = tmp_path / "direct.xlsx"
    write_decisions_workbook(
        case.result, parent=case.parent, generated_on=case.generated_on, rules=case.ruleset,
        target=direct,
    )  # fmt: skip
    assert (tmp_path / "quyet-dinh.xlsx").read_bytes() == direct.read_bytes()


_CHILDREN_AFTER_START = """
import os, sys
from toolkit.outputs.write_all import start_fork_server
start_fork_server(int(sys.argv[1]), int(sys.argv[2]))
me = str(os.getpid())
children = []
for pid in filter(str.isdigit, os.listdir("/proc")):
    try:
        with open(f"/proc/{pid}/stat") as stat, open(f"/proc/{pid}/cmdline", "rb") as line:
            if stat.read().rsplit(")", 1)[1].split()[1] == me:
                children.append(line.read().decode(errors="replace"))
    except OSError:
        pass
print(sum("forkserver" in c for c in children))
"""


@pytest.mark.parametrize(
    ("files", "workers", "servers"),
    [
        (write_all.FORK_SERVER_FROM_FILES, 2, 1),  # a city: started before anything is read
        (write_all.FORK_SERVER_FROM_FILES - 1, 2, 0),  # a district's writers are forked
        (write_all.FORK_SERVER_FROM_FILES, 1, 0),  # no writer processes at all
    ],
)
def test_a_large_run_starts_its_writers_fork_server_early(
    files: int, workers: int, servers: int
) -> None:
    if not Path("/proc").is_dir():
        pytest.skip("reads /proc")
    found = subprocess.run(
        [sys.executable, "-c", _CHILDREN_AFTER_START, str(files), str(workers)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert int(found.stdout) == servers
