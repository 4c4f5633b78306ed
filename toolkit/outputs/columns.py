"""Column declarations and row builders shared by the summary and the per-cell workbooks."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from toolkit.outputs.sheets import Column
from toolkit.outputs.view import LEVEL_CODES, IssueLine, MemberLine

_NO_LEVELS: tuple[None, ...] = (None, None, None, None)


def member_columns(*, uses_scores: bool, with_cell: bool) -> tuple[Column, ...]:
    """The per-member detail: self-rating, votes and shares per level, caps, proposal."""
    cols = [Column("Mã chi bộ", 11)] if with_cell else [Column("STT", 5, "int")]
    cols += [
        Column("Mã đảng viên", 13),
        Column("Họ và tên", 26),
        Column("Đảng viên chính thức/dự bị", 11),
        Column("Bí thư chi bộ", 8),
        Column("Đối tượng", 9),  # 2A / 2B / 2C; a longer header was clipped (two lines)
        Column("Tự xếp loại", 10, "level"),
    ]
    if uses_scores:
        cols.append(Column("Tự chấm điểm", 8, "decimal"))
    cols.append(Column("Không đánh giá, xếp loại (lý do)", 20, "text_wrap"))
    cols += [Column(f"Số phiếu {code}", 9, "int") for code in LEVEL_CODES]
    cols += [
        Column("Phiếu chưa đánh giá, xếp loại", 9, "int"),
        Column("Phiếu không chọn mức nào", 9, "int"),
        Column("Phiếu không hợp lệ", 9, "int"),
        Column("Mẫu số", 8, "int"),
    ]
    cols += [Column(f"Tỷ lệ {code}", 9, "percent") for code in LEVEL_CODES]
    cols += [
        Column("Kết quả biểu quyết", 22, "text_wrap"),
        Column("Mức đạt qua biểu quyết", 10, "level"),
        Column("Giới hạn mức áp dụng", 30, "text_wrap"),
        Column("Mức đề xuất", 10, "level"),
        Column("Mức sau xét hạn mức hoặc quyết định", 11, "level"),
        Column("Quyết định của cấp có thẩm quyền", 20, "text_wrap"),
        Column("Giải thích", 60, "text_wrap"),
        Column("Số lỗi", 6, "int"),
        Column("Số cảnh báo", 8, "int"),
    ]
    return tuple(cols)


def member_rows(
    members: Sequence[MemberLine], *, uses_scores: bool, with_cell: bool
) -> Iterator[tuple[object, ...]]:
    """Rows in ``member_columns`` order (the hot loop of a city's 52,000 members)."""
    for n, m in enumerate(members, start=1):
        head: tuple[object, ...] = (
            m.cell_code if with_cell else n,
            m.member_id,
            m.full_name,
            m.membership,
            "Có" if m.is_head else None,
            m.subject_type,
        )
        scored: tuple[object, ...] = (
            (m.self_level, m.self_score, m.not_rated)
            if uses_scores
            else (m.self_level, m.not_rated)
        )
        yield (
            *head,
            *scored,
            *(m.votes or _NO_LEVELS),
            m.unrated_votes,
            m.blank,
            m.invalid_votes,
            m.denominator,
            *(m.shares or _NO_LEVELS),
            m.outcome,
            m.carried,
            m.caps,
            m.proposed,
            m.decided,
            m.decision or None,
            m.explanation,
            m.errors or None,
            m.warnings or None,
        )


def issue_columns(*, with_cell: bool) -> tuple[Column, ...]:
    """A problem per row, pinned to file, sheet and cell."""
    cols = [Column("STT", 5, "int"), Column("Mức độ", 9), Column("Mã vấn đề", 24, "code")]
    if with_cell:
        cols += [Column("Mã chi bộ", 11), Column("Tên chi bộ", 26, "text_wrap")]
    cols += [
        Column("Mã đảng viên", 13),
        Column("Họ và tên", 22),
        Column("Tệp", 30, "text_wrap"),
        Column("Trang tính", 16),
        Column("Ô", 7),
        Column("Giá trị", 16, "text_wrap"),
        Column("Nội dung", 70, "text_wrap"),
    ]
    return tuple(cols)


def issue_rows(issues: Sequence[IssueLine], *, with_cell: bool) -> Iterator[tuple[object, ...]]:
    for n, i in enumerate(issues, start=1):
        unit = (i.unit_code, i.unit_name) if with_cell else ()
        yield (
            n,
            i.severity_label,
            i.code,
            *unit,
            i.member_id,
            i.member_name,
            i.file,
            i.sheet,
            i.cell,
            i.value,
            i.message,
        )
