"""Append pre-rendered rows to sheets of a workbook that xlsxwriter has finished.

The summary's per-member sheet has a row per member: 52,000 rows and a million cells for a
city, which xlsxwriter writes at about 7 µs a cell; the quota sheet has a row per candidate.
xlsxwriter still writes each such sheet (its columns, header, frozen panes, autofilter, print
setup) but without its table rows; this module then copies the package and streams the rows,
rendered by ``lean_xlsx.table_cells`` with the workbook's own cell-format indices
(``sheets.table_tail``), into each sheet's ``<sheetData>``. Only the file
format is relied on, not xlsxwriter's internals: a sheet part is XML with one ``<dimension>``
and one ``<sheetData>``. The result is what xlsxwriter writes when it writes the rows itself
(``tests/test_outputs_lean_equivalence.py``), but for floats: all 17 digits that read back as
the same double, where xlsxwriter rounds to 16.
"""

from __future__ import annotations

import io
import itertools
import re
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO

from toolkit.outputs.lean_xlsx import ZipParts, deflate_texts
from toolkit.outputs.sheets import Tail
from toolkit.ziparchive import stored_bytes

_DIMENSION = re.compile(r'<dimension ref="[^"]*"/>')


def append_rows(package: bytes, target: Path | str | IO[bytes], tails: Sequence[Tail]) -> None:
    """Copy ``package`` to ``target``, appending each tail's rows (``<row>`` elements) to its
    sheet part and setting that sheet's used range to the tail's ``dimension``.

    Every other part is copied as it is, still compressed (nothing is inflated and deflated
    again), in the same order; a sheet with a tail is deflated at the fast level while its
    rows stream in, so memory holds the compressed sheet, never its text. The same input gives
    the same bytes.
    """
    by_part = {tail.part: tail for tail in tails}
    if len(by_part) != len(tails):
        raise ValueError("two tails for one sheet")
    out = ZipParts()
    with zipfile.ZipFile(io.BytesIO(package)) as source:
        infos = source.infolist()
        unknown = set(by_part) - {info.filename for info in infos}
        if unknown:
            raise ValueError(f"the workbook has no part {sorted(unknown)[0]!r}")
        for info in infos:
            tail = by_part.get(info.filename)
            if tail is not None:
                head, end = _split(source.read(info).decode("utf-8"))
                head = _DIMENSION.sub(f'<dimension ref="{tail.dimension}"/>', head, count=1)
                out.add_deflated(info.filename, *_deflate_stream(head, tail.rows, end))
            elif info.compress_type == zipfile.ZIP_DEFLATED:
                out.add_deflated(
                    info.filename, stored_bytes(package, info), info.CRC, info.file_size
                )
            else:
                out.add(info.filename, source.read(info))
    out.write_to(target)


def _deflate_stream(head: str, rows: Iterable[str], tail: str) -> tuple[bytes, int, int]:
    """The raw deflate stream, CRC-32 and size of ``head``, every row, ``tail``."""
    return deflate_texts(itertools.chain((head,), rows, (tail,)))


def _split(xml: str) -> tuple[str, str]:
    """The sheet XML cut where rows go: before ``</sheetData>`` (or inside ``<sheetData/>``)."""
    if "</sheetData>" in xml:
        head, _, rest = xml.partition("</sheetData>")
        return head, "</sheetData>" + rest
    head, found, rest = xml.partition("<sheetData/>")
    if not found:
        raise ValueError("the sheet has no <sheetData>")
    return head + "<sheetData>", "</sheetData>" + rest
