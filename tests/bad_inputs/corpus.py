"""The bad-input corpus, made by code: every malformed or hostile file, with what it must produce.

Each case starts from the clean, filled workbooks of CB01 (``clean``) and breaks one thing: the
file's format, its zip, its XML, its sheets, its template, or its values. ``expected`` lists the
issue codes the case must produce (an empty tuple: the file must read without an error, which is
how normalisation is proven). ``check`` says what is given to ``validate`` besides the file.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import struct
import subprocess
import tempfile
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl

from bad_inputs.clean import cb01_filing, fill, roster, templates

Build = Callable[["Workshop"], Path]


@dataclass(frozen=True)
class Case:
    name: str
    build: Build
    expected: tuple[str, ...]
    #: what validate gets besides the file: {"roster": True, "year": 2023, "cell": "CB01"}
    check: dict[str, Any] = field(default_factory=dict)


@dataclass
class Workshop:
    """Where cases are built: the clean files, and a fresh name per case."""

    folder: Path
    clean_sa: Path
    clean_ballot: Path
    made: dict[tuple[str, str], Path]

    def target(self, name: str) -> Path:
        return self.folder / name

    def clean_copy(self, name: str, which: str = "ballot") -> Path:
        source = self.clean_ballot if which == "ballot" else self.clean_sa
        target = self.target(name)
        shutil.copy(source, target)
        return target


def workshop(folder: Path) -> Workshop:
    made = templates(folder / "mau", roster())
    sa, ballot = fill(made["CB01", "self_assessment"], made["CB01", "ballot"], folder / "sach",
                      cb01_filing())  # fmt: skip
    return Workshop(folder, sa, ballot, made)


# ---------------------------------------------------------------------------------------------
# Tools: rewrite parts of a zip, edit with openpyxl


def parts_by_sheet(path: Path) -> dict[str, str]:
    """Sheet name → worksheet part, read from the package's own XML."""
    with zipfile.ZipFile(path) as z:
        workbook = z.read("xl/workbook.xml").decode()
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
    targets = dict(re.findall(r'Id="(rId\d+)"[^>]*?Target="/?(?:xl/)?([^"]+)"', rels))
    targets |= {k: v for v, k in re.findall(r'Target="/?(?:xl/)?([^"]+)"[^>]*?Id="(rId\d+)"', rels)}
    sheets = re.findall(r'<sheet [^>]*?name="([^"]+)"[^>]*?r:id="(rId\d+)"', workbook)
    return {name: "xl/" + targets[rid] for name, rid in sheets}


def rewrite(src: Path, dst: Path, changes: dict[str, bytes | Callable[[bytes], bytes] | None],
            extra: dict[str, bytes] | None = None) -> Path:  # fmt: skip
    """A copy of the package with parts replaced, edited (callable) or removed (None)."""
    out = io.BytesIO()
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            change = changes.get(info.filename, data)
            if change is None:
                continue
            zout.writestr(info.filename, change(data) if callable(change) else change)
        for name, data in (extra or {}).items():
            zout.writestr(name, data)
    dst.write_bytes(out.getvalue())
    return dst


def edit_sheet(w: Workshop, name: str, sheet: str, edit: Callable[[bytes], bytes],
               which: str = "ballot") -> Path:  # fmt: skip
    source = w.clean_ballot if which == "ballot" else w.clean_sa
    part = parts_by_sheet(source)[sheet]
    return rewrite(source, w.target(name), {part: edit})


def with_openpyxl(w: Workshop, name: str, change: Callable[[openpyxl.Workbook], None],
                  which: str = "ballot") -> Path:  # fmt: skip
    source = w.clean_ballot if which == "ballot" else w.clean_sa
    book = openpyxl.load_workbook(source)
    change(book)
    target = w.target(name)
    book.save(target)
    return target


def add_cell(xml: bytes, row: int, cell: bytes) -> bytes:
    """A row holding one extra cell, appended at the end of sheetData."""
    return xml.replace(b"</sheetData>", b'<row r="%d">%s</row></sheetData>' % (row, cell))


# ---------------------------------------------------------------------------------------------
# The file itself


def text_renamed(w: Workshop) -> Path:
    target = w.target("ghi-chu.xlsx")
    target.write_text("Mã chi bộ;Tên\nCB01;Chi bộ Trường THPT Liên Chiểu\n", encoding="utf-8")
    return target


