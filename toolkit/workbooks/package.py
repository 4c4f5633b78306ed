"""Open an .xlsx package safely, once, and give its parser exactly what was checked.

Hostile or broken files are recognised here, each with its own issue code: empty, not a zip,
old .xls, password-protected, truncated or corrupt, zip bombs (declared sizes and ratios are
checked before anything is inflated, then each part is inflated with zlib, never beyond its
declared size, and its CRC verified), XML with DOCTYPE/ENTITY declarations (billion laughs,
external entities: Excel never writes them), and sheets whose cells reach absurd positions
(python-calamine allocates a dense grid from the first to the last cell, so one cell at XFD1048576
would need hundreds of GB and abort the process: ``scan`` measures the extent on the XML first,
and records formulas and error values, which calamine does not report).

There is one reading of the bytes. Python's ``zipfile`` and calamine's zip reader pick a member's
name by different rules (calamine honours a "Unicode Path" extra field, ignores case, keeps the
last of two entries of one name), so a file could show one sheet to the checks and another to
the count. Here every name a member is given must agree and no two parts may share one; the
parts are found as Excel finds them, through the package's own relationships; and calamine is
handed a new package, stored without compression, holding only the parts inflated and checked
here, under the names calamine looks them up by (a plainly written sheet with its merged cells
moved before its cells, where calamine's search for them stops: ``scan.merge_cells_first``).
Each part is inflated once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import posixpath
import re
import urllib.parse
import zipfile
import zlib
from collections.abc import Iterable
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
    Measured,
    SheetScan,
    column_number,
    measure,
    merge_cells_first,
    scan_sheet,
    too_large,
)
from toolkit.ziparchive import StoredError, member_names, stored_archive, stored_bytes

__all__ = [
    "MAX_CELLS",
    "MAX_COLS",
    "MAX_FILE_BYTES",
    "MAX_ROWS",
    "Package",
    "Rejected",
    "SheetScan",
    "column_number",
    "inflate_member",
    "open_package",
    "scan_sheet",
]

MAX_FILE_BYTES = 64 * 1024 * 1024
#: total inflated size of all parts; a city roster of 150,000 members is about 80 MB of XML
MAX_UNCOMPRESSED = 256 * 1024 * 1024
#: parts above this size must not compress better than MAX_RATIO (XML rarely beats 30:1)
RATIO_CHECK_FROM = 1024 * 1024
MAX_RATIO = 200
#: unreachable parts named in one issue
_LISTED = 3

_CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: namespaces as expat joins them to a name (``namespace}local``)
_NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships}"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
#: where calamine looks for each part (it follows relationships for the sheets only)
_READER_RELS = "_rels/.rels"
_READER_WORKBOOK = "xl/workbook.xml"
_READER_WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"
_READER_BY_ROLE = {"/sharedStrings": "xl/sharedStrings.xml", "/styles": "xl/styles.xml"}
#: the package relationships the reader is given: the workbook, where calamine expects it
_ROOT_RELS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
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
    """An .xlsx that passed the safety checks: the package its parser is to read, and what the
    checks found in each sheet."""

    #: a zip, stored, of exactly the parts checked here: what python-calamine reads
    reader: bytes
    #: sheet name → worksheet part inside the zip, in workbook order
    sheet_parts: dict[str, str]
    modified: dt.datetime | None
    #: sheet name → its XML as measured, for every sheet the parser is given (hidden ones too)
    sheets: dict[str, tuple[bytes, Measured]] = field(default_factory=dict)
    #: what is odd but harmless (parts nothing reaches): issue codes with their values
    notes: tuple[Rejected, ...] = ()
    scans: dict[str, SheetScan] = field(default_factory=dict)

    def scan(self, name: str) -> SheetScan:
        """The scan of sheet ``name``: its formulas and error cells, found when first asked
        for (its extent was checked when the package was opened)."""
        if name not in self.scans:
            xml, measured = self.sheets.get(name, (b"", (False, (0, 0))))
            self.scans[name] = scan_sheet(xml, measured)
        return self.scans[name]


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def open_package(data: bytes, unread: frozenset[str] = frozenset()) -> Package:
    """Check ``data`` is a safe, readable .xlsx; raise ``Rejected`` with the reason otherwise.

    ``unread``: sheets that will not be read (the instructions...): they are neither inflated
    nor checked, and the parser is not given them.
    """
    if not data:
        raise Rejected("empty-file")
    if len(data) > MAX_FILE_BYTES:
        raise Rejected("file-too-large", len(data), limit=MAX_FILE_BYTES)
    if data.startswith(_CFB):
        raise _ole_rejection(data)
    if not data.startswith(b"PK"):
        raise Rejected("not-xlsx", _sniff(data))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise Rejected("corrupt-file", **_reason("không mở được tệp nén", exc)) from None
    _check_kind({info.filename for info in infos})
    _check_sizes(infos)
    parts = _Parts(data, _entries(data, infos))
    return parts.package(unread)


def _entries(data: bytes, infos: Iterable[zipfile.ZipInfo]) -> dict[str, zipfile.ZipInfo]:
    """The members by part name (case and ``\\`` folded, as calamine and OPC compare them);
    ``Rejected`` when a member has two names or two members one."""
    found: dict[str, zipfile.ZipInfo] = {}
    for info in infos:
        try:
            names = member_names(data, info)
        except StoredError as exc:
            raise Rejected("corrupt-file", reason=str(exc)) from None
        if len(names) > 1:
            raise Rejected("zip-name-mismatch", " ≠ ".join(sorted(repr(n) for n in names)))
        key = _folded(info.filename)
        if key in found:
            raise Rejected("package-part-duplicated", info.filename)
        found[key] = info
    return found


def _folded(name: str) -> str:
    return name.replace("\\", "/").lower()


class _Parts:
    """The package's parts, each inflated and checked once, on first use."""

    def __init__(self, data: bytes, entries: dict[str, zipfile.ZipInfo]) -> None:
        self.data, self.entries = data, entries
        self.inflated: dict[str, bytes] = {}
        self.rels: dict[str, list[dict[str, str]]] = {}

    def has(self, name: str) -> bool:
        return _folded(name) in self.entries

    def get(self, name: str) -> bytes:
        key = _folded(name)
        if key not in self.inflated:
            info = self.entries.get(key)
            if info is None:
                raise Rejected("corrupt-file", reason=f"thiếu phần / no part {name}")
            self.inflated[key] = _inflate(self.data, info)
        return self.inflated[key]

    def crc(self, name: str) -> int:
        return self.entries[_folded(name)].CRC

    def relationships(self, part: str) -> list[dict[str, str]]:
        """The relationships of ``part`` ('' for the package's own), targets resolved."""
        if part in self.rels:
            return self.rels[part]
        rels = _rels_part(part)
        found = []
        if self.has(rels):
            folder = posixpath.dirname(part)
            for rel in _elements(self.get(rels), rels, f"{_NS_PKG_REL}Relationship"):
                if rel.get("TargetMode", "Internal") != "External":
                    rel["part"] = _resolved(folder, rel.get("Target", ""))
                    found.append(rel)
        self.rels[part] = found
        return found

    def package(self, unread: frozenset[str]) -> Package:
        """The checked package: its parts found as Excel finds them, and the reader's copy."""
        root = self.relationships("")
        workbook = _target(root, "/officeDocument")
        if workbook is None or posixpath.dirname(_folded(workbook)) != "xl":
            # calamine looks for every part in the workbook's folder: Excel writes xl/
            raise Rejected("corrupt-file", reason=f"workbook = {workbook or '?'}")
        workbook_rels = self.relationships(workbook)
        by_id = {rel.get("Id", ""): rel for rel in workbook_rels}
        sheets = _sheets(self.get(workbook), workbook)
        reader: dict[str, tuple[str, bytes, int]] = {}
        given: dict[str, bytes] = {}  # reader name → the checked part given under it

        def give(reader_name: str, part: str, *, sheet: bool = False) -> None:
            content, key = self.get(part), _folded(reader_name)
            if given.setdefault(key, content) is not content:
                raise Rejected("corrupt-file", reason=f"{reader_name} ≠ {part}")
            shown = merge_cells_first(content) if sheet else content
            crc = self.crc(part) if shown is content else zlib.crc32(shown)
            reader[key] = (reader_name, shown, crc)

        reader[_folded(_READER_RELS)] = (_READER_RELS, _ROOT_RELS, zlib.crc32(_ROOT_RELS))
        give(_READER_WORKBOOK, workbook)
        if self.has(_rels_part(workbook)):
            give(_READER_WORKBOOK_RELS, _rels_part(workbook))
        for role, reader_name in _READER_BY_ROLE.items():
            part = _target(workbook_rels, role)
            if part is not None:
                give(reader_name, part)
        sheet_parts: dict[str, str] = {}
        checked: dict[str, tuple[bytes, Measured]] = {}
        for name, rid in sheets:
            rel = by_id.get(rid)
            if rel is None:
                raise Rejected("corrupt-file", reason=f"{name}: {rid}")
            part, target = rel["part"], rel.get("Target", "")
            sheet_parts[name] = part
            if name in unread:
                continue
            # where calamine will look: the target as written, from the workbook's folder
            give(target[1:] if target.startswith("/") else "xl/" + target, part, sheet=True)
            checked[name] = _checked_sheet(name, self.get(part))
        notes = self._unreachable(root)
        core = _target(root, "/core-properties")
        modified = _modified(self.get(core)) if core is not None and self.has(core) else None
        archive = stored_archive(reader.values())
        return Package(archive, sheet_parts, modified, checked, notes)

    def _unreachable(self, root: list[dict[str, str]]) -> tuple[Rejected, ...]:
        """Parts no relationship reaches from the package's: nothing shows them."""
        reached = {"[content_types].xml", _folded(_rels_part(""))}
        pending = [rel["part"] for rel in root]
        while pending:
            part = pending.pop()
            key = _folded(part)
            if key in reached or not self.has(part):
                continue
            reached.add(key)
            if self.has(_rels_part(part)):
                reached.add(_folded(_rels_part(part)))
                pending.extend(rel["part"] for rel in self.relationships(part))
        left = sorted(
            info.filename
            for key, info in self.entries.items()
            if key not in reached and not key.endswith("/")
        )
        if not left:
            return ()
        more = f", … (+{len(left) - _LISTED})" if len(left) > _LISTED else ""
        return (Rejected("package-part-unreachable", ", ".join(left[:_LISTED]) + more),)


