"""LibreOffice, a real spreadsheet client, for the tests: open files and save them again."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

#: a profile setting that makes LibreOffice recalculate OOXML formulas on load (by default it
#: trusts the cached values, which would prove nothing about them)
RECALCULATE_ON_LOAD = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def resave(
    sources: list[Path], tmp: Path, *, recalculate: bool = False
) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """Open each file in LibreOffice (headless, throw-away profile) and save it as .xlsx into
    a new folder; the folder and what LibreOffice said. Every file must come out."""
    return convert(sources, tmp, "xlsx:Calc MS Excel 2007 XML", recalculate=recalculate)


def convert(
    sources: list[Path], tmp: Path, target: str, *, recalculate: bool = False
) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """Open each file in LibreOffice (headless, throw-away profile) and save it as ``target``
    (a filter such as ``pdf``) into a new folder; the folder and what LibreOffice said."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is needed for this test: run `make sysdeps` (or make test)"
    profile = tmp / "profile"
    (profile / "user").mkdir(parents=True)
    if recalculate:
        settings = profile / "user" / "registrymodifications.xcu"
        settings.write_text(RECALCULATE_ON_LOAD, encoding="utf-8")
    out = tmp / "libreoffice"
    out.mkdir()
    command = [
        soffice,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        "--convert-to",
        target,
        "--outdir",
        str(out),
        *map(str, sources),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    suffix = "." + target.split(":")[0]
    missing = [s.name for s in sources if not (out / s.name).with_suffix(suffix).is_file()]
    assert not missing, f"LibreOffice did not convert {missing}: {done.stdout}\n{done.stderr}"
    return out, done
