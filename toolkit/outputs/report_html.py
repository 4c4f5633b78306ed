"""``bao-cao.html`` (Jinja2): one self-contained page a committee leader opens from an e-mail.

``make_environment`` is the one Jinja2 environment factory: autoescape on, ``StrictUndefined``
(a missing field is an error, never an empty string), a user's template folder searched before
the packaged ``reports/``. Each page has a documented context dataclass (``ReportPage``,
``PartPage``); templates read ``page.<field>``. No clock is read here: the date comes in the
digest. A city (more than ``SPLIT_ABOVE_CELLS`` cells) gets its member detail split into one
page per tổ chức cơ sở đảng under ``bao-cao/``, linked from the main page.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import jinja2

from toolkit.model import LEVELS, NotRatedReason
from toolkit.outputs.charts import BarChart, Segment, level_bars, stacked
from toolkit.outputs.numbers import format_date, format_int, format_percent, format_score
from toolkit.outputs.paths import REPORT, REPORT_SUMMARY, report_part_file, unique_stems
from toolkit.outputs.view import (
    LEVEL_CODES,
    STATUS_LABELS,
    STATUS_TONES,
    CellLine,
    Digest,
    IssueLine,
    MemberLine,
    QuotaLine,
)
from toolkit.resources import reports_dir
from toolkit.visible import visible

#: above this many cells the member detail moves to one page per tổ chức cơ sở đảng
SPLIT_ABOVE_CELLS = 300
#: problems shown for each rejected cell near the top of the report (all are in the issues list)
REJECTED_SHOWN = 5
MAIN_TEMPLATE = "bao-cao.html.j2"
#: what the date of a report's numbers is: the latest meeting among the cells counted (of a
#: roll-up: among its packages')
DATA_AS_OF = "Số liệu tính đến ngày họp chi bộ muộn nhất:"
PART_TEMPLATE = "bao-cao-to-chuc.html.j2"


def make_environment(user_dir: Path | str | None = None) -> jinja2.Environment:
    """The Jinja2 environment of every xeploai page: strict, escaped, user templates first."""
    search = [str(user_dir)] if user_dir else []
    search.append(str(reports_dir()))
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(search),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    # visible: a name, file name or value from the inputs with its control and direction
    # characters shown as escapes (a newline or an RTL override must not disguise anything);
    # loi and can_cu: a message without its rule's code and clause, and those alone
    env.filters.update(
        so=format_int,
        pct=format_percent,
        ngay=format_date,
        diem=format_score,
        visible=visible,
        loi=plain_message,
        can_cu=rule_refs,
    )
    env.globals.update(
        level_codes=LEVEL_CODES,
        level_names={level.value: level.full_name for level in LEVELS},
        status_labels=STATUS_LABELS,
        status_tones=STATUS_TONES,
    )
    return env


@dataclass(frozen=True)
class Totals:
    """The figures the report opens with (sums over the cells rated)."""

    #: cells rated; cells whose files have errors (sent, not rated); cells that sent nothing
    cells_present: int
    cells_rejected: int
    cells_missing: int
    #: members on the roster: of the cells rated, and of the cells not yet counted
    roster: int
    roster_unrated: int
    rated: int
    undecided: int
    #: in LEVELS order, and their shares over rated members
    levels: tuple[int, ...]
    shares: tuple[float, ...]
    #: (reason label, count) for every reason, zeros included
    not_rated: tuple[tuple[str, int], ...]
    errors: int
    warnings: int


@dataclass(frozen=True)
class RejectedCell:
    """A cell whose files have errors, with the problems a leader reads first."""

    cell: CellLine
    anchor: str
    #: its errors first (at most ``REJECTED_SHOWN``), then how many more problems it has
    shown: tuple[IssueLine, ...]
    more: int


@dataclass(frozen=True)
class CellSection:
    """One cell's collapsible member detail."""

    cell: CellLine
    anchor: str
    members: tuple[MemberLine, ...]
    issues: tuple[IssueLine, ...]


@dataclass(frozen=True)
class PartLink:
    """A link from the main page to one tổ chức cơ sở đảng's detail page."""

    code: str
    name: str
    href: str
    cells: int
    members: int
    errors: int
    warnings: int