def _rels_part(part: str) -> str:
    """The relationships part of ``part`` ('' for the package: ``_rels/.rels``)."""
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{name}.rels")


def _resolved(folder: str, target: str) -> str:
    """The part a relationship's target names, from the source part's ``folder`` (a URI:
    percent-escapes undone, ``..`` resolved, ``/`` from the package's root)."""
    path = urllib.parse.unquote(target)
    path = path[1:] if path.startswith("/") else posixpath.join(folder, path)
    return posixpath.normpath(path).lstrip("/") if path else ""


def _target(rels: list[dict[str, str]], role: str) -> str | None:
    """The part of the first relationship whose type ends with ``role``."""
    return next((rel["part"] for rel in rels if rel.get("Type", "").endswith(role)), None)


def _sheets(xml: bytes, where: str) -> list[tuple[str, str]]:
    """(name, relationship id) of every sheet of the workbook part, in order.

    Calamine takes any element named ``sheet`` (any namespace) and any attribute named ``id``
    (any prefix) for its relationship, and the first sheet of a name: a workbook where that
    differs from what Excel reads, or with two sheets of one name, is refused.
    """
    found: list[tuple[str, str]] = []
    seen: set[str] = set()
    for element, attributes in _all_elements(xml, where, "sheet"):
        ids = [v for k, v in attributes.items() if k.rpartition("}")[2] == "id"]
        name = attributes.get("name", "")
        rid = attributes.get(f"{_NS_REL}id", "")
        if element != f"{_NS_MAIN}sheet" or ids != [rid] or not name:
            raise Rejected("corrupt-file", reason=f"{where}: <sheet name={name!r}>")
        if name.casefold() in seen:
            raise Rejected("corrupt-file", reason=f"{where}: {name} × 2")
        seen.add(name.casefold())
        found.append((name, rid))
    return found


