"""openpyxl reads with defusedxml, and nothing that opens a workbook expands an XML entity."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import openpyxl.xml
import pytest
from bad_inputs.clean import cb01_filing
from bad_inputs.corpus import billion_laughs, external_entity, workshop
from defusedxml import DefusedXmlException

from toolkit.errors import InputError
from toolkit.workbooks.fill import fill_ballot
from toolkit.workbooks.read import read_workbook


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory):
    return workshop(tmp_path_factory.mktemp("shop"))


def test_openpyxl_has_defusedxml_active() -> None:
    assert openpyxl.xml.DEFUSEDXML is True
    # not lxml, though python-docx installs it: openpyxl would parse without defusedxml
    assert openpyxl.xml.LXML is False


@pytest.mark.parametrize("build", [billion_laughs, external_entity], ids=["laughs", "xxe"])
def test_openpyxl_refuses_entities_instead_of_expanding_them(shop, build) -> None:
    hostile: Path = build(shop)
    with open(hostile, "rb") as fh, pytest.raises(ValueError) as refused:
        openpyxl.load_workbook(fh)  # openpyxl wraps the parser's refusal in a ValueError
    cause = refused.value.__cause__ or refused.value.__context__
    assert isinstance(cause, DefusedXmlException)


def test_the_secretary_refuses_a_hostile_template_with_a_clear_error(shop) -> None:
    hostile = billion_laughs(shop)
    filing_target = shop.folder / "out.xlsx"
    filing = cb01_filing()
    with pytest.raises(InputError, match="Không mở được biểu mẫu"):
        fill_ballot(hostile, filing_target, filing.meeting, filing.tallies, filing.cell_tally)
    assert not filing_target.exists()


def test_the_reader_reports_entities_and_never_parses_them(shop) -> None:
    reading = read_workbook(external_entity(shop))
    assert [i.code for i in reading.issues] == ["xml-dtd-forbidden"]
    assert reading.issues[0].value == "xl/workbook.xml"
    assert "passwd" not in reading.issues[0].message
