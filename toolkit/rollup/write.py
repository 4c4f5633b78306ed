"""Write a roll-up's outputs all or nothing, as ``aggregate`` writes its own.

Into a staging folder beside ``OUT``, swapped in whole (``outputs.staging.staged``), under the
lock of ``OUT`` that ``rollup`` takes (``outputs.staging.claimed``): a run that stops half-way,
killed or out of disk, leaves the previous complete outputs (or nothing), never a mix.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from toolkit.model import InputFile
from toolkit.outputs.manifest import manifest_bytes, manifest_document
from toolkit.outputs.paths import DOCS_ROLLUP_SUMMARY, MANIFEST, REPORT, RESULTS_JSON, SUMMARY
from toolkit.outputs.staging import staged
from toolkit.outputs.word import write_document
from toolkit.rollup.combine import RollupResult
from toolkit.rollup.document import summary_report
from toolkit.rollup.html import write_rollup_report
from toolkit.rollup.json_out import rollup_document, write_rollup_json
from toolkit.rollup.xlsx import write_rollup_summary


def write_rollup_outputs(
    result: RollupResult, inputs: Sequence[InputFile], out_dir: Path
) -> list[Path]:
    """``tong-hop.xlsx``, ``bao-cao.html``, ``ket-qua.json``, ``van-ban/bao-cao-tong-hop.docx``
    and, last, ``manifest.json``. ``OSError`` is left to the caller; the staging folder is gone
    by then."""
    with staged(out_dir) as staging:
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
    return [out_dir / p.relative_to(staging) for p in (*written, staging / MANIFEST)]
