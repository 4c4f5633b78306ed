"""``van-ban/bao-cao-tong-hop.docx``: the upward summary as a report body for signing.

The party-document layout of ``toolkit.outputs.word``, A4 landscape (the 11 columns of Mẫu
15A/15B need 25 cm): the committee as issuer, "ĐẢNG CỘNG SẢN VIỆT NAM" over the place and date
line (filled by hand: the date is the signing's, not the packages'), the title with the year,
which committees below reported, decided or did not, then every table of ``upward_summary``
with its headers, the column numbers, its rows and "Tổng cộng", the members not rated by
reason, and the standing committee's signature. Numbers are written the Vietnamese way
("1.234", "13,0%"). The same result gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from toolkit.outputs.numbers import format_int, format_percent
from toolkit.outputs.word import Column, Layout, Table, tables_template
from toolkit.rollup.combine import DECIDED, MISSING, PROPOSED, REFUSED, RollupResult
from toolkit.rollup.summary import HEADERS, SummaryRow, unrated_rows, upward_summary

_SIGN = "//(Ký, ghi rõ họ tên)"
# 25.2 cm, A4 landscape; a level column fits "HTXSNV" in bold on one line
_WIDTHS = (1.0, 4.8, 1.7, 2.0, 2.0, 2.0, 2.0, 1.8, 2.1, 2.4, 3.4)
_ALIGNS = ("center", "left", *("center",) * 8, "left")

SUMMARY_REPORT = Layout(
    issuer_above="",
    issuer="⟪issuer⟫",
    number="Số …… -BC",
    place_date="…………, ngày …… tháng …… năm ⟪year⟫",
    title="BÁO CÁO",
    subtitle="Tổng hợp kết quả đánh giá, xếp loại chất lượng tổ chức đảng và đảng viên "
    "năm ⟪rating_year⟫",
    body=(
        "Căn cứ kết quả đánh giá, xếp loại chất lượng năm ⟪rating_year⟫ do các tổ chức đảng "
        "trực thuộc gửi lên (⟪ruleset⟫), ⟪committee⟫ báo cáo tổng hợp như sau:",
        "**I. TÌNH HÌNH BÁO CÁO CỦA CÁC TỔ CHỨC TRỰC THUỘC",
        "⟪reported⟫",
        "⟪decided⟫",
        "⟪proposed⟫",
        "⟪not_reported⟫",
        "**II. KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG",
        "⟪basis⟫",
    ),
    columns=tuple(
        Column(header, width, align)
        for header, width, align in zip(HEADERS, _WIDTHS, _ALIGNS, strict=True)
    ),
    after=("⟪unrated⟫", "⟪subjects⟫"),
    recipients=("**Nơi nhận:", "- Cấp ủy cấp trên (báo cáo);", "- Lưu."),
    signatures=(("**T/M BAN THƯỜNG VỤ", "**BÍ THƯ", _SIGN, "", "", ""),),
    landscape=True,
    numbered_columns=True,
)


def summary_report(result: RollupResult) -> bytes:
    """The report body of this level's upward summary (.docx bytes)."""
    c = result.committee
    fields = {
        "issuer": c.name.upper(),
        "year": str(result.generated_on.year),
        "rating_year": str(result.year),
        "ruleset": result.ruleset.name,
        "committee": c.name,
        **_completeness(result),
        "basis": "Số liệu theo mức đã quyết định; nơi cấp có thẩm quyền chưa quyết định là mức "
        "đề xuất (ghi ở cột Ghi chú). Cột (9) = HTXSNV ÷ HTTNV; cột (10) = HTXSNV ÷ (HTXSNV + "
        "HTTNV), tỷ lệ xuất sắc trong số tốt trở lên.",
        "unrated": _unrated(result),
        "subjects": _subjects_note(result),
    }
    tables = [
        Table(f"{n}. {t.title} (Mẫu {t.form})", [_cells(r) for r in t.rows], _cells(t.total))
        for n, t in enumerate(upward_summary(result), start=1)
    ]
    return tables_template(SUMMARY_REPORT).render(fields, tables)


def _completeness(result: RollupResult) -> dict[str, str]:
    """Which committees below reported, decided, only proposed, did not report or were
    refused, each named."""

    def named(status: str) -> str:
        lines = [x.unit for x in result.committees if x.status == status]
        return "; ".join(f"{u.name} ({u.code})" for u in lines) or "không có"

    reported = result.count(DECIDED) + result.count(PROPOSED)
    return {
        "reported": f"Tổ chức trực thuộc: {len(result.committees)}; đã gửi kết quả: {reported} "
        f"(đã có quyết định của cấp có thẩm quyền: {result.count(DECIDED)}; mới đề xuất: "
        f"{result.count(PROPOSED)}); chưa gửi: {result.count(MISSING)}; gói kết quả bị từ "
        f"chối: {result.count(REFUSED)}.",
        "decided": f"Đã có quyết định: {named(DECIDED)}.",
        "proposed": f"Mới đề xuất, số liệu theo mức đề xuất: {named(PROPOSED)}.",
        "not_reported": f"Chưa gửi: {named(MISSING)}. Gói kết quả bị từ chối: {named(REFUSED)}.",
    }


def _cells(r: SummaryRow) -> Sequence[object]:
    return (
        r.number,
        r.subject,
        *(format_int(n) for n in (r.total, *r.levels, r.unrated)),
        _percent(r.htxs_over_htt),
        _percent(r.htxs_over_good),
        r.note,
    )


def _percent(share: Fraction | None) -> str:
    """``13,0%``: a Vietnamese percentage kept on one line in a narrow column."""
    return format_percent(share).replace(" ", "")


def _unrated(result: RollupResult) -> str:
    counted = [f"{label.lower()}: {format_int(n)}" for label, n in unrated_rows(result) if n]
    if not counted:
        return "Không có đảng viên chưa xếp loại."
    return f"Đảng viên chưa xếp loại (cột (8) của Mẫu 15A): {'; '.join(counted)}."


def _subjects_note(result: RollupResult) -> str:
    subjects = result.subjects
    if not subjects.recorded:
        return (
            "Không có bảng theo đối tượng (Mẫu 2A/2B/2C): các gói của cấp dưới không ghi đối "
            "tượng của đảng viên (năm trước 2025, hoặc gói của phiên bản trước)."
        )
    if subjects.unknown.total:
        return (
            "Bảng theo đối tượng: mỗi đảng viên tính một lần, theo phiếu tự đánh giá (Mẫu 2A, "
            "2B hoặc 2C); dòng «Chưa ghi đối tượng» là đảng viên trong các gói không ghi đối "
            "tượng, không chia vào các đối tượng."
        )
    return (
        "Bảng theo đối tượng: mỗi đảng viên tính một lần, theo phiếu tự đánh giá (Mẫu 2A, 2B "
        "hoặc 2C)."
    )
