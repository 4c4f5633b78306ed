"""`aggregate` under hostile conditions, with real processes: killed with SIGKILL at each moment
of the swap and at random, two runs into one folder, a full disk and a read-only folder (a real
tmpfs in a private mount namespace), unreadable folders (read by another user), pipes and
links in the inbox, the wrong roster, and an output folder that is an input."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import faults
import pytest
from click.testing import CliRunner
from faults import environment, run_cli

from toolkit import catalogue
from toolkit.aggregate import foreign_roster
from toolkit.cli import main
from toolkit.demo.build import DemoLayout, build_demo
from toolkit.model import InputFile, OrgTree, Roster
from toolkit.outputs.lock import OutputLock
from toolkit.outputs.paths import aside_dir, lock_file, staging_dir
from toolkit.workbooks.generate import write_roster
from toolkit.workbooks.inbox import InboxResult
from toolkit.workbooks.read import peek_identity, read_roster

HOST = socket.gethostname()


def command(*args: str | Path) -> list[str]:
    return faults.command("aggregate", *args)


def aggregate(
    inbox: Path, roster: Path, out: Path, *more: str, **env: str
) -> subprocess.CompletedProcess[str]:
    return run_cli(
        "aggregate", inbox, "--roster", roster, "-o", out, "-q", "--workers", "1", *more, **env
    )


def digests(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def beside(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir())


@dataclasses.dataclass(frozen=True)
class Sets:
    """Two inboxes of one district and the complete outputs of each, made by clean runs."""

    layout: DemoLayout
    inbox_a: Path
    inbox_b: Path
    a: dict[str, str]
    b: dict[str, str]


@pytest.fixture(scope="module")
def sets(tmp_path_factory: pytest.TempPathFactory) -> Sets:
    root = tmp_path_factory.mktemp("trust")
    layout = build_demo(root / "district", year=2023, cells=5, seed=11)
    inbox_b = root / "hop-thu-b"
    shutil.copytree(layout.inbox, inbox_b)
    os.remove(sorted(inbox_b.iterdir())[0])  # one file fewer: another set of outputs
    for inbox, out in ((layout.inbox, root / "a"), (inbox_b, root / "b")):
        assert aggregate(inbox, layout.roster, out).returncode == 1  # the demo has problems
    return Sets(layout, layout.inbox, inbox_b, digests(root / "a"), digests(root / "b"))


SENT_LOG = '{"to": "bithu@chibo.example"}\n'
LOGGED = {"da-gui.jsonl": hashlib.sha256(SENT_LOG.encode()).hexdigest()}


@pytest.fixture
def out(sets: Sets, tmp_path: Path) -> Path:
    """An output folder holding set A, as a previous run left it, with mail's sent log."""
    folder = tmp_path / "ket-qua"
    assert aggregate(sets.inbox_a, sets.layout.roster, folder).returncode == 1
    (folder / "da-gui.jsonl").write_text(SENT_LOG, encoding="utf-8")
    assert digests(folder) == {**sets.a, **LOGGED}
    return folder


# ---------------------------------------------------------------------------------------------
# killed at any moment: the previous set or the new one, never a mix


@pytest.mark.parametrize(
    ("moment", "exchange", "left"),
    [
        ("staging-created", True, "a"),
        ("staging-written", True, "a"),
        ("swapped", True, "b"),
        ("staging-written", False, "a"),
        ("moved-aside", False, "aside"),  # between the two renames: OUT is back on the next run
        ("swapped", False, "b"),
    ],
)
def test_a_kill_at_each_moment_leaves_one_whole_set_and_the_rerun_is_the_same(
    sets: Sets, out: Path, moment: str, exchange: bool, left: str
) -> None:
    no_exchange = {} if exchange else {"NO_EXCHANGE": "1"}
    killed = aggregate(sets.inbox_b, sets.layout.roster, out, KILL_AT=moment, **no_exchange)
    assert killed.returncode == -signal.SIGKILL
    if left == "aside":
        assert not out.exists()
        assert digests(aside_dir(out)) == {**sets.a, **LOGGED}
    else:
        assert digests(out) == {**getattr(sets, left), **LOGGED}
    assert lock_file(out).exists()  # left by the killed run

    rerun = aggregate(sets.inbox_b, sets.layout.roster, out)
    assert rerun.returncode == 1, rerun.stderr
    assert f"Lưu ý: Lần chạy trước vào {out} (tiến trình " in rerun.stderr
    assert f"trên máy {HOST}, bắt đầu lúc 20" in rerun.stderr
    assert digests(out) == {**sets.b, **LOGGED}  # byte for byte what a clean run writes
    assert beside(out) == ["ket-qua"]  # no staging, no previous set, no lock


