"""``tong-hop.xlsx`` of a roll-up: the upward summary (Mẫu 15A/15B), the committees below with
their state, problems and the packages read. xlsxwriter and the project's styles and table
helpers; totals are live formulas with their values cached; byte-identical for the same input.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

from xlsxwriter import Workbook
from xlsxwriter.utility import xl_col_to_name

from toolkit.outputs.lean_sheet import clip
from toolkit.outputs.numbers import format_date
from toolkit.outputs.sheets import (
    Column,
    header_points,
    print_setup,
    row_fit,
    set_properties,
    setup_sheet,
    workbook_options,
    write_rows,
    write_title,
)
from toolkit.outputs.styles import StyleBook, register
from toolkit.rollup.combine import STATUS_LABELS, RollupResult
from toolkit.rollup.summary import SummaryRow, SummaryTable, unrated_rows, upward_summary
from toolkit.rollup.tally import ratio

SHEET_SUMMARY = "Báo cáo tổng hợp"
SHEET_COMMITTEES = "Tổ chức cấp dưới"
SHEET_ISSUES = "Vấn đề"
SHEET_INPUTS = "Gói đã đọc"
HEADER_ROW = 3
_STATUS_TONES = {"decided": "", "proposed": "warning", "missing": "missing", "refused": "error"}
#: the ratio columns as wide as their headers' longest word ("HTXSNV/(HTXSNV+HTTNV)", unbroken)
_SUMMARY_WIDTHS = (5, 28, 9, 9, 9, 9, 9, 10, 17, 31, 36)
#: the styles of a summary table's row: number, subject, counts, both ratios, note
_SUMMARY_STYLES = ("text", "text", *["int"] * 6, "percent", "percent", "text_wrap")
_SUMMARY_ROW = tuple(
    Column("", w, s) for w, s in zip(_SUMMARY_WIDTHS, _SUMMARY_STYLES, strict=True)
)


def title(result: RollupResult) -> str:
    return f"TỔNG HỢP KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG NĂM {result.year}"


def subtitle(result: RollupResult, dated: str = "Lập ngày") -> str:
    """Committee · rule-set · date, the date after ``dated`` (the report says what it is)."""
    parts = [
        result.committee.name,
        result.ruleset.name,
        f"{dated} {format_date(result.generated_on)}",
    ]
    return " · ".join(p for p in parts if p)


def write_rollup_summary(result: RollupResult, target: Path | IO[bytes]) -> None:
    """Write the roll-up's ``tong-hop.xlsx`` to a path or a binary buffer."""
    wb = Workbook(target, workbook_options())
    set_properties(wb, title=title(result), generated_on=result.generated_on)
    book = register(wb)
    _write_summary(wb, book, result)
    _write_committees(wb, book, result)
    _write_issues(wb, book, result)
    _write_inputs(wb, book, result)
    wb.close()


def _write_summary(wb: Any, book: StyleBook, result: RollupResult) -> None:
    """Both tables of the upward summary, one under the other, each with its numbers row."""
    ws = wb.add_worksheet(SHEET_SUMMARY)
    for col, width in enumerate(_SUMMARY_WIDTHS):
        ws.set_column(col, col, width)
    write_title(ws, book, title(result), subtitle(result))
    row = HEADER_ROW
    for table in upward_summary(result):
        row = _write_table(ws, book, table, row) + 3
    ws.write_string(row, 0, "Đảng viên chưa xếp loại theo lý do (cột 8 của Mẫu 15A)", book["label"])
    for n, (label, count) in enumerate(unrated_rows(result), start=row + 1):
        ws.write_string(n, 1, label, book["text"])
        ws.write_number(n, 2, count, book["int"])
    print_setup(ws)


