"""``OUT/da-gui.jsonl``: one JSON line per recipient a message went to, with the attachments'
SHA-256, so that running ``mail`` again sends nothing twice.

A message counts as already sent to a recipient when a line names the same address, the same
kind of message, the same cell and exactly the same attachment hashes: results made again
with different contents go out again. Lines are appended and flushed to disk one by one, so a
run that stops half-way still remembers what went out. No password ever reaches this file.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO

from toolkit.errors import InputError, OutputError, os_reason

SENT_LOG = "da-gui.jsonl"


@dataclass(frozen=True)
class SentEntry:
    """One line of the log: one message delivered to one address."""

    sent_at: str
    kind: str
    cell: str | None
    to: str
    message_id: str
    #: (path relative to the output folder, SHA-256) of every attachment
    attachments: tuple[tuple[str, str], ...]

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
            },
            ensure_ascii=False,
            sort_keys=True,
        )


class SentLog:
    """What the log says went out; ``record`` appends to it (after ``open_for_append``)."""

    def __init__(self, path: Path, entries: Iterable[SentEntry] = ()) -> None:
        self.path = path
        self.entries = list(entries)
        self._keys = {entry.key for entry in self.entries}
        self._stream: IO[str] | None = None

    @classmethod
    def load(cls, out_dir: Path) -> SentLog:
        """The log of ``out_dir`` (empty when there is none yet); a damaged line is an
        ``InputError`` naming it, never skipped."""
        path = out_dir / SENT_LOG
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return cls(path)
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"Không đọc được nhật ký gửi thư {path}: {os_reason(exc)}.") from None
        entries = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                raw = json.loads(line)
                entries.append(
                    SentEntry(
                        sent_at=str(raw["sent_at"]),
                        kind=str(raw["kind"]),
                        cell=None if raw["cell"] is None else str(raw["cell"]),
                        to=str(raw["to"]),
                        message_id=str(raw["message_id"]),
                        attachments=tuple(
                            (str(a["file"]), str(a["sha256"])) for a in raw["attachments"]
                        ),
                    )
                )
            except (ValueError, KeyError, TypeError):
                raise InputError(
                    f"Nhật ký gửi thư {path} hỏng ở dòng {number}; hãy sửa hoặc xóa dòng đó "
                    "(xóa thì các thư ở dòng đó có thể được gửi lại)."
                ) from None
        return cls(path, entries)

    def already_sent(self, to: str, kind: str, cell: str | None, hashes: Iterable[str]) -> bool:
        """True when this message, with these very attachments, already went to ``to``."""
        return _key(to, kind, cell, hashes) in self._keys

    def open_for_append(self) -> None:
        """Open the log now, so that a folder we cannot write to stops us before any send."""
        try:
            self._stream = self.path.open("a", encoding="utf-8")
        except OSError as exc:
            raise OutputError(
                f"Không ghi được nhật ký gửi thư {self.path}: {os_reason(exc)}."
            ) from None

    def record(self, entry: SentEntry) -> None:
        """Append ``entry`` and push it to disk before the next message goes."""
        if self._stream is None:
            raise RuntimeError("the sent log is not open for appending")
        try:
            self._stream.write(entry.as_json() + "\n")
            self._stream.flush()
            os.fsync(self._stream.fileno())
        except OSError as exc:
            raise OutputError(
                f"Không ghi được nhật ký gửi thư {self.path}: {os_reason(exc)}."
            ) from None
        self.entries.append(entry)
        self._keys.add(entry.key)

    def close(self) -> None:
        if self._stream is not None:
            self._stream.close()
            self._stream = None

    def __enter__(self) -> SentLog:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _key(
    to: str, kind: str, cell: str | None, hashes: Iterable[str]
) -> tuple[str, str, str, tuple[str, ...]]:
    return (to.casefold(), kind, cell or "", tuple(sorted(hashes)))
