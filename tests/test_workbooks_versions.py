"""Files already out this season (issue 11): a workbook made from template version 1 reads
exactly as before, with one warning saying what version 2 adds; a version-2 workbook (2026)
carries the new columns and reads back exactly."""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from bad_inputs.clean import Filing, cb01_filing, fill, roster, templates

from toolkit.model import Issue, Remedied, Roster, Severity, SubjectType
from toolkit.workbooks.cellbooks import BallotContent, SelfAssessmentContent
from toolkit.workbooks.declarations import load_declaration
from toolkit.workbooks.read import read_roster, read_workbook

SHEET = "Tự đánh giá"


def dated(filing: Filing, year: int) -> Filing:
    meeting = dataclasses.replace(filing.meeting, meeting_date=dt.date(year, 12, 10))
    return dataclasses.replace(filing, meeting=meeting)


def the_2026_filing() -> Filing:
    """CB01's filing with every column of version 2 filled in."""
    filing = dated(cb01_filing(scores=True), 2026)
    extra = {
        "DV001": {"shortcomings_remedied": Remedied.YES},
        "DV002": {"shortcomings_remedied": Remedied.NO, "tasks_not_completed_percent": 55.5},
        "DV003": {"shortcomings_remedied": Remedied.NOT_APPLICABLE, "low_confidence_percent": 60},
        "DV005": {"tasks_not_completed_percent": 0.0},
    }
    assessments = tuple(
        dataclasses.replace(a, **extra.get(a.member_id, {}))  # type: ignore[arg-type]
        for a in filing.assessments
    )
    return dataclasses.replace(filing, assessments=assessments)


def leader_roster() -> Roster:
    """The clean roster with DV001 a leader (2A) and DV003 outside the political system (2C)."""
    base = roster()
    types = {"DV001": SubjectType.LEADER, "DV003": SubjectType.OUTSIDE}
    members = tuple(
        dataclasses.replace(m, subject_type=types.get(m.member_id, m.subject_type))
        for m in base.members
    )
    return dataclasses.replace(base, members=members)


# ---------------------------------------------------------------------------------------------
# Version 1: read as today


@pytest.mark.parametrize(
    ("year", "scores", "warned"),
    [
        # QD366: version 2 adds columns for this rule-set: one warning naming them
        (2025, True, True),
        (2026, True, True),
        # QD124: version 2 adds nothing for it: nothing to say
        (2024, False, False),
    ],
)
def test_a_version_1_file_reads_as_before_with_one_warning(
    tmp_path: Path, year: int, scores: bool, warned: bool
) -> None:
    made = templates(tmp_path / "t", roster(), year=year, version=1)
    filing = dated(cb01_filing(scores=scores, total_only=True), year)
    sa, bb = fill(made["CB01", "self_assessment"], made["CB01", "ballot"], tmp_path, filing)

    assessment, ballot = read_workbook(sa), read_workbook(bb)

    assert assessment.identity is not None and assessment.identity.template_version == 1
    # as version 1 wrote it: the conditions feature did not exist yet
    assert "conditions" not in assessment.identity.features
    assert isinstance(assessment.content, SelfAssessmentContent)
    # exactly what was typed: the total alone, and nothing of what version 2 asks
    assert assessment.content.assessments == filing.assessments
    assert assessment.content.cell == filing.cell
    # the ballot of version 1 lacks the local forms' columns (ballot version 2): one warning
    assert [i.code for i in ballot.issues] == ["template-older-version"]
    assert isinstance(ballot.content, BallotContent)
    if not warned:
        assert assessment.issues == ()
        return
    (warning,) = assessment.issues
    assert (warning.code, warning.severity, warning.value) == (
        "template-older-version",
        Severity.WARNING,
        "1",
    )
    assert (warning.location.file, warning.location.cell, warning.unit_code) == (
        sa.name,
        "",
        "CB01",
    )
    assert warning.message == (
        "Tệp dùng biểu mẫu phiên bản 1; vẫn được đọc như trước. Biểu mẫu phiên bản 2 có thêm: "
        "«Đối tượng», «Điểm tiêu chí chung (tối đa 30)», «Điểm kết quả thực hiện nhiệm vụ "
        "(tối đa 70)», «Đã khắc phục 100% hạn chế, khuyết điểm kỳ trước», «Tỷ lệ nhiệm vụ không "
        "hoàn thành (%)», «Tỷ lệ phiếu tín nhiệm thấp (%)». Các cột này coi như để "
        "trống; nếu cần, hãy ghi vào biểu mẫu mới do cấp trên gửi."
    )


def test_a_version_1_file_with_a_missing_total_is_pinned_where_version_1_has_it(
    tmp_path: Path,
) -> None:
    made = templates(tmp_path / "t", roster(), year=2025, version=1)
    filing = dated(cb01_filing(scores=True, total_only=True), 2025)
    sa, _ = fill(
        made["CB01", "self_assessment"],
        made["CB01", "ballot"],
        tmp_path,
        filing.with_raw(assessment={f"{SHEET}!F6": None}),
    )
    issues = read_workbook(sa).issues
    assert [(i.code, i.location.cell) for i in issues] == [
        ("template-older-version", ""),
        ("required-missing", "F6"),
    ]


