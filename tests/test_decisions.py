"""The competent level decides (QĐ 366 Điều 12): the decisions workbook written, filled as a
committee would, read back with the same defences, and applied where each decision stands."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest
from builders import lien_chieu
from test_engine_builders import rules_with

from toolkit import catalogue
from toolkit.demo.run import run_demo
from toolkit.engine.decisions import apply_decisions, cases
from toolkit.model import Decisions, LevelDecision, Location, RatingLevel, Severity
from toolkit.results import DistrictResult
from toolkit.rulebook import load_ruleset
from toolkit.workbooks.decisionbook import DecisionsContent, write_decisions_workbook
from toolkit.workbooks.fill import fill_decisions
from toolkit.workbooks.read import read_workbook

HTXSNV, HTTNV, HTNV = RatingLevel.HTXSNV, RatingLevel.HTTNV, RatingLevel.HTNV
TIED = ("CB-HKB-01", "CB-HKB-01-010")  # HTXSNV and HTTNV 4 votes each
ABSENT = ("CB-HKB-01", "CB-HKB-01-011")  # not rated: absent from the meeting
PLAIN = ("CB-HKB-01", "CB-HKB-01-005")  # HTTNV, 8 votes of 8


def proposals() -> DistrictResult:
    return lien_chieu().result


def row(
    where: tuple[str, str],
    proposed: str,
    decided: RatingLevel | None,
    reason: str = "",
    line: int = 5,
) -> LevelDecision:
    return LevelDecision(
        where[0], where[1], proposed, decided, reason, Location("qd.xlsx", "Đảng viên", f"H{line}")
    )


def decide(*members: LevelDecision, organizations: tuple[LevelDecision, ...] = ()) -> Decisions:
    return Decisions(
        "QU-LC", 2023, "12-QĐ/QU", dt.date(2023, 12, 28), "Nguyễn Văn A", members, organizations
    )


def apply(decisions: Decisions) -> DistrictResult:
    case = lien_chieu()
    return apply_decisions(case.result, decisions, case.ruleset)


def member(result: DistrictResult, where: tuple[str, str]):  # type: ignore[no-untyped-def]
    cell = next(c for c in result.cells if c.cell.code == where[0])
    return next(m for m in cell.members if m.member.member_id == where[1])


def codes(result: DistrictResult) -> list[str]:
    """The decisions' issues but the ward's ceiling (its proposals are over it already)."""
    return [
        i.code
        for i in result.issues
        if i.code.startswith("decision-")
        and (i.code, i.unit_code) != ("decision-over-ceiling", "DB-HKB")
    ]


def test_the_tie_is_a_case_for_the_competent_level() -> None:
    case = lien_chieu()
    found = cases(case.result, case.ruleset.quota)
    tie = next(c for c in found if c.member_id == TIED[1])
    assert tie.label == "Hòa phiếu"
    assert "4" in tie.details


def test_a_tie_settled_with_its_reason_is_decided_and_cited() -> None:
    before = member(proposals(), TIED)
    assert before.decided_level is None
    result = apply(decide(row(TIED, "", HTTNV, "Ban Thường vụ xem xét, quyết định")))
    after = member(result, TIED)
    assert after.decided_level is HTTNV
    assert after.proposed_level is None  # the proposal stays as the cell left it
    assert "12-QĐ/QU ngày 28/12/2023" in after.explanation
    assert after.decision == "Quyết định số 12-QĐ/QU ngày 28/12/2023"
    cell = next(c for c in result.cells if c.cell.code == TIED[0])
    before_cell = next(c for c in proposals().cells if c.cell.code == TIED[0])
    assert cell.counts.undecided == before_cell.counts.undecided - 1
    assert cell.counts.count(HTTNV) == before_cell.counts.count(HTTNV) + 1
    assert result.counts.undecided == proposals().counts.undecided - 1
    assert codes(result) == []
    # the tie stays on record, settled
    (tie,) = [i for i in after.issues if i.code == "vote-tie"]
    assert tie.message.endswith(
        "Đã được cấp có thẩm quyền quyết định: HTTNV (Quyết định số 12-QĐ/QU ngày 28/12/2023)."
    )


def test_an_open_case_says_nothing_of_a_decision() -> None:
    result = apply(decide(row(TIED, "", None)))
    (tie,) = [i for i in member(result, TIED).issues if i.code == "vote-tie"]
    assert "quyết định:" not in tie.message


@pytest.mark.parametrize(
    "code",
    ["vote-tie", "discipline-remedied-for-decision", "meeting-conclusion-unsupported",
     "cell-htxsnv-conditions-not-met", "capped-by-head-rule"],
)  # fmt: skip
def test_every_case_the_rules_leave_to_the_competent_level_is_listed(code: str) -> None:
    case = lien_chieu()
    cell = case.result.cells[0]
    flagged = replace(cell, issues=(*cell.issues, replace(cell.issues[0], code=code)))
    result = replace(case.result, cells=(flagged, *case.result.cells[1:]))
    label = catalogue.get(code).case
    assert label

    def listed(result: DistrictResult) -> list[str]:
        return [c.label for c in cases(result, case.ruleset.quota) if c.unit_code == cell.cell.code]

    assert label not in listed(case.result)
    assert label in listed(result)


@pytest.mark.parametrize(
    ("decision", "code"),
    [
        (row(TIED, "", HTTNV, ""), "decision-reason-missing"),  # settles a case: a reason
        (row(PLAIN, "HTTNV", HTNV, ""), "decision-reason-missing"),  # differs: a reason
        (row(PLAIN, "HTXSNV", HTNV, "lý do"), "decision-proposal-changed"),  # made for another
        (row(ABSENT, "", HTTNV, "lý do"), "decision-for-not-rated"),
        (row(("CB-HKB-01", "KHONG-CO"), "HTTNV", HTTNV, "lý do"), "decision-unknown-row"),
    ],
)
def test_a_decision_that_cannot_stand_is_an_issue_on_its_row_and_not_applied(
    decision: LevelDecision, code: str
) -> None:
    result = apply(decide(decision))
    found = [i for i in result.issues if i.code == code]
    assert len(found) == 1
    assert found[0].location == decision.location
    if (decision.unit_code, decision.member_id) in (TIED, PLAIN, ABSENT):
        kept = member(proposals(), (decision.unit_code, decision.member_id))
        assert member(result, (decision.unit_code, decision.member_id)) == kept


def test_keeping_the_proposal_needs_no_reason() -> None:
    result = apply(decide(row(PLAIN, "HTTNV", HTTNV)))
    assert member(result, PLAIN).decided_level is HTTNV
    assert member(result, PLAIN).decision
    assert codes(result) == []


def test_a_blank_decision_leaves_the_case_open() -> None:
    result = apply(decide(row(TIED, "", None)))
    assert member(result, TIED).decided_level is None
    assert codes(result) == []


def ward_htxsnv() -> list[tuple[str, str]]:
    return [
        (m.member.cell_code, m.member.member_id)
        for c in proposals().cells
        if c.cell.code.startswith("CB-HKB")
        for m in c.members
        if m.decided_level is HTXSNV
    ]


def test_a_decided_set_left_over_the_ceiling_is_an_error() -> None:
    ward = next(q for q in proposals().quotas if q.scope_code == "DB-HKB")
    assert ward.over  # the ward's cells proposed more HTXSNV than its ceiling
    result = apply(decide(row(PLAIN, "HTTNV", HTTNV)))
    over = [i for i in result.issues if i.code == "decision-over-ceiling"]
    assert [(i.unit_code, i.severity) for i in over] == [("DB-HKB", Severity.ERROR)]
    assert f"quyết định {ward.n_htxsnv} HTXSNV" in over[0].message


def test_deciding_the_excess_httnv_clears_the_ceiling() -> None:
    ward = next(q for q in proposals().quotas if q.scope_code == "DB-HKB")
    lowered = [row(w, "HTXSNV", HTTNV, "ngoài trần") for w in ward_htxsnv()[ward.ceiling :]]
    result = apply(decide(*lowered))
    assert [i for i in result.issues if i.code == "decision-over-ceiling"] == []
    assert all(member(result, (d.unit_code, d.member_id)).decided_level is HTTNV for d in lowered)


GRANT_WARD = '[rules.quota]\nexception_scopes = [{ scope = "DB-HKB", decision = "QĐ 15" }]\n'


@pytest.mark.parametrize(("override", "errors"), [("", ["DB-HKB"]), (GRANT_WARD, [])])
def test_the_ward_granted_25_percent_keeps_three_htxsnv_of_twelve_httnv(
    override: str, errors: list[str]
) -> None:
    # 4 HTXSNV and 11 HTTNV proposed; one decided HTTNV: 3 of 12, over 20 % (2), within 25 % (3)
    rules = rules_with(2026, override) if override else load_ruleset(2026)
    lowered = row(ward_htxsnv()[-1], "HTXSNV", HTTNV, "ngoài trần")
    result = apply_decisions(proposals(), decide(lowered), rules)
    over = [i.unit_code for i in result.issues if i.code == "decision-over-ceiling"]
    assert over == errors


def ward_at(
    n_htxsnv: int, n_httnv: int, exception: str = "", scope: str = "DB-HKB"
) -> DistrictResult:
    """The proposals with a deciding scope (the ward's) at these counts (its ceiling at 20 %)."""
    result = proposals()
    quotas = tuple(
        replace(q, n_htxsnv=n_htxsnv, n_httnv=n_httnv, ceiling=n_httnv // 5, exception=exception)
        if q.scope_code == scope
        else q
        for q in result.quotas
    )
    return replace(result, quotas=quotas)


@pytest.mark.parametrize(
    ("year", "ward", "listed"),
    [
        (2026, ward_at(3, 12), True),  # 20 % × 12 → 2; 25 % × 12 → 3: the exception would do
        (2026, ward_at(4, 12), False),  # 25 % × 12 → 3: over even with it
        (2026, ward_at(3, 12, exception="QĐ 15"), False),  # granted already
        (2023, ward_at(3, 12), False),  # QĐ 124 knows no exception
    ],
)
def test_a_scope_the_25_percent_exception_would_bring_within_is_a_case(
    year: int, ward: DistrictResult, listed: bool
) -> None:
    rules = load_ruleset(year)
    found = [c for c in cases(ward, rules.quota) if c.label == "Có thể cho phép tỷ lệ 25 %"]
    assert [c.unit_code for c in found] == (["DB-HKB"] if listed else [])
    if listed:
        assert "vượt trần 20% (2), trong trần 25% (3)" in found[0].details
        assert "quota.exception_scopes" in found[0].details


def test_the_exception_case_asks_no_reason_of_the_organizations_row() -> None:
    # the school is a chi bộ cơ sở, its own scope: the case names it as a row would
    rules = load_ruleset(2026)
    school = ward_at(3, 12, scope="CB-THPT")
    assert [c.unit_code for c in cases(school, rules.quota) if "25 %" in c.label] == ["CB-THPT"]
    cell = next(c for c in proposals().cells if c.cell.code == "CB-THPT")
    assert cell.proposed_level is not None
    kept = replace(
        row(("CB-THPT", ""), cell.proposed_level.value, cell.proposed_level), member_id=""
    )
    result = apply_decisions(school, decide(organizations=(kept,)), rules)
    assert "decision-reason-missing" not in codes(result)


def organizations(*levels: RatingLevel) -> DistrictResult:
    """The ward's first cell copied once per level: organizations of one type under DB-HKB."""
    cell = next(c for c in proposals().cells if c.cell.code == "CB-HKB-01")
    cells = tuple(
        replace(
            cell, cell=replace(cell.cell, code=f"CB-HKB-{i:02d}"), members=(), proposed_level=level
        )
        for i, level in enumerate(levels, start=1)
    )
    return replace(proposals(), cells=cells)


@pytest.mark.parametrize(("override", "over"), [("", ["CB-HKB-01"]), (GRANT_WARD, [])])
def test_organizations_are_held_to_their_group_ceiling_with_the_exception(
    override: str, over: list[str]
) -> None:
    # one HTXSNV among four HTTNV organizations: 20 % × 4 = 0,8 → 0; 25 % × 4 = 1
    rules = rules_with(2026, override) if override else load_ruleset(2026)
    result = organizations(HTXSNV, HTTNV, HTTNV, HTTNV, HTTNV)
    found = [c for c in cases(result, rules.quota) if c.label == "Tổ chức đảng vượt trần HTXSNV"]
    assert [c.unit_code for c in found] == over
    if over:
        assert found[0].details.startswith("Nhóm tổ chức đảng «Phường» thuộc DB-HKB")
    decided = apply_decisions(result, decide(), rules)
    errors = [i for i in decided.issues if i.code == "decision-over-ceiling"]
    assert [(i.unit_code, "«Phường»" in i.message) for i in errors] == [
        ("DB-HKB", True) for _ in over
    ]


def test_an_organization_decided_keeps_its_proposal_beside_it() -> None:
    cell = next(c for c in proposals().cells if c.cell.code == "CB-DM")
    proposed = cell.proposed_level
    assert proposed is not None
    org = replace(row(("CB-DM", ""), proposed.value, HTNV, "kết quả thấp"), member_id="")
    result = apply(decide(organizations=(org,)))
    decided = next(c for c in result.cells if c.cell.code == "CB-DM")
    assert (decided.proposed_level, decided.decided_level) == (proposed, HTNV)


# ---------------------------------------------------------------------------------------------
# The workbook, written and read back


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    case = lien_chieu()
    path = tmp_path_factory.mktemp("qd") / "quyet-dinh.xlsx"
    write_decisions_workbook(
        case.result, parent=case.parent, generated_on=dt.date(2023, 12, 20),
        rules=case.ruleset, target=path,
    )  # fmt: skip
    return path


def test_the_workbook_lists_every_member_with_the_proposal_prefilled(workbook: Path) -> None:
    book = openpyxl.load_workbook(workbook)
    assert book.sheetnames[:5] == ["Hướng dẫn", "Quyết định", "Cần quyết định", "Đảng viên",
                                   "Tổ chức đảng"]  # fmt: skip
    members = book["Đảng viên"]
    header = [c.value for c in members[4]]
    assert header[:8] == ["STT", "Mã chi bộ", "Mã đảng viên", "Họ và tên", "Mức đề xuất",
                          "Cần quyết định", "Mức quyết định", "Lý do"]  # fmt: skip
    rows = {r[2]: r for r in members.iter_rows(min_row=5, values_only=True) if r[2]}
    assert rows[PLAIN[1]][4] == "HTTNV"
    assert rows[PLAIN[1]][6] == "Hoàn thành tốt nhiệm vụ"
    assert rows[TIED[1]][5] == "Hòa phiếu"
    assert rows[TIED[1]][6] is None  # nothing to pre-fill: the tie is the committee's
    assert rows[ABSENT[1]][4] == "Không xếp loại"
    assert members.protection.sheet  # labels locked


def test_a_filled_workbook_reads_back_as_the_committee_filled_it(
    workbook: Path, tmp_path: Path
) -> None:
    filled = tmp_path / "da-dien.xlsx"
    fill_decisions(
        workbook, filled, number="12-QĐ/QU", decided_on=dt.date(2023, 12, 28),
        signer="Nguyễn Văn A, Bí thư", members={TIED[1]: (HTTNV, "Ban Thường vụ quyết định")},
    )  # fmt: skip
    reading = read_workbook(filled)
    assert not [i for i in reading.issues if i.severity is Severity.ERROR], reading.issues
    assert isinstance(reading.content, DecisionsContent)
    decisions = reading.content.decisions
    assert (decisions.committee_code, decisions.year, decisions.number) == (
        "QU-LC",
        2023,
        "12-QĐ/QU",
    )
    tied = next(d for d in decisions.members if d.member_id == TIED[1])
    assert (tied.decided, tied.reason, tied.proposed) == (HTTNV, "Ban Thường vụ quyết định", "")
    assert tied.location.sheet == "Đảng viên"
    plain = next(d for d in decisions.members if d.member_id == PLAIN[1])
    assert (plain.decided, plain.proposed) == (HTTNV, "HTTNV")
    case = lien_chieu()
    applied = apply_decisions(case.result, decisions, case.ruleset)
    assert member(applied, TIED).decided_level is HTTNV


def test_the_decision_reference_is_required(workbook: Path, tmp_path: Path) -> None:
    filled = tmp_path / "thieu-so.xlsx"
    fill_decisions(workbook, filled, number="", decided_on=dt.date(2023, 12, 28), signer="A")
    reading = read_workbook(filled)
    assert [i.location.cell for i in reading.issues if i.code == "required-missing"] == ["B7"]


# ---------------------------------------------------------------------------------------------
# End to end: the demo's committee decides, aggregate applies it


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    return run_demo(tmp_path_factory.mktemp("demo") / "d", year=2026, cells=30)


def test_the_demo_settles_its_cases_and_the_results_show_both_levels(demo) -> None:  # type: ignore[no-untyped-def]
    out = demo.layout.out_dir
    data = json.loads((out / "ket-qua.json").read_text(encoding="utf-8"))
    assert data["decision"] == "Quyết định số 26-QĐ/ĐU ngày 28/12/2026"
    decided = [m for c in data["cells"] for m in c["members"] if m["decision"]]
    assert decided
    tie = [m for m in decided if m["proposed_level"] is None]
    assert tie, "a tie settled by the committee"
    assert all(m["decided_level"] for m in tie)
    assert any(c.get("decided_level") and c["decided_level"] != c["proposed_level"]
               for c in data["cells"])  # fmt: skip
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    kinds = {i["kind"] for i in manifest["inputs"]}
    assert "decisions" in kinds
    assert demo.settled >= 2
    assert not [i for i in demo.run.all_issues if i.code.startswith("decision-")]


def sheet_rows(path: Path, sheet: str, header_row: int = 4) -> list[dict[str, object]]:
    """A table of a workbook, as dictionaries by header."""
    wb = openpyxl.load_workbook(path, read_only=True)
    rows = list(wb[sheet].iter_rows(min_row=header_row, values_only=True))
    wb.close()
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


def test_the_workbooks_show_the_decided_levels_beside_the_proposals(demo) -> None:  # type: ignore[no-untyped-def]
    out = demo.layout.out_dir
    data = json.loads((out / "ket-qua.json").read_text(encoding="utf-8"))
    settled = {
        m["member_id"]: m for c in data["cells"] for m in c["members"] if m["proposed_level"] is None
        and m["decided_level"]
    }  # fmt: skip
    detail = {r["Mã đảng viên"]: r for r in sheet_rows(out / "tong-hop.xlsx", "Chi tiết đảng viên")}
    for member_id, m in settled.items():
        row = detail[member_id]
        assert (row["Mức đề xuất"], row["Mức sau xét hạn mức hoặc quyết định"]) == (
            None,
            m["decided_level"],
        )
        assert row["Quyết định của cấp có thẩm quyền"] == data["decision"]
    changed = [
        c for c in data["cells"] if c.get("decided_level") not in (None, c["proposed_level"])
    ]
    cells = {r["Mã chi bộ"]: r for r in sheet_rows(out / "tong-hop.xlsx", "Tổng hợp chi bộ")}
    ratings = {r["Mã chi bộ"]: r for r in sheet_rows(out / "tong-hop.xlsx", "Xếp loại chi bộ")}
    for c in changed:
        assert cells[c["code"]]["Chi bộ đề xuất xếp loại"] == c["proposed_level"]
        assert cells[c["code"]]["Cấp có thẩm quyền quyết định"] == c["decided_level"]
        assert ratings[c["code"]]["Mức cấp có thẩm quyền quyết định"] == c["decided_level"]
        own = openpyxl.load_workbook(out / c["result_file"], read_only=True)
        summary = [r for r in own["Tóm tắt"].iter_rows(values_only=True) if r and r[0]]
        own.close()
        assert ("Cấp có thẩm quyền quyết định", c["decided_level"]) in [r[:2] for r in summary]


def test_decisions_made_for_other_proposals_are_not_applied(demo, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from toolkit.aggregate import aggregate

    layout = demo.layout
    run = aggregate(
        layout.inbox, layout.roster, tmp_path / "out", year=2027, decisions_file=demo.decisions
    )
    assert [i.code for i in run.result.issues if i.code == "decision-workbook-other"] == [
        "decision-workbook-other"
    ]
    assert not any(m.decision for c in run.result.cells for m in c.members)
