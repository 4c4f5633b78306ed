"""How tall a row must be for its wrapped text: one estimator for every workbook we write.

LibreOffice does not grow a row whose height the file leaves unset, so each wrapped text would
stay one line high; Excel grows it on opening. Every writer therefore sets the height of a row
holding wrapped text from the text, its font and the column's width. Widths come from Times New
Roman's own advance widths (``textwidths``, taken once from the metric-compatible Liberation
Serif); lines break at spaces as both clients break them, a word wider than the column breaks
between letters.

A column's width is stored in characters of the workbook's default font: both clients turn it
into pixels with that font's digit width (8 px for Times New Roman 12, 7 px for 11).
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from toolkit.textwidths import UNITS_PER_EM, WIDTHS

#: a character the table does not know is measured as this (a wide capital: never too short)
_UNKNOWN = 0.75
#: the space a cell keeps between its border and its text, left and right together (points),
#: and the share of the rest a line may fill: LibreOffice lays text out at its reference
#: device's resolution, where the same words come out a few per cent wider than the font's
#: own widths (measured: a line breaks at 88-96 % of the column)
_CELL_PADDING = 6.0
_LAYOUT_SLACK = 0.95
#: the width of an autofilter's drop-down button in a header cell (points): LibreOffice keeps
#: the header's text clear of it
FILTER_BUTTON = 14.0
#: a line of text as both clients space it, per point of font size, and the room above and
#: below the text in a row (points)
LINE_FACTOR = 1.15
_ROW_PADDING = 2.5


@dataclass(frozen=True)
class Font:
    """A cell's font: Times New Roman at a size (points), perhaps bold or italic."""

    size: float = 11.0
    bold: bool = False
    italic: bool = False

    @property
    def style(self) -> str:
        if self.bold and self.italic:
            return "bold_italic"
        return "bold" if self.bold else "italic" if self.italic else "regular"


def _table(style: str) -> dict[str, float]:
    """Character → advance width in em."""
    return {c: width / UNITS_PER_EM for width, chars in WIDTHS[style].items() for c in chars}


_EM: dict[str, dict[str, float]] = {style: _table(style) for style in WIDTHS}


def _char_em(table: dict[str, float], char: str) -> float:
    found = table.get(char)
    if found is not None:
        return found
    if unicodedata.combining(char):
        return 0.0
    base = unicodedata.normalize("NFD", char)[:1]  # a letter with an accent: its base letter
    return table.get(base, _UNKNOWN)


#: a word's width in em, by style: words repeat (Vietnamese writes short syllables), so each
#: is measured once; emptied when full, so that names do not grow it without end
_WORDS: dict[str, dict[str, float]] = {style: {} for style in WIDTHS}
#: (text, room, style) → lines: a table's texts repeat from row to row
_LINES: dict[tuple[str, float, str], int] = {}
_CACHE_MAX = 50_000


def _word_em(word: str, style: str) -> float:
    """A word's width in em."""
    known = _WORDS[style]
    width = known.get(word)
    if width is None:
        table = _EM[style]
        width = sum(_char_em(table, c) for c in word)
        if len(known) >= _CACHE_MAX:
            known.clear()
        known[word] = width
    return width


def text_points(text: str, font: Font) -> float:
    """The width of ``text`` on one line, in points."""
    return sum(_word_em(w, font.style) for w in text.split(" ")) * font.size + (
        text.count(" ") * _EM[font.style][" "] * font.size
    )


def column_points(width: float, digit_pixels: int = 7, reserved: float = 0.0) -> float:
    """The room for text in a column ``width`` characters wide (xlsxwriter's ``set_column``
    width), in points, under a default font whose digits are ``digit_pixels`` wide, less
    ``reserved`` points (an autofilter's button)."""
    stored = width + 5 / 7 if width >= 1 else width * 12 / 7  # what xlsxwriter writes
    return (stored * digit_pixels * 0.75 - _CELL_PADDING - reserved) * _LAYOUT_SLACK


def line_count(text: str, room: float, font: Font) -> int:
    """How many lines ``text`` takes when wrapped in ``room`` points."""
    if len(text) * font.size <= room and "\n" not in text:
        return 1  # no character is wider than an em: the usual short text needs no measuring
    key = (text, room, font.style)
    lines = _LINES.get(key)
    if lines is None:
        lines = _wrap(text, room / font.size, font.style)
        if len(_LINES) >= _CACHE_MAX:
            _LINES.clear()
        _LINES[key] = lines
    return lines