def test_the_current_templates_are_version_2_and_still_read_version_1() -> None:
    for kind in ("self_assessment", "roster"):
        declaration = load_declaration(kind)
        assert (declaration.version, declaration.min_version) == (2, 1)


# ---------------------------------------------------------------------------------------------
# Version 2 (2026): the new columns, read back exactly


def test_a_2026_workbook_carries_the_new_columns_and_reads_back_exactly(tmp_path: Path) -> None:
    made = templates(tmp_path / "t", leader_roster(), year=2026)
    filing = the_2026_filing()
    sa, bb = fill(made["CB01", "self_assessment"], made["CB01", "ballot"], tmp_path, filing)

    assessment, ballot = read_workbook(sa), read_workbook(bb)

    assert assessment.identity is not None and assessment.identity.template_version == 2
    assert assessment.identity.features == ("scores", "scores_required", "conditions")
    assert assessment.issues == () and ballot.issues == ()
    assert isinstance(assessment.content, SelfAssessmentContent)
    assert assessment.content.assessments == filing.assessments
    assert assessment.content.cell == filing.cell
    # what the secretary sees: the subject type of each member, prefilled from the roster
    ws = openpyxl.load_workbook(sa)[SHEET]
    assert [ws[f"E{r}"].value for r in (5, 6, 7)] == ["Mẫu 2A", "Mẫu 2B", "Mẫu 2C"]


@pytest.mark.parametrize(
    ("typed", "expected", "codes"),
    [
        # the total left blank: the parts are added up
        ({f"{SHEET}!I5": None}, 93.0, []),
        # a typed total that is the sum: fine
        ({f"{SHEET}!I5": 93}, 93.0, []),
        # a typed total that is not: an error at the total's cell, the typed total stands
        ({f"{SHEET}!I5": 90}, 90.0, [("score-total-mismatch", "I5", Severity.ERROR)]),
        # each part has its own range
        ({f"{SHEET}!G5": 31, f"{SHEET}!I5": None}, None,
         [("number-out-of-range", "G5", Severity.ERROR)]),
        ({f"{SHEET}!H5": 71, f"{SHEET}!I5": None}, None,
         [("number-out-of-range", "H5", Severity.ERROR)]),
        # a part missing: asked for, where it is
        ({f"{SHEET}!G5": None, f"{SHEET}!I5": None}, None,
         [("required-missing", "G5", Severity.ERROR)]),
    ],
)  # fmt: skip
def test_the_score_in_two_parts(
    tmp_path: Path,
    typed: dict[str, object],
    expected: float | None,
    codes: list[tuple[str, str, Severity]],
) -> None:
    made = templates(tmp_path / "t", roster(), year=2026)
    filing = the_2026_filing().with_raw(assessment=typed)
    sa, _ = fill(made["CB01", "self_assessment"], made["CB01", "ballot"], tmp_path, filing)

    reading = read_workbook(sa)

    assert [(i.code, i.location.cell, i.severity) for i in reading.issues] == codes
    assert isinstance(reading.content, SelfAssessmentContent)
    assert reading.content.assessments[0].self_score == expected


def test_the_total_mismatch_names_both_figures(tmp_path: Path) -> None:
    made = templates(tmp_path / "t", roster(), year=2026)
    filing = the_2026_filing().with_raw(assessment={f"{SHEET}!I6": 80})
    sa, _ = fill(made["CB01", "self_assessment"], made["CB01", "ballot"], tmp_path, filing)
    (found,) = read_workbook(sa).issues
    assert found.member_id == "DV002" and found.location.sheet == SHEET
    assert found.message == (
        "Ô «Điểm tự chấm» ghi 80 nhưng điểm tiêu chí chung cộng điểm kết quả thực hiện nhiệm vụ "
        "là 85.5. Hãy sửa một trong ba ô, hoặc để trống ô tổng để tự cộng."
    )


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("Có", Remedied.YES),
        ("không", Remedied.NO),
        ("Không áp dụng", Remedied.NOT_APPLICABLE),
        ("khong ap dung", Remedied.NOT_APPLICABLE),
    ],
)
def test_the_shortcomings_column_takes_yes_no_or_not_applicable(
    tmp_path: Path, typed: str, value: Remedied
) -> None:
    made = templates(tmp_path / "t", roster(), year=2026)
    filing = the_2026_filing().with_raw(assessment={f"{SHEET}!O5": typed})
    sa, _ = fill(made["CB01", "self_assessment"], made["CB01", "ballot"], tmp_path, filing)
    reading = read_workbook(sa)
    assert reading.issues == ()
    assert isinstance(reading.content, SelfAssessmentContent)
    assert reading.content.assessments[0].shortcomings_remedied is value