def _write_table(ws: Any, book: StyleBook, table: SummaryTable, row: int) -> int:
    """One table from ``row`` (0-based); returns the row of its "Tổng cộng"."""
    ws.write_string(row, 0, f"Mẫu {table.form}: {table.title}", book["label"])
    header = row + 1
    # as tall as its longest header ("% HTXSNV/(HTXSNV+HTTNV)" wraps); no filter here
    heads = [
        Column(text, width) for text, width in zip(table.headers, _SUMMARY_WIDTHS, strict=True)
    ]
    ws.set_row(header, header_points(heads, filtered=False))
    for col, text in enumerate(table.headers):
        ws.write_string(header, col, text, book["header"])
        ws.write_string(header + 1, col, table.numbers[col], book["header"])
    first = header + 2
    fit = row_fit(_SUMMARY_ROW)
    for n, r in enumerate(table.rows):
        height = fit(("", "", *[0] * 8, r.note))  # only the note wraps
        if height is not None:
            ws.set_row(first + n, height)
        _write_row(ws, book, first + n, r, total=False)
    last = first + len(table.rows)
    _write_total(ws, book, table.total, last, first)
    return last


def _write_row(ws: Any, book: StyleBook, row: int, r: SummaryRow, *, total: bool) -> None:
    label, number, percent = (
        ("total_label", "total_int", "total_percent") if total else ("text", "int", "percent")
    )
    ws.write_string(row, 0, r.number, book[label])
    ws.write_string(row, 1, clip(r.subject), book[label])
    for col, value in enumerate((r.total, *r.levels, r.unrated), start=2):
        ws.write_number(row, col, value, book[number])
    for col, share in ((8, r.htxs_over_htt), (9, r.htxs_over_good)):
        if share is None:
            ws.write_blank(row, col, None, book[percent])
        else:
            ws.write_number(row, col, float(share), book[percent])
    ws.write_string(row, 10, clip(r.note), book["text_wrap" if not total else label])


def _write_total(ws: Any, book: StyleBook, r: SummaryRow, row: int, first: int) -> None:
    """The "Tổng cộng" row: sums and both ratios as formulas, with their values cached."""
    if row == first:  # no group at all: plain zeros, a range would point at this row
        _write_row(ws, book, row, r, total=True)
        return
    ws.write_string(row, 0, "", book["total_label"])
    ws.write_string(row, 1, r.subject, book["total_label"])
    for col, value in enumerate((r.total, *r.levels, r.unrated), start=2):
        letter = xl_col_to_name(col)
        ws.write_formula(
            row, col, f"=SUM({letter}{first + 1}:{letter}{row})", book["total_int"], value
        )
    xs, good = f"D{row + 1}", f"E{row + 1}"
    cached = ratio(r.levels[0], r.levels[1])
    ws.write_formula(
        row,
        8,
        f'=IF({good}=0,"",{xs}/{good})',
        book["total_percent"],
        "" if cached is None else float(cached),
    )
    cached = ratio(r.levels[0], r.levels[0] + r.levels[1])
    ws.write_formula(
        row,
        9,
        f'=IF({xs}+{good}=0,"",{xs}/({xs}+{good}))',
        book["total_percent"],
        "" if cached is None else float(cached),
    )
    ws.write_string(row, 10, clip(r.note), book["total_label"])


