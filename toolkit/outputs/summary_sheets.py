"""The summary workbook's smaller sheets: quotas, cells' own ratings, issues, inputs, info."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from toolkit.model import RatingLevel
from toolkit.outputs.columns import issue_columns, issue_rows
from toolkit.outputs.lean_sheet import clip
from toolkit.outputs.numbers import format_date
from toolkit.outputs.sheets import (
    Column,
    Tail,
    Tones,
    print_setup,
    row_fit,
    setup_sheet,
    table_tail,
    write_title,
)
from toolkit.outputs.styles import StyleBook
from toolkit.outputs.view import (
    LEVEL_CODES,
    RATIO_LABEL,
    RATIO_OF_GOOD_LABEL,
    CandidateLine,
    CellRatingLine,
    Digest,
    QuotaLine,
)

HEADER_ROW = 3
YEAR_LABEL = "Năm đánh giá, xếp loại"
#: the level a cell's conditions on its members' results are for (R16: a cell is HTXSNV only
#: if enough of its members are rated HTNV and HTTNV or above); they matter to no other level
CONDITIONS_LEVEL = RatingLevel.HTXSNV.value
CONDITIONS_LABEL = f"Điều kiện để chi bộ đạt {CONDITIONS_LEVEL}"


def conditions_matter(rating: CellRatingLine) -> bool:
    """True when a cell proposed the level its conditions are for, and missed one of them."""
    return rating.level == CONDITIONS_LEVEL and rating.conditions_broken > 0


def subtitle(digest: Digest) -> str:
    """The line under every sheet's title: committee, rule-set, date."""
    parts = [
        digest.parent_name,
        digest.ruleset_name,
        f"Lập ngày {format_date(digest.generated_on)}",
    ]
    return " · ".join(p for p in parts if p)


def write_quotas(wb: Any, book: StyleBook, digest: Digest) -> Tail:
    """One row per HTXSNV candidate of each scope (a scope with none still gets a row)."""
    ws = wb.add_worksheet("Hạn mức HTXSNV")
    columns = (
        Column("Mã phạm vi", 11),
        Column("Phạm vi xét hạn mức", 30, "text_wrap"),
        Column("Cấp áp dụng", 12),
        Column("Số HTXSNV", 9, "int"),
        Column("Số HTTNV", 9, "int"),
        Column(f"Số HTXSNV tối đa ({digest.quota_percent} số HTTNV)", 11, "int"),
        Column("Số vượt", 7, "int"),
        Column(RATIO_LABEL, 10, "percent"),
        Column(RATIO_OF_GOOD_LABEL, 15, "percent"),
        Column("Tình trạng", 16),
        Column("Thứ tự xếp hạng", 8, "int"),
        Column("Mã đảng viên", 13),
        Column("Họ và tên", 24),
        Column("Chi bộ", 11),
        Column("Tỷ lệ phiếu HTXSNV", 10, "percent"),
        Column("Điểm", 7, "decimal"),
        Column("Trong số tối đa", 9),
        # last and unwrapped: a decision's reference is long, and spills into the empty right
        Column("Số tối đa tính theo", 30),
    )
    by_scope: dict[tuple[str, bool], list[CandidateLine | None]] = {}
    for candidate in digest.candidates:
        by_scope.setdefault((candidate.scope_code, candidate.deciding), []).append(candidate)
    rows: list[tuple[object, ...]] = []
    tones: list[dict[int, str]] = []
    for q in digest.quotas:
        for cand in by_scope.get((q.scope_code, q.deciding)) or [None]:
            rows.append(_quota_row(q, cand))
            over = cand is not None and not cand.within_ceiling
            tones.append({9: q.tone, 16: q.tone if over else ""})
    heading = ("Phân tích hạn mức HTXSNV theo phạm vi xét", subtitle(digest))
    return write_table(wb, ws, book, columns, rows, heading, tones=tones)


def _quota_row(q: QuotaLine, cand: CandidateLine | None) -> tuple[object, ...]:
    scope = (
        q.scope_code,
        q.scope_name,
        "Quyết định" if q.deciding else "Tham khảo",
        q.n_htxsnv,
        q.n_httnv,
        q.ceiling,
        q.over,
        q.ratio,
        q.ratio_of_good,
        q.status,
    )
    if cand is None:
        return (*scope, None, None, None, None, None, None, None, q.basis)
    return (
        *scope,
        cand.rank,
        cand.member_id,
        cand.full_name,
        cand.cell_code,
        cand.share,
        cand.score,
        "Có" if cand.within_ceiling else "Không",
        q.basis,
    )


