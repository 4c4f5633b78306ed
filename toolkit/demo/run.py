"""Build the demo district and run ``aggregate`` on it: what ``xeploai demo`` does."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from toolkit.aggregate import AggregateRun, Progress, aggregate
from toolkit.demo.build import MISTAKES, DemoLayout, build_demo
from toolkit.demo.decide import decide_as_committee
from toolkit.demo.district import EDGE_CASES
from toolkit.outputs.paths import DECISIONS
from toolkit.run_summary import run_summary

#: the decisions workbook as the demo's committee filled it, beside the outputs (an input)
DECISIONS_FILLED = "quyet-dinh-da-dien.xlsx"


@dataclass(frozen=True)
class DemoRun:
    layout: DemoLayout
    run: AggregateRun
    decisions: Path
    settled: int

    def describe(self, lang: str = "vi") -> str:
        """What was built, what the run found, and where everything is."""
        lay, d = self.layout, self.layout.district
        en = lang == "en"
        at = 1 if en else 0
        edge = "; ".join(f"{c} {EDGE_CASES[k][at]}" for c, k in sorted(d.edge_cases.items()))
        mistakes = "; ".join(f"{c} {MISTAKES[k][at]}" for c, k in sorted(lay.mistakes.items()))
        lines = [
            (
                f"Demo district: {d.parent.name}, rating year {d.year}, "
                f"{len(d.roster.tree.cells())} cells, {len(d.roster.members)} members."
                if en
                else f"Đảng bộ mẫu: {d.parent.name}, năm đánh giá {d.year}, "
                f"{len(d.roster.tree.cells())} chi bộ, {len(d.roster.members)} đảng viên."
            ),
            ("  roster:           " if en else "  danh sách:        ") + str(lay.roster),
            ("  templates:        " if en else "  biểu mẫu:         ") + str(lay.templates),
            ("  returned files:   " if en else "  hồ sơ gửi về:     ") + str(lay.inbox),
            ("  mail config:      " if en else "  cấu hình thư:     ") + str(lay.mail_config),
            ("  edge cases:       " if en else "  tình huống biên:  ") + edge,
            ("  planted mistakes: " if en else "  lỗi cài sẵn:      ") + mistakes,
            ("  never answered:   " if en else "  chưa gửi:         ") + ", ".join(d.silent),
            ("  decisions:        " if en else "  quyết định:       ")
            + f"{self.decisions} ({self.settled} "
            + ("cases settled, applied" if en else "trường hợp đã quyết định, đã áp dụng")
            + ")",
            "",
            run_summary(self.run, lang).rstrip("\n"),
            "",
            ("Open the HTML report: " if en else "Mở báo cáo HTML: ")
            + str(lay.out_dir / "bao-cao.html"),
            (
                "Try the mail (writes .eml files, sends nothing): "
                if en
                else "Thử gửi thư (chỉ ghi tệp .eml, không gửi): "
            )
            + f"xeploai mail {lay.out_dir} --config {lay.mail_config} --dry-run {lay.root / 'thu-nhap'}",
        ]
        return "\n".join(lines) + "\n"


def run_demo(
    root: Path,
    *,
    year: int,
    cells: int = 30,
    seed: int = 2023,
    workers: int = 1,
    progress: Progress | None = None,
) -> DemoRun:
    """Build a demo district under ``root`` and aggregate its returns into ``root/ket-qua``."""
    layout = build_demo(root, year=year, cells=cells, seed=seed, workers=workers)
    run = aggregate(
        layout.inbox, layout.roster, layout.out_dir, year=year, workers=workers, progress=progress
    )
    # the competent level decides (QĐ 366 Điều 12); the results are written again with it
    decided = layout.root / DECISIONS_FILLED
    settled = decide_as_committee(run.result, run.ruleset, layout.out_dir / DECISIONS, decided)
    run = aggregate(
        layout.inbox,
        layout.roster,
        layout.out_dir,
        year=year,
        workers=workers,
        progress=progress,
        decisions_file=decided,
    )
    return DemoRun(layout, run, decided, settled)
