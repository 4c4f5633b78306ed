"""``tong-hop.xlsx``: the parent committee's summary workbook (xlsxwriter).

Sheets, in order: the per-cell summary with a totals row of live formulas (each carrying its
computed value, so a reader that does not recalculate still shows the numbers), native charts
of the level distribution, quota analysis, the cells' own ratings, the per-member detail, every
issue, the inputs, and the run's information. The workbook is written in ``constant_memory``
mode: each sheet strictly row by row, so memory stays flat for a city's 52,000 members. The
rows of every table that ends its sheet (members, quotas, cells' ratings, issues, inputs) are
streamed into the finished package by ``splice`` (xlsxwriter would spend most of a city's time
budget on them); the titles, headers, the per-cell summary with its totals and the charts are
xlsxwriter's.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import IO, Any

from xlsxwriter.utility import xl_col_to_name

from toolkit.model import LEVELS
from toolkit.outputs import summary_sheets
from toolkit.outputs.columns import member_columns, member_rows
from toolkit.outputs.sheets import (
    Column,
    Tail,
    set_properties,
    setup_sheet,
    workbook_options,
    write_rows,
    write_title,
)
from toolkit.outputs.splice import append_rows
from toolkit.outputs.styles import FONT, StyleBook, register_fixed
from toolkit.outputs.summary_sheets import subtitle
from toolkit.outputs.view import (
    LEVEL_CODES,
    RATIO_LABEL,
    RATIO_OF_GOOD_LABEL,
    REASONS,
    STATUS_LABELS,
    STATUS_TONES,
    CellLine,
    Digest,
)
from toolkit.xlsxwriter_text import Workbook

SHEET_CELLS = "Tổng hợp chi bộ"
SHEET_CHARTS = "Biểu đồ"
SHEET_MEMBERS = "Chi tiết đảng viên"
HEADER_ROW = 3  # 0-based: Excel row 4, under the two title lines and a blank line
#: a chart of every cell's distribution stays readable up to this many cells
CELL_CHART_MAX = 60
#: the per-cell chart starts a page at this row (0-based), below the level charts
CELL_CHART_ROW = HEADER_ROW + 23
#: the most a chart may be tall to print on one A4 page in landscape, in pixels
PAGE_HEIGHT_PIXELS = 640


def write_summary(digest: Digest, target: Path | IO[bytes]) -> None:
    """Write ``tong-hop.xlsx`` to a path or a binary buffer."""
    package = io.BytesIO()
    wb = Workbook(package, workbook_options(constant_memory=True))
    set_properties(wb, title=title(digest), generated_on=digest.generated_on)
    book = register_fixed(wb)
    totals_row = _write_cells(wb, book, digest)
    _write_charts(wb, book, digest, totals_row)
    tails = [
        summary_sheets.write_quotas(wb, book, digest),
        summary_sheets.write_cell_ratings(wb, book, digest),
        _write_members(wb, book, digest),
        summary_sheets.write_issues(wb, book, digest),
        summary_sheets.write_inputs(wb, book, digest),
    ]
    summary_sheets.write_info(wb, book, digest)
    wb.close()
    append_rows(package.getvalue(), target, tails)


def title(digest: Digest) -> str:
    return f"TỔNG HỢP KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG ĐẢNG VIÊN NĂM {digest.year}"


# ---------------------------------------------------------------------------------------------
# Per-cell summary with live totals


def cell_columns(digest: Digest) -> tuple[tuple[str, Column], ...]:
    """(key, column) pairs: keys name the columns the totals formulas refer to."""
    cols: list[tuple[str, Column]] = [
        ("stt", Column("STT", 5, "int")),
        ("code", Column("Mã chi bộ", 11)),
        ("name", Column("Tên chi bộ", 32, "text_wrap")),
        ("kind", Column("Loại tổ chức", 14)),
        ("org_type", Column("Loại hình", 12)),
        ("parent", Column("Trực thuộc", 11)),
        ("status", Column("Tình trạng", 14)),
        ("roster", Column("Tổng số đảng viên", 9, "int")),
    ]
    cols += [(f"nr:{r.value}", Column(f"Không đánh giá: {r.label}", 10, "int")) for r in REASONS]
    cols.append(("rated", Column("Số được đánh giá, xếp loại", 10, "int")))
    for code in LEVEL_CODES:
        cols.append((f"n:{code}", Column(f"{code}: số lượng", 9, "int")))
        cols.append((f"p:{code}", Column(f"{code}: tỷ lệ", 9, "percent")))
    cols += [
        ("undecided", Column("Chưa xác định mức (báo cáo cấp trên)", 11, "int")),
        ("ratio", Column(RATIO_LABEL, 10, "percent")),
        ("ratio_good", Column(RATIO_OF_GOOD_LABEL, 15, "percent")),
        ("ceiling", Column(f"Số HTXSNV tối đa ({digest.quota_percent} số HTTNV)", 10, "int")),
        ("over", Column("Số HTXSNV vượt", 8, "int")),
        ("quota", Column("Hạn mức HTXSNV", 16)),
        ("level", Column("Chi bộ đề xuất xếp loại", 11, "level")),
        ("decided", Column("Cấp có thẩm quyền quyết định", 11, "level")),
        ("errors", Column("Số lỗi", 7, "int")),
        ("warnings", Column("Số cảnh báo", 8, "int")),
        ("file", Column("Tệp kết quả gửi chi bộ", 24)),
    ]
    return tuple(cols)


def _cell_row(n: int, c: CellLine) -> tuple[object, ...]:
    counts: tuple[object, ...]
    if c.levels is None or c.shares is None or c.not_rated is None:
        counts = (None,) * (len(REASONS) + 1 + 2 * len(LEVEL_CODES) + 6)
    else:
        per_level = tuple(v for pair in zip(c.levels, c.shares, strict=True) for v in pair)
        counts = (
            *c.not_rated,
            c.rated,
            *per_level,
            c.undecided,
            c.quota_ratio,
            c.quota_ratio_of_good,
            c.quota_ceiling,
            c.quota_over,
            c.quota_status,
        )
    head = (n, c.code, c.name, c.kind, c.org_type, c.parent_code, STATUS_LABELS[c.status], c.roster)
    tail = (c.level, c.decided or None, c.errors or None, c.warnings or None, c.file)
    return (*head, *counts, *tail)


def _write_cells(wb: Any, book: StyleBook, digest: Digest) -> int:
    ws = wb.add_worksheet(SHEET_CELLS)
    keyed = cell_columns(digest)
    columns = [c for _, c in keyed]
    col = {key: i for i, (key, _) in enumerate(keyed)}
    first = HEADER_ROW + 1
    last = first + len(digest.cells) - 1
    totals = last + 1
    setup_sheet(ws, book, columns, header_row=HEADER_ROW, last_row=last, freeze_cols=3,
                title=(title(digest), subtitle(digest)), printed_to=totals)  # fmt: skip
    tones = [
        {col["status"]: STATUS_TONES[c.status], col["quota"]: c.quota_tone} for c in digest.cells
    ]
    write_rows(
        ws,
        book,
        columns,
        (_cell_row(n, c) for n, c in enumerate(digest.cells, start=1)),
        first_row=first,
        tones=tones,
    )
    _write_totals(ws, book, digest, col, first, totals)
    return totals


def _write_totals(
    ws: Any, book: StyleBook, digest: Digest, col: dict[str, int], first: int, row: int
) -> None:
    """The totals row: SUM over the cells, percentages over rated, the HTXSNV/HTTNV ratio.

    Formulas use Excel's 1-based rows: the 0-based ``row`` is Excel row ``row + 1``.
    """
    present = digest.present_cells
    sums: dict[str, int] = {
        "roster": sum(c.roster or 0 for c in present),
        "rated": sum(c.rated or 0 for c in present),
        "undecided": sum(c.undecided or 0 for c in present),
        "errors": sum(c.errors for c in digest.cells),
        "warnings": sum(c.warnings for c in digest.cells),
    }
    for i, reason in enumerate(REASONS):
        sums[f"nr:{reason.value}"] = sum((c.not_rated or ())[i] for c in present)
    for i, code in enumerate(LEVEL_CODES):
        sums[f"n:{code}"] = sum((c.levels or ())[i] for c in present)

    def ref(key: str) -> str:
        return f"{xl_col_to_name(col[key])}{row + 1}"

    ws.write_string(row, col["code"], "Tổng cộng", book["total_label"])
    ws.write_blank(row, col["stt"], None, book["total_label"])
    ws.write_string(row, col["name"], f"{len(present)} chi bộ đã tổng hợp", book["total_label"])
    for key, value in sums.items():
        letter = xl_col_to_name(col[key])
        if row == first:  # no cell at all: a range would point at this very row
            ws.write_number(row, col[key], 0, book["total_int"])
            continue
        formula = f"=SUM({letter}{first + 1}:{letter}{row})"  # data rows are Excel first+1..row
        ws.write_formula(row, col[key], formula, book["total_int"], value)
    rated = sums["rated"]
    for code in LEVEL_CODES:
        share = sums[f"n:{code}"] / rated if rated else 0
        formula = f"=IF({ref('rated')}=0,0,{ref('n:' + code)}/{ref('rated')})"
        ws.write_formula(row, col[f"p:{code}"], formula, book["total_percent"], share)
    n_httnv, n_htxsnv = sums["n:HTTNV"], sums["n:HTXSNV"]
    ratio: float | str = n_htxsnv / n_httnv if n_httnv else ""
    formula = f'=IF({ref("n:HTTNV")}=0,"",{ref("n:HTXSNV")}/{ref("n:HTTNV")})'
    ws.write_formula(row, col["ratio"], formula, book["total_percent"], ratio)
    good = n_htxsnv + n_httnv
    of_good: float | str = n_htxsnv / good if good else ""
    x, t = ref("n:HTXSNV"), ref("n:HTTNV")
    formula = f'=IF({x}+{t}=0,"",{x}/({x}+{t}))'
    ws.write_formula(row, col["ratio_good"], formula, book["total_percent"], of_good)


# ---------------------------------------------------------------------------------------------
# Charts


def _write_charts(wb: Any, book: StyleBook, digest: Digest, totals_row: int) -> None:
    """A small table linked to the totals row, a column and a pie chart, and per-cell bars."""
    ws = wb.add_worksheet(SHEET_CHARTS)
    write_title(ws, book, "Biểu đồ phân bố mức xếp loại đảng viên", subtitle(digest))
    col = {key: i for i, (key, _) in enumerate(cell_columns(digest))}
    columns = (
        Column("Mức xếp loại", 12, "level"),
        Column("Tên mức", 30),
        Column("Số đảng viên", 12, "int"),
        Column("Tỷ lệ trên số được đánh giá", 14, "percent"),
    )
    first = HEADER_ROW + 1
    # no header repeated over the charts of the next page
    setup_sheet(ws, book, columns, header_row=HEADER_ROW, last_row=first + 3, repeat_header=False)
    present = digest.present_cells
    rated = sum(c.rated or 0 for c in present)
    rated_ref = f"'{SHEET_CELLS}'!{xl_col_to_name(col['rated'])}{totals_row + 1}"
    for i, level in enumerate(LEVELS):
        row = first + i
        count = sum((c.levels or ())[i] for c in present)
        source = f"'{SHEET_CELLS}'!{xl_col_to_name(col['n:' + level.value])}{totals_row + 1}"
        ws.write_string(row, 0, level.value, book["level"])
        ws.write_string(row, 1, level.full_name, book["text"])
        ws.write_formula(row, 2, f"={source}", book["int"], count)
        share = count / rated if rated else 0
        formula = f"=IF({rated_ref}=0,0,C{row + 1}/{rated_ref})"
        ws.write_formula(row, 3, formula, book["percent"], share)
    cats = [SHEET_CHARTS, first, 0, first + 3, 0]
    column = wb.add_chart({"type": "column"})
    column.add_series(
        {
            "name": "Số đảng viên",
            "categories": cats,
            "values": [SHEET_CHARTS, first, 2, first + 3, 2],
            "data_labels": {"value": True, "font": {"name": FONT}},
            "points": [{"fill": {"color": c}} for c in LEVEL_COLOURS],
        }
    )
    _style_chart(column, "Số đảng viên theo mức xếp loại")
    column.set_legend({"none": True})
    # side by side on one landscape page: the column chart (480 px) ends before column E
    # (496 px in), where the pie starts, so neither covers the other
    ws.insert_chart(first + 6, 0, column)
    pie = wb.add_chart({"type": "pie"})
    pie.add_series(
        {
            "name": "Tỷ lệ",
            "categories": cats,
            "values": [SHEET_CHARTS, first, 2, first + 3, 2],
            "data_labels": {"percentage": True, "font": {"name": FONT}},
            "points": [{"fill": {"color": c}} for c in LEVEL_COLOURS],
        }
    )
    _style_chart(pie, "Tỷ lệ các mức trên số đảng viên được đánh giá")
    ws.insert_chart(first + 6, 4, pie, {"x_offset": 16})
    if 0 < len(present) <= CELL_CHART_MAX:
        # a page of its own: a chart cut by a page break prints in two halves
        ws.set_h_pagebreaks([CELL_CHART_ROW])
        _cell_chart(wb, ws, digest, col, CELL_CHART_ROW)


#: the same colours as the HTML report, best level first
LEVEL_COLOURS = ("#1B5E20", "#66BB6A", "#FFC107", "#C62828")


def _cell_chart(wb: Any, ws: Any, digest: Digest, col: dict[str, int], at_row: int) -> None:
    first = HEADER_ROW + 1
    last = first + len(digest.cells) - 1
    bars = wb.add_chart({"type": "bar", "subtype": "percent_stacked"})
    for i, code in enumerate(LEVEL_CODES):
        bars.add_series(
            {
                "name": code,
                "categories": [SHEET_CELLS, first, col["code"], last, col["code"]],
                "values": [SHEET_CELLS, first, col[f"n:{code}"], last, col[f"n:{code}"]],
                "fill": {"color": LEVEL_COLOURS[i]},
                "gap": 40,
            }
        )
    _style_chart(bars, "Phân bố mức xếp loại theo chi bộ")
    bars.set_y_axis({"reverse": True, "num_font": {"name": FONT}})
    height = min(max(300, 22 * len(digest.cells) + 80), PAGE_HEIGHT_PIXELS)
    ws.insert_chart(at_row, 0, bars, {"x_scale": 1.8, "y_scale": height / 288})


def _style_chart(chart: Any, name: str) -> None:
    chart.set_title({"name": name, "name_font": {"name": FONT, "size": 12}})
    chart.set_legend({"position": "bottom", "font": {"name": FONT}})
    chart.set_x_axis({"num_font": {"name": FONT}})
    chart.set_y_axis({"num_font": {"name": FONT}})


# ---------------------------------------------------------------------------------------------
# Per-member detail


def _write_members(wb: Any, book: StyleBook, digest: Digest) -> Tail:
    """The member sheet: a row per member of every rated cell, in cell order."""
    ws = wb.add_worksheet(SHEET_MEMBERS)
    columns = member_columns(uses_scores=digest.uses_scores, with_cell=True)
    ordered = [m for c in digest.cells for m in digest.members.get(c.code, ())]
    heading = ("Chi tiết kết quả đánh giá, xếp loại từng đảng viên", subtitle(digest))
    values = member_rows(ordered, uses_scores=digest.uses_scores, with_cell=True)
    tones = (m.tone for m in ordered)
    return summary_sheets.write_table(
        wb, ws, book, columns, values, heading, count=len(ordered), tones=tones, freeze_cols=3
    )
