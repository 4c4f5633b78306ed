"""Generated parts of the README: the issue catalogue table.

``python -m toolkit.docs`` rewrites the block between the catalogue markers of README.md;
``tests/test_docs.py`` fails when the README is out of step with the catalogue.
"""

from __future__ import annotations

import sys
from pathlib import Path

from toolkit.catalogue import all_types

BEGIN = "<!-- catalogue:begin -->"
END = "<!-- catalogue:end -->"


def catalogue_markdown() -> str:
    """The catalogue as a Markdown table: code, severity, Vietnamese and English titles."""
    rows = ["| mã (code) | mức | ý nghĩa | meaning |", "| --- | --- | --- | --- |"]
    for t in all_types():
        rows.append(f"| `{t.code}` | {t.severity.label.lower()} | {t.title} | {t.title_en} |")
    return "\n".join(rows)


def render_readme(text: str) -> str:
    """``text`` with the catalogue block replaced by the current catalogue."""
    head, _, rest = text.partition(BEGIN)
    _, _, tail = rest.partition(END)
    return f"{head}{BEGIN}\n{catalogue_markdown()}\n{END}{tail}"


def main(readme: Path = Path("README.md")) -> int:
    text = readme.read_text(encoding="utf-8")
    if BEGIN not in text or END not in text:
        print(f"{readme}: thiếu {BEGIN} … {END}", file=sys.stderr)
        return 2
    readme.write_text(render_readme(text), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
