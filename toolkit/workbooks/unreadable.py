"""What could not be read under the inbox, as issues, and the cells it may hide.

A cell whose return is in a file nobody could read did not fail to send it: such a cell is
never reported as "chưa gửi". A path that names exactly one cell of the roster (secretaries'
files and folders carry the cell code: ``CB01-Chi-bo-….xlsx``, ``hop-thu/CB01/``) is that
cell's; a path that names none may hold anyone's return (a folder that cannot be listed, a link
to a file that is gone, a file that cannot be opened), so then every cell not fully received is
held back the same way. Such cells take the state ``"unreadable"``: rejected, with a
``return-unreadable`` issue naming the path, until the file can be read.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from pathlib import Path

from toolkit import catalogue
from toolkit.model import InputFile, Issue, Location
from toolkit.outputs.paths import safe_stem
from toolkit.workbooks.inbox import CellStatus, InboxResult
from toolkit.workbooks.walk import Unreadable

#: ``CellStatus.state`` of a cell held back by a file that could not be read
UNREADABLE = "unreadable"


def shown(path: Path, roots: Sequence[Path]) -> str:
    """``path`` as the user knows it: relative to the folder given that holds it, with ``/``."""
    for root in roots:
        if path.is_relative_to(root) and path != root:
            return path.relative_to(root).as_posix()
    return str(path)


def unreadable_issue(entry: Unreadable, shown_as: str) -> Issue:
    """The issue for an entry the walk could not look at, naming it as ``shown_as``."""
    return catalogue.make(
        entry.code, location=Location(shown_as), value=shown_as, reason=entry.reason
    )


def settle_unreadable(
    collected: InboxResult, entries: Sequence[Unreadable], roots: Sequence[Path]
) -> InboxResult:
    """``collected`` with an issue for each entry the walk could not look at, and the cells a
    file that could not be read may belong to taken out of ``missing`` (see the module)."""
    issues = [unreadable_issue(e, shown(e.path, roots)) for e in entries]
    not_opened = {i.location.file for i in collected.issues if i.code == "input-not-readable"}
    paths = [e.path for e in entries if e.may_hide_a_return] + [
        Path(f.path)
        for f in collected.inputs
        if f.status == "rejected" and not f.sha256 and Path(f.path).name in not_opened
    ]
    inputs = [
        *collected.inputs,
        *(InputFile(str(e.path), "", status="rejected") for e in entries),
    ]
    collected = dataclasses.replace(
        collected,
        issues=(*collected.issues, *issues),
        inputs=tuple(sorted(inputs, key=lambda f: f.path)),
    )
    if not entries and not paths:
        return collected
    cells = [c.cell.code for c in collected.cells]
    owners: dict[str, list[str]] = {}
    anyone: list[str] = []
    for path in [*paths, *(e.path for e in entries if not e.may_hide_a_return)]:
        owner = _named_cell(shown(path, roots), cells)
        if owner:
            owners.setdefault(owner, []).append(shown(path, roots))
        elif path in paths:
            anyone.append(shown(path, roots))
    held: dict[str, list[str]] = {}
    for status in collected.cells:
        if status.state == "missing" and (anyone or status.cell.code in owners):
            held[status.cell.code] = owners.get(status.cell.code, []) + anyone
    if not held:
        return collected
    kept = [
        i for i in collected.issues if not (i.code == "workbook-missing" and i.unit_code in held)
    ]
    reasons: list[Issue] = [
        catalogue.make(
            "return-unreadable",
            value=", ".join(held[code]),
            unit=code,
            unit_code=code,
        )
        for code in sorted(held)
    ]
    return dataclasses.replace(
        collected,
        missing=tuple(u for u in collected.missing if u.code not in held),
        issues=(*kept, *reasons),
        cells=tuple(_held(c) if c.cell.code in held else c for c in collected.cells),
    )


def _held(status: CellStatus) -> CellStatus:
    return dataclasses.replace(status, state=UNREADABLE)


def _named_cell(path: str, codes: Sequence[str]) -> str | None:
    """The one cell whose code (or its file-name stem) ``path`` names as a word; None if it
    names none or several."""
    text = path.casefold()
    named = {
        code
        for code in codes
        for spelling in {code, safe_stem(code)}
        if re.search(rf"(?<![0-9a-z]){re.escape(spelling.casefold())}(?![0-9a-z])", text)
    }
    return named.pop() if len(named) == 1 else None
