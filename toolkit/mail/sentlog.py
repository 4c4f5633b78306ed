"""``OUT/da-gui.jsonl``: one JSON line per recipient and step of a message, with the
attachments' SHA-256, so that running ``mail`` again sends nothing twice.

Each delivery is written in two steps, each pushed to disk (fsync) before going on: "sending"
before the DATA command, "sent" once the server accepted the message (or "failed" when it
said it did not take it). A message whose last line says "sending" may or may not have
arrived (the connection dropped after its last byte, or the run was killed): it is an
*unknown outcome*, never sent again unless ``--resend`` says so. A line without a state is
"sent" (logs written before the two steps).

A message counts as already sent to a recipient when a line names the same address, the same
kind of message, the same cell and exactly the same attachment hashes: results made again
with different contents go out again. No password ever reaches this file.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO

from toolkit.errors import InputError, OutputError, os_reason

SENT_LOG = "da-gui.jsonl"
SENDING, SENT, FAILED = "sending", "sent", "failed"
_STATES = (SENDING, SENT, FAILED)
#: how much of the log's end is read to find a line cut short (a line is a few hundred bytes)
_TAIL = 1 << 16


@dataclass(frozen=True)
class SentEntry:
    """One line of the log: one step of one message to one address."""

    sent_at: str
    kind: str
    cell: str | None
    to: str
    message_id: str
    #: (path relative to the output folder, SHA-256) of every attachment
    attachments: tuple[tuple[str, str], ...]
    state: str = SENT

    @property
    def key(self) -> tuple[str, str, str, tuple[str, ...]]:
        return _key(self.to, self.kind, self.cell, (sha for _, sha in self.attachments))

    def as_json(self) -> str:
        return json.dumps(
            {
                "sent_at": self.sent_at,
                "kind": self.kind,
                "cell": self.cell,
                "to": self.to,
                "message_id": self.message_id,
                "attachments": [{"file": f, "sha256": h} for f, h in self.attachments],
                "state": self.state,
            },
            ensure_ascii=False,
            sort_keys=True,
        )


class SentLog:
    """What the log says went out; ``record`` appends to it (after ``open_for_append``)."""

    def __init__(self, path: Path, entries: Iterable[SentEntry] = ()) -> None:
        self.path = path
        self.entries: list[SentEntry] = []
        #: key -> the last line about it
        self._last: dict[tuple[str, str, str, tuple[str, ...]], SentEntry] = {}
        self._stream: IO[str] | None = None
        for entry in entries:
            self._remember(entry)

    @classmethod
    def load(cls, out_dir: Path) -> SentLog:
        """The log of ``out_dir`` (empty when there is none yet); a damaged line is an
        ``InputError`` naming it, never skipped, except a last line cut short by a crash."""
        path = out_dir / SENT_LOG
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return cls(path)
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"Không đọc được nhật ký gửi thư {path}: {os_reason(exc)}.") from None
        entries = []
        lines = text.split("\n")
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            entry = _parse(line)
            if entry is None:
                if number == len(lines):
                    # a last line without its newline, cut short while being written: the
                    # "sending" line before it (pushed to disk first) still stands
                    break
                raise InputError(
                    f"Nhật ký gửi thư {path} hỏng ở dòng {number}; hãy sửa hoặc xóa dòng đó "
                    "(xóa thì các thư ở dòng đó có thể được gửi lại)."
                )
            entries.append(entry)
        return cls(path, entries)

    def already_sent(self, to: str, kind: str, cell: str | None, hashes: Iterable[str]) -> bool:
        """True when this message, with these very attachments, already went to ``to``."""
        last = self._last.get(_key(to, kind, cell, hashes))
        return last is not None and last.state == SENT

    def unknown(
        self, to: str, kind: str, cell: str | None, hashes: Iterable[str]
    ) -> SentEntry | None:
        """The "sending" line of this message when nothing after it says how it ended."""
        last = self._last.get(_key(to, kind, cell, hashes))
        return last if last is not None and last.state == SENDING else None

    def open_for_append(self) -> None:
        """Open the log and prove it can be written before any message goes: a line cut
        short by an earlier crash is removed (or ended), so each append starts a line."""
        try:
            self._stream = self.path.open("a", encoding="utf-8", newline="\n")
            end = os.fstat(self._stream.fileno()).st_size
            if end:
                with self.path.open("rb") as raw:
                    raw.seek(max(0, end - _TAIL))
                    tail = raw.read()
                if not tail.endswith(b"\n"):
                    torn = tail.rsplit(b"\n", 1)[-1]
                    whole = b"\n" in tail or end <= _TAIL
                    if whole and _parse(torn.decode("utf-8", "replace")) is None:
                        # the torn line of a write that never finished: not a line at all
                        self._stream.truncate(end - len(torn))
                    else:
                        self._stream.write("\n")
            self._stream.flush()
            os.fsync(self._stream.fileno())
        except OSError as exc:
            self.close()
            raise OutputError(
                f"Không ghi được nhật ký gửi thư {self.path}: {os_reason(exc)}. Chưa gửi thư nào."
            ) from None

    def record(self, entries: Iterable[SentEntry]) -> None:
        """Append ``entries`` and push them to disk before anything else happens."""
        if self._stream is None:
            raise RuntimeError("the sent log is not open for appending")
        items = list(entries)
        try:
            self._stream.write("".join(entry.as_json() + "\n" for entry in items))
            self._stream.flush()
            os.fsync(self._stream.fileno())
        except OSError as exc:
            raise OutputError(
                f"Không ghi được nhật ký gửi thư {self.path}: {os_reason(exc)}."
            ) from None
        for entry in items:
            self._remember(entry)

    def close(self) -> None:
        stream, self._stream = self._stream, None
        if stream is not None:
            # what it held was flushed and pushed to disk by record, or reported there
            with contextlib.suppress(OSError):
                stream.close()

    def __enter__(self) -> SentLog:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _remember(self, entry: SentEntry) -> None:
        self.entries.append(entry)
        self._last[entry.key] = entry


def _parse(line: str) -> SentEntry | None:
    try:
        raw = json.loads(line)
        state = str(raw.get("state", SENT))
        if state not in _STATES:
            return None
        return SentEntry(
            sent_at=str(raw["sent_at"]),
            kind=str(raw["kind"]),
            cell=None if raw["cell"] is None else str(raw["cell"]),
            to=str(raw["to"]),
            message_id=str(raw["message_id"]),
            attachments=tuple((str(a["file"]), str(a["sha256"])) for a in raw["attachments"]),
            state=state,
        )
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


def _key(
    to: str, kind: str, cell: str | None, hashes: Iterable[str]
) -> tuple[str, str, str, tuple[str, ...]]:
    return (to.casefold(), kind, cell or "", tuple(sorted(hashes)))
