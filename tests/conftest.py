"""Shared fixtures and options for the test suite."""

from __future__ import annotations

import json
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
}


# ---------------------------------------------------------------------------------------------
# Every ket-qua.json the suite writes is checked against the JSON Schema the package ships.
# Writers run in this process and in worker processes, so the check looks at the files: at the
# end of the session, every ket-qua.json under the session's temporary folder that carries a
# ``schema_version`` (hand-made fixtures of the mail tests have none) must validate.


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    factory = getattr(session.config, "_tmp_path_factory", None)
    if factory is None:
        return
    try:
        base = factory.getbasetemp()
    except OSError:
        return
    problems = invalid_results_files(base)
    if not problems:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.section("ket-qua.json against toolkit/schemas/ket-qua.schema.json", red=True)
        for line in problems:
            reporter.line(line)
    session.exitstatus = pytest.ExitCode.TESTS_FAILED


def invalid_results_files(base: Path) -> list[str]:
    """One line per schema error of every versioned ket-qua.json below ``base``."""
    import jsonschema

    from toolkit.outputs.json_out import results_schema

    validator = jsonschema.Draft202012Validator(results_schema())
    problems: list[str] = []
    for path in sorted(base.rglob("ket-qua.json")):
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue  # a test that writes a broken file on purpose
        if not isinstance(document, dict) or "schema_version" not in document:
            continue
        for error in validator.iter_errors(document):
            where = "/".join(str(p) for p in error.absolute_path)
            problems.append(f"{path}: {where}: {error.message[:300]}")
    return problems