def _checked_sheet(name: str, xml: bytes) -> tuple[bytes, Measured]:
    """One sheet's XML, measured; ``Rejected`` when its cells reach absurd positions (calamine
    would try to allocate the whole grid) or a reference is unreadable."""
    try:
        measured = measure(xml)
    except BadReference as bad:
        raise Rejected("corrupt-file", reason=str(bad)) from None
    rows, cols = measured[1]
    if too_large(rows, cols):
        raise Rejected(
            "sheet-too-large", cell_ref(rows, max(cols - 1, 0)), sheet=name, rows=rows, cols=cols
        )
    return xml, measured


def inflate_member(data: bytes, info: zipfile.ZipInfo) -> bytes:
    """One member of the archive ``data``, inflated never beyond its declared size and checked
    against its CRC (``Rejected`` otherwise): for other zips the toolkit reads (roll-up
    packages)."""
    return _inflate(data, info, xml=False)


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


def _check_sizes(infos: Iterable[zipfile.ZipInfo]) -> None:
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise Rejected("encrypted-file")
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_CHECK_FROM and ratio > MAX_RATIO:
            raise Rejected("decompressed-too-large", info.file_size, limit=MAX_UNCOMPRESSED)
    if total > MAX_UNCOMPRESSED:
        raise Rejected("decompressed-too-large", total, limit=MAX_UNCOMPRESSED)