def _wrap(text: str, limit: float, style: str) -> int:
    """Lines of ``text`` broken greedily at spaces in ``limit`` em (a word wider than that
    breaks between its letters), as both clients break them."""
    known = _WORDS[style]
    space = _EM[style][" "]
    lines = 0
    for paragraph in text.split("\n"):
        lines += 1
        used = -space
        for word in paragraph.split(" "):
            width = known.get(word)
            if width is None:
                width = _word_em(word, style)
            if used + space + width <= limit:
                used += space + width
                continue
            if used > 0:
                lines += 1
            if width <= limit:
                used = width
                continue
            used = 0.0  # a word wider than the column: broken between its letters
            for char in word:
                w = _char_em(_EM[style], char)
                if used + w > limit and used > 0:
                    lines += 1
                    used = 0.0
                used += w
    return lines


def lines_points(lines: int, font: Font) -> float:
    """The height of a row holding ``lines`` lines in ``font``, in points."""
    points = lines * font.size * LINE_FACTOR + _ROW_PADDING
    return math.ceil(points * 4 / 3) * 0.75  # whole pixels, as both writers store a height


def cell_points(text: str, width: float, font: Font, digit_pixels: int = 7) -> float:
    """The height a wrapped ``text`` needs in a column ``width`` characters wide."""
    return lines_points(line_count(text, column_points(width, digit_pixels), font), font)


def row_points(
    cells: Iterable[tuple[str, float, Font]], digit_pixels: int = 7, least: float = 0.0
) -> float:
    """The height of a row: the tallest of its wrapped cells (text, column width, font), and
    at least ``least``."""
    return max([least, *(cell_points(t, w, f, digit_pixels) for t, w, f in cells)])


class RowFit:
    """The height of a table's rows from the values of its wrapped columns: ``None`` for a
    row whose every text fits on one line (it keeps the default height)."""

    def __init__(
        self,
        wrapped: Iterable[tuple[int, float, Font]],
        digit_pixels: int = 7,
        reserved: float = 0.0,
    ) -> None:
        #: (column index, room in points, font) of each wrapped column
        self.columns = [(col, column_points(w, digit_pixels, reserved), f) for col, w, f in wrapped]
        # the hot loop's view: the most characters sure to fit on a line (none is wider than
        # an em), and the style's name
        self._fast = [(col, room, font, room / font.size) for col, room, font in self.columns]

    def __call__(self, values: Sequence[object]) -> float | None:
        tallest = 0.0
        width = len(values)
        for col, room, font, sure in self._fast:
            text = values[col] if col < width else None
            if type(text) is not str or len(text) <= sure:
                continue  # not a text, or a text too short to wrap: most cells
            lines = line_count(text, room, font)
            if lines > 1:
                tallest = max(tallest, lines_points(lines, font))
        return tallest or None


def printed_pixels(widths: Iterable[float], digit_pixels: int = 7) -> int:
    """How wide columns ``widths`` characters wide print at 100 %, in pixels (96 an inch)."""
    return sum(int((w + 5 / 7) * digit_pixels + 0.5) for w in widths)


def digit_pixels(font_size: float) -> int:
    """The width of a digit of Times New Roman at ``font_size`` points, in screen pixels (a
    digit is half an em; 96 pixels to the inch)."""
    return int(font_size * 4 / 3 * 0.5 + 0.5)


#: Excel's limit on a page header's length (a longer one is dropped)
HEADER_LIMIT = 255


def page_header(title: str, subtitle: str) -> str:
    """A page header of the title, bold, over the subtitle, italic (``&`` escaped)."""
    bold, italic = '&L&"Times New Roman,Bold"&12', '&"Times New Roman,Italic"&10'
    room = HEADER_LIMIT - len(bold) - len(italic) - 1
    title = _cut(title, room // 2)
    subtitle = _cut(subtitle, room - _units(title))
    return f"{bold}{title}\n{italic}{subtitle}"


def _units(text: str) -> int:
    """The UTF-16 units Excel counts in ``text``."""
    return len(text.encode("utf-16-le")) // 2


def _cut(text: str, units: int) -> str:
    """``text`` with ``&`` escaped (``&&``), cut with an ellipsis to ``units`` UTF-16 units."""
    escaped = text.replace("&", "&&")
    if _units(escaped) <= units:
        return escaped
    kept = text[:units]
    while _units(kept.replace("&", "&&")) > units - 1:
        kept = kept[:-1]
    return kept.replace("&", "&&") + "…"
