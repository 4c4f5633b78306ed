"""``xeploai rollup``: verify and combine the result packages of the committees below."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from toolkit.cli.options import (
    PathParam,
    lang_option,
    out_option,
    quiet_option,
    roster_option,
    rules_option,
    year_option,
)


@click.command()
@click.argument("packages", nargs=-1, required=True, type=PathParam(exists=True))
@roster_option(required=True, help="Danh sách tổ chức của cấp này (chỉ cần trang «Tổ chức»).")
@out_option
@year_option
@rules_option
@quiet_option
@lang_option
def rollup(
    packages: tuple[Path, ...],
    roster_path: Path,
    out_dir: Path,
    year: int | None,
    rules_file: Path | None,
    quiet: bool,
    lang: str,
) -> None:
    """Tổng hợp lên cấp trên: kiểm chứng từng gói kết quả của cấp dưới (thư mục kết quả hoặc
    tệp .zip) theo manifest.json, rồi ghi tong-hop.xlsx, bao-cao.html, ket-qua.json,
    manifest.json. Kết quả lại là một gói cho cấp trên nữa.

    Mã thoát 0: mọi gói hợp lệ, mọi tổ chức đã báo cáo; 1: có gói bị từ chối hoặc tổ chức
    chưa báo cáo; 2: lỗi tham số, cấu hình, đọc/ghi tệp.

    \b
    Ví dụ:
      xeploai rollup phuong-a/ket-qua phuong-b.zip --roster tinh.xlsx -o tong-hop-tinh/
      xeploai rollup hop-thu-cap-tren/ --roster tinh.xlsx -o tong-hop-tinh/ --year 2025
    """
    from toolkit.rollup.report import rollup_summary
    from toolkit.rollup.run import rollup as run_rollup

    run = run_rollup(list(packages), roster_path, out_dir, year=year, rules_file=rules_file)
    for notice in run.notices:
        click.echo(f"Lưu ý: {notice}", err=True)
    if not quiet:
        click.echo(rollup_summary(run, lang), nl=False)
    sys.exit(1 if run.problems_found else 0)
