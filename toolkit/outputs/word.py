"""Word documents for signing (.docx), made with python-docx: the only module that imports it.

Party documents share one layout (Hướng dẫn 36-HD/VPTW): the issuing organization top left
with its star, "ĐẢNG CỘNG SẢN VIỆT NAM" top right over the place and date line, a centred
title, the body, a table, and signature blocks. python-docx builds each kind of document once
per process as a **template**: the whole layout, with every variable text a marker (``⟪name⟫``)
and the table's data row as a prototype. A document is that template's XML with the markers
replaced by escaped text and the prototype row repeated: python-docx's element API costs about
70 µs an element, 40 ms for one cell's minutes, which a city's 3,000 cells cannot afford; a
substitution costs a fraction of a millisecond. The XML itself is always python-docx's.

Documents are deterministic: fixed core properties and zip timestamps, parts in a fixed order.
"""

from __future__ import annotations

import datetime as _dt
import functools
import io
import itertools
import re
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, NamedTuple

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from toolkit.outputs.lean_xlsx import ZipParts, deflate, deflate_texts

FONT = "Times New Roman"
_MARK = re.compile(r"⟪(\w+)⟫")
_ROW = "⟪row⟫"
_GROUP = "⟪group⟫"
_DOCUMENT_PART = "word/document.xml"


@dataclass(frozen=True)
class Column:
    """One column of a document's table: its header, width and alignment of its values."""

    header: str
    width_cm: float
    align: str = "left"  # "left", "center" or "right"


@dataclass(frozen=True)
class Layout:
    """What a kind of document looks like; every ``⟪name⟫`` in its texts is filled per document.

    ``body`` paragraphs come before the table, ``after`` paragraphs after it; a paragraph
    starting with ``**`` is bold, one starting with ``//`` italic. ``signatures`` are the
    columns of the signature block, each a tuple of lines (the first lines bold).
    """

    issuer_above: str
    issuer: str
    number: str
    place_date: str
    title: str
    subtitle: str
    body: tuple[str, ...]
    columns: tuple[Column, ...]
    after: tuple[str, ...]
    signatures: tuple[tuple[str, ...], ...]
    landscape: bool = False
    #: a row under the headers numbering the columns (1, 2, 3…), as statistical forms have
    numbered_columns: bool = False
    #: "Nơi nhận" and its list, on the left of the signature block (none: no such column)
    recipients: tuple[str, ...] = ()


class Group(NamedTuple):
    """A heading row across the whole table (the cell the next rows belong to)."""

    text: str


class Template:
    """A layout made once by python-docx, split around its prototype row for filling."""

    def __init__(self, layout: Layout) -> None:
        self._columns = len(layout.columns)
        self._parts, xml = _saved(_build(layout))
        # the prototype rows: the <w:tr> that holds the row marker, then the group's
        start, end = _row_around(xml, _ROW)
        group_start, group_end = _row_around(xml, _GROUP)
        # each split alternates literal XML and a marker's name (``re.split`` with a group)
        self._head = _MARK.split(xml[:start])
        self._tail = _MARK.split(xml[group_end:])
        row = _MARK.split(xml[start:end].replace(_ROW, ""))
        self._row_xml = row[0::2]
        #: the column of each marker of the row, in order
        self._row_columns = [int(name.removeprefix("c")) for name in row[1::2]]
        self._group_xml = xml[group_start:group_end].replace(_GROUP, "").split("⟪g⟫")

    def render(self, fields: Mapping[str, str], rows: Sequence[Sequence[object] | Group]) -> bytes:
        """The document's bytes: ``fields`` fill the markers, ``rows`` the table (a ``Group``
        is a heading row across the table)."""
        texts = {name: _xml_text(value) for name, value in fields.items()}
        return _packed(
            self._parts,
            itertools.chain(
                (_fill(self._head, texts),), self._rows(rows), (_fill(self._tail, texts),)
            ),
        )

    def _rows(self, rows: Sequence[Sequence[object] | Group]) -> Iterator[str]:
        """The table rows' XML, row by row."""
        literal, columns = self._row_xml, self._row_columns
        for row in rows:
            if isinstance(row, Group):
                yield f"{self._group_xml[0]}{_xml_text(row.text)}{self._group_xml[1]}"
                continue
            if len(row) != self._columns:
                raise ValueError(f"a row of {len(row)} values for {self._columns} columns")
            body = [literal[0]]
            for column, after in zip(columns, literal[1:], strict=True):
                body += (_cell_value(row[column]), after)
            yield "".join(body)