@dataclass(frozen=True)
class ReportPage:
    """Context of ``bao-cao.html.j2``."""

    title: str
    subtitle: str
    digest: Digest
    totals: Totals
    level_chart: BarChart
    #: scopes where the quota is decided; cells whose own (advisory) ratio is over
    deciding_quotas: tuple[QuotaLine, ...]
    advisory_over: tuple[QuotaLine, ...]
    #: cells that sent returns with errors or warnings (rejected ones included); cells whose
    #: files have errors, so they were not aggregated; cells that sent nothing usable
    problem_cells: tuple[CellLine, ...]
    missing_cells: tuple[CellLine, ...]
    rejected_cells: tuple[RejectedCell, ...]
    #: cell code → link to its member detail (an anchor here, or a part page)
    cell_links: Mapping[str, str]
    cell_bars: Mapping[str, tuple[Segment, ...]]
    #: the member detail on this page, or (for a city) the links to the part pages
    sections: tuple[CellSection, ...]
    parts: tuple[PartLink, ...]
    #: the summary variant (``bao-cao-tom-tat.html``, sent by e-mail): no member detail
    summary_only: bool = False


@dataclass(frozen=True)
class PartPage:
    """Context of ``bao-cao-to-chuc.html.j2``: one tổ chức cơ sở đảng's member detail."""

    title: str
    subtitle: str
    digest: Digest
    code: str
    name: str
    quotas: tuple[QuotaLine, ...]
    sections: tuple[CellSection, ...]
    back_href: str


def report_pages(
    digest: Digest, *, split: bool | None = None
) -> list[tuple[str, str, ReportPage | PartPage]]:
    """Every page to render as (relative path, template, context), the main page last.

    ``split`` defaults to one page per tổ chức cơ sở đảng above ``SPLIT_ABOVE_CELLS`` cells.
    """
    if split is None:
        split = len(digest.cells) > SPLIT_ABOVE_CELLS
    anchors = {
        code: f"cb-{stem}" for code, stem in unique_stems(c.code for c in digest.cells).items()
    }
    sections = {
        c.code: CellSection(
            c,
            anchors[c.code],
            digest.members.get(c.code, ()),
            digest.issues_by_unit.get(c.code, ()),
        )
        for c in digest.present_cells
    }
    title = f"Báo cáo kết quả đánh giá, xếp loại chất lượng đảng viên năm {digest.year}"
    subtitle = " · ".join(
        p
        for p in (
            digest.parent_name,
            digest.ruleset_name,
            f"{DATA_AS_OF} {format_date(digest.generated_on)}",
        )
        if p
    )
    pages: list[tuple[str, str, ReportPage | PartPage]] = []
    parts: list[PartLink] = []
    # a part page needs the run's facts, not every row: it travels light to a worker process
    meta = dataclasses.replace(
        digest,
        cells=(),
        members={},
        quotas=(),
        candidates=(),
        cell_ratings=(),
        issues=(),
        issues_by_unit={},
        inputs=(),
        grassroots_names={},
    )
    links = {code: f"#{s.anchor}" for code, s in sections.items()}
    rejected = tuple(
        _rejected_cell(c, anchors[c.code], digest.issues_by_unit.get(c.code, ()))
        for c in digest.rejected_cells
    )
    # a rejected cell has no member detail: its link goes to its entry near the top
    links.update({r.cell.code: f"#{r.anchor}" for r in rejected})
    if split:
        groups: dict[str, list[CellSection]] = {}
        for section in sections.values():
            groups.setdefault(section.cell.grassroots_code, []).append(section)
        stems = unique_stems(groups)
        for code, group in sorted(groups.items()):
            href = report_part_file(stems[code])
            name = digest.grassroots_names.get(code, "") or code
            part = PartPage(
                title=f"{title} — {name}",
                subtitle=subtitle,
                digest=meta,
                code=code,
                name=name,
                quotas=tuple(q for q in digest.quotas if q.scope_code == code and q.deciding),
                sections=tuple(group),
                back_href=f"../{REPORT}",
            )
            pages.append((href, PART_TEMPLATE, part))
            for section in group:
                links[section.cell.code] = f"{href}#{section.anchor}"
            parts.append(
                PartLink(
                    code=code,
                    name=name,
                    href=href,
                    cells=len(group),
                    members=sum(len(s.members) for s in group),
                    errors=sum(s.cell.errors for s in group),
                    warnings=sum(s.cell.warnings for s in group),
                )
            )
    totals = _totals(digest)
    page = ReportPage(
        title=title,
        subtitle=subtitle,
        digest=digest,
        totals=totals,
        level_chart=level_bars(totals.levels, totals.rated),
        deciding_quotas=tuple(q for q in digest.quotas if q.deciding),
        advisory_over=tuple(q for q in digest.quotas if not q.deciding and q.over),
        problem_cells=tuple(
            c for c in digest.cells if c.status in ("rejected", "errors", "warnings")
        ),
        missing_cells=digest.missing_cells,
        rejected_cells=rejected,
        cell_links=links,
        cell_bars={c.code: stacked(c.levels) for c in digest.present_cells},
        sections=() if split else tuple(sections[c.code] for c in digest.present_cells),
        parts=tuple(parts),
    )
    pages.append((REPORT, MAIN_TEMPLATE, page))
    return pages


