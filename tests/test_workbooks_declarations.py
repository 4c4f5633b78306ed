"""The declarations: one place per column, every input explained, lists from the model."""

from __future__ import annotations

import tomllib

import pytest

from toolkit.errors import ConfigError
from toolkit.model import LEVELS, NotRatedReason
from toolkit.resources import workbook_templates_dir
from toolkit.workbooks.declarations import (
    KINDS,
    LISTS,
    cell_ref,
    column_letter,
    features_for,
    load_declaration,
    parse_declaration,
)

DECLARATIONS = [load_declaration(kind) for kind in KINDS]


@pytest.mark.parametrize("declaration", DECLARATIONS, ids=KINDS)
def test_every_input_column_is_labelled_in_both_languages_and_explained(declaration) -> None:
    for sheet in declaration.sheets:
        keys = [c.key for c in sheet.columns]
        assert len(keys) == len(set(keys)), sheet.key
        labels = [c.label for c in sheet.columns if c.type != "heading"]
        assert len(labels) == len(set(labels)), sheet.key
        for column in sheet.columns:
            assert column.label and column.label_en, column.key
            if column.is_input:
                assert column.help, f"{sheet.key}.{column.key} has no help text"
                assert len(column.help) <= 255, "Excel input messages hold 255 characters"


@pytest.mark.parametrize("declaration", DECLARATIONS, ids=KINDS)
def test_instructions_are_in_vietnamese_with_their_placeholders(declaration) -> None:
    text = " ".join(declaration.instructions)
    assert "ế" in text or "ư" in text  # diacritics: Vietnamese, not ASCII
    if declaration.kind == "decisions":  # made for the deciding committee, not a cell
        assert "{committee_name}" in text and "{year}" in text
    elif declaration.kind != "roster":
        assert "{cell_name}" in text and "{year}" in text


def test_positions_come_from_the_order_of_the_declaration() -> None:
    members = load_declaration("self_assessment").layout("members")
    assert members.ref("self_level", 12) == "E12"
    assert members.first_data_row == 5
    with_scores = load_declaration("self_assessment").layout("members", features_for(True))
    assert with_scores.ref("self_score", 12) == "F12"
    assert with_scores.ref("not_rated_reason", 12) == "G12"
    meeting = load_declaration("ballot").layout("meeting")
    assert meeting.ref("meeting_date") == "B8" and meeting.ref("ballots_valid") == "B17"
    papers = load_declaration("ballot").layout("papers")
    assert papers.first_data_row == 6


def test_column_letters_and_refs() -> None:
    assert [column_letter(i) for i in (0, 25, 26, 701)] == ["A", "Z", "AA", "ZZ"]
    assert cell_ref(1048576, 16383) == "XFD1048576"


def test_drop_down_lists_are_the_model_labels() -> None:
    assert LISTS["levels"] == tuple(level.full_name for level in LEVELS)
    assert LISTS["reasons"][0] == NotRatedReason.EXEMPT.label == "Miễn công tác và sinh hoạt đảng"
    assert LISTS["yes_no"] == ("Có", "Không")


def test_features_follow_the_rule_set() -> None:
    assert features_for(False) == ()
    assert features_for(True) == ("scores",)
    assert features_for(True, True) == ("scores", "scores_required")


@pytest.mark.parametrize(
    ("where", "bad"),
    [
        ("column", {"colour": "red"}),
        ("column", {"type": "currency"}),
        ("column", {"type": "choice", "list": "fruits"}),
        ("column", {"required_when": "sometimes"}),
        ("sheet", {"layout": "poster"}),
    ],
)
def test_a_typo_in_a_declaration_is_a_configuration_error(where: str, bad: dict) -> None:
    path = workbook_templates_dir() / "ballot.toml"
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    if where == "column":
        data["sheets"][1]["columns"][4].update(bad)
    else:
        data["sheets"][1].update(bad)
    with pytest.raises(ConfigError):
        parse_declaration("ballot.toml", data)
