"""styles.xml of the lean writer: fonts, fills, borders, number formats, cell formats.

Only the format properties the named styles use (``styles.STYLES``) are understood: font name,
size, bold, italic, colour and scheme (``"none"``: not the theme's); background colour; thin or medium borders; number format;
horizontal and vertical alignment; wrapping. The part is what xlsxwriter writes for the same
formats: a format gets its index (``xf_index``) when a cell first uses it, formats no cell uses
are left out, and fonts, fills, borders and number formats are numbered in that order, each
written once.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from xml.sax.saxutils import escape

_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_DEFAULT_FONT = "Calibri"
#: number formats Excel knows by number; every other code is numbered from 164 (as xlsxwriter)
_BUILT_IN = {"General": 0, "0": 1, "@": 49}


class FormatTable:
    """The cell formats of one workbook in the order cells first use them (index 0: default)."""

    def __init__(self, default: Mapping[str, Any]) -> None:
        #: the theme's font: a format in it says so with <scheme val="minor"/>, as in Excel
        self.theme_font = str(default.get("font_name", _DEFAULT_FONT))
        self.used: list[LeanFormat] = []
        #: set once styles.xml is written: a format first used later would not be in it
        self.closed = False
        self._by_key: dict[tuple[str, ...], int] = {}
        self.default = LeanFormat(self, default)
        self.default._index = self.assign(self.default, is_default=True)

    def assign(self, fmt: LeanFormat, *, is_default: bool = False) -> int:
        """The index of ``fmt``: a new one, or that of an identical format already used."""
        key = fmt.key(self.theme_font, is_default)
        index = self._by_key.get(key)
        if index is None:
            if self.closed:
                raise ValueError("a format first used after its workbook was written")
            index = self._by_key[key] = len(self.used)
            self.used.append(fmt)
        return index


class LeanFormat:
    """A cell format; ``index`` is its place among the workbook's cell formats (``cellXfs``)."""

    __slots__ = ("_index", "_key", "_table", "properties")

    def __init__(self, table: FormatTable, properties: Mapping[str, Any]) -> None:
        self._table = table
        self._index: int | None = None
        self._key: tuple[str, ...] | None = None
        self.properties = dict(properties)

    @property
    def index(self) -> int:
        """The format's index, given on first use (as xlsxwriter numbers formats)."""
        if self._index is None:
            self._index = self._table.assign(self)
        return self._index

    @property
    def xf_index(self) -> int:
        """The same index under xlsxwriter's name for it."""
        return self.index

    def key(self, theme_font: str, is_default: bool = False) -> tuple[str, ...]:
        """(font, fill, border, number format, alignment) as XML: equal keys, one format.

        The default format's font never carries the theme's scheme: xlsxwriter compares its
        font with Calibri before it knows the theme's font.
        """
        if self._key is None:
            p = self.properties
            name = str(p.get("font_name", theme_font))
            # tied to the theme's font unless told otherwise ("font_scheme": "none")
            tied = p.get("font_scheme", "minor") in ("minor", "major")
            scheme = tied and name == (_DEFAULT_FONT if is_default else theme_font)
            self._key = (
                _font(p, name),
                _fill(p),
                _border(p),
                str(p.get("num_format", "General")),
                _alignment(p),
                "minor" if scheme else "",
            )
        return self._key


