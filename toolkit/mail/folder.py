"""The output folder of ``aggregate``, as ``mail`` sees it: ``ket-qua.json`` and its files.

Only the keys of the ``xeploai/ket-qua/1`` contract are read (year, rule-set, parent, the
output file names, and per cell its code, name, secretary, result file and status); anything
else in the file is ignored, so ``aggregate`` may add keys freely. A file that is missing, not
JSON or of another schema is an ``InputError`` (exit code 2).

``mail`` sends only from a complete run: ``manifest.json`` (written last by ``aggregate``)
must be there and give ``ket-qua.json``'s SHA-256 (each attachment is checked against it too,
see ``toolkit.mail.plan``), and results that aggregated no cell are not sent at all.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from dataclasses import replace as _replace
from pathlib import Path
from typing import Any

from toolkit.errors import InputError, os_reason

RESULTS_FILE = "ket-qua.json"
SCHEMA = "xeploai/ket-qua/1"
MANIFEST_FILE = "manifest.json"
MANIFEST_SCHEMA = "xeploai/manifest/1"
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
    #: its members were rated (false for a cell that sent nothing or whose files had errors)
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
    #: manifest.json's outputs: path relative to the folder (with ``/``) -> SHA-256
    manifest: Mapping[str, str] = field(default_factory=dict)
    #: the report without member detail (what the leaders get by mail); "" from older runs
    report_summary_file: str = ""


def read_results(out_dir: str | Path) -> ResultsFolder:
    """Read ``OUT/ket-qua.json``; ``InputError`` if it is missing or not of our schema."""
    root = Path(out_dir)
    path = root / RESULTS_FILE
    raw = _read(path)
    data = _parse_json(raw, path)
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
        cells = tuple(_cell(entry) for entry in data["cells"])
        folder = ResultsFolder(
            root=root,
            year=year,
            ruleset_code=str(ruleset.get("code", "")),
            ruleset_name=str(ruleset.get("name", "")),
            parent_code=str(parent.get("code", "")),
            parent_name=str(parent.get("name", "")),
            summary_file=str(outputs["summary"]),
            report_file=str(outputs["report"]),
            cells=cells,
            generated_on=_generated_on(data),
            report_summary_file=str(outputs.get("report_summary", "")),
        )
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        raise InputError(
            f"{path} thiếu hoặc sai khóa ({exc}); hãy chạy lại «xeploai aggregate»."
        ) from None
    manifest = _manifest(root)
    outputs = _manifest_outputs(manifest, root)
    if outputs.get(RESULTS_FILE) != hashlib.sha256(raw).hexdigest():
        raise InputError(
            f"{path} không khớp {root / MANIFEST_FILE} (SHA-256 khác hoặc không có trong "
            "manifest): thư mục kết quả đã bị sửa hoặc chưa ghi xong. Không gửi thư nào; hãy "
            "chạy lại «xeploai aggregate»."
        )
    if not any(cell.aggregated for cell in cells):
        raise InputError(
            f"Kết quả trong {root} không tổng hợp được chi bộ nào (mọi chi bộ chưa gửi hồ sơ "
            "hoặc hồ sơ có lỗi) nên không gửi thư nào. Hãy xem báo cáo, sửa hồ sơ rồi chạy lại "
            "«xeploai aggregate»."
        )
    return _replace(
        folder,
        generated_on=folder.generated_on or _generated_on(manifest),
        manifest=outputs,
    )


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(
            f"Không có {path}: thư mục này không phải kết quả của «xeploai aggregate»."
        ) from None
    except OSError as exc:
        raise InputError(f"Không đọc được {path}: {os_reason(exc)}.") from None


def _parse_json(raw: bytes, path: Path) -> Any:
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
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
    aggregated = raw.get("aggregated")
    return CellEntry(
        code=str(raw["code"]),
        name=str(raw.get("name") or ""),
        secretary_name=raw.get("secretary_name"),
        secretary_email=raw.get("secretary_email"),
        result_file=None if result_file is None else str(result_file),
        status=status,
        error_count=errors,
        warning_count=warnings,
        # files written before the key existed: a cell that sent something was aggregated
        aggregated=aggregated if isinstance(aggregated, bool) else result_file is not None,
    )


def _manifest(root: Path) -> Any:
    path = root / MANIFEST_FILE
    try:
        return _parse_json(path.read_bytes(), path)
    except FileNotFoundError:
        raise InputError(
            f"Không có {path}: «xeploai aggregate» chưa ghi xong thư mục kết quả này (manifest "
            "được ghi sau cùng). Không gửi thư nào; hãy chạy lại «xeploai aggregate»."
        ) from None
    except OSError as exc:
        raise InputError(f"Không đọc được {path}: {os_reason(exc)}.") from None


def _manifest_outputs(manifest: Any, root: Path) -> dict[str, str]:
    """path -> SHA-256 of every output the manifest lists."""
    try:
        if manifest.get("schema") != MANIFEST_SCHEMA:
            raise ValueError("schema")
        return {str(e["path"]): str(e["sha256"]) for e in manifest["outputs"]}
    except (AttributeError, KeyError, TypeError, ValueError):
        raise InputError(
            f"{root / MANIFEST_FILE} không phải manifest của «xeploai aggregate» (cần schema "
            f"{MANIFEST_SCHEMA}); hãy chạy lại «xeploai aggregate»."
        ) from None


def _generated_on(data: Any) -> _dt.date | None:
    raw = data.get("generated_on") if isinstance(data, dict) else None
    if not isinstance(raw, str):
        return None
    try:
        return _dt.date.fromisoformat(raw[:10])
    except ValueError:
        return None
