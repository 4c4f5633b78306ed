"""Write a roll-up's outputs all or nothing: into a staging folder beside ``OUT``, then renamed.

A run that stops half-way leaves the previous complete outputs (or nothing), never a mix. An
existing ``OUT`` is replaced only when it is an output folder (it has a manifest.json) or
empty; an input is never inside it, and it is never inside an input.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path

from toolkit.errors import OutputError
from toolkit.model import InputFile
from toolkit.outputs.manifest import manifest_bytes, manifest_document
from toolkit.outputs.paths import DOCS_ROLLUP_SUMMARY, MANIFEST, REPORT, RESULTS_JSON, SUMMARY
from toolkit.outputs.word import write_document
from toolkit.rollup.combine import RollupResult
from toolkit.rollup.document import summary_report
from toolkit.rollup.html import write_rollup_report
from toolkit.rollup.json_out import rollup_document, write_rollup_json
from toolkit.rollup.xlsx import write_rollup_summary


def check_paths(out_dir: Path, inputs: Sequence[Path]) -> None:
    """``OutputError`` when ``out_dir`` could hold or overwrite an input, or is not ours."""
    out = out_dir.resolve()
    for path in inputs:
        given = path.resolve()
        if given == out or out in given.parents or given in out.parents:
            raise OutputError(
                f"Thư mục kết quả «{out_dir}» trùng, nằm trong hoặc chứa tệp đầu vào «{path}»; "
                "hãy chọn một thư mục khác."
            )
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError(f"«{out_dir}» là một tệp, cần một thư mục.")
    if out_dir.is_dir() and not (out_dir / MANIFEST).is_file() and any(out_dir.iterdir()):
        raise OutputError(
            f"Thư mục «{out_dir}» đã có dữ liệu khác (không phải kết quả của xeploai); hãy chọn "
            "một thư mục mới hoặc trống."
        )


def write_rollup_outputs(
    result: RollupResult, inputs: Sequence[InputFile], out_dir: Path
) -> list[Path]:
    """``tong-hop.xlsx``, ``bao-cao.html``, ``ket-qua.json``, ``van-ban/bao-cao-tong-hop.docx``
    and, last, ``manifest.json``."""
    out_dir = out_dir.absolute()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", suffix=".tmp", dir=out_dir.parent))
    try:
        _permissions(staging)
        written = [staging / p for p in (SUMMARY, REPORT, RESULTS_JSON, DOCS_ROLLUP_SUMMARY)]
        write_rollup_summary(result, written[0])
        write_rollup_report(result, written[1])
        with written[2].open("wb") as stream:
            write_rollup_json(rollup_document(result, inputs), stream)
        written[3].parent.mkdir()
        write_document(summary_report(result), written[3])
        manifest = manifest_document(
            staging,
            written,
            inputs,
            year=result.year,
            ruleset=result.ruleset,
            generated_on=result.generated_on,
        )
        (staging / MANIFEST).write_bytes(manifest_bytes(manifest))
        _replace(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return [out_dir / p.relative_to(staging) for p in (*written, staging / MANIFEST)]


def _replace(staging: Path, out_dir: Path) -> None:
    """Move the complete staging folder to ``out_dir``; the previous one goes only after."""
    if not out_dir.exists():
        staging.rename(out_dir)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", suffix=".old", dir=out_dir.parent))
    old.rmdir()
    out_dir.rename(old)
    try:
        staging.rename(out_dir)
    except BaseException:
        old.rename(out_dir)  # put the previous outputs back
        raise
    shutil.rmtree(old, ignore_errors=True)


def _permissions(folder: Path) -> None:
    """A staging folder is made private (0700); the outputs get the user's usual rights."""
    mask = os.umask(0)
    os.umask(mask)
    folder.chmod(0o777 & ~mask)