#: a part of the package as ``ZipParts.add_deflated`` takes it
_Part = tuple[str, bytes, int, int]


def _saved(document: Any) -> tuple[list[_Part], str]:
    """A python-docx document saved: every part but the document, deflated once (the same
    for every document of the kind), and the document's XML."""
    stream = io.BytesIO()
    document.save(stream)
    with zipfile.ZipFile(stream) as package:
        parts = [
            (info.filename, deflate(data), zlib.crc32(data), len(data))
            for info in package.infolist()
            if info.filename != _DOCUMENT_PART
            for data in (package.read(info),)
        ]
        return parts, package.read(_DOCUMENT_PART).decode("utf-8")


def _packed(parts: Sequence[_Part], xml: Iterable[str]) -> bytes:
    """The .docx of ``parts`` and the document's XML, in a fixed order. The XML comes in
    pieces, compressed as they come: a city's list of 52,000 members is 23 MB of XML, which as
    one string (then its bytes) was 100 MB at once."""
    package = ZipParts()
    for part in parts:
        package.add_deflated(*part)
    package.add_deflated(_DOCUMENT_PART, *deflate_texts(xml))
    return package.getvalue()


def _row_around(xml: str, marker: str) -> tuple[int, int]:
    """Where the table row holding ``marker`` starts and ends."""
    mark = xml.index(marker)
    start = max(xml.rfind("<w:tr>", 0, mark), xml.rfind("<w:tr ", 0, mark))
    return start, xml.index("</w:tr>", mark) + len("</w:tr>")


def _fill(split: Sequence[str], texts: Mapping[str, str]) -> str:
    """A ``_MARK.split`` joined again with each marker's text."""
    missing = [name for name in split[1::2] if name not in texts]
    if missing:
        raise KeyError(f"no value for ⟪{missing[0]}⟫")
    return "".join(part if i % 2 == 0 else texts[part] for i, part in enumerate(split))


def write_document(data: bytes, target: Path | str | IO[bytes]) -> None:
    """Write a rendered document to a path or a binary stream."""
    if isinstance(target, str | Path):
        Path(target).write_bytes(data)
    else:
        target.write(data)


def template(layout: Layout) -> Template:
    """The template of ``layout``, made once per process."""
    return _templates(layout)


@functools.lru_cache(maxsize=16)
def _templates(layout: Layout) -> Template:
    return Template(layout)


def _cell_value(value: object) -> str:
    """A table value as text in a ``<w:t>``: numbers as they are, text escaped."""
    if value is None:
        return ""
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return _xml_text(str(value))


#: one pass over a text: XML's three specials escaped, line breaks a space, and what XML 1.0
#: cannot hold (C0 controls but tab, lone surrogates, U+FFFE/F) shown as ``\xNN``
_TEXT = str.maketrans(
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        "\n": " ",
        "\r": " ",
        **{chr(c): f"\\x{c:02x}" for c in [*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20)]},
        **{chr(c): f"\\u{c:04x}" for c in [*range(0xD800, 0xE000), 0xFFFE, 0xFFFF]},
    }
)


_NEEDS_ESCAPING = re.compile("[&<>\x00-\x08\x0a-\x1f\ud800-\udfff\ufffe\uffff]")


@functools.lru_cache(maxsize=4096)  # a cell's name and the levels repeat from row to row
def _xml_text(value: str) -> str:
    """Text as it may stand in a ``<w:t>``."""
    return value.translate(_TEXT) if _NEEDS_ESCAPING.search(value) else value


