"""Documents for signing, from the writers' rows: what each says (``word`` makes the .docx).

- per cell, **Biên bản kiểm phiếu**: the meeting's figures from its ballot workbook and, per
  member, the votes for each level and the result, with blanks for the counting team's names
  and signatures, filled by hand;
- for the deciding committee, **Danh sách đề nghị công nhận kết quả xếp loại chất lượng đảng
  viên**, **Danh sách đảng viên chưa đánh giá, xếp loại** (with reasons), and the list of the
  organizations' ratings.

A level the competent level has not decided yet is marked "(đề xuất)": these lists go to the
committee that decides, and nobody must read a proposal as a decision.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence

from toolkit.model import RatingLevel
from toolkit.outputs.cell_xlsx import CellPack
from toolkit.outputs.paths import (
    DOCS_MEMBERS,
    DOCS_NOT_RATED,
    DOCS_ORGANIZATIONS,
    minutes_file,
)
from toolkit.outputs.view import STATUS_LABELS, CellLine, Digest, MemberLine
from toolkit.outputs.word import Column, Group, Layout, template

DOTS = "……………………"
#: the place is written by hand: the roster does not say where the committee sits
_PLACE = "…………"
_SIGN = "//(Ký, ghi rõ họ tên)"
_PLACE_DATE = "⟪place⟫, ngày ⟪day⟫ tháng ⟪month⟫ năm ⟪year⟫"
_COMMITTEE_SIGNATURE = (("",), ("**T/M ⟪signer_org⟫", "**⟪signer_title⟫", _SIGN, "", "", ""))

COUNT_MINUTES = Layout(
    issuer_above="⟪issuer_above⟫",
    issuer="⟪issuer⟫",
    number="",
    place_date=_PLACE_DATE,
    title="BIÊN BẢN KIỂM PHIẾU",
    subtitle="Đánh giá, xếp loại chất lượng đảng viên năm ⟪rating_year⟫",
    body=(
        "Hôm nay, ⟪meeting_day⟫, ⟪cell_name⟫ tổ chức hội nghị kiểm điểm, đánh giá, xếp loại "
        "chất lượng đảng viên năm ⟪rating_year⟫.",
        "Tổng số đảng viên chính thức của chi bộ: ⟪official_total⟫; không tính vào số triệu "
        "tập: ⟪not_counted⟫; số đảng viên chính thức được triệu tập: ⟪convened⟫.",
        "Có mặt: ⟪present_official⟫ đảng viên chính thức, ⟪present_probationary⟫ đảng viên dự "
        "bị. Hình thức: ⟪method⟫.",
        "Ban kiểm phiếu gồm các đồng chí:",
        f"1. Đồng chí {DOTS}{DOTS}, Trưởng ban;",
        f"2. Đồng chí {DOTS}{DOTS}, thành viên;",
        f"3. Đồng chí {DOTS}{DOTS}, thành viên.",
        "⟪ballots⟫",
        "Kết quả đánh giá, xếp loại chất lượng từng đảng viên như sau:",
    ),
    columns=(
        Column("TT", 0.9, "center"),
        Column("Họ và tên", 3.9),
        Column("HTXSNV", 1.6, "center"),
        Column("HTTNV", 1.6, "center"),
        Column("HTNV", 1.6, "center"),
        Column("KHTNV", 1.6, "center"),
        Column("Chưa đánh giá, xếp loại", 1.6, "center"),
        Column("Phiếu trống, không hợp lệ", 1.6, "center"),
        Column("Kết quả", 2.5, "center"),
    ),
    after=(
        "⟪cell_vote⟫",
        "Biên bản lập xong lúc …… giờ …… phút cùng ngày, đã đọc lại trước hội nghị.",
    ),
    signatures=(
        ("**CÁC THÀNH VIÊN BAN KIỂM PHIẾU", _SIGN, "", "", ""),
        ("**TRƯỞNG BAN KIỂM PHIẾU", _SIGN, "", "", ""),
    ),
)


def _committee_list(subtitle: str, columns: tuple[Column, ...], after: tuple[str, ...]) -> Layout:
    """A list the deciding committee signs: its name, a number, a note, the table, totals."""
    return Layout(
        issuer_above="⟪issuer_above⟫",
        issuer="⟪issuer⟫",
        number="Số …… -DS",
        place_date=_PLACE_DATE,
        title="DANH SÁCH",
        subtitle=subtitle,
        body=("⟪note⟫",),
        columns=columns,
        after=after,
        signatures=_COMMITTEE_SIGNATURE,
    )


MEMBERS_PROPOSED = _committee_list(
    "đề nghị công nhận kết quả xếp loại chất lượng đảng viên năm ⟪rating_year⟫",
    (
        Column("TT", 1.2, "center"),
        Column("Họ và tên", 6.3),
        Column("Mức xếp loại", 6.5, "center"),
        Column("Ghi chú", 2.5, "center"),
    ),
    ("⟪totals⟫", "⟪left_out⟫"),
)
MEMBERS_NOT_RATED = _committee_list(
    "đảng viên chưa đánh giá, xếp loại chất lượng năm ⟪rating_year⟫",
    (Column("TT", 1.2, "center"), Column("Họ và tên", 6.0), Column("Lý do", 9.3)),
    ("⟪totals⟫", "⟪left_out⟫"),
)
ORGANIZATIONS = _committee_list(
    "đề nghị công nhận kết quả xếp loại chất lượng tổ chức đảng năm ⟪rating_year⟫",
    (
        Column("TT", 1.0, "center"),
        Column("Tổ chức đảng", 5.9),
        Column("Loại hình", 2.5),
        Column("Mức xếp loại", 5.2, "center"),
        Column("Ghi chú", 1.9, "center"),
    ),
    ("⟪totals⟫",),
)

_NOT_YET = "Chưa có"
_PROPOSED = "Đề xuất"


def count_minutes(pack: CellPack) -> bytes:
    """One cell's Biên bản kiểm phiếu (for a cell that has a ``minutes_path``)."""
    rating = pack.rating
    if rating is None or rating.meeting is None:
        raise ValueError(f"{pack.cell.code}: no meeting's figures to print")
    meeting = rating.meeting
    day = rating.meeting_date
    if meeting.secret_ballot:
        ballots = (
            f"Số phiếu phát ra: {meeting.ballots_issued}; số phiếu thu về: "
            f"{meeting.ballots_returned}; số phiếu hợp lệ: {meeting.ballots_valid}; số phiếu "
            f"không hợp lệ: {meeting.ballots_invalid}."
        )
    else:
        ballots = "Biểu quyết giơ tay: không phát phiếu; số biểu quyết ghi theo từng đảng viên."
    rows = [_minutes_row(i, m) for i, m in enumerate(pack.members, start=1)]
    fields = {
        **_place_date(day, pack.year),
        **_issuer_of_cell(pack),
        "rating_year": str(pack.year),
        "meeting_day": f"ngày {day:%d/%m/%Y}" if day else f"ngày {DOTS}",
        "cell_name": pack.cell.name,
        "official_total": str(meeting.official_total),
        "not_counted": str(meeting.official_not_counted),
        "convened": _number(rating.convened),
        "present_official": _number(rating.present),
        "present_probationary": str(meeting.present_probationary),
        "method": meeting.method.lower() if meeting.method else DOTS,
        "ballots": ballots,
        "cell_vote": _cell_vote(rating.votes, meeting.cell_blank, rating.level),
    }
    return template(COUNT_MINUTES).render(fields, rows)