@pytest.mark.parametrize("delay", [0.0, 0.02, 0.1, 0.3])
def test_a_kill_at_a_random_time_leaves_one_whole_set(sets: Sets, out: Path, delay: float) -> None:
    run = subprocess.Popen(
        command(sets.inbox_b, "--roster", sets.layout.roster, "-o", out, "-q", "--workers", "1"),
        env=environment(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while not staging_dir(out).exists() and run.poll() is None and time.monotonic() < deadline:
        time.sleep(0.002)
    time.sleep(delay * random.uniform(0.5, 1.5))
    run.send_signal(signal.SIGKILL)
    run.wait()
    assert digests(out) in ({**sets.a, **LOGGED}, {**sets.b, **LOGGED})
    assert aggregate(sets.inbox_b, sets.layout.roster, out).returncode == 1
    assert digests(out) == {**sets.b, **LOGGED}
    assert beside(out) == ["ket-qua"]


@pytest.mark.parametrize(
    ("document", "how"),
    [
        ("van-ban/bien-ban-kiem-phieu/", "kill"),
        ("van-ban/danh-sach-xep-loai-to-chuc-dang.docx", "full-disk"),
        ("quyet-dinh.xlsx", "kill"),
        ("quyet-dinh.xlsx", "full-disk"),
    ],
)
def test_a_document_for_signing_or_the_decisions_workbook_cut_short_leaves_the_previous_set(
    sets: Sets, out: Path, document: str, how: str
) -> None:
    """The .docx of van-ban/ and quyet-dinh.xlsx are outputs like the others: one half written
    when the run is killed or the disk fills leaves every file of the previous set."""
    assert [name for name in sets.a if name.startswith(document)]  # the previous set has it
    broken = aggregate(sets.inbox_b, sets.layout.roster, out, BREAK_WRITING=document, BREAK_HOW=how)
    assert digests(out) == {**sets.a, **LOGGED}
    if how == "full-disk":
        assert broken.returncode == 2
        assert broken.stderr.startswith(f"Lỗi: Không ghi được kết quả vào {out}: ")
        assert "hết chỗ trống trên đĩa" in broken.stderr and "Traceback" not in broken.stderr
    else:
        assert broken.returncode == -signal.SIGKILL
        assert aggregate(sets.inbox_b, sets.layout.roster, out).returncode == 1
        assert digests(out) == {**sets.b, **LOGGED}
    assert beside(out) == ["ket-qua"]


# ---------------------------------------------------------------------------------------------
# one run at a time


def test_a_second_run_into_the_same_folder_is_refused_naming_the_first(
    sets: Sets, out: Path, tmp_path: Path
) -> None:
    go = tmp_path / "go"
    first = subprocess.Popen(
        command(sets.inbox_b, "--roster", sets.layout.roster, "-o", out, "-q", "--workers", "1"),
        env=environment(WAIT_FOR=str(go)),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        while not staging_dir(out).exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        second = aggregate(sets.inbox_a, sets.layout.roster, out)
        assert second.returncode == 2
        assert second.stdout == ""
        assert second.stderr.startswith(
            f"Lỗi: Thư mục kết quả «{out}» đang được dùng bởi tiến trình {first.pid} trên máy "
            f"{HOST}, bắt đầu lúc 20"
        )
        assert "Traceback" not in second.stderr
    finally:
        go.touch()
        _, err = first.communicate(timeout=300)
    assert first.returncode == 1, err
    assert digests(out) == {**sets.b, **LOGGED}  # the first run's outputs, untouched by the second


# ---------------------------------------------------------------------------------------------
# a full disk, a read-only folder: exit 2, the previous outputs intact

FULL_DISK = """
import hashlib, json, shutil, subprocess, sys
from pathlib import Path
mount, inbox_a, inbox_b, roster = (Path(a) for a in sys.argv[1:5])
subprocess.run(["mount", "-t", "tmpfs", "-o", "size=32m", "tmpfs", str(mount)], check=True)
out = mount / "ket-qua"
def run(inbox):
    done = subprocess.run([sys.executable, "-m", "toolkit", "aggregate", str(inbox), "--roster",
        str(roster), "-o", str(out), "-q", "--workers", "1"], capture_output=True, text=True)
    files = {p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
             for p in sorted(out.rglob("*")) if p.is_file()}
    return {"code": done.returncode, "stderr": done.stderr, "files": files,
            "beside": sorted(p.name for p in mount.iterdir())}
report = {"first": run(inbox_a)}
used = shutil.disk_usage(mount).used
subprocess.run(["mount", "-o", f"remount,size={used + 96 * 1024}", str(mount)], check=True)
report["full"] = run(inbox_b)
subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True)
report["read_only"] = run(inbox_b)
print(json.dumps(report))
"""


def test_a_full_disk_and_a_read_only_folder_leave_the_previous_outputs_intact(
    sets: Sets, tmp_path: Path
) -> None:
    if (
        shutil.which("unshare") is None
        or subprocess.run(
            ["unshare", "-m", "mount", "-t", "tmpfs", "tmpfs", str(tmp_path)], check=False
        ).returncode
    ):
        pytest.skip("no private mount namespace here (unshare -m and mount need CAP_SYS_ADMIN)")
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(
        ["unshare", "-m", sys.executable, "-c", FULL_DISK, mount,
         sets.inbox_a, sets.inbox_b, sets.layout.roster],
        env=environment(), capture_output=True, text=True, timeout=600, check=True,
    )  # fmt: skip
    report = json.loads(done.stdout)
    assert report["first"]["code"] == 1
    assert report["first"]["files"] == sets.a
    full = report["full"]
    assert full["code"] == 2
    assert full["stderr"].startswith("Lỗi: Không ghi được kết quả vào ")
    assert "hết chỗ trống trên đĩa" in full["stderr"]
    assert full["files"] == sets.a
    assert full["beside"] == ["ket-qua"]
    read_only = report["read_only"]
    assert read_only["code"] == 2
    assert "ổ đĩa chỉ cho đọc" in read_only["stderr"]
    assert read_only["files"] == sets.a
    assert "Traceback" not in full["stderr"] + read_only["stderr"]


# ---------------------------------------------------------------------------------------------
# inputs never touched, nothing skipped in silence


def files_by_cell(inbox: Path) -> dict[str, list[Path]]:
    found: dict[str, list[Path]] = {}
    for path in sorted(inbox.iterdir()):
        identity = peek_identity(path)
        if identity is not None:
            found.setdefault(identity.cell_code, []).append(path)
    return found


@pytest.mark.parametrize(
    ("out_of", "said"),
    [
        (lambda d: d.inbox, "là thư mục hồ sơ gửi về"),
        (lambda d: d.inbox / "ket-qua", "nằm trong thư mục hồ sơ gửi về"),
        (lambda d: d.root, "chứa thư mục hồ sơ gửi về"),
        (lambda d: d.root / "link-to-inbox", "là thư mục hồ sơ gửi về"),
    ],
    ids=["the-inbox", "inside-the-inbox", "holding-the-inbox", "a-link-to-the-inbox"],
)
def test_an_output_folder_that_is_an_input_is_refused_before_anything_is_read_or_written(
    sets: Sets, tmp_path: Path, out_of: object, said: str
) -> None:
    root = tmp_path / "d"
    shutil.copytree(sets.layout.root, root, ignore=shutil.ignore_patterns("ket-qua"))
    (root / "link-to-inbox").symlink_to("hop-thu")
    layout = dataclasses.replace(sets.layout, root=root, inbox=root / "hop-thu")
    (layout.inbox / "tong-hop.xlsx").write_bytes(b"a returned file of that name")
    before = digests(root)
    done = aggregate(layout.inbox, root / sets.layout.roster.name, out_of(layout))  # type: ignore[operator]
    assert done.returncode == 2
    assert done.stderr.startswith("Lỗi: Thư mục kết quả «") and said in done.stderr
    assert digests(root) == before
    assert sorted(p.name for p in root.iterdir()) == sorted([*before_names(sets), "link-to-inbox"])


def test_a_decisions_workbook_filled_inside_the_output_folder_is_refused(
    sets: Sets, out: Path
) -> None:
    """Filled where aggregate wrote it, the decisions workbook would be replaced by the run that
    reads it: it is an input, and -o may not hold one."""
    filled = out / "quyet-dinh.xlsx"
    before = digests(out)
    done = aggregate(sets.inbox_a, sets.layout.roster, out, "--decisions", str(filled))
    assert done.returncode == 2
    assert done.stderr.startswith(
        f"Lỗi: Thư mục kết quả «{out}» chứa tệp quyết định «{filled}»: thư mục kết quả được "
        "thay mới mỗi lần chạy"
    )
    assert digests(out) == before
    assert beside(out) == ["ket-qua"]


def before_names(sets: Sets) -> list[str]:
    return [p.name for p in sets.layout.root.iterdir() if p.name != "ket-qua"]


def test_aggregate_dot_from_inside_the_inbox_is_refused(sets: Sets, tmp_path: Path) -> None:
    inbox = tmp_path / "hop-thu"
    shutil.copytree(sets.inbox_a, inbox)
    (inbox / "tong-hop.xlsx").write_bytes(b"a returned file of that name")
    before = digests(inbox)
    done = subprocess.run(
        command(".", "--roster", sets.layout.roster, "-o", "."),
        cwd=inbox, env=environment(), capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 2
    assert "Lỗi: Thư mục kết quả «.» là thư mục hồ sơ gửi về «.»" in done.stderr
    assert digests(inbox) == before


def hostile_inbox(sets: Sets, tmp_path: Path) -> tuple[Path, str]:
    """A copy of inbox A with a named pipe and, named after the silent cell, a broken link."""
    inbox = tmp_path / "hop-thu"
    shutil.copytree(sets.inbox_a, inbox)
    (silent,) = sets.layout.district.silent
    os.mkfifo(inbox / "ong dan.xlsx")
    (inbox / f"{silent} bien ban.xlsx").symlink_to("/mnt/usb/khong-con.xlsx")
    return inbox, silent


def test_pipes_links_and_loops_are_named_and_the_cell_they_may_hide_is_not_missing(
    sets: Sets, tmp_path: Path
) -> None:
    inbox, silent = hostile_inbox(sets, tmp_path)
    (inbox / "vong").mkdir()
    (inbox / "vong" / "ve-cha").symlink_to("..")
    (inbox / "chinh-no.xlsx").symlink_to("chinh-no.xlsx")
    (inbox / "thiet-bi.xlsx").symlink_to("/dev/zero")
    out = tmp_path / "ket-qua"
    done = aggregate(inbox, sets.layout.roster, out)
    assert done.returncode == 1, done.stderr
    results = json.loads((out / "ket-qua.json").read_text(encoding="utf-8"))
    named = {(i["code"], i["file"]) for i in results["issues"]}
    assert {
        ("not-a-regular-file", "ong dan.xlsx"),
        ("not-a-regular-file", "thiet-bi.xlsx"),
        ("link-broken", f"{silent} bien ban.xlsx"),
        ("link-loop", "vong/ve-cha"),
        ("link-loop", "chinh-no.xlsx"),
    } <= named
    cell = next(c for c in results["cells"] if c["code"] == silent)
    assert cell["status"] == "errors"  # its file is there and cannot be read: not "chưa gửi"
    held = [i for i in results["issues"] if i["code"] == "return-unreadable"]
    assert [(i["unit_code"], i["value"]) for i in held] == [(silent, f"{silent} bien ban.xlsx")]
    assert not [i for i in results["issues"] if i["code"] == "workbook-missing"]


@pytest.fixture
def shared_tmp() -> Iterator[Path]:
    """A folder another user may enter (pytest's own is root's alone)."""
    folder = Path(tempfile.mkdtemp(prefix="xeploai-trust-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.parametrize("named", [True, False], ids=["named-after-a-cell", "naming-no-cell"])
def test_a_folder_that_cannot_be_listed_is_named_and_the_cells_it_may_hide_are_not_missing(
    sets: Sets, shared_tmp: Path, named: bool
) -> None:
    """``chmod 000`` does not stop root, so the run is made as the user nobody. A folder named
    after a cell holds back that cell; one naming no cell, every cell not received."""
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        pytest.skip("needs root and setpriv to run aggregate as another user")
    inbox = shared_tmp / "hop-thu"
    shutil.copytree(sets.inbox_a, inbox)
    shutil.copy(sets.layout.roster, shared_tmp / "danh-sach.xlsx")
    (silent,) = sets.layout.district.silent
    hidden, files = next((c, f) for c, f in files_by_cell(inbox).items() if c != silent)
    locked = inbox / (f"{hidden} gui lai" if named else "thu-muc-rieng")
    locked.mkdir()
    for path in files if named else ():
        path.rename(locked / path.name)
    for path in shared_tmp.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    locked.chmod(0)
    (shared_tmp / "ra").mkdir()
    (shared_tmp / "ra").chmod(0o777)
    done = subprocess.run(
        ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
         *command(inbox, "--roster", shared_tmp / "danh-sach.xlsx", "-o", shared_tmp / "ra" / "kq",
                  "-q", "--workers", "1")],
        env={**environment(), "HOME": str(shared_tmp)},
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    results = json.loads((shared_tmp / "ra" / "kq" / "ket-qua.json").read_text(encoding="utf-8"))
    unreadable = [i for i in results["issues"] if i["code"] == "folder-unreadable"]
    assert [i["file"] for i in unreadable] == [locked.name]
    assert "Permission denied" in unreadable[0]["message"]
    status = {c["code"]: c["status"] for c in results["cells"]}
    held = {
        i["unit_code"]: i["value"] for i in results["issues"] if i["code"] == "return-unreadable"
    }
    if named:
        assert held == {hidden: locked.name}
        assert status[hidden] == "errors"  # its files are in there: not "chưa gửi"
        assert status[silent] == "missing"  # the folder names another cell
        assert results["totals"]["cells_missing"] == 1
    else:
        assert held == {silent: locked.name}  # it may be in there
        assert status[silent] == "errors"
        assert results["totals"]["cells_missing"] == 0


# ---------------------------------------------------------------------------------------------
# the wrong roster stops the run


def test_another_committees_roster_stops_the_run_with_one_message(
    sets: Sets, tmp_path: Path
) -> None:
    roster, _ = read_roster(sets.layout.roster)
    renamed = {
        code: dataclasses.replace(u, code=f"X{code}" if u.kind.is_cell else code)
        for code, u in roster.tree.units.items()
    }
    members = tuple(
        dataclasses.replace(m, cell_code=f"X{m.cell_code}", member_id=f"X{m.member_id}")
        for m in roster.members
    )
    other = tmp_path / "danh-sach-khac.xlsx"
    write_roster(Roster(OrgTree({u.code: u for u in renamed.values()}), members), other)
    done = aggregate(sets.inbox_a, other, tmp_path / "ket-qua")
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.startswith(
        "Lỗi: Danh sách «danh-sach-khac.xlsx» không phải danh sách đã dùng để tạo biểu mẫu: 4/4 "
    )
    assert done.stderr.count("\n") == 1  # one message, not an issue per file
    assert not (tmp_path / "ket-qua").exists()


def test_last_years_roster_stops_the_run(sets: Sets, tmp_path: Path) -> None:
    """Another list of members for every cell (the names as they stood a year before)."""
    roster, _ = read_roster(sets.layout.roster)
    members = tuple(dataclasses.replace(m, full_name=m.full_name + " A") for m in roster.members)
    last_year = tmp_path / "danh-sach-2022.xlsx"
    write_roster(Roster(roster.tree, members), last_year)
    done = aggregate(sets.inbox_a, last_year, tmp_path / "ket-qua")
    assert done.returncode == 2
    assert "được tạo từ danh sách đảng viên khác" in done.stderr
    assert not (tmp_path / "ket-qua").exists()


def test_one_cell_whose_members_changed_does_not_stop_the_run(sets: Sets, tmp_path: Path) -> None:
    roster, _ = read_roster(sets.layout.roster)
    first = roster.members[0]
    members = (dataclasses.replace(first, full_name="Tên Mới"), *roster.members[1:])
    changed = tmp_path / "danh-sach.xlsx"
    write_roster(Roster(roster.tree, members), changed)
    done = aggregate(sets.inbox_a, changed, tmp_path / "ket-qua")
    assert done.returncode == 1, done.stderr
    results = json.loads((tmp_path / "ket-qua" / "ket-qua.json").read_text(encoding="utf-8"))
    changed_cells = {i["unit_code"] for i in results["issues"] if i["code"] == "roster-changed"}
    assert changed_cells == {first.cell_code}


def test_mail_does_not_write_its_sent_log_while_a_run_holds_the_folder(
    sets: Sets, out: Path
) -> None:
    with OutputLock(out):
        result = CliRunner().invoke(
            main, ["mail", str(out), "--config", str(sets.layout.mail_config)]
        )
    assert result.exit_code == 2
    assert f"đang được dùng bởi tiến trình {os.getpid()} trên máy {HOST}" in result.stderr
    assert digests(out) == {**sets.a, **LOGGED}


@pytest.mark.parametrize("command_name", ["status", "validate"])
def test_status_and_validate_name_what_cannot_be_read_too(
    sets: Sets, tmp_path: Path, command_name: str
) -> None:
    inbox, silent = hostile_inbox(sets, tmp_path)
    more = ["--roster", str(sets.layout.roster)] if command_name == "status" else []
    result = CliRunner().invoke(main, [command_name, str(inbox), *more, "--format", "json"])
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    if command_name == "status":
        assert {c["code"]: c["state"] for c in data["cells"]}[silent] == "unreadable"
        assert silent not in data["missing"]
        text = CliRunner().invoke(main, ["status", str(inbox), *more]).stdout
        assert "Chi bộ chưa rõ đã gửi hay chưa (có tệp, thư mục không đọc được):" in text
        assert f"{silent} bien ban.xlsx" in text
    else:
        codes = {(i["code"], Path(f["path"]).name) for f in data["files"] for i in f["issues"]}
        assert ("not-a-regular-file", "ong dan.xlsx") in codes
        assert ("link-broken", f"{silent} bien ban.xlsx") in codes


@pytest.mark.parametrize(
    ("returned", "unknown", "changed", "stops"),
    [
        (4, 0, 0, False),
        (4, 0, 2, False),  # half: a district whose rolls moved a lot, not another roster
        (4, 0, 3, True),
        (4, 2, 1, True),
        (1, 0, 1, False),  # one cell whose members changed is ordinary
        (2, 2, 0, True),
    ],
)
def test_a_roster_is_the_wrong_one_when_most_cells_that_returned_files_do_not_match(
    returned: int, unknown: int, changed: int, stops: bool
) -> None:
    codes = [f"CB{n:02}" for n in range(returned)]
    inputs = [
        InputFile(f"{code}-{kind}.xlsx", "ab", kind=kind, cell_code=code, year=2025,
                  status="unknown" if i < unknown else "used")
        for i, code in enumerate(codes)
        for kind in ("self_assessment", "ballot")
    ]  # fmt: skip
    inputs.append(InputFile("nam-truoc.xlsx", "cd", kind="ballot", cell_code="CB99", year=2024))
    issues = [catalogue.make("roster-changed", unit_code=code) for code in codes[-changed:]]
    collected = InboxResult(2025, (), (), tuple(issues if changed else ()), tuple(inputs), ())
    said = foreign_roster(collected, Path("danh-sach.xlsx"))
    assert (said is not None) == stops
    if stops:
        assert f"{unknown + changed}/{returned} chi bộ gửi hồ sơ" in str(said)
