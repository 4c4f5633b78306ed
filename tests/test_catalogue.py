"""Every issue code is described, worded in both languages, and renders without errors."""

from __future__ import annotations

import re
import string

import pytest

from toolkit import catalogue
from toolkit.model import Location, Severity

TYPES = catalogue.all_types()


def test_catalogue_is_not_empty_and_codes_are_unique() -> None:
    codes = [t.code for t in TYPES]
    assert codes and len(codes) == len(set(codes))


@pytest.mark.parametrize("issue_type", TYPES, ids=lambda t: t.code)
def test_each_code_has_a_description_and_messages(issue_type: catalogue.IssueType) -> None:
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", issue_type.code)
    for text in (issue_type.title, issue_type.title_en, issue_type.message, issue_type.message_en):
        assert text.strip(), f"{issue_type.code}: empty text"
    assert issue_type.severity in (Severity.ERROR, Severity.WARNING)


@pytest.mark.parametrize("issue_type", TYPES, ids=lambda t: t.code)
def test_both_messages_use_the_same_fields(issue_type: catalogue.IssueType) -> None:
    def fields(template: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(template) if name}

    assert fields(issue_type.message) == fields(issue_type.message_en)


@pytest.mark.parametrize("issue_type", TYPES, ids=lambda t: t.code)
def test_make_renders_every_code(issue_type: catalogue.IssueType) -> None:
    names = {n for _, n, _, _ in string.Formatter().parse(issue_type.message) if n}
    params = {n: f"<{n}>" for n in names - {"value"}}
    issue = catalogue.make(
        issue_type.code, location=Location("a.xlsx", "Sheet", "B2"), value="x", **params
    )
    assert issue.code == issue_type.code
    assert "{" not in issue.message and "{" not in issue.message_en
    assert str(issue.location) == "a.xlsx › Sheet › B2"


def test_unknown_code_is_a_programming_error() -> None:
    with pytest.raises(KeyError):
        catalogue.make("no-such-code")


def test_a_code_must_be_kebab_case() -> None:
    bad = catalogue.IssueType("Not_Kebab", Severity.ERROR, "t", "t", "m", "m")
    with pytest.raises(ValueError, match="kebab"):
        catalogue.define(bad)