def pdf_renamed(w: Workshop) -> Path:
    target = w.target("bien-ban-scan.xlsx")
    target.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n")
    return target


def image_renamed(w: Workshop) -> Path:
    target = w.target("anh-chup.xlsx")
    target.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    return target


def empty(w: Workshop) -> Path:
    target = w.target("rong.xlsx")
    target.write_bytes(b"")
    return target


def truncated(w: Workshop) -> Path:
    data = w.clean_ballot.read_bytes()
    target = w.target("cat-doi.xlsx")
    target.write_bytes(data[: len(data) // 2])
    return target


def bad_crc(w: Workshop) -> Path:
    """A byte flipped inside a compressed worksheet: the zip opens, the part does not inflate."""
    part = parts_by_sheet(w.clean_ballot)["Kiểm phiếu"]
    data = bytearray(w.clean_ballot.read_bytes())
    with zipfile.ZipFile(w.clean_ballot) as z:
        info = z.getinfo(part)
    header = info.header_offset
    name_len, extra_len = struct.unpack("<HH", data[header + 26 : header + 30])
    start = header + 30 + name_len + extra_len
    for offset in range(start + 10, start + 40):
        data[offset] ^= 0xFF
    target = w.target("hong-byte.xlsx")
    target.write_bytes(bytes(data))
    return target


def _zip_of(target: Path, parts: dict[str, str]) -> Path:
    """A zip of these parts: not a workbook, whatever its name says."""
    with zipfile.ZipFile(target, "w") as z:
        for name, text in parts.items():
            z.writestr(name, text)
    return target


def zip_without_workbook(w: Workshop) -> Path:
    return _zip_of(
        w.target("nen-la.xlsx"), {"[Content_Types].xml": "<Types/>", "readme.txt": "not a workbook"}
    )


def zip_archive(w: Workshop) -> Path:
    """Both workbooks zipped to be e-mailed, as a secretary may send them."""
    return _zip_of(
        w.target("ho-so-chi-bo.zip"),
        {"CB01/tu danh gia.xlsx": "PK…", "CB01/bien ban.xlsx": "PK…"},
    )


def lost_content_types(w: Workshop) -> Path:
    """A damaged workbook, not an archive: its parts are there, its [Content_Types].xml not."""
    return _zip_of(w.target("mat-content-types.xlsx"), {"xl/workbook.xml": "<workbook/>"})


def ods(w: Workshop) -> Path:
    return _zip_of(
        w.target("libreoffice.xlsx"),
        {
            "mimetype": "application/vnd.oasis.opendocument.spreadsheet",
            "content.xml": "<office:document-content/>",
        },
    )


def xlsb(w: Workshop) -> Path:
    return rewrite(w.clean_ballot, w.target("nhi-phan.xlsx"), {},
                   extra={"xl/workbook.bin": b"\x83\x01\x00"})  # fmt: skip


def docx(w: Workshop) -> Path:
    return _zip_of(
        w.target("van-ban.xlsx"),
        {"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"},
    )


def legacy_xls(w: Workshop) -> Path:
    """A real .xls, written by LibreOffice from the clean workbook."""
    out = w.target("xls")
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
             "xls", "--outdir", str(out), str(w.clean_ballot)],
            check=True, capture_output=True, timeout=240,
        )  # fmt: skip
    (made,) = out.glob("*.xls")
    target = w.target("excel-97.xlsx")  # renamed, as secretaries do
    shutil.move(made, target)
    return target


def encrypted(w: Workshop) -> Path:
    from msoffcrypto.format.ooxml import OOXMLFile

    target = w.target("co-mat-khau.xlsx")
    with open(w.clean_ballot, "rb") as src, open(target, "wb") as dst:
        OOXMLFile(src).encrypt("chibo2023", dst)
    return target


def too_large(w: Workshop) -> Path:
    target = w.target("qua-lon.xlsx")
    with open(target, "wb") as fh:
        fh.truncate(70 * 1024 * 1024)  # sparse: nothing is written, the size is what counts
    return target


def link(w: Workshop, name: str, to: str) -> Path:
    """A link named ``name`` that leads to ``to`` (which need not exist)."""
    target = w.target(name)
    os.symlink(to, target)
    return target