def write_cell_ratings(wb: Any, book: StyleBook, digest: Digest) -> Tail:
    """Each cell's own self-assessment, the vote on it, its proposed level and conditions."""
    ws = wb.add_worksheet("Xếp loại chi bộ")
    columns = (
        Column("Mã chi bộ", 11),
        Column("Tên chi bộ", 32, "text_wrap"),
        Column("Ngày hội nghị", 11, "date"),
        Column("Đảng viên chính thức được triệu tập (trừ số không tính)", 12, "int"),
        Column("Đảng viên chính thức có mặt", 10, "int"),
        Column("Chi bộ tự xếp loại", 11, "level"),
        Column("Điểm tự chấm", 8, "decimal"),
        Column("Tập thể lãnh đạo tự xếp loại", 11, "level"),
        *(Column(f"Số phiếu {code}", 9, "int") for code in LEVEL_CODES),
        Column("Mẫu số", 8, "int"),
        Column("Kết quả biểu quyết", 22, "text_wrap"),
        Column("Mức đề xuất", 10, "level"),
        Column("Mức cấp có thẩm quyền quyết định", 11, "level"),
        Column(f"Số điều kiện {CONDITIONS_LEVEL} không đạt", 10, "int"),
        Column(f"{CONDITIONS_LABEL} (kết quả xếp loại đảng viên)", 60, "text_wrap"),
    )
    rows = [
        (
            c.code,
            c.name,
            c.meeting_date,
            c.convened,
            c.present,
            c.self_level,
            c.self_score,
            c.leadership_level,
            *(c.votes or (None,) * 4),
            c.denominator,
            c.outcome,
            c.level,
            c.decided or None,
            c.conditions_broken or None,
            c.conditions,
        )
        for c in digest.cell_ratings
    ]
    tones = ["warning" if conditions_matter(c) else "" for c in digest.cell_ratings]
    heading = ("Đánh giá, xếp loại chi bộ", subtitle(digest))
    return write_table(wb, ws, book, columns, rows, heading, tones=tones)


def write_issues(wb: Any, book: StyleBook, digest: Digest) -> Tail:
    """Every issue, errors in red and warnings in yellow."""
    ws = wb.add_worksheet("Danh sách vấn đề")
    columns = issue_columns(with_cell=True)
    heading = ("Danh sách vấn đề phát hiện trong dữ liệu", subtitle(digest))
    rows = list(issue_rows(digest.issues, with_cell=True))
    tones = (i.severity for i in digest.issues)
    return write_table(wb, ws, book, columns, rows, heading, tones=tones, freeze_cols=3)


def write_inputs(wb: Any, book: StyleBook, digest: Digest) -> Tail:
    """Every input file with its SHA-256, template version and identity."""
    ws = wb.add_worksheet("Tệp đầu vào")
    columns = (
        Column("STT", 5, "int"),
        Column("Tệp", 40, "text_wrap"),
        Column("SHA-256", 68, "code"),
        Column("Loại tệp", 20),
        Column("Phiên bản mẫu", 9),
        Column("Mã chi bộ", 11),
        Column("Năm đánh giá", 8, "plain"),
        Column("Tình trạng", 22),
    )
    rows = [
        (n, f.path, f.sha256, f.kind, f.template_version, f.cell_code, f.year, f.status)
        for n, f in enumerate(digest.inputs, start=1)
    ]
    return write_table(wb, ws, book, columns, rows, ("Các tệp đầu vào đã đọc", subtitle(digest)))


def write_table(
    wb: Any,
    ws: Any,
    book: StyleBook,
    columns: Sequence[Column],
    rows: Iterable[Sequence[object]],
    heading: tuple[str, str],
    *,
    count: int | None = None,
    tones: Tones | None = None,
    freeze_cols: int = 2,
) -> Tail:
    """A table under its title and subtitle (``heading``): set up by xlsxwriter, its rows left to ``splice``. ``count``:
    how many ``rows`` there are, when they come one by one (a city's 52,000 members)."""
    if count is None:
        rows = list(rows)
        count = len(rows)
    first = HEADER_ROW + 1
    last = first + count - 1
    setup_sheet(ws, book, columns, header_row=HEADER_ROW, last_row=last, freeze_cols=freeze_cols,
                title=heading)  # fmt: skip
    return table_tail(wb, ws, book, columns, rows, first_row=first, last_row=last, tones=tones)


def write_info(wb: Any, book: StyleBook, digest: Digest) -> None:
    """The run: year, committee, rule-set and overrides, date, version, counts."""
    ws = wb.add_worksheet("Thông tin")
    ws.set_column(0, 0, 34)
    ws.set_column(1, 1, 80)
    present, missing = len(digest.present_cells), len(digest.missing_cells)
    rejected = len(digest.rejected_cells)
    errors = sum(1 for i in digest.issues if i.severity == "error")
    parent = f"{digest.parent_name} ({digest.parent_code})" if digest.parent_code else ""
    rows: list[tuple[str, object]] = [
        (YEAR_LABEL, digest.year),
        ("Cấp ủy tổng hợp", parent),
        ("Bộ quy tắc", f"{digest.ruleset_code} — {digest.ruleset_name}"),
        ("Tệp quy tắc của địa phương", digest.overrides_file or "Không có"),
    ]
    rows += [("Giá trị ghi đè", o) for o in digest.overrides]
    rows += [
        ("Ngày lập", format_date(digest.generated_on)),
        ("Phiên bản xeploai", digest.toolkit_version),
        ("Số chi bộ đã nộp", present + rejected),
        ("Số chi bộ đã tổng hợp", present),
        ("Số chi bộ có tệp lỗi, chưa tổng hợp", rejected),
        ("Số chi bộ chưa nộp", missing),
        ("Số lỗi", errors),
        ("Số cảnh báo", len(digest.issues) - errors),
    ]
    write_title(ws, book, "Thông tin về lần tổng hợp", subtitle(digest))
    fit = row_fit((Column("", 34), Column("", 80, "text_wrap")))
    for row, (label, value) in enumerate(rows, start=HEADER_ROW):
        height = None if isinstance(value, int) else fit(("", str(value)))
        if height is not None:
            ws.set_row(row, height)
        ws.write_string(row, 0, label, book["label"])
        if isinstance(value, int):
            ws.write_number(row, 1, value, book["plain" if label == YEAR_LABEL else "int"])
        else:
            ws.write_string(row, 1, clip(str(value)), book["text_wrap"])
    print_setup(ws)
