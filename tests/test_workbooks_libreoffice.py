"""LibreOffice, a real spreadsheet client, opens every generated workbook and saves it again.

Each template (blank roster, both cell workbooks under QD124 and QD366) must convert without an
error; and a filled pair saved again by LibreOffice must still be recognised and read back to the
same values: the identity block, the hidden sheets and the layout survive a real client.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from bad_inputs.clean import cb01_filing, fill, roster, templates
from libreoffice import resave

from toolkit.workbooks.cellbooks import BallotContent, SelfAssessmentContent
from toolkit.workbooks.generate import write_blank_roster
from toolkit.workbooks.read import read_roster, read_workbook

#: what a blank template may say once read: only that nothing was filled in yet
BLANK_CODES = {"required-missing", "rating-missing"}


def resave_with_libreoffice(sources: list[Path], tmp: Path) -> Path:
    """Each file opened and saved again by LibreOffice, which says nothing went wrong."""
    out, done = resave(sources, tmp)
    assert done.returncode == 0, done.stderr
    assert "Error" not in done.stderr, done.stderr
    return out


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("lo")
    sources: dict[str, Path] = {}
    blank = tmp / "src" / "blank-roster.xlsx"
    blank.parent.mkdir()
    write_blank_roster(blank)
    sources["blank roster"] = blank
    for year in (2023, 2025):
        made = templates(tmp / f"t{year}", roster(), year=year)
        for kind in ("self_assessment", "ballot"):
            target = tmp / "src" / f"{kind}-{year}.xlsx"
            shutil.copy(made["CB01", kind], target)
            sources[f"{kind} {year}"] = target
    made = templates(tmp / "filled-templates", roster())
    sa, bb = fill(made["CB01", "self_assessment"], made["CB01", "ballot"], tmp / "filled",
                  cb01_filing(), names=("filled-sa.xlsx", "filled-ballot.xlsx"))  # fmt: skip
    sources["filled self_assessment"], sources["filled ballot"] = sa, bb
    out = resave_with_libreoffice(list(sources.values()), tmp)
    return {name: out / path.name for name, path in sources.items()}


@pytest.mark.parametrize("kind", ["self_assessment", "ballot"])
@pytest.mark.parametrize("year", [2023, 2025])
def test_each_template_survives_libreoffice(converted, kind: str, year: int) -> None:
    reading = read_workbook(converted[f"{kind} {year}"])
    assert reading.identity is not None and reading.identity.kind == kind
    assert reading.identity.cell_code == "CB01" and reading.identity.year == year
    assert reading.content is not None
    assert {i.code for i in reading.issues} <= BLANK_CODES, reading.issues


def test_the_blank_roster_survives_libreoffice(converted) -> None:
    read, issues = read_roster(converted["blank roster"])
    assert issues == ()
    assert read.members == ()


def test_a_filled_pair_saved_by_libreoffice_reads_back_exactly(converted) -> None:
    filing = cb01_filing()
    assessment = read_workbook(converted["filled self_assessment"])
    ballot = read_workbook(converted["filled ballot"])
    assert assessment.issues == () and ballot.issues == ()
    assert isinstance(assessment.content, SelfAssessmentContent)
    assert assessment.content.assessments == filing.assessments
    assert isinstance(ballot.content, BallotContent)
    assert ballot.content.meeting == filing.meeting
    assert tuple(t for t in ballot.content.tallies if t is not None) == filing.tallies
    assert ballot.content.papers == len({b.paper_no for b in filing.papers})
