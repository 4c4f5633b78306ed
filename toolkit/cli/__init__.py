"""The ``xeploai`` command line: a thin layer over the library.

Only this package imports Click. Each command lives in its own module, parses its options,
calls one library function and shows the result. Exit codes: 0 all inputs valid, 1 ran and found
problems in the inputs, 2 usage, configuration or I/O error.
"""

from __future__ import annotations

import importlib
from typing import Any

import click

from toolkit import __version__
from toolkit.errors import XeploaiError

#: command name -> module under toolkit.cli that defines a Click command of the same name
COMMANDS: dict[str, str] = {
    "rules": "rules",
    "mail": "mail",
    "templates": "templates",
    "validate": "validate",
    "status": "status",
    "aggregate": "aggregate",
    "demo": "demo",
}


class XeploaiGroup(click.Group):
    """Loads commands lazily (fast ``--help``) and turns library errors into exit code 2."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module_name = COMMANDS.get(cmd_name)
        if module_name is None:
            return None
        module = importlib.import_module(f"toolkit.cli.{module_name}")
        command: click.Command = getattr(module, cmd_name.replace("-", "_"))
        return command

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except XeploaiError as exc:
            click.echo(f"Lỗi: {exc}", err=True)
            ctx.exit(exc.exit_code)


@click.group(cls=XeploaiGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="xeploai")
def main() -> None:
    """xeploai — kiểm điểm, đánh giá, xếp loại chất lượng tổ chức đảng và đảng viên.

    Mã thoát: 0 mọi tệp hợp lệ · 1 đã chạy, có vấn đề trong dữ liệu · 2 lỗi tham số,
    cấu hình hoặc đọc/ghi tệp.
    """
