"""``chi-bo/<code>.xlsx``: the result workbook sent back to one cell's secretary (xlsxwriter).

Three sheets in Vietnamese: a summary of the cell (counts and shares, quota, its own level and
conditions), its members' results, and the problems to fix, each pinned to the file, sheet and
cell where it was found. A cell whose files have errors (not rated) gets two: what happened and
what to do, with the files received, then the same sheet of problems. Written with the lean
writer (``lean_xlsx``) through the same sheet helpers as the summary workbook: a city writes
1,500 of these.
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path, PurePath
from typing import IO, Any, NamedTuple

from toolkit.model import LEVELS, NotRatedReason
from toolkit.outputs.columns import issue_columns, issue_rows, member_columns, member_rows
from toolkit.outputs.lean_sheet import clip
from toolkit.outputs.lean_xlsx import LeanWorkbook
from toolkit.outputs.numbers import format_date
from toolkit.outputs.sheets import (
    Column,
    print_setup,
    row_fit,
    set_properties,
    setup_sheet,
    write_rows,
    write_title,
)
from toolkit.outputs.styles import DEFAULT_FORMAT, StyleBook, register
from toolkit.outputs.summary_sheets import CONDITIONS_LABEL, CONDITIONS_LEVEL
from toolkit.outputs.view import (
    RATIO_LABEL,
    RATIO_OF_GOOD_LABEL,
    STATUS_LABELS,
    STATUS_TONES,
    CellLine,
    CellRatingLine,
    Digest,
    InputLine,
    IssueLine,
    MemberLine,
    QuotaLine,
)

HEADER_ROW = 3


class CellPack(NamedTuple):
    """Everything one cell's workbook shows: plain values, cheap to send to a worker."""

    year: int
    ruleset: str
    parent_name: str
    generated_on: _dt.date
    uses_scores: bool
    quota_percent: str
    cell: CellLine
    rating: CellRatingLine | None
    members: tuple[MemberLine, ...]
    issues: tuple[IssueLine, ...]
    #: the cell's own quota check, then the deciding scope's when that is another unit
    quotas: tuple[QuotaLine, ...]
    grassroots_name: str
    #: the files received from the cell, told only to a cell whose files have errors
    files: tuple[InputLine, ...] = ()


def cell_packs(digest: Digest) -> list[CellPack]:
    """One pack per cell that sent its returns, rated or rejected (missing cells get none)."""
    ratings = {r.code: r for r in digest.cell_ratings}
    quotas: dict[str, list[QuotaLine]] = {}
    for q in digest.quotas:
        quotas.setdefault(q.scope_code, []).append(q)
    files: dict[str, list[InputLine]] = {}
    if digest.rejected_cells:
        for f in digest.inputs:
            files.setdefault(f.cell_code, []).append(f)
    packs = []
    for cell in digest.cells:
        if cell.file is None:
            continue
        rejected = cell.status == "rejected"
        own = [] if rejected else [q for q in quotas.get(cell.code, ())]
        if cell.grassroots_code != cell.code and not rejected:
            own += [q for q in quotas.get(cell.grassroots_code, ()) if q.deciding]
        packs.append(
            CellPack(
                year=digest.year,
                ruleset=f"{digest.ruleset_code} — {digest.ruleset_name}",
                parent_name=digest.parent_name,
                generated_on=digest.generated_on,
                uses_scores=digest.uses_scores,
                quota_percent=digest.quota_percent,
                cell=cell,
                rating=ratings.get(cell.code),
                members=digest.members.get(cell.code, ()),
                issues=digest.issues_by_unit.get(cell.code, ()),
                quotas=tuple(own),
                grassroots_name=digest.grassroots_names.get(cell.grassroots_code, ""),
                files=tuple(files.get(cell.code, ())) if rejected else (),
            )
        )
    return packs


def write_cell_workbook(pack: CellPack, target: Path | IO[bytes]) -> None:
    """Write one cell's result workbook to a path or a binary buffer."""
    # the lean writer, not xlsxwriter: see lean_xlsx for why (1,500 files for a city)
    wb = LeanWorkbook(target, DEFAULT_FORMAT)
    rejected = pack.cell.status == "rejected"
    title = (
        f"HỒ SƠ ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG NĂM {pack.year} CÓ LỖI, CHƯA ĐƯỢC TỔNG HỢP"
        if rejected
        else f"KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG ĐẢNG VIÊN NĂM {pack.year}"
    )
    set_properties(wb, title=f"{title} — {pack.cell.name}", generated_on=pack.generated_on)
    book = register(wb)
    subtitle = " · ".join(
        p
        for p in (
            f"{pack.cell.name} ({pack.cell.code})",
            pack.parent_name,
            f"Lập ngày {format_date(pack.generated_on)}",
        )
        if p
    )
    if rejected:
        _write_rejected(wb.add_worksheet("Tóm tắt"), book, pack, title, subtitle)
    else:
        _write_summary(wb.add_worksheet("Tóm tắt"), book, pack, title, subtitle)
        _write_members(wb.add_worksheet("Kết quả đảng viên"), book, pack, subtitle)
    _write_issues(wb.add_worksheet("Vấn đề cần sửa"), book, pack, subtitle)
    wb.close()


