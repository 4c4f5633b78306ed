"""The ``xeploai`` command line: a thin layer over the library.

Only this package imports Click. Each command lives in its own module, parses its options,
calls one library function and shows the result. Exit codes: 0 all inputs valid, 1 ran and found
problems in the inputs, 2 usage, configuration or I/O error.
"""

from __future__ import annotations

import atexit
import functools
import gc
import importlib
import threading
from typing import Any

import click

from toolkit import __version__
from toolkit.cli import words
from toolkit.cli.failures import (
    WORKER_LOST,
    quiet_pool_race,
    say_usage_problem,
    unknown_command,
    utf8_streams,
    worker_lost,
)
from toolkit.errors import XeploaiError
from toolkit.visible import visible

#: command name -> module under toolkit.cli that defines a Click command of the same name
COMMANDS: dict[str, str] = {
    "rules": "rules",
    "mail": "mail",
    "templates": "templates",
    "validate": "validate",
    "status": "status",
    "aggregate": "aggregate",
    "demo": "demo",
    "rollup": "rollup",
}

#: «[OPTIONS]» in a usage line
OPTIONS_METAVAR = "[TÙY-CHỌN]"
# Click's own words («Usage:», «Options», «[required]»…) in Vietnamese, like everything else
words.install()

# the objects of a run are freed with the process: Python's last collection on the way out
# would walk every one of them, to free nothing (0.2 s after a city's aggregate)
atexit.register(gc.freeze)


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
        command.options_metavar = OPTIONS_METAVAR
        return command

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as exc:  # before the command: ``xeploai --lang en rules``
            say_usage_problem(exc, ctx)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name = args[0] if args else ""
        if name and not name.startswith("-") and name not in COMMANDS:
            raise click.UsageError(unknown_command(name, sorted(COMMANDS)), ctx)
        return super().resolve_command(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        utf8_streams()
        previous = threading.excepthook
        threading.excepthook = functools.partial(quiet_pool_race, previous)
        try:
            return super().invoke(ctx)
        except XeploaiError as exc:
            click.echo(f"Lỗi: {visible(exc)}", err=True)  # it may name a file
            ctx.exit(exc.exit_code)
        except click.UsageError as exc:
            say_usage_problem(exc, ctx)
        except Exception as exc:
            if not worker_lost(exc):
                raise
            click.echo(f"Lỗi: {WORKER_LOST}", err=True)
            ctx.exit(2)
        finally:
            # a pool's threads have ended by now: leaving it, the library joined them
            threading.excepthook = previous


@click.group(
    cls=XeploaiGroup,
    context_settings={"help_option_names": ["-h", "--help"]},
    options_metavar=OPTIONS_METAVAR,
    subcommand_metavar="LỆNH [THAM-SỐ]...",
)
@click.version_option(__version__, prog_name="xeploai")
def main() -> None:
    """xeploai — kiểm điểm, đánh giá, xếp loại chất lượng tổ chức đảng và đảng viên.

    Mã thoát: 0 mọi tệp hợp lệ · 1 đã chạy, có vấn đề trong dữ liệu · 2 lỗi tham số,
    cấu hình hoặc đọc/ghi tệp.
    """
