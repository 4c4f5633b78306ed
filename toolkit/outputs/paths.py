"""The names of the files ``aggregate`` and ``rollup`` write, and cell codes made safe as file
names."""

from __future__ import annotations

import re
from collections.abc import Iterable

from toolkit.model import normalize_text, strip_accents

SUMMARY = "tong-hop.xlsx"
REPORT = "bao-cao.html"
REPORT_PARTS_DIR = "bao-cao"
CELLS_DIR = "chi-bo"
RESULTS_JSON = "ket-qua.json"
MANIFEST = "manifest.json"
#: the decisions workbook for the competent level (``aggregate --decisions`` reads it filled)
DECISIONS = "quyet-dinh.xlsx"
#: documents for signing (.docx)
DOCS_DIR = "van-ban"
MINUTES_DIR = f"{DOCS_DIR}/bien-ban-kiem-phieu"
DOCS_MEMBERS = f"{DOCS_DIR}/danh-sach-de-nghi-cong-nhan-dang-vien.docx"
DOCS_NOT_RATED = f"{DOCS_DIR}/danh-sach-dang-vien-chua-danh-gia-xep-loai.docx"
DOCS_ORGANIZATIONS = f"{DOCS_DIR}/danh-sach-xep-loai-to-chuc-dang.docx"
#: ``rollup``'s report body of the upward summary (Mẫu 15A/15B) for signing
DOCS_ROLLUP_SUMMARY = f"{DOCS_DIR}/bao-cao-tong-hop.docx"

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
# names Windows refuses whatever the extension (CON.xlsx is still CON)
_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL"}
    | {f"COM{i}" for i in range(1, 10)}
    | {f"LPT{i}" for i in range(1, 10)}
)


def safe_stem(code: str) -> str:
    """A cell code as a file-name stem safe on Windows, macOS and Linux.

    Diacritics are stripped, anything but letters, digits, dot, dash and underscore becomes a
    dash, leading dots and dashes go, reserved Windows names get a trailing underscore.
    """
    stem = _UNSAFE.sub("-", strip_accents(normalize_text(code))).strip("-.") or "chi-bo"
    stem = stem[:80].rstrip("-.")
    if stem.split(".")[0].upper() in _RESERVED:
        stem += "_"
    return stem


def unique_stems(codes: Iterable[str]) -> dict[str, str]:
    """Code → safe stem, distinct even where file systems ignore case ("cb1" vs "CB1").

    Codes are taken in sorted order and a clash gets ``-2``, ``-3``…, so the mapping depends
    only on the set of codes, never on the order they came in.
    """
    taken: set[str] = set()
    stems: dict[str, str] = {}
    for code in sorted(set(codes)):
        base = safe_stem(code)
        stem, n = base, 1
        while stem.casefold() in taken:
            n += 1
            stem = f"{base}-{n}"
        taken.add(stem.casefold())
        stems[code] = stem
    return stems


def cell_file(stem: str) -> str:
    """The relative path of a cell's result workbook: ``chi-bo/<stem>.xlsx``."""
    return f"{CELLS_DIR}/{stem}.xlsx"


def minutes_file(cell_file: str) -> str:
    """A cell's Biên bản kiểm phiếu beside its result workbook's name:
    ``chi-bo/<stem>.xlsx`` → ``van-ban/bien-ban-kiem-phieu/<stem>.docx``."""
    stem = cell_file.rsplit("/", 1)[-1].removesuffix(".xlsx")
    return f"{MINUTES_DIR}/{stem}.docx"


def report_part_file(stem: str) -> str:
    """The relative path of one grassroots organization's detail page."""
    return f"{REPORT_PARTS_DIR}/{stem}.html"
