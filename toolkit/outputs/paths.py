"""The names of the files ``aggregate`` and ``rollup`` write, and cell codes made safe as file
names.

Also where an output folder's staging copy and lock live (beside it), and the rule that an
output folder is never an input, inside one, or around one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from toolkit.errors import OutputError
from toolkit.model import normalize_text, strip_accents

SUMMARY = "tong-hop.xlsx"
REPORT = "bao-cao.html"
#: the report without member detail: what travels by e-mail to the leaders
REPORT_SUMMARY = "bao-cao-tom-tat.html"
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
#: every name ``aggregate`` owns in its output folder; anything else there is carried over
OWN_NAMES = frozenset(
    {SUMMARY, REPORT, REPORT_SUMMARY, REPORT_PARTS_DIR, CELLS_DIR, RESULTS_JSON, MANIFEST}
    | {DECISIONS, DOCS_DIR}
)

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


def staging_dir(out_dir: Path) -> Path:
    """``.<name>.xeploai-staging`` beside ``out_dir``: the new set while it is written (and,
    for a moment after the swap, the previous set on its way out)."""
    return out_dir.with_name(f".{out_dir.name}.xeploai-staging")


def aside_dir(out_dir: Path) -> Path:
    """``.<name>.xeploai-old``: the previous set, moved aside where a folder cannot be swapped
    in one step."""
    return out_dir.with_name(f".{out_dir.name}.xeploai-old")


def lock_file(out_dir: Path) -> Path:
    """``.<name>.xeploai-lock`` beside ``out_dir``: who is writing (or sending from) it now."""
    return out_dir.with_name(f".{out_dir.name}.xeploai-lock")


def check_apart(out_dir: Path, inputs: Mapping[str, Path | None]) -> None:
    """``OutputError`` when the output folder is an input, lies inside an input folder, or holds
    an input (``inputs``: what the user calls each one → its path). Links are resolved, so a
    link cannot disguise the inbox; the staging folder and the lock beside ``out_dir`` count
    as part of it."""
    out = out_dir.resolve()
    around = {out, staging_dir(out), aside_dir(out), lock_file(out)}
    for label, given in inputs.items():
        if given is None:
            continue
        path = Path(given).resolve()
        if path in around or out in path.parents:
            verb = "là" if path in around else "chứa"
            raise OutputError(
                f"Thư mục kết quả «{out_dir}» {verb} {label} «{given}»: thư mục kết quả được "
                "thay mới mỗi lần chạy, không được chứa dữ liệu đầu vào; hãy chọn một thư mục "
                "riêng (-o)."
            )
        if path in out.parents and path.is_dir():  # under a file: the system says why
            raise OutputError(
                f"Thư mục kết quả «{out_dir}» nằm trong {label} «{given}»: kết quả sẽ lẫn vào "
                "dữ liệu đầu vào, hãy chọn một thư mục bên ngoài (-o)."
            )