def link_to_device(w: Workshop) -> Path:
    return link(w, "thiet-bi.xlsx", "/dev/zero")


def named_pipe(w: Workshop) -> Path:
    target = w.target("ong-dan.xlsx")
    os.mkfifo(target)  # opening it would wait for a writer for ever
    return target


def broken_link(w: Workshop) -> Path:
    return link(w, "lien-ket-hong.xlsx", "/mnt/usb-da-rut/bien-ban.xlsx")


def looping_link(w: Workshop) -> Path:
    return link(w, "lien-ket-vong.xlsx", "lien-ket-vong.xlsx")


# ---------------------------------------------------------------------------------------------
# Hostile zips and XML

LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
        for i in range(1, 10)
    )
    + b"]>"
)


def billion_laughs(w: Workshop) -> Path:
    def attack(xml: bytes) -> bytes:
        body = xml.split(b"?>", 1)[1] if xml.startswith(b"<?xml") else xml
        return LAUGHS + body.replace(b"<sheetData>", b"<sheetData><!-- &lol9; -->", 1)

    return edit_sheet(w, "cuoi-nhieu.xlsx", "Biên bản", attack)


def external_entity(w: Workshop) -> Path:
    def attack(xml: bytes) -> bytes:
        body = xml.split(b"?>", 1)[1] if xml.startswith(b"<?xml") else xml
        dtd = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        return dtd + body

    return rewrite(w.clean_ballot, w.target("xxe.xlsx"), {"xl/workbook.xml": attack})


def utf16_dtd(w: Workshop) -> Path:
    """The same attack in UTF-16, which a byte search for "<!DOCTYPE" would not see."""

    def attack(xml: bytes) -> bytes:
        body = xml.decode("utf-8")
        body = body.split("?>", 1)[1] if body.startswith("<?xml") else body
        text = LAUGHS.decode() + body
        return text.replace('<?xml version="1.0"?>', '<?xml version="1.0" encoding="UTF-16"?>',
                            1).encode("utf-16")  # fmt: skip

    return edit_sheet(w, "utf16.xlsx", "Kiểm phiếu", attack)


def zip_bomb(w: Workshop) -> Path:
    return rewrite(w.clean_ballot, w.target("bom.xlsx"), {},
                   extra={"xl/media/bom.bin": b"\x00" * (48 * 1024 * 1024)})  # fmt: skip


def lying_zip_header(w: Workshop) -> Path:
    """A part that inflates to far more than its header declares."""
    part = parts_by_sheet(w.clean_ballot)["Kiểm phiếu"]
    data = bytearray(w.clean_ballot.read_bytes())
    with zipfile.ZipFile(w.clean_ballot) as z:
        info = z.getinfo(part)
    small = struct.pack("<I", 100)
    local = info.header_offset
    data[local + 22 : local + 26] = small  # local header: uncompressed size
    central = data.find(b"PK\x01\x02")
    while central != -1:
        name_len = struct.unpack("<H", data[central + 28 : central + 30])[0]
        if data[central + 46 : central + 46 + name_len] == part.encode():
            data[central + 24 : central + 28] = small  # central directory: uncompressed size
            break
        central = data.find(b"PK\x01\x02", central + 4)
    target = w.target("khai-sai-kich-thuoc.xlsx")
    target.write_bytes(bytes(data))
    return target


def far_cell(w: Workshop) -> Path:
    cell = b'<c r="XFD1048576" t="inlineStr"><is><t>z</t></is></c>'
    return edit_sheet(w, "o-xa.xlsx", "Kiểm phiếu", lambda x: add_cell(x, 1048576, cell))


def far_cell_single_quotes(w: Workshop) -> Path:
    cell = b"<c r='XFD1048576' t='inlineStr'><is><t>z</t></is></c>"
    return edit_sheet(w, "o-xa-nhay-don.xlsx", "Biên bản",
                      lambda x: x.replace(b"</sheetData>", b"<row r='1048576'>" + cell + b"</row></sheetData>"))  # fmt: skip


def far_cell_character_reference(w: Workshop) -> Path:
    cell = b'<c r="&#88;FD900000" t="inlineStr"><is><t>z</t></is></c>'
    return edit_sheet(w, "o-xa-ma-ky-tu.xlsx", "Kiểm phiếu", lambda x: add_cell(x, 900000, cell))


