"""Finding the returned files under the folders given, and saying what could not be looked at.

A folder that cannot be listed, a link that leads nowhere or back to itself, a named pipe, a
device: each is an ``Unreadable`` entry naming its path, never skipped in silence (``rglob``
drops a folder it may not list, and a pipe would make a reader wait forever). Links to folders
are followed once: a link back to a folder already being walked is a loop.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from toolkit.errors import InputError, os_reason

#: codes of ``Unreadable`` entries (issue codes, described in ``toolkit/codes.py``)
FOLDER_UNREADABLE = "folder-unreadable"
LINK_BROKEN = "link-broken"
LINK_LOOP = "link-loop"
NOT_A_FILE = "not-a-regular-file"


@dataclass(frozen=True)
class Unreadable:
    """An entry under the inbox whose contents cannot be seen: its path, why, and a code."""

    path: Path
    code: str
    reason: str

    @property
    def may_hide_a_return(self) -> bool:
        """Whether a return may be behind it: a folder not listed, a link to a file that is
        gone; not a loop (nothing is behind it) nor a pipe or a device (nobody sends one)."""
        return self.code in (FOLDER_UNREADABLE, LINK_BROKEN)


@dataclass(frozen=True)
class Found:
    """What a walk found: the files to read (sorted) and what could not be looked at."""

    files: tuple[Path, ...]
    unreadable: tuple[Unreadable, ...]


def find_files(paths: Iterable[Path | str]) -> Found:
    """Files given and files under folders given (recursively), sorted; dotfiles skipped."""
    files: set[Path] = set()
    unreadable: list[Unreadable] = []
    for given in paths:
        path = Path(given)
        try:
            info = os.stat(path)
        except OSError as exc:
            if not path.is_symlink() and isinstance(exc, FileNotFoundError | NotADirectoryError):
                raise InputError(f"Không tìm thấy tệp hoặc thư mục: {path}") from None
            unreadable.append(_link_problem(path, exc))
            continue
        if stat.S_ISDIR(info.st_mode):
            _walk(path, {(info.st_dev, info.st_ino)}, files, unreadable)
        else:
            _take(path, info, files, unreadable)
    return Found(tuple(sorted(files)), tuple(sorted(unreadable, key=lambda u: u.path)))


def _walk(
    folder: Path, seen: set[tuple[int, int]], files: set[Path], unreadable: list[Unreadable]
) -> None:
    """Every entry of ``folder``; ``seen``: the folders on the way here (a link to one is a loop)."""
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda e: e.name)
    except OSError as exc:
        unreadable.append(Unreadable(folder, FOLDER_UNREADABLE, _folder_reason(exc)))
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue  # .DS_Store, .git, an editor's swap file: never a return
        path = Path(entry.path)
        try:
            info = os.stat(path)  # follows a link
        except OSError as exc:
            unreadable.append(_link_problem(path, exc))
            continue
        if stat.S_ISDIR(info.st_mode):
            key = (info.st_dev, info.st_ino)
            if key in seen:
                reason = f"trỏ ngược về thư mục «{Path(os.path.realpath(path)).name}» chứa nó"
                unreadable.append(Unreadable(path, LINK_LOOP, reason))
                continue
            _walk(path, seen | {key}, files, unreadable)
        else:
            _take(path, info, files, unreadable)


def _take(path: Path, info: os.stat_result, files: set[Path], unreadable: list[Unreadable]) -> None:
    if stat.S_ISREG(info.st_mode):
        files.add(path)
    else:  # opening a named pipe waits for a writer; a device is read forever
        unreadable.append(Unreadable(path, NOT_A_FILE, _what(info.st_mode)))


def _link_problem(path: Path, exc: OSError) -> Unreadable:
    """Why ``os.stat`` failed on an entry that ``scandir`` listed: a link loop, a broken link,
    or no right to look (a folder on the way may not be entered)."""
    if exc.errno == errno.ELOOP:
        return Unreadable(path, LINK_LOOP, f"trỏ vòng về chính nó ({exc.strerror})")
    if path.is_symlink() and isinstance(exc, FileNotFoundError | NotADirectoryError):
        return Unreadable(path, LINK_BROKEN, os.readlink(path))
    return Unreadable(path, FOLDER_UNREADABLE, _folder_reason(exc))


def _folder_reason(exc: OSError) -> str:
    if exc.errno in (errno.EACCES, errno.EPERM):
        return f"không có quyền mở thư mục ({exc.strerror})"
    return os_reason(exc, name_file=False)


def _what(mode: int) -> str:
    """What a file that is not a regular file is, in Vietnamese (English in brackets)."""
    if stat.S_ISFIFO(mode):
        return "đường ống có tên (named pipe)"
    if stat.S_ISSOCK(mode):
        return "socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "thiết bị (device)"
    return "tệp đặc biệt (special file)"
