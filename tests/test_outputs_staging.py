"""All or nothing, one run at a time: the staging folder, its swap, leftovers, the lock, and
the rule that an output folder is never an input. Writes real outputs into real folders."""

from __future__ import annotations

import dataclasses
import errno
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from builders import SCHOOL, Case, lien_chieu, write_case
from test_outputs_write import files_of

from toolkit.errors import OutputError
from toolkit.outputs import staging, write_all
from toolkit.outputs.lock import OutputLock
from toolkit.outputs.paths import aside_dir, check_apart, lock_file, staging_dir


def without_school() -> Case:
    """The Liên Chiểu case less one cell: another set of outputs than ``lien_chieu()``'s."""
    case = lien_chieu()
    cells = tuple(c for c in case.result.cells if c.cell.code != SCHOOL.code)
    return dataclasses.replace(case, result=dataclasses.replace(case.result, cells=cells))


def enospc(*args: object, **kwargs: object) -> None:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


@pytest.fixture
def previous(tmp_path: Path) -> tuple[Path, dict[str, bytes]]:
    """An output folder holding a complete previous set (and a sent log), and its bytes."""
    out = tmp_path / "ket-qua"
    write_case(lien_chieu(), out)
    (out / "da-gui.jsonl").write_text('{"to": "bithu@cb.vn"}\n', encoding="utf-8")
    return out, files_of(out)


# where a full disk is met: the first cell workbook, the summary, the manifest, the swap itself
FAILURES = [
    ("a cell workbook", "write_cell_workbook"),
    ("the summary", "write_summary"),
    ("the manifest", "manifest_bytes"),
]


@pytest.mark.parametrize(("where", "function"), FAILURES)
def test_an_oserror_while_writing_leaves_the_previous_set_intact(
    previous: tuple[Path, dict[str, bytes]],
    monkeypatch: pytest.MonkeyPatch,
    where: str,
    function: str,
) -> None:
    out, before = previous
    monkeypatch.setattr(write_all, function, enospc)
    with pytest.raises(OSError, match="No space left"):
        write_case(without_school(), out)
    assert files_of(out) == before
    assert sorted(p.name for p in out.parent.iterdir()) == ["ket-qua"]  # no staging left


def test_an_oserror_at_the_swap_leaves_the_previous_set_intact(
    previous: tuple[Path, dict[str, bytes]], monkeypatch: pytest.MonkeyPatch
) -> None:
    out, before = previous

    def broken(first: Path, second: Path) -> bool:
        raise OSError(errno.EIO, os.strerror(errno.EIO), str(second))

    monkeypatch.setattr(staging, "_exchange", broken)
    with pytest.raises(OSError):
        write_case(without_school(), out)
    assert files_of(out) == before
    assert sorted(p.name for p in out.parent.iterdir()) == ["ket-qua"]