def wide_cell(w: Workshop) -> Path:
    cell = b'<c r="ZZZ5" t="inlineStr"><is><t>z</t></is></c>'
    return edit_sheet(w, "o-rong.xlsx", "Kiểm phiếu",
                      lambda x: x.replace(b"</sheetData>", b'<row r="30">' + cell + b"</row></sheetData>"))  # fmt: skip


def absurd_dimension_only(w: Workshop) -> Path:
    """Only the <dimension> tag is absurd: it is not trusted, so the file reads normally."""
    return edit_sheet(w, "kich-thuoc-ao.xlsx", "Kiểm phiếu",
                      lambda x: re.sub(rb'<dimension ref="[^"]*"\s*/>',
                                       b'<dimension ref="A1:XFD1048576"/>', x))  # fmt: skip


def emptied_worksheet(w: Workshop) -> Path:
    part = parts_by_sheet(w.clean_ballot)["Kiểm phiếu"]
    return rewrite(w.clean_ballot, w.target("trang-rong.xlsx"), {part: b""})


# ---------------------------------------------------------------------------------------------
# One reading of the bytes: zips whose names, parts or relationships could show one program one
# sheet and another program another (the safety checks and the parser used to open the zip each
# by their own rules)


@dataclass
class Member:
    """One zip member as written by ``raw_zip``: every name and extra field chosen freely."""

    name: str
    data: bytes
    #: the local header's name, if not ``name``
    local_name: str | None = None
    central_extra: bytes = b""
    local_extra: bytes = b""


def unicode_path(name: str, header_name: str) -> bytes:
    """An Info-ZIP Unicode Path extra field (0x7075) giving ``name`` to a member whose header
    says ``header_name``: readers that honour it (calamine's zip crate) use ``name``."""
    body = struct.pack("<BI", 1, zlib.crc32(header_name.encode())) + name.encode()
    return struct.pack("<HH", 0x7075, len(body)) + body


def raw_zip(members: list[Member]) -> bytes:
    """A deflated zip of ``members``, names and extra fields exactly as given."""
    out, central = bytearray(), bytearray()
    for m in members:
        packed = zlib.compressobj(6, zlib.DEFLATED, -15)
        body = packed.compress(m.data) + packed.flush()
        fields = struct.pack("<HHHHHIII", 20, 0x800, 8, 0, 0x21, zlib.crc32(m.data), len(body),
                             len(m.data))  # fmt: skip
        local = (m.local_name if m.local_name is not None else m.name).encode()
        offset = len(out)
        out += b"PK\x03\x04" + fields + struct.pack("<HH", len(local), len(m.local_extra))
        out += local + m.local_extra + body
        name = m.name.encode()
        central += b"PK\x01\x02" + struct.pack("<H", 20) + fields
        central += struct.pack("<HHHHHII", len(name), len(m.central_extra), 0, 0, 0, 0, offset)
        central += name + m.central_extra
    end = struct.pack("<HHHHIIH", 0, 0, len(members), len(members), len(central), len(out), 0)
    return bytes(out + central + b"PK\x05\x06" + end)


def members_of(path: Path) -> list[Member]:
    with zipfile.ZipFile(path) as z:
        return [Member(i.filename, z.read(i)) for i in z.infolist()]


def repacked(w: Workshop, name: str, edit: Callable[[list[Member], str], list[Member]],
             sheet: str = "Kiểm phiếu", which: str = "ballot") -> Path:  # fmt: skip
    """The clean workbook's members, edited (``edit`` gets them and ``sheet``'s part name)."""
    source = w.clean_ballot if which == "ballot" else w.clean_sa
    target = w.target(name)
    target.write_bytes(raw_zip(edit(members_of(source), parts_by_sheet(source)[sheet])))
    return target


def forged_votes(xml: bytes) -> bytes:
    """The tally sheet with other votes: every count of 1 made 9 (what a hidden copy says)."""
    return re.sub(rb"<v>1</v>", b"<v>9</v>", xml)


def far_away(xml: bytes) -> bytes:
    return add_cell(xml, 1048576, b'<c r="XFD1048576" t="inlineStr"><is><t>z</t></is></c>')


