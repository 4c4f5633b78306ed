"""A lean writer for plain table workbooks: the subset of xlsxwriter's API the result workbooks use.

Why not xlsxwriter here: a city writes 1,500 per-cell workbooks, and xlsxwriter spends about
7 µs per cell plus a few milliseconds per file; that alone would use most of the city's 15 s
budget. This writer streams each row straight to SpreadsheetML (inline strings, no shared
string table, no theme) at about 1 µs per cell. It writes what the result workbooks need and
nothing more: text, numbers, blanks, named formats, column widths, row heights, frozen panes,
an autofilter, A4 print setup with repeated header rows and a footer, document properties.
The XML follows what xlsxwriter writes for the same calls, part for part, so Excel and
LibreOffice read it the same way (the LibreOffice test opens these files for real).

Rows are written top to bottom and cells left to right, as in xlsxwriter's
``constant_memory`` mode; going back is a programming error (``ValueError``). The zip has
fixed timestamps: the same calls give the same bytes.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO, Any

_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_NS_R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument"
# characters XML 1.0 forbids, written the way Excel escapes them (_xHHHH_); an existing
# _xHHHH_ in the text is protected first so that it reads back unchanged
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_LITERAL_ESCAPE = re.compile(r"_x[0-9A-Fa-f]{4}_")
_SPECIAL = re.compile(r"[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|_x")
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
#: fast deflate: the parts are small and many; level 1 costs a third of the default level
_ZIP_LEVEL = 1


def column_letter(col: int) -> str:
    """0 → ``A``, 25 → ``Z``, 26 → ``AA``."""
    letters = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


_LETTERS = [column_letter(c) for c in range(128)]


def escape_text(text: str) -> str:
    """Text as SpreadsheetML cell content."""
    if not _SPECIAL.search(text):
        return text  # most names and messages: nothing to escape
    if "_x" in text:
        text = _LITERAL_ESCAPE.sub(lambda m: "_x005F" + m.group(0), text)
    if _CONTROL.search(text):
        text = _CONTROL.sub(lambda m: f"_x{ord(m.group(0)):04X}_", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attr(text: str) -> str:
    return escape_text(text).replace('"', "&quot;")


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


class LeanWorkbook:
    """``xlsxwriter.Workbook``'s calls that the result workbooks make, written lean."""

    def __init__(self, target: Path | str | IO[bytes], default_font: Mapping[str, Any]) -> None:
        self._target = target
        self._default = dict(default_font)
        self._formats: list[LeanFormat] = [LeanFormat(0, self._default)]
        self._by_key: dict[tuple[tuple[str, Any], ...], LeanFormat] = {}
        self.sheets: list[LeanSheet] = []
        self._title = ""
        self._author = ""
        self._created = _dt.datetime(1980, 1, 1)

    def set_properties(self, properties: Mapping[str, Any]) -> None:
        self._title = str(properties.get("title", ""))
        self._author = str(properties.get("author", ""))
        self._created = properties.get("created", self._created)

    def add_format(self, properties: Mapping[str, Any]) -> LeanFormat:
        """A format for ``properties`` (the same properties give the same format)."""
        key = tuple(sorted(properties.items()))
        found = self._by_key.get(key)
        if found is None:
            found = self._by_key[key] = LeanFormat(len(self._formats), properties)
            self._formats.append(found)
        return found

    def add_worksheet(self, name: str) -> LeanSheet:
        sheet = LeanSheet(name, len(self.sheets))
        self.sheets.append(sheet)
        return sheet

    def close(self) -> None:
        """Write the package: every part, in xlsxwriter's order, with fixed timestamps."""
        parts = [
            ("[Content_Types].xml", self._content_types()),
            ("_rels/.rels", self._root_rels()),
            ("docProps/app.xml", self._app()),
            ("docProps/core.xml", self._core()),
            ("xl/workbook.xml", self._workbook()),
            ("xl/_rels/workbook.xml.rels", self._workbook_rels()),
            ("xl/styles.xml", styles_xml(self._formats)),
        ]
        parts += [(f"xl/worksheets/sheet{s.index + 1}.xml", s.xml()) for s in self.sheets]
        target: Any = str(self._target) if isinstance(self._target, Path) else self._target
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=_ZIP_LEVEL) as z:
            for name, text in parts:
                info = zipfile.ZipInfo(name, _ZIP_DATE)
                info.compress_type = zipfile.ZIP_DEFLATED
                z.writestr(info, text.encode("utf-8"), compresslevel=_ZIP_LEVEL)

    # -- package parts ---------------------------------------------------------------------

    def _content_types(self) -> str:
        sheets = "".join(
            f'<Override PartName="/xl/worksheets/sheet{s.index + 1}.xml" '
            f'ContentType="{_CT}.spreadsheetml.worksheet+xml"/>'
            for s in self.sheets
        )
        return (
            f'{_XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/docProps/app.xml" ContentType="{_CT}.extended-properties+xml"/>'
            '<Override PartName="/docProps/core.xml" '
            'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{_CT}.spreadsheetml.styles+xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{_CT}.spreadsheetml.sheet.main+xml"/>'
            f"{sheets}</Types>"
        )

    def _root_rels(self) -> str:
        return (
            f'{_XML}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/'
            'relationships/metadata/core-properties" Target="docProps/core.xml"/>'
            f'<Relationship Id="rId3" Type="{_REL}/extended-properties" Target="docProps/app.xml"/>'
            "</Relationships>"
        )

    def _workbook_rels(self) -> str:
        rels = [
            f'<Relationship Id="rId{s.index + 1}" Type="{_REL}/worksheet" '
            f'Target="worksheets/sheet{s.index + 1}.xml"/>'
            for s in self.sheets
        ]
        rels.append(
            f'<Relationship Id="rId{len(self.sheets) + 1}" Type="{_REL}/styles" Target="styles.xml"/>'
        )
        return (
            f'{_XML}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f"{''.join(rels)}</Relationships>"
        )

    def _workbook(self) -> str:
        sheets = "".join(
            f'<sheet name="{_attr(s.name)}" sheetId="{s.index + 1}" r:id="rId{s.index + 1}"/>'
            for s in self.sheets
        )
        names = [
            f'<definedName name="_xlnm._FilterDatabase" localSheetId="{s.index}" hidden="1">'
            f"{escape_text(s.quoted_name())}!{s.filter_range()}</definedName>"
            for s in self.sheets
            if s.filter
        ]
        names += [
            f'<definedName name="_xlnm.Print_Titles" localSheetId="{s.index}">'
            f"{escape_text(s.quoted_name())}!${s.title_rows[0] + 1}:${s.title_rows[1] + 1}</definedName>"
            for s in self.sheets
            if s.title_rows
        ]
        defined = f"<definedNames>{''.join(names)}</definedNames>" if names else ""
        return (
            f"{_XML}<workbook {_NS} {_NS_R}>"
            '<workbookPr defaultThemeVersion="124226"/><bookViews><workbookView xWindow="240" '
            'yWindow="15" windowWidth="16095" windowHeight="9660"/></bookViews>'
            f'<sheets>{sheets}</sheets>{defined}<calcPr calcId="124519" fullCalcOnLoad="1"/></workbook>'
        )

    def _app(self) -> str:
        titles = "".join(f"<vt:lpstr>{escape_text(s.name)}</vt:lpstr>" for s in self.sheets)
        return (
            f'{_XML}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
            'extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/'
            'docPropsVTypes"><Application>Microsoft Excel</Application><DocSecurity>0</DocSecurity>'
            '<ScaleCrop>false</ScaleCrop><HeadingPairs><vt:vector size="2" baseType="variant">'
            "<vt:variant><vt:lpstr>Worksheets</vt:lpstr></vt:variant><vt:variant>"
            f"<vt:i4>{len(self.sheets)}</vt:i4></vt:variant></vt:vector></HeadingPairs>"
            f'<TitlesOfParts><vt:vector size="{len(self.sheets)}" baseType="lpstr">{titles}'
            "</vt:vector></TitlesOfParts><Company></Company><LinksUpToDate>false</LinksUpToDate>"
            "<SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged>"
            "<AppVersion>12.0000</AppVersion></Properties>"
        )

    def _core(self) -> str:
        when = self._created.strftime("%Y-%m-%dT%H:%M:%SZ")
        author = escape_text(self._author)
        return (
            f'{_XML}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
            'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:title>{escape_text(self._title)}</dc:title><dc:creator>{author}</dc:creator>"
            f"<cp:lastModifiedBy>{author}</cp:lastModifiedBy>"
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{when}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{when}</dcterms:modified>'
            "</cp:coreProperties>"
        )


