"""``ket-qua.json`` of a roll-up: the schema family of ``aggregate``'s, with ``"kind": "rollup"``.

Its ``schema_version`` counts the revisions of this kind apart from ``aggregate``'s; the JSON
Schema ships as ``toolkit/schemas/ket-qua-rollup.schema.json`` (a file of its own: the two
documents share only their head, counts and issues, and ``kind`` picks the file).

What travels up: totals, one entry per subordinate committee (its state and counts), the
tallies per organization type, the upward summary, the organizations below with their own
counts (``organizations``: levels and reasons as lists in ``count_order``, and per subject type
where recorded), and the cases the deciding levels settled — never a member's detail
otherwise. The organizations are written from the packages' JSON as it was built (a national
roll-up carries some 180,000), so they are never all Python objects at once.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO, Any

import orjson

from toolkit import __version__
from toolkit.model import InputFile
from toolkit.outputs.json_out import counts_entry, ruleset_entry
from toolkit.outputs.numbers import fraction_text, rounded
from toolkit.outputs.paths import MANIFEST, REPORT, SUMMARY
from toolkit.outputs.view import LEVEL_CODES
from toolkit.rollup.combine import RollupResult
from toolkit.rollup.summary import SummaryTable, upward_summary
from toolkit.rollup.tally import REASON_CODES, SUBJECT_CODES, TypeTally

SCHEMA = "xeploai/ket-qua/1"
#: 2: the organizations' counts by subject type (``subjects``, ``count_order.subjects``); a
#: roll-up of the previous version has no ``schema_version`` (it is read all the same)
SCHEMA_VERSION = 2
KIND = "rollup"
SCHEMA_FILE = Path(__file__).resolve().parents[1] / "schemas" / "ket-qua-rollup.schema.json"


def rollup_schema() -> dict[str, Any]:
    """The JSON Schema of a roll-up's ``ket-qua.json`` (draft 2020-12), shipped in the package."""
    schema: dict[str, Any] = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return schema


def rollup_document(result: RollupResult, inputs: Sequence[InputFile]) -> dict[str, Any]:
    """The document as plain data, ``organizations`` left as the packages' JSON arrays."""
    c = result.committee
    counted = sum(p.content.n_organizations for p in result.packages)
    return {
        "schema": SCHEMA,
        "schema_version": SCHEMA_VERSION,
        "kind": KIND,
        "toolkit_version": __version__,
        "year": result.year,
        "generated_on": result.generated_on.isoformat(),
        "ruleset": ruleset_entry(result.ruleset),
        "parent": {"code": c.code, "name": c.name},
        "outputs": {"summary": SUMMARY, "report": REPORT, "report_parts": [], "manifest": MANIFEST},
        "count_order": {
            "levels": list(LEVEL_CODES),
            "not_rated": list(REASON_CODES),
            # an organization's ``subjects``: these rows, each the levels then "chưa xếp loại"
            "subjects": list(SUBJECT_CODES),
        },
        "totals": {
            **counts_entry(result.counts.level_counts()),
            "organizations": counted,
            "errors": len(result.errors),
            "warnings": len(result.warnings),
        },
        "completeness": {
            "committees": len(result.committees),
            "reported": sum(1 for x in result.committees if x.package is not None),
            "decided": result.count("decided"),
            "proposed": result.count("proposed"),
            "missing": result.count("missing"),
            "refused": result.count("refused"),
            "all_decided": result.all_decided,
        },
        "committees": [_committee(line) for line in result.committees],
        "types": [_type(key, t) for key, t in result.types.items()],
        "ceilings": [
            {
                "org_type": x.org_type,
                "n_htxsnv": x.n_htxsnv,
                "n_httnv": x.n_httnv,
                "ceiling": x.ceiling,
                "over": x.over,
            }
            for x in result.ceilings
        ],
        "summary": [_table(t) for t in upward_summary(result)],
        "cases": sorted(
            (case for p in result.packages for case in p.content.cases),
            key=lambda x: (x["path"], x["cell_code"], x["member_id"]),
        ),
        "organizations": [p.content.organizations for p in result.packages],
        "issues": [i.as_dict() for i in result.issues],
        "inputs": [f.as_dict() for f in sorted(inputs, key=lambda f: (f.path, f.sha256))],
    }


def write_rollup_json(document: Mapping[str, Any], stream: IO[bytes]) -> None:
    """Compact UTF-8 JSON (as ``aggregate``'s); ``organizations`` joined from its arrays."""
    stream.write(b"{")
    for n, (key, value) in enumerate(document.items()):
        stream.write((b"," if n else b"") + orjson.dumps(key) + b":")
        if key != "organizations":
            stream.write(orjson.dumps(value))
            continue
        stream.write(b"[")
        first = True
        for blob in value:
            inner = blob[1:-1]  # each package's array without its brackets
            if inner:
                stream.write(inner if first else b"," + inner)
                first = False
        stream.write(b"]")
    stream.write(b"}\n")


def _committee(line: Any) -> dict[str, Any]:
    p = line.package
    return {
        "code": line.unit.code,
        "name": line.unit.name,
        "org_type": line.unit.org_type,
        "status": line.status,
        "package": p.name if p else None,
        "package_sha256": p.sha256 if p else None,
        "package_kind": p.kind if p else None,
        "generated_on": p.generated_on.isoformat() if p else None,
        "refused_packages": list(line.refused),
        "organizations": p.content.n_organizations if p else None,
        "counts": counts_entry(p.content.counts.level_counts()) if p else None,
        "below": None
        if p is None or p.content.below is None
        else dict(zip(("committees", "reported", "decided"), p.content.below, strict=True)),
    }


def _type(key: str, t: TypeTally) -> dict[str, Any]:
    org = t.organizations
    return {
        "org_type": key,
        "members": counts_entry(t.members.level_counts()),
        "members_proposed": t.proposed_members,
        "organizations": {
            "total": org.total,
            "levels": dict(zip(LEVEL_CODES, org.levels, strict=True)),
            "unrated": org.unrated,
            "proposed": t.proposed_organizations,
        },
    }


def _table(table: SummaryTable) -> dict[str, Any]:
    def row(r: Any) -> dict[str, Any]:
        return {
            "number": r.number,
            "subject": r.subject,
            "total": r.total,
            "levels": dict(zip(LEVEL_CODES, r.levels, strict=True)),
            "unrated": r.unrated,
            "htxsnv_over_httnv": rounded(r.htxs_over_htt),
            "htxsnv_over_htxsnv_httnv": rounded(r.htxs_over_good),
            "htxsnv_over_httnv_exact": fraction_text(r.htxs_over_htt),
            "htxsnv_over_htxsnv_httnv_exact": fraction_text(r.htxs_over_good),
            "note": r.note,
        }

    return {
        "form": table.form,
        "title": table.title,
        "rows": [row(r) for r in table.rows],
        "total": row(table.total),
    }
