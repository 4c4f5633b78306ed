"""Words and numbers of the engine: Vietnamese number formats and one-line explanations.

Vietnamese writes a decimal comma (75,0%) and dates as dd/mm/yyyy; English gets a decimal point
and ISO dates. Every text is built in both languages at once as a ``Bilingual`` pair, so that the
two can never say different things.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from functools import lru_cache

from toolkit.model import LEVELS, NotRatedReason, RatingLevel
from toolkit.results import CapApplied, VoteOutcome, VoteResult
from toolkit.rulebook import Denominator, Rule


@dataclass(frozen=True)
class Bilingual:
    """The same text in Vietnamese and English."""

    vi: str
    en: str

    def __add__(self, other: Bilingual) -> Bilingual:
        return Bilingual(self.vi + other.vi, self.en + other.en)


def same(text: object) -> Bilingual:
    """A text that reads the same in both languages (a name, a code, a count)."""
    return Bilingual(str(text), str(text))


# ---------------------------------------------------------------------------------------------
# Numbers and dates


def percent(share: Fraction, decimals: int = 1) -> Bilingual:
    """``share`` as a percentage rounded half up: ``75,0%`` / ``75.0%``."""
    return ratio_percent(share.numerator, share.denominator, decimals)


@lru_cache(maxsize=4096)
def ratio_percent(part: int, whole: int, decimals: int = 1) -> Bilingual:
    """``part / whole`` as a percentage rounded half up, in integers (exact and fast: one
    call per member, and the same few vote counts over and over)."""
    scale = 10**decimals
    n = (2 * part * 100 * scale + whole) // (2 * whole)
    units, rest = divmod(n, scale)
    if decimals == 0:
        return same(f"{units}%")
    return Bilingual(f"{units},{rest:0{decimals}d}%", f"{units}.{rest:0{decimals}d}%")


@lru_cache(maxsize=256)
def threshold_percent(share: Fraction) -> Bilingual:
    """A rule's share without useless decimals: 1/2 → ``50%``, 2/3 → ``66,7%``."""
    if (share * 100).denominator == 1:
        return percent(share, 0)
    return percent(share, 1)


def number(value: float) -> Bilingual:
    """A count of months or a score: ``3``, ``3,5`` / ``3.5``."""
    text = f"{value:g}"
    return Bilingual(text.replace(".", ","), text)


def day(value: date) -> Bilingual:
    return Bilingual(value.strftime("%d/%m/%Y"), value.isoformat())


def joined(items: list[Bilingual], last_vi: str = " và ", last_en: str = " and ") -> Bilingual:
    """``A, B và C`` / ``A, B and C``."""
    if not items:
        return same("")
    if len(items) == 1:
        return items[0]
    vi = ", ".join(i.vi for i in items[:-1]) + last_vi + items[-1].vi
    en = ", ".join(i.en for i in items[:-1]) + last_en + items[-1].en
    return Bilingual(vi, en)


def rule_ref(rule: Rule) -> Bilingual:
    """How an issue names the rule it comes from: code and clause."""
    return Bilingual(f"quy tắc {rule.code}, {rule.clause}", f"rule {rule.code}, {rule.clause}")


_BASIS = {
    Denominator.CONVENED_OFFICIAL_ADJUSTED: Bilingual(
        "đảng viên chính thức được triệu tập", "official members convened"
    ),
    Denominator.PRESENT_OFFICIAL: Bilingual(
        "đảng viên chính thức có mặt", "official members present"
    ),
    Denominator.VALID_BALLOTS: Bilingual("phiếu hợp lệ", "valid ballots"),
}


def basis(denominator: Denominator) -> Bilingual:
    """What the denominator counts: ``đảng viên chính thức được triệu tập`` …"""
    return _BASIS[denominator]


# ---------------------------------------------------------------------------------------------
# Explanations of one member's result (one line each)


@lru_cache(maxsize=16384)
def votes_of(count: int, denominator: int, kind: Denominator) -> Bilingual:
    """``9/12 phiếu (75,0%) trên 12 đảng viên chính thức được triệu tập``."""
    share = ratio_percent(count, denominator) if denominator > 0 else same("—")
    b = basis(kind)
    d = denominator
    return Bilingual(
        f"{count}/{d} phiếu ({share.vi}) trên {d} {b.vi}",
        f"{count}/{d} votes ({share.en}) of {d} {b.en}",
    )


