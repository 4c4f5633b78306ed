"""``xeploai mail``: send the results of ``aggregate`` as e-mail attachments."""

from __future__ import annotations

import json
from contextlib import nullcontext
from pathlib import Path

import click

from toolkit.cli.options import PathParam, format_option, lang_option
from toolkit.visible import visible


@click.command()
@click.argument("out_dir", metavar="THƯ-MỤC-KẾT-QUẢ", type=PathParam(file_okay=False))
@click.option(
    "--config",
    "config_file",
    required=True,
    type=PathParam(dir_okay=False),
    help="Tệp mail.toml: máy chủ thư, người gửi, lãnh đạo nhận kết quả.",
)
@click.option(
    "--dry-run",
    "dry_run_dir",
    metavar="THƯ-MỤC",
    type=PathParam(file_okay=False),
    default=None,
    help="Không gửi: ghi mỗi thư thành một tệp .eml trong THƯ-MỤC để xem trước.",
)
@click.option(
    "--only",
    metavar="MÃ",
    default=None,
    help="Chỉ gửi cho chi bộ có mã này; «--only lanh-dao»: chỉ thư cho lãnh đạo.",
)
@click.option(
    "--resend", is_flag=True, help="Gửi lại cả những thư nhật ký da-gui.jsonl ghi là đã gửi."
)
@format_option
@lang_option
@click.pass_context
def mail(
    ctx: click.Context,
    out_dir: Path,
    config_file: Path,
    dry_run_dir: Path | None,
    only: str | None,
    resend: bool,
    fmt: str,
    lang: str,
) -> None:
    """Gửi kết quả tổng hợp qua thư điện tử: lãnh đạo nhận bảng tổng hợp và báo cáo, bí thư
    mỗi chi bộ nhận riêng tệp kết quả của chi bộ mình.

    THƯ-MỤC-KẾT-QUẢ là thư mục kết quả của «xeploai aggregate». Mật khẩu máy chủ thư lấy từ
    biến môi trường ghi trong mail.toml (smtp.password_env), không bao giờ ghi vào tệp. Thư đã
    gửi được ghi vào da-gui.jsonl trong thư mục đó nên chạy lại sẽ không gửi trùng; thư chưa rõ
    máy chủ đã nhận chưa (mất kết nối sau khi đã truyền hết) không bao giờ tự gửi lại, chỉ
    --resend gửi lại.

    Mã thoát: 0 đã gửi hết · 1 có người nhận không gửi được, chưa rõ đã nhận chưa hoặc bị bỏ qua
    vì dữ liệu (thiếu địa chỉ...) · 2 lỗi cấu hình, đọc/ghi tệp hoặc kết nối máy chủ thư.

    \b
    Ví dụ:
      xeploai mail ket-qua --config mail.toml --dry-run thu-xem-truoc
      XEPLOAI_SMTP_PASSWORD=... xeploai mail ket-qua --config mail.toml
      xeploai mail ket-qua --config mail.toml --only CB01 --resend
    """
    # imported here: smtplib, ssl, email and Jinja2 cost --help of every command 40 ms or more
    from toolkit.mail.config import load_config
    from toolkit.mail.run import send_results
    from toolkit.mail.view import report_as_dict, report_as_text
    from toolkit.outputs.lock import OutputLock

    config = load_config(config_file)
    # aggregate replaces OUT whole: never while the sent log in it is being written
    with nullcontext() if dry_run_dir else OutputLock(out_dir):
        report = send_results(out_dir, config, dry_run_dir=dry_run_dir, only=only, resend=resend)
    if fmt == "json":
        click.echo(json.dumps(report_as_dict(report), ensure_ascii=False, indent=2))
    else:
        click.echo(report_as_text(report, lang), nl=False)
    if report.stopped is not None:
        click.echo(f"Lỗi: {visible(report.stopped)}", err=True)
    ctx.exit(report.exit_code)