def _inflate(data: bytes, info: zipfile.ZipInfo, *, xml: bool = True) -> bytes:
    """Inflate one part from the raw bytes, never beyond its declared size; refuse DTDs.

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
    content = b"".join(pieces)
    if zlib.crc32(content) != info.CRC:
        raise Rejected("corrupt-file", reason=f"{where}: CRC")
    if not xml:  # a roll-up package's member: hashed against its manifest, never parsed as XML
        return content
    # every part of a workbook inflated here goes to an XML parser, whatever its name says
    if content[:2] in _UTF16_BOMS or b"\x00" in content[:64]:
        # Excel writes UTF-8; the DOCTYPE check below only reads UTF-8
        raise Rejected("corrupt-file", reason=f"{where}: UTF-16")
    if b"<!DOCTYPE" in content or b"<!ENTITY" in content:
        raise Rejected("xml-dtd-forbidden", where)
    return content


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


class _DoctypeFound(Exception):
    """A DOCTYPE in a part this module parses."""


def _elements(xml: bytes, name: str, tag: str) -> list[dict[str, str]]:
    """The attributes of every ``tag`` element (``namespace}local``) of part ``name``."""
    return [attributes for element, attributes in _all_elements(xml, name) if element == tag]


def _all_elements(
    xml: bytes, name: str, local: str | None = None
) -> list[tuple[str, dict[str, str]]]:
    """Every element of part ``name`` (``namespace}local``) with its attributes; only those
    whose local name is ``local``, if given.

    expat directly, with only the handlers needed (a tree of the whole part costs twice as
    much): a DOCTYPE is refused as defusedxml's ``forbid_dtd`` refuses it, so no entity can be
    declared, let alone expanded.
    """
    found: list[tuple[str, dict[str, str]]] = []

    def start(element: str, attributes: dict[str, str]) -> None:
        if local is None or element.rpartition("}")[2] == local:
            found.append((element, attributes))

    def doctype(*_: object) -> None:
        raise _DoctypeFound

    parser = expat.ParserCreate(namespace_separator="}")
    parser.StartElementHandler = start
    parser.StartDoctypeDeclHandler = doctype
    try:
        parser.Parse(xml, True)
    except _DoctypeFound:
        raise Rejected("xml-dtd-forbidden", name) from None
    except expat.ExpatError as exc:
        raise Rejected("corrupt-file", **_reason(f"phần {name}", exc)) from None
    return found


def _modified(xml: bytes) -> dt.datetime | None:
    """The workbook's own last-saved time (docProps/core.xml), in UTC."""
    match = _MODIFIED.search(xml)
    text = match.group(1).decode("ascii", "replace").strip() if match else ""
    try:
        stamp = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if stamp.tzinfo is not None:
        stamp = stamp.astimezone(dt.UTC).replace(tzinfo=None)
    return stamp
