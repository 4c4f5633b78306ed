"""``xeploai demo``: build a realistic demo district and run the whole pipeline on it."""

from __future__ import annotations

import datetime as _dt
import sys
from pathlib import Path

import click

from toolkit.cli.options import PathParam, lang_option, quiet_option, workers_option
from toolkit.cli.progress import progress_reporter


@click.command()
@click.argument("directory", metavar="THƯ-MỤC", type=PathParam(file_okay=False))
@click.option(
    "--year",
    type=int,
    metavar="NĂM",
    default=None,
    help="Năm đánh giá (mặc định: năm nay, theo QĐ 366-QĐ/TW; 2023 cho một quận như Liên Chiểu).",
)
@click.option(
    "--cells",
    type=click.IntRange(2, 5000),
    metavar="SỐ",
    default=30,
    show_default=True,
    help="Số chi bộ.",
)
@click.option(
    "--seed",
    type=int,
    metavar="SỐ",
    default=2023,
    show_default=True,
    help="Hạt giống ngẫu nhiên: cùng hạt giống cho cùng đảng bộ.",
)
@workers_option(default=2)
@quiet_option
@lang_option
def demo(
    directory: Path, year: int | None, cells: int, seed: int, workers: int, quiet: bool, lang: str
) -> None:
    """Tạo một đảng bộ mẫu (danh sách, biểu mẫu, hồ sơ các chi bộ gửi về, có vài lỗi thường
    gặp và một chi bộ chưa gửi), chạy `aggregate` và in nơi để kết quả.

    \b
    Ví dụ:
      xeploai demo demo-district
      xeploai demo lien-chieu-2023 --year 2023 --cells 40 --seed 7
    """
    from toolkit.demo.run import run_demo

    if any(directory.iterdir()) if directory.is_dir() else False:
        click.echo(
            f"Lỗi: thư mục {directory} đã có dữ liệu; hãy chọn một thư mục mới hoặc trống.",
            err=True,
        )
        sys.exit(2)
    with progress_reporter(quiet) as report:
        result = run_demo(
            directory,
            year=year or _dt.date.today().year,
            cells=cells,
            seed=seed,
            workers=workers,
            progress=report,
        )
    click.echo(result.describe(lang), nl=False)