def _write_members(ws: Any, book: StyleBook, pack: CellPack, subtitle: str) -> None:
    """Every member's votes, caps, proposed level and explanation."""
    columns = member_columns(uses_scores=pack.uses_scores, with_cell=False)
    first = HEADER_ROW + 1
    setup_sheet(
        ws,
        book,
        columns,
        header_row=HEADER_ROW,
        last_row=first + len(pack.members) - 1,
        freeze_cols=3,
        title=("Kết quả biểu quyết và mức đề xuất của từng đảng viên", subtitle),
    )
    rows = member_rows(pack.members, uses_scores=pack.uses_scores, with_cell=False)
    write_rows(ws, book, columns, rows, first_row=first, tones=(m.tone for m in pack.members))


def _write_issues(ws: Any, book: StyleBook, pack: CellPack, subtitle: str) -> None:
    """The cell's problems, each pinned to its file, sheet and cell."""
    columns = issue_columns(with_cell=False)
    first = HEADER_ROW + 1
    setup_sheet(
        ws,
        book,
        columns,
        header_row=HEADER_ROW,
        last_row=first + max(len(pack.issues), 1) - 1,
        freeze_cols=3,
        title=("Các vấn đề cần chi bộ kiểm tra, sửa và gửi lại", subtitle),
    )
    if pack.issues:
        write_rows(
            ws,
            book,
            columns,
            issue_rows(pack.issues, with_cell=False),
            first_row=first,
            tones=(i.severity for i in pack.issues),
        )
    else:
        ws.write_string(first, 2, "Không có vấn đề nào.", book["text@ok"])


def _write_summary(ws: Any, book: StyleBook, pack: CellPack, title: str, subtitle: str) -> None:
    """Label / value / share rows: the cell at a glance."""
    c = pack.cell
    # 58: "Không đánh giá, xếp loại: Miễn công tác…" on one line (a unit's name may wrap); 88: the
    # rule-set's full name
    write = _KeyValue(ws, book, HEADER_ROW, label_width=58, value_width=88)
    write_title(ws, book, title, subtitle)
    ws.set_column(2, 2, 12)
    _write_identity(write, pack)
    write.number("Tổng số đảng viên", c.roster)
    for reason, n in zip(NotRatedReason, c.not_rated or (), strict=False):
        if n:
            write.number(f"Không đánh giá, xếp loại: {reason.label}", n)
    write.number("Số đảng viên được đánh giá, xếp loại", c.rated)
    for level, n, share in zip(LEVELS, c.levels or (), c.shares or (), strict=False):
        write.number(f"{level.full_name} ({level.value})", n, share)
    if c.undecided:
        write.number("Chưa xác định mức (báo cáo cấp ủy cấp trên)", c.undecided, tone="warning")
    write.gap()
    for q in pack.quotas:
        scope = "chi bộ" if q.scope_code == c.code else q.scope_name or q.scope_code
        role = "quyết định" if q.deciding else "tham khảo"
        write.text(f"Hạn mức HTXSNV tại {scope} ({role})", q.status, tone=q.tone)
        write.number(f"Số HTXSNV tại {scope}", q.n_htxsnv)
        write.number(f"Số HTTNV tại {scope}", q.n_httnv)
        write.percent(f"{RATIO_LABEL} tại {scope}", q.ratio)
        # "Tỷ lệ" left out: with a long scope name the label must still fit column A
        write.percent(f"{RATIO_OF_GOOD_LABEL.removeprefix('Tỷ lệ ')} tại {scope}", q.ratio_of_good)
        if q.basis == f"{pack.quota_percent} số HTTNV":
            write.number(f"Số HTXSNV tối đa ({q.basis})", q.ceiling)
        else:  # the 25 % exception's decision or the rounding: too long for a label
            write.number(f"Số HTXSNV tối đa tại {scope}", q.ceiling)
            write.text("Số HTXSNV tối đa tính theo", q.basis)
    write.gap()
    r = pack.rating
    if r is not None:
        write.text("Ngày hội nghị", format_date(r.meeting_date))
        write.number("Đảng viên chính thức được triệu tập (trừ số không tính)", r.convened)
        write.number("Đảng viên chính thức có mặt", r.present)
        write.text("Chi bộ tự xếp loại", r.self_level)
        write.text("Kết quả biểu quyết xếp loại chi bộ", r.outcome)
        write.text("Chi bộ đề xuất xếp loại", r.level, style="level")
        if r.decided:
            write.text("Cấp có thẩm quyền quyết định", r.decided, style="level")
        # the conditions are those of one level: flagged only for a cell that proposed it
        matter = r.level == CONDITIONS_LEVEL
        for condition in r.conditions.split("; ") if r.conditions else ():
            met = condition.startswith("Đạt")
            label = (
                CONDITIONS_LABEL
                if matter
                else f"{CONDITIONS_LABEL} (không xét: đề xuất {r.level or 'chưa có'})"
            )
            write.text(label, condition, tone="warning" if matter and not met else "")
    print_setup(ws)


