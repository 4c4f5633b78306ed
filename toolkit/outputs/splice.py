"""Append pre-rendered rows to one sheet of a workbook that xlsxwriter has finished.

The summary's per-member sheet has a row per member: 52,000 rows and a million cells for a
city, which xlsxwriter writes at about 7 µs a cell. xlsxwriter still writes that sheet (its
columns, header, frozen panes, autofilter, print setup) but without the member rows; this
module then copies the package and streams the rows, rendered by ``lean_xlsx.table_cells``
with the workbook's own cell-format indices, into the sheet's ``<sheetData>``. Only the file
format is relied on, not xlsxwriter's internals: a sheet part is XML with one ``<dimension>``
and one ``<sheetData>``.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

_DIMENSION = re.compile(r'<dimension ref="[^"]*"/>')
#: rows are encoded and compressed in batches of this many
_BATCH = 2000
_LEVEL = 1


def append_rows(
    package: bytes,
    target: Path | str | IO[bytes],
    part: str,
    rows: Iterable[str],
    dimension: str,
) -> None:
    """Copy ``package`` to ``target``, appending ``rows`` (``<row>`` elements) to ``part``.

    ``dimension`` is the sheet's used range once the rows are in (``A1:Y52004``). Every other
    part is copied unchanged, with its name, date and order, so the bytes stay deterministic.
    All parts are deflated at level 1: the member sheet is most of the bytes, and level 1 costs
    a third of the default.
    """
    destination: Any = str(target) if isinstance(target, Path) else target
    with (
        zipfile.ZipFile(io.BytesIO(package)) as source,
        zipfile.ZipFile(destination, "w", zipfile.ZIP_DEFLATED, compresslevel=_LEVEL) as out,
    ):
        names = source.namelist()
        if part not in names:
            raise ValueError(f"the workbook has no part {part!r}")
        for info in source.infolist():
            copy = zipfile.ZipInfo(info.filename, info.date_time)
            copy.compress_type = zipfile.ZIP_DEFLATED
            copy.external_attr = info.external_attr
            data = source.read(info)
            if info.filename != part:
                out.writestr(copy, data)
                continue
            head, tail = _split(data.decode("utf-8"))
            head = _DIMENSION.sub(f'<dimension ref="{dimension}"/>', head, count=1)
            # opened by name: a fixed date (1980-01-01) and the archive's fast compression level
            with out.open(info.filename, "w") as stream:
                stream.write(head.encode("utf-8"))
                batch: list[str] = []
                for row in rows:
                    batch.append(row)
                    if len(batch) == _BATCH:
                        stream.write("".join(batch).encode("utf-8"))
                        batch.clear()
                stream.write("".join(batch).encode("utf-8"))
                stream.write(tail.encode("utf-8"))


def _split(xml: str) -> tuple[str, str]:
    """The sheet XML cut where rows go: before ``</sheetData>`` (or inside ``<sheetData/>``)."""
    if "</sheetData>" in xml:
        head, _, rest = xml.partition("</sheetData>")
        return head, "</sheetData>" + rest
    head, found, rest = xml.partition("<sheetData/>")
    if not found:
        raise ValueError("the sheet has no <sheetData>")
    return head + "<sheetData>", "</sheetData>" + rest
