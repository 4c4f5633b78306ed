"""``xeploai aggregate``: check, tally, rate and write every output for a folder of returns."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from toolkit.cli.options import (
    PathParam,
    lang_option,
    latest_option,
    out_option,
    quiet_option,
    roster_option,
    rules_option,
    workers_option,
    year_option,
)
from toolkit.cli.progress import progress_reporter


@click.command()
@click.argument("inbox", metavar="HỘP-THƯ", type=PathParam(exists=True, file_okay=False))
@roster_option(required=True, help="Tệp danh sách tổ chức đảng và đảng viên (roster).")
@out_option
@year_option
@rules_option
@click.option(
    "--decisions",
    "decisions_file",
    type=PathParam(exists=True, dir_okay=False),
    help="Tệp quyết định của cấp có thẩm quyền (quyet-dinh.xlsx đã điền) để áp dụng.",
)
@latest_option
@workers_option(default=2)
@quiet_option
@lang_option
def aggregate(
    inbox: Path,
    roster_path: Path,
    out_dir: Path,
    year: int | None,
    rules_file: Path | None,
    decisions_file: Path | None,
    latest: bool,
    workers: int,
    quiet: bool,
    lang: str,
) -> None:
    """Tổng hợp kết quả: kiểm tra mọi tệp gửi về, kiểm phiếu, áp dụng quy tắc và ghi
    tong-hop.xlsx, bao-cao.html, chi-bo/<mã>.xlsx, ket-qua.json, manifest.json, biểu mẫu
    quyết định quyet-dinh.xlsx và văn bản để ký (van-ban/). Với --decisions: áp dụng quyết
    định của cấp có thẩm quyền, kết quả ghi cả mức đề xuất và mức quyết định.

    Mã thoát 0: mọi tệp hợp lệ; 1: có lỗi trong dữ liệu, chi bộ gửi tệp lỗi hoặc chưa gửi;
    2: lỗi tham số, cấu hình, đọc/ghi tệp.

    \b
    Ví dụ:
      xeploai aggregate hop-thu/ --roster danh-sach.xlsx -o ket-qua/
      xeploai aggregate hop-thu/ --roster danh-sach.xlsx -o ket-qua/ --year 2023 --latest
      xeploai aggregate hop-thu/ --roster danh-sach.xlsx -o ket-qua/ --decisions qd.xlsx
    """
    from toolkit.aggregate import aggregate as run_aggregate

    with progress_reporter(quiet) as report:
        run = run_aggregate(
            inbox,
            roster_path,
            out_dir,
            year=year,
            rules_file=rules_file,
            latest=latest,
            workers=workers,
            progress=report,
            decisions_file=decisions_file,
        )
    for notice in run.notices:
        click.echo(f"Lưu ý: {notice}", err=True)
    if not quiet:
        from toolkit.run_summary import run_summary  # the issue catalogue: not for --help

        click.echo(run_summary(run, lang), nl=False)
    sys.exit(1 if run.problems_found else 0)
