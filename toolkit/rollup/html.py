"""``bao-cao.html`` of a roll-up: completeness, the upward summary (Mẫu 15A/15B), the
committees below, the organizations' ceiling per type, the cases settled below, the problems.

Rendered with the project's one Jinja2 environment (strict, escaped) and its page frame; the
context is ``RollupPage``. No clock: the date is the newest package's.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from toolkit import __version__
from toolkit.model import Issue
from toolkit.outputs.report_html import DATA_AS_OF, make_environment
from toolkit.rollup.combine import STATUS_LABELS, CommitteeLine, RollupResult, TypeCeiling
from toolkit.rollup.summary import SummaryTable, unrated_rows, upward_summary
from toolkit.rollup.xlsx import subtitle, title

TEMPLATE = "cap-tren.html.j2"
#: cases shown in the report (all of them are in ket-qua.json)
CASES_SHOWN = 200
_STATUS_TONES = {"decided": "ok", "proposed": "warning", "missing": "missing", "refused": "error"}


@dataclass(frozen=True)
class PageFooter:
    """What the page frame prints at the bottom (named ``digest`` as in ``aggregate``'s pages)."""

    toolkit_version: str
    generated_on: _dt.date
    ruleset_code: str
    ruleset_name: str
    overrides_file: str | None
    overrides: tuple[str, ...]
    #: the local readings (``aggregate``'s footer lists them; a roll-up's are its packages')
    switches: tuple[str, ...] = ()


@dataclass(frozen=True)
class RollupPage:
    """The context of ``cap-tren.html.j2``."""

    title: str
    subtitle: str
    digest: PageFooter
    result: RollupResult
    tables: tuple[SummaryTable, ...]
    #: members "Chưa xếp loại" by reason
    unrated: tuple[tuple[str, int], ...]
    committees: tuple[CommitteeLine, ...]
    status_labels: dict[str, str]
    status_tones: dict[str, str]
    ceilings: tuple[TypeCeiling, ...]
    ratio_percent: str
    cases: tuple[dict[str, Any], ...]
    cases_total: int
    issues: tuple[Issue, ...]


def rollup_page(result: RollupResult) -> RollupPage:
    cases = sorted(
        (c for p in result.packages for c in p.content.cases),
        key=lambda x: (x["path"], x["cell_code"], x["member_id"]),
    )
    rs = result.ruleset
    return RollupPage(
        title=title(result),
        subtitle=subtitle(result, DATA_AS_OF),
        digest=PageFooter(
            __version__,
            result.generated_on,
            rs.code,
            rs.name,
            rs.overrides_file,
            tuple(rs.overrides),
        ),
        result=result,
        tables=upward_summary(result),
        unrated=unrated_rows(result),
        committees=result.committees,
        status_labels=dict(STATUS_LABELS),
        status_tones=dict(_STATUS_TONES),
        ceilings=result.ceilings,
        ratio_percent=f"{float(rs.quota.ratio) * 100:g}%",
        cases=tuple(cases[:CASES_SHOWN]),
        cases_total=len(cases),
        issues=result.issues,
    )


def render_rollup_report(result: RollupResult, templates: Path | str | None = None) -> str:
    return make_environment(templates).get_template(TEMPLATE).render(page=rollup_page(result))


def write_rollup_report(result: RollupResult, target: Path) -> None:
    target.write_text(render_rollup_report(result), encoding="utf-8", newline="\n")
