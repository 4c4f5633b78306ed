"""The few lines a staff member reads after ``aggregate``: what was done, what is wrong, where."""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING

from toolkit import catalogue
from toolkit.model import LEVELS
from toolkit.visible import visible_lines

if TYPE_CHECKING:
    from toolkit.aggregate import AggregateRun


def run_summary(run: AggregateRun, lang: str = "vi", *, next_step: bool = True) -> str:
    """A short plain-text account of an aggregate run, in Vietnamese (or English), ending with
    the next step (``mail``) unless ``next_step`` is False (the demo says its own)."""
    en = lang == "en"
    r = run.result
    counts = r.counts
    members = sum(len(c.members) for c in r.cells)
    lines = [
        (
            f"Aggregated {len(r.cells)} cells, {members} members, rating year {r.year} ({r.ruleset_code})."
            if en
            else f"Đã tổng hợp {len(r.cells)} chi bộ, {members} đảng viên, năm {r.year} "
            f"({_readable(r.ruleset_code)})."
        ),
        ("Rated: " if en else "Được xếp loại: ")
        + f"{counts.rated}; "
        + ", ".join(f"{lv.value} {counts.count(lv)}" for lv in LEVELS),
    ]
    over = [q for q in r.quotas if q.deciding and q.over]
    if over:
        names = ", ".join(f"{q.scope_name} (+{q.over})" for q in over)
        lines.append(("Over the HTXSNV quota: " if en else "Vượt tỷ lệ HTXSNV: ") + names)
    if r.rejected:
        names = ", ".join(f"{u.code} {u.name}" for u in r.rejected)
        lines.append(
            (
                "Cells whose files have errors, not aggregated: "
                if en
                else "Chi bộ có tệp lỗi, chưa tổng hợp: "
            )
            + names
        )
    if r.missing:
        names = ", ".join(f"{u.code} {u.name}" for u in r.missing)
        lines.append(("Cells that sent nothing: " if en else "Chi bộ chưa gửi hồ sơ: ") + names)
    errors, warnings = run.errors, run.warnings
    lines.append(
        f"{len(errors)} errors, {len(warnings)} warnings."
        if en
        else f"{len(errors)} lỗi, {len(warnings)} cảnh báo."
    )
    by_code = Counter(i.code for i in (*errors, *warnings))
    for code, n in sorted(by_code.items(), key=lambda kv: (-kv[1], kv[0]))[:10]:
        kind = catalogue.get(code)
        lines.append(f"  {code}: {n} — {kind.title_en if en else kind.title}")
    if len(by_code) > 10:
        more = len(by_code) - 10
        lines.append(
            f"  … and {more} more kinds: see the sheet «Danh sách vấn đề» of tong-hop.xlsx or "
            "the list of problems in bao-cao.html"
            if en
            else f"  … và {more} loại vấn đề khác: xem trang tính «Danh sách vấn đề» của "
            "tong-hop.xlsx hoặc mục «Danh sách vấn đề» của bao-cao.html"
        )
    lines.append(("Outputs in: " if en else "Kết quả ghi tại: ") + str(run.out_dir))
    for path in run.outputs:
        if path.parent == run.out_dir:
            lines.append(f"  {path}")
    if next_step:
        lines.append(
            "Next: mail the results to the leaders and to each cell's secretary: "
            f"xeploai mail {run.out_dir} --config mail.toml (add --dry-run FOLDER to see the "
            "messages first)"
            if en
            else "Bước tiếp theo: gửi kết quả cho lãnh đạo và bí thư từng chi bộ: "
            f"xeploai mail {run.out_dir} --config mail.toml (thêm --dry-run THƯ-MỤC để xem trước "
            "các thư)"
        )
    return visible_lines(lines)  # a cell's name or a path may hold a control character


def _readable(code: str) -> str:
    """A rule-set code as people write it: ``QD366`` → ``QĐ 366``."""
    return re.sub(r"^QD(\d+)$", r"QĐ \1", code)
