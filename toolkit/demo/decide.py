"""The demo's competent level: it fills the decisions workbook as a committee would.

It settles every tie and every "no level carried" (the level with the most votes), takes the
ranking where a deciding scope proposed more HTXSNV than its ceiling (those outside it are
decided HTTNV), and rates HTTNV a cell that proposed HTXSNV without the conditions; every other
row keeps its proposal. ``aggregate --decisions`` then applies it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from toolkit.engine.decisions import ORGANIZATIONS_OVER, OVER_CEILING, cases
from toolkit.model import LEVELS, RatingLevel
from toolkit.results import DistrictResult
from toolkit.rulebook import RuleSet
from toolkit.workbooks.fill import fill_decisions

SIGNER = "Nguyễn Văn Minh, Bí thư Đảng ủy"


def decide_as_committee(
    result: DistrictResult, rules: RuleSet, template: Path, target: Path
) -> int:
    """Fill ``template`` (the run's quyet-dinh.xlsx) into ``target``; the number of cases
    settled."""
    members: dict[str, tuple[RatingLevel | None, str]] = {}
    organizations: dict[str, tuple[RatingLevel | None, str]] = {}
    tallies = {m.member.member_id: m.tally for c in result.cells for m in c.members if m.tally}
    for case in cases(result, rules.quota):
        if case.member_id and case.label == OVER_CEILING:
            members[case.member_id] = (
                RatingLevel.HTTNV,
                "Ngoài số HTXSNV được phép theo thứ tự xếp hạng tỷ lệ phiếu.",
            )
        elif case.member_id and case.member_id in tallies:
            votes = tallies[case.member_id].votes
            best = LEVELS[max(range(4), key=lambda i: (votes[i], -i))]
            members[case.member_id] = (
                best,
                "Ban Thường vụ xem xét kết quả biểu quyết, quyết định mức có nhiều phiếu nhất.",
            )
        elif case.label == ORGANIZATIONS_OVER:
            organizations[case.unit_code] = (
                RatingLevel.HTTNV,
                "Ngoài số tổ chức HTXSNV được phép trong nhóm, theo thứ tự tỷ lệ phiếu.",
            )
        elif not case.member_id:
            organizations[case.unit_code] = (
                RatingLevel.HTTNV,
                "Chưa đủ điều kiện xếp loại HTXSNV; Ban Thường vụ quyết định HTTNV.",
            )
    day = dt.date(result.year, 12, 28)
    fill_decisions(
        template,
        target,
        number=f"{result.year % 100:02d}-QĐ/ĐU",
        decided_on=day,
        signer=SIGNER,
        members=members,
        organizations=organizations,
        saved_at=dt.datetime(result.year, 12, 28, 9, 0),
    )
    return len(members) + len(organizations)
