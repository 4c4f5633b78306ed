"""The hidden identity block that every generated workbook carries, and safe file names.

Returned files are recognised by this block, never by their names (secretaries rename files).
The block sits in a very hidden sheet as key/value rows; ``roster_hash`` is the SHA-256 of the
cell's roster as canonical text, so a changed roster is noticed when the file comes back.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from toolkit.model import Member, OrgUnit, normalize_text, strip_accents

IDENTITY_SHEET = "xeploai"
#: the keys of the block, in the order they are written (column A, from row 2)
KEYS: tuple[str, ...] = (
    "kind",
    "template_version",
    "year",
    "cell_code",
    "roster_hash",
    "ruleset",
    "features",
    "generator",
)
_WINDOWS_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL"}
    | {f"COM{i}" for i in range(1, 10)}
    | {f"LPT{i}" for i in range(1, 10)}
)


@dataclass(frozen=True)
class Identity:
    """What a generated workbook says about itself."""

    kind: str
    template_version: int
    year: int | None = None
    cell_code: str = ""
    roster_hash: str = ""
    ruleset: str = ""
    features: tuple[str, ...] = ()
    generator: str = ""

    def rows(self) -> list[tuple[str, str]]:
        """The key/value rows written into the hidden sheet (all text)."""
        values = {
            "kind": self.kind,
            "template_version": str(self.template_version),
            "year": "" if self.year is None else str(self.year),
            "cell_code": self.cell_code,
            "roster_hash": self.roster_hash,
            "ruleset": self.ruleset,
            "features": ",".join(self.features),
            "generator": self.generator,
        }
        return [(key, values[key]) for key in KEYS]


class IdentityError(ValueError):
    """The block is there but unusable; ``reason`` names the key that is missing or wrong."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def parse_identity(grid: Sequence[Sequence[object]]) -> Identity:
    """Read the block from the hidden sheet's values; ``IdentityError`` if it was altered."""
    found: dict[str, str] = {}
    for row in grid[:40]:
        if len(row) >= 2 and isinstance(row[0], str) and row[0].strip() in KEYS:
            value = row[1]
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            found[row[0].strip()] = normalize_text(value)
    missing = [k for k in ("kind", "template_version") if not found.get(k)]
    if missing:
        raise IdentityError(f"{missing[0]} = ?")
    try:
        version = int(found["template_version"])
    except ValueError:
        version = -1  # reported as an unknown version by the reader
    year_text = found.get("year", "")
    try:
        year = int(year_text) if year_text else None
    except ValueError:
        raise IdentityError(f"year = {year_text}") from None
    return Identity(
        kind=found["kind"],
        template_version=version,
        year=year,
        cell_code=found.get("cell_code", ""),
        roster_hash=found.get("roster_hash", ""),
        ruleset=found.get("ruleset", ""),
        features=tuple(f for f in found.get("features", "").split(",") if f),
        generator=found.get("generator", ""),
    )


def roster_hash(cell: OrgUnit, members: Iterable[Member]) -> str:
    """SHA-256 of the cell's roster as canonical text: what its workbooks were made from.

    Only what the workbooks show counts (codes, names, official/probationary), so fixing a
    birth year in the roster does not make returned files look stale.
    """
    lines = ["xeploai-roster-v1", f"cell\t{cell.code}\t{normalize_text(cell.name)}"]
    for m in sorted(members, key=lambda m: m.member_id):
        lines.append(f"member\t{m.member_id}\t{normalize_text(m.full_name)}\t{m.membership.value}")
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def safe_file_stem(*parts: str, max_length: int = 80) -> str:
    """A file name stem safe on Windows: ASCII letters, digits and dashes, no reserved name.

    ``("CB01", "Chi bộ Trường THPT Liên Chiểu")`` → ``CB01-Chi-bo-Truong-THPT-Lien-Chieu``.
    """
    text = "-".join(strip_accents(normalize_text(p)) for p in parts if p)
    stem = re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-")[:max_length].strip("-") or "tep"
    if stem.upper() in _WINDOWS_RESERVED:  # "CON.xlsx" is not allowed, "CON-1.xlsx" is
        stem = f"_{stem}"
    return stem