class LeanSheet:
    """``xlsxwriter.Worksheet``'s calls that the result workbooks make, streamed row by row."""

    def __init__(self, name: str, index: int) -> None:
        self.name = name
        self.index = index
        self._rows: list[str] = []
        self._row = -1
        self._col = -1
        self._cells: list[str] = []
        self._heights: dict[int, float] = {}
        self._cols: list[tuple[int, int, float]] = []
        self._max_row = 0
        self._max_col = 0
        self._freeze: tuple[int, int] | None = None
        self.filter: tuple[int, int, int, int] | None = None
        self.title_rows: tuple[int, int] | None = None
        self._landscape = False
        self._paper = 0
        self._margins = (0.7, 0.7, 0.75, 0.75)
        self._fit: tuple[int, int] | None = None
        self._footer = ""

    # -- layout ----------------------------------------------------------------------------

    def set_column(self, first: int, last: int, width: float) -> None:
        self._cols.append((first, last, width))

    def set_row(self, row: int, height: float) -> None:
        self._heights[row] = height

    def freeze_panes(self, row: int, col: int) -> None:
        self._freeze = (row, col)

    def autofilter(self, first_row: int, first_col: int, last_row: int, last_col: int) -> None:
        self.filter = (first_row, first_col, last_row, last_col)

    def repeat_rows(self, first: int, last: int | None = None) -> None:
        self.title_rows = (first, first if last is None else last)

    def set_landscape(self) -> None:
        self._landscape = True

    def set_paper(self, paper: int) -> None:
        self._paper = paper

    def set_margins(
        self, left: float = 0.7, right: float = 0.7, top: float = 0.75, bottom: float = 0.75
    ) -> None:
        self._margins = (left, right, top, bottom)

    def fit_to_pages(self, width: int, height: int) -> None:
        self._fit = (width, height)

    def set_footer(self, footer: str) -> None:
        self._footer = footer

    # -- cells (rows in order, columns in order) -------------------------------------------

    def _start_row(self, row: int) -> None:
        if row < self._row:
            raise ValueError(f"{self.name}: row {row + 1} written after row {self._row + 1}")
        self._flush()
        self._row, self._col = row, -1
        self._max_row = row

    def _at(self, row: int, col: int) -> str:
        if row != self._row:
            self._start_row(row)
        if col <= self._col:
            raise ValueError(
                f"{self.name}: cell {column_letter(col)}{row + 1} written twice or out of order"
            )
        self._col = col
        if col > self._max_col:
            self._max_col = col
        return f"{_LETTERS[col] if col < 128 else column_letter(col)}{row + 1}"

    def write_table_row(
        self,
        row: int,
        values: Sequence[object],
        numeric: Sequence[bool],
        fmts: Sequence[Any],
        blanks: bool,
    ) -> None:
        """A whole row at once (the hot path of large tables); see ``table_cells``."""
        if row <= self._row:
            raise ValueError(f"{self.name}: row {row + 1} written twice or out of order")
        self._start_row(row)
        self._cells.append(table_cells(row, values, numeric, [f.xf_index for f in fmts], blanks))
        self._col = len(values) - 1
        if self._col > self._max_col:
            self._max_col = self._col

    def write_string(self, row: int, col: int, text: str, fmt: LeanFormat | None = None) -> None:
        ref = self._at(row, col)
        style = f' s="{fmt.index}"' if fmt is not None and fmt.index else ""
        space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
        self._cells.append(
            f'<c r="{ref}"{style} t="inlineStr"><is><t{space}>{escape_text(text)}</t></is></c>'
        )

    def write_number(
        self, row: int, col: int, number: float, fmt: LeanFormat | None = None
    ) -> None:
        ref = self._at(row, col)
        style = f' s="{fmt.index}"' if fmt is not None and fmt.index else ""
        self._cells.append(f'<c r="{ref}"{style}><v>{_number(number)}</v></c>')

    def write_datetime(
        self, row: int, col: int, when: _dt.date, fmt: LeanFormat | None = None
    ) -> None:
        """A date as Excel stores it: days since 1899-12-30 (a number with a date format)."""
        day = when.date() if isinstance(when, _dt.datetime) else when
        self.write_number(row, col, (day - _dt.date(1899, 12, 30)).days, fmt)

    def write_blank(
        self, row: int, col: int, _blank: object, fmt: LeanFormat | None = None
    ) -> None:
        if fmt is None or not fmt.index:
            return  # like xlsxwriter: a blank without a format is no cell at all
        ref = self._at(row, col)
        self._cells.append(f'<c r="{ref}" s="{fmt.index}"/>')

    def _flush(self) -> None:
        if self._row < 0:
            return
        height = self._heights.get(self._row)
        ht = f' ht="{height:g}" customHeight="1"' if height is not None else ""
        self._rows.append(f'<row r="{self._row + 1}"{ht}>{"".join(self._cells)}</row>')
        self._cells = []

    # -- the sheet's XML -------------------------------------------------------------------

    def quoted_name(self) -> str:
        return "'" + self.name.replace("'", "''") + "'"

    def filter_range(self) -> str:
        assert self.filter is not None
        r1, c1, r2, c2 = self.filter
        return f"${column_letter(c1)}${r1 + 1}:${column_letter(c2)}${r2 + 1}"

    def xml(self) -> str:
        self._flush()
        self._row = 1 << 30  # closed: any further write is out of order
        fit = '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>' if self._fit else ""
        dimension = f"A1:{column_letter(self._max_col)}{self._max_row + 1}" if self._rows else "A1"
        cols = "".join(
            f'<col min="{a + 1}" max="{b + 1}" width="{_width(w)}" customWidth="1"/>'
            for a, b, w in self._cols
        )
        auto = ""
        if self.filter:
            r1, c1, r2, c2 = self.filter
            auto = f'<autoFilter ref="{column_letter(c1)}{r1 + 1}:{column_letter(c2)}{r2 + 1}"/>'
        left, right, top, bottom = self._margins
        setup = f'<pageSetup paperSize="{self._paper}"' if self._paper else "<pageSetup"
        if self._fit:
            setup += (f' fitToWidth="{self._fit[0]}"' if self._fit[0] != 1 else "") + (
                f' fitToHeight="{self._fit[1]}"' if self._fit[1] != 1 else ""
            )
        setup += ' orientation="landscape"/>' if self._landscape else ' orientation="portrait"/>'
        footer = (
            f"<headerFooter><oddFooter>{escape_text(self._footer)}</oddFooter></headerFooter>"
            if self._footer
            else ""
        )
        return (
            f'{_XML}<worksheet {_NS} {_NS_R}>{fit}<dimension ref="{dimension}"/>'
            f'<sheetViews>{self._view()}</sheetViews><sheetFormatPr defaultRowHeight="15"/>'
            f"{f'<cols>{cols}</cols>' if cols else ''}<sheetData>{''.join(self._rows)}</sheetData>"
            f'{auto}<pageMargins left="{left:g}" right="{right:g}" top="{top:g}" '
            f'bottom="{bottom:g}" header="0.3" footer="0.3"/>{setup}{footer}</worksheet>'
        )

    def _view(self) -> str:
        selected = ' tabSelected="1"' if self.index == 0 else ""
        if not self._freeze or self._freeze == (0, 0):
            return f'<sheetView{selected} workbookViewId="0"/>'
        row, col = self._freeze
        top_left = f"{column_letter(col)}{row + 1}"
        if row and col:
            pane = (
                f'<pane xSplit="{col}" ySplit="{row}" topLeftCell="{top_left}" '
                'activePane="bottomRight" state="frozen"/>'
                f'<selection pane="topRight" activeCell="{column_letter(col)}1" '
                f'sqref="{column_letter(col)}1"/>'
                f'<selection pane="bottomLeft" activeCell="A{row + 1}" sqref="A{row + 1}"/>'
                '<selection pane="bottomRight"/>'
            )
        elif row:
            pane = (
                f'<pane ySplit="{row}" topLeftCell="{top_left}" activePane="bottomLeft" '
                'state="frozen"/><selection pane="bottomLeft"/>'
            )
        else:
            pane = (
                f'<pane xSplit="{col}" topLeftCell="{top_left}" activePane="topRight" '
                'state="frozen"/><selection pane="topRight"/>'
            )
        return f'<sheetView{selected} workbookViewId="0">{pane}</sheetView>'


