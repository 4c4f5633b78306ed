"""The data folders ship inside the wheel and resolve there; an editable install reads the
repository's folders in place. The wheel is built for real (pip + hatchling) and installed into
a folder of its own, and every check runs in a fresh interpreter."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DATA_FOLDERS = ("workbook_templates", "reports")

#: run in the installed copy: where the package and its data folders are
PROBE = """
import json, toolkit, toolkit.resources as r
from toolkit.rulebook import RULESETS_DIR, load_ruleset
print(json.dumps({
    "package": toolkit.__file__,
    "workbook_templates": str(r.workbook_templates_dir()),
    "reports": str(r.reports_dir()),
    "rulesets": str(RULESETS_DIR),
    "qd124": load_ruleset(2024).code,
    "qd366": load_ruleset(2025).code,
}))
"""


def repo_files(folder: str) -> set[str]:
    """The files of a top-level data folder, relative to it."""
    root = REPO / folder
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


@dataclass(frozen=True)
class Built:
    wheel: Path
    #: the files of each data folder when the build started (others may add files meanwhile)
    before: dict[str, set[str]]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    out = tmp_path_factory.mktemp("dist")
    before = {folder: repo_files(folder) for folder in DATA_FOLDERS}
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--quiet",
            "--wheel-dir",
            str(out),
            str(REPO),
        ],
        check=True,
        cwd=out,
    )
    (wheel,) = out.glob("xeploai-*.whl")
    return Built(wheel, before)


@pytest.fixture(scope="module")
def installed(built: Built, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("site")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "--quiet",
            "--target",
            str(target),
            str(built.wheel),
        ],
        check=True,
        cwd=target,
    )
    return target


def test_the_wheel_carries_the_data_folders_and_the_rulesets(built: Built) -> None:
    names = set(zipfile.ZipFile(built.wheel).namelist())
    for folder in DATA_FOLDERS:
        prefix = f"toolkit/_data/{folder}/"
        shipped = {n.removeprefix(prefix) for n in names if n.startswith(prefix)}
        assert "README.md" in shipped, f"{folder} is missing from the wheel"
        assert built.before[folder] <= shipped
    assert {"toolkit/rulesets/QD124.toml", "toolkit/rulesets/QD366.toml"} <= names
    # the JSON Schemas of ket-qua.json, one per kind (aggregate's, a roll-up's)
    assert {
        "toolkit/schemas/ket-qua.schema.json",
        "toolkit/schemas/ket-qua-rollup.schema.json",
    } <= names
    assert "toolkit/engine/__init__.py" in names
    assert not any("__pycache__" in n for n in names)
    entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    text = zipfile.ZipFile(built.wheel).read(entry_points).decode()
    assert "xeploai = toolkit.cli:main" in text


def test_the_installed_wheel_resolves_its_own_data(installed: Path) -> None:
    # -S: no site-packages at all, so the repository (editable install) cannot be found
    env = {**os.environ, "PYTHONPATH": str(installed)}
    env.pop("PYTHONHOME", None)
    probe = subprocess.run(
        [sys.executable, "-S", "-c", PROBE],
        check=True,
        capture_output=True,
        text=True,
        cwd=installed.parent,
        env=env,
    )
    found = json.loads(probe.stdout)
    package = installed / "toolkit"
    assert Path(found["package"]).parent == package
    assert Path(found["workbook_templates"]) == package / "_data" / "workbook_templates"
    assert Path(found["reports"]) == package / "_data" / "reports"
    assert Path(found["rulesets"]) == package / "rulesets"
    assert (found["qd124"], found["qd366"]) == ("QD124", "QD366")


def test_the_installed_command_runs(installed: Path) -> None:
    # the console script of the wheel, with click from the test environment
    env = {**os.environ, "PYTHONPATH": str(installed)}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from toolkit.cli import main; main()",
            "rules",
            "--year",
            "2025",
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        cwd=installed.parent,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["code"] == "QD366"
    script = installed / "bin" / "xeploai"
    assert script.is_file() and "toolkit.cli" in script.read_text(encoding="utf-8")


def test_the_editable_install_reads_the_repository_folders(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    probe = subprocess.run(
        [sys.executable, "-c", PROBE],
        check=True,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
    )
    found = json.loads(probe.stdout)
    assert Path(found["package"]).parent == REPO / "toolkit"
    assert Path(found["workbook_templates"]) == REPO / "workbook_templates"
    assert Path(found["reports"]) == REPO / "reports"
    assert Path(found["rulesets"]) == REPO / "toolkit" / "rulesets"
