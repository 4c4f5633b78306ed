"""What a worksheet's XML says that calamine's values do not: its true extent, its formulas and
its error cells.

The extent must be known *before* python-calamine reads a sheet: calamine allocates a dense grid
from the first to the last cell, so one cell at XFD1048576 would ask for hundreds of GB and abort
the process (no exception: the process dies). Calamine places a cell by its ``r`` attribute
wherever the attribute sits in the tag and however it is spelled (``r='C5'``, ``r="c5"``, a
newline before ``r``, the last of two ``r``), and a row or a cell without ``r`` goes right after
the previous one. So ``sheet_extent`` gives an upper bound that holds for every spelling:

- a sheet spelled the way Excel, LibreOffice, openpyxl and xlsxwriter write it (every ``<row>``
  and ``<c>`` opens with ``r="…"`` in upper case, no other ``r`` attribute, no namespace prefix)
  is proven so with a few C-speed searches, the same that bound it from the number of digits
  and letters its references use (exact maxima only when the bound is too loose to pass the
  limits);
- anything else walks every row and cell tag the way calamine does.

Formulas and error values are found by literal searches; calamine only reports cached values.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

#: calamine's dense grid is rows × columns; these caps keep it to a few hundred MB at most
MAX_ROWS = 400_000
MAX_COLS = 702  # ZZ
MAX_CELLS = 4_000_000

# -- the plain spelling, proven by searches that find nothing ---------------------------------
#: a cell tag that does not open with a plain reference (r not first, odd spelling, lower case)
_CELL_NOT_PLAIN = re.compile(rb'<c(?=[\s>/])(?! r="[A-Z]{1,3}[0-9]{1,7}")')
#: an ``r`` attribute that is not the first of a row or cell tag (a second ``r``, ``r ="…"``)
_OTHER_R = re.compile(rb" r[\s=](?<!<c r=)(?<!<row r=)")
#: a namespace-prefixed row, cell or formula (``<x:c>``): legal, but not the plain spelling
_PREFIXED = re.compile(rb":(?:c|row|f)[\s>/]")
_PREFIXED_CELLS = re.compile(rb":(?:c|row)[\s>/]")
#: whitespace other than a space, which could separate an ``r`` attribute from the tag name
_BREAKS = (b"\t", b"\n", b"\r")
#: every row tag, with its number when it opens plainly (b"" when it does not)
_ROW = re.compile(rb'<row(?=[\s>/])(?: r="([0-9]{1,7})")?')
_CELL_ROW = re.compile(rb'<c r="[A-Z]{1,3}([0-9]{1,7})"')
_CELL_LETTERS = re.compile(rb'<c r="([A-Z]{1,3})[0-9]')
#: a cell tag that does not open with a plain reference of one letter (A-Z), or of up to two
#: (A-ZZ), and at most n digits, by n: found nowhere, it proves the spelling and the bound at once
_BEYOND_NARROW = [re.compile(rb'<c(?=[\s>/])(?! r="[A-Z][0-9]{1,%d}")' % n) for n in range(1, 8)]
_BEYOND_WIDE = [re.compile(rb'<c(?=[\s>/])(?! r="[A-Z]{1,2}[0-9]{1,%d}")' % n) for n in range(1, 8)]

# -- any spelling: every row and cell tag, and the r attributes in it --------------------------
#: attribute values may hold ">" (legal XML): the tag ends at the first ">" outside quotes
_TAG = re.compile(rb"""<(/?)(?:[\w.-]+:)?(c|row)(?=[\s>/])((?:[^>"']|"[^"]*"|'[^']*')*)>""")
_R_ATTRIBUTE = re.compile(rb"""(?:^|\s)r\s*=\s*(["'])(.*?)\1""", re.S)
_REFERENCE = re.compile(r"([A-Z]*)([0-9]+)")

# -- formulas and error values -----------------------------------------------------------------
_FORMULA_PLAIN = re.compile(rb"<f[\s>/]")
#: the end of a prefixed formula tag (``<x:f>``; Excel's ``<xm:f>`` of validations is not in a cell)
_FORMULA_PREFIXED = re.compile(rb":f[\s>/]")
_TAG_PREFIX = re.compile(rb"<[\w.-]+$")
_ERROR_ATTR = re.compile(rb' t="e"')
_FORMULA = re.compile(rb"<(?:\w+:)?f\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?f>)", re.S)
_VALUE = re.compile(rb"<(?:\w+:)?v>(.*?)</(?:\w+:)?v>", re.S)
_CELL_END = re.compile(rb"</(?:\w+:)?c>")
_REF_ATTR = re.compile(rb' r="([A-Z]{1,4}\d{1,9})"')
#: a plainly spelled cell holding a plain formula, and its cached value (none for ``<v/>``):
#: every formula of a usual sheet in one search, instead of four searches per formula
_PLAIN_FORMULA_CELL = re.compile(
    rb'<c r="([A-Z]{1,3}[0-9]{1,7})"([^<>]*)><f>([^<]*)</f>(?:<v>([^<]*)</v>|<v ?/>)?</c>'
)
_REF = re.compile(rb"([A-Z]{1,4})(\d{1,9})$")


# -- the merged cells, first -----------------------------------------------------------------
#: python-calamine finds a sheet's merged cells (for every sheet it is asked for) by reading the
#: sheet's XML again from the start until a ``mergeCells`` element opens: through every cell, to
#: the end of the sheet when it has none. That second pass cost as much as reading the cells.
#: The merged cells spelled plainly, as Excel, LibreOffice, openpyxl and xlsxwriter write them:
_PLAIN_MERGE_CELLS = re.compile(
    rb'<mergeCells(?: count="[0-9]+")?\s*>(?:\s*<mergeCell ref="[A-Z0-9:$]+"\s*/>)*\s*</mergeCells>'
)


def merge_cells_first(xml: bytes) -> bytes:
    """The sheet's XML with its merged cells before its cells (``<mergeCells/>`` when it has
    none), for python-calamine, whose search for them then stops before the first cell.

    Only for a plainly written sheet: no comment, CDATA section or processing instruction (where
    a tag's text could hide), one ``<sheetData``, and the merged cells, if any, one element
    spelled plainly after it. The element moves whole, so calamine reads the same cells and the
    same merged ranges; any other sheet is returned as it is (and read the slow way). Literal
    searches only: a pattern tried at every tag of a large sheet cost more than it saved.
    """
    if b"<!" in xml or xml.count(b"<?") > 1:
        return xml
    data = xml.find(b"<sheetData")
    if data < 0 or xml.find(b"<sheetData", data + 1) >= 0:
        return xml
    found = xml.find(b"mergeCells")  # any spelling of the element holds these letters
    if found < 0:
        return b"".join((xml[:data], b"<mergeCells/>", xml[data:]))
    merged = _PLAIN_MERGE_CELLS.match(xml, found - 1) if found > data else None
    if merged is None or xml.find(b"mergeCells", merged.end()) >= 0:
        return xml
    tag = merged.start()
    return b"".join((xml[:data], merged.group(), xml[data:tag], xml[merged.end() :]))


class BadReference(ValueError):
    """A row or cell reference that names no cell (``r="A-1"``); the text says which."""


@dataclass(frozen=True)
class SheetScan:
    """What the XML of one worksheet says beyond the cached values."""

    #: upper bounds of the grid calamine will allocate (exact for plainly written sheets)
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

    @property
    def too_large(self) -> bool:
        """The grid would not fit the limits (``MAX_ROWS``, ``MAX_COLS``, ``MAX_CELLS``)."""
        return too_large(self.max_row, self.max_col)


def too_large(rows: int, cols: int) -> bool:
    """A grid of ``rows`` × ``cols`` would not fit the limits."""
    return rows > MAX_ROWS or cols > MAX_COLS or rows * cols > MAX_CELLS


def column_number(letters: bytes | str) -> int:
    """``A`` → 1, ``AA`` → 27."""
    text = letters.decode() if isinstance(letters, bytes) else letters
    n = 0
    for ch in text:
        n = n * 26 + ord(ch) - 64
    return n


def scan_sheet(xml: bytes, measured: Measured | None = None) -> SheetScan:
    """Extent, formulas and error cells of one worksheet's XML; ``BadReference`` when a row or
    cell reference is unreadable. ``measured``: ``measure(xml)``, if already known."""
    prefixed, (max_row, max_col) = measured or measure(xml)
    formulas: dict[tuple[int, int], str] = {}
    uncached: dict[tuple[int, int], str] = {}
    errors: dict[tuple[int, int], str] = {}
    for where, attrs, formula, value in _formula_cells(xml, prefixed):
        # as Excel shows it: the XML's escapes undone (``A1&lt;B1`` is ``A1<B1``)
        text = "=" + html.unescape(formula.decode("utf-8", "replace"))
        if value is None or (value == b"" and b't="str"' not in attrs):
            uncached[where] = text
        else:
            formulas[where] = text
    # error values are rare: one C search (twice as fast as the pattern's) mostly settles it
    for match in _ERROR_ATTR.finditer(xml) if b' t="e"' in xml else ():
        cell = _cell_around(xml, match.end())
        if cell is not None:
            shown = _VALUE.search(cell[2])
            errors[cell[0]] = shown.group(1).decode("utf-8", "replace") if shown else "#?"
    return SheetScan(max_row, max_col, formulas, uncached, errors)


#: whether a sheet has namespace-prefixed tags, and its extent (``measure``)
Measured = tuple[bool, tuple[int, int]]


def measure(xml: bytes) -> Measured:
    """Whether the sheet has namespace-prefixed tags, and ``sheet_extent``."""
    prefixed = _PREFIXED.search(xml) is not None
    return prefixed, sheet_extent(xml, prefixed)


def sheet_extent(xml: bytes, prefixed: bool | None = None) -> tuple[int, int]:
    """(rows, columns): an upper bound of the grid calamine allocates for this sheet.

    ``prefixed``: whether the sheet has namespace-prefixed tags, if the caller knows.
    """
    if prefixed is None:
        prefixed = _PREFIXED.search(xml) is not None
    rows = _plain_rows(xml, prefixed)
    if rows is None:
        return _any_extent(xml)
    return _plain_extent(xml, rows)


def _plain_rows(xml: bytes, prefixed: bool) -> list[int] | None:
    """The row numbers, if every row tag opens with a plain ``r="…"`` and no ``r`` attribute
    exists but the first of a row or a cell tag; else None.

    Each test is one search over the bytes in C that finds nothing in a plain sheet: no other
    ``r`` (a second one, ``r ="…"``, ``r='…'``), no prefixed tag, no ``r`` after a tab or a
    line break. ``prefixed``: ``_PREFIXED`` matched. The cell tags are proven plain with their
    bound (``_plain_extent``).
    """
    # one byte is found far faster than two: look for "\nr" only where a line break exists
    body = max(xml.find(b"?>", 0, 256), 0)  # after the XML declaration, if there is one
    if any(xml.find(ch, body) >= 0 and ch + b"r" in xml for ch in _BREAKS):
        return None
    if (prefixed and _PREFIXED_CELLS.search(xml)) or _OTHER_R.search(xml):
        return None
    found = _ROW.findall(xml)
    if b"" in found:
        return None
    return list(map(int, found))


def _plain_extent(xml: bytes, rows: list[int]) -> tuple[int, int]:
    """The extent of a sheet whose row tags are plain (``_plain_rows``): bounded cheaply from
    the digits and letters of its references, exact when the bound fails; ``_any_extent`` if a
    cell tag is not plain after all."""
    top = max(rows, default=0)
    digits = len(str(top))  # 1 to 7: ``_ROW`` reads no longer number
    if _BEYOND_NARROW[digits - 1].search(xml) is None:
        bound = (10**digits - 1, 26)  # columns A-Z, no cell beyond the last row's digits
    elif _BEYOND_WIDE[digits - 1].search(xml) is None:
        bound = (10**digits - 1, MAX_COLS)
    else:
        bound = (0, 0)  # beyond ZZ, a cell below the last row, or not plain: see below
    if bound[0] and not too_large(*bound):
        return bound
    if _CELL_NOT_PLAIN.search(xml):
        return _any_extent(xml)
    # a large sheet (or one with odd cells): the exact maxima
    cell_rows = _CELL_ROW.findall(xml)
    if cell_rows:
        longest = max(map(len, cell_rows))
        top = max(top, max(int(r) for r in cell_rows if len(r) == longest))
    letters = set(_CELL_LETTERS.findall(xml))
    cols = max((column_number(x) for x in letters), default=0)
    return top, cols


def _any_extent(xml: bytes) -> tuple[int, int]:
    """Walk every row and cell tag as calamine does: a tag's ``r`` (every one it has) places
    it; a row without ``r`` follows the previous row, a cell without ``r`` the previous cell."""
    max_row = max_col = 0
    row = col = 0  # the current row (1-based) and the last column used in it (1-based)
    in_row = False
    for closing, name, attributes in _TAG.findall(xml):
        if name == b"row":
            if closing:
                in_row = False
                continue
            refs = _references(attributes)
            row = max((r for r, _ in refs), default=row + 1)
            col = 0
            in_row = not attributes.rstrip().endswith(b"/")
            max_row = max(max_row, row)
            continue
        if closing:
            continue
        refs = _references(attributes)
        if refs:
            for r, c in refs:
                max_row, max_col = max(max_row, r), max(max_col, c)
            col = max(c for _, c in refs)
        else:
            # a cell outside any row goes to the row after the last one
            col += 1
            max_row = max(max_row, row if in_row else row + 1)
            max_col = max(max_col, col)
    return max_row, max_col


def _references(attributes: bytes) -> list[tuple[int, int]]:
    """(row, column) of every ``r`` attribute of one tag, whatever its spelling."""
    found = []
    for _, raw in _R_ATTRIBUTE.findall(attributes):
        text = html.unescape(raw.decode("utf-8", "replace")).strip().upper()
        match = _REFERENCE.fullmatch(text)
        if match is None:
            raise BadReference(f"r={raw.decode('utf-8', 'replace')!r}")
        found.append((int(match.group(2)), column_number(match.group(1))))
    return found


def _position(ref: bytes) -> tuple[int, int] | None:
    match = _REF.match(ref)
    if match is None:
        return None
    return int(match.group(2)), column_number(match.group(1)) - 1


def _cell_around(xml: bytes, pos: int) -> tuple[tuple[int, int], bytes, bytes] | None:
    """The cell element holding byte ``pos``: its (row, col), its attributes and its body."""
    start = xml.rfind(b"<c ", 0, pos)
    # a prefixed cell (<x:c ...>) closer to pos lies after the nearest plain one: search only
    # there (searching back to the start, once per formula, made the scan quadratic)
    start = max(start, xml.rfind(b":c ", max(start, 0), pos))
    if start < 0:
        return None
    tag_end = xml.find(b">", start)
    ref = _REF_ATTR.search(xml, start, tag_end) if tag_end > 0 else None
    where = _position(ref.group(1)) if ref else None
    if where is None:
        return None
    if xml[tag_end - 1 : tag_end] == b"/":  # <c r="A1" t="e"/>: no body
        return (where, xml[start:tag_end], b"") if pos <= tag_end else None
    end = _CELL_END.search(xml, tag_end)
    if end is None or end.start() < pos:
        return None  # ``pos`` is after that cell: not inside any cell (an extension's <xm:f>)
    return where, xml[start:tag_end], xml[tag_end + 1 : end.start()]


FormulaCell = tuple[tuple[int, int], bytes, bytes, bytes | None]


def _formula_cells(xml: bytes, prefixed: bool) -> list[FormulaCell]:
    """(row, column), attributes, formula text and cached value (None without one) of every
    cell holding a formula, in order: all at once when each formula sits plainly in a plain
    cell (the usual sheet), else cell by cell around each formula tag."""
    starts = _formula_starts(xml, prefixed)
    if not starts:
        return []
    if not prefixed:
        plain = _plain_formula_cells(xml, starts)
        if plain is not None:
            return [(_at(m.group(1)), m.group(2), m.group(3), m.group(4)) for m in plain]
    found = []
    for start in starts:
        cell = _cell_around(xml, start)
        if cell is None:
            continue
        where, attrs, body = cell
        formula = _FORMULA.search(body)
        value = _VALUE.search(body)
        text = (formula.group(1) if formula else b"") or b""
        found.append((where, attrs, text, None if value is None else value.group(1)))
    return found


def _plain_formula_cells(xml: bytes, starts: list[int]) -> list[re.Match[bytes]] | None:
    """The plain cell of each formula starting at ``starts``, or None if one is not plain.

    Matched from the cell tag before each formula: a search from the start of the sheet would
    try the pattern at every cell, formula or not (seven times as slow on a tally sheet).
    """
    found = []
    for start in starts:
        match = _PLAIN_FORMULA_CELL.match(xml, max(xml.rfind(b"<c ", 0, start), 0))
        if match is None or match.start(3) - 3 != start:
            return None
        found.append(match)
    return found


def _at(ref: bytes) -> tuple[int, int]:
    """(row, 0-based column) of a plain reference (``_PLAIN_FORMULA_CELL`` matched it)."""
    where = _position(ref)
    assert where is not None
    return where


def _formula_starts(xml: bytes, prefixed: bool) -> list[int]:
    """Where each formula tag starts, plain (``<f>``) or prefixed (``<x:f>``), in order."""
    starts = [m.start() for m in _FORMULA_PLAIN.finditer(xml)]
    if not prefixed:
        return starts
    found = []
    for match in _FORMULA_PREFIXED.finditer(xml):
        # ":f>" is a tag only when "<" and a prefix come right before it
        tag = _TAG_PREFIX.search(xml, max(match.start() - 64, 0), match.start())
        if tag is not None:
            found.append(tag.start())
    return sorted(starts + found) if found else starts
