"""One run at a time per output folder: a lock file beside it, naming who holds it.

The file ``.<name>.xeploai-lock`` records the holder's process id, host and start time, and the
holder keeps a POSIX record lock (``lockf``) on it for as long as it runs. The system lets go of
that lock when the process ends, however it ends, and a process's children never inherit it (a
reader or writer process left behind by a killed run cannot keep the folder locked): a file
found without it was left by a run that was killed, and is taken over (``OutputLock.left_by``
says whose it was). A record lock does not keep out the process that holds it, so this process
remembers its own. Where ``fcntl`` does not exist (Windows) a holder on this host is alive if
its process is.
"""

from __future__ import annotations

import datetime as _dt
import errno
import json
import os
import socket
from dataclasses import dataclass
from pathlib import Path

from toolkit.errors import OutputError, os_reason
from toolkit.outputs.paths import lock_file

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]


@dataclass(frozen=True)
class Holder:
    """Who holds (or held) a lock: process id, host name, start time (ISO, UTC)."""

    pid: int
    host: str
    started: str

    def describe(self) -> str:
        return f"tiến trình {self.pid} trên máy {self.host}, bắt đầu lúc {self.started}"

    @classmethod
    def me(cls) -> Holder:
        now = _dt.datetime.now(_dt.UTC).replace(microsecond=0)
        return cls(os.getpid(), socket.gethostname(), now.isoformat().replace("+00:00", "Z"))

    @classmethod
    def parse(cls, text: str) -> Holder | None:
        try:
            data = json.loads(text)
            return cls(int(data["pid"]), str(data["host"]), str(data["started"]))
        except (ValueError, KeyError, TypeError):
            return None


#: the lock files this process holds, and as whom
_HELD: dict[Path, Holder] = {}


class OutputLock:
    """The lock on ``out_dir``, held from ``acquire`` (or ``with``) until ``release``."""

    def __init__(self, out_dir: Path) -> None:
        # the real folder's: a link to it and the folder itself share one lock
        self.path = lock_file(Path(out_dir).resolve())
        self.out_dir = Path(out_dir)
        #: the holder of a lock found left behind by a run that ended without letting go
        self.left_by: Holder | None = None
        self._fd: int | None = None

    def acquire(self) -> OutputLock:
        """Take the lock, or ``OutputError`` naming the run that holds it."""
        if self.path in _HELD:
            raise self._busy(_HELD[self.path])
        while True:
            fd = self._open()
            left = _read(fd)
            if not _try_lock(fd, left):
                os.close(fd)
                raise self._busy(left)
            # the holder before us may have removed the file between our open and our lock
            try:
                same = os.fstat(fd).st_ino == os.stat(self.path).st_ino
            except FileNotFoundError:
                same = False
            if same:
                break
            os.close(fd)
        self.left_by = _read(fd)  # still there: its holder ended without letting go
        me = Holder.me()
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(me.__dict__, sort_keys=True).encode("utf-8"), 0)
        os.fsync(fd)
        self._fd = fd
        _HELD[self.path] = me
        return self

    def _open(self) -> int:
        """The lock file, made (with the folders above OUT) if need be."""
        try:
            try:
                return os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            except FileNotFoundError:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                return os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            # named as the user gave it: the lock beside it is ours, not theirs
            said = OSError(exc.errno, exc.strerror, str(self.out_dir))
            raise OutputError(
                f"Không ghi được kết quả vào {self.out_dir}: {os_reason(said)}."
            ) from None

    def _busy(self, holder: Holder | None) -> OutputError:
        who = holder.describe() if holder else "một lần chạy khác"
        return OutputError(
            f"Thư mục kết quả «{self.out_dir}» đang được dùng bởi {who}. Hãy chờ lần chạy đó "
            f"xong (nếu chắc chắn nó đã dừng, xóa tệp khóa {self.path})."
        )

    def release(self) -> None:
        if self._fd is None:
            return
        # removed before letting go: nobody finds our record without the lock
        self.path.unlink(missing_ok=True)
        os.close(self._fd)
        self._fd = None
        _HELD.pop(self.path, None)

    def __enter__(self) -> OutputLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


def _read(fd: int) -> Holder | None:
    text = os.pread(fd, 4096, 0).decode("utf-8", "replace")
    return Holder.parse(text) if text.strip() else None


def _try_lock(fd: int, left: Holder | None) -> bool:
    """Whether this process now holds the lock on ``fd``."""
    if fcntl is not None:
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno in (errno.EACCES, errno.EAGAIN):
                return False
            # a file system without record locks (some network shares): the record decides
        else:
            return True
    if left is None:
        return True
    if left.host != socket.gethostname():
        return False  # no telling whether it still runs: its user says (the message tells how)
    try:
        os.kill(left.pid, 0)
    except ProcessLookupError:
        return True  # its holder is gone
    except PermissionError:
        return False  # alive, another user's
    return False