def summary_page(page: ReportPage) -> tuple[str, str, ReportPage]:
    """The main page without member detail (``bao-cao-tom-tat.html``): small enough to go by
    e-mail for a city, where the full report is tens of megabytes."""
    return (
        REPORT_SUMMARY,
        MAIN_TEMPLATE,
        dataclasses.replace(
            page,
            sections=(),
            parts=(),
            summary_only=True,
            # only the rejected cells' entries are on this page; member detail is not
            cell_links={r.cell.code: f"#{r.anchor}" for r in page.rejected_cells},
        ),
    )


def render_report(
    digest: Digest,
    *,
    templates: Path | str | None = None,
    split: bool | None = None,
    summary: bool = False,
) -> dict[str, str]:
    """Relative path → HTML text: ``bao-cao.html`` and, when split, ``bao-cao/<code>.html``;
    with ``summary``, ``bao-cao-tom-tat.html`` too."""
    env = make_environment(templates)
    pages: list[tuple[str, str, ReportPage | PartPage]] = []
    pages += report_pages(digest, split=split)
    if summary:
        main = pages[-1][2]
        assert isinstance(main, ReportPage)
        pages.append(summary_page(main))
    return dict(sorted((path, env.get_template(t).render(page=p)) for path, t, p in pages))


def write_pages(
    pages: Sequence[tuple[str, str, ReportPage | PartPage]],
    out_dir: Path,
    templates: Path | str | None = None,
) -> list[Path]:
    """Render pages straight to their files (a city's pages are never all in memory)."""
    env = _environment(None if templates is None else str(templates))
    written = []
    for relative, template, page in pages:
        path = out_dir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8", newline="\n") as stream:
            for chunk in env.get_template(template).generate(page=page):
                stream.write(chunk)
        written.append(path)
    return written


@functools.lru_cache(maxsize=4)
def _environment(templates: str | None) -> jinja2.Environment:
    # one per process and template folder: templates compile once, not once per page
    return make_environment(templates)


#: how an issue's message names the rule behind it: «(quy tắc vote-majority, QĐ 366…)»
_RULE_REF = "(quy tắc "


@functools.lru_cache(maxsize=4096)
def _split_refs(message: str) -> tuple[str, str]:
    plain, refs = message, []
    while (start := plain.find(_RULE_REF)) >= 0:
        depth, end = 0, len(plain)
        for index in range(start, len(plain)):  # the clause may hold brackets of its own
            depth += {"(": 1, ")": -1}.get(plain[index], 0)
            if depth == 0:
                end = index + 1
                break
        refs.append(plain[start + 1 : end - 1])
        plain = plain[:start].rstrip() + plain[end:]
    return plain, "; ".join(refs)


def plain_message(message: str) -> str:
    """A message as a leader reads it: the rule's code and clause left out (``loi`` filter).

    Codes stay for staff: in the tooltip (``can_cu``), the issues sheet and the JSON.
    """
    return _split_refs(message)[0]


def rule_refs(message: str) -> str:
    """The rule references a message carries (``can_cu`` filter): «quy tắc vote-tie, …»."""
    return _split_refs(message)[1]


def _rejected_cell(cell: CellLine, anchor: str, issues: Sequence[IssueLine]) -> RejectedCell:
    errors_first = sorted(issues, key=lambda i: i.severity != "error")  # stable: sheet order kept
    shown = tuple(errors_first[:REJECTED_SHOWN])
    return RejectedCell(cell, anchor, shown, len(issues) - len(shown))


def _totals(digest: Digest) -> Totals:
    present = digest.present_cells
    rated = sum(c.rated or 0 for c in present)
    levels = tuple(sum((c.levels or (0,) * 4)[i] for c in present) for i in range(len(LEVELS)))
    not_rated = tuple(
        (reason.label, sum((c.not_rated or (0,) * len(NotRatedReason))[i] for c in present))
        for i, reason in enumerate(NotRatedReason)
    )
    errors = sum(1 for i in digest.issues if i.severity == "error")
    return Totals(
        cells_present=len(present),
        cells_rejected=len(digest.rejected_cells),
        cells_missing=len(digest.missing_cells),
        roster=sum(c.roster or 0 for c in present),
        roster_unrated=sum(digest.unrated_roster.values()),
        rated=rated,
        undecided=sum(c.undecided or 0 for c in present),
        levels=levels,
        shares=tuple(n / rated if rated else 0.0 for n in levels),
        not_rated=not_rated,
        errors=errors,
        warnings=len(digest.issues) - errors,
    )
