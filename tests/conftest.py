"""Shared fixtures and options for the test suite."""

from __future__ import annotations

import json
from collections.abc import Collection
from pathlib import Path

import pytest

import toolkit  # noqa: F401  (first: it keeps openpyxl on defusedxml, before a test imports it)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite golden snapshot files instead of comparing against them",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(scope="session")
def demo_district(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`xeploai demo` once for the tests that look at what a committee gets: its ``ket-qua/``
    (``quyet-dinh.xlsx`` among it) and the roll-up for the committee above, ``cap-tren/``."""
    from click.testing import CliRunner

    from toolkit.cli import main

    target = tmp_path_factory.mktemp("demo-district") / "demo"
    result = CliRunner().invoke(main, ["demo", str(target), "--cells", "4", "-q"])
    assert result.exit_code == 0, result.output
    return target


#: the demo's workbooks a committee reads (``demo_district``), by what they are
DEMO_WORKBOOKS = {
    "quyet-dinh.xlsx": "ket-qua/quyet-dinh.xlsx",
    "roll-up tong-hop.xlsx": "cap-tren/tong-hop.xlsx",
    # its quota rows name the ward's đảng bộ: labels longer than their column
    "demo chi-bo CB001.xlsx": "ket-qua/chi-bo/CB001.xlsx",
}


# ---------------------------------------------------------------------------------------------
# Every ket-qua.json the suite writes is checked against the JSON Schema the package ships for
# its kind (``aggregate``'s has no ``kind``; a roll-up's says "rollup"). Writers run in this
# process and in worker processes, so the check looks at the files: at the end of the session,
# every ket-qua.json under the session's temporary folder that carries a ``schema_version``
# (hand-made fixtures of the mail tests have none, nor have packages of the previous version)
# must validate, except those a test breaks on purpose to see them refused
# (``broken_on_purpose``).

#: ket-qua.json files a test broke on purpose (resolved paths): the session's check skips them
BROKEN_ON_PURPOSE: set[Path] = set()


def broken_on_purpose(path: Path) -> None:
    """Tell the session's schema check that ``path`` breaks the schema on purpose."""
    BROKEN_ON_PURPOSE.add(path.resolve())


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    factory = getattr(session.config, "_tmp_path_factory", None)
    if factory is None:
        return
    try:
        base = factory.getbasetemp()
    except OSError:
        return
    problems = invalid_results_files(base, skip=BROKEN_ON_PURPOSE)
    if not problems:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.section("ket-qua.json against the schemas in toolkit/schemas/", red=True)
        for line in problems:
            reporter.line(line)
    session.exitstatus = pytest.ExitCode.TESTS_FAILED


def invalid_results_files(base: Path, skip: Collection[Path] = ()) -> list[str]:
    """One line per schema error of every versioned ket-qua.json below ``base`` (but those in
    ``skip``), each checked against the schema of its kind."""
    import jsonschema

    from toolkit.outputs.json_out import results_schema
    from toolkit.rollup.json_out import rollup_schema

    aggregate = jsonschema.Draft202012Validator(results_schema())
    rollup = jsonschema.Draft202012Validator(rollup_schema())
    problems: list[str] = []
    for path in sorted(base.rglob("ket-qua.json")):
        if path.resolve() in skip:
            continue
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue  # a test that writes a broken file on purpose
        if not isinstance(document, dict) or "schema_version" not in document:
            continue
        # any other kind is checked as aggregate's, whose schema refuses a ``kind``
        validator = rollup if document.get("kind") == "rollup" else aggregate
        for error in validator.iter_errors(document):
            where = "/".join(str(p) for p in error.absolute_path)
            problems.append(f"{path}: {where}: {error.message[:300]}")
    return problems
