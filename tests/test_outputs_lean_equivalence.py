"""The lean writer and the splice write what xlsxwriter writes, part for part.

Nobody here can open a file in Excel, but Excel is known to open xlsxwriter's files without a
repair prompt. So for the same calls, the package the lean writer makes (and the summary whose
member rows are spliced in) must have the same parts as xlsxwriter's, and each part the same XML
once both are parsed and canonicalised. Two differences are allowed, and resolved before the
comparison: text written inline rather than in the shared string table, and numbers written with
the digits that read back as the same double where xlsxwriter rounds to 16 significant digits
(0.30000000000000004 rather than 0.3: both are valid, and Excel itself writes the former).
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable
from typing import Any
from xml.etree import ElementTree as ET

import pytest
import xlsxwriter
from builders import lien_chieu

from toolkit.outputs import cell_xlsx, summary_sheets, summary_xlsx
from toolkit.outputs.cell_xlsx import cell_packs, write_cell_workbook
from toolkit.outputs.digest import build_digest, cell_stems
from toolkit.outputs.lean_xlsx import LeanWorkbook
from toolkit.outputs.sheets import (
    Column,
    Tail,
    print_setup,
    set_properties,
    setup_sheet,
    workbook_options,
    write_rows,
    write_title,
)
from toolkit.outputs.styles import DEFAULT_FORMAT, register
from toolkit.outputs.summary_xlsx import write_summary
from toolkit.outputs.view import Digest
from toolkit.workbooks import generate
from toolkit.workbooks.decisionbook import write_decisions_workbook

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
SHARED_STRINGS = "sharedStrings"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
ET.register_namespace("", MAIN)


# ---------------------------------------------------------------------------------------------
# Normalisation


def parts_of(package: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(package)) as z:
        return {name: z.read(name) for name in z.namelist()}


def shared_strings(parts: dict[str, bytes]) -> list[ET.Element]:
    """Each shared string as the ``<t>`` element an inline string would hold."""
    if "xl/sharedStrings.xml" not in parts:
        return []
    found = []
    for si in ET.fromstring(parts["xl/sharedStrings.xml"]).iter(f"{{{MAIN}}}si"):
        text = si.find(f"{{{MAIN}}}t")
        assert text is not None, "rich text is not written by either writer"
        found.append(text)
    return found


def inline_strings(sheet: ET.Element, strings: list[ET.Element]) -> None:
    """``<c t="s"><v>3</v></c>`` becomes ``<c t="inlineStr"><is><t>…</t></is></c>``."""
    for cell in sheet.iter(f"{{{MAIN}}}c"):
        if cell.get("t") != "s":
            continue
        value = cell.find(f"{{{MAIN}}}v")
        assert value is not None and value.text is not None
        cell.remove(value)
        cell.set("t", "inlineStr")
        holder = ET.SubElement(cell, f"{{{MAIN}}}is")
        holder.append(copy.deepcopy(strings[int(value.text)]))


def sixteen_digits(sheet: ET.Element) -> None:
    """Numbers rounded to the 16 significant digits xlsxwriter keeps (see the docstring)."""
    for cell in sheet.iter(f"{{{MAIN}}}c"):
        value = cell.find(f"{{{MAIN}}}v")
        if cell.get("t", "n") == "n" and value is not None and value.text:
            value.text = repr(float(f"{float(value.text):.16G}"))


def without_shared_strings(name: str, root: ET.Element) -> None:
    """The table's part, its content type and its relationship are what inline text saves."""
    if name == "[Content_Types].xml":
        for override in list(root):
            if SHARED_STRINGS in override.get("PartName", ""):
                root.remove(override)
    if name == "xl/_rels/workbook.xml.rels":
        for rel in list(root):
            if rel.get("Type", "").endswith(f"/{SHARED_STRINGS}"):
                root.remove(rel)


def normalised(package: bytes) -> dict[str, str]:
    """Part name → canonical XML, text inline, numbers compared as doubles."""
    parts = parts_of(package)
    strings = shared_strings(parts)
    result = {}
    for name, data in parts.items():
        if name == "xl/sharedStrings.xml":
            continue
        root = ET.fromstring(data)
        if name.startswith("xl/worksheets/"):
            inline_strings(root, strings)
            sixteen_digits(root)
        without_shared_strings(name, root)
        result[name] = ET.canonicalize(ET.tostring(root, encoding="unicode"))
    return result


def assert_same_package(lean: bytes, reference: bytes) -> None:
    ours, theirs = normalised(lean), normalised(reference)
    assert sorted(ours) == sorted(theirs), "the packages hold different parts"
    for name in sorted(theirs):
        if ours[name] != theirs[name]:
            pairs = enumerate(zip(ours[name], theirs[name], strict=False))
            at = next((i for i, (a, b) in pairs if a != b), min(len(ours[name]), len(theirs[name])))
            pytest.fail(
                f"{name} differs at character {at}:\n"
                f"  lean:       …{ours[name][max(at - 120, 0) : at + 160]}…\n"
                f"  xlsxwriter: …{theirs[name][max(at - 120, 0) : at + 160]}…"
            )


