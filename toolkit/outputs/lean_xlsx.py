"""A lean writer for plain table workbooks: the subset of xlsxwriter's API the result workbooks use.

Why not xlsxwriter here: a city writes 1,500 per-cell workbooks, and xlsxwriter spends about
7 µs per cell plus a few milliseconds per file; that alone would use most of the city's 15 s
budget. This writer renders each row straight to SpreadsheetML (inline strings, no shared
string table) at about 1 µs per cell. It writes what the result workbooks need and nothing
more: text, numbers, blanks, named formats, column widths, row heights, frozen panes, an
autofilter, A4 print setup with repeated header rows and a footer, document properties.
Every part is the XML xlsxwriter writes for the same calls (its theme included), so Excel opens
these files as it opens xlsxwriter's; ``tests/test_outputs_lean_equivalence.py`` compares the
two part by part.

The workbook and its package parts are here, one sheet in ``lean_sheet``, the formats in
``lean_styles``; ``ZipParts`` writes the zip itself (also used by ``splice``). The same calls
give the same bytes.
"""

from __future__ import annotations

import datetime as _dt
import functools
import struct
import zlib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import IO, Any

from xlsxwriter.theme import THEME_XML_2007
from xlsxwriter.utility import quote_sheetname

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
from toolkit.outputs.lean_styles import FormatTable, LeanFormat, styles_xml

__all__ = [
    "LeanFormat",
    "LeanSheet",
    "LeanWorkbook",
    "ZipParts",
    "column_letter",
    "escape_text",
    "table_cells",
]

_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument"
_HIDDEN = ' hidden="1"'
#: fast deflate: the parts are small and many; level 1 costs a third of the default level
ZIP_LEVEL = 1


class ZipParts:
    """A zip written part by part with fixed timestamps (1980-01-01): the same parts in the same
    order give the same bytes. Parts are deflated whole (``add``) or copied already deflated
    (``add_deflated``: a part taken from another zip, or compressed once and reused)."""

    def __init__(self) -> None:
        self._chunks: list[bytes] = []
        self._central: list[bytes] = []
        self._offset = 0

    def add(self, name: str, data: bytes) -> None:
        """Deflate ``data`` as part ``name``."""
        self.add_deflated(name, deflate(data), zlib.crc32(data), len(data))

    def add_repeated(self, name: str, data: bytes) -> None:
        """``add`` for a part that repeats from workbook to workbook (styles, relationships,
        content types: the same for every cell's workbook): deflated once per process."""
        raw, crc = _deflated_once(data)
        self.add_deflated(name, raw, crc, len(data))

    def add_deflated(self, name: str, raw: bytes, crc: int, size: int) -> None:
        """A part whose raw deflate stream, CRC-32 and inflated size are already known."""
        encoded = name.encode("utf-8")
        flags = 0x800 if not encoded.isascii() else 0  # bit 11: the name is UTF-8
        # version 2.0, deflated, DOS time 00:00:00 of 1980-01-01 (date 0x21)
        fields = (20, flags, 8, 0, 0x21, crc, len(raw), size, len(encoded))
        local = struct.pack("<4s5HIIIHH", b"PK\x03\x04", *fields, 0)
        self._central.append(
            struct.pack("<4sH5HIIIHHHHHII", b"PK\x01\x02", 20, *fields, 0, 0, 0, 0, 0, self._offset)
            + encoded
        )
        self._chunks += (local, encoded, raw)
        self._offset += len(local) + len(encoded) + len(raw)

    def getvalue(self) -> bytes:
        """The zip: every part, then the central directory and its end record."""
        directory = b"".join(self._central)
        end = struct.pack(
            "<4s4H2IH",
            b"PK\x05\x06",
            0,
            0,
            len(self._central),
            len(self._central),
            len(directory),
            self._offset,
            0,
        )
        return b"".join(self._chunks) + directory + end

    def write_to(self, target: Path | str | IO[bytes]) -> None:
        data = self.getvalue()
        if isinstance(target, str | Path):
            Path(target).write_bytes(data)
        else:
            target.write(data)


@functools.lru_cache(maxsize=64)  # a part that varies after all keeps the memory small
def _deflated_once(data: bytes) -> tuple[bytes, int]:
    """A repeated part's raw deflate stream and CRC-32 (``ZipParts.add_repeated``)."""
    return deflate(data), zlib.crc32(data)


