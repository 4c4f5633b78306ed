"""The bad-input corpus: every malformed or hostile file gives its issue, never a traceback, a
hang, or more than a few hundred MB of memory.

The corpus is built by code (``bad_inputs/corpus.py``), then checked in a separate process with
an address-space limit, so that a reader running away with memory fails this test instead of
the machine; the child reports its own peak memory.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from bad_inputs.clean import roster
from bad_inputs.corpus import CASES, Case, workshop

from toolkit.workbooks.generate import write_roster

#: what the child may use: enough for Python and its libraries, far from what a bomb would take
ADDRESS_SPACE_LIMIT = 3 * 1024**3
PEAK_MEMORY_LIMIT_MB = 400

CHILD = """
import json, resource, sys, traceback
resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit}))
from pathlib import Path
from toolkit.workbooks.validation import validate_paths
verdicts = {{}}
for job in json.load(sys.stdin):
    try:
        report = validate_paths(
            [Path(job["path"])],
            roster_path=Path(job["roster"]) if job["roster"] else None,
            year=job["year"],
            cell_code=job["cell"],
        )
        issues = [i for i in report.issues if Path(i.location.file).name == Path(job["path"]).name]
        verdicts[job["name"]] = {{
            "codes": sorted({{i.code for i in issues}}),
            "errors": sorted({{i.code for i in issues if i.severity.value == "error"}}),
            "messages": [i.message for i in issues],
        }}
    except BaseException:
        verdicts[job["name"]] = {{"traceback": traceback.format_exc()}}
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({{"verdicts": verdicts, "peak_mb": peak}}))
"""


@pytest.fixture(scope="module")
def outcome(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("corpus")
    shop = workshop(folder)
    roster_path = folder / "danh-sach.xlsx"
    write_roster(roster(), roster_path)
    jobs = []
    for case in CASES:
        path = case.build(shop)
        jobs.append(
            {
                "name": case.name,
                "path": str(path),
                "roster": str(roster_path) if case.check.get("roster") else None,
                "year": case.check.get("year"),
                "cell": case.check.get("cell"),
            }
        )
    child = subprocess.run(
        [sys.executable, "-c", CHILD.format(limit=ADDRESS_SPACE_LIMIT)],
        input=json.dumps(jobs),
        capture_output=True,
        text=True,
        timeout=600,  # a hang fails the test rather than the suite
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert child.returncode == 0, child.stderr[-3000:]
    result: dict[str, Any] = json.loads(child.stdout)
    return result


def test_the_corpus_has_at_least_thirty_hostile_files_each_with_its_code() -> None:
    with_codes = [c for c in CASES if c.expected]
    assert len(with_codes) >= 30
    assert len({c.name for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_each_bad_input_gives_its_issue_and_never_a_traceback(outcome, case: Case) -> None:
    verdict = outcome["verdicts"][case.name]
    assert "traceback" not in verdict, verdict.get("traceback")
    if case.expected:
        assert set(case.expected) <= set(verdict["codes"]), verdict
        assert all("{" not in m for m in verdict["messages"])
    else:
        assert verdict["errors"] == [], verdict  # normalised, not reported


def test_reading_the_whole_corpus_stays_within_a_few_hundred_mb(outcome) -> None:
    assert outcome["peak_mb"] < PEAK_MEMORY_LIMIT_MB