def xlsxwriter_book(target: Any, _default: object = None) -> Any:
    """An xlsxwriter workbook opened as every workbook of ours is (``LeanWorkbook``'s calls)."""
    return xlsxwriter.Workbook(target, workbook_options())


def both(write: Callable[[Any], None]) -> tuple[bytes, bytes]:
    """``write(workbook)`` run on a lean workbook and on an xlsxwriter one: the two packages."""
    lean, reference = io.BytesIO(), io.BytesIO()
    write(LeanWorkbook(lean, DEFAULT_FORMAT))
    write(xlsxwriter_book(reference))
    return lean.getvalue(), reference.getvalue()


# ---------------------------------------------------------------------------------------------
# The per-cell workbook


def every_kind_of_cell(wb: Any) -> None:
    """One workbook through each call the writers make, with the values that trip writers up."""
    set_properties(
        wb, title="Kết quả — Chi bộ Trường THPT Nguyễn Trãi", generated_on=dt.date(2024, 1, 5)
    )
    book = register(wb)
    first = wb.add_worksheet("Tóm tắt")
    write_title(
        first, book, "KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI NĂM 2023", "Chi bộ Đoàn Kết · Lập ngày 05/01/2024"
    )
    first.set_column(0, 0, 42)
    first.set_column(1, 1, 46)
    first.set_column(2, 2, 12)
    first.write_string(3, 0, "Chi bộ", book["label"])
    first.write_string(3, 1, "Chi bộ Trường THPT Nguyễn Trãi (CB-THPT)", book["text_wrap"])
    first.write_string(4, 0, "Số lỗi cần sửa", book["label"])
    first.write_number(4, 1, 3, book["int@error"])
    first.write_number(4, 2, 2 / 3, book["percent@error"])
    first.write_string(5, 0, "Ngày hội nghị", book["label"])
    first.write_datetime(5, 1, dt.date(2023, 12, 18), book["date"])
    first.write_string(7, 0, "Tỷ lệ HTXSNV/HTTNV", book["label"])
    first.write_number(7, 1, 0.1 + 0.2, book["percent"])
    first.set_row(9, 40)  # a tall row with nothing in it
    print_setup(first)

    table = wb.add_worksheet("Kết quả đảng viên")
    columns = (
        Column("STT", 5, "int"),
        Column("Mã đảng viên", 13),
        Column("Họ và tên", 26),
        Column("Số phiếu HTXSNV", 9, "int"),
        Column("Số phiếu HTTNV", 9, "int"),
        Column("Tỷ lệ HTXSNV", 9, "percent"),
        Column("Mức đề xuất", 10, "level"),
        Column("Giải thích", 60, "text_wrap"),
    )
    write_title(table, book, "Kết quả biểu quyết", "phụ đề")
    setup_sheet(table, book, columns, header_row=3, last_row=9, freeze_cols=3)
    rows: list[tuple[object, ...]] = [
        (1, "DV001", "Nguyễn Thị Hoa", 9, 2, 9 / 11, "HTXSNV", "Đạt 81,8 % phiếu HTXSNV."),
        (2, "DV002", "Nguyễn Thị <script>alert('x')</script> Hoa", 1, 10, 1 / 11, "HTTNV", ""),
        (3, "DV003", '=HYPERLINK("http://example.invalid/","Bấm")', None, None, None, "", None),
        (4, "DV004", "  hai dấu cách ở đầu và cuối  ", 0, 11, 0.0, "HTTNV", "dòng một\ndòng hai"),
        (5, "DV005", "A & B > C", 1234567, 7, 1e-7, "KHTNV", "tab\tở giữa _x0041_ \x0b"),
        (6, "DV006", "Đ" * 40000, 52000, 1, 0.30000000000000004, "HTNV", "x"),
    ]
    tones: list[object] = ["", "error", "warning", {2: "warning", 6: "error"}, "", "missing"]
    write_rows(table, book, columns, rows, first_row=4, tones=tones)

    issues = wb.add_worksheet("Vấn đề cần sửa")
    write_title(issues, book, "Các vấn đề cần chi bộ kiểm tra", "phụ đề")
    issues.write_string(4, 2, "Không có vấn đề nào.", book["text@ok"])
    issues.write_blank(4, 4, None, book["text"])
    issues.write_blank(4, 5, None, None)

    portrait = wb.add_worksheet("Ghi chú")
    portrait.set_margins(left=0.5, right=0.5, top=0.75, bottom=0.75)
    portrait.write_string(2, 1, "Một ô, không định dạng")
    wb.add_worksheet("Trống")
    wb.close()