def deflate(data: bytes) -> bytes:
    """A raw deflate stream (no zlib header), as a zip holds it."""
    return zlib.compress(data, ZIP_LEVEL, -15)


#: texts are encoded and compressed in batches of this many
_BATCH = 2000


def deflate_texts(texts: Iterable[str]) -> tuple[bytes, int, int]:
    """The raw deflate stream, CRC-32 and size of ``texts`` joined and encoded as UTF-8,
    compressed as they come (the same bytes as ``deflate`` of the whole), so that a large part
    is never one string in memory, only its compressed bytes."""
    compressor = zlib.compressobj(ZIP_LEVEL, zlib.DEFLATED, -15)
    chunks: list[bytes] = []
    crc = size = 0
    batch: list[str] = []

    def feed() -> None:
        nonlocal crc, size
        data = "".join(batch).encode("utf-8")
        batch.clear()
        crc = zlib.crc32(data, crc)
        size += len(data)
        chunks.append(compressor.compress(data))

    for text in texts:
        batch.append(text)
        if len(batch) == _BATCH:
            feed()
    feed()
    chunks.append(compressor.flush())
    if size >= 1 << 32:
        raise ValueError("a part of 4 GB or more needs ZIP64, which this writer does not write")
    return b"".join(chunks), crc, size


#: the theme is the same in every workbook: deflated once per process
_THEME = THEME_XML_2007.encode("utf-8")
_THEME_PART = (deflate(_THEME), zlib.crc32(_THEME), len(_THEME))


