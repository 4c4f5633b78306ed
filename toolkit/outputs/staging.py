"""All or nothing: outputs are written into a staging folder beside OUT and swapped in whole.

``.<name>.xeploai-staging`` is written first; only when every file in it is complete is it
exchanged with OUT in one step (``renameat2(RENAME_EXCHANGE)`` on Linux), after which it holds
the previous set, which is removed. Where a folder cannot be exchanged in one step, OUT is
renamed to ``.<name>.xeploai-old`` and the staging folder renamed to OUT: a run killed between
the two renames leaves no OUT, and the next run puts the previous set back (``recover``).
A process killed at any moment therefore leaves the previous set or the new one under OUT,
never a mix; the next run clears what it left beside OUT.

What OUT holds besides the outputs ``aggregate`` owns (``paths.OWN_NAMES``) — ``mail``'s sent log
``da-gui.jsonl``, a note someone left — is carried over into the new set, as hard links where
the file system allows (copied otherwise), before the swap. Callers hold the output lock:
``claimed`` takes it, clears what a killed run left and checks OUT may be replaced, for every
command that writes an output folder (``aggregate``, ``rollup``).
"""

from __future__ import annotations

import ctypes
import errno
import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from toolkit.errors import OutputError, os_reason
from toolkit.outputs.lock import OutputLock
from toolkit.outputs.paths import MANIFEST, OWN_NAMES, aside_dir, staging_dir

#: the moments of a swap, in order, that ``reached`` announces (tests stop a process there)
MOMENTS = ("staging-created", "staging-written", "moved-aside", "swapped")


def reached(moment: str) -> None:
    """A named moment of writing the outputs: nothing happens here. Fault-injection tests
    replace this function in a child process to kill it at ``moment``."""


@dataclass(frozen=True)
class Claim:
    """An output folder this run holds: its real path (a link to the folder: its target is what
    is replaced) and what the user should be told about it (a lock taken over...), in
    Vietnamese."""

    target: Path
    notices: tuple[str, ...]


@contextmanager
def claimed(out_dir: Path) -> Iterator[Claim]:
    """``out_dir`` locked for this run, cleared of what a killed run left beside it, and checked
    to be ours to replace. ``OutputError`` when another run holds it or it holds other data."""
    with OutputLock(out_dir) as lock:
        notices = [] if lock.left_by is None else [_taken_over(lock)]
        target = Path(out_dir).resolve()
        try:
            notices += recover(target)
        except OSError as exc:
            raise OutputError(f"Không dọn được {out_dir}: {os_reason(exc)}.") from None
        check_replaceable(target)
        yield Claim(target, tuple(notices))


def _taken_over(lock: OutputLock) -> str:
    """The notice for a lock taken over from a run that ended without letting go of it."""
    assert lock.left_by is not None
    return (
        f"Lần chạy trước vào {lock.out_dir} ({lock.left_by.describe()}) đã dừng giữa chừng; "
        "khóa của nó được tiếp quản, kết quả trước đó vẫn nguyên vẹn."
    )


def recover(out_dir: Path) -> list[str]:
    """Clear what a killed run left beside ``out_dir``: a previous set moved aside comes back
    if OUT is gone, every other leftover is removed. Returns what was done, in Vietnamese."""
    done: list[str] = []
    staging, aside = staging_dir(out_dir), aside_dir(out_dir)
    if aside.exists() and not out_dir.exists():
        os.rename(aside, out_dir)
        done.append(f"đã khôi phục bộ kết quả trước vào {out_dir}")
    for leftover in (staging, aside):
        if leftover.exists() or leftover.is_symlink():
            _remove(leftover)
            done.append(f"đã xóa {leftover.name} còn sót lại")
    return done


def check_replaceable(out_dir: Path) -> None:
    """``OutputError`` unless ``out_dir`` is new, empty, or a previous output of ``aggregate``
    (it has our ``manifest.json``): the whole folder is swapped, never one with other data."""
    try:
        names = os.listdir(out_dir)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise OutputError(f"Không mở được thư mục kết quả {out_dir}: {os_reason(exc)}.") from None
    if not names or _is_ours(out_dir / MANIFEST) or set(names) <= OWN_NAMES:
        return
    shown = ", ".join(sorted(names)[:5])
    raise OutputError(
        f"Thư mục kết quả «{out_dir}» đã có dữ liệu không phải của xeploai ({shown}…): cả "
        "thư mục được thay mới mỗi lần chạy, hãy chọn một thư mục mới hoặc trống (-o)."
    )


@contextmanager
def staged(out_dir: Path) -> Iterator[Path]:
    """A fresh staging folder for ``out_dir``'s new outputs, swapped in when the ``with`` block
    ends without an exception, removed (OUT untouched) when it does not. ``OSError`` is left to
    the caller; the staging folder is removed first."""
    staging = staging_dir(out_dir)
    if staging.exists() or staging.is_symlink():
        _remove(staging)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging.mkdir()
    try:
        reached("staging-created")
        yield staging
        reached("staging-written")
        _carry_over(out_dir, staging)
        _swap(staging, out_dir)
    except BaseException:
        if staging.exists():
            _remove_quietly(staging)
        raise


def _swap(staging: Path, out_dir: Path) -> None:
    """Put ``staging`` in ``out_dir``'s place; the previous set, if any, is removed."""
    if not out_dir.exists():
        os.rename(staging, out_dir)
        reached("swapped")
        return
    if _exchange(staging, out_dir):
        reached("swapped")
        _remove_quietly(staging)  # now the previous set
        return
    aside = aside_dir(out_dir)
    os.rename(out_dir, aside)
    reached("moved-aside")
    os.rename(staging, out_dir)
    reached("swapped")
    _remove_quietly(aside)


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _exchange(first: Path, second: Path) -> bool:
    """Exchange two folders in one step (Linux ≥ 3.15 ``renameat2``); False where the system
    or the file system cannot, ``OSError`` for any other failure."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError, TypeError):  # no such call, or no C library (Windows)
        return False
    result = renameat2(
        _AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE
    )
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(second))


def _carry_over(out_dir: Path, staging: Path) -> None:
    """What OUT holds that ``aggregate`` does not write (the sent log...), into ``staging``."""
    try:
        names = sorted(os.listdir(out_dir))
    except FileNotFoundError:
        return
    for name in names:
        if name in OWN_NAMES or (staging / name).exists():
            continue
        source = out_dir / name
        if source.is_dir() and not source.is_symlink():
            shutil.copytree(source, staging / name, symlinks=True, copy_function=_link_or_copy)
        else:
            _link_or_copy(source, staging / name)


def _link_or_copy(source: str | Path, target: str | Path) -> None:
    if os.path.islink(source):
        os.symlink(os.readlink(source), target)
        return
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _is_ours(manifest: Path) -> bool:
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and str(data.get("schema", "")).startswith("xeploai/manifest/")


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink()


def _remove_quietly(path: Path) -> None:
    """Remove ``path``; what cannot be removed is left for the next run's ``recover``."""
    with suppress(OSError):
        _remove(path)
