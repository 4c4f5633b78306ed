"""The issue's "done when": a generated workbook, filled as a secretary would, reads back exactly,
and each mistake produces its issue at the right cell."""

from __future__ import annotations

import dataclasses
import datetime as dt
import unicodedata
from pathlib import Path

import pytest
from bad_inputs.clean import YEAR, cb01_filing, fill, roster, templates

from toolkit.model import NotRatedReason, RatingLevel, Severity, VoteTally
from toolkit.workbooks.cellbooks import BallotContent, SelfAssessmentContent
from toolkit.workbooks.generate import write_roster
from toolkit.workbooks.read import read_workbook
from toolkit.workbooks.validation import validate_paths


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    return templates(tmp_path_factory.mktemp("templates"), roster())


@pytest.fixture(scope="module")
def roster_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("roster") / "danh-sach.xlsx"
    write_roster(roster(), path)
    return path


def test_a_clean_filing_reads_back_exactly(made, tmp_path: Path) -> None:
    filing = cb01_filing()
    sa, bb = fill(made["CB01", "self_assessment"], made["CB01", "ballot"], tmp_path, filing)

    assessment, ballot = read_workbook(sa), read_workbook(bb)

    assert assessment.issues == () and ballot.issues == ()
    assert isinstance(assessment.content, SelfAssessmentContent)
    assert assessment.content.assessments == filing.assessments
    assert assessment.content.cell == filing.cell
    assert [r.member_id for r in assessment.content.rows] == [
        "DV001", "DV002", "DV003", "DV004", "DV005", "DV006", "DV007",
    ]  # fmt: skip
    assert isinstance(ballot.content, BallotContent)
    assert ballot.content.meeting == filing.meeting
    assert tuple(t for t in ballot.content.tallies if t is not None) == filing.tallies
    assert ballot.content.cell_tally == filing.cell_tally
    assert ballot.content.papers == 4
    assert ballot.modified == dt.datetime(2023, 12, 19, 9, 30)


def test_under_qd366_the_scores_come_back_too(tmp_path: Path) -> None:
    made = templates(tmp_path / "t", roster(), year=2025)
    filing = cb01_filing(scores=True)
    filing = dataclasses.replace(
        filing, meeting=dataclasses.replace(filing.meeting, meeting_date=dt.date(2025, 12, 10))
    )
    sa, _ = fill(made["CB01", "self_assessment"], made["CB01", "ballot"], tmp_path, filing)

    assessment = read_workbook(sa)

    assert assessment.identity is not None and assessment.identity.ruleset == "QD366"
    assert assessment.issues == ()
    assert isinstance(assessment.content, SelfAssessmentContent)
    assert [a.self_score for a in assessment.content.assessments] == [
        93.0, 85.5, 62.0, None, 80.0, 75.0, None,
    ]  # fmt: skip
    assert assessment.content.cell.score == 88.0


def test_under_qd366_a_missing_score_is_pinned_to_its_cell(tmp_path: Path) -> None:
    made = templates(tmp_path / "t", roster(), year=2025)
    # version 2: the parts are asked for (G common criteria, H task results); the total may
    # be left blank to be added up
    filing = cb01_filing(scores=True).with_raw(
        assessment={"Tự đánh giá!H6": None, "Tự đánh giá!I6": None, "Tự đánh giá!I7": None}
    )
    sa, _ = fill(made["CB01", "self_assessment"], made["CB01", "ballot"], tmp_path, filing)

    reading = read_workbook(sa)

    assert [(i.code, i.location.cell, i.member_id) for i in reading.issues] == [
        ("required-missing", "H6", "DV002")
    ]
    assert isinstance(reading.content, SelfAssessmentContent)
    assert [a.self_score for a in reading.content.assessments][:3] == [93.0, None, 62.0]


