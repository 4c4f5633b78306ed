"""The README and the catalogue stay in step with the code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit.cli import COMMANDS, main
from toolkit.docs import render_readme

README = Path(__file__).resolve().parent.parent / "README.md"


def readme() -> str:
    return README.read_text(encoding="utf-8")


def test_readme_shows_the_two_setup_commands_first() -> None:
    text = readme()
    assert text.index("make demo") < text.index("## Lệnh")
    assert text.index("make test") < text.index("## Lệnh")


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_has_a_readme_section(command: str) -> None:
    assert re.search(rf"^### `xeploai {command}\b", readme(), re.MULTILINE), (
        f"README.md has no section '### `xeploai {command} ...`'"
    )


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_help_ends_with_an_example(command: str) -> None:
    result = CliRunner().invoke(main, [command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Ví dụ:" in result.stdout
    assert f"xeploai {command}" in result.stdout.split("Ví dụ:")[-1]


def test_readme_catalogue_is_current() -> None:
    text = readme()
    assert render_readme(text) == text, "run: python -m toolkit.docs"


def test_exit_codes_are_documented() -> None:
    text = readme()
    for code in ("| 0 |", "| 1 |", "| 2 |"):
        assert code in text