def styles_xml(table: FormatTable) -> str:
    """Fonts, fills, borders, number formats and cell formats of the formats cells used.

    The table is closed: a format no cell has used so far gets no index any more."""
    table.closed = True
    fonts: dict[str, int] = {}
    font_xml: list[str] = []
    fills: dict[str, int] = {
        '<fill><patternFill patternType="none"/></fill>': 0,
        '<fill><patternFill patternType="gray125"/></fill>': 1,
    }
    borders: dict[str, int] = {"<border><left/><right/><top/><bottom/><diagonal/></border>": 0}
    numfmts: dict[str, int] = {}
    xfs = []
    for fmt in table.used:
        font, fill, border, code, align, scheme = fmt.key(table.theme_font)
        font_id = fonts.get(font)
        if font_id is None:
            font_id = fonts[font] = len(fonts)
            # the scheme belongs to the first format with this font, as xlsxwriter writes it
            tail = '<scheme val="minor"/></font>' if scheme else "</font>"
            font_xml.append(font[: -len("</font>")] + tail)
        fill_id = fills.setdefault(fill, len(fills)) if fill else 0
        border_id = borders.setdefault(border, len(borders)) if border else 0
        num_id = _BUILT_IN.get(code)
        if num_id is None:
            num_id = numfmts.setdefault(code, 164 + len(numfmts))
        xfs.append(_xf(num_id, font_id, fill_id, border_id, align))
    num_xml = "".join(
        f'<numFmt numFmtId="{i}" formatCode="{_attribute(code)}"/>' for code, i in numfmts.items()
    )
    return (
        f"{_XML}<styleSheet {_NS}>"
        + (f'<numFmts count="{len(numfmts)}">{num_xml}</numFmts>' if numfmts else "")
        + f'<fonts count="{len(fonts)}">{"".join(font_xml)}</fonts>'
        + f'<fills count="{len(fills)}">{"".join(fills)}</fills>'
        + f'<borders count="{len(borders)}">{"".join(borders)}</borders>'
        + '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        + f'<cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>'
        + '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        + '<dxfs count="0"/><tableStyles count="0" defaultTableStyle="TableStyleMedium9" '
        'defaultPivotStyle="PivotStyleLight16"/></styleSheet>'
    )


def _attribute(text: str) -> str:
    return escape(text, {'"': "&quot;"})


def _rgb(colour: str) -> str:
    return "FF" + colour.lstrip("#").upper()


def _font(p: Mapping[str, Any], name: str) -> str:
    bold = "<b/>" if p.get("bold") else ""
    italic = "<i/>" if p.get("italic") else ""
    colour = (
        f'<color rgb="{_rgb(p["font_color"])}"/>' if p.get("font_color") else '<color theme="1"/>'
    )
    return (
        f'<font>{bold}{italic}<sz val="{p.get("font_size", 11)}"/>{colour}'
        f'<name val="{_attribute(name)}"/><family val="2"/></font>'
    )


def _fill(p: Mapping[str, Any]) -> str:
    if not p.get("bg_color"):
        return ""
    # a background colour without a pattern is a solid fill, whose colour Excel keeps as the
    # foreground (xlsxwriter swaps them the same way)
    return (
        f'<fill><patternFill patternType="solid"><fgColor rgb="{_rgb(p["bg_color"])}"/>'
        '<bgColor indexed="64"/></patternFill></fill>'
    )


def _border(p: Mapping[str, Any]) -> str:
    style, top = int(p.get("border", 0)), int(p.get("top", p.get("border", 0)))
    if not (style or top):
        return ""
    names = {1: "thin", 2: "medium"}

    def side(tag: str, kind: int) -> str:
        return f'<{tag} style="{names[kind]}"><color auto="1"/></{tag}>' if kind else f"<{tag}/>"

    return (
        f"<border>{side('left', style)}{side('right', style)}{side('top', top)}"
        f"{side('bottom', style)}<diagonal/></border>"
    )


def _alignment(p: Mapping[str, Any]) -> str:
    """The <alignment> attributes; "-" alone when only the default (bottom) was asked for."""
    align = ""
    if p.get("align"):
        align += f' horizontal="{p["align"]}"'
    valign = p.get("valign")
    if valign and valign != "bottom":
        align += f' vertical="{"center" if valign == "vcenter" else valign}"'
    if p.get("text_wrap"):
        align += ' wrapText="1"'
    return align or ("-" if valign else "")


def _xf(num_id: int, font_id: int, fill_id: int, border_id: int, align: str) -> str:
    applied = ""
    if num_id:
        applied += ' applyNumberFormat="1"'
    if font_id:
        applied += ' applyFont="1"'
    if fill_id:
        applied += ' applyFill="1"'
    if border_id:
        applied += ' applyBorder="1"'
    head = f'<xf numFmtId="{num_id}" fontId="{font_id}" fillId="{fill_id}" borderId="{border_id}" xfId="0"'
    if align == "-":  # vertical="bottom" is Excel's default: applied, with nothing to say
        return f'{head}{applied} applyAlignment="1"/>'
    if align:
        return f'{head}{applied} applyAlignment="1"><alignment{align}/></xf>'
    return f"{head}{applied}/>"