def _copy_named_by_unicode_path(change: Callable[[bytes], bytes], where: str = "central") -> Build:
    """A second copy of the tally sheet stored as another part, which a Unicode Path extra field
    names as the real sheet (the attack of issue 12: checks read one, calamine the other)."""

    def edit(members: list[Member], part: str) -> list[Member]:
        real = next(m for m in members if m.name == part)
        other = part.replace(".xml", "9.xml")
        extra = unicode_path(part, other)
        copy = Member(other, change(real.data))
        copy.central_extra, copy.local_extra = (extra, b"") if where == "central" else (b"", extra)
        return [*members, copy]

    return lambda w: repacked(w, f"ban-sao-an-{where}-{change.__name__}.xlsx", edit)


def local_name_differs(w: Workshop) -> Path:
    """The local header names the copy, the central directory the real sheet."""

    def edit(members: list[Member], part: str) -> list[Member]:
        for m in members:
            if m.name == part:
                m.local_name = part.replace("sheet", "sheeT")
        return members

    return repacked(w, "ten-cuc-bo-khac.xlsx", edit)


def nul_in_name(w: Workshop) -> Path:
    """``sheet3.xml\\0.bak``: zipfile cuts the name at the NUL, other readers do not."""

    def edit(members: list[Member], part: str) -> list[Member]:
        real = next(m for m in members if m.name == part)
        return [*members, Member(part + "\x00.bak", forged_votes(real.data))]

    return repacked(w, "ten-co-nul.xlsx", edit)


def duplicated_part(spell: Callable[[str], str], name: str) -> Build:
    """A second member for the tally sheet's part, spelled ``spell(part)``, other votes."""

    def edit(members: list[Member], part: str) -> list[Member]:
        real = next(m for m in members if m.name == part)
        return [*members, Member(spell(part), forged_votes(real.data))]

    return lambda w: repacked(w, name, edit)


def unreachable_copy(change: Callable[[bytes], bytes], name: str) -> Build:
    """A copy of the tally sheet under a part name nothing leads to: shown by no program."""

    def edit(members: list[Member], part: str) -> list[Member]:
        real = next(m for m in members if m.name == part)
        return [*members, Member(part.replace(".xml", "9.xml"), change(real.data))]

    return lambda w: repacked(w, name, edit)


def hidden_sheet_far_cell(w: Workshop) -> Path:
    """A hidden sheet the workbook lists, with a cell at XFD1048576: calamine is given it too."""

    def edit(members: list[Member], part: str) -> list[Member]:
        real = next(m for m in members if m.name == part)
        for m in members:
            if m.name == "xl/workbook.xml":
                m.data = m.data.replace(
                    b"</sheets>",
                    b'<sheet name="An" sheetId="99" state="hidden" r:id="rId99" xmlns:r="http://'
                    b'schemas.openxmlformats.org/officeDocument/2006/relationships"/></sheets>',
                )
            if m.name == "xl/_rels/workbook.xml.rels":
                m.data = m.data.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/'
                    b'officeDocument/2006/relationships/worksheet" Target="worksheets/an.xml"/>'
                    b"</Relationships>",
                )
        return [*members, Member("xl/worksheets/an.xml", far_away(real.data))]

    return repacked(w, "trang-an-o-xa.xlsx", edit)


def sheet_with_two_ids(w: Workshop) -> Path:
    """A ``<sheet>`` with a second ``id`` attribute in another namespace: calamine would follow
    that one, Excel the ``r:id``."""

    def second_id(xml: bytes) -> bytes:
        return re.sub(rb'(<sheet [^>]*?name="Ki[^"]*")', rb'\1 x:id="rId1" xmlns:x="urn:x"', xml)

    return rewrite(w.clean_ballot, w.target("hai-id.xlsx"), {"xl/workbook.xml": second_id})


def sheet_named_twice(w: Workshop) -> Path:
    def twice(xml: bytes) -> bytes:
        return xml.replace("Biên bản".encode(), "Kiểm phiếu".encode(), 1)

    return rewrite(w.clean_ballot, w.target("trung-ten-trang.xlsx"), {"xl/workbook.xml": twice})


