"""Run by the system's Python (which has LibreOffice's UNO bridge), not the project's:
open each workbook in LibreOffice and, for every row holding a wrapped cell, say how tall the
file made it and how tall LibreOffice itself finds it must be for its text (its "optimal
height"). Prints one JSON list: [file, sheet, row (1-based), height, needed, text] in points.

    python3 lo_rows.py PROFILE_DIR FILE...
"""

import contextlib
import json
import os
import subprocess
import sys
import time

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]

HUNDREDTH_MM_TO_POINTS = 72 / 2540


def connect(profile: str, pipe: str):
    office = subprocess.Popen(
        [
            "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--norestore",
            "--nologo",
            f"--accept=pipe,name={pipe};urp;",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    for _ in range(240):
        try:
            context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            break
        except Exception:  # LibreOffice still starting
            time.sleep(0.25)
    else:
        office.kill()
        raise SystemExit("LibreOffice did not answer")
    desktop = context.ServiceManager.createInstanceWithContext(
        "com.sun.star.frame.Desktop", context
    )
    return office, desktop


def rows_of(desktop, path: str) -> list:
    hidden = PropertyValue()
    hidden.Name, hidden.Value = "Hidden", True
    doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(path), "_blank", 0, (hidden,))
    found = []
    try:
        sheets = doc.Sheets
        for i in range(sheets.Count):
            sheet = sheets.getByIndex(i)
            cursor = sheet.createCursor()
            cursor.gotoEndOfUsedArea(False)
            last_row = cursor.RangeAddress.EndRow
            last_col = cursor.RangeAddress.EndColumn
            merged = set()
            for r in range(last_row + 1):
                wrapped = []
                for c in range(last_col + 1):
                    cell = sheet.getCellByPosition(c, r)
                    if cell.getString() and cell.IsTextWrapped:
                        if cell.IsMerged or (r, c) in merged:
                            continue
                        wrapped.append(cell.getString())
                if not wrapped:
                    continue
                row = sheet.Rows.getByIndex(r)
                height = row.Height * HUNDREDTH_MM_TO_POINTS
                row.OptimalHeight = True
                needed = row.Height * HUNDREDTH_MM_TO_POINTS
                longest = max(wrapped, key=len)
                found.append([os.path.basename(path), sheet.Name, r + 1, height, needed, longest])
    finally:
        doc.close(True)
    return found


def main() -> None:
    profile, files = sys.argv[1], sys.argv[2:]
    office, desktop = connect(profile, f"xeploai_rows_{os.getpid()}")
    try:
        out = []
        for path in files:
            out += rows_of(desktop, os.path.abspath(path))
    finally:
        with contextlib.suppress(Exception):  # the bridge closes as LibreOffice quits
            desktop.terminate()
        office.wait(timeout=60)
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