def _minutes_row(number: int, member: MemberLine) -> tuple[object, ...]:
    if member.not_rated:
        return (
            number,
            member.full_name,
            "",
            "",
            "",
            "",
            "",
            "",
            f"Không xếp loại: {member.not_rated}",
        )
    votes = member.votes or ("", "", "", "")
    result = member.carried or member.outcome or ""
    return (
        number,
        member.full_name,
        *votes,
        "",
        "" if member.blank is None else member.blank,
        result,
    )


def _cell_vote(votes: tuple[int, ...] | None, blank: int | None, level: str) -> str:
    if votes is None:
        return "Biểu quyết xếp loại chất lượng chi bộ: chi bộ chưa ghi số biểu quyết."
    counts = "; ".join(f"{code} {n}" for code, n in zip(_LEVEL_CODES, votes, strict=True))
    tail = f"; trống, không hợp lệ {blank}" if blank else ""
    result = _level_name(level) if level else "chưa xác định"
    return f"Biểu quyết xếp loại chất lượng chi bộ: {counts}{tail}. Chi bộ đề xuất: {result}."


_LEVEL_CODES = tuple(level.value for level in RatingLevel)


def members_proposed(digest: Digest) -> bytes:
    """The list of members proposed for recognition, cell by cell, with each level (decided
    or proposed)."""
    rows: list[tuple[object, ...] | Group] = []
    totals = dict.fromkeys(_LEVEL_CODES, 0)
    for cell in digest.present_cells:
        heading: Group | None = Group(cell.name)
        for member in digest.members.get(cell.code, ()):
            level, decided = _member_level(member)
            if not level:
                continue
            rows += [heading] if heading else []
            heading = None
            totals[level] += 1
            note = "" if decided else _PROPOSED
            rows.append((sum(totals.values()), member.full_name, _level_name(level), note))
    counted = ", ".join(f"{code}: {n}" for code, n in totals.items())
    fields = {
        **_committee(digest),
        "note": f"Mức ghi chú \u201c{_PROPOSED}\u201d là đề xuất của chi bộ, chờ cấp có thẩm "
        "quyền quyết định.",
        "totals": f"Tổng số: {sum(totals.values())} đồng chí ({counted}).",
        "left_out": _left_out(digest),
    }
    return template(MEMBERS_PROPOSED).render(fields, rows)


