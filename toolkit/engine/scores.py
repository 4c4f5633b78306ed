"""The 100-point scale (R22, QĐ 366): a score is required, within 0–100, and its band must
agree with the level the vote carried. The same checks serve a member and the cell itself.

Only a voted level above the band is a problem by default: below it is normal (the quota and
the HTXSNV conditions lower levels, never scores), so it is information in the member's
explanation, unless the rulebook's ``score-bands.direction = "both"`` asks for both ways."""

from __future__ import annotations

import math

from toolkit.engine.context import Context, band_for
from toolkit.engine.explain import Bilingual, number, rule_ref
from toolkit.engine.issues import issue, member_name
from toolkit.model import Issue, Member, RatingLevel
from toolkit.rulebook import ScoreBand


def band_text(band: ScoreBand) -> Bilingual:
    """``từ 70 đến dưới 90`` / ``70 to under 90``."""
    low = number(band.lower) if band.lower is not None else None
    high = number(band.upper) if band.upper is not None else None
    if low is None and high is not None:
        return Bilingual(f"dưới {high.vi}", f"under {high.en}")
    if high is None and low is not None:
        return Bilingual(f"từ {low.vi}", f"{low.en} or more")
    assert low is not None and high is not None
    return Bilingual(f"từ {low.vi} đến dưới {high.vi}", f"{low.en} to under {high.en}")


def score_issues(
    score: float | None, voted: RatingLevel | None, ctx: Context, member: Member | None = None
) -> list[Issue]:
    """Problems with a member's score (``member`` given) or the cell's own score.

    Nothing to check when the rule-set does not use scores. ``voted`` is the level the vote
    carried (before caps), or None when it carried nothing.
    """
    if ctx.bands is None:
        return []
    rule = ctx.rule("score-bands")
    prefix = "member" if member is not None else "cell"
    who: dict[str, object] = (
        {"name": member_name(member)} if member is not None else {"cell": ctx.cell_label}
    )
    unit_code, member_id = ctx.cell.code, member.member_id if member is not None else ""
    if score is None:
        if not ctx.scores_required:
            return []
        return [
            issue(
                f"{prefix}-score-missing",
                unit_code=unit_code,
                member_id=member_id,
                rule=rule_ref(rule),
                extra=who,
            )
        ]
    shown = f"{score:g}"
    if math.isnan(score) or not 0 <= score <= 100:
        return [
            issue(
                f"{prefix}-score-outside-scale",
                unit_code=unit_code,
                member_id=member_id,
                value=shown,
                score=number(score),
                extra=who,
            )
        ]
    band = band_for(ctx.bands, score)
    if band is None or voted is None or band.level is voted:
        return []
    if voted < band.level and not ctx.score_both_ways:
        return []  # below the band is normal under the quota and conditions: see below_band_note
    return [
        issue(
            f"{prefix}-score-band-mismatch",
            unit_code=unit_code,
            member_id=member_id,
            value=shown,
            score=number(score),
            severity=rule.severity,
            band_level=band.level.value,
            band=band_text(band),
            voted=voted.value,
            rule=rule_ref(rule),
            extra=who,
        )
    ]


def below_band_note(score: float | None, voted: RatingLevel | None, ctx: Context) -> Bilingual:
    """A sentence for the explanation when the vote is below the self-score's band and that is
    information only (``score-bands.direction = "above"``); empty otherwise."""
    if ctx.bands is None or ctx.score_both_ways or score is None or voted is None:
        return Bilingual("", "")
    if math.isnan(score) or not 0 <= score <= 100:
        return Bilingual("", "")
    band = band_for(ctx.bands, score)
    if band is None or not voted < band.level:
        return Bilingual("", "")
    s, lv = number(score), band.level.value
    return Bilingual(
        f" Điểm tự chấm {s.vi} thuộc khung {lv}, cao hơn mức biểu quyết {voted.value} "
        "(chỉ ghi để biết).",
        f" The self-score {s.en} falls in the {lv} band, above the voted {voted.value} "
        "(for information).",
    )
