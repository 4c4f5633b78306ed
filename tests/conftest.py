"""Shared fixtures and options for the test suite."""

from __future__ import annotations

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
