"""``xeploai validate``: check returned workbooks (or the roster) and list every problem."""

from __future__ import annotations

import json
from pathlib import Path

import click

from toolkit.cli.options import (
    PathParam,
    format_option,
    lang_option,
    roster_option,
    rules_option,
    workers_option,
    year_option,
)


@click.command()
@click.argument("paths", metavar="TỆP...", nargs=-1, required=True, type=PathParam(exists=True))
@roster_option(
    required=False,
    help="Danh sách tổ chức đảng và đảng viên: đối chiếu đảng viên, số lượng, chi bộ.",
)
@year_option
@rules_option
@click.option(
    "--cell", "cell_code", metavar="MÃ", default=None, help="Mã chi bộ mà các tệp phải thuộc về."
)
@click.option(
    "--strict", is_flag=True, default=False, help="Coi cả cảnh báo là vấn đề (mã thoát 1)."
)
@workers_option(default=2)
@format_option
@lang_option
@click.pass_context
def validate(
    ctx: click.Context,
    paths: tuple[Path, ...],
    roster_path: Path | None,
    year: int | None,
    rules_file: Path | None,
    cell_code: str | None,
    strict: bool,
    workers: int,
    fmt: str,
    lang: str,
) -> None:
    """Kiểm tra các tệp chi bộ gửi về (hoặc danh sách): mỗi vấn đề có mã, vị trí (tệp, trang,
    ô), giá trị tìm thấy và cách sửa. In tóm tắt theo mã, rồi chi tiết theo từng tệp.

    TỆP là tệp hoặc thư mục (đọc cả thư mục con). Tệp được nhận diện bằng khối nhận diện
    ẩn, không theo tên tệp. Mã thoát: 0 không có lỗi, 1 có lỗi (cả cảnh báo nếu --strict),
    2 lỗi tham số hoặc đọc tệp.

    \b
    Ví dụ:
      xeploai validate hop-thu/ --roster danh-sach.xlsx --year 2023
      xeploai validate CB01-tu-danh-gia.xlsx --format json --lang en
    """
    from toolkit.model import Severity
    from toolkit.workbooks.report import validation_dict, validation_text
    from toolkit.workbooks.validation import validate_paths

    report = validate_paths(
        paths,
        roster_path=roster_path,
        year=year,
        rules_file=rules_file,
        cell_code=cell_code,
        workers=workers,
    )
    if fmt == "json":
        click.echo(json.dumps(validation_dict(report), ensure_ascii=False, indent=2))
    else:
        click.echo(validation_text(report, lang), nl=False)
    if not report.valid or (strict and report.count(Severity.WARNING)):
        ctx.exit(1)
