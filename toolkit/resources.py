"""Where the data folders are: inside the wheel (``toolkit/_data``) or beside the package.

A built wheel carries ``workbook_templates/`` and ``reports/`` under ``toolkit/_data`` (see
``pyproject.toml``); an editable install or a source checkout reads the top-level folders.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """The folder ``name`` (``workbook_templates`` or ``reports``), wherever it was installed."""
    for candidate in (PACKAGE_DIR / "_data" / name, PACKAGE_DIR.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"data folder {name!r} is missing from the installation")


def workbook_templates_dir() -> Path:
    return data_dir("workbook_templates")


def reports_dir() -> Path:
    return data_dir("reports")
