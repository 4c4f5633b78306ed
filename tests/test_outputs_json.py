"""ket-qua.json: the contract the mail command reads, checked key by key."""

from __future__ import annotations

import json
import tempfile
from fractions import Fraction
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from builders import lien_chieu, results_json, write_case
from conftest import invalid_results_files

import toolkit
from toolkit.mail.folder import read_results
from toolkit.outputs.json_out import SCHEMA_FILE, SCHEMA_VERSION, results_schema


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("out")
    write_case(lien_chieu(), folder)
    return folder


@pytest.fixture(scope="module")
def doc(out: Path) -> dict[str, Any]:
    return results_json(out)


def test_the_contract_keys(doc: dict[str, object]) -> None:
    assert (doc["schema"], doc["schema_version"]) == ("xeploai/ket-qua/1", 2)
    assert doc["toolkit_version"] == "0.1.0" and doc["year"] == 2023
    assert doc["generated_on"] == "2024-01-05"
    assert isinstance(doc["ruleset"], dict)
    ruleset = dict(doc["ruleset"])  # a copy: the document is shared by the module's tests
    switches = {s["name"]: (s["value"], s["changed"]) for s in ruleset.pop("switches")}
    assert ruleset == {
        "code": "QD124",
        "name": "Quy định 124-QĐ/TW ngày 04/10/2023 và Hướng dẫn 25-HD/BTCTW ngày 10/11/2023",
        "overrides_file": None,
        "overrides": [],
    }
    # the local readings, each with its value and whether the district changed it
    assert switches == {
        "vote-majority.preset": ("derived", False),
        "quota.rounding": ("floor", False),
    }
    assert doc["parent"] == {"code": "QU-LC", "name": "Quận ủy Liên Chiểu"}
    assert doc["outputs"] == {
        "summary": "tong-hop.xlsx",
        "report": "bao-cao.html",
        "report_parts": [],
        "report_summary": "bao-cao-tom-tat.html",
        "manifest": "manifest.json",
    }
    assert list(doc) == [
        "schema",
        "schema_version",
        "toolkit_version",
        "year",
        "decision",
        "generated_on",
        "ruleset",
        "parent",
        "outputs",
        "totals",
        "cells",
        "quotas",
        "issues",
        "inputs",
    ]


def test_totals_count_levels_rated_and_not_rated_by_reason(doc: dict[str, object]) -> None:
    totals = doc["totals"]
    assert isinstance(totals, dict)
    # the 2 undecided (chưa xác định mức) are neither rated at a level nor not rated
    assert (totals["roster"], totals["rated"], totals["undecided"]) == (41, 34, 2)
    assert totals["levels"] == {"HTXSNV": 6, "HTTNV": 25, "HTNV": 2, "KHTNV": 1}
    assert totals["shares"]["HTTNV"] == 0.735294 and totals["shares_exact"]["HTTNV"] == "25/34"
    assert sum(Fraction(s) for s in totals["shares_exact"].values()) == 1
    assert totals["not_rated"] == {
        "mien": 1,
        "dinh_chi": 0,
        "moi_ket_nap": 2,
        "vang": 1,
        "chuyen_di": 1,
        "tu_tran": 0,
        "khac": 0,
    }
    assert (totals["cells"], totals["cells_returned"], totals["cells_missing"]) == (5, 4, 1)
    assert (totals["errors"], totals["warnings"]) == (5, 4)


def cells(doc: dict[str, object]) -> dict[str, dict[str, object]]:
    listed = doc["cells"]
    assert isinstance(listed, list)
    return {c["code"]: c for c in listed}