def test_every_kind_of_cell_is_written_as_xlsxwriter_writes_it() -> None:
    assert_same_package(*both(every_kind_of_cell))


def test_an_empty_workbook_is_written_as_xlsxwriter_writes_it() -> None:
    def empty(wb: Any) -> None:
        set_properties(wb, title="", generated_on=dt.date(2024, 1, 5))  # else xlsxwriter: now
        wb.add_worksheet("Trang 1")
        wb.close()

    assert_same_package(*both(empty))


@pytest.fixture(scope="module")
def digest() -> Digest:
    case = lien_chieu()
    return build_digest(
        case.result,
        case.inputs,
        ruleset=case.ruleset,
        parent=case.parent,
        generated_on=case.generated_on,
        stems=cell_stems(case.result),
    )


def test_each_cells_workbook_is_written_as_xlsxwriter_writes_it(
    digest: Digest, monkeypatch: pytest.MonkeyPatch
) -> None:
    packs = cell_packs(digest)
    assert len(packs) == 4
    for pack in packs:
        lean = io.BytesIO()
        write_cell_workbook(pack, lean)
        with monkeypatch.context() as patch:
            patch.setattr(cell_xlsx, "LeanWorkbook", xlsxwriter_book)
            reference = io.BytesIO()
            write_cell_workbook(pack, reference)
        assert_same_package(lean.getvalue(), reference.getvalue())


# ---------------------------------------------------------------------------------------------
# The summary with its member rows spliced in


def test_the_spliced_summary_is_the_summary_xlsxwriter_writes(
    digest: Digest, monkeypatch: pytest.MonkeyPatch
) -> None:
    spliced = io.BytesIO()
    write_summary(digest, spliced)

    def rows_by_xlsxwriter(
        wb: Any, ws: Any, book: Any, columns: Any, rows: Any, *, first_row: int, **kw: Any
    ) -> Tail:
        write_rows(ws, book, columns, rows, first_row=first_row, tones=kw.get("tones"))
        return Tail(f"xl/worksheets/sheet{wb.worksheets().index(ws) + 1}.xml", (), "")

    def unchanged(package: bytes, target: Any, *_: object) -> None:
        target.write(package)

    reference = io.BytesIO()
    with monkeypatch.context() as patch:
        patch.setattr(summary_sheets, "table_tail", rows_by_xlsxwriter)  # every spliced table
        patch.setattr(summary_xlsx, "append_rows", unchanged)
        write_summary(digest, reference)
    ours, theirs = parts_of(spliced.getvalue()), parts_of(reference.getvalue())
    titles = (
        "Chi tiết kết quả",
        "Phân tích hạn mức",
        "Đánh giá, xếp loại",
        "Danh sách vấn đề",
        "Các tệp",
    )
    for title in titles:
        sheet = next(n for n, data in theirs.items() if n.startswith("xl/worksheets/")
                     and title.encode() in data)  # fmt: skip
        assert ours[sheet].count(b"<row ") > 5  # the spliced rows are there
    assert_same_package(spliced.getvalue(), reference.getvalue())


# ---------------------------------------------------------------------------------------------
# The decisions workbook with its rows spliced in


def without_spans(package: bytes) -> bytes:
    """The package with each row's optional ``spans`` hint dropped (xlsxwriter writes it for
    the rows it holds in memory; the spliced rows, like its ``constant_memory`` rows, have
    none)."""
    parts = parts_of(package)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, data in parts.items():
            if name.startswith("xl/worksheets/"):
                data = re.sub(rb' spans="[0-9:]+"', b"", data)
            z.writestr(name, data)
    return out.getvalue()


def test_the_spliced_decisions_workbook_is_the_one_xlsxwriter_writes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    case = lien_chieu()

    def decisions() -> bytes:
        target = io.BytesIO()
        write_decisions_workbook(
            case.result, parent=case.parent, generated_on=dt.date(2023, 12, 20),
            rules=case.ruleset, target=target,
        )  # fmt: skip
        return target.getvalue()

    spliced = decisions()
    whole = generate._Book
    with monkeypatch.context() as patch:  # every row written by xlsxwriter
        patch.setattr(generate, "_Book", lambda *a, **kw: whole(*a, **{**kw, "tails": False}))
        reference = decisions()
    members = parts_of(spliced)["xl/worksheets/sheet4.xml"]
    assert members.count(b"<row ") > 40  # the spliced rows are there, their text inline
    assert (
        members.count(b't="inlineStr"') > 40
        and b't="inlineStr"' not in parts_of(reference)["xl/worksheets/sheet4.xml"]
    )
    assert_same_package(without_spans(spliced), without_spans(reference))
