"""``manifest.json``: the audit trail — what went in, what came out, under which rules.

SHA-256 of every input (as read) and of every output file, the toolkit version, the rule-set
code and name, the district's override file (with its own SHA-256) and the values it changed.
Written last, so it can hash everything else; it does not list itself.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from toolkit import __version__
from toolkit.model import InputFile
from toolkit.outputs.json_out import ruleset_entry
from toolkit.rulebook import RuleSet

SCHEMA = "xeploai/manifest/1"


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file, read in blocks of 1 MiB."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def manifest_document(
    out_dir: Path,
    outputs: Sequence[Path],
    inputs: Sequence[InputFile],
    *,
    year: int,
    ruleset: RuleSet,
    generated_on: _dt.date,
) -> dict[str, Any]:
    """The manifest as plain data; output paths are relative to ``out_dir`` with ``/``."""
    rules = ruleset_entry(ruleset)
    rules["overrides_file_sha256"] = _override_sha256(ruleset.overrides_file)
    return {
        "schema": SCHEMA,
        "toolkit_version": __version__,
        "year": year,
        "generated_on": generated_on.isoformat(),
        "ruleset": rules,
        "inputs": [f.as_dict() for f in sorted(inputs, key=lambda f: (f.path, f.sha256))],
        "outputs": sorted(
            (
                {
                    "path": path.relative_to(out_dir).as_posix(),
                    "sha256": file_sha256(path),
                    "bytes": path.stat().st_size,
                }
                for path in outputs
            ),
            key=lambda entry: str(entry["path"]),
        ),
    }


def manifest_bytes(document: dict[str, Any]) -> bytes:
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def _override_sha256(path: str | None) -> str | None:
    if path is None:
        return None
    try:
        return file_sha256(Path(path))
    except OSError:
        return None  # the rule-set was loaded from it already; a vanished file is not our error
