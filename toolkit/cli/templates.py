"""``xeploai templates``: the blank roster, or every cell's two workbooks made from the roster."""

from __future__ import annotations

from pathlib import Path

import click

from toolkit.cli.options import PathParam, lang_option, rules_option, year_option

_MESSAGES = {
    "vi": {
        "either": "Cần đúng một trong hai: --blank roster hoặc --roster TỆP.",
        "year": "Cần --year khi dùng --roster.",
        "only": "--only chỉ dùng với --roster.",
        "wrote": "Đã tạo {path}",
        "none": "Chưa tạo biểu mẫu nào: danh sách có lỗi hoặc không có chi bộ nào.",
        "done": "Đã tạo {n} biểu mẫu cho {cells} chi bộ trong {out}",
    },
    "en": {
        "either": "Give exactly one of --blank roster or --roster FILE.",
        "year": "--year is required with --roster.",
        "only": "--only goes with --roster.",
        "wrote": "Wrote {path}",
        "none": "No workbook written: the roster has errors or no cell.",
        "done": "Wrote {n} workbooks for {cells} cells in {out}",
    },
}


@click.command()
@click.option(
    "--blank",
    type=click.Choice(["roster"]),
    default=None,
    help="Tạo biểu mẫu trống: roster (danh sách tổ chức đảng và đảng viên).",
)
@click.option(
    "--roster",
    "roster_path",
    default=None,
    type=PathParam(exists=True, dir_okay=False),
    help="Danh sách tổ chức đảng và đảng viên (.xlsx) để tạo biểu mẫu cho từng chi bộ.",
)
@year_option
@rules_option
@click.option(
    "--only",
    "only",
    multiple=True,
    metavar="MÃ",
    help="Chỉ tạo lại biểu mẫu của chi bộ có mã này (dùng nhiều lần cho nhiều chi bộ).",
)
@click.option(
    "-o",
    "--output",
    "out_dir",
    required=True,
    type=PathParam(file_okay=False),
    help="Thư mục ghi các biểu mẫu (tạo mới nếu chưa có).",
)
@lang_option
@click.pass_context
def templates(
    ctx: click.Context,
    blank: str | None,
    roster_path: Path | None,
    year: int | None,
    rules_file: Path | None,
    only: tuple[str, ...],
    out_dir: Path,
    lang: str,
) -> None:
    """Tạo biểu mẫu: danh sách trống, hoặc hai biểu mẫu (tự đánh giá, xếp loại; biểu quyết,
    biên bản kiểm phiếu) cho mỗi chi bộ trong danh sách, điền sẵn đảng viên của chi bộ.

    Tên tệp gồm mã và tên chi bộ, dùng được trên Windows. --only MÃ tạo lại biểu mẫu của riêng
    chi bộ đó (một chi bộ làm mất tệp), đúng tên tệp như khi tạo cho cả danh sách. Danh sách có
    lỗi thì không tạo tệp nào (mã thoát 1).

    \b
    Ví dụ:
      xeploai templates --blank roster -o mau/
      xeploai templates --roster danh-sach.xlsx --year 2023 -o gui-chi-bo/
      xeploai templates --roster danh-sach.xlsx --year 2023 -o gui-chi-bo/ --only CB07
    """
    from toolkit.workbooks.outbox import make_blank_roster, make_cell_templates
    from toolkit.workbooks.report import issues_text

    say = _MESSAGES[lang]
    if (blank is None) == (roster_path is None):
        raise click.UsageError(say["either"])
    if roster_path is None:
        if only:
            raise click.UsageError(say["only"])
        click.echo(say["wrote"].format(path=make_blank_roster(out_dir)))
        return
    if year is None:
        raise click.UsageError(say["year"])
    outbox = make_cell_templates(roster_path, year, out_dir, rules_file, only)
    click.echo(issues_text(outbox.issues, lang), err=True, nl=False)
    if not outbox.written:
        click.echo(say["none"], err=True)
        ctx.exit(1)
    click.echo(say["done"].format(n=len(outbox.paths), cells=outbox.cells, out=out_dir))
