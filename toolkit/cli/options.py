"""Options shared by several commands, as small decorators."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


class PathParam(click.Path):
    """A path, as a ``Path``, refused in Vietnamese (Click's words are English): one that must
    exist and does not, a folder where a file is wanted, a file where a folder is wanted."""

    def __init__(
        self, *, exists: bool = False, file_okay: bool = True, dir_okay: bool = True
    ) -> None:
        super().__init__(exists=exists, file_okay=file_okay, dir_okay=dir_okay, path_type=Path)

    def get_metavar(self, param: click.Parameter, ctx: click.Context) -> str:
        return "THƯ-MỤC" if not self.file_okay else "TỆP" if not self.dir_okay else "ĐƯỜNG-DẪN"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        path = Path(value)
        if not path.exists():
            if self.exists:
                self.fail(f"không tìm thấy «{value}».", param, ctx)
        elif path.is_dir() and not self.dir_okay:
            self.fail(f"«{value}» là một thư mục, cần một tệp.", param, ctx)
        elif not path.is_dir() and not self.file_okay:
            self.fail(f"«{value}» là một tệp, cần một thư mục.", param, ctx)
        return super().convert(value, param, ctx)


def lang_option(f: F) -> F:
    """``--lang vi|en``: the language of messages (Vietnamese by default)."""
    return click.option(
        "--lang",
        type=click.Choice(["vi", "en"]),
        default="vi",
        show_default=True,
        help="Ngôn ngữ thông báo (vi: tiếng Việt, en: English).",
    )(f)


def year_option(f: F) -> F:
    """``--year``: the rating year, which selects the rule-set."""
    return click.option(
        "--year",
        type=int,
        metavar="NĂM",
        default=None,
        help="Năm đánh giá, xếp loại (chọn bộ quy tắc: 2023–2024 QĐ 124, từ 2025 QĐ 366).",
    )(f)


def rules_option(f: F) -> F:
    """``--rules FILE``: the district's own overrides of rule parameters (TOML)."""
    return click.option(
        "--rules",
        "rules_file",
        type=PathParam(exists=True, dir_okay=False),
        default=None,
        help="Tệp TOML của địa phương ghi đè tham số quy tắc.",
    )(f)


def format_option(f: F) -> F:
    """``--format text|json``."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(["text", "json"]),
        default="text",
        show_default=True,
        help="Định dạng kết quả.",
    )(f)


def roster_option(*, required: bool, help: str) -> Callable[[F], F]:
    """``--roster FILE``: the roster workbook (org units and members)."""
    return click.option(
        "--roster",
        "roster_path",
        # no default=None here: with Click 8.3 an explicit default satisfies required=True
        required=required,
        type=PathParam(exists=True, dir_okay=False),
        help=help,
    )


def out_option(f: F) -> F:
    """``-o/--out DIR``: the folder the outputs go to."""
    return click.option(
        "-o",
        "--out",
        "out_dir",
        required=True,
        type=PathParam(file_okay=False),
        help="Thư mục ghi kết quả.",
    )(f)


def workers_option(default: int) -> Callable[[F], F]:
    """``--workers N``: processes that read (and write) files in parallel."""
    return click.option(
        "--workers",
        type=click.IntRange(1, 64),
        metavar="SỐ",
        default=default,
        show_default=True,
        help="Số tiến trình đọc, ghi tệp song song.",
    )


def latest_option(f: F) -> F:
    """``--latest``: of two different files of one kind from one cell, take the last saved."""
    return click.option(
        "--latest",
        is_flag=True,
        default=False,
        help="Chi bộ gửi hai tệp khác nhau cùng loại: dùng tệp được lưu sau cùng.",
    )(f)


def quiet_option(f: F) -> F:
    """``-q/--quiet``: no progress and no summary."""
    return click.option("-q", "--quiet", is_flag=True, help="Không in tiến độ và tóm tắt.")(f)
