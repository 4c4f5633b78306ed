"""Help while filling a template: what each table must hold, said on the sheet, and the tally
rows checked as the secretary types (conditional formatting: no macro, any client).

A tally row adds up to the valid ballots (secret ballot) or to the official members present
(show of hands): the check reads both from «Biên bản» through defined names, since a
conditional format may not point at another sheet in every client.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from toolkit.model import VoteMethod
from toolkit.workbooks.declarations import Column, Layout, column_letter

#: what a column's ``required_when`` means, in the words of the sheet
CONDITION_WORDS = {
    "rated": "khi đảng viên được đánh giá, xếp loại",
    "scores_required": "khi phải chấm điểm",
    "secret_ballot": "khi bỏ phiếu kín",
}
#: the sentence a tally sheet adds to its note
TALLY_NOTE = (
    "Cột «{total}» tô đỏ khi tổng số phiếu của dòng khác số phiếu hợp lệ (bỏ phiếu kín) "
    "hoặc số đảng viên chính thức có mặt (giơ tay) ghi ở trang «{meeting}», tô xanh khi khớp."
)
#: said beside a value the template filled in from the roster, which stays editable
SUGGESTED = "Đã điền sẵn theo danh sách đảng viên; sửa nếu thực tế khác."
#: defined names of the «Biên bản» fields the tally check reads
NAMES = {
    "method": "kp_hinh_thuc",
    "ballots_valid": "kp_phieu_hop_le",
    "present_official": "kp_chinh_thuc_co_mat",
}


def _quoted(columns: Sequence[Column]) -> str:
    return ", ".join(f"«{c.label}»" for c in columns)


def table_note(layout: Layout) -> str:
    """Which input columns of a table must be filled, when, and which may stay empty."""
    inputs = [c for c in layout.columns if c.is_input]
    if not inputs:
        return ""
    parts = []
    required = [c for c in inputs if c.required]
    if required:
        parts.append(f"Bắt buộc: {_quoted(required)}.")
    for condition, words in CONDITION_WORDS.items():
        when = [c for c in inputs if c.required_when == condition]
        if when:
            parts.append(f"Bắt buộc {words}: {_quoted(when)}.")
    optional = [c for c in inputs if not c.required and not c.required_when]
    if optional:
        parts.append(f"Không bắt buộc (có thể để trống): {_quoted(optional)}.")
    return " ".join(parts)


def meeting_of(layout: Layout, forms: Sequence[Layout]) -> Layout | None:
    """The form a tally table is checked against: ``layout`` is a table of votes per member
    with a total column (the «Kiểm phiếu» sheet) and the form has the fields the check reads."""
    columns = layout.columns
    if not (any(c.level for c in columns) and any(c.type == "formula" for c in columns)):
        return None
    return next((f for f in forms if all(f.has(key) for key in NAMES)), None)


def tally_note(tally: Layout, meeting: Layout) -> str:
    total = next(c for c in tally.columns if c.type == "formula")
    return TALLY_NOTE.format(total=total.label, meeting=meeting.sheet.name)


def define_meeting_names(book: Any, meeting: Layout) -> None:
    """The «Biên bản» fields the tally check reads, as workbook-level names."""
    sheet = meeting.sheet.name.replace("'", "''")
    for key, name in NAMES.items():
        book.define_name(name, f"='{sheet}'!$B${meeting.field_row(key)}")


def check_tally(ws: Any, tally: Layout, first: int, last: int, mismatch: Any, match: Any) -> None:
    """Colour each filled tally row (0-based rows ``first``..``last``) by whether its total is
    what «Biên bản» says it must be."""
    votes = [i for i, c in enumerate(tally.columns) if c.level]
    total = next(i for i, c in enumerate(tally.columns) if c.type == "formula")
    low, high = min(votes), max(votes)
    row = first + 1  # the formula is written for the range's first row, 1-based
    span = f"${column_letter(low)}{row}:${column_letter(high)}{row}"
    expected = (
        f'IF({NAMES["method"]}="{VoteMethod.SECRET_BALLOT.label}",'
        f"{NAMES['ballots_valid']},{NAMES['present_official']})"
    )
    filled = f"COUNT({span})>0"
    cell = f"${column_letter(total)}{row}"
    for fmt, test in ((mismatch, "<>"), (match, "=")):
        ws.conditional_format(
            first,
            total,
            last,
            total,
            {
                "type": "formula",
                "criteria": f"=AND({filled},{cell}{test}{expected})",
                "format": fmt,
            },
        )