def case_folded_target(w: Workshop) -> Path:
    """The relationship names the tally sheet in other letter case: Excel finds it all the same
    (part names ignore case), and so must the reader."""

    def shout(xml: bytes) -> bytes:
        return re.sub(rb'Target="(/?(?:xl/)?worksheets/)sheet', rb'Target="\1SHEET', xml)

    return rewrite(w.clean_ballot, w.target("chu-hoa.xlsx"), {"xl/_rels/workbook.xml.rels": shout})


def digits(count: int) -> str:
    return "1" + "0" * (count - 1)


def infinite_number(w: Workshop) -> Path:
    """A count stored as the number 1e999 (infinite once read)."""
    cell = b'<c r="E5"><v>1e999</v></c>'
    return edit_sheet(w, "vo-cuc.xlsx", "Kiểm phiếu",
                      lambda x: re.sub(rb'<c r="E5"[^>]*?(/>|>.*?</c>)', cell, x, count=1))  # fmt: skip


# ---------------------------------------------------------------------------------------------
# Sheets, template, identity


def sheet_removed(w: Workshop) -> Path:
    return with_openpyxl(w, "mat-trang.xlsx", lambda b: b.remove(b["Kiểm phiếu"]))


def sheet_renamed(w: Workshop) -> Path:
    def rename(book: openpyxl.Workbook) -> None:
        book["Kiểm phiếu"].title = "Kiem phieu (sua)"

    return with_openpyxl(w, "doi-ten-trang.xlsx", rename)


def identity_removed(w: Workshop) -> Path:
    return with_openpyxl(w, "mat-nhan-dien.xlsx", lambda b: b.remove(b["xeploai"]))


def identity_altered(w: Workshop) -> Path:
    def alter(book: openpyxl.Workbook) -> None:
        book["xeploai"]["B3"] = ""  # template_version wiped

    return with_openpyxl(w, "sua-nhan-dien.xlsx", alter)


def version(number: str, name: str) -> Build:
    def build(w: Workshop) -> Path:
        def change(book: openpyxl.Workbook) -> None:
            book["xeploai"]["B3"] = number

        return with_openpyxl(w, name, change)

    return build


def brand_new_workbook(w: Workshop) -> Path:
    target = w.target("so-moi.xlsx")
    openpyxl.Workbook().save(target)
    return target


def merged_inputs(w: Workshop) -> Path:
    return with_openpyxl(w, "gop-o.xlsx", lambda b: b["Kiểm phiếu"].merge_cells("E6:F6"))


def column_inserted(w: Workshop) -> Path:
    def insert(book: openpyxl.Workbook) -> None:
        book["Kiểm phiếu"].protection.sheet = False
        book["Kiểm phiếu"].insert_cols(5)

    return with_openpyxl(w, "chen-cot.xlsx", insert)


# ---------------------------------------------------------------------------------------------
# Values


def typed(cells: dict[str, Any], name: str, which: str = "ballot") -> Build:
    def build(w: Workshop) -> Path:
        def change(book: openpyxl.Workbook) -> None:
            for where, value in cells.items():
                sheet, _, ref = where.partition("!")
                book[sheet][ref] = value

        return with_openpyxl(w, name, change, which)

    return build


def cached_error(w: Workshop) -> Path:
    cell = b'<c r="E5" t="e"><f>1/0</f><v>#DIV/0!</v></c>'
    return edit_sheet(w, "loi-chia.xlsx", "Kiểm phiếu",
                      lambda x: re.sub(rb'<c r="E5"[^>]*?(/>|>.*?</c>)', cell, x, count=1))  # fmt: skip


def cached_formula(w: Workshop) -> Path:
    """A formula typed in a count, saved by Excel with its result: the result is used."""
    cell = b'<c r="E5"><f>1+2</f><v>3</v></c>'
    return edit_sheet(w, "cong-thuc-co-ket-qua.xlsx", "Kiểm phiếu",
                      lambda x: re.sub(rb'<c r="E5"[^>]*?(/>|>.*?</c>)', cell, x, count=1))  # fmt: skip


def last_years_file(w: Workshop) -> Path:
    return version_year(w, "2022", "nam-ngoai.xlsx")


def version_year(w: Workshop, year: str, name: str) -> Path:
    def change(book: openpyxl.Workbook) -> None:
        book["xeploai"]["B4"] = year

    return with_openpyxl(w, name, change)