def _write_identity(write: _KeyValue, pack: CellPack) -> None:
    """The first rows of both summaries: which cell, under which rules, in what state."""
    c = pack.cell
    write.text("Chi bộ", f"{c.name} ({c.code})")
    write.text("Loại tổ chức", c.kind)
    if pack.grassroots_name and c.grassroots_code != c.code:
        write.text("Trực thuộc", f"{pack.grassroots_name} ({c.grassroots_code})")
    write.text("Bộ quy tắc", pack.ruleset)
    write.text("Tình trạng", STATUS_LABELS[c.status], tone=STATUS_TONES[c.status])
    write.number("Số lỗi cần sửa", c.errors, tone="error" if c.errors else "")
    write.number("Số cảnh báo", c.warnings, tone="warning" if c.warnings else "")
    write.gap()


def _write_rejected(ws: Any, book: StyleBook, pack: CellPack, title: str, subtitle: str) -> None:
    """What a secretary reads when the cell's files could not be aggregated, and what to do."""
    write = _KeyValue(ws, book, HEADER_ROW, label_width=42, value_width=80)
    write_title(ws, book, title, subtitle)
    _write_identity(write, pack)
    committee = pack.parent_name or "cấp ủy cấp trên"
    write.text("Thông báo", REJECTED_STATEMENT.format(committee=committee), tone="error")
    write.text("Việc cần làm", REJECTED_TODO)
    write.gap()
    for f in pack.files:
        write.text(f"Tệp đã nhận: {f.kind}", f"{PurePath(f.path).name} — {f.status}")
    print_setup(ws)


REJECTED_STATEMENT = (
    "Hồ sơ chi bộ gửi về có lỗi nên chưa được tổng hợp: chi bộ và đảng viên của chi bộ chưa "
    "có kết quả đánh giá, xếp loại, và số liệu của chi bộ chưa được tính vào kết quả chung "
    "của {committee}."
)
REJECTED_TODO = (
    "Sửa từng lỗi ghi ở trang tính «Vấn đề cần sửa» (mỗi lỗi chỉ rõ tệp, trang tính và ô), "
    "lưu tệp rồi gửi lại hồ sơ của chi bộ. Hồ sơ gửi lại sẽ được kiểm tra và tổng hợp lại."
)


class _KeyValue:
    """Writes label / value (/ share) rows down a sheet, in columns it sets ``label_width``
    and ``value_width`` wide: a label that names a unit (``Hạn mức HTXSNV tại Đảng bộ …``) or
    a value longer than its column wraps, and its row is as tall as it needs."""

    def __init__(
        self, ws: Any, book: StyleBook, row: int, *, label_width: float, value_width: float
    ) -> None:
        self.ws, self.book, self.row = ws, book, row
        ws.set_column(0, 0, label_width)
        ws.set_column(1, 1, value_width)
        self._fit = row_fit(
            (Column("", label_width, "label_wrap"), Column("", value_width, "text_wrap"))
        )

    def _style(self, name: str, tone: str) -> Any:
        return self.book[f"{name}@{tone}" if tone else name]

    def _label(self, label: str, value: str = "") -> None:
        """The row's height (when a text wraps) and its label."""
        height = self._fit((label, value))
        if height is not None:
            self.ws.set_row(self.row, height)
        self.ws.write_string(self.row, 0, label, self.book["label_wrap"])

    def text(self, label: str, value: str, *, tone: str = "", style: str = "text_wrap") -> None:
        self._label(label, value if style == "text_wrap" else "")
        if value:
            self.ws.write_string(self.row, 1, clip(value), self._style(style, tone))
        self.row += 1

    def number(
        self, label: str, value: int | None, share: float | None = None, *, tone: str = ""
    ) -> None:
        """A count in column B and, if given, its share in column C."""
        self._label(label)
        if value is not None:
            self.ws.write_number(self.row, 1, value, self._style("int", tone))
        if share is not None:
            self.ws.write_number(self.row, 2, share, self._style("percent", tone))
        self.row += 1

    def percent(self, label: str, share: float | None) -> None:
        self._label(label)
        if share is not None:
            self.ws.write_number(self.row, 1, share, self.book["percent"])
        self.row += 1

    def gap(self) -> None:
        self.row += 1
