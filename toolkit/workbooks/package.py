"""Open an .xlsx package safely before any parser sees it.

Hostile or broken files are recognised here, each with its own issue code: empty, not a zip,
old .xls, password-protected, truncated or corrupt, zip bombs (declared sizes and ratios are
checked before anything is inflated, then every part is inflated once by ``zipfile``, which stops
at the declared size and verifies the CRC), XML with DOCTYPE/ENTITY declarations (billion laughs,
external entities: Excel never writes them), and sheets whose cells reach absurd positions
(python-calamine allocates a dense grid from the first to the last cell, so one cell at XFD1048576
would need hundreds of GB and abort the process: the extent is measured on the XML first).

The same pass records, per worksheet, which cells hold formulas (with or without a cached value)
and which hold error values, because calamine only reports cached values.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import io
import posixpath
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from typing import Any
from xml.etree.ElementTree import Element

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from toolkit.workbooks.declarations import cell_ref

MAX_FILE_BYTES = 64 * 1024 * 1024
#: total inflated size of all parts; a city roster of 150,000 members is about 80 MB of XML
MAX_UNCOMPRESSED = 256 * 1024 * 1024
#: parts above this size must not compress better than MAX_RATIO (XML rarely beats 30:1)
RATIO_CHECK_FROM = 1024 * 1024
MAX_RATIO = 200
#: calamine's dense grid is rows × columns; these caps keep it to a few hundred MB at most
MAX_ROWS = 400_000
MAX_COLS = 702  # ZZ
MAX_CELLS = 4_000_000

_CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
# The extent of a sheet, measured on the XML the way Excel (and most writers) spell it: fast
# literal searches. Anything spelled otherwise (single quotes, spaces around "=", lower case,
# character references in a cell reference) takes the exact, slower path.
_ROW_NUMBER = re.compile(rb' r="(\d{1,9})"')
_FAR_CELL = re.compile(rb' r="[A-Z]{0,4}(\d{6,9})"')
_WIDE_CELL = re.compile(rb' r="([A-Z]{3,4})\d')
_CELL_COLUMN = re.compile(rb' r="([A-Z]{1,4})\d')
_UNUSUAL_REF = re.compile(rb"""r(?:\s+=|=\s|='|="[^"]*[a-z&])""")
_ANY_REF = re.compile(rb"""<(?:\w+:)?(?:c|row)\b[^>]*?\sr\s*=\s*["']([^"']*)["']""", re.I)
_REF_ATTR = re.compile(rb' r="([A-Z]{1,4}\d{1,9})"')
_REF = re.compile(rb"([A-Z]{1,4})(\d{1,9})$")
_FORMULA_START = re.compile(rb"<(?:\w+:)?f[\s>/]")
_ERROR_ATTR = re.compile(rb' t="e"')
_FORMULA = re.compile(rb"<(?:\w+:)?f\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?f>)", re.S)
_VALUE = re.compile(rb"<(?:\w+:)?v>(.*?)</(?:\w+:)?v>", re.S)
_CELL_END = re.compile(rb"</(?:\w+:)?c>")
_DANGEROUS = (b"<!DOCTYPE", b"<!ENTITY")
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
#: the parts read here besides the worksheets (core.xml only for its modified time)
_PARSED_HERE = frozenset({"xl/workbook.xml", "xl/_rels/workbook.xml.rels", "docProps/core.xml"})
#: XML parts no reader of ours parses: no need to inflate them
_NEVER_PARSED = ("xl/theme/", "docProps/app.xml", "docProps/custom.xml")
_MODIFIED = re.compile(rb"<(?:\w+:)?modified\b[^>]*>([^<]{1,64})<")


class Rejected(Exception):
    """The file cannot be read; ``code`` is its issue code, ``params`` fill the message."""

    def __init__(self, code: str, value: object = "", **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.value = value
        self.params: dict[str, Any] = dict(params)


@dataclass(frozen=True)
class SheetScan:
    """What the XML of one worksheet says beyond the cached values."""

    max_row: int
    max_col: int
    #: (1-based row, 0-based column) → formula text, for formulas with a cached value
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)
    #: formulas saved without a value (a reader would see an empty cell)
    uncached: dict[tuple[int, int], str] = field(default_factory=dict)
    #: cells holding an error value such as ``#DIV/0!``
    errors: dict[tuple[int, int], str] = field(default_factory=dict)

    @property
    def special(self) -> frozenset[tuple[int, int]]:
        """Every cell a value alone does not describe."""
        return frozenset(self.formulas) | frozenset(self.uncached) | frozenset(self.errors)


@dataclass(frozen=True)
class Package:
    """An .xlsx that passed the safety checks: its bytes, and each sheet's XML to scan."""

    data: bytes
    sha256: str
    #: sheet name → worksheet part inside the zip, in workbook order
    sheet_parts: dict[str, str]
    modified: dt.datetime | None
    #: the zip's entries by name (read once: worksheets are inflated from them later)
    entries: dict[str, zipfile.ZipInfo] = field(default_factory=dict)
    scans: dict[str, SheetScan] = field(default_factory=dict)

    def scan(self, name: str) -> SheetScan:
        """The scan of sheet ``name``; ``Rejected`` when its XML is unsafe or its cells reach
        absurd positions. Call it before asking calamine for the sheet: calamine would try to
        allocate the whole grid. Worksheets are inflated here, only those that are read.
        """
        if name not in self.scans:
            xml = b""
            part = self.sheet_parts.get(name)
            if part is not None:
                info = self.entries.get(part)
                if info is None:
                    raise Rejected("corrupt-file", reason=part)
                xml = _inflate(self.data, info, keep=True) or b""
            scan = scan_sheet(xml)
            _check_extent(name, scan)
            self.scans[name] = scan
        return self.scans[name]


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def open_package(data: bytes) -> Package:
    """Check ``data`` is a safe, readable .xlsx; raise ``Rejected`` with the reason otherwise."""
    if not data:
        raise Rejected("empty-file")
    if len(data) > MAX_FILE_BYTES:
        raise Rejected("file-too-large", len(data), limit=MAX_FILE_BYTES)
    if data.startswith(_CFB):
        raise _ole_rejection(data)
    if not data.startswith(b"PK"):
        raise Rejected("not-xlsx", _sniff(data))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise Rejected("corrupt-file", **_reason("không mở được tệp nén", exc)) from None
    with archive:
        _check_kind(names)
        _check_sizes(archive)
        kept: dict[str, bytes] = {}
        for info in archive.infolist():
            # only the parts a parser reads are inflated (and checked) now; worksheets when
            # they are read (``Package.scan``); themes, pictures and printer settings never
            if _read_by_parsers(info.filename):
                content = _inflate(data, info, keep=info.filename in _PARSED_HERE)
                if content is not None:
                    kept[info.filename] = content
        entries = {info.filename: info for info in archive.infolist()}
    parts = _sheet_parts(kept)
    return Package(data, sha256_of(data), parts, _modified(kept), entries)


def _reason(vi: str, exc: BaseException) -> dict[str, str]:
    detail = str(exc) or type(exc).__name__
    return {"reason": f"{vi}: {detail}"}


def _ole_rejection(data: bytes) -> Rejected:
    # An OLE compound file is either an old .xls or an encrypted OOXML package (Excel wraps a
    # password-protected .xlsx in one, with EncryptionInfo / EncryptedPackage streams).
    if (
        "EncryptionInfo".encode("utf-16-le") in data
        or "EncryptedPackage".encode("utf-16-le") in data
    ):
        return Rejected("encrypted-file")
    if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data:
        return Rejected("legacy-xls")
    return Rejected("not-xlsx", "OLE (Word/PowerPoint?)")


def _sniff(data: bytes) -> str:
    head = data[:8]
    if head.startswith(b"%PDF"):
        return "PDF"
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8")):
        return "hình ảnh / image"
    if head.lstrip().startswith((b"<html", b"<!DOCTYPE", b"<?xml", b"<HTML")):
        return "HTML/XML"
    try:
        data[:4096].decode("utf-8")
    except UnicodeDecodeError:
        return "dữ liệu nhị phân / binary data"
    return "văn bản, CSV / text, CSV"


def _check_kind(names: set[str]) -> None:
    if "mimetype" in names or "content.xml" in names:
        raise Rejected("not-xlsx", "OpenDocument (.ods)")
    if "xl/workbook.bin" in names:
        raise Rejected("not-xlsx", "Excel Binary (.xlsb)")
    if "word/document.xml" in names:
        raise Rejected("not-xlsx", "Word (.docx)")
    if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
        raise Rejected(
            "corrupt-file",
            reason="xl/workbook.xml",
        )


def _check_sizes(archive: zipfile.ZipFile) -> None:
    total = 0
    for info in archive.infolist():
        if info.flag_bits & 0x1:
            raise Rejected("encrypted-file")
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_CHECK_FROM and ratio > MAX_RATIO:
            raise Rejected("decompressed-too-large", info.file_size, limit=MAX_UNCOMPRESSED)
    if total > MAX_UNCOMPRESSED:
        raise Rejected("decompressed-too-large", total, limit=MAX_UNCOMPRESSED)


def _inflate(data: bytes, info: zipfile.ZipInfo, *, keep: bool) -> bytes | None:
    """Inflate one part from the raw bytes, never beyond its declared size; refuse DTDs in XML.

    Done with zlib directly rather than ``ZipFile.open``: a header that declares a small size
    for a part that inflates to much more is caught here (``zipfile`` would quietly stop at the
    declared size, and calamine would then inflate all of it).
    """
    where = info.filename
    start = info.header_offset
    if data[start : start + 4] != b"PK\x03\x04":
        raise Rejected("corrupt-file", reason=f"{where}: local header")
    name_len, extra_len = struct.unpack("<HH", data[start + 26 : start + 30])
    begin = start + 30 + name_len + extra_len
    raw = data[begin : begin + info.compress_size]
    if len(raw) < info.compress_size:
        raise Rejected("corrupt-file", reason=f"{where}: truncated")
    if info.compress_type == zipfile.ZIP_STORED:
        pieces = [raw]
    elif info.compress_type == zipfile.ZIP_DEFLATED:
        pieces = _deflated(raw, info)
    else:
        raise Rejected("corrupt-file", reason=f"{where}: compression {info.compress_type}")
    crc = 0
    tail = b""
    is_xml = where.endswith((".xml", ".rels", ".vml"))
    for number, piece in enumerate(pieces):
        crc = zlib.crc32(piece, crc)
        if is_xml:
            if number == 0 and (piece[:2] in _UTF16_BOMS or b"\x00" in piece[:64]):
                # Excel writes UTF-8; the DOCTYPE check below only reads UTF-8
                raise Rejected("corrupt-file", reason=f"{where}: UTF-16")
            window = tail + piece
            if any(marker in window for marker in _DANGEROUS):
                raise Rejected("xml-dtd-forbidden", where)
            tail = piece[-16:]
    if crc != info.CRC:
        raise Rejected("corrupt-file", reason=f"{where}: CRC")
    return b"".join(pieces) if keep else None


def _deflated(raw: bytes, info: zipfile.ZipInfo) -> list[bytes]:
    """The inflated pieces of a deflated part, or ``Rejected`` if it is not what it declares."""
    inflater = zlib.decompressobj(-15)
    pieces: list[bytes] = []
    produced = 0
    pending = raw
    try:
        while pending and not inflater.eof:
            piece = inflater.decompress(pending, 1 << 20)
            pending = inflater.unconsumed_tail
            produced += len(piece)
            if produced > info.file_size:
                raise Rejected("decompressed-too-large", produced, limit=info.file_size)
            pieces.append(piece)
            if not piece and pending:
                break  # no progress: corrupt data
        rest = inflater.flush()
    except zlib.error as exc:
        raise Rejected("corrupt-file", reason=f"{info.filename}: {exc}") from None
    produced += len(rest)
    pieces.append(rest)
    if produced != info.file_size or not inflater.eof:
        if produced > info.file_size:
            raise Rejected("decompressed-too-large", produced, limit=info.file_size)
        raise Rejected("corrupt-file", reason=f"{info.filename}: {produced} ≠ {info.file_size}")
    return pieces


def _read_by_parsers(name: str) -> bool:
    """XML parts that python-calamine or this module parses, worksheets excepted (lazy)."""
    if not name.endswith((".xml", ".rels")) or name.startswith(_NEVER_PARSED):
        return False
    return not (name.startswith("xl/worksheets/") and name.endswith(".xml"))


def _parse_xml(parts: dict[str, bytes], name: str) -> Element:
    try:
        root: Element = SafeET.fromstring(parts[name], forbid_dtd=True)
        return root
    except DefusedXmlException:
        raise Rejected("xml-dtd-forbidden", name) from None
    except (SafeET.ParseError, KeyError) as exc:
        raise Rejected("corrupt-file", **_reason(f"phần {name}", exc)) from None


def _sheet_parts(parts: dict[str, bytes]) -> dict[str, str]:
    """Sheet name → worksheet part, from xl/workbook.xml and its relationships."""
    workbook = _parse_xml(parts, "xl/workbook.xml")
    targets: dict[str, str] = {}
    if "xl/_rels/workbook.xml.rels" in parts:
        rels = _parse_xml(parts, "xl/_rels/workbook.xml.rels")
        for rel in rels.iter(f"{_NS_PKG_REL}Relationship"):
            target = rel.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
            targets[rel.get("Id", "")] = posixpath.normpath(path)
    found: dict[str, str] = {}
    for sheet in workbook.iter(f"{_NS_MAIN}sheet"):
        name = sheet.get("name", "")
        part = targets.get(sheet.get(f"{_NS_REL}id", ""), "")
        if name and part:
            found[name] = part
    return found


def _modified(parts: dict[str, bytes]) -> dt.datetime | None:
    """The workbook's own last-saved time (docProps/core.xml), in UTC."""
    match = _MODIFIED.search(parts.get("docProps/core.xml", b""))
    text = match.group(1).decode("ascii", "replace").strip() if match else ""
    try:
        stamp = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if stamp.tzinfo is not None:
        stamp = stamp.astimezone(dt.UTC).replace(tzinfo=None)
    return stamp


def column_number(letters: bytes | str) -> int:
    """``A`` → 1, ``AA`` → 27."""
    text = letters.decode() if isinstance(letters, bytes) else letters
    n = 0
    for ch in text:
        n = n * 26 + ord(ch) - 64
    return n


def _position(ref: bytes) -> tuple[int, int] | None:
    match = _REF.match(ref)
    if match is None:
        return None
    return int(match.group(2)), column_number(match.group(1)) - 1


def _cell_around(xml: bytes, pos: int) -> tuple[tuple[int, int], bytes, bytes] | None:
    """The cell element holding byte ``pos``: its (row, col), its attributes and its body."""
    start = max(xml.rfind(b"<c ", 0, pos), xml.rfind(b":c ", 0, pos))
    if start < 0:
        return None
    tag_end = xml.find(b">", start)
    ref = _REF_ATTR.search(xml, start, tag_end) if tag_end > 0 else None
    where = _position(ref.group(1)) if ref else None
    if where is None:
        return None
    if xml[tag_end - 1 : tag_end] == b"/":  # <c r="A1" t="e"/>: no body
        return where, xml[start:tag_end], b""
    end = _CELL_END.search(xml, tag_end)
    if end is None:
        return None
    return where, xml[start:tag_end], xml[tag_end + 1 : end.start()]


def _unusual_refs(xml: bytes) -> bool:
    """An ``r`` attribute (a cell or row reference) not spelled ``r="A1"`` the usual way."""
    for match in _UNUSUAL_REF.finditer(xml):
        before = xml[match.start() - 1 : match.start()]
        if before.isspace() or (before == b"\n"):
            return True
    return False


def _exact_extent(xml: bytes) -> tuple[int, int]:
    """Rows and columns from every row and cell reference, however it is spelled."""
    max_row = max_col = 0
    for raw in _ANY_REF.findall(xml):
        ref = html.unescape(raw.decode("utf-8", "replace")).strip().upper().encode()
        match = re.match(rb"([A-Z]*)(\d+)$", ref)
        if match is None:
            raise Rejected("corrupt-file", reason=f"r={raw.decode('utf-8', 'replace')!r}")
        max_row = max(max_row, int(match.group(2)))
        if match.group(1):
            max_col = max(max_col, column_number(match.group(1)))
    return max_row, max_col


def scan_sheet(xml: bytes) -> SheetScan:
    """Extent, formulas and error cells of one worksheet's XML.

    The extent is cheap on purpose: row numbers come from the row elements, and only cells with
    a six-digit row or a column beyond ZZ are looked at one by one; the exact width is measured
    only when the rows are so many that width matters for the grid's size.
    """
    if _unusual_refs(xml):
        max_row, max_col = _exact_extent(xml)
    else:
        max_row = max((int(r) for r in _ROW_NUMBER.findall(xml)), default=0)
        for far in _FAR_CELL.findall(xml):
            max_row = max(max_row, int(far))
        wide = _WIDE_CELL.findall(xml)
        if wide:
            max_col = max(column_number(x) for x in set(wide))
        elif max_row * MAX_COLS <= MAX_CELLS:
            max_col = MAX_COLS  # an upper bound is enough: the grid cannot be too large
        else:
            letters = set(_CELL_COLUMN.findall(xml))
            max_col = max((column_number(x) for x in letters), default=0)
    formulas: dict[tuple[int, int], str] = {}
    uncached: dict[tuple[int, int], str] = {}
    errors: dict[tuple[int, int], str] = {}
    for match in _FORMULA_START.finditer(xml):
        cell = _cell_around(xml, match.start())
        if cell is None:
            continue
        where, attrs, body = cell
        formula = _FORMULA.search(body)
        value = _VALUE.search(body)
        text = "=" + ((formula.group(1) if formula else b"") or b"").decode("utf-8", "replace")
        if value is None or (value.group(1) == b"" and b't="str"' not in attrs):
            uncached[where] = text
        else:
            formulas[where] = text
    for match in _ERROR_ATTR.finditer(xml):
        cell = _cell_around(xml, match.end())
        if cell is not None:
            value = _VALUE.search(cell[2])
            errors[cell[0]] = value.group(1).decode("utf-8", "replace") if value else "#?"
    return SheetScan(max_row, max_col, formulas, uncached, errors)


def _check_extent(name: str, scan: SheetScan) -> None:
    rows, cols = scan.max_row, scan.max_col
    if rows > MAX_ROWS or cols > MAX_COLS or rows * cols > MAX_CELLS:
        raise Rejected(
            "sheet-too-large", cell_ref(rows, max(cols - 1, 0)), sheet=name, rows=rows, cols=cols
        )