def table_cells(
    row: int,
    values: Sequence[object],
    numeric: Sequence[bool],
    styles: Sequence[int],
    blanks: bool,
) -> str:
    """The ``<c>`` elements of one table row (0-based ``row``).

    ``numeric[col]`` says whether a value is written as a number or as inline text, and
    ``styles[col]`` is its cell-format index. None and "" are skipped, or written as formatted
    blanks if ``blanks`` (a highlighted row stays highlighted across its empty cells).
    """
    r = str(row + 1)
    cells = []
    for col, value in enumerate(values):
        if value is None or value == "":
            if blanks:
                cells.append(f'<c r="{_LETTERS[col]}{r}" s="{styles[col]}"/>')
        elif numeric[col]:
            number = str(value) if type(value) is int else _number(value)
            cells.append(f'<c r="{_LETTERS[col]}{r}" s="{styles[col]}"><v>{number}</v></c>')
        else:
            text = str(value)
            space = ' xml:space="preserve"' if text[0].isspace() or text[-1].isspace() else ""
            cells.append(
                f'<c r="{_LETTERS[col]}{r}" s="{styles[col]}" t="inlineStr"><is><t{space}>'
                f"{escape_text(text)}</t></is></c>"
            )
    return "".join(cells)


def _number(value: object) -> str:
    """The shortest text that reads back as the same double; integers without ".0"."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"not a number: {value!r}")
    if isinstance(value, int):
        return str(value)
    if not math.isfinite(value):
        raise ValueError(f"{value} is not a number Excel can hold")
    text = repr(value)
    return text[:-2] if text.endswith(".0") else text


def _width(characters: float) -> str:
    # Excel stores widths in characters of the default font plus padding (as xlsxwriter does)
    pixels = int(characters * 7 + 0.5) + 5
    return f"{int(pixels / 7 * 256) / 256:g}"


# ---------------------------------------------------------------------------------------------
# styles.xml


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
        f'<numFmt numFmtId="{i}" formatCode="{_attr(code)}"/>' for code, i in numfmts.items()
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
        f'<name val="{_attr(str(p.get("font_name", "Calibri")))}"/><family val="2"/></font>'
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