# ---------------------------------------------------------------------------------------------
# Building a template with python-docx


def _build(layout: Layout, table: Callable[[Any, Layout], None] | None = None) -> Any:
    """The document of ``layout``; ``table`` makes its table (``_table`` unless given)."""
    document = docx.Document()
    _lean(document)
    section = document.sections[0]
    if layout.landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    else:
        section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.top_margin = section.bottom_margin = Cm(2.0)
    section.left_margin, section.right_margin = Cm(3.0), Cm(1.5)
    usable = (29.7 if layout.landscape else 21.0) - 4.5

    _letterhead(document, layout, usable)
    _paragraph(document, f"**{layout.title}", align="center", size=14, before=12)
    if layout.subtitle:
        _paragraph(document, f"**{layout.subtitle}", align="center", after=12)
    for text in layout.body:
        _paragraph(document, text, align="justify")
    (table or _table)(document, layout)
    for text in layout.after:
        _paragraph(document, text, align="justify")
    _signatures(document, layout, usable)
    properties = document.core_properties
    properties.title = layout.title
    properties.author = "xeploai"
    properties.last_modified_by = "xeploai"
    properties.revision = 1
    properties.comments = ""
    # fixed dates: the same inputs give the same bytes
    fixed = _dt.datetime(2000, 1, 1, tzinfo=_dt.UTC)
    properties.created = properties.modified = properties.last_printed = fixed
    return document


def _lean(document: Any) -> None:
    """The default template without what we never use (its latent styles and the styles of
    other languages' documents are 780 KB a file), and Times New Roman as the Normal font."""
    styles = document.styles.element
    latent = styles.find(qn("w:latentStyles"))
    if latent is not None:
        styles.remove(latent)
    keep = {"Normal", "Table Grid", "Normal Table", "Default Paragraph Font", "No List"}
    for style in list(document.styles):
        if style.name not in keep:
            style.element.getparent().remove(style.element)
    for rid, rel in list(document.part.rels.items()):
        if rel.reltype.endswith(("stylesWithEffects", "customXml", "webSettings")):
            document.part.drop_rel(rid)
    package_rels = document.part.package.rels
    for rid, rel in list(package_rels.items()):
        if rel.reltype.endswith("thumbnail"):
            package_rels.pop(rid)
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(13)
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    normal.paragraph_format.space_after = Pt(3)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.line_spacing = 1.1
    # the table's values: a style each, so that a row of thousands carries no formatting
    for name, align in _VALUE_STYLES.items():
        style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.style_id = name
        style.base_style = normal
        style.font.size = Pt(12)
        style.paragraph_format.space_after = Pt(0)
        style.paragraph_format.alignment = _ALIGN[align]


#: paragraph styles of the table's values, by alignment
_VALUE_STYLES = {"GiaTriTrai": "left", "GiaTriGiua": "center", "GiaTriPhai": "right"}


_ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}


def _paragraph(
    container: Any,
    text: str,
    *,
    align: str = "left",
    size: float | None = None,
    before: float = 0,
    after: float | None = None,
) -> Any:
    bold = text.startswith("**")
    italic = text.startswith("//")
    if bold or italic:
        text = text[2:]
    paragraph = container.add_paragraph()
    paragraph.alignment = _ALIGN[align]
    paragraph.paragraph_format.space_before = Pt(before)
    if after is not None:
        paragraph.paragraph_format.space_after = Pt(after)
    run = paragraph.add_run(text)
    run.bold = bold or None
    run.italic = italic or None
    if size:
        run.font.size = Pt(size)
    return paragraph


def _no_borders(table: Any) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)


def _widths(table: Any, widths: Sequence[float]) -> None:
    table.autofit = False
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Cm(width)
    grid = table._tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), widths, strict=True):
        col.set(qn("w:w"), str(int(Cm(width).twips)))


