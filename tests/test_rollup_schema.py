"""A roll-up's ket-qua.json against the JSON Schema shipped for its kind
(``toolkit/schemas/ket-qua-rollup.schema.json``), and the README's table of its fields."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from conftest import invalid_results_files
from test_outputs_json import schema_fields

import toolkit
from toolkit.outputs.json_out import results_schema
from toolkit.rollup.json_out import SCHEMA_FILE, SCHEMA_VERSION, rollup_schema

#: what a roll-up shares with aggregate's document, word for word (the README describes them
#: once, in aggregate's table)
SHARED_PROPERTIES = ("toolkit_version", "year", "generated_on", "ruleset", "issues", "inputs")
SHARED_DEFS = ("counts", "counts_fields", "issue", "switch")


@pytest.fixture(scope="module")
def doc(demo_district: Path) -> dict[str, Any]:
    """The demo's roll-up (two committees for the city, QĐ 366: subjects recorded)."""
    document: dict[str, Any] = json.loads(
        (demo_district / "cap-tren" / "ket-qua.json").read_text(encoding="utf-8")
    )
    return document


def errors(document: dict[str, Any]) -> list[str]:
    """Where the schema finds fault, as paths."""
    validator = jsonschema.Draft202012Validator(rollup_schema())
    return sorted(
        {"/".join(str(p) for p in e.absolute_path) for e in validator.iter_errors(document)}
    )


def copy(document: dict[str, Any]) -> dict[str, Any]:
    copied: dict[str, Any] = json.loads(json.dumps(document))
    return copied


def test_the_roll_up_validates_against_its_own_schema(doc: dict[str, Any]) -> None:
    schema = rollup_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    assert (doc["schema"], doc["schema_version"], doc["kind"]) == ("xeploai/ket-qua/1", 2, "rollup")
    assert list(doc)[:3] == ["schema", "schema_version", "kind"]
    assert errors(doc) == []
    assert schema["properties"]["schema_version"]["const"] == SCHEMA_VERSION
    # every field the document writes is one the schema names, and the other way round
    assert list(schema["properties"]) == list(doc) == schema["required"]
    assert any(o["counts"] and o["counts"]["subjects"] for o in doc["organizations"])


def test_the_aggregate_schema_refuses_a_roll_up(doc: dict[str, Any]) -> None:
    validator = jsonschema.Draft202012Validator(results_schema())
    assert not validator.is_valid(doc)


def test_what_the_roll_up_shares_with_aggregate_is_the_same_schema() -> None:
    mine, theirs = rollup_schema(), results_schema()
    for key in SHARED_PROPERTIES:
        assert mine["properties"][key] == theirs["properties"][key], key
    for key in SHARED_DEFS:
        assert mine["$defs"][key] == theirs["$defs"][key], key


