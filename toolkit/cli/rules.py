"""``xeploai rules``: print the active rulebook."""

from __future__ import annotations

import datetime as _dt
import json
from pathlib import Path

import click

from toolkit.cli.options import format_option, lang_option, rules_option, year_option


@click.command()
@year_option
@rules_option
@format_option
@lang_option
def rules(year: int | None, rules_file: Path | None, fmt: str, lang: str) -> None:
    """In bộ quy tắc đang áp dụng cho một năm đánh giá, kèm căn cứ của từng quy tắc.

    Năm đánh giá chọn bộ quy tắc (2023–2024: QĐ 124, từ 2025: QĐ 366; mặc định năm nay);
    --rules áp dụng tệp ghi đè của địa phương và in ra những gì đã thay đổi.

    \b
    Ví dụ:
      xeploai rules --year 2023
      xeploai rules --year 2025 --rules dia-phuong.toml --format json
    """
    from toolkit.rulebook import load_ruleset  # not for --help: it loads the rule-sets' TOML
    from toolkit.rulebook_view import ruleset_as_dict, ruleset_as_text

    ruleset = load_ruleset(year or _dt.date.today().year, rules_file)
    if fmt == "json":
        click.echo(json.dumps(ruleset_as_dict(ruleset), ensure_ascii=False, indent=2))
    else:
        click.echo(ruleset_as_text(ruleset, lang), nl=False)
