"""``xeploai status``: which cells have sent both workbooks, which are missing or duplicated."""

from __future__ import annotations

import json
from pathlib import Path

import click

from toolkit.cli.options import (
    PathParam,
    format_option,
    lang_option,
    latest_option,
    roster_option,
    rules_option,
    workers_option,
    year_option,
)


@click.command()
@click.argument("inbox", metavar="HỘP-THƯ...", nargs=-1, required=True, type=PathParam(exists=True))
@roster_option(required=True, help="Danh sách tổ chức đảng và đảng viên.")
@year_option
@rules_option
@latest_option
@workers_option(default=2)
@format_option
@lang_option
@click.pass_context
def status(
    ctx: click.Context,
    inbox: tuple[Path, ...],
    roster_path: Path,
    year: int | None,
    rules_file: Path | None,
    latest: bool,
    workers: int,
    fmt: str,
    lang: str,
) -> None:
    """Tình hình nhận biểu mẫu: chi bộ đã gửi đủ hai biểu mẫu, chi bộ còn thiếu, chi bộ gửi
    trùng (hai tệp khác nhau cho cùng một biểu mẫu), chi bộ có lỗi, và tệp không thuộc chi bộ
    nào. Năm đánh giá mặc định lấy theo các tệp trong hộp thư.

    Mã thoát: 0 mọi chi bộ đã gửi đủ và hợp lệ, 1 còn thiếu, trùng hoặc có lỗi, 2 lỗi tham
    số hoặc đọc tệp.

    \b
    Ví dụ:
      xeploai status hop-thu/ --roster danh-sach.xlsx
      xeploai status hop-thu/ --roster danh-sach.xlsx --year 2023 --latest --format json
    """
    from toolkit.model import Severity
    from toolkit.rulebook import load_ruleset
    from toolkit.workbooks.inbox import collect_returns, detect_year
    from toolkit.workbooks.read import read_roster
    from toolkit.workbooks.report import issues_text, status_dict, status_text
    from toolkit.workbooks.unreadable import settle_unreadable
    from toolkit.workbooks.walk import find_files

    roster, roster_issues = read_roster(roster_path)
    click.echo(issues_text(roster_issues, lang), err=True, nl=False)
    if any(i.severity is Severity.ERROR for i in roster_issues):
        ctx.exit(1)
    year = year or detect_year(inbox)
    rules = load_ruleset(year, rules_file)
    rules.check_scopes(roster.tree.units)  # the 25 % exception names real scopes
    found = find_files(inbox)  # what cannot be read is reported, its cells held back
    result = collect_returns(list(found.files), roster, year, rules, latest=latest, workers=workers)
    result = settle_unreadable(result, found.unreadable, inbox)
    if fmt == "json":
        click.echo(json.dumps(status_dict(result), ensure_ascii=False, indent=2))
    else:
        click.echo(status_text(result, lang), nl=False)
    if result.has_errors or any(c.state != "complete" for c in result.cells):
        ctx.exit(1)
