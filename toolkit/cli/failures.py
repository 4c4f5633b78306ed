"""How the command line tells what went wrong: in Vietnamese, without a traceback.

Click frames its own messages in English, Python 3.11's process pools may print a traceback
from their own thread, and an output in a Windows code page cannot take Vietnamese letters:
``XeploaiGroup.invoke`` uses what is here for each.
"""

from __future__ import annotations

import difflib
import io
import re
import sys
import threading
from collections.abc import Callable
from typing import NoReturn

import click

WORKER_LOST = (
    "Một tiến trình phụ (đọc hoặc ghi tệp song song) đã bị dừng đột ngột, thường do máy hết bộ "
    "nhớ. Lệnh chưa hoàn tất. Hãy chạy lại; nếu lỗi lặp lại, dùng «--workers 1» (chậm hơn, "
    "ít bộ nhớ hơn)."
)


def utf8_streams() -> None:
    """Vietnamese needs UTF-8: an output in another encoding (Windows gives a redirected
    output its code page, cp1252 or cp1258) is switched to UTF-8 rather than failing on the
    first «ế» of a summary."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        if encoding != "utf8" and isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(encoding="utf-8")


def say_usage_problem(exc: click.UsageError, ctx: click.Context) -> NoReturn:
    """Print a command-line mistake in Vietnamese, and where to read the usage; exit 2."""
    # Click frames its own messages in English: the same facts, said in Vietnamese
    where = exc.ctx.command_path if exc.ctx else ctx.command_path
    click.echo(f"Lỗi: {usage_problem(exc)}\nXem cách dùng: {where} --help", err=True)
    ctx.exit(exc.exit_code)


def usage_problem(exc: click.UsageError) -> str:
    """A command-line mistake in Vietnamese (a value Click checked itself keeps its English
    detail: ``'abc' is not a valid integer``)."""
    if isinstance(exc, click.MissingParameter):
        return f"Thiếu {_hint(exc)}."
    if isinstance(exc, click.BadParameter):
        return f"Giá trị không hợp lệ cho {_hint(exc)}: {exc.message}"
    if isinstance(exc, click.NoSuchOption):
        maybe = ", ".join(f"«{p}»" for p in sorted(exc.possibilities or ()))
        return f"Không có tuỳ chọn «{exc.option_name}»" + (f"; có phải {maybe}?" if maybe else ".")
    return exc.format_message()


def unknown_command(name: str, commands: list[str]) -> str:
    """No command of that name: the likely one, and every one."""
    maybe = difflib.get_close_matches(name, commands, n=1)
    guess = f" (có phải «{maybe[0]}»?)" if maybe else ""
    return f"Không có lệnh «{name}»{guess}. Các lệnh: {', '.join(commands)}."


def _hint(exc: click.BadParameter) -> str:
    """The parameter's names as Click gives them ('-o' / '--out'), in our quotes."""
    hint = exc.param_hint
    if hint is None:
        hint = exc.param.get_error_hint(exc.ctx) if exc.param is not None else "tham số"
    elif not isinstance(hint, str):
        hint = " / ".join(hint)
    return re.sub(r"'([^']*)'", r"«\1»", hint)


def quiet_pool_race(
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


def worker_lost(exc: Exception) -> bool:
    """A reader or writer process was killed from outside (most often: out of memory)."""
    # only a run that imported concurrent.futures had a pool (importing it for --help costs)
    futures = sys.modules.get("concurrent.futures")
    return futures is not None and isinstance(exc, futures.BrokenExecutor)