def vote_summary(
    vote: VoteResult, votes: tuple[int, int, int, int], kind: Denominator, threshold: Fraction
) -> Bilingual:
    """Why the vote carried its level, with the threshold (and the cumulative step)."""
    assert vote.level is not None
    return _summary(vote.outcome, vote.level, vote.denominator, votes, kind, threshold)


@lru_cache(maxsize=16384)
def _summary(
    outcome: VoteOutcome,
    level: RatingLevel,
    denominator: int,
    votes: tuple[int, int, int, int],
    kind: Denominator,
    threshold: Fraction,
) -> Bilingual:
    # cached: a district has thousands of members but few distinct (votes, denominator) pairs
    t = threshold_percent(threshold)
    at = LEVELS.index(level)
    if outcome is VoteOutcome.CARRIED_CUMULATIVE:
        running = votes_of(sum(votes[: at + 1]), denominator, kind)
        return Bilingual(
            f"không mức nào vượt ngưỡng {t.vi} riêng lẻ; cộng dồn từ HTXSNV xuống "
            f"{level.value} được {running.vi}",
            f"no level passed the {t.en} threshold alone; counting down from HTXSNV to "
            f"{level.value} gives {running.en}",
        )
    carried = votes_of(votes[at], denominator, kind)
    return Bilingual(
        f"{carried.vi}, vượt ngưỡng {t.vi}", f"{carried.en}, above the {t.en} threshold"
    )


def explain_carried(
    vote: VoteResult,
    votes: tuple[int, int, int, int],
    kind: Denominator,
    threshold: Fraction,
    proposed: RatingLevel,
    lowering: tuple[CapApplied, ...],
) -> Bilingual:
    """``Đề xuất HTTNV: 9/12 phiếu (75,0%) trên 12 …, vượt ngưỡng 50%.`` (caps appended)."""
    summary = vote_summary(vote, votes, kind, threshold)
    p = proposed.value
    if not lowering:
        return Bilingual(f"Đề xuất {p}: {summary.vi}.", f"Proposed {p}: {summary.en}.")
    assert vote.level is not None
    why = joined([Bilingual(c.reason, c.reason_en) for c in lowering], "; ", "; ")
    c = vote.level.value
    return Bilingual(
        f"Đề xuất {p}: biểu quyết được {c} ({summary.vi}), hạ xuống {p} vì {why.vi}.",
        f"Proposed {p}: the vote carried {c} ({summary.en}), lowered to {p} because {why.en}.",
    )


def explain_conclusion(
    conclusion: RatingLevel,
    carried: RatingLevel | None,
    proposed: RatingLevel,
    lowering: tuple[CapApplied, ...],
) -> Bilingual:
    """``Đề xuất HTTNV: theo kết luận của hội nghị (HTTNV), số phiếu ủng hộ.`` (preset
    ``meeting_conclusion``; caps appended as in ``explain_carried``)."""
    c, p = conclusion.value, proposed.value
    support = (
        Bilingual("số phiếu ủng hộ", "the tally supports it")
        if carried is conclusion
        else Bilingual(
            "số phiếu không ủng hộ, cấp trên xem xét",
            "the tally does not support it; the higher committee decides",
        )
    )
    text = Bilingual(
        f"Đề xuất {p}: theo kết luận của hội nghị ({c}), {support.vi}",
        f"Proposed {p}: as the meeting concluded ({c}), {support.en}",
    )
    if lowering:
        why = joined([Bilingual(x.reason, x.reason_en) for x in lowering], "; ", "; ")
        text += Bilingual(f"; hạ xuống {p} vì {why.vi}", f"; lowered to {p} because {why.en}")
    return text + same(".")


