"""The ``xeploai`` command line: a thin layer over the library.

Only this package imports Click. Each command lives in its own module, parses its options,
calls one library function and shows the result. Exit codes: 0 all inputs valid, 1 ran and found
problems in the inputs, 2 usage, configuration or I/O error.
"""

from __future__ import annotations

import functools
import importlib
import io
import sys
import threading
from collections.abc import Callable
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

WORKER_LOST = (
    "một tiến trình phụ (đọc hoặc ghi tệp song song) đã bị dừng đột ngột, thường do máy hết bộ "
    "nhớ. Lệnh chưa hoàn tất. Hãy chạy lại; nếu lỗi lặp lại, dùng «--workers 1» (chậm hơn, "
    "ít bộ nhớ hơn)."
)


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
        _utf8_streams()
        previous = threading.excepthook
        threading.excepthook = functools.partial(_thread_excepthook, previous)
        try:
            return super().invoke(ctx)
        except XeploaiError as exc:
            click.echo(f"Lỗi: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except click.UsageError as exc:
            # Click frames its own messages in English: the same facts, said in Vietnamese
            where = exc.ctx.command_path if exc.ctx else ctx.command_path
            click.echo(f"Lỗi: {usage_problem(exc)}\nXem cách dùng: {where} --help", err=True)
            ctx.exit(exc.exit_code)
        except Exception as exc:
            if not _worker_lost(exc):
                raise
            click.echo(f"Lỗi: {WORKER_LOST}", err=True)
            ctx.exit(2)
        finally:
            # a pool's threads have ended by now: leaving it, the library joined them
            threading.excepthook = previous


def _utf8_streams() -> None:
    """Vietnamese needs UTF-8: an output in another encoding (Windows gives a redirected
    output its code page, cp1252 or cp1258) is switched to UTF-8 rather than failing on the
    first «ế» of a summary."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        if encoding != "utf8" and isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(encoding="utf-8")


def usage_problem(exc: click.UsageError) -> str:
    """A command-line mistake in Vietnamese (a value Click checked itself keeps its English
    detail: ``'abc' is not a valid integer``)."""
    if isinstance(exc, click.MissingParameter):
        return f"thiếu {_hint(exc)} (missing)"
    if isinstance(exc, click.BadParameter):
        return f"giá trị không hợp lệ cho {_hint(exc)}: {exc.message}"
    if isinstance(exc, click.NoSuchOption):
        maybe = ", ".join(f"«{p}»" for p in sorted(exc.possibilities or ()))
        return f"không có tuỳ chọn «{exc.option_name}»" + (f"; có phải {maybe}?" if maybe else "")
    return exc.format_message()


def _hint(exc: click.BadParameter) -> str:
    if exc.param_hint is not None:
        hint = exc.param_hint
        return hint if isinstance(hint, str) else " / ".join(hint)
    return exc.param.get_error_hint(exc.ctx) if exc.param is not None else "tham số"


def _thread_excepthook(
    previous: Callable[[threading.ExceptHookArgs], object], args: threading.ExceptHookArgs
) -> None:
    """Python 3.11's process pools, once a worker is killed, may also fail in their own thread
    on a task this process had taken back (CPython gh-107219, fixed in 3.12): that traceback
    says nothing that ``WORKER_LOST`` does not, so it is not printed."""
    pool_race = (
        args.exc_type.__name__ == "InvalidStateError"
        and type(args.thread).__name__ == "_ExecutorManagerThread"
    )
    if not pool_race:
        previous(args)


def _worker_lost(exc: Exception) -> bool:
    """A reader or writer process was killed from outside (most often: out of memory)."""
    # only a run that imported concurrent.futures had a pool (importing it for --help costs)
    futures = sys.modules.get("concurrent.futures")
    return futures is not None and isinstance(exc, futures.BrokenExecutor)


@click.group(cls=XeploaiGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="xeploai")
def main() -> None:
    """xeploai — kiểm điểm, đánh giá, xếp loại chất lượng tổ chức đảng và đảng viên.

    Mã thoát: 0 mọi tệp hợp lệ · 1 đã chạy, có vấn đề trong dữ liệu · 2 lỗi tham số,
    cấu hình hoặc đọc/ghi tệp.
    """
