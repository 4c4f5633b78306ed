"""Text and JSON renderings of a validation report and of an inbox's status.

Both renderings come from the same report objects; JSON keys are stable (English), text is
Vietnamese or English, every line made visible (``toolkit.visible``: a control character in a
file name cannot forge a line). Nothing here reads files or prints.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from toolkit import catalogue
from toolkit.model import InputFile, Issue, Severity
from toolkit.visible import visible_lines
from toolkit.workbooks.declarations import KIND_TITLES
from toolkit.workbooks.inbox import CELL_KINDS, InboxResult
from toolkit.workbooks.validation import ValidationReport

_WORDS = {
    "vi": {
        "checked": "Đã kiểm tra {n} tệp: {ok} hợp lệ, {bad} có lỗi · {e} lỗi, {w} cảnh báo.",
        "summary": "Tóm tắt theo mã:",
        "details": "Chi tiết theo tệp:",
        "counts": "{e} lỗi, {w} cảnh báo",
        "cell": "chi bộ",
        "year": "năm",
        "member": "ĐV",
        "none": "Không có vấn đề nào.",
        "status": "Năm đánh giá {year} · {n} chi bộ: {complete} đã gửi đủ và hợp lệ, "
        "{missing} thiếu biểu mẫu, {duplicate} gửi trùng, {errors} có lỗi.",
        "files": "Đã đọc {n} tệp.",
        "missing": "Chi bộ thiếu biểu mẫu:",
        "missing_kinds": "thiếu",
        "duplicate": "Chi bộ gửi trùng tệp:",
        "errors": "Chi bộ có lỗi trong tệp:",
        "unreadable": "Chi bộ chưa rõ đã gửi hay chưa (có tệp, thư mục không đọc được):",
        "unknown": "Tệp không thuộc chi bộ nào:",
        "cell_level": "(chung)",
        "hint": "Xem chi tiết từng tệp: xeploai validate <thư mục> --roster <danh sách>.",
    },
    "en": {
        "checked": "Checked {n} files: {ok} valid, {bad} with errors · {e} errors, {w} warnings.",
        "summary": "Summary by code:",
        "details": "Details by file:",
        "counts": "{e} errors, {w} warnings",
        "cell": "cell",
        "year": "year",
        "member": "member",
        "none": "No problems found.",
        "status": "Rating year {year} · {n} cells: {complete} complete and valid, "
        "{missing} missing a workbook, {duplicate} sent twice, {errors} with errors.",
        "files": "{n} files read.",
        "missing": "Cells missing a workbook:",
        "missing_kinds": "missing",
        "duplicate": "Cells that sent a file twice:",
        "errors": "Cells with errors in their files:",
        "unreadable": "Cells not known to have sent or not (files, folders that cannot be read):",
        "unknown": "Files that belong to no cell:",
        "cell_level": "(general)",
        "hint": "Details per file: xeploai validate <folder> --roster <roster>.",
    },
}


def summary_rows(issues: Iterable[Issue]) -> list[tuple[str, Severity, int]]:
    """(code, severity, count), errors first, then by code."""
    counts = Counter((i.code, i.severity) for i in issues)
    return sorted(
        ((code, sev, n) for (code, sev), n in counts.items()),
        key=lambda r: (r[1] is not Severity.ERROR, r[0]),
    )


def _summary_dicts(issues: Iterable[Issue]) -> list[dict[str, Any]]:
    return [
        {
            "code": code,
            "severity": sev.value,
            "count": n,
            "title": catalogue.get(code).title,
            "title_en": catalogue.get(code).title_en,
        }
        for code, sev, n in summary_rows(issues)
    ]


def _summary_lines(issues: Iterable[Issue], lang: str) -> list[str]:
    rows = summary_rows(issues)
    width = max((len(code) for code, _, _ in rows), default=0)
    lines = []
    for code, sev, n in rows:
        t = catalogue.get(code)
        label = sev.value if lang == "en" else sev.label
        lines.append(
            f"  {label:<9} {code:<{width}} {n:>5}  {t.title_en if lang == 'en' else t.title}"
        )
    return lines


def _issue_line(issue: Issue, lang: str) -> str:
    words = _WORDS[lang]
    label = issue.severity.value if lang == "en" else issue.severity.label
    where = " › ".join(p for p in (issue.location.sheet, issue.location.cell) if p)
    who = f" ({words['member']} {issue.member_id})" if issue.member_id else ""
    head = f"  {label:<9} {issue.code}"
    return (
        f"{head}  {where}{who}: {issue.text(lang)}" if where else f"{head}{who}: {issue.text(lang)}"
    )


def _counts(issues: Iterable[Issue], lang: str) -> str:
    items = list(issues)
    e = sum(1 for i in items if i.severity is Severity.ERROR)
    return _WORDS[lang]["counts"].format(e=e, w=len(items) - e)


def validation_text(report: ValidationReport, lang: str = "vi") -> str:
    """Summary by code, then the details grouped by file."""
    words = _WORDS[lang]
    bad = sum(1 for f in report.files if not f.valid)
    lines = [
        words["checked"].format(
            n=len(report.files),
            ok=len(report.files) - bad,
            bad=bad,
            e=report.count(Severity.ERROR),
            w=report.count(Severity.WARNING),
        )
    ]
    if report.issues:
        lines += ["", words["summary"], *_summary_lines(report.issues, lang)]
    with_issues = [f for f in report.files if f.issues]
    if with_issues:  # files without a problem are counted above, not listed one by one
        lines += ["", words["details"]]
    for f in with_issues:
        lines.append("")
        lines.append(f"{f.name}{_describe(f.input, lang)}: {_counts(f.issues, lang)}")
        lines += [_issue_line(i, lang) for i in f.issues]
    return visible_lines(lines)


def _describe(item: InputFile, lang: str) -> str:
    if not item.kind:
        return ""
    words = _WORDS[lang]
    title = KIND_TITLES.get(item.kind, (item.kind, item.kind))[1 if lang == "en" else 0]
    parts = [title]
    if item.cell_code:
        parts.append(f"{words['cell']} {item.cell_code}")
    if item.year:
        parts.append(f"{words['year']} {item.year}")
    return " — " + " · ".join(parts)


def issues_text(issues: Iterable[Issue], lang: str = "vi") -> str:
    """Issues grouped by file, as in the details of ``validation_text`` (for the roster)."""
    by_file: dict[str, list[Issue]] = {}
    for issue in issues:
        by_file.setdefault(issue.location.file, []).append(issue)
    lines = []
    for name, items in by_file.items():
        lines.append(f"{name or _WORDS[lang]['cell_level']}: {_counts(items, lang)}")
        lines += [_issue_line(i, lang) for i in items]
    return visible_lines(lines) if lines else ""


def validation_dict(report: ValidationReport) -> dict[str, Any]:
    return {
        "valid": report.valid,
        "files_checked": len(report.files),
        "errors": report.count(Severity.ERROR),
        "warnings": report.count(Severity.WARNING),
        "summary": _summary_dicts(report.issues),
        "files": [
            {
                **f.input.as_dict(),
                "name": f.name,
                "valid": f.valid,
                "issues": [i.as_dict() for i in f.issues],
            }
            for f in report.files
        ],
    }


def status_text(result: InboxResult, lang: str = "vi") -> str:
    """Which cells sent both workbooks, which are missing, duplicated or in error; stray files."""
    words = _WORDS[lang]
    states = Counter(c.state for c in result.cells)
    lines = [
        words["status"].format(
            year=result.year,
            n=len(result.cells),
            complete=states["complete"],
            missing=states["missing"],
            duplicate=states["duplicate"],
            errors=states["errors"],
        ),
        words["files"].format(n=len(result.inputs)),
    ]
    sections = ("missing", "duplicate", "errors", "unreadable")
    for state in sections:
        cells = [c for c in result.cells if c.state == state]
        if not cells:
            continue
        lines += ["", words[state]]
        for c in cells:
            detail = ""
            if state == "missing":
                kinds = [_kind(k, lang) for k in CELL_KINDS if not c.received[k]]
                detail = f" — {words['missing_kinds']}: {'; '.join(kinds)}"
            elif state == "duplicate":
                dups = [
                    f"{_kind(k, lang)}: {', '.join(Path(f.path).name for f in c.received[k])}"
                    for k in CELL_KINDS
                    if len(c.received[k]) > 1
                ]
                detail = f" — {'; '.join(dups)}"
            elif state == "unreadable":
                held = [i for i in result.issues if i.unit_code == c.cell.code]
                detail = f" — {', '.join(str(i.value) for i in held if i.value)}"
            else:
                unit = [i for i in result.issues if i.unit_code == c.cell.code]
                detail = f" — {_counts(unit, lang)}"
            lines.append(f"  {c.cell.code:<10} {c.cell.name}{detail}")
    unknown = result.unknown
    if unknown:
        lines += ["", words["unknown"]]
        for item in unknown:
            first = next(
                (
                    i
                    for i in result.issues
                    if Path(i.location.file).name == Path(item.path).name
                    and i.severity is Severity.ERROR
                ),
                None,
            )
            reason = f" — {first.text(lang)}" if first else ""
            lines.append(f"  {Path(item.path).name}{reason}")
    if result.issues:
        lines += ["", words["summary"], *_summary_lines(result.issues, lang), "", words["hint"]]
    return visible_lines(lines)


def _kind(kind: str, lang: str) -> str:
    return KIND_TITLES[kind][1 if lang == "en" else 0]


def _kind_files(used: InputFile | None, received: tuple[InputFile, ...]) -> dict[str, Any]:
    return {"used": used.path if used else None, "received": [f.path for f in received]}


def status_dict(result: InboxResult) -> dict[str, Any]:
    return {
        "year": result.year,
        "complete": not result.missing and all(c.state == "complete" for c in result.cells),
        "cells": [
            {
                "code": c.cell.code,
                "name": c.cell.name,
                "state": c.state,
                **{kind: _kind_files(c.used[kind], c.received[kind]) for kind in CELL_KINDS},
            }
            for c in result.cells
        ],
        "missing": [u.code for u in result.missing],
        "unknown_files": [f.path for f in result.unknown],
        "inputs": [f.as_dict() for f in result.inputs],
        "summary": _summary_dicts(result.issues),
        "issues": [i.as_dict() for i in result.issues],
    }
