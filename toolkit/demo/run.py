"""Build the demo district and run ``aggregate`` on it: what ``xeploai demo`` does."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from toolkit.aggregate import AggregateRun, Progress, aggregate
from toolkit.demo import names
from toolkit.demo.build import MISTAKES, DemoLayout, build_demo
from toolkit.demo.decide import decide_as_committee
from toolkit.demo.district import EDGE_CASES
from toolkit.model import OrgKind, OrgTree, OrgUnit, Roster
from toolkit.outputs.paths import DECISIONS
from toolkit.rollup.run import RollupRun, rollup
from toolkit.run_summary import run_summary
from toolkit.workbooks.generate import write_roster

#: the decisions workbook as the demo's committee filled it, beside the outputs (an input)
DECISIONS_FILLED = "quyet-dinh-da-dien.xlsx"


@dataclass(frozen=True)
class DemoRun:
    layout: DemoLayout
    run: AggregateRun
    decisions: Path
    settled: int
    #: the two committees' results rolled up into ``cap-tren/`` (None: not asked for)
    rollup: RollupRun | None = None

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
            run_summary(self.run, lang, next_step=False).rstrip("\n"),
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
        if self.rollup is not None:
            up = self.rollup
            lines += [
                "",
                (
                    f"Rolled up with a second committee ({SECOND_DIR}/) for "
                    f"{up.result.committee.name}: "
                    if en
                    else f"Tổng hợp lên cấp trên cùng một cấp ủy thứ hai ({SECOND_DIR}/) cho "
                    f"{up.result.committee.name}: "
                )
                + str(up.out_dir / "bao-cao.html"),
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
    upper = _roll_up(root, layout, year=year, cells=cells, seed=seed)
    return DemoRun(layout, run, decided, settled, upper)


#: where the demo puts its second committee, and the level above both
SECOND_DIR = "cap-duoi-2"
UPPER_DIR = "cap-tren"
UPPER_ROSTER = "danh-sach-cap-tren.xlsx"


def _roll_up(root: Path, first: DemoLayout, *, year: int, cells: int, seed: int) -> RollupRun:
    """A second, smaller committee aggregated like the first, then both rolled up into
    ``root/cap-tren/`` with a roster of the level above (organizations only)."""
    second_parent, upper = _upper_units(year)
    second = build_demo(
        root / SECOND_DIR, year=year, cells=max(2, cells // 3), seed=seed + 1, parent=second_parent
    )
    aggregate(second.inbox, second.roster, second.out_dir, year=year)
    units = {upper.code: upper}
    # «Loại hình» in words, as in the committees' own rosters
    org_type = names.DISTRICT_TYPE if year <= 2024 else names.WARD_TYPE
    for parent in (first.district.parent, second_parent):
        units[parent.code] = replace(parent, parent_code=upper.code, org_type=org_type)
    write_roster(Roster(OrgTree(units), ()), root / UPPER_ROSTER)
    return rollup([first.out_dir, second.out_dir], root / UPPER_ROSTER, root / UPPER_DIR, year=year)


def _upper_units(year: int) -> tuple[OrgUnit, OrgUnit]:
    """The second committee beside the demo's (a ward from 2025, a district before) and the
    city committee above both."""
    city = OrgUnit("TU-DN", "Thành ủy Đà Nẵng", OrgKind.PARENT)
    if year <= 2024:
        return OrgUnit("QU-TK", "Quận ủy Thanh Khê", OrgKind.PARENT), city
    return OrgUnit("DU-HM", "Đảng ủy phường Hòa Minh", OrgKind.PARENT), city
