"""Click's own words in Vietnamese: «Cách dùng:», «Tùy chọn», «[bắt buộc]»…

Click writes its help and its messages through ``gettext.gettext``, bound as ``_`` in each of
its modules; without a catalogue installed that gives the English text. ``install`` rebinds
that ``_`` in Click's modules to ``vietnamese`` (a plain table, no locale files, no
environment variable): the help of every command is then Vietnamese throughout. A text not in
the table keeps Click's words, so a newer Click degrades to English, never to an error.
"""

from __future__ import annotations

import click
import click.core
import click.decorators
import click.exceptions
import click.formatting
import click.parser
import click.types

CLICK_WORDS: dict[str, str] = {
    # help pages
    "Usage:": "Cách dùng:",
    "Options": "Tùy chọn",
    "Commands": "Lệnh",
    "Positional arguments": "Tham số",
    "Show this message and exit.": "In hướng dẫn này rồi thoát.",
    "Show the version and exit.": "In phiên bản của xeploai rồi thoát.",
    "%(prog)s, version %(version)s": "%(prog)s, phiên bản %(version)s",
    "required": "bắt buộc",
    "default: {default}": "mặc định: {default}",
    "env var: {var}": "biến môi trường: {var}",
    "(dynamic)": "(tính khi chạy)",
    "deprecated": "không còn dùng",
    # the kinds of path shown as metavars (upper-cased by Click): TỆP, THƯ MỤC
    "file": "tệp",
    "directory": "thư mục",
    "path": "đường dẫn",
    # messages (``failures.usage_problem`` says most of them in its own words)
    "Aborted!": "Đã dừng.",
    "Error: {message}": "Lỗi: {message}",
    "Try '{command} {option}' for help.": "Xem cách dùng: {command} {option}",
    "Missing command.": "Thiếu lệnh.",
    "Missing argument": "Thiếu tham số",
    "Missing option": "Thiếu tùy chọn",
    "Missing parameter": "Thiếu tham số",
    "Missing parameter: {param_name}": "Thiếu tham số: {param_name}",
    "Invalid value: {message}": "Giá trị không hợp lệ: {message}",
    "Invalid value for {param_hint}: {message}": "Giá trị không hợp lệ cho {param_hint}: {message}",
    "No such option {name!r}.": "Không có tùy chọn {name!r}.",
    "No such command {name!r}.": "Không có lệnh {name!r}.",
    "Option {name!r} does not take a value.": "Tùy chọn {name!r} không nhận giá trị.",
    "Argument {name!r} takes {nargs} values.": "Tham số {name!r} cần {nargs} giá trị.",
    "{value!r} is not a valid {number_type}.": "{value!r} không phải là {number_type} hợp lệ.",
    "{value} is not in the range {range}.": "{value} nằm ngoài khoảng {range}.",
    "Choose from:\n\t{choices}": "Chọn một trong:\n\t{choices}",
    "{name} {filename!r} does not exist.": "Không có {name} {filename!r}.",
    "{name} {filename!r} is a file.": "{name} {filename!r} là một tệp.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} là một thư mục.",
    "unknown error": "lỗi không rõ",
    "Could not open file {filename!r}: {message}": "Không mở được tệp {filename!r}: {message}",
}
#: the names Click gives its number types, in its «is not a valid …» message
NUMBER_NAMES = {"integer": "số nguyên", "float": "số thực", "integer range": "số nguyên"}
#: the modules of Click that bind ``_`` (gettext) and use it for what a user reads
_MODULES = (
    click.core,
    click.decorators,
    click.exceptions,
    click.formatting,
    click.parser,
    click.types,
)


def vietnamese(message: str) -> str:
    """Click's ``message`` in Vietnamese (itself when the table does not have it)."""
    return CLICK_WORDS.get(message, message)


def install() -> None:
    """Make Click speak Vietnamese, in this process (idempotent)."""
    for module in _MODULES:
        module._ = vietnamese  # type: ignore[attr-defined]
    for kind in (click.types.IntParamType, click.types.FloatParamType, click.types.IntRange):
        kind.name = NUMBER_NAMES.get(kind.name, kind.name)