class LeanWorkbook:
    """``xlsxwriter.Workbook``'s calls that the result workbooks make, written lean."""

    def __init__(self, target: Path | str | IO[bytes], default_font: Mapping[str, Any]) -> None:
        self._target = target
        self._default = dict(default_font)
        self._table = FormatTable(self._default)
        self._by_key: dict[tuple[tuple[str, Any], ...], LeanFormat] = {}
        self.sheets: list[LeanSheet] = []
        self._title: str | None = None  # no <dc:title> unless a title was given
        self._author = ""
        self._created = _dt.datetime(1980, 1, 1)

    def set_properties(self, properties: Mapping[str, Any]) -> None:
        if "title" in properties:
            self._title = str(properties["title"])
        self._author = str(properties.get("author", ""))
        self._created = properties.get("created", self._created)

    def add_format(self, properties: Mapping[str, Any]) -> LeanFormat:
        """A format for ``properties`` over the default font (the same properties, the same
        format); it takes its index when a cell first uses it."""
        key = tuple(sorted(properties.items()))
        found = self._by_key.get(key)
        if found is None:
            found = self._by_key[key] = LeanFormat(self._table, {**self._default, **properties})
        return found

    def add_worksheet(self, name: str) -> LeanSheet:
        sheet = LeanSheet(name, len(self.sheets))
        self.sheets.append(sheet)
        return sheet

    def close(self) -> None:
        """Write the package: every part, in xlsxwriter's order."""
        sheets = [(f"xl/worksheets/sheet{s.index + 1}.xml", s.xml()) for s in self.sheets]
        defined = self._defined_names()
        parts = ZipParts()
        parts.add_repeated("[Content_Types].xml", self._content_types().encode())
        parts.add_repeated("_rels/.rels", self._root_rels().encode())
        parts.add_repeated("xl/_rels/workbook.xml.rels", self._workbook_rels().encode())
        for name, xml in sheets:
            parts.add(name, xml.encode())
        parts.add("xl/workbook.xml", self._workbook(defined).encode())
        parts.add_repeated("xl/styles.xml", styles_xml(self._table).encode())
        parts.add_deflated("xl/theme/theme1.xml", *_THEME_PART)
        parts.add("docProps/core.xml", self._core().encode())
        parts.add_repeated("docProps/app.xml", self._app(defined).encode())
        parts.write_to(self._target)

    # -- package parts ---------------------------------------------------------------------

    def _defined_names(self) -> list[tuple[str, int, str, bool]]:
        """(name, sheet index, range, hidden), sorted as Excel (and xlsxwriter) sort them."""
        names = []
        for s in self.sheets:
            if s.filter:
                names.append(("_xlnm._FilterDatabase", s.index, s.filter_range(), True))
            if s.print_range:
                names.append(("_xlnm.Print_Area", s.index, s.print_area_ref(), False))
            if s.title_rows or s.title_cols:
                names.append(("_xlnm.Print_Titles", s.index, s.print_titles(), False))

        def order(item: tuple[str, int, str, bool]) -> str:
            return item[0].replace("_xlnm.", "").lower() + "::" + self.sheets[item[1]].name.lower()

        return sorted(names, key=order)

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
            f'<Override PartName="/xl/theme/theme1.xml" ContentType="{_CT}.theme+xml"/>'
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
        n = len(self.sheets)
        rels.append(
            f'<Relationship Id="rId{n + 1}" Type="{_REL}/theme" Target="theme/theme1.xml"/>'
        )
        rels.append(f'<Relationship Id="rId{n + 2}" Type="{_REL}/styles" Target="styles.xml"/>')
        return (
            f'{XML_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f"{''.join(rels)}</Relationships>"
        )

    def _workbook(self, defined: list[tuple[str, int, str, bool]]) -> str:
        sheets = "".join(
            f'<sheet name="{escape_attribute(s.name)}" sheetId="{s.index + 1}" r:id="rId{s.index + 1}"/>'
            for s in self.sheets
        )
        names = "".join(
            f'<definedName name="{name}" localSheetId="{index}"{_HIDDEN if hidden else ""}>'
            f"{escape_text(quote_sheetname(self.sheets[index].name))}!{ref}</definedName>"
            for name, index, ref, hidden in defined
        )
        return (
            f"{XML_HEAD}<workbook {NS_MAIN} {NS_REL}>"
            '<fileVersion appName="xl" lastEdited="4" lowestEdited="4" rupBuild="4505"/>'
            '<workbookPr defaultThemeVersion="124226"/><bookViews><workbookView xWindow="240" '
            'yWindow="15" windowWidth="16095" windowHeight="9660"/></bookViews>'
            f"<sheets>{sheets}</sheets>{f'<definedNames>{names}</definedNames>' if names else ''}"
            '<calcPr calcId="124519" fullCalcOnLoad="1"/></workbook>'
        )

    def _app(self, defined: list[tuple[str, int, str, bool]]) -> str:
        ranges = [
            f"{quote_sheetname(self.sheets[index].name)}!{name.replace('_xlnm.', '')}"
            for name, index, _, _ in defined
            if name != "_xlnm._FilterDatabase"
        ]
        titles = [s.name for s in self.sheets] + ranges
        pairs = (
            "<vt:variant><vt:lpstr>Worksheets</vt:lpstr></vt:variant>"
            f"<vt:variant><vt:i4>{len(self.sheets)}</vt:i4></vt:variant>"
        )
        if ranges:
            pairs += (
                "<vt:variant><vt:lpstr>Named Ranges</vt:lpstr></vt:variant>"
                f"<vt:variant><vt:i4>{len(ranges)}</vt:i4></vt:variant>"
            )
        return (
            f'{XML_HEAD}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
            'extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/'
            'docPropsVTypes"><Application>Microsoft Excel</Application><DocSecurity>0</DocSecurity>'
            f'<ScaleCrop>false</ScaleCrop><HeadingPairs><vt:vector size="{2 if not ranges else 4}" '
            f'baseType="variant">{pairs}</vt:vector></HeadingPairs>'
            f'<TitlesOfParts><vt:vector size="{len(titles)}" baseType="lpstr">'
            f"{''.join(f'<vt:lpstr>{escape_text(t)}</vt:lpstr>' for t in titles)}"
            "</vt:vector></TitlesOfParts><Company></Company><LinksUpToDate>false</LinksUpToDate>"
            "<SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged>"
            "<AppVersion>12.0000</AppVersion></Properties>"
        )

    def _core(self) -> str:
        when = self._created.strftime("%Y-%m-%dT%H:%M:%SZ")
        author = escape_text(self._author)
        title = "" if self._title is None else f"<dc:title>{escape_text(self._title)}</dc:title>"
        return (
            f'{XML_HEAD}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
            'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"{title}<dc:creator>{author}</dc:creator>"
            f"<cp:lastModifiedBy>{author}</cp:lastModifiedBy>"
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{when}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{when}</dcterms:modified>'
            "</cp:coreProperties>"
        )
