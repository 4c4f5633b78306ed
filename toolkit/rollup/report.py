"""The few lines a staff member reads after ``rollup``: who reported, the totals, what is wrong."""

from __future__ import annotations

from collections import Counter

from toolkit import catalogue
from toolkit.model import LEVELS
from toolkit.rollup.combine import DECIDED, MISSING, PROPOSED, REFUSED
from toolkit.rollup.run import RollupRun


def rollup_summary(run: RollupRun, lang: str = "vi") -> str:
    """A short plain-text account of a roll-up, in Vietnamese (or English)."""
    en = lang == "en"
    r = run.result
    reported = r.count(DECIDED) + r.count(PROPOSED)
    c = r.counts
    lines = [
        (
            f"Combined {reported} of {len(r.committees)} organizations for {r.committee.name}, "
            f"rating year {r.year} ({r.ruleset.code}): {r.count(DECIDED)} decided, "
            f"{r.count(PROPOSED)} proposed only, {r.count(MISSING)} missing, "
            f"{r.count(REFUSED)} refused."
            if en
            else f"Đã tổng hợp {reported}/{len(r.committees)} tổ chức của {r.committee.name}, "
            f"năm {r.year} ({r.ruleset.code}): {r.count(DECIDED)} đã quyết định, "
            f"{r.count(PROPOSED)} mới đề xuất, {r.count(MISSING)} chưa gửi, "
            f"{r.count(REFUSED)} bị từ chối."
        ),
        ("Members: " if en else "Đảng viên: ")
        + f"{c.roster}; "
        + ", ".join(f"{lv.value} {n}" for lv, n in zip(LEVELS, c.levels, strict=True))
        + (f"; not rated or open {c.unrated}" if en else f"; chưa xếp loại {c.unrated}"),
        f"{len(r.errors)} errors, {len(r.warnings)} warnings."
        if en
        else f"{len(r.errors)} lỗi, {len(r.warnings)} cảnh báo.",
    ]
    refused = [i for i in r.errors if i.location.file]
    for issue in refused[:10]:
        lines.append(f"  {issue.code}: {issue.text(lang)}")
    if len(refused) > 10:
        lines.append(f"  … (+{len(refused) - 10})")
    by_code = Counter(i.code for i in r.warnings)
    for code, n in sorted(by_code.items(), key=lambda kv: (-kv[1], kv[0])):
        kind = catalogue.get(code)
        lines.append(f"  {code}: {n} — {kind.title_en if en else kind.title}")
    lines.append(("Outputs in: " if en else "Kết quả ghi tại: ") + str(run.out_dir))
    lines.extend(f"  {p}" for p in run.outputs)
    return "\n".join(lines) + "\n"