def _write_committees(wb: Any, book: StyleBook, result: RollupResult) -> None:
    ws = wb.add_worksheet(SHEET_COMMITTEES)
    columns = (
        Column("STT", 5, "int"),
        Column("Mã", 11),
        Column("Tổ chức", 30, "text_wrap"),
        Column("Loại hình", 14),
        Column("Tình trạng", 16),
        Column("Gói kết quả", 24, "text_wrap"),
        Column("Số chi bộ", 9, "int"),
        Column("Đảng viên", 10, "int"),
        Column("HTXSNV", 9, "int"),
        Column("HTTNV", 9, "int"),
        Column("HTNV", 9, "int"),
        Column("KHTNV", 9, "int"),
        Column("Chưa xếp loại", 10, "int"),
        Column("% HTXSNV/HTTNV", 16, "percent"),
        # as wide as its header's unbroken word, beside the filter button
        Column("% HTXSNV/(HTXSNV+HTTNV)", 33, "percent"),
    )
    rows: list[Sequence[object]] = []
    tones: list[str] = []
    for n, line in enumerate(result.committees, start=1):
        p = line.package
        base: list[object] = [n, line.unit.code, line.unit.name, line.unit.org_type]
        base.append(STATUS_LABELS[line.status])
        base.append(p.name if p else ", ".join(line.refused))
        if p is None:
            rows.append((*base, None, None, None, None, None, None, None, None, None))
        else:
            c = p.content.counts
            xs, good = c.levels[0], c.levels[1]
            shares = [ratio(xs, good), ratio(xs, xs + good)]
            rows.append(
                (
                    *base,
                    p.content.n_organizations,
                    c.roster,
                    *c.levels,
                    c.unrated,
                    *(None if s is None else float(s) for s in shares),
                )
            )
        tones.append(_STATUS_TONES[line.status])
    _table(ws, book, result, columns, rows, tones, freeze_cols=3)


def _write_issues(wb: Any, book: StyleBook, result: RollupResult) -> None:
    ws = wb.add_worksheet(SHEET_ISSUES)
    columns = (
        Column("STT", 5, "int"),
        Column("Mức độ", 9),
        Column("Mã vấn đề", 26, "code"),
        Column("Tổ chức", 11),
        Column("Gói", 24, "text_wrap"),
        Column("Tệp", 24, "text_wrap"),
        Column("Giá trị", 16, "text_wrap"),
        Column("Nội dung", 80, "text_wrap"),
    )
    rows = [
        (
            n,
            i.severity.label,
            i.code,
            i.unit_code,
            i.location.file,
            i.location.sheet,
            i.value,
            i.message,
        )
        for n, i in enumerate(result.issues, start=1)
    ]
    # printed across pages: the number, severity and code beside the message on the next one
    issues = [i.severity.value for i in result.issues]
    _table(ws, book, result, columns, rows, issues, freeze_cols=3)


def _write_inputs(wb: Any, book: StyleBook, result: RollupResult) -> None:
    ws = wb.add_worksheet(SHEET_INPUTS)
    columns = (
        Column("STT", 5, "int"),
        Column("Gói", 30, "text_wrap"),
        Column("Tổ chức", 11),
        Column("Loại gói", 10),
        Column("Năm", 7, "plain"),
        Column("Phiên bản", 9),
        Column("Tình trạng", 12),
        Column("SHA-256", 70, "code"),
    )
    admitted = {p.path for p in result.packages}
    rows = []
    for n, r in enumerate(sorted(result.readings, key=lambda r: (r.name, r.path)), start=1):
        p = r.package
        rows.append(
            (
                n,
                r.name,
                p.committee_code if p else "",
                p.kind if p else "",
                p.year if p else None,
                p.toolkit_version if p else "",
                "Đã tổng hợp" if r.path in admitted else "Không dùng",
                r.sha256,
            )
        )
    _table(ws, book, result, columns, rows, None, freeze_cols=2)  # the package beside its hash


def _table(
    ws: Any,
    book: StyleBook,
    result: RollupResult,
    columns: Sequence[Column],
    rows: Sequence[Sequence[object]],
    tones: Sequence[str] | None,
    *,
    freeze_cols: int = 0,
) -> None:
    """A sheet that is one table under the title lines, each row as high as its wrapped text
    needs (``write_rows``: LibreOffice keeps a written row's default height, so long messages
    would overlap), printed across pages when wider than one with its first ``freeze_cols``
    columns repeated."""
    last = write_rows(ws, book, columns, rows, first_row=HEADER_ROW + 1, tones=tones)
    setup_sheet(ws, book, columns, header_row=HEADER_ROW, last_row=last, freeze_cols=freeze_cols,
                title=(title(result), subtitle(result)))  # fmt: skip
