"""Options shared by several commands, as small decorators."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


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
        default=None,
        help="Năm đánh giá, xếp loại (chọn bộ quy tắc: 2023–2024 QD124, từ 2025 QD366).",
    )(f)


def rules_option(f: F) -> F:
    """``--rules FILE``: the district's own overrides of rule parameters (TOML)."""
    return click.option(
        "--rules",
        "rules_file",
        type=click.Path(dir_okay=False, exists=True),
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