@pytest.mark.parametrize("exchange", [True, False], ids=["exchanged", "renamed-aside"])
def test_a_rerun_swaps_in_the_new_set_and_carries_over_the_sent_log(
    previous: tuple[Path, dict[str, bytes]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    exchange: bool,
) -> None:
    out, before = previous
    if not exchange:  # a system or file system without renameat2's exchange
        monkeypatch.setattr(staging, "_exchange", lambda first, second: False)
    write_case(without_school(), out)
    fresh = tmp_path / "fresh"
    write_case(without_school(), fresh)
    assert files_of(out) == {**files_of(fresh), "da-gui.jsonl": before["da-gui.jsonl"]}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fresh", "ket-qua"]


@pytest.mark.parametrize(
    ("left", "out_there", "expected"),
    [
        ("staging", True, "previous"),  # killed while writing: the half-written set goes
        ("staging", False, "none"),  # the first run, killed while writing
        ("aside", True, "new"),  # killed while removing the previous set
        ("aside", False, "previous"),  # killed between the two renames: the previous set is back
    ],
)
def test_what_a_killed_run_left_is_cleared_by_the_next(
    tmp_path: Path, left: str, out_there: bool, expected: str
) -> None:
    out = tmp_path / "ket-qua"
    sets = {"previous": lien_chieu(), "new": without_school()}
    write_case(sets["new"] if left == "aside" else sets["previous"], out)
    leftover = staging_dir(out) if left == "staging" else aside_dir(out)
    if left == "aside":
        write_case(sets["previous"], leftover)
    else:
        write_case(sets["new"], tmp_path / "half")
        os.rename(tmp_path / "half", leftover)
        (leftover / "tong-hop.xlsx").write_bytes(b"PK\x03\x04 half")
    if not out_there:
        os.rename(out, tmp_path / "gone") if left == "aside" else _remove(out)
    notes = staging.recover(out)
    assert notes
    assert not leftover.exists()
    if expected == "none":
        assert not out.exists()
        return
    write_case(sets[expected], tmp_path / "expected")
    assert files_of(out) == files_of(tmp_path / "expected")


def _remove(folder: Path) -> None:
    import shutil

    shutil.rmtree(folder)


@pytest.mark.parametrize(
    ("contents", "allowed"),
    [
        ({}, True),
        ({"tong-hop.xlsx": "x", "chi-bo/CB01.xlsx": "x"}, True),  # ours, without a manifest
        ({"manifest.json": '{"schema": "xeploai/manifest/1"}', "ghi-chu.txt": "x"}, True),
        ({"bao-cao-nam-truoc.docx": "x"}, False),
        ({"manifest.json": '{"schema": "other"}', "ghi-chu.txt": "x"}, False),
    ],
)
def test_only_a_new_empty_or_previous_output_folder_is_replaced(
    tmp_path: Path, contents: dict[str, str], allowed: bool
) -> None:
    out = tmp_path / "ket-qua"
    out.mkdir()
    for name, text in contents.items():
        (out / name).parent.mkdir(exist_ok=True)
        (out / name).write_text(text, encoding="utf-8")
    if allowed:
        staging.check_replaceable(out)
    else:
        with pytest.raises(OutputError, match="không phải của xeploai"):
            staging.check_replaceable(out)


# ---------------------------------------------------------------------------------------------
# the output folder is never an input


@pytest.mark.parametrize(
    ("out", "inputs", "refused"),
    [
        ("ket-qua", {"hộp thư": "hop-thu", "danh sách": "ds.xlsx"}, None),
        ("hop-thu", {"hộp thư": "hop-thu"}, "là hộp thư"),
        ("hop-thu/ket-qua", {"hộp thư": "hop-thu"}, "nằm trong hộp thư"),
        (".", {"hộp thư": "hop-thu"}, "chứa hộp thư"),
        (".", {"danh sách": "ds.xlsx"}, "chứa danh sách"),
        ("quy-tac", {"tệp quy tắc": "quy-tac/local.toml"}, "chứa tệp quy tắc"),
        ("link-to-inbox", {"hộp thư": "hop-thu"}, "là hộp thư"),
        ("link-to-inbox/ket-qua", {"hộp thư": "hop-thu"}, "nằm trong hộp thư"),
        ("ket-qua", {"hộp thư": ".ket-qua.xeploai-staging"}, "là hộp thư"),  # removed as a leftover
        ("ket-qua", {"danh sách": ".ket-qua.xeploai-lock"}, "là danh sách"),
    ],
)
def test_an_output_folder_apart_from_every_input(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    out: str,
    inputs: dict[str, str],
    refused: str | None,
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("hop-thu").mkdir()
    Path("quy-tac").mkdir()
    Path("link-to-inbox").symlink_to("hop-thu")
    paths = {label: Path(p) for label, p in inputs.items()}
    if refused is None:
        check_apart(Path(out), paths)
        return
    with pytest.raises(OutputError, match=refused):
        check_apart(Path(out), paths)


# ---------------------------------------------------------------------------------------------
# the lock


def test_a_second_holder_is_refused_with_the_first_named(tmp_path: Path) -> None:
    out = tmp_path / "ket-qua"
    with OutputLock(out) as first:
        assert first.left_by is None
        with pytest.raises(OutputError) as refused:
            OutputLock(out).acquire()
    said = str(refused.value)
    assert f"tiến trình {os.getpid()} trên máy {socket.gethostname()}, bắt đầu lúc 20" in said
    assert not lock_file(out).exists()  # released: the file goes with it


KILLED_HOLDER = """
import os, signal, sys, time
from pathlib import Path
from toolkit.outputs.lock import OutputLock
OutputLock(Path(sys.argv[1])).acquire()
grandchild = os.fork()
if grandchild == 0:  # a reader or writer process, still running when its parent is killed
    os.close(1)
    os.close(2)
    time.sleep(60)
    os._exit(0)
print(os.getpid(), grandchild, flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_a_lock_left_by_a_killed_process_is_taken_over_while_its_child_lives(
    tmp_path: Path,
) -> None:
    out = tmp_path / "ket-qua"
    child = subprocess.run(
        [sys.executable, "-c", KILLED_HOLDER, str(out)], capture_output=True, text=True, check=False
    )
    assert child.returncode == -signal.SIGKILL
    holder, grandchild = (int(n) for n in child.stdout.split())
    assert lock_file(out).exists()
    try:
        os.kill(grandchild, 0)  # alive, with the lock file open
        with OutputLock(out) as lock:
            assert lock.left_by is not None
            assert (lock.left_by.pid, lock.left_by.host) == (holder, socket.gethostname())
    finally:
        os.kill(grandchild, signal.SIGKILL)
