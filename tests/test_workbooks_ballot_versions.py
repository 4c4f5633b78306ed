"""The ballot as the local forms have it (HD 03-HD/TVĐU Mẫu 11, 13): a fifth choice per member,
invalid votes, the meeting's conclusion; and files made from the previous template, already
out with secretaries, still read exactly as before with one warning."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from bad_inputs.clean import cb01_filing, fill, roster, templates

from toolkit.model import RatingLevel, VoteTally
from toolkit.workbooks import declarations, generate
from toolkit.workbooks.cellbooks import BallotContent
from toolkit.workbooks.read import read_workbook

HTXS, HTT = RatingLevel.HTXSNV, RatingLevel.HTTNV


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    return templates(tmp_path_factory.mktemp("templates"), roster())


def version_1() -> declarations.Declaration:
    """The ballot declaration as it was before the "local_ballot" columns (version 1)."""
    current = declarations.load_declaration("ballot")
    sheets = []
    for sheet in current.sheets:
        columns = tuple(
            dataclasses.replace(c, formula="=SUM({votes_htxsnv}:{votes_blank})")
            if c.key == "votes_total"
            else c
            for c in sheet.columns
            if c.when != "local_ballot"
        )
        sheets.append(dataclasses.replace(sheet, columns=columns))
    return dataclasses.replace(current, version=1, features=(), sheets=tuple(sheets))


@pytest.fixture(scope="module")
def made_v1(
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[tuple[str, str], Path]:
    """Workbooks made by the previous template, as secretaries hold them this season."""
    with pytest.MonkeyPatch.context() as patch:
        old = version_1()
        patch.setattr(generate, "load_declaration", lambda kind: old if kind == "ballot" else
                      declarations.load_declaration(kind))  # fmt: skip
        return templates(tmp_path_factory.mktemp("templates-v1"), roster())


def test_a_file_of_the_previous_template_reads_as_before_with_one_warning(
    made_v1, tmp_path: Path
) -> None:
    filing = cb01_filing()
    _, bb = fill(made_v1["CB01", "self_assessment"], made_v1["CB01", "ballot"], tmp_path, filing)

    ballot = read_workbook(bb)

    assert ballot.identity is not None and ballot.identity.template_version == 1
    assert [(i.code, i.severity.value) for i in ballot.issues] == [
        ("template-older-version", "warning")
    ]
    message = ballot.issues[0].message
    assert "phiên bản 1" in message and "phiên bản 2 có thêm" in message
    assert "«Chưa đánh giá, xếp loại»" in message and "«Kết luận của hội nghị»" in message
    assert isinstance(ballot.content, BallotContent)
    assert ballot.content.meeting == filing.meeting
    assert tuple(t for t in ballot.content.tallies if t is not None) == filing.tallies
    assert ballot.content.papers == 4


def test_a_mistake_in_a_previous_template_file_is_pinned_as_before(made_v1, tmp_path: Path) -> None:
    # DV001's votes do not add up: the span is the old one, E to I
    filing = cb01_filing().with_raw(ballot={"Kiểm phiếu!G5": 1, "Phiếu bầu!A6": None})
    filing = dataclasses.replace(filing, papers=())
    _, bb = fill(made_v1["CB01", "self_assessment"], made_v1["CB01", "ballot"], tmp_path, filing)

    issues = read_workbook(bb).issues

    assert [(i.code, i.location.cell) for i in issues] == [
        ("template-older-version", ""),
        ("votes-sum-mismatch", "E5:I5"),
    ]


def test_the_fifth_choice_invalid_votes_and_the_conclusion_read_back(made, tmp_path: Path) -> None:
    filing = cb01_filing()
    tallies = {t.member_id: t for t in filing.tallies}
    # paper 4: DV001's box is spoiled, DV003 "chưa đánh giá, xếp loại" (was blank)
    tallies["DV001"] = VoteTally("DV001", (3, 0, 0, 0), 0, invalid=1, conclusion=HTXS)
    tallies["DV003"] = VoteTally("DV003", (0, 1, 2, 0), 0, not_rated=1)
    filing = dataclasses.replace(filing, tallies=tuple(tallies.values())).with_raw(
        ballot={"Phiếu bầu!B9": "Không hợp lệ", "Phiếu bầu!D9": "Chưa đánh giá, xếp loại"}
    )
    _, bb = fill(made["CB01", "self_assessment"], made["CB01", "ballot"], tmp_path, filing)

    ballot = read_workbook(bb)

    assert ballot.issues == ()
    assert isinstance(ballot.content, BallotContent)
    read = {t.member_id: t for t in ballot.content.tallies if t is not None}
    assert read["DV001"] == tallies["DV001"]
    assert read["DV003"] == tallies["DV003"]
    assert read["DV001"].total == read["DV003"].total == 4  # = the valid ballots


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # paper 4 says "chưa đánh giá, xếp loại" for DV003 where the tally typed a blank: the
        # recount stands and both cells are named
        (
            {"Phiếu bầu!D9": "Chưa đánh giá, xếp loại"},
            [("tally-papers-mismatch", "I7"), ("tally-papers-mismatch", "J7")],
        ),
        # invalid votes typed that the papers do not show
        ({"Kiểm phiếu!K6": 1}, [("tally-papers-mismatch", "K6")]),
    ],
)
def test_the_papers_check_the_new_columns(
    made, tmp_path: Path, raw: dict[str, object], expected: list[tuple[str, str]]
) -> None:
    filing = cb01_filing().with_raw(ballot=raw)
    _, bb = fill(made["CB01", "self_assessment"], made["CB01", "ballot"], tmp_path, filing)

    issues = read_workbook(bb).issues

    assert [(i.code, i.location.cell) for i in issues] == expected


def test_votes_for_the_fifth_choice_count_in_the_sum(made, tmp_path: Path) -> None:
    # DV002 had 4 HTTNV; one of them typed as "chưa đánh giá, xếp loại" without papers: the
    # row still adds up to 4; typed on top of the 4 it is one too many
    filing = dataclasses.replace(cb01_filing(), papers=())
    ok = filing.with_raw(ballot={"Kiểm phiếu!F6": 3, "Kiểm phiếu!I6": 1})
    _, bb = fill(made["CB01", "self_assessment"], made["CB01", "ballot"], tmp_path / "a", ok)
    assert read_workbook(bb).issues == ()
    over = filing.with_raw(ballot={"Kiểm phiếu!I6": 1})
    _, bb = fill(made["CB01", "self_assessment"], made["CB01", "ballot"], tmp_path / "b", over)
    assert [(i.code, i.location.cell) for i in read_workbook(bb).issues] == [
        ("votes-sum-mismatch", "E6:K6")
    ]
