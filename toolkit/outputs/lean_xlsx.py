"""A lean writer for plain table workbooks: the subset of xlsxwriter's API the result workbooks use.

Why not xlsxwriter here: a city writes 1,500 per-cell workbooks, and xlsxwriter spends about
7 µs per cell plus a few milliseconds per file; that alone would use most of the city's 15 s
budget. This writer streams each row straight to SpreadsheetML (inline strings, no shared
string table, no theme) at about 1 µs per cell. It writes what the result workbooks need and
nothing more: text, numbers, blanks, named formats, column widths, row heights, frozen panes,
an autofilter, A4 print setup with repeated header rows and a footer, document properties.
The XML follows what xlsxwriter writes for the same calls, part for part, so Excel and
LibreOffice read it the same way (the LibreOffice test opens these files for real).

The workbook and its package parts are here, one sheet in ``lean_sheet``, the formats in
``lean_styles``. The zip has fixed timestamps: the same calls give the same bytes.
"""

from __future__ import annotations

import datetime as _dt
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any

from toolkit.outputs.lean_sheet import (
    NS_MAIN,
    NS_REL,
    XML_HEAD,
    LeanSheet,
    column_letter,
    escape_attribute,
    escape_text,
    table_cells,
)
from toolkit.outputs.lean_styles import LeanFormat, styles_xml

__all__ = ["LeanFormat", "LeanSheet", "LeanWorkbook", "column_letter", "escape_text", "table_cells"]

_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument"
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
#: fast deflate: the parts are small and many; level 1 costs a third of the default level
_ZIP_LEVEL = 1


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
            f'{XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
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
            f'{XML_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
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
            f'{XML_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f"{''.join(rels)}</Relationships>"
        )

    def _workbook(self) -> str:
        sheets = "".join(
            f'<sheet name="{escape_attribute(s.name)}" sheetId="{s.index + 1}" r:id="rId{s.index + 1}"/>'
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
            f"{XML_HEAD}<workbook {NS_MAIN} {NS_REL}>"
            '<workbookPr defaultThemeVersion="124226"/><bookViews><workbookView xWindow="240" '
            'yWindow="15" windowWidth="16095" windowHeight="9660"/></bookViews>'
            f'<sheets>{sheets}</sheets>{defined}<calcPr calcId="124519" fullCalcOnLoad="1"/></workbook>'
        )

    def _app(self) -> str:
        titles = "".join(f"<vt:lpstr>{escape_text(s.name)}</vt:lpstr>" for s in self.sheets)
        return (
            f'{XML_HEAD}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
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
            f'{XML_HEAD}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
            'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:title>{escape_text(self._title)}</dc:title><dc:creator>{author}</dc:creator>"
            f"<cp:lastModifiedBy>{author}</cp:lastModifiedBy>"
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{when}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{when}</dcterms:modified>'
            "</cp:coreProperties>"
        )