def other_cells_members(w: Workshop) -> Path:
    return typed({"Kiểm phiếu!B6": "DV101"}, "dang-vien-chi-bo-khac.xlsx")(w)


def roster_with(cells: dict[str, Any], name: str) -> Build:
    def build(w: Workshop) -> Path:
        from toolkit.workbooks.generate import write_roster

        target = w.target(name)
        write_roster(roster(), target)
        book = openpyxl.load_workbook(target)
        for where, value in cells.items():
            sheet, _, ref = where.partition("!")
            book[sheet][ref] = value
        book.save(target)
        return target

    return build


NFD_HTT = "Hoa\u0300n tha\u0300nh to\u0302\u0301t nhie\u0323\u0302m vu\u0323  "

CASES: tuple[Case, ...] = (
    Case("text renamed .xlsx", text_renamed, ("not-xlsx",)),
    Case("PDF renamed .xlsx", pdf_renamed, ("not-xlsx",)),
    Case("image renamed .xlsx", image_renamed, ("not-xlsx",)),
    Case("empty file", empty, ("empty-file",)),
    Case("truncated zip", truncated, ("corrupt-file",)),
    Case("flipped bytes in a part", bad_crc, ("corrupt-file",)),
    Case("zip that holds no workbook", zip_without_workbook, ("corrupt-file",)),
    Case("a .zip of the workbooks", zip_archive, ("zip-archive",)),
    Case("a workbook that lost its content types", lost_content_types, ("corrupt-file",)),
    Case("OpenDocument renamed .xlsx", ods, ("not-xlsx",)),
    Case("Excel binary (.xlsb)", xlsb, ("not-xlsx",)),
    Case("Word document renamed .xlsx", docx, ("not-xlsx",)),
    Case("old .xls", legacy_xls, ("legacy-xls",)),
    Case("password-protected", encrypted, ("encrypted-file",)),
    Case("file over the size limit", too_large, ("file-too-large",)),
    Case("link to /dev/zero", link_to_device, ("not-a-regular-file",)),
    Case("named pipe", named_pipe, ("not-a-regular-file",)),
    Case("link to a file that is gone", broken_link, ("link-broken",)),
    Case("link to itself", looping_link, ("link-loop",)),
    Case("billion laughs", billion_laughs, ("xml-dtd-forbidden",)),
    Case("external entity", external_entity, ("xml-dtd-forbidden",)),
    Case("DTD hidden in UTF-16", utf16_dtd, ("corrupt-file",)),
    Case("zip bomb", zip_bomb, ("decompressed-too-large",)),
    Case("zip header lying about a size", lying_zip_header, ("decompressed-too-large",)),
    Case("a cell at XFD1048576", far_cell, ("sheet-too-large",)),
    Case("a far cell in single quotes", far_cell_single_quotes, ("sheet-too-large",)),
    Case("a far cell spelled with &#88;", far_cell_character_reference, ("sheet-too-large",)),
    Case("a cell beyond column ZZ", wide_cell, ("sheet-too-large",)),
    Case("only the dimension tag is absurd", absurd_dimension_only, ()),
    Case("a worksheet part emptied", emptied_worksheet, ("corrupt-file",)),
    Case("a hidden copy named the tally sheet by a Unicode Path field",
         _copy_named_by_unicode_path(forged_votes), ("zip-name-mismatch",)),
    Case("the same, the field in the local header",
         _copy_named_by_unicode_path(forged_votes, "local"), ("zip-name-mismatch",)),
    Case("the same, the copy holding a cell at XFD1048576",
         _copy_named_by_unicode_path(far_away), ("zip-name-mismatch",)),
    Case("local header and central directory name differently", local_name_differs,
         ("zip-name-mismatch",)),
    Case("a NUL in a member's name", nul_in_name, ("zip-name-mismatch",)),
    Case("two members of one name", duplicated_part(lambda p: p, "hai-ban.xlsx"),
         ("package-part-duplicated",)),
    Case("two members whose names differ in case",
         duplicated_part(lambda p: p.replace("sheet", "Sheet"), "hai-ban-chu-hoa.xlsx"),
         ("package-part-duplicated",)),
    Case("two members whose names differ in slashes",
         duplicated_part(lambda p: p.replace("/", "\\"), "hai-ban-gach.xlsx"),
         ("package-part-duplicated",)),
    Case("a copy of the tally sheet nothing leads to",
         unreachable_copy(forged_votes, "ban-sao-lac.xlsx"), ("package-part-unreachable",)),
    Case("an unreachable copy with a cell at XFD1048576",
         unreachable_copy(far_away, "ban-sao-lac-o-xa.xlsx"), ("package-part-unreachable",)),
    Case("a hidden sheet with a cell at XFD1048576", hidden_sheet_far_cell, ("sheet-too-large",)),
    Case("a sheet with a second id attribute", sheet_with_two_ids, ("corrupt-file",)),
    Case("two sheets of one name", sheet_named_twice, ("corrupt-file",)),
    Case("a relationship naming its sheet in capitals", case_folded_target, ()),
    Case("5,000 digits typed as text in a count",
         typed({"Kiểm phiếu!E5": digits(5000)}, "5000-chu-so.xlsx"), ("number-out-of-range",)),
    Case("400 digits typed as text in a count",
         typed({"Kiểm phiếu!E5": digits(400)}, "400-chu-so.xlsx"), ("number-out-of-range",)),
    Case("an infinite number in a count", infinite_number, ("number-out-of-range",)),
    Case("roster: 5,000 digits typed as a birth year",
         roster_with({"Đảng viên!E5": digits(5000)}, "danh-sach-5000-chu-so.xlsx"),
         ("number-out-of-range",)),
    Case("a sheet deleted", sheet_removed, ("sheet-missing",)),
    Case("a sheet renamed", sheet_renamed, ("sheet-renamed",)),
    Case("identity sheet deleted", identity_removed, ("identity-missing",)),
    Case("identity block altered", identity_altered, ("identity-invalid",)),
    Case("outdated template version", version("0", "phien-ban-cu.xlsx"), ("template-outdated",)),
    Case("unknown template version", version("99", "phien-ban-la.xlsx"),
         ("template-version-unknown",)),
    Case("a brand-new empty workbook", brand_new_workbook, ("identity-missing",)),
    Case("merged cells in the input area", merged_inputs, ("merged-input-cells",)),
    Case("a column inserted", column_inserted, ("layout-changed",)),
    Case("formula without a cached value", typed({"Kiểm phiếu!E5": "=1+2"}, "cong-thuc.xlsx"),
         ("formula-no-cached-value",)),
    Case("formula with its cached result", cached_formula, ("formula-in-input",)),
    Case("formula with an error value", cached_error, ("cell-error-value",)),
    Case("text number 80.000", typed({"Kiểm phiếu!E5": "80.000"}, "so-dang-chu.xlsx"),
         ("not-a-number",)),
    Case("digits stored as text", typed({"Kiểm phiếu!E5": "3"}, "so-la-chu.xlsx"),
         ("number-as-text",)),
    Case("NFD level with trailing spaces",
         typed({"Tự đánh giá!E6": NFD_HTT}, "nfd.xlsx", "self_assessment"), ()),
    Case("trailing spaces around an ID", typed({"Kiểm phiếu!B6": " DV002 "}, "cach.xlsx"), (),
         {"roster": True, "year": 2023}),
    Case("a value not in the list", typed({"Tự đánh giá!E6": "Tốt"}, "tot.xlsx", "self_assessment"),
         ("value-not-allowed",)),
    Case("another cell's file", lambda w: w.clean_copy("cua-chi-bo-khac.xlsx"), ("wrong-cell",),
         {"cell": "CB02"}),
    Case("another cell's members", other_cells_members, ("member-from-other-cell",),
         {"roster": True, "year": 2023}),
    Case("last year's file", last_years_file, ("wrong-year",), {"year": 2023}),
    Case("roster: NFD duplicate of an ID with a trailing space",
         roster_with({"Đảng viên!A13": "DV101\u00a0"}, "danh-sach-lap.xlsx"), ("member-duplicated",)),
    Case("roster: NFD names are the same names",
         roster_with({"Đảng viên!B6": "Nguye\u0302\u0303n Thi\u0323 Hoa "}, "danh-sach-nfd.xlsx"), ()),
)  # fmt: skip