# ---------------------------------------------------------------------------------------------
# Real files of this season: made and filled by xeploai before version 2 (commit bc7d090), with
# how that version read them (tests/golden/season-2025/readings-before.json)

SEASON = Path(__file__).resolve().parent / "golden" / "season-2025"
BEFORE: dict[str, dict[str, Any]] = json.loads(
    (SEASON / "readings-before.json").read_text(encoding="utf-8")
)
#: what version 2 adds to a reading: the new fields, all empty in a version-1 file
NEW_FIELDS = {
    "common_score": None,
    "task_score": None,
    "shortcomings_remedied": None,
    "tasks_not_completed_percent": None,
    "low_confidence_percent": None,
}


def _plain(value: object) -> object:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _issues(issues: Sequence[Issue]) -> list[list[str]]:
    return [[i.code, i.location.sheet, i.location.cell, i.severity.value] for i in issues]


@pytest.mark.parametrize(
    ("name", "added"),
    [
        ("tu-danh-gia-2024-v1.xlsx", []),  # QD124: version 2 adds nothing for it
        ("tu-danh-gia-2025-v1.xlsx", ["template-older-version"]),
        ("tu-danh-gia-2025-v1-loi.xlsx", ["template-older-version"]),  # its mistakes unchanged
        ("bien-ban-2024-v1.xlsx", ["template-older-version"]),  # ballot version 2: local forms
        ("bien-ban-2025-v1.xlsx", ["template-older-version"]),  # ballot version 2: local forms
    ],
)
def test_a_file_already_out_this_season_reads_exactly_as_before(
    name: str, added: list[str]
) -> None:
    before = BEFORE[name]
    reading = read_workbook(SEASON / name)
    found = _issues(reading.issues)
    assert [i for i in found if i[0] not in added] == before["issues"]
    assert [i[0] for i in found if i[0] in added] == added  # one warning at most, never an error
    assert all(i[3] == "warning" for i in found if i[0] in added)
    content = reading.content
    if isinstance(content, SelfAssessmentContent):
        assert [_plain(dataclasses.asdict(a)) for a in content.assessments] == [
            {**a, **NEW_FIELDS} for a in before["assessments"]
        ]
        assert _plain(dataclasses.asdict(content.cell)) == before["cell"]
    else:
        assert isinstance(content, BallotContent)
        assert _plain(dataclasses.asdict(content.meeting)) == before["meeting"]
        # what version 1 had, the same; the local forms' fields (ballot version 2) are empty
        tallies = [_plain(dataclasses.asdict(t)) if t else None for t in content.tallies]
        assert len(tallies) == len(before["tallies"])
        for now in tallies:
            if now is not None:
                assert {k: now.pop(k) for k in ("not_rated", "invalid", "conclusion")} == {
                    "not_rated": 0,
                    "invalid": 0,
                    "conclusion": None,
                }
        assert tallies == before["tallies"]


def test_a_roster_already_out_this_season_reads_as_before_with_its_warnings() -> None:
    before = BEFORE["danh-sach-v1.xlsx"]
    the_roster, issues = read_roster(SEASON / "danh-sach-v1.xlsx")
    assert [(i.code, i.severity) for i in issues] == [
        ("template-older-version", Severity.WARNING),
        ("subject-type-defaulted", Severity.WARNING),
    ]
    assert "«Đối tượng (Mẫu 2A/2B/2C)»" in issues[0].message
    assert issues[1].value == str(len(before["members"]))
    assert sorted(the_roster.tree.units) == before["units"]
    members = [_plain(dataclasses.asdict(m)) for m in the_roster.members]
    # every member as before, with the type its leader flag gives: 2A for a leader, else 2B
    assert members == [
        {**m, "subject_type": "2A" if m["is_leader"] else "2B"} for m in before["members"]
    ]
    assert [m["subject_type"] for m in members].count("2A") == 1


@pytest.mark.parametrize(
    ("typed", "read", "codes"),
    [
        (60, 60.0, []),
        (50.5, 50.5, []),
        (0, 0.0, []),
        # «60%» typed in Excel is stored as 0.6: read as 60 %, with a warning
        (0.6, 60.0, ["percent-as-fraction"]),
        (0.555, 55.5, ["percent-as-fraction"]),
        (1, 1.0, []),  # 1 is 1 %, as typed
        (101, None, ["number-out-of-range"]),
    ],
)
def test_a_percentage_column(
    tmp_path: Path, typed: float, read: float | None, codes: list[str]
) -> None:
    made = templates(tmp_path / "t", roster(), year=2026)
    filing = the_2026_filing().with_raw(assessment={f"{SHEET}!P5": typed})
    sa, _ = fill(made["CB01", "self_assessment"], made["CB01", "ballot"], tmp_path, filing)
    reading = read_workbook(sa)
    assert [(i.code, i.location.cell) for i in reading.issues] == [(c, "P5") for c in codes]
    assert isinstance(reading.content, SelfAssessmentContent)
    assert reading.content.assessments[0].tasks_not_completed_percent == read
