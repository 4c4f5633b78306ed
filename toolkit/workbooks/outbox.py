"""The outbox: the workbooks the district sends out, made from its roster.

``make_cell_templates`` refuses to write anything from a roster with errors (a wrong roster would
be copied into every cell's workbooks); the roster's warnings are returned alongside the files.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from toolkit.errors import InputError, OutputError, os_reason
from toolkit.model import Issue, Severity
from toolkit.outputs.paths import check_apart
from toolkit.rulebook import load_ruleset
from toolkit.workbooks.declarations import load_declaration
from toolkit.workbooks.generate import generate_cell_workbooks, write_blank_roster
from toolkit.workbooks.read import read_roster


@dataclass(frozen=True)
class Outbox:
    """What ``templates`` wrote, and what it found in the roster."""

    paths: tuple[Path, ...]
    cells: int
    issues: tuple[Issue, ...]

    @property
    def written(self) -> bool:
        return bool(self.paths)


def make_blank_roster(out_dir: Path) -> Path:
    """Write the blank roster workbook into ``out_dir``; its path."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"Không tạo được thư mục {out_dir}: {os_reason(exc)}.") from None
    path = out_dir / f"{load_declaration('roster').file_name}.xlsx"
    write_blank_roster(path)
    return path


def make_cell_templates(
    roster_path: Path,
    year: int,
    out_dir: Path,
    rules_file: Path | None = None,
    only: Sequence[str] = (),
) -> Outbox:
    """Every cell's two workbooks for ``year`` (or only those of the cells coded ``only``: a
    cell that lost its file), unless the roster has errors; ``OutputError`` (before anything
    is read) when ``out_dir`` holds the roster or the rules file."""
    check_apart(out_dir, {"danh sách": roster_path, "tệp quy tắc": rules_file})
    rules = load_ruleset(year, rules_file)
    roster, issues = read_roster(roster_path)
    if any(i.severity is Severity.ERROR for i in issues):
        return Outbox((), 0, issues)
    codes = {c.code for c in roster.tree.cells()}
    unknown = [code for code in only if code not in codes]
    if unknown:
        listed = ", ".join(unknown)
        raise InputError(f"Không có chi bộ mã {listed} trong danh sách {roster_path.name}.")
    paths = generate_cell_workbooks(roster, year, out_dir, rules=rules, only=only)
    return Outbox(tuple(paths), len(set(only)) if only else len(codes), issues)
