"""Open an .xlsx package safely before any parser sees it.

Hostile or broken files are recognised here, each with its own issue code: empty, not a zip,
old .xls, password-protected, truncated or corrupt, zip bombs (declared sizes and ratios are
checked before anything is inflated, then each part a parser reads is inflated with zlib, never
beyond its declared size, and its CRC verified), XML with DOCTYPE/ENTITY declarations (billion laughs,
external entities: Excel never writes them), and sheets whose cells reach absurd positions
(python-calamine allocates a dense grid from the first to the last cell, so one cell at XFD1048576
would need hundreds of GB and abort the process: ``scan`` measures the extent on the XML first,
and records formulas and error values, which calamine does not report).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from typing import Any
from xml.parsers import expat

from toolkit.errors import os_reason
from toolkit.workbooks.declarations import cell_ref
from toolkit.workbooks.scan import (
    MAX_CELLS,
    MAX_COLS,
    MAX_ROWS,
    BadReference,
    SheetScan,
    column_number,
    scan_sheet,
)
from toolkit.ziparchive import StoredError, stored_bytes

__all__ = [
    "MAX_CELLS",
    "MAX_COLS",
    "MAX_FILE_BYTES",
    "MAX_ROWS",
    "Package",
    "Rejected",
    "SheetScan",
    "column_number",
    "open_package",
    "scan_sheet",
]

MAX_FILE_BYTES = 64 * 1024 * 1024
#: total inflated size of all parts; a city roster of 150,000 members is about 80 MB of XML
MAX_UNCOMPRESSED = 256 * 1024 * 1024
#: parts above this size must not compress better than MAX_RATIO (XML rarely beats 30:1)
RATIO_CHECK_FROM = 1024 * 1024
MAX_RATIO = 200

_CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: namespaces as expat joins them to a name (``namespace}local``)
_NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships}"
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
class Package:
    """An .xlsx that passed the safety checks: its bytes, and each sheet's XML to scan."""

    data: bytes
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
            try:
                scan = scan_sheet(xml)
            except BadReference as bad:
                raise Rejected("corrupt-file", reason=str(bad)) from None
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
    return Package(data, parts, _modified(kept), entries)


def _reason(vi: str, exc: BaseException) -> dict[str, str]:
    # zipfile says what is wrong in English («File is not a zip file», «Truncated file
    # header»): a secretary reads what it means instead
    if isinstance(exc, zipfile.BadZipFile | EOFError):
        return {"reason": f"{vi}: tệp bị cắt cụt hoặc không phải tệp nén"}
    return {"reason": f"{vi}: {os_reason(exc)}"}


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
        return "PNG/JPEG/GIF"
    if head.lstrip().startswith((b"<html", b"<!DOCTYPE", b"<?xml", b"<HTML")):
        return "HTML/XML"
    try:
        data[:4096].decode("utf-8")
    except UnicodeDecodeError:
        return "BIN"
    # the same words in the Vietnamese and the English message: names of formats, not words
    return "CSV/TXT"


def _check_kind(names: set[str]) -> None:
    if "mimetype" in names or "content.xml" in names:
        raise Rejected("not-xlsx", "OpenDocument (.ods)")
    if "xl/workbook.bin" in names:
        raise Rejected("not-xlsx", "Excel Binary (.xlsb)")
    if "word/document.xml" in names:
        raise Rejected("not-xlsx", "Word (.docx)")
    if "[Content_Types].xml" not in names and not any(n.startswith("xl/") for n in names):
        # no Office document at all: an archive a secretary made to send the workbooks in
        raise Rejected("zip-archive", _listing(names))
    if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
        raise Rejected(
            "corrupt-file",
            reason="xl/workbook.xml",
        )


def _listing(names: set[str], shown: int = 5) -> str:
    """The files of an archive, by name, the first few (folders left out)."""
    files = sorted(posixpath.basename(n) for n in names if not n.endswith("/"))
    more = f", … (+{len(files) - shown})" if len(files) > shown else ""
    return ", ".join(files[:shown]) + more if files else "—"


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
    try:
        raw = stored_bytes(data, info)
    except StoredError as exc:
        raise Rejected("corrupt-file", reason=str(exc)) from None
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


class _DoctypeFound(Exception):
    """A DOCTYPE in a part this module parses."""


def _elements(parts: dict[str, bytes], name: str, tag: str) -> list[dict[str, str]]:
    """The attributes of every ``tag`` element (``namespace}local``) of part ``name``.

    expat directly, with only the handlers needed (a tree of the whole part costs twice as
    much): a DOCTYPE is refused as defusedxml's ``forbid_dtd`` refuses it, so no entity can be
    declared, let alone expanded.
    """
    found: list[dict[str, str]] = []

    def start(element: str, attributes: dict[str, str]) -> None:
        if element == tag:
            found.append(attributes)

    def doctype(*_: object) -> None:
        raise _DoctypeFound

    parser = expat.ParserCreate(namespace_separator="}")
    parser.StartElementHandler = start
    parser.StartDoctypeDeclHandler = doctype
    try:
        parser.Parse(parts[name], True)
    except _DoctypeFound:
        raise Rejected("xml-dtd-forbidden", name) from None
    except (expat.ExpatError, KeyError) as exc:
        raise Rejected("corrupt-file", **_reason(f"phần {name}", exc)) from None
    return found


def _sheet_parts(parts: dict[str, bytes]) -> dict[str, str]:
    """Sheet name → worksheet part, from xl/workbook.xml and its relationships."""
    sheets = _elements(parts, "xl/workbook.xml", f"{_NS_MAIN}sheet")
    targets: dict[str, str] = {}
    if "xl/_rels/workbook.xml.rels" in parts:
        rels = _elements(parts, "xl/_rels/workbook.xml.rels", f"{_NS_PKG_REL}Relationship")
        for rel in rels:
            target = rel.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
            targets[rel.get("Id", "")] = posixpath.normpath(path)
    found: dict[str, str] = {}
    for sheet in sheets:
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


def _check_extent(name: str, scan: SheetScan) -> None:
    rows, cols = scan.max_row, scan.max_col
    if scan.too_large:
        raise Rejected(
            "sheet-too-large", cell_ref(rows, max(cols - 1, 0)), sheet=name, rows=rows, cols=cols
        )