def test_every_cell_with_its_secretary_file_and_status(doc: dict[str, object]) -> None:
    by_code = cells(doc)
    assert list(by_code) == ["CB-DM", "CB-HKB-01", "CB-HKB-02", "CB-THPT", "CB-UBND"]
    school = by_code["CB-THPT"]
    assert school["name"] == "Chi bộ Trường THPT Liên Chiểu"
    assert school["kind"] == "chi_bo_co_so" and school["org_type"] == "Trường học"
    assert school["secretary_email"] == "bithu.thptlienchieu@example.vn"
    assert school["result_file"] == "chi-bo/CB-THPT.xlsx"
    assert school["status"] == "ok" and school["proposed_level"] == "HTTNV"
    assert [by_code[c]["status"] for c in by_code] == [
        "errors",
        "warnings",
        "errors",
        "ok",
        "missing",
    ]
    missing = by_code["CB-UBND"]
    assert missing["result_file"] is None and missing["members"] == [] and missing["counts"] is None
    assert [i["code"] for i in missing["issues"]] == ["input-not-readable"]


def test_members_levels_as_codes_fractions_exact(doc: dict[str, object]) -> None:
    members = {m["member_id"]: m for m in cells(doc)["CB-HKB-02"]["members"]}
    capped = members["CB-HKB-02-007"]
    assert capped["votes"] == {
        "HTXSNV": 0, "HTTNV": 5, "HTNV": 2, "KHTNV": 0, "not_rated": 0, "blank": 0, "invalid": 0,
    }  # fmt: skip
    assert capped["conclusion"] is None
    assert capped["vote"]["level"] == "HTTNV" and capped["proposed_level"] == "KHTNV"
    assert capped["vote"]["shares"]["HTTNV"] == 0.714286
    assert capped["vote"]["shares_exact"]["HTTNV"] == "5/7"
    assert (
        capped["caps"][0]["rule_code"] == "discipline-cap"
        and capped["caps"][0]["max_level"] == "KHTNV"
    )
    assert capped["issues"][0]["cell"] == "H12"
    cumulative = members["CB-HKB-02-008"]["vote"]
    assert cumulative["outcome"] == "cumulative" and cumulative["cumulative_share_exact"] == "5/7"
    exempt = members["CB-HKB-02-009"]
    assert (
        exempt["not_rated_reason"] == "mien" and exempt["vote"] is None and exempt["votes"] is None
    )
    tie = {m["member_id"]: m for m in cells(doc)["CB-HKB-01"]["members"]}["CB-HKB-01-010"]
    assert tie["needs_higher_committee"] is True and tie["proposed_level"] is None


@pytest.mark.parametrize(
    ("cell", "member_id", "subject_type"),
    [
        ("CB-THPT", "CB-THPT-001", "2A"),
        ("CB-THPT", "CB-THPT-002", "2B"),
        ("CB-DM", "CB-DM-002", "2C"),
    ],
)
def test_each_member_carries_the_subject_type(
    doc: dict[str, object], cell: str, member_id: str, subject_type: str
) -> None:
    member = {m["member_id"]: m for m in cells(doc)[cell]["members"]}[member_id]
    assert member["subject_type"] == subject_type
    keys = list(member)
    assert keys[keys.index("is_head") + 1] == "subject_type"
    assert (member["common_score"], member["task_score"]) == (None, None)  # QD124: no scores


def test_quotas_with_ratio_and_ranking(doc: dict[str, object]) -> None:
    quotas = doc["quotas"]
    assert isinstance(quotas, list)
    ward = next(q for q in quotas if q["scope_code"] == "DB-HKB")
    assert ward["deciding"] is True and ward["status"] == "over" and ward["over"] == 2
    assert ward["ratio_exact"] == "4/11" and ward["ceiling"] == 2
    assert [r["within_ceiling"] for r in ward["ranking"]] == [True, True, False, False]
    assert [r["rank"] for r in ward["ranking"]] == [1, 2, 3, 4]


