"""The output folder of ``aggregate``, as ``mail`` sees it: ``ket-qua.json`` and its files.

Only the keys of the ``xeploai/ket-qua/1`` contract are read (year, rule-set, parent, the
output file names, and per cell its code, name, secretary, result file and status); anything
else in the file is ignored, so ``aggregate`` may add keys freely. A file that is missing, not
JSON or of another schema is an ``InputError`` (exit code 2).
"""

from __future__ import annotations

import datetime as _dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from toolkit.errors import InputError, os_reason

RESULTS_FILE = "ket-qua.json"
SCHEMA = "xeploai/ket-qua/1"
#: ket-qua.json cell statuses
STATUSES = ("ok", "warnings", "errors", "missing")


@dataclass(frozen=True)
class CellEntry:
    """One cell of ``ket-qua.json``: who its secretary is and which file is theirs."""

    code: str
    name: str
    secretary_name: object
    secretary_email: object
    #: relative to the output folder, e.g. ``chi-bo/CB01.xlsx``; None for a cell that sent nothing
    result_file: str | None
    status: str
    error_count: int = 0
    warning_count: int = 0
    #: counted in the totals; a cell whose files have errors is "errors" and not aggregated
    aggregated: bool = True

    @property
    def label(self) -> str:
        """``CB01 — Chi bộ Trường THPT Liên Chiểu``: how a cell is named in messages."""
        return f"{self.code} — {self.name}" if self.name else self.code


@dataclass(frozen=True)
class ResultsFolder:
    """What ``mail`` needs from one output folder."""

    root: Path
    year: int
    ruleset_code: str
    ruleset_name: str
    parent_code: str
    parent_name: str
    summary_file: str
    report_file: str
    cells: tuple[CellEntry, ...]
    #: the date the results were produced, when ket-qua.json or manifest.json records one
    generated_on: _dt.date | None = None
    #: the report without member detail (what the leaders get by mail); "" from older runs
    report_summary_file: str = ""


def read_results(out_dir: str | Path) -> ResultsFolder:
    """Read ``OUT/ket-qua.json``; ``InputError`` if it is missing or not of our schema."""
    root = Path(out_dir)
    path = root / RESULTS_FILE
    data = _load_json(path)
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise InputError(
            f"{path} không phải tệp kết quả của «xeploai aggregate» (cần schema {SCHEMA})."
        )
    try:
        ruleset = data.get("ruleset") or {}
        parent = data.get("parent") or {}
        outputs = data["outputs"]
        year = data["year"]
        if isinstance(year, bool) or not isinstance(year, int):
            raise TypeError("year")
        cells = tuple(_cell(raw) for raw in data["cells"])
        return ResultsFolder(
            root=root,
            year=year,
            ruleset_code=str(ruleset.get("code", "")),
            ruleset_name=str(ruleset.get("name", "")),
            parent_code=str(parent.get("code", "")),
            parent_name=str(parent.get("name", "")),
            summary_file=str(outputs["summary"]),
            report_file=str(outputs["report"]),
            cells=cells,
            generated_on=_generated_on(data) or _generated_on(_manifest(root)),
            report_summary_file=str(outputs.get("report_summary", "")),
        )
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        raise InputError(
            f"{path} thiếu hoặc sai khóa ({exc}); hãy chạy lại «xeploai aggregate»."
        ) from None


def _load_json(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as stream:
            return json.load(stream)
    except FileNotFoundError:
        raise InputError(
            f"Không có {path}: thư mục này không phải kết quả của «xeploai aggregate»."
        ) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"Không đọc được {path}: {os_reason(exc)}.") from None


def _cell(raw: Any) -> CellEntry:
    result_file = raw.get("result_file")
    status = str(raw.get("status", ""))
    if status not in STATUSES:
        raise ValueError(f"status {status!r}")
    errors = warnings = 0
    issues = raw.get("issues")
    if isinstance(issues, list):
        # counted when aggregate lists them (beyond the contract): the message says how many
        for issue in issues:
            severity = issue.get("severity") if isinstance(issue, dict) else None
            errors += severity == "error"
            warnings += severity == "warning"
    return CellEntry(
        code=str(raw["code"]),
        name=str(raw.get("name") or ""),
        secretary_name=raw.get("secretary_name"),
        secretary_email=raw.get("secretary_email"),
        result_file=None if result_file is None else str(result_file),
        status=status,
        error_count=errors,
        warning_count=warnings,
        # older or hand-written files may lack the key: a cell with errors was then left out
        aggregated=bool(raw.get("aggregated", status in ("ok", "warnings"))),
    )


def _manifest(root: Path) -> Any:
    try:
        with (root / "manifest.json").open(encoding="utf-8") as stream:
            return json.load(stream)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None  # the date is a nicety: without it the dry run dates messages otherwise


def _generated_on(data: Any) -> _dt.date | None:
    raw = data.get("generated_on") if isinstance(data, dict) else None
    if not isinstance(raw, str):
        return None
    try:
        return _dt.date.fromisoformat(raw[:10])
    except ValueError:
        return None