def _cell_text(cell: Any, text: str, *, align: str = "center", size: float = 13) -> None:
    """Lines of a cell: ``**`` bold, ``//`` italic, ``__`` bold and underlined."""
    first = cell.paragraphs[0]
    for i, line in enumerate(text.split("\n")):
        paragraph = first if i == 0 else cell.add_paragraph()
        mark = line[:2] if line[:2] in ("**", "//", "__") else ""
        paragraph.alignment = _ALIGN[align]
        paragraph.paragraph_format.space_after = Pt(0)
        run = paragraph.add_run(line[len(mark) :])
        run.bold = mark in ("**", "__") or None
        run.italic = mark == "//" or None
        run.underline = mark == "__" or None
        run.font.size = Pt(size)


def _letterhead(document: Any, layout: Layout, usable: float) -> None:
    """Issuer and star on the left; the Party's name and the place and date on the right."""
    table = document.add_table(rows=1, cols=2)
    _no_borders(table)
    _widths(table, (usable / 2, usable / 2))
    issuer = "\n".join(
        line for line in (layout.issuer_above, f"**{layout.issuer}", "*", layout.number) if line
    )
    _cell_text(table.rows[0].cells[0], issuer, size=12)
    _cell_text(
        table.rows[0].cells[1], f"__ĐẢNG CỘNG SẢN VIỆT NAM\n\n//{layout.place_date}", size=12
    )


def _table(document: Any, layout: Layout) -> None:
    columns = layout.columns
    numbered = 1 if layout.numbered_columns else 0
    table = document.add_table(rows=2 + numbered, cols=len(columns))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _widths(table, [c.width_cm for c in columns])
    header = table.rows[0]
    _row_property(header, "w:tblHeader")  # repeated on every page
    for cell, column in zip(header.cells, columns, strict=True):
        _cell_text(cell, f"**{column.header}", size=10.5)
    if numbered:
        _row_property(table.rows[1], "w:tblHeader")
        for i, cell in enumerate(table.rows[1].cells, start=1):
            _cell_text(cell, f"//({i})", size=11)
    prototype = table.rows[-1]
    _row_property(prototype, "w:cantSplit")
    styles = {align: name for name, align in _VALUE_STYLES.items()}
    for i, (tc, column) in enumerate(zip(prototype._tr.tc_lst, columns, strict=True)):
        tc.remove(tc.tcPr)  # the table's grid gives the width
        paragraph = tc.p_lst[0]
        paragraph.style = styles[column.align]
        paragraph.add_r().text = (_ROW if i == 0 else "") + f"⟪c{i}⟫"
    group = table.add_row()
    _row_property(group, "w:cantSplit")
    merged = group.cells[0].merge(group.cells[-1])
    _cell_text(merged, f"**{_GROUP}⟪g⟫", align="left", size=12)
    _paragraph(document, "", after=6)


def _row_property(row: Any, name: str) -> None:
    element = OxmlElement(name)
    element.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(element)


def _signatures(document: Any, layout: Layout, usable: float) -> None:
    """The signature block: the recipients on the left (as party documents have them), then
    each signature centred in its column."""
    blocks = [(layout.recipients, "left")] if layout.recipients else []
    blocks += [(lines, "center") for lines in layout.signatures]
    if not blocks:
        return
    table = document.add_table(rows=1, cols=len(blocks))
    _no_borders(table)
    _widths(table, [usable / len(blocks)] * len(blocks))
    _row_property(table.rows[0], "w:cantSplit")
    for cell, (lines, align) in zip(table.rows[0].cells, blocks, strict=True):
        _cell_text(cell, "\n".join(lines), align=align, size=13)


# ---------------------------------------------------------------------------------------------
# Reports of several tables of one shape (statistical forms such as Mẫu 15A/15B)

_TABLE = "⟪table⟫"  # in a table's caption: where its repeated block starts
_TABLE_END = "⟪table_end⟫"  # in the paragraph after the table: where the block ends
_TOTAL = "⟪total⟫"