def members_not_rated(digest: Digest) -> bytes:
    """Members not rated (with the reason) and members whose level is still open, cell by
    cell."""
    rows: list[tuple[object, ...] | Group] = []
    listed = 0
    for cell in digest.present_cells:
        heading: Group | None = Group(cell.name)
        for member in digest.members.get(cell.code, ()):
            if member.not_rated:
                reason = member.not_rated
            elif not _member_level(member)[0]:
                reason = f"Chưa xác định mức: {member.outcome or 'chưa biểu quyết'}"
            else:
                continue
            rows += [heading] if heading else []
            heading = None
            listed += 1
            rows.append((listed, member.full_name, reason))
    fields = {
        **_committee(digest),
        "note": "Gồm đảng viên không đánh giá, xếp loại theo quy định và đảng viên chưa xác "
        "định được mức xếp loại, chờ cấp có thẩm quyền xem xét.",
        "totals": f"Tổng số: {listed} đồng chí.",
        "left_out": _left_out(digest),
    }
    return template(MEMBERS_NOT_RATED).render(fields, rows)


def organizations(digest: Digest) -> bytes:
    """Every cell with its own rating (proposed), or why it has none yet."""
    rows: list[tuple[object, ...]] = []
    rated = 0
    for cell in digest.cells:
        note = ""
        if cell.status in ("rejected", "missing"):
            shown = f"{_NOT_YET} kết quả ({STATUS_LABELS[cell.status].lower()})"
        elif cell.decided:
            shown = _level_name(cell.decided)
            rated += 1
        elif cell.level:
            shown, note = _level_name(cell.level), _PROPOSED
            rated += 1
        else:
            shown = "Chưa xác định mức"
        rows.append((len(rows) + 1, cell.name, _org_type(cell), shown, note))
    fields = {
        **_committee(digest),
        "note": f"Mức ghi chú \u201c{_PROPOSED}\u201d là kết quả chi bộ tự đánh giá và biểu "
        "quyết, chờ cấp có thẩm quyền quyết định.",
        "totals": f"Tổng số: {len(rows)} tổ chức đảng, {rated} có mức đề xuất.",
    }
    return template(ORGANIZATIONS).render(fields, rows)


def _member_level(member: MemberLine) -> tuple[str, bool]:
    """The member's level (decided where the competent level decided, else the proposal after
    the rules) and whether it was decided."""
    if member.decision:
        return member.decided, True
    return member.decided or member.proposed, False


def _left_out(digest: Digest) -> str:
    cells = [*digest.rejected_cells, *digest.missing_cells]
    if not cells:
        return ""
    names = "; ".join(f"{c.name} ({STATUS_LABELS[c.status].lower()})" for c in cells)
    return f"Chưa gồm đảng viên của {len(cells)} chi bộ chưa tổng hợp được: {names}."


def _committee(digest: Digest) -> dict[str, str]:
    return {
        **_place_date(None, digest.generated_on.year),
        "issuer_above": "",
        "issuer": digest.parent_name.upper(),
        "rating_year": str(digest.year),
        # the parent committee decides through its standing committee (QĐ 366 Điều 12)
        "signer_org": "BAN THƯỜNG VỤ",
        "signer_title": "BÍ THƯ",
    }


def _issuer_of_cell(pack: CellPack) -> dict[str, str]:
    above = (
        pack.grassroots_name if pack.cell.grassroots_code != pack.cell.code else pack.parent_name
    )
    return {"issuer_above": above.upper(), "issuer": pack.cell.name.upper()}


def _place_date(day: _dt.date | None, year: int) -> dict[str, str]:
    if day is None:
        return {"place": _PLACE, "day": "……", "month": "……", "year": str(year)}
    return {"place": _PLACE, "day": f"{day:%d}", "month": f"{day:%m}", "year": str(day.year)}


def _org_type(cell: CellLine) -> str:
    return cell.org_type or cell.kind


def _level_name(code: str) -> str:
    return _LEVEL_NAMES[code]


_LEVEL_NAMES = {level.value: level.full_name for level in RatingLevel}


def _number(value: int | None) -> str:
    return DOTS if value is None else str(value)


def minutes_path(pack: CellPack) -> str | None:
    """Where ``count_minutes`` writes this cell's minutes, or None when it makes none (a cell
    whose files were not aggregated has no meeting's figures to print)."""
    if pack.cell.file is None or pack.cell.status == "rejected" or pack.rating is None:
        return None
    return minutes_file(pack.cell.file) if pack.rating.meeting is not None else None


#: the deciding committee's documents, by relative path
COMMITTEE_DOCUMENTS = (DOCS_MEMBERS, DOCS_NOT_RATED, DOCS_ORGANIZATIONS)


def committee_documents(digest: Digest) -> Sequence[tuple[str, bytes]]:
    """The deciding committee's three lists as (relative path, bytes)."""
    made = (members_proposed(digest), members_not_rated(digest), organizations(digest))
    return tuple(zip(COMMITTEE_DOCUMENTS, made, strict=True))