def _rated(d: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = next(o for o in d["organizations"] if o["counts"])
    return found


@pytest.mark.parametrize(
    "change",
    [
        lambda d: _rated(d)["counts"].update(subjects=None),  # QĐ 124: not recorded
        lambda d: _rated(d)["counts"].pop("subjects"),  # an organization of the previous version
        lambda d: d["organizations"].clear(),
        lambda d: d["summary"].pop(),  # no package recorded subject types: two tables
    ],
    ids=["subjects-null", "subjects-absent", "no-organizations", "two-tables"],
)
def test_what_a_roll_up_may_hold(doc: dict[str, Any], change: Any) -> None:
    changed = copy(doc)
    change(changed)
    assert errors(changed) == []


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (lambda d: d.update(schema_version=1), "schema_version"),
        (lambda d: d.update(kind="aggregate"), "kind"),
        (lambda d: d["totals"].pop("organizations"), "totals"),
        (lambda d: d["count_order"].update(subjects=["2B", "2A", "2C"]), "count_order/subjects"),
        (lambda d: d["completeness"].update(all_decided="no"), "completeness/all_decided"),
        (lambda d: d["committees"][0].update(status="ok"), "committees/0/status"),
        (lambda d: d["types"][0]["organizations"].pop("proposed"), "types/0/organizations"),
        (lambda d: d["summary"][0]["total"].update(note=None), "summary/0/total/note"),
        (lambda d: d["cases"][0].update(case="other"), "cases/0/case"),
        (lambda d: d["cases"][0].update(path=[]), "cases/0/path"),
        (lambda d: _rated(d).update(members=[]), "organizations/0"),
        (lambda d: _rated(d).update(status="ok"), "organizations/0/status"),
        (lambda d: _rated(d)["counts"]["levels"].append(0), "organizations/0/counts/levels"),
        (
            lambda d: _rated(d)["counts"]["not_rated"].__setitem__(0, -1),
            "organizations/0/counts/not_rated/0",
        ),
        (lambda d: _rated(d)["counts"]["subjects"].pop(), "organizations/0/counts/subjects"),
        (
            lambda d: _rated(d)["counts"]["subjects"][0].append(0),
            "organizations/0/counts/subjects/0",
        ),
        (
            lambda d: _rated(d)["counts"]["subjects"][1].__setitem__(0, 0.5),
            "organizations/0/counts/subjects/1/0",
        ),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_the_schema_refuses_what_the_roll_up_does_not_say(
    doc: dict[str, Any], change: Any, path: str
) -> None:
    broken = copy(doc)
    assert doc["organizations"][0]["counts"], "the first organization is rated"
    change(broken)
    assert errors(broken) == [path]


def test_the_readme_describes_every_field_of_the_roll_up() -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("<!-- ket-qua-rollup-schema -->", 1)[1]
    section = section.split("<!-- /ket-qua-rollup-schema -->")[0]
    schema = rollup_schema()
    # the parts shared with aggregate are described in aggregate's table (the same schema)
    for key in SHARED_PROPERTIES:
        schema["properties"][key] = {}
    for key in SHARED_DEFS:
        del schema["$defs"][key]
    missing = sorted(f for f in schema_fields(schema) if f"`{f}`" not in section)
    assert missing == []
    assert f"`schema_version` (hiện là {SCHEMA_VERSION})" in section.replace("\n", " ")


def test_the_roll_up_schema_travels_inside_the_package() -> None:
    assert SCHEMA_FILE.parent.parent == Path(toolkit.__file__).resolve().parent


def test_the_session_check_takes_the_schema_of_each_kind(doc: dict[str, Any]) -> None:
    # outside the session's temporary folder, so that the session's own check does not see it
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        previous = copy(doc)  # a roll-up of the previous version: no schema_version, no subjects
        del previous["schema_version"]
        for o in previous["organizations"]:
            if o["counts"]:
                del o["counts"]["subjects"]
        bad = copy(doc)
        del bad["completeness"]["refused"]
        unknown = copy(doc)
        unknown["kind"] = "national"
        for name, document in [
            ("good", doc),
            ("previous", previous),
            ("bad", bad),
            ("unknown", unknown),
        ]:
            (root / name).mkdir()
            (root / name / "ket-qua.json").write_text(json.dumps(document), encoding="utf-8")
        problems = invalid_results_files(root)
        # what a test breaks on purpose (to see a higher roll-up refuse it) is passed by
        on_purpose = {(root / "bad" / "ket-qua.json").resolve()}
        assert not any("/bad/" in p for p in invalid_results_files(root, skip=on_purpose))
    assert problems, "a broken roll-up is found"
    assert not any("/good/" in p or "/previous/" in p for p in problems)
    bad_lines = [p for p in problems if "/bad/ket-qua.json: " in p]
    assert bad_lines == [f"{root}/bad/ket-qua.json: completeness: 'refused' is a required property"]
    # a kind nobody wrote is checked against aggregate's schema, which names no such document
    assert any("/unknown/ket-qua.json: " in p for p in problems)
    assert len(problems) == len(bad_lines) + sum("/unknown/" in p for p in problems)
