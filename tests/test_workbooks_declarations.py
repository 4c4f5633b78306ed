"""The declarations: one place per column, every input explained, lists from the model."""

from __future__ import annotations

import tomllib

import pytest

from toolkit.errors import ConfigError
from toolkit.model import LEVELS, NotRatedReason, SubjectType
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
    assert with_scores.ref("common_score", 12) == "F12"
    assert with_scores.ref("task_score", 12) == "G12"
    assert with_scores.ref("self_score", 12) == "H12"
    assert with_scores.ref("not_rated_reason", 12) == "I12"
    meeting = load_declaration("ballot").layout("meeting")
    assert meeting.ref("meeting_date") == "B8" and meeting.ref("ballots_valid") == "B17"
    papers = load_declaration("ballot").layout("papers")
    assert papers.first_data_row == 6


#: where a file of each template version has its columns (the 2025 ones only in version 2)
_SCORED = features_for(True, True, conditions=True)


@pytest.mark.parametrize(
    ("version", "key", "ref"),
    [
        (1, "self_level", "E12"),
        (1, "self_score", "F12"),
        (1, "not_rated_reason", "G12"),
        (1, "committee_proposal", "N12"),
        (2, "subject_type", "E12"),
        (2, "self_level", "F12"),
        (2, "common_score", "G12"),
        (2, "task_score", "H12"),
        (2, "self_score", "I12"),
        (2, "shortcomings_remedied", "O12"),
        (2, "tasks_not_completed_percent", "P12"),
        (2, "low_confidence_percent", "Q12"),
        (2, "committee_proposal", "T12"),
    ],
)
def test_a_file_of_each_version_is_read_where_that_version_wrote(
    version: int, key: str, ref: str
) -> None:
    layout = load_declaration("self_assessment").layout("members", _SCORED, version)
    assert layout.ref(key, 12) == ref


@pytest.mark.parametrize(
    ("kind", "features", "added"),
    [
        ("self_assessment", (), []),
        (
            "self_assessment",
            _SCORED,
            [
                "subject_type",
                "common_score",
                "task_score",
                "shortcomings_remedied",
                "tasks_not_completed_percent",
                "low_confidence_percent",
            ],
        ),
        ("roster", (), ["subject_type"]),
        ("ballot", _SCORED, []),
    ],
)
def test_what_version_2_adds_to_a_version_1_file(kind: str, features, added) -> None:
    assert [c.key for c in load_declaration(kind).added_since(1, features)] == added
    # a version-1 file could not name the conditions: they come with the scores
    if "scores" in features:
        v1 = tuple(f for f in features if f != "conditions")
        assert [c.key for c in load_declaration(kind).added_since(1, v1)] == added


@pytest.mark.parametrize("kind", ["self_assessment", "roster"])
def test_every_header_fits_the_three_lines_of_its_row(kind: str) -> None:
    # seen in LibreOffice's PDF of the 2026 template: a header of more than about 2.9
    # characters per unit of width needs four lines and was clipped at the top of the
    # 48-point header row (47 characters in 16 units were; 49 in 17 fit)
    for sheet in load_declaration(kind).sheets:
        if sheet.layout != "table":
            continue
        for column in sheet.columns:
            assert len(column.label) <= 2.9 * column.width, (column.key, column.width)


def test_the_subject_type_fits_its_cells() -> None:
    # seen in LibreOffice: the long labels wrapped over the rows below in the self-assessment
    # (now «Mẫu 2A») and ran past the roster's column (now wide enough)
    members = load_declaration("self_assessment").sheet("members")
    prefilled = next(c for c in members.columns if c.key == "subject_type")
    assert all(len(t.form) < prefilled.width for t in SubjectType)
    roster = load_declaration("roster").sheet("members")
    typed = next(c for c in roster.columns if c.key == "subject_type")
    # Times New Roman: 58 characters showed within 50 units
    assert all(len(label) <= 1.2 * typed.width for label in LISTS["subject_types"])


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