def explain_undecided(
    vote: VoteResult,
    votes: tuple[int, int, int, int],
    kind: Denominator,
    threshold: Fraction,
    tied: tuple[int, ...],
    cumulative: bool,
) -> Bilingual:
    """Why there is no proposal: a tie, no level carried, or no usable denominator."""
    higher = Bilingual(
        "báo cáo cấp ủy cấp trên xem xét", "reported to the higher committee for a decision"
    )
    if vote.denominator == 0:
        return Bilingual(
            "Chưa có mức đề xuất: mẫu số biểu quyết bằng 0 (thiếu số liệu hội nghị).",
            "No proposal: the vote denominator is 0 (the meeting figures are missing).",
        )
    if vote.outcome is VoteOutcome.TIE:
        levels = joined([same(LEVELS[i].value) for i in tied])
        each = votes_of(votes[tied[0]], vote.denominator, kind)
        return Bilingual(
            f"Chưa có mức đề xuất: {levels.vi} hòa phiếu, mỗi mức {each.vi}; {higher.vi}.",
            f"No proposal: {levels.en} tie with {each.en} each; {higher.en}.",
        )
    t = threshold_percent(threshold)
    top = max(range(4), key=lambda i: (votes[i], -i))
    also = Bilingual(", kể cả khi cộng dồn", ", even counting down") if cumulative else same("")
    if votes[top] == 0:
        return Bilingual(
            f"Chưa có mức đề xuất: không có phiếu cho mức nào; {higher.vi}.",
            f"No proposal: no votes for any level; {higher.en}.",
        )
    best = votes_of(votes[top], vote.denominator, kind)
    lv = LEVELS[top].value
    return Bilingual(
        f"Chưa có mức đề xuất: không mức nào vượt ngưỡng {t.vi}{also.vi} "
        f"(cao nhất {lv} {best.vi}); {higher.vi}.",
        f"No proposal: no level passed the {t.en} threshold{also.en} "
        f"(best {lv} with {best.en}); {higher.en}.",
    )


NO_TALLY = Bilingual(
    "Chưa có mức đề xuất: không có kết quả biểu quyết cho đảng viên này.",
    "No proposal: there is no vote result for this member.",
)


def explain_not_rated(reason: NotRatedReason) -> Bilingual:
    """Why a member on the roster has no rating this year."""
    if reason.must_not_be_rated:
        return Bilingual(
            f"Không kiểm điểm, xếp loại: {reason.label.lower()}.",
            f"Neither reviewed nor rated: {reason.english.lower()}.",
        )
    if reason is NotRatedReason.ABSENT:
        return Bilingual(
            "Chưa đánh giá: vắng mặt tại hội nghị, cần đánh giá, xếp loại ngay khi có thể.",
            "Not rated yet: absent from the meeting, to be rated as soon as possible.",
        )
    return Bilingual(
        f"Không xếp loại tại chi bộ: {reason.label.lower()}.",
        f"Not rated in this cell: {reason.english.lower()}.",
    )


def explain_leave(sick: float, maternity: float, rule: Rule) -> Bilingual:
    """Appended under QĐ 366: the leave months, shown for information; they cap nothing."""
    parts = []
    if sick:
        n = number(sick)
        parts.append(Bilingual(f"nghỉ ốm {n.vi} tháng", f"{n.en} months of sick leave"))
    if maternity:
        n = number(maternity)
        parts.append(Bilingual(f"nghỉ thai sản {n.vi} tháng", f"{n.en} months of maternity leave"))
    what = joined(parts, ", ", ", ")
    if sick >= rule.params["months"] or maternity:
        return Bilingual(
            f" Trong năm {what.vi}: xếp loại căn cứ kết quả làm việc thực tế, không giới hạn "
            f"mức ({rule.clause}).",
            f" {what.en[:1].upper()}{what.en[1:]} in the year: rated on the work actually done, "
            f"no cap ({rule.clause}).",
        )
    return Bilingual(
        f" Trong năm {what.vi} (ghi để tham khảo).",
        f" {what.en[:1].upper()}{what.en[1:]} in the year (for information).",
    )


def explain_for_decision(rule: Rule) -> Bilingual:
    """Appended when a self-remedied discipline is left to the competent level (QĐ 366)."""
    return Bilingual(
        " Bị kỷ luật trong năm nhưng đã tự giác nhận lỗi, tự phát hiện và khắc phục xong hậu "
        "quả: kỷ luật không tự hạ mức đề xuất, cấp có thẩm quyền xem xét, quyết định "
        f"({rule.clause}).",
        " Disciplined in the year but owned up, found and remedied the violation: the discipline "
        f"does not lower the proposal by itself, the competent level decides ({rule.clause}).",
    )


def explain_quota_lowered(scope: str, rank: int, ceiling: int, basis: Bilingual) -> Bilingual:
    """Appended when the higher committee's quota ranking moves a member to HTTNV (R10);
    ``basis`` says how the ceiling was reached (the ratio, the 25 % exception, the rounding)."""
    return Bilingual(
        f" Cấp trên quyết định HTTNV: xếp thứ {rank} trong số đề xuất HTXSNV của {scope}, "
        f"ngoài trần {ceiling} ({basis.vi}).",
        f" Decided HTTNV by the higher committee: ranked {rank} among the HTXSNV proposals "
        f"of {scope}, beyond the ceiling of {ceiling} ({basis.en}).",
    )
