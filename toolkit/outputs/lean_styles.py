"""styles.xml of the lean writer: fonts, fills, borders, number formats, cell formats.

Only the format properties the named styles use (``styles.STYLES``) are understood: font name,
size, bold, italic and colour; background colour; thin or medium borders; number format;
horizontal and vertical alignment; wrapping. Index 0 is the workbook's default format.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from xml.sax.saxutils import escape

_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


class LeanFormat:
    """A cell format: its index among the workbook's cell formats (``cellXfs``)."""

    __slots__ = ("index", "properties")

    def __init__(self, index: int, properties: Mapping[str, Any]) -> None:
        self.index = index
        self.properties = dict(properties)

    @property
    def xf_index(self) -> int:
        """The same index under xlsxwriter's name for it."""
        return self.index


def styles_xml(formats: list[LeanFormat]) -> str:
    """Fonts, fills, borders, number formats and cell formats, deduplicated, index 0 default."""
    fonts: dict[str, int] = {}
    fills: dict[str, int] = {
        '<fill><patternFill patternType="none"/></fill>': 0,
        '<fill><patternFill patternType="gray125"/></fill>': 1,
    }
    borders: dict[str, int] = {"<border><left/><right/><top/><bottom/><diagonal/></border>": 0}
    numfmts: dict[str, int] = {}
    xfs = []
    for fmt in formats:
        p = fmt.properties
        font = _font(p)
        font_id = fonts.setdefault(font, len(fonts))
        fill_id = 0
        if p.get("bg_color"):
            fill = (
                f'<fill><patternFill patternType="solid"><fgColor rgb="{_rgb(p["bg_color"])}"/>'
                '<bgColor indexed="64"/></patternFill></fill>'
            )
            fill_id = fills.setdefault(fill, len(fills))
        border_id = 0
        if p.get("border") or p.get("top"):
            border = _border(int(p.get("border", 0)), int(p.get("top", p.get("border", 0))))
            border_id = borders.setdefault(border, len(borders))
        num_id = 0
        if p.get("num_format"):
            num_id = numfmts.setdefault(str(p["num_format"]), 164 + len(numfmts))
        xfs.append(_xf(p, num_id, font_id, fill_id, border_id))
    num_xml = "".join(
        f'<numFmt numFmtId="{i}" formatCode="{_attribute(code)}"/>' for code, i in numfmts.items()
    )
    return (
        f"{_XML}<styleSheet {_NS}>"
        + (f'<numFmts count="{len(numfmts)}">{num_xml}</numFmts>' if numfmts else "")
        + f'<fonts count="{len(fonts)}">{"".join(fonts)}</fonts>'
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


def _font(p: Mapping[str, Any]) -> str:
    bold = "<b/>" if p.get("bold") else ""
    italic = "<i/>" if p.get("italic") else ""
    colour = (
        f'<color rgb="{_rgb(p["font_color"])}"/>' if p.get("font_color") else '<color theme="1"/>'
    )
    return (
        f'<font>{bold}{italic}<sz val="{p.get("font_size", 11):g}"/>{colour}'
        f'<name val="{_attribute(str(p.get("font_name", "Calibri")))}"/><family val="2"/></font>'
    )


def _border(style: int, top: int) -> str:
    names = {0: "", 1: "thin", 2: "medium"}

    def side(tag: str, kind: int) -> str:
        return f'<{tag} style="{names[kind]}"><color auto="1"/></{tag}>' if kind else f"<{tag}/>"

    return (
        f"<border>{side('left', style)}{side('right', style)}{side('top', top)}"
        f"{side('bottom', style)}<diagonal/></border>"
    )


def _xf(p: Mapping[str, Any], num_id: int, font_id: int, fill_id: int, border_id: int) -> str:
    applied = ""
    if num_id:
        applied += ' applyNumberFormat="1"'
    if font_id:
        applied += ' applyFont="1"'
    if fill_id:
        applied += ' applyFill="1"'
    if border_id:
        applied += ' applyBorder="1"'
    align = ""
    if p.get("align"):
        align += f' horizontal="{p["align"]}"'
    if p.get("valign"):
        align += f' vertical="{"center" if p["valign"] == "vcenter" else p["valign"]}"'
    if p.get("text_wrap"):
        align += ' wrapText="1"'
    head = f'<xf numFmtId="{num_id}" fontId="{font_id}" fillId="{fill_id}" borderId="{border_id}" xfId="0"'
    if align:
        return f'{head}{applied} applyAlignment="1"><alignment{align}/></xf>'
    return f"{head}{applied}/>"
