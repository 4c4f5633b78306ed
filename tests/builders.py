"""Realistic results built straight from the result dataclasses, for the writers' tests.

``lien_chieu()`` is a small district shaped like Quận ủy Liên Chiểu in 2023: a school cell at
exactly the quota ceiling, a đảng bộ phường whose cells are over it (a warning at each cell, an
error for the đảng bộ), a tie, a vote carried only by cumulative counting, a vote where no level
carries, a disciplined member capped to KHTNV, members not rated for each kind of reason, a
probationary member who voted, a cell that never answered, a file nobody claims, and member
names that try ``<script>`` and ``=HYPERLINK(...)``. ``synthetic(n_cells)`` makes a big,
regular district for the split report and the benchmark.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from types import MappingProxyType
from typing import Any

from toolkit.model import (
    LEVELS,
    CellReturn,
    CellSelfAssessment,
    InputFile,
    Issue,
    Location,
    Meeting,
    Member,
    Membership,
    NotRatedReason,
    OrgKind,
    OrgUnit,
    RatingLevel,
    SelfAssessment,
    Severity,
    SubjectType,
    VoteTally,
)
from toolkit.outputs import write_outputs
from toolkit.outputs.numbers import format_percent
from toolkit.results import (
    CapApplied,
    CellResult,
    ConditionCheck,
    DistrictResult,
    LevelCounts,
    MemberResult,
    QuotaCandidate,
    QuotaResult,
    VoteOutcome,
    VoteResult,
)
from toolkit.rulebook import RuleSet, load_ruleset

X, T, H, K = RatingLevel.HTXSNV, RatingLevel.HTTNV, RatingLevel.HTNV, RatingLevel.KHTNV
GENERATED_ON = dt.date(2024, 1, 5)
SCRIPT_NAME = "Nguyễn Thị <script>alert('xss')</script> Hoa"
FORMULA_NAME = '=HYPERLINK("http://example.invalid/","Bấm vào đây")'


@dataclass(frozen=True)
class Case:
    """What ``write_outputs`` needs, besides the output folder."""

    result: DistrictResult
    inputs: tuple[InputFile, ...]
    ruleset: RuleSet
    parent: OrgUnit | None
    generated_on: dt.date = GENERATED_ON


def write_case(case: Case, folder: Path, *, workers: int = 1) -> list[Path]:
    """Every output of ``aggregate`` for ``case``, written into ``folder``."""
    return write_outputs(
        case.result,
        case.inputs,
        folder,
        ruleset=case.ruleset,
        parent=case.parent,
        generated_on=case.generated_on,
        workers=workers,
    )


def results_json(folder: Path) -> dict[str, Any]:
    """``ket-qua.json`` of an output folder, as data."""
    data: dict[str, Any] = json.loads((folder / "ket-qua.json").read_text(encoding="utf-8"))
    return data


# ---------------------------------------------------------------------------------------------
# Building blocks


def issue(
    code: str,
    message: str,
    *,
    severity: Severity = Severity.ERROR,
    unit: str = "",
    member: str = "",
    file: str = "",
    sheet: str = "",
    cell: str = "",
    value: str = "",
    message_en: str = "",
) -> Issue:
    return Issue(
        code=code,
        severity=severity,
        message=message,
        message_en=message_en or f"[en] {code}",
        location=Location(file, sheet, cell),
        value=value,
        unit_code=unit,
        member_id=member,
    )


def voted(
    member: Member,
    votes: tuple[int, int, int, int],
    denominator: int,
    *,
    outcome: VoteOutcome = VoteOutcome.CARRIED,
    carried: RatingLevel | None = None,
    self_level: RatingLevel | None = None,
    caps: Sequence[CapApplied] = (),
    decided: RatingLevel | None = None,
    issues: Sequence[Issue] = (),
    assessment: SelfAssessment | None = None,
    blank: int = 0,
) -> MemberResult:
    """A member voted on; the carried level defaults to the level with most votes."""
    shares = tuple(Fraction(v, denominator) for v in votes)
    if carried is None and outcome in (VoteOutcome.CARRIED, VoteOutcome.CARRIED_CUMULATIVE):
        carried = LEVELS[max(range(4), key=lambda i: (votes[i], -i))]
    cumulative = None
    if outcome is VoteOutcome.CARRIED_CUMULATIVE and carried is not None:
        cumulative = sum(shares[: LEVELS.index(carried) + 1], Fraction(0))
    proposed = carried
    for cap in caps:
        if proposed is not None and proposed > cap.max_level:
            proposed = cap.max_level
    vote = VoteResult(denominator, shares, outcome, carried, cumulative)  # type: ignore[arg-type]
    return MemberResult(
        member=member,
        assessment=assessment or SelfAssessment(member.member_id, self_level=self_level or carried),
        tally=VoteTally(member.member_id, votes, blank),
        not_rated_reason=None,
        vote=vote,
        caps=tuple(caps),
        proposed_level=proposed,
        decided_level=decided or proposed,
        explanation=_explain(vote, votes, denominator, proposed, caps),
        explanation_en=f"Proposed {proposed.value if proposed else 'none'}",
        issues=tuple(issues),
    )


def not_rated(member: Member, reason: NotRatedReason, issues: Sequence[Issue] = ()) -> MemberResult:
    return MemberResult(
        member=member,
        assessment=SelfAssessment(member.member_id, not_rated_reason=reason),
        tally=None,
        not_rated_reason=reason,
        vote=None,
        caps=(),
        proposed_level=None,
        decided_level=None,
        explanation=f"Không đánh giá, xếp loại: {reason.label}.",
        explanation_en=f"Not rated: {reason.english}.",
        issues=tuple(issues),
    )


def _explain(
    vote: VoteResult,
    votes: tuple[int, int, int, int],
    denominator: int,
    proposed: RatingLevel | None,
    caps: Sequence[CapApplied],
) -> str:
    if vote.outcome is VoteOutcome.TIE:
        top = max(votes)
        tied = " và ".join(LEVELS[i].value for i in range(4) if votes[i] == top)
        return f"Số phiếu {tied} bằng nhau ({top}/{denominator}): báo cáo cấp ủy cấp trên."
    if vote.outcome is VoteOutcome.NO_DECISION:
        return f"Không mức nào được quá 50 % trên {denominator} đảng viên: báo cáo cấp ủy cấp trên."
    assert vote.level is not None and proposed is not None
    count = votes[LEVELS.index(vote.level)]
    text = (
        f"Đề xuất {vote.level.value}: {count}/{denominator} phiếu "
        f"({format_percent(vote.share_of(vote.level))}) trên {denominator} đảng viên chính thức "
        "được triệu tập, vượt ngưỡng 50 %."
    )
    if vote.outcome is VoteOutcome.CARRIED_CUMULATIVE:
        text = (
            f"Đề xuất {vote.level.value}: cộng dồn từ HTXSNV xuống được "
            f"{format_percent(vote.cumulative_share)} trên {denominator} đảng viên."
        )
    for cap in caps:
        text += f" {cap.reason}: xếp loại {proposed.value}."
    return text


def counts_of(members: Sequence[MemberResult]) -> LevelCounts:
    levels = [0, 0, 0, 0]
    reasons: dict[NotRatedReason, int] = {}
    undecided = 0
    for m in members:
        if m.not_rated_reason is not None:
            reasons[m.not_rated_reason] = reasons.get(m.not_rated_reason, 0) + 1
        elif m.proposed_level is None:
            undecided += 1
        else:
            levels[LEVELS.index(m.proposed_level)] += 1
    return LevelCounts(len(members), tuple(levels), MappingProxyType(reasons), undecided)  # type: ignore[arg-type]


def quota(
    scope: OrgUnit,
    members: Sequence[MemberResult],
    *,
    deciding: bool,
    severity: Severity | None = None,
) -> QuotaResult:
    counts = counts_of(members)
    n_x, n_t = counts.count(X), counts.count(T)
    ceiling = n_t // 5
    ranked = sorted(
        (m for m in members if m.proposed_level is X),
        key=lambda m: (-(m.vote.share_of(X) if m.vote else 0), m.member.member_id),
    )
    return QuotaResult(
        scope_code=scope.code,
        scope_name=scope.name,
        deciding=deciding,
        severity=severity or (Severity.ERROR if deciding else Severity.WARNING),
        n_htxsnv=n_x,
        n_httnv=n_t,
        ceiling=ceiling,
        ranking=tuple(
            QuotaCandidate(
                member_id=m.member.member_id,
                full_name=m.member.full_name,
                cell_code=m.member.cell_code,
                htxsnv_share=m.vote.share_of(X) if m.vote else Fraction(0),
                score=None,
                within_ceiling=rank < ceiling,
            )
            for rank, m in enumerate(ranked)
        ),
    )


def cell_result(
    unit: OrgUnit,
    members: Sequence[MemberResult],
    *,
    deciding: bool,
    cell_votes: tuple[int, int, int, int] | None = None,
    issues: Sequence[Issue] = (),
) -> CellResult:
    counts = counts_of(members)
    official = sum(1 for m in members if m.member.membership is Membership.OFFICIAL)
    tally = VoteTally(None, cell_votes) if cell_votes else None
    vote = None
    level = None
    if cell_votes:
        level = LEVELS[max(range(4), key=lambda i: (cell_votes[i], -i))]
        shares = tuple(Fraction(v, official) for v in cell_votes)
        vote = VoteResult(official, shares, VoteOutcome.CARRIED, level)  # type: ignore[arg-type]
    at_least_htnv = sum(counts.levels[:3])
    at_least_httnv = sum(counts.levels[:2])
    rated = counts.rated or 1
    conditions = (
        ConditionCheck(
            "cell-htxsnv-conditions",
            "100 % đảng viên được xếp loại đạt HTNV trở lên",
            at_least_htnv == counts.rated,
        ),
        ConditionCheck(
            "cell-htxsnv-conditions",
            "Ít nhất 80 % đảng viên được xếp loại đạt HTTNV trở lên",
            Fraction(at_least_httnv, rated) >= Fraction(4, 5),
        ),
    )
    source = CellReturn(
        cell=unit,
        members=tuple(m.member for m in members),
        assessments=MappingProxyType(
            {m.member.member_id: m.assessment for m in members if m.assessment}
        ),
        meeting=Meeting(dt.date(2023, 12, 18), official, 0, official, 0),
        tallies=MappingProxyType({m.member.member_id: m.tally for m in members if m.tally}),
        cell_assessment=CellSelfAssessment(proposed_level=level, leadership_level=level),
        cell_tally=tally,
    )
    return CellResult(
        cell=unit,
        members=tuple(members),
        counts=counts,
        quota=quota(unit, members, deciding=deciding),
        cell_vote=vote,
        proposed_level=level,
        conditions=conditions,
        issues=tuple(issues),
        source=source,
    )


def sum_counts(cells: Sequence[CellResult]) -> LevelCounts:
    levels = [0, 0, 0, 0]
    reasons: dict[NotRatedReason, int] = {}
    for c in cells:
        for i, n in enumerate(c.counts.levels):
            levels[i] += n
        for reason, n in c.counts.not_rated.items():
            reasons[reason] = reasons.get(reason, 0) + n
    return LevelCounts(
        sum(c.counts.roster for c in cells),
        tuple(levels),  # type: ignore[arg-type]
        MappingProxyType(reasons),
        sum(c.counts.undecided for c in cells),
    )


# ---------------------------------------------------------------------------------------------
# The Liên Chiểu-like district

PARENT = OrgUnit("QU-LC", "Quận ủy Liên Chiểu", OrgKind.PARENT)
SCHOOL = OrgUnit(
    "CB-THPT",
    "Chi bộ Trường THPT Liên Chiểu",
    OrgKind.GRASSROOTS_CELL,
    "QU-LC",
    "Trường học",
    "Trần Văn Bình",
    "bithu.thptlienchieu@example.vn",
)
WARD = OrgUnit("DB-HKB", "Đảng bộ phường Hòa Khánh Bắc", OrgKind.GRASSROOTS_COMMITTEE, "QU-LC")
WARD_1 = OrgUnit(
    "CB-HKB-01",
    "Chi bộ Khu dân cư số 1",
    OrgKind.CELL,
    "DB-HKB",
    "Phường",
    "Lê Thị Cúc",
    "cuc.le@example.vn",
)
WARD_2 = OrgUnit(
    "CB-HKB-02",
    "Chi bộ Tổ dân phố 5",
    OrgKind.CELL,
    "DB-HKB",
    "Phường",
    "Phạm Văn Dũng",
    "dung.pham@example.vn",
)
FACTORY = OrgUnit(
    "CB-DM",
    "Chi bộ Công ty Cổ phần Dệt may Hòa Khánh",
    OrgKind.GRASSROOTS_CELL,
    "QU-LC",
    "Doanh nghiệp",
    "Võ Thị Én",
    "en.vo@example.vn",
)
AGENCY = OrgUnit(
    "CB-UBND",
    "Chi bộ Cơ quan Ủy ban nhân dân quận",
    OrgKind.GRASSROOTS_CELL,
    "QU-LC",
    "Cơ quan",
    "Hoàng Văn Giang",
    "giang.hoang@example.vn",
)

_GIVEN = ("An", "Bảo", "Châu", "Dung", "Đức", "Giang", "Hà", "Hải", "Hạnh", "Hiếu", "Hòa", "Hùng")
_FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng")
_MIDDLE = ("Văn", "Thị", "Minh", "Ngọc", "Quốc", "Thanh")


def person(cell: str, n: int, name: str = "", **kw: object) -> Member:
    full = name or f"{_FAMILY[n % 10]} {_MIDDLE[n % 6]} {_GIVEN[(n * 7) % 12]}"
    return Member(f"{cell}-{n:03d}", full, cell, **kw)  # type: ignore[arg-type]


def _school() -> CellResult:
    c = SCHOOL.code
    head = person(
        c,
        1,
        "Trần Văn Bình",
        is_head=True,
        position="Bí thư chi bộ, Hiệu trưởng",
        subject_type=SubjectType.LEADER,
    )
    members = [voted(head, (3, 8, 0, 0), 11)]
    members.append(voted(person(c, 2, SCRIPT_NAME), (9, 2, 0, 0), 11))
    members.append(voted(person(c, 3, FORMULA_NAME), (1, 10, 0, 0), 11))
    members += [
        voted(person(c, n), (7 if n == 4 else 1, 10 if n != 4 else 4, 0, 0), 11)
        for n in range(4, 13)
    ]
    members.append(
        not_rated(
            person(c, 13, membership=Membership.PROBATIONARY, admission_date=dt.date(2023, 9, 2)),
            NotRatedReason.NEW_MEMBER,
        )
    )
    return cell_result(SCHOOL, members, deciding=True, cell_votes=(0, 11, 0, 0))


def _ward_1() -> CellResult:
    c = WARD_1.code
    file = "tu-danh-gia CB-HKB-01.xlsx"
    members = [voted(person(c, 1, "Lê Thị Cúc", is_head=True), (1, 7, 0, 0), 8)]
    members += [voted(person(c, n), (6, 2, 0, 0), 8) for n in (2, 3, 4)]
    members += [voted(person(c, n), (0, 8, 0, 0), 8) for n in range(5, 10)]
    members.append(
        voted(
            person(c, 10),
            (4, 4, 0, 0),
            8,
            outcome=VoteOutcome.TIE,
            issues=[
                issue(
                    "vote-tie",
                    "Số phiếu HTXSNV và HTTNV bằng nhau: báo cáo cấp ủy cấp trên quyết định.",
                    severity=Severity.WARNING,
                    unit=c,
                    member=f"{c}-010",
                    file="bieu-quyet CB-HKB-01.xlsx",
                    sheet="Biểu quyết",
                    cell="E19",
                )
            ],
        )
    )
    members.append(
        not_rated(
            person(c, 11),
            NotRatedReason.ABSENT,
            [
                issue(
                    "member-absent",
                    "Đảng viên vắng mặt, chưa đánh giá: cần tổ chức đánh giá bổ sung.",
                    severity=Severity.WARNING,
                    unit=c,
                    member=f"{c}-011",
                    file=file,
                    sheet="Tự đánh giá",
                    cell="F17",
                    value="Vắng mặt",
                )
            ],
        )
    )
    return cell_result(WARD_1, members, deciding=False, cell_votes=(2, 7, 0, 0))


def _ward_2() -> CellResult:
    c = WARD_2.code
    discipline = CapApplied(
        "discipline-cap",
        K,
        "Bị xử lý kỷ luật trong năm, không tự phát hiện và khắc phục",
        "Disciplined in the year",
    )
    members = [voted(person(c, 1, "Phạm Văn Dũng", is_head=True), (0, 6, 1, 0), 7)]
    members.append(voted(person(c, 2), (5, 2, 0, 0), 7))
    members += [voted(person(c, n), (0, 6, 1, 0), 7) for n in range(3, 7)]
    members.append(
        voted(
            person(c, 7),
            (0, 5, 2, 0),
            7,
            caps=[discipline],
            issues=[
                issue(
                    "discipline-cap",
                    "Đảng viên bị kỷ luật trong năm được đề xuất HTTNV: phải xếp loại KHTNV.",
                    unit=c,
                    member=f"{c}-007",
                    file="tu-danh-gia CB-HKB-02.xlsx",
                    sheet="Tự đánh giá",
                    cell="H12",
                    value="HTTNV",
                )
            ],
        )
    )
    members.append(
        voted(person(c, 8), (2, 1, 2, 2), 7, outcome=VoteOutcome.CARRIED_CUMULATIVE, carried=H)
    )
    members.append(not_rated(person(c, 9), NotRatedReason.EXEMPT))
    return cell_result(WARD_2, members, deciding=False, cell_votes=(0, 7, 0, 0))


def _factory() -> CellResult:
    c = FACTORY.code
    ballot = "bieu-quyet CB-DM.xlsx"
    members = [voted(person(c, 1, "Võ Thị Én", is_head=True), (1, 5, 0, 0), 6)]
    # an employee of the joint-stock company: not in the political system (Mẫu 2C)
    members += [voted(person(c, 2, subject_type=SubjectType.OUTSIDE), (0, 5, 1, 0), 6)]
    members += [voted(person(c, n), (0, 5, 1, 0), 6) for n in (3, 4)]
    members.append(
        voted(
            person(c, 5),
            (2, 2, 2, 0),
            6,
            outcome=VoteOutcome.NO_DECISION,
            issues=[
                issue(
                    "vote-no-decision",
                    "Không mức nào được quá 50 %: báo cáo cấp ủy cấp trên quyết định.",
                    severity=Severity.WARNING,
                    unit=c,
                    member=f"{c}-005",
                    file=ballot,
                    sheet="Biểu quyết",
                    cell="E14",
                )
            ],
        )
    )
    members.append(voted(person(c, 6), (0, 1, 5, 0), 6))
    members.append(
        not_rated(person(c, 7, membership=Membership.PROBATIONARY), NotRatedReason.NEW_MEMBER)
    )
    members.append(not_rated(person(c, 8), NotRatedReason.TRANSFERRED))
    cell_issues = [
        issue(
            "probationary-voted",
            "Đảng viên dự bị được tính vào số người biểu quyết: dự bị không có quyền biểu quyết.",
            unit=c,
            file=ballot,
            sheet="Hội nghị",
            cell="C8",
            value="7",
        ),
        issue(
            "present-over-convened",
            "Số có mặt lớn hơn số được triệu tập: kiểm tra lại biên bản.",
            unit=c,
            file=ballot,
            sheet="Hội nghị",
            cell="C7",
            value="9",
        ),
    ]
    return cell_result(FACTORY, members, deciding=True, cell_votes=(0, 5, 1, 0), issues=cell_issues)


def lien_chieu() -> Case:
    """The small, realistic district every writer test starts from."""
    school, ward_1, ward_2, factory = _school(), _ward_1(), _ward_2(), _factory()
    ward_members = ward_1.members + ward_2.members
    ward_quota = quota(WARD, ward_members, deciding=True)
    district_issues = (
        issue(
            "quota-over-ceiling",
            f"Số HTXSNV ({ward_quota.n_htxsnv}) vượt 20 % số HTTNV "
            f"({ward_quota.n_httnv}), tối đa {ward_quota.ceiling}.",
            unit=WARD.code,
        ),
        issue(
            "file-unknown",
            "Tệp không thuộc chi bộ nào trong danh sách: kiểm tra lại tệp gửi nhầm.",
            severity=Severity.WARNING,
            file="thu-gui-nham.xlsx",
        ),
        issue(
            "input-not-readable",
            "Không đọc được tệp: tệp bị hỏng. Hãy gửi lại tệp.",
            unit=AGENCY.code,
            file="tu-danh-gia CB-UBND.xlsx",
        ),
    )
    cells = (factory, school, ward_1, ward_2)
    result = DistrictResult(
        year=2023,
        ruleset_code="QD124",
        cells=cells,
        quotas=(ward_quota, school.quota, factory.quota),
        counts=sum_counts(cells),
        missing=(AGENCY,),
        issues=district_issues,
    )
    inputs = [InputFile("danh-sach.xlsx", "a" * 64, "roster", "1", "", 2023)]
    for n, unit in enumerate((FACTORY, SCHOOL, WARD_1, WARD_2), start=1):
        for kind, stem in (("self_assessment", "tu-danh-gia"), ("ballot", "bieu-quyet")):
            digest = f"{n}{kind[0]}".ljust(64, "0")
            inputs.append(InputFile(f"{stem} {unit.code}.xlsx", digest, kind, "1", unit.code, 2023))
    inputs.append(InputFile("thu-gui-nham.xlsx", "f" * 64, "", "", "", None, "unknown"))
    inputs.append(
        InputFile("tu-danh-gia CB-UBND.xlsx", "e" * 64, "", "", "CB-UBND", None, "rejected")
    )
    return Case(result, tuple(inputs), load_ruleset(2023), PARENT)


# ---------------------------------------------------------------------------------------------
# A big regular district (split report, benchmark)


def synthetic(n_cells: int, members_per_cell: int = 8, cells_per_committee: int = 10) -> Case:
    """``n_cells`` cells in đảng bộ cơ sở of ``cells_per_committee``; one cell in 50 missing."""
    cells: list[CellResult] = []
    missing: list[OrgUnit] = []
    quotas: list[QuotaResult] = []
    committees: dict[str, list[MemberResult]] = {}
    names: dict[str, OrgUnit] = {}
    for i in range(n_cells):
        committee = f"DB{i // cells_per_committee:03d}"
        names.setdefault(
            committee,
            OrgUnit(
                committee,
                f"Đảng bộ phường số {i // cells_per_committee + 1}",
                OrgKind.GRASSROOTS_COMMITTEE,
                "TU",
            ),
        )
        unit = OrgUnit(
            f"CB{i:04d}", f"Chi bộ khu dân cư {i + 1}", OrgKind.CELL, committee, "Phường"
        )
        if i % 50 == 49:
            missing.append(unit)
            continue
        members = []
        for n in range(1, members_per_cell + 1):
            votes = (6, 2, 0, 0) if n == 1 else (1, 6, 1, 0) if n % 7 else (0, 2, 6, 0)
            members.append(voted(person(unit.code, n), votes, 8))
        cells.append(cell_result(unit, members, deciding=False, cell_votes=(0, 8, 0, 0)))
        committees.setdefault(committee, []).extend(members)
    for code, members in sorted(committees.items()):
        quotas.append(quota(names[code], members, deciding=True))
    result = DistrictResult(
        year=2025,
        ruleset_code="QD366",
        cells=tuple(cells),
        quotas=tuple(quotas),
        counts=sum_counts(cells),
        missing=tuple(missing),
    )
    parent = OrgUnit("TU", "Thành ủy (mẫu)", OrgKind.PARENT)
    return Case(result, (), load_ruleset(2025), parent)


# ---------------------------------------------------------------------------------------------
# Reading workbooks back: a normalised snapshot (sheet names, values, key formats)


def workbook_snapshot(path: object) -> dict[str, object]:
    """What matters in a workbook, as plain data that a golden JSON file can hold.

    Per sheet: every non-empty cell's value (a formula as its text, with the cached value
    beside it), the frozen cell, the autofilter, the print setup, and how many cells use each
    combination of font, bold, fill and number format. Charts are listed by type from the zip.
    """
    import re
    import zipfile

    import openpyxl

    formulas = openpyxl.load_workbook(path)
    cached = openpyxl.load_workbook(path, data_only=True)
    sheets: dict[str, object] = {}
    for ws in formulas.worksheets:
        values = cached[ws.title]
        cells: dict[str, object] = {}
        styles: dict[str, int] = {}
        for row in ws.iter_rows():
            for c in row:
                if c.value is None:
                    continue
                value = _plain(c.value)
                if c.data_type == "f":
                    value = {"formula": c.value, "cached": _plain(values[c.coordinate].value)}
                cells[c.coordinate] = value
                fill = c.fill.fgColor.rgb if c.fill and c.fill.fill_type == "solid" else ""
                key = "|".join(
                    [
                        str(c.font.name),
                        "b" if c.font.bold else "",
                        str(fill)[-6:] if fill else "",
                        c.number_format,
                    ]
                )
                styles[key] = styles.get(key, 0) + 1
        setup = ws.page_setup
        sheets[ws.title] = {
            "freeze": ws.freeze_panes,
            "autofilter": ws.auto_filter.ref,
            "print": {
                "orientation": setup.orientation,
                "paper": setup.paperSize,
                "fit_to_page": bool(
                    ws.sheet_properties.pageSetUpPr and ws.sheet_properties.pageSetUpPr.fitToPage
                ),
                "fit_height": setup.fitToHeight,
                "title_rows": ws.print_title_rows,
            },
            "styles": dict(sorted(styles.items())),
            "cells": cells,
        }
    with zipfile.ZipFile(str(path)) as z:
        charts = sorted(
            "+".join(sorted(set(re.findall(r"<c:(\w+Chart)>", z.read(name).decode()))))
            for name in z.namelist()
            if name.startswith("xl/charts/chart")
        )
    return {"sheets": list(formulas.sheetnames), "charts": charts, "content": sheets}


def _plain(value: object) -> object:
    if isinstance(value, float):
        return round(value, 9)
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return value


def nothing_returned() -> Case:
    """A district where no cell has sent anything usable yet: every total is zero."""
    result = DistrictResult(
        year=2023,
        ruleset_code="QD124",
        cells=(),
        quotas=(),
        counts=LevelCounts(0, (0, 0, 0, 0), MappingProxyType({})),
        missing=(AGENCY, SCHOOL),
    )
    return Case(result, (), load_ruleset(2023), PARENT)


# ---------------------------------------------------------------------------------------------
# A cell whose files have errors: sent, listed everywhere, never rated

REJECTED = OrgUnit(
    "CB-HKB-03",
    "Chi bộ Khu dân cư số 3",
    OrgKind.CELL,
    "DB-HKB",
    "Phường",
    "Đặng Thị Hạnh",
    "hanh.dang@example.vn",
)


def with_rejected_cell(case: Case | None = None) -> Case:
    """``lien_chieu()`` (or ``case``) plus CB-HKB-03, whose ballot workbook has two errors and a
    warning: its self-assessment is fine but waits for a usable ballot. The đảng bộ's quota is
    flagged incomplete, as the engine does for a cell without results."""
    base = case or lien_chieu()
    ballot, own = "bieu-quyet CB-HKB-03.xlsx", "tu-danh-gia CB-HKB-03.xlsx"
    c = REJECTED.code
    found = (
        issue(
            "votes-sum-mismatch",
            "Số phiếu các mức cộng số phiếu không chọn mức nào là 12, nhưng phải bằng 10.",
            unit=c,
            member=f"{c}-004",
            file=ballot,
            sheet="Kiểm phiếu",
            cell="E9:I9",
            value="12",
        ),
        issue(
            "not-a-number",
            "Ô «Số đảng viên chính thức có mặt» phải là số nhưng chứa «10 người».",
            unit=c,
            file=ballot,
            sheet="Biên bản",
            cell="B11",
            value="10 người",
        ),
        issue(
            "meeting-after-deadline",
            "Hội nghị sau ngày 31/12: kiểm tra lại ngày họp.",
            severity=Severity.WARNING,
            unit=c,
            file=ballot,
            sheet="Biên bản",
            cell="B4",
        ),
        issue(
            "quota-scope-incomplete",
            "Đảng bộ phường Hòa Khánh Bắc (DB-HKB): chưa có kết quả của 1 chi bộ (CB-HKB-03).",
            severity=Severity.WARNING,
            unit=WARD.code,
            value="1",
        ),
    )
    result = dataclasses.replace(
        base.result,
        issues=(*base.result.issues, *found),
        rejected=(REJECTED,),
        rejected_members=tuple(person(c, n) for n in range(1, 11)),
    )
    inputs = (
        *base.inputs,
        InputFile(own, "3s".ljust(64, "0"), "self_assessment", "1", c, 2023, "pending"),
        InputFile(ballot, "3b".ljust(64, "0"), "ballot", "1", c, 2023, "rejected"),
    )
    return dataclasses.replace(base, result=result, inputs=inputs)