class Table(NamedTuple):
    """One table of a report: its caption, its rows and its total row (printed bold)."""

    caption: str
    rows: Sequence[Sequence[object]]
    total: Sequence[object]


class TablesTemplate:
    """A layout whose table is printed once per ``Table``: each under its caption, with its
    own header rows (and column numbers), its rows and its total row. Made once by python-docx
    like ``Template``, filled the same way: the block of caption and table is repeated."""

    def __init__(self, layout: Layout) -> None:
        self._columns = len(layout.columns)
        self._parts, xml = _saved(_build(layout, _captioned_table))
        mark = xml.index(_TABLE)
        start = max(xml.rfind("<w:p>", 0, mark), xml.rfind("<w:p ", 0, mark))
        end = xml.index("</w:p>", xml.index(_TABLE_END)) + len("</w:p>")
        self._head = _MARK.split(xml[:start])
        self._tail = _MARK.split(xml[end:])
        block = xml[start:end].replace(_TABLE, "").replace(_TABLE_END, "")
        row_start, row_end = _row_around(block, _ROW)
        total_start, total_end = _row_around(block, _TOTAL)
        self._caption = _MARK.split(block[:row_start])
        self._row = _MARK.split(block[row_start:row_end].replace(_ROW, ""))
        self._total = _MARK.split(block[total_start:total_end].replace(_TOTAL, ""))
        self._after = block[total_end:]

    def render(self, fields: Mapping[str, str], tables: Sequence[Table]) -> bytes:
        """The document's bytes: ``fields`` fill the markers, each of ``tables`` its block."""
        texts = {name: _xml_text(value) for name, value in fields.items()}
        body = [_fill(self._head, texts)]
        for table in tables:
            body.append(_fill(self._caption, {"caption": _xml_text(table.caption)}))
            for row in table.rows:
                body += self._filled(self._row, row)
            body += self._filled(self._total, table.total)
            body.append(self._after)
        body.append(_fill(self._tail, texts))
        return _packed(self._parts, body)

    def _filled(self, split: Sequence[str], row: Sequence[object]) -> list[str]:
        """A prototype row (``_MARK.split``: literal XML, then ``c<i>`` or ``t<i>``…) filled."""
        if len(row) != self._columns:
            raise ValueError(f"a row of {len(row)} values for {self._columns} columns")
        out = [split[0]]
        for name, after in zip(split[1::2], split[2::2], strict=True):
            out += (_cell_value(row[int(name[1:])]), after)
        return out


def tables_template(layout: Layout) -> TablesTemplate:
    """The several-tables template of ``layout``, made once per process."""
    return _tables_templates(layout)


@functools.lru_cache(maxsize=4)
def _tables_templates(layout: Layout) -> TablesTemplate:
    return TablesTemplate(layout)


def _captioned_table(document: Any, layout: Layout) -> None:
    """``_table`` under a bold caption kept with it, its group row replaced by a total row in
    bold, and the block's ends marked for ``TablesTemplate``."""
    caption = _paragraph(document, f"**{_TABLE}⟪caption⟫", before=6, after=3)
    caption.paragraph_format.keep_with_next = True
    _table(document, layout)
    table = document.tables[-1]
    table._tbl.remove(table.rows[-1]._tr)  # the group row: a report's tables have none
    # a form's table is short: its rows are kept with the total (never a total alone on a page)
    for cell in table.rows[-1].cells:
        cell.paragraphs[0].paragraph_format.keep_with_next = True
    total = table.add_row()
    _row_property(total, "w:cantSplit")
    styles = {align: name for name, align in _VALUE_STYLES.items()}
    for i, (cell, column) in enumerate(zip(total.cells, layout.columns, strict=True)):
        cell._tc.remove(cell._tc.tcPr)  # the table's grid gives the width
        paragraph = cell.paragraphs[0]
        paragraph.style = styles[column.align]
        paragraph.add_run((_TOTAL if i == 0 else "") + f"⟪t{i}⟫").bold = True
    document.paragraphs[-1].add_run(_TABLE_END)