def test_the_mail_command_reads_it(out: Path) -> None:
    folder = read_results(out)
    assert folder.year == 2023 and folder.parent_name == "Quận ủy Liên Chiểu"
    assert folder.summary_file == "tong-hop.xlsx" and folder.report_file == "bao-cao.html"
    entries = {c.code: c for c in folder.cells}
    assert entries["CB-DM"].result_file == "chi-bo/CB-DM.xlsx"
    assert (entries["CB-DM"].error_count, entries["CB-DM"].warning_count) == (2, 1)
    assert entries["CB-UBND"].status == "missing"
    assert all((out / c.result_file).is_file() for c in folder.cells if c.result_file)


def test_compact_utf8_the_bytes_the_standard_library_writes(out: Path) -> None:
    """Encoded by orjson for speed: the same bytes as ``json.dumps`` would give this document,
    Vietnamese letters as they are, one line and a newline at the end."""
    data = (out / "ket-qua.json").read_bytes()
    document = json.loads(data)
    expected = json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n"
    assert data == expected.encode("utf-8")
    assert "Quận ủy Liên Chiểu".encode() in data and data.count(b"\n") == 1


# ---------------------------------------------------------------------------------------------
# The JSON Schema shipped in the package (every ket-qua.json the suite writes is also checked
# against it at the end of the session: see conftest.py)


def test_the_document_validates_against_the_shipped_schema(doc: dict[str, object]) -> None:
    schema = results_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(doc, schema, cls=jsonschema.Draft202012Validator)
    assert schema["properties"]["schema_version"] == {
        "const": SCHEMA_VERSION,
        "description": schema["properties"]["schema_version"]["description"],
    }


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (lambda d: d["totals"].pop("undecided"), "totals"),
        (lambda d: d["quotas"][0].update(ratio_of_good="0.2"), "quotas/0/ratio_of_good"),
        (
            lambda d: d["cells"][0]["members"][0]["votes"].update(spoiled=1),
            "cells/0/members/0/votes",
        ),
        (lambda d: d["ruleset"]["switches"][0].pop("clause"), "ruleset/switches/0"),
        (lambda d: d.update(schema_version=1), "schema_version"),
    ],
)
def test_the_schema_rejects_what_the_contract_does_not_say(
    doc: dict[str, object], change: Any, path: str
) -> None:
    broken = json.loads(json.dumps(doc))
    change(broken)
    errors = list(jsonschema.Draft202012Validator(results_schema()).iter_errors(broken))
    assert sorted({"/".join(str(p) for p in e.absolute_path) for e in errors}) == [path]


def schema_fields(node: object) -> set[str]:
    """Every property name anywhere in the schema."""
    found: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "properties" and isinstance(value, dict):
                found |= set(value)
            found |= schema_fields(value)
    elif isinstance(node, list):
        for item in node:
            found |= schema_fields(item)
    return found


def test_the_readme_describes_every_field_of_the_schema() -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("<!-- ket-qua-schema -->", 1)[1].split("<!-- /ket-qua-schema -->")[0]
    missing = sorted(f for f in schema_fields(results_schema()) if f"`{f}`" not in section)
    assert missing == []


def test_the_schema_travels_inside_the_package() -> None:
    assert SCHEMA_FILE.parent.parent == Path(toolkit.__file__).resolve().parent


def test_the_session_check_finds_a_bad_document_and_skips_hand_made_ones(
    doc: dict[str, object],
) -> None:
    # outside the session's temporary folder, so that the session's own check does not see it
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "good").mkdir()
        (root / "good" / "ket-qua.json").write_text(json.dumps(doc), encoding="utf-8")
        (root / "legacy").mkdir()  # a mail test's hand-made contract: no schema_version
        (root / "legacy" / "ket-qua.json").write_text('{"schema": "x"}', encoding="utf-8")
        bad = json.loads(json.dumps(doc))
        del bad["totals"]["rated"]
        (root / "bad").mkdir()
        (root / "bad" / "ket-qua.json").write_text(json.dumps(bad), encoding="utf-8")
        problems = invalid_results_files(root)
    assert problems and all("/bad/ket-qua.json: totals: " in p for p in problems)
    assert "'rated' is a required property" in problems[0]