def test_each_mistake_of_a_secretary_is_pinned_to_its_cell(made, roster_file, tmp_path) -> None:
    filing = cb01_filing().with_raw(
        assessment={
            "Tự đánh giá!E6": "Tốt",  # not a level: DV002's self-rating
            "Tự đánh giá!K7": "3 tháng",  # words in DV003's months of sick leave
            "Tự đánh giá!E8": "Hoàn thành tốt nhiệm vụ",  # a rating for DV004, who is exempt
            "Tự đánh giá!L9": "4",  # DV005's maternity leave typed as text
        },
        ballot={
            "Biên bản!B8": dt.datetime(2022, 12, 18),  # last year's date
            "Biên bản!B11": 5,  # more present than convened (5 official, 1 not counted)
            "Kiểm phiếu!E5": 2,  # DV001 has 3 HTXSNV votes on the papers
            "Kiểm phiếu!F6": "=2+2",  # a formula without a cached value
        },
    )
    sa, bb = fill(made["CB01", "self_assessment"], made["CB01", "ballot"], tmp_path, filing)

    report = validate_paths([sa, bb], roster_path=roster_file, year=YEAR)

    found = {
        (file, code, cell) for file, code, cell in report.flatten() if file != roster_file.name
    }
    assert found == {
        ("tu-danh-gia.xlsx", "value-not-allowed", "E6"),
        ("tu-danh-gia.xlsx", "not-a-number", "K7"),
        ("tu-danh-gia.xlsx", "rating-for-not-rated", "E8"),
        ("tu-danh-gia.xlsx", "number-as-text", "L9"),
        ("bien-ban.xlsx", "date-outside-year", "B8"),
        ("bien-ban.xlsx", "present-exceeds-convened", "B11"),
        ("bien-ban.xlsx", "tally-papers-mismatch", "E5"),
        ("bien-ban.xlsx", "formula-no-cached-value", "F6"),
    }
    by_cell = {i.location.cell: i for i in report.issues}
    assert by_cell["E6"].value == "Tốt" and by_cell["E6"].member_id == "DV002"
    assert by_cell["K7"].value == "3 tháng" and by_cell["K7"].unit_code == "CB01"
    assert by_cell["E8"].severity is Severity.ERROR
    assert by_cell["L9"].severity is Severity.WARNING
    assert by_cell["F6"].value == "=2+2"
    assert "18/12/2022" in by_cell["B8"].message


@pytest.mark.parametrize(
    ("typed", "months", "code"),
    [
        ("3,5", 3.5, "number-as-text"),  # the decimal comma the instructions show ("1,5")
        ("1,5", 1.5, "number-as-text"),
        ("4", 4.0, "number-as-text"),
        ("3.5", None, "not-a-number"),  # a point is never read: "80.000" is 80 or 80,000
        ("3 tháng", None, "not-a-number"),
    ],
)
def test_leave_months_typed_as_text(
    made, tmp_path, typed: str, months: float | None, code: str
) -> None:
    filing = cb01_filing().with_raw(assessment={"Tự đánh giá!K7": typed})
    sa, _ = fill(made["CB01", "self_assessment"], made["CB01", "ballot"], tmp_path, filing)

    reading = read_workbook(sa)

    assert [(i.code, i.location.cell, i.value) for i in reading.issues] == [(code, "K7", typed)]
    if months is not None:
        assert isinstance(reading.content, SelfAssessmentContent)
        assert reading.content.assessments[2].sick_leave_months == months  # DV003, row 7
        return
    message = reading.issues[0].message
    # what was typed, and what would be accepted
    assert f"chứa «{typed}»" in message and "«3», «1,5»" in message


def test_everything_else_still_reads_back_when_there_are_mistakes(made, tmp_path) -> None:
    filing = cb01_filing().with_raw(
        assessment={"Tự đánh giá!E6": "Tốt", "Tự đánh giá!L9": "4"},
        ballot={"Kiểm phiếu!E5": 2},
    )
    sa, bb = fill(made["CB01", "self_assessment"], made["CB01", "ballot"], tmp_path, filing)

    assessment, ballot = read_workbook(sa).content, read_workbook(bb).content

    assert isinstance(assessment, SelfAssessmentContent)
    expected = list(filing.assessments)
    expected[1] = dataclasses.replace(expected[1], self_level=None)  # the unusable value
    assert list(assessment.assessments) == expected  # "4" as text is still 4 months
    assert isinstance(ballot, BallotContent)
    # the papers decide: the tally is recounted from them, and the typed 2 is reported
    assert ballot.tallies[0] == VoteTally("DV001", (3, 1, 0, 0), 0)


def test_spellings_are_normalised_before_they_are_compared(made, tmp_path) -> None:
    nfd = unicodedata.normalize("NFD", "Hoàn thành xuất sắc nhiệm vụ")
    filing = cb01_filing().with_raw(
        assessment={
            "Tự đánh giá!E5": f"  {nfd}  ",  # NFD and spaces around
            "Tự đánh giá!M5": "htxs",  # short form, lower case
            "Tự đánh giá!G6": " co ",  # "Có" without accents, with spaces
            "Tự đánh giá!F8": "MIỄN CÔNG TÁC VÀ SINH HOẠT ĐẢNG",
        }
    )
    sa, _ = fill(made["CB01", "self_assessment"], made["CB01", "ballot"], tmp_path, filing)

    reading = read_workbook(sa)

    assert reading.issues == ()
    assert isinstance(reading.content, SelfAssessmentContent)
    first, second, _, fourth = reading.content.assessments[:4]
    assert first.self_level is RatingLevel.HTXSNV and first.committee_proposal is RatingLevel.HTXSNV
    assert second.disciplined_in_year is True
    assert fourth.not_rated_reason is NotRatedReason.EXEMPT
